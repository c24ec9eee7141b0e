/**
 * What the patterns stage does around any engine's fold, identically for every engine: count
 * near-duplicate documents once, check that each theme member's evidence is a sentence of that
 * member's own outputs and speaks to the theme (unsupported members are dropped and recorded),
 * keep each incident in one theme, and account for every incident: a theme of two or more, "not
 * recurring yet", or "no catalog technology involved".
 */
import { createHash } from 'node:crypto';
import type { FoldIncident, ThemeDraft } from '../engines/engine.ts';
import { contentWordsOf } from '../text/words.ts';
import type {
  DroppedMember,
  DuplicateIncident,
  FaultCategory,
  FoldResult,
  NoCatalogIncident,
  NotRecurring,
  Pattern,
} from '../schemas/index.ts';
import { normalizeForMatch } from '../trust/quotes.ts';

/** A fold input with what the stage needs beyond the engine's view: identity for duplicates, and dates. */
export interface CorpusIncident extends FoldIncident {
  contentHash: string | null;
  date: string | null;
}

/**
 * Documents that repeat another (the same bytes, or the same outputs word for word: a postmortem
 * saved twice, or pasted into a second file) count once, under the first id in order.
 */
export function findDuplicates(incidents: readonly CorpusIncident[]): {
  unique: CorpusIncident[];
  duplicates: DuplicateIncident[];
} {
  const seen = new Map<string, string>();
  const unique: CorpusIncident[] = [];
  const duplicates: DuplicateIncident[] = [];
  for (const incident of [...incidents].sort((left, right) => left.docId.localeCompare(right.docId))) {
    const outputs = normalizeForMatch(incident.sentences.join(' ')).replace(/[^a-z0-9 ]/g, '');
    const keys = [
      ...(incident.contentHash ? [`bytes:${incident.contentHash}`] : []),
      // Too little text to tell two incidents apart is no evidence of a duplicate.
      ...(outputs.length >= 80 ? [`text:${createHash('sha256').update(outputs).digest('hex')}`] : []),
    ];
    const original = keys.map((key) => seen.get(key)).find((id) => id !== undefined);
    if (original !== undefined) {
      duplicates.push({ incidentId: incident.docId, duplicateOf: original });
      continue;
    }
    for (const key of keys) seen.set(key, incident.docId);
    unique.push(incident);
  }
  return { unique, duplicates };
}

/**
 * Whether a member's quote supports its membership: the quote is (verbatim, normalized) one of the
 * member's sentences or a span of one, and it shares at least one content word with the theme's
 * name or description.
 */
export function supportsMembership(quote: string, incident: FoldIncident, draft: ThemeDraft): string | undefined {
  const wanted = normalizeForMatch(quote);
  if (wanted.length < 12) return 'its evidence is too short to support the theme';
  if (!incident.sentences.some((sentence) => normalizeForMatch(sentence).includes(wanted)))
    return "its evidence is not a sentence of the incident's outputs";
  const themeWords = contentWordsOf(`${draft.theme} ${draft.description}`);
  const quoteWords = contentWordsOf(quote);
  if (![...quoteWords].some((word) => themeWords.has(word))) return 'its evidence shares no word with the theme';
  return undefined;
}

export function patternIdOf(theme: string): string {
  const slug = theme
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 48);
  return `${slug || 'theme'}-${createHash('sha256').update(theme).digest('hex').slice(0, 6)}`;
}

function quarterOf(date: string): string | undefined {
  const match = /^(\d{4})-(\d{2})/.exec(date);
  if (!match) return undefined;
  return `${match[1]}-Q${Math.ceil(Number(match[2]) / 3)}`;
}

function mostCommon(values: readonly FaultCategory[], fallback: FaultCategory): FaultCategory {
  const counts = new Map<FaultCategory, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()].sort((left, right) => right[1] - left[1])[0]?.[0] ?? fallback;
}

/**
 * Turn the engine's drafts into the corpus fold: members checked, each incident in at most one
 * theme (the largest that holds it), themes of two or more, and every other incident accounted for.
 */
export function settleThemes(
  drafts: readonly ThemeDraft[],
  incidents: readonly CorpusIncident[],
  duplicates: DuplicateIncident[],
): FoldResult {
  const byId = new Map(incidents.map((incident) => [incident.docId, incident]));
  const dropped: DroppedMember[] = [];
  const checked = drafts.map((draft) => {
    const members: Array<{ incident: CorpusIncident; quote: string }> = [];
    const seen = new Set<string>();
    for (const id of draft.incidentIds) {
      if (seen.has(id)) continue;
      seen.add(id);
      const incident = byId.get(id);
      if (!incident) {
        dropped.push({ incidentId: id, theme: draft.theme, reason: 'no analysed incident has this id' });
        continue;
      }
      const quotes = draft.evidence.filter((evidence) => evidence.incidentId === id).map((evidence) => evidence.quote);
      if (quotes.length === 0) {
        dropped.push({ incidentId: id, theme: draft.theme, reason: 'the theme cites no evidence of this member' });
        continue;
      }
      const reasons = quotes.map((quote) => supportsMembership(quote, incident, draft));
      const supported = quotes.find((_, index) => reasons[index] === undefined);
      if (supported === undefined) {
        dropped.push({ incidentId: id, theme: draft.theme, reason: reasons[0] ?? 'unsupported' });
        continue;
      }
      members.push({ incident, quote: supported });
    }
    return { draft, members };
  });
  // Largest theme first: an incident two drafts claim stays in the larger one.
  checked.sort(
    (left, right) => right.members.length - left.members.length || left.draft.theme.localeCompare(right.draft.theme),
  );
  const placed = new Set<string>();
  const patterns: Pattern[] = [];
  const singles = new Map<string, string>();
  for (const { draft, members } of checked) {
    const own = members.filter((member) => !placed.has(member.incident.docId));
    if (own.length < 2) {
      for (const member of own)
        if (!singles.has(member.incident.docId)) singles.set(member.incident.docId, draft.theme);
      continue;
    }
    for (const member of own) placed.add(member.incident.docId);
    const ordered = [...own].sort((left, right) => left.incident.docId.localeCompare(right.incident.docId));
    const dates = ordered
      .map((member) => member.incident.date)
      .filter((date): date is string => date !== null)
      .sort();
    const byQuarter: Record<string, number> = {};
    for (const date of dates) {
      const quarter = quarterOf(date);
      if (quarter) byQuarter[quarter] = (byQuarter[quarter] ?? 0) + 1;
    }
    const technologies = [...new Set(ordered.flatMap((member) => member.incident.technologies))].sort();
    patterns.push({
      id: patternIdOf(draft.theme),
      theme: draft.theme,
      description: draft.description,
      technologies,
      faultCategory: mostCommon(
        ordered.map((member) => member.incident.faultCategory),
        draft.faultCategory,
      ),
      contributingFactors: draft.contributingFactors,
      incidentIds: ordered.map((member) => member.incident.docId),
      count: ordered.length,
      evidence: ordered.map((member) => ({ incidentId: member.incident.docId, quote: member.quote })),
      firstSeen: dates[0] ?? null,
      lastSeen: dates.at(-1) ?? null,
      byQuarter,
    });
  }
  const notRecurring: NotRecurring[] = [];
  const noCatalog: NoCatalogIncident[] = [];
  for (const incident of [...incidents].sort((left, right) => left.docId.localeCompare(right.docId))) {
    if (placed.has(incident.docId)) continue;
    if (incident.technologies.length === 0) {
      noCatalog.push({ incidentId: incident.docId, faultCategory: incident.faultCategory });
      continue;
    }
    notRecurring.push({
      incidentId: incident.docId,
      theme: singles.get(incident.docId) ?? null,
      technologies: [...incident.technologies].sort(),
      faultCategory: incident.faultCategory,
    });
  }
  // Two themes of the same name (a model may reuse one) keep distinct ids.
  const ids = new Map<string, number>();
  for (const pattern of patterns) {
    const seen = ids.get(pattern.id) ?? 0;
    ids.set(pattern.id, seen + 1);
    if (seen > 0) pattern.id = `${pattern.id}-${seen + 1}`;
  }
  return {
    patterns: patterns.sort((left, right) => right.count - left.count || left.id.localeCompare(right.id)),
    notRecurring,
    noCatalog,
    duplicates,
    dropped,
  };
}
