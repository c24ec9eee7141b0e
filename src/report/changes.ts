/**
 * What changed since the previous report, computed from the previous report.json and this one.
 * Nothing is estimated: incidents, patterns and opportunities are matched by id.
 */
import type { CorpusChanges, ReportData, ReportDocument } from '../schemas/index.ts';
import { rankOpportunities } from './format.ts';

export type ReportChanges = CorpusChanges;

export const TOP_CHANGES = 5;

export function compareReports(previous: ReportData, current: ReportData): ReportChanges {
  const before = new Set(previous.documents.map((document) => document.docId));
  const after = new Set(current.documents.map((document) => document.docId));
  const previousPatterns = new Map(previous.patterns.map((pattern) => [pattern.id, pattern]));
  const currentPatternIds = new Set(current.patterns.map((pattern) => pattern.id));
  const changedPatterns = current.patterns
    .flatMap((pattern) => {
      const old = previousPatterns.get(pattern.id);
      return old === undefined || old.count === pattern.count
        ? []
        : [{ theme: pattern.theme, before: old.count, after: pattern.count }];
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
    newPatterns: current.patterns
      .filter((pattern) => !previousPatterns.has(pattern.id))
      .map((pattern) => pattern.theme),
    changedPatterns,
    removedPatterns: previous.patterns
      .filter((pattern) => !currentPatternIds.has(pattern.id))
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
      `Themes that grew or shrank: ${someOf(changes.changedPatterns.map((change) => `${change.theme} (${change.before} → ${change.after})`))}.`,
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
