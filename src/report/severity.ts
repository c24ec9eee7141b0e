import type { ReportDocument } from '../schemas/index.ts';

/**
 * Severity as written by teams (SEV1, P1, S1, "Sev 1", critical, major...), normalised to a level
 * where 0 is the worst. Only used to order and group incidents; the report still shows the text
 * the document or the metadata file gave.
 */
export interface NormalisedSeverity {
  /** 0 (worst) to 5; null when the text is missing or not recognised. */
  level: number | null;
  /** "SEV1", "SEV2"... or "unknown". */
  label: string;
}

const NUMBERED = /^(?:sev(?:erity)?|s|p|pri(?:ority)?|incident|inc|level|lvl|l)?(\d)$/;

const WORDS: Record<string, number> = {
  emergency: 0,
  blocker: 0,
  catastrophic: 0,
  critical: 1,
  crit: 1,
  urgent: 1,
  highest: 1,
  major: 2,
  high: 2,
  medium: 3,
  moderate: 3,
  normal: 3,
  minor: 4,
  low: 4,
  lowest: 5,
  trivial: 5,
  info: 5,
  informational: 5,
  cosmetic: 5,
};

const MAX_LEVEL = 5;

/** "SEV1", "P1", "S1", "sev-1", "Severity 1", "critical"... → level 1. */
export function normaliseSeverity(severity: string | null | undefined): NormalisedSeverity {
  const compact = (severity ?? '').toLowerCase().replace(/[\s_:.\-–()]+/g, '');
  const numbered = NUMBERED.exec(compact);
  let level: number | null = null;
  if (numbered) level = Math.min(Number(numbered[1]), MAX_LEVEL);
  else if (Object.hasOwn(WORDS, compact)) level = WORDS[compact] ?? null;
  else {
    // "SEV1 - Critical", "P2 (high)": the leading token decides.
    const leading = /^(?:sev(?:erity)?|s|p|pri(?:ority)?)(\d)/.exec(compact);
    if (leading) level = Math.min(Number(leading[1]), MAX_LEVEL);
  }
  return { level, label: level === null ? 'unknown' : `SEV${level}` };
}

/** A number to sort by: the level, unknown severities after every known one. */
export function severitySortKey(severity: string | null | undefined): number {
  return normaliseSeverity(severity).level ?? MAX_LEVEL + 1;
}

/** Most severe first, then the most recent first (undated last), then by title and id. */
export function compareIncidents(left: ReportDocument, right: ReportDocument): number {
  const bySeverity = severitySortKey(left.severity) - severitySortKey(right.severity);
  if (bySeverity !== 0) return bySeverity;
  if (left.date !== right.date) {
    if (left.date === null) return 1;
    if (right.date === null) return -1;
    return left.date < right.date ? 1 : -1;
  }
  return left.title.localeCompare(right.title) || left.docId.localeCompare(right.docId);
}

/** Incidents in report order: severity, then date. */
export function orderIncidents(documents: readonly ReportDocument[]): ReportDocument[] {
  return [...documents].sort(compareIncidents);
}
