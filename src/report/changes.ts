/**
 * What changed since the previous report, computed from the previous report.json and this one.
 * Nothing is estimated: incidents and opportunities are matched by id, and so are themes; a theme
 * whose id is new is matched by its members to a previous theme left without a match (see
 * matchPatterns), since a theme named from its members' words is renamed when it grows.
 */
import type { CorpusChanges, Pattern, ReportData, ReportDocument } from '../schemas/index.ts';
import { rankOpportunities } from './format.ts';

export type ReportChanges = CorpusChanges;

export const TOP_CHANGES = 5;

/**
 * Each current theme's previous theme: the one with its id, else the previous theme, unmatched by
 * id, with which it shares the most incidents, if those are at least two and at least half of
 * either theme's incidents (largest overlaps are paired first; each previous theme once).
 */
export function matchPatterns(previous: readonly Pattern[], current: readonly Pattern[]): Map<Pattern, Pattern> {
  const matched = new Map<Pattern, Pattern>();
  const byId = new Map(previous.map((pattern) => [pattern.id, pattern]));
  const taken = new Set<Pattern>();
  for (const pattern of current) {
    const old = byId.get(pattern.id);
    if (old === undefined) continue;
    matched.set(pattern, old);
    taken.add(old);
  }
  const pairs: { pattern: Pattern; old: Pattern; shared: number }[] = [];
  for (const pattern of current) {
    if (matched.has(pattern)) continue;
    const members = new Set(pattern.incidentIds);
    for (const old of previous) {
      if (taken.has(old)) continue;
      const shared = old.incidentIds.filter((id) => members.has(id)).length;
      const enough = 2 * shared >= Math.min(old.incidentIds.length, pattern.incidentIds.length);
      if (shared >= 2 && enough) pairs.push({ pattern, old, shared });
    }
  }
  pairs.sort((left, right) => right.shared - left.shared);
  for (const { pattern, old } of pairs) {
    if (matched.has(pattern) || taken.has(old)) continue;
    matched.set(pattern, old);
    taken.add(old);
  }
  return matched;
}

export function compareReports(previous: ReportData, current: ReportData): ReportChanges {
  const before = new Set(previous.documents.map((document) => document.docId));
  const after = new Set(current.documents.map((document) => document.docId));
  const matched = matchPatterns(previous.patterns, current.patterns);
  const matchedPrevious = new Set(matched.values());
  const changedPatterns = current.patterns
    .flatMap((pattern) => {
      const old = matched.get(pattern);
      if (old === undefined || (old.count === pattern.count && old.theme === pattern.theme)) return [];
      const change = { theme: pattern.theme, before: old.count, after: pattern.count };
      return [old.theme === pattern.theme ? change : { ...change, previousTheme: old.theme }];
    })
    .sort((left, right) => Math.abs(right.after - right.before) - Math.abs(left.after - left.before));
  const previousRanks = new Map(
    rankOpportunities(previous.opportunities).map((opportunity, index) => [opportunity.id, index + 1]),
  );
  const previousDocuments = new Map(previous.documents.map((document) => [document.docId, document]));
  const causalOf = (document: ReportDocument) => document.classification.causal.map((cause) => cause.technology).sort();
  const categoryOf = (document: ReportDocument) =>
    document.faultCategory ?? document.classification.faultCategory ?? null;
  const reclassified = current.documents.flatMap((document) => {
    const old = previousDocuments.get(document.docId);
    if (!old) return [];
    const causalBefore = causalOf(old);
    const causalNow = causalOf(document);
    // A report written before documents carried a category compares causes only.
    const categoryBefore = categoryOf(old);
    const categoryNow = categoryOf(document);
    const categoryChanged = categoryBefore !== null && categoryBefore !== categoryNow;
    if (causalBefore.join('\u0000') === causalNow.join('\u0000') && !categoryChanged) return [];
    return [{ incidentId: document.docId, causalBefore, causalNow, categoryBefore, categoryNow }];
  });
  return {
    previousRunId: previous.runId,
    previousGeneratedAt: previous.generatedAt,
    newIncidents: [...after].filter((docId) => !before.has(docId)),
    removedIncidents: [...before].filter((docId) => !after.has(docId)),
    newPatterns: current.patterns.filter((pattern) => !matched.has(pattern)).map((pattern) => pattern.theme),
    changedPatterns,
    removedPatterns: previous.patterns
      .filter((pattern) => !matchedPrevious.has(pattern))
      .map((pattern) => pattern.theme),
    topOpportunities: rankOpportunities(current.opportunities)
      .slice(0, TOP_CHANGES)
      .map((opportunity, index) => ({
        title: opportunity.title,
        rank: index + 1,
        previousRank: previousRanks.get(opportunity.id) ?? null,
      })),
    reclassified,
  };
}

function someOf(items: readonly string[]): string {
  const shown = items.slice(0, TOP_CHANGES).join('; ');
  return items.length > TOP_CHANGES ? `${shown}; and ${items.length - TOP_CHANGES} more` : shown;
}

/** The changes as plain sentences, shared by the HTML and Markdown reports (callers escape them). */
export function changeLines(changes: ReportChanges): string[] {
  const lines = [
    `${changes.newIncidents.length} new incidents, ${changes.removedIncidents.length} no longer in the corpus.`,
  ];
  if (changes.newPatterns.length > 0) lines.push(`New themes: ${someOf(changes.newPatterns)}.`);
  if (changes.changedPatterns.length > 0) {
    lines.push(
      `Themes that grew, shrank or were renamed: ${someOf(changes.changedPatterns.map((change) => `${change.theme}${change.previousTheme === undefined ? '' : ` (was ${change.previousTheme})`} (${change.before} → ${change.after})`))}.`,
    );
  }
  if (changes.removedPatterns.length > 0) lines.push(`Themes no longer found: ${someOf(changes.removedPatterns)}.`);
  const moves = changes.topOpportunities.map((entry) => {
    if (entry.previousRank === null) return `#${entry.rank} ${entry.title} (new)`;
    if (entry.previousRank === entry.rank) return `#${entry.rank} ${entry.title} (unchanged)`;
    return `#${entry.rank} ${entry.title} (was #${entry.previousRank})`;
  });
  if (changes.reclassified.length > 0)
    lines.push(
      `Incidents whose causes or fault category changed: ${someOf(changes.reclassified.map((entry) => `${entry.incidentId} (${entry.causalBefore.join(', ') || 'no catalog cause'} → ${entry.causalNow.join(', ') || 'no catalog cause'}${entry.categoryBefore !== entry.categoryNow ? `; ${entry.categoryBefore ?? 'none'} → ${entry.categoryNow ?? 'none'}` : ''})`))}.`,
    );
  if (moves.length > 0) lines.push(`Top opportunities: ${moves.join('; ')}.`);
  return lines;
}
