/**
 * The opportunity score (docs/ranking.md): a sum of parts, each on a stated scale, every part
 * monotone (one more incident, one more severe incident, one more hour, customer or dollar never
 * lowers it), and review needs always cost something, so an opportunity that rests on evidence
 * needing review never outranks an equal one without. No model takes part.
 */
import { severityLevelOf, SEVERITY_LEVELS } from '../metadata/severity.ts';
import { MeasuredImpact, type IncidentMetadata, type ScoreBreakdown } from '../schemas/index.ts';

/** Points per distinct incident. */
export const RECURRENCE_POINTS = 3;
/** Points per incident by normalised severity: SEV0 5, SEV1 4, SEV2 3, SEV3 2, SEV4 1, SEV5 and unknown 0. */
export function severityPoints(severity: string | undefined): number {
  const level = severityLevelOf(severity);
  if (level === undefined) return 0;
  return Math.max(0, 5 - SEVERITY_LEVELS.indexOf(level));
}
/** Points subtracted per member whose evidence needs review. */
export const REVIEW_PENALTY = 0.5;
/** The severity at or above which one incident alone is an opportunity (SEV1: "critical", "P1", "S1"...). */
export const SINGLE_INCIDENT_SEVERITY = 'SEV1';

/** Whether a single, not (yet) recurring incident is severe enough to be an opportunity of its own. */
export function severeEnoughAlone(severity: string | undefined): boolean {
  const level = severityLevelOf(severity);
  return level !== undefined && SEVERITY_LEVELS.indexOf(level) <= SEVERITY_LEVELS.indexOf(SINGLE_INCIDENT_SEVERITY);
}

function sumOf(values: Array<number | undefined>): number | null {
  const present = values.filter((value): value is number => value !== undefined);
  return present.length === 0 ? null : present.reduce((total, value) => total + value, 0);
}

/** Severities that documents state themselves (front matter, a labelled opening), by incident id. */
export type StatedSeverities = ReadonlyMap<string, string>;

const NONE_STATED: StatedSeverities = new Map();

/** An incident's severity for ranking: the metadata file's, else the one its document states. */
export function severityOfIncident(
  id: string,
  metadata: ReadonlyMap<string, IncidentMetadata>,
  stated: StatedSeverities = NONE_STATED,
): string | undefined {
  return metadata.get(id)?.severity ?? stated.get(id);
}

/**
 * Impact of a set of incidents: durations, customers and cost from the metadata file only; severity
 * from the file, else from the document itself (normalised either way). `incidentsWithMetadata`
 * counts the file's rows.
 */
export function measureImpact(
  incidentIds: readonly string[],
  metadata: ReadonlyMap<string, IncidentMetadata>,
  stated: StatedSeverities = NONE_STATED,
): MeasuredImpact {
  const rows = incidentIds.map((id) => metadata.get(id)).filter((row): row is IncidentMetadata => row !== undefined);
  const severities: Record<string, number> = {};
  for (const id of incidentIds) {
    const severity = severityOfIncident(id, metadata, stated);
    if (!severity) continue;
    const level = severityLevelOf(severity) ?? severity;
    severities[level] = (severities[level] ?? 0) + 1;
  }
  return MeasuredImpact.parse({
    incidents: incidentIds.length,
    incidentsWithMetadata: rows.length,
    totalDurationMinutes: sumOf(rows.map((row) => row.durationMinutes)),
    totalCustomersAffected: sumOf(rows.map((row) => row.customersAffected)),
    totalCost: sumOf(rows.map((row) => row.cost)),
    severities,
  });
}

const round = (value: number) => Math.round(value * 100) / 100;

/**
 * recurrence = 3 per incident; severity = the members' severity points; duration = log2(1 + total
 * hours); customers = log10(1 + customers affected); cost = log10(1 + cost in dollars); review =
 * −0.5 per member needing review. Durations, customers and cost grow on log scales so one long
 * incident cannot outweigh several severe ones.
 */
export function scoreOpportunity(
  impact: MeasuredImpact,
  incidentIds: readonly string[],
  metadata: ReadonlyMap<string, IncidentMetadata>,
  needsReview: number,
  stated: StatedSeverities = NONE_STATED,
): { score: number; breakdown: ScoreBreakdown } {
  const breakdown: ScoreBreakdown = {
    recurrence: round(RECURRENCE_POINTS * impact.incidents),
    severity: incidentIds.reduce((total, id) => total + severityPoints(severityOfIncident(id, metadata, stated)), 0),
    duration: round(Math.log2(1 + (impact.totalDurationMinutes ?? 0) / 60)),
    customers: round(Math.log10(1 + (impact.totalCustomersAffected ?? 0))),
    cost: round(Math.log10(1 + (impact.totalCost ?? 0))),
    review: needsReview === 0 ? 0 : round(-REVIEW_PENALTY * needsReview),
  };
  const score = round(
    breakdown.recurrence +
      breakdown.severity +
      breakdown.duration +
      breakdown.customers +
      breakdown.cost +
      breakdown.review,
  );
  return { score, breakdown };
}
