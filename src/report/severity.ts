import { SEVERITY_LEVELS, severityLevelOf } from '../metadata/severity.ts';
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

const MAX_LEVEL = SEVERITY_LEVELS.length - 1;

/**
 * "SEV1", "P1", "S1", "sev-1", "Severity 1", "critical"... → level 1: the one reading of
 * src/metadata/severity.ts, so the report orders incidents on the scale the ranking scores them on.
 */
export function normaliseSeverity(severity: string | null | undefined): NormalisedSeverity {
  const named = severityLevelOf(severity ?? undefined);
  const level = named === undefined ? null : SEVERITY_LEVELS.indexOf(named);
  return { level, label: named ?? 'unknown' };
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
