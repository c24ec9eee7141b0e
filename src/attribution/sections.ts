/** What the section a mention sits in says about a cause. */
import type { SectionRole } from '../schemas/index.ts';

/** How much a mention in a section of each role says about a cause. */
export const ROLE_WEIGHT: Record<SectionRole, number> = {
  'root-cause': 3,
  'contributing-factors': 2,
  summary: 1.5,
  detection: 1,
  timeline: 1,
  other: 1,
  resolution: 0.6,
  impact: 0.5,
  lessons: 0.4,
  background: 0.3,
  'action-items': 0,
  references: 0,
};

/** Sections where a statement of a cause can stand; impact, resolution, background and lessons are not among them. */
export const CAUSE_BEARING_ROLES = new Set<SectionRole>([
  'root-cause',
  'contributing-factors',
  'summary',
  'timeline',
  'detection',
  'other',
]);

/**
 * A heading that asks why ("Why", "Why it happened", "Why the data disappeared") opens an
 * explanation of the cause even when the ingest did not know it as a root-cause heading; a "why"
 * about noticing late ("Why no one noticed sooner", "Why the alert did not fire") explains the
 * detection, not the cause.
 */
const EXPLAINING_HEADING =
  /^\W*why\b(?![^.]*\b(?:notic\w*|caught|detect\w*|alert\w*|sooner|page[ds]?|took so long|escalat\w*))/i;

/**
 * A heading that is only the state of a status-page update ("Resolved", "Monitoring", "Identified"):
 * it dates the update, it does not say what the text under it tells. The final update often holds
 * the whole story (a recap of the cause and the fix), so its text weighs as narrative.
 */
const STATUS_HEADING = /^\W*(?:resolved|monitoring|identified|investigating|update[sd]?|final update)\W*$/i;

export function underStatusHeading(sentence: { heading: string }): boolean {
  return STATUS_HEADING.test(sentence.heading.trim());
}

/**
 * The opening of a chat or log line before what it says: a time stamp ("10:02", "[02:14:05]") and a sender
 * ("pagerbot:", "nuno.a:"), each optional.
 */
export const LINE_STAMP = /^\s*(?:\[?\d{1,2}:\d{2}(?::\d{2})?\]?\s+)?(?:[\w.@-]{1,30}:\s+)?/;

/**
 * A sentence that opens on a label naming the cause ("Root cause: ...", "cause: ...", "Why: ..."),
 * after at most a chat or timeline stamp and an author ("14:02 dana: cause: ..."): an inline
 * root-cause heading the ingest kept inside the line. Only the label at the opening counts: "the
 * cause: unknown" deep in a sentence is not one.
 */
const CAUSE_LABEL =
  /^(?:(?:\[?\d{1,2}:\d{2}(?::\d{2})?\]?|[\w.@-]{1,30}:)\s+){0,3}(?:the\s+)?(?:(?:root|underlying|actual|real|primary|direct)[- ]?causes?|causes?|why)\s*:\s+\S/i;

/** Whether a sentence opens on a label naming the cause: see CAUSE_LABEL. */
export function opensOnCauseLabel(text: string): boolean {
  return CAUSE_LABEL.test(text);
}

/**
 * How much a sentence's section says about a cause: its role's weight, or a root cause's under a
 * heading asking why or after an inline cause label.
 */
export function causeWeightOf(sentence: { role: SectionRole; heading: string; text?: string }): number {
  if (sentence.role === 'other' && EXPLAINING_HEADING.test(sentence.heading)) return ROLE_WEIGHT['root-cause'];
  if (sentence.text !== undefined && CAUSE_BEARING_ROLES.has(sentence.role) && opensOnCauseLabel(sentence.text))
    return ROLE_WEIGHT['root-cause'];
  if (underStatusHeading(sentence)) return Math.max(ROLE_WEIGHT[sentence.role], ROLE_WEIGHT.other);
  return ROLE_WEIGHT[sentence.role];
}
