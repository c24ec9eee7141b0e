import {
  MeasuredImpact,
  Opportunity,
  type Classification,
  type Digest,
  type IncidentMetadata,
  type Pattern,
  type Postmortem,
  type Summary,
} from '../schemas/index.ts';
import { StageError } from '../errors.ts';
import { disagreements, guardAttribution } from '../trust/attribution-guard.ts';
import { hashOf } from './cache.ts';
import { STAGES } from './registry.ts';
import { runCached, type StageContext } from './stage.ts';

export { runCached, STAGE_VERSIONS, type StageContext, type StageObserver, type TrustSettings } from './stage.ts';
export { ResultCache, hashOf } from './cache.ts';

/** The identity of a postmortem for caching: its id and the hash of its bytes. */
function documentIdentity(postmortem: Postmortem): unknown {
  return { id: postmortem.id, contentHash: postmortem.contentHash };
}

export function summarize(postmortem: Postmortem, context: StageContext): Promise<Summary> {
  return runCached(
    'summarize',
    postmortem.id,
    documentIdentity(postmortem),
    STAGES.summarize.output,
    context,
    async () => {
      const result = await context.engine.summarize(postmortem);
      return { ...result, output: { ...(result.output as object), docId: postmortem.id } };
    },
  );
}

/**
 * Classify, then guard: a cause stands only on a verified quote naming it in a causal context
 * (else it is demoted to "mentioned" and flagged), and a model's causes are cross-checked against
 * the offline engine's when the context passes that check in (disagreements flagged). The guard
 * runs on every read, cached or not.
 */
export async function classify(
  postmortem: Postmortem,
  summary: Summary,
  catalogHash: string,
  context: StageContext,
): Promise<Classification> {
  const classification = await runCached(
    'classify',
    postmortem.id,
    { document: documentIdentity(postmortem), summary: hashOf(summary), catalogHash },
    STAGES.classify.output,
    context,
    async () => {
      const result = await context.engine.classify({ postmortem, summary });
      return { ...result, output: { ...(result.output as object), docId: postmortem.id } };
    },
  );
  if (!context.trust) return classification;
  const guarded = guardAttribution(classification, postmortem, context.trust.matcher).classification;
  if (!context.trust.crossCheck) return guarded;
  const second = context.trust.crossCheck(postmortem);
  return { ...guarded, flags: [...guarded.flags, ...disagreements(guarded, second)] };
}

export function analyze(
  postmortem: Postmortem,
  summary: Summary,
  classification: Classification,
  technology: string,
  context: StageContext,
): Promise<Digest> {
  const identity = { document: documentIdentity(postmortem), classification: hashOf(classification), technology };
  return runCached('analyze', `${postmortem.id}#${technology}`, identity, STAGES.analyze.output, context, async () => {
    const result = await context.engine.analyze({ postmortem, summary, classification, technology });
    return { ...result, output: { ...(result.output as object), docId: postmortem.id, technology } };
  });
}

/**
 * Fold all digests into patterns. Every incident id a pattern cites must be a document with a
 * digest for that pattern's technology: lineage is checked here, for every engine.
 */
export async function foldPatterns(digests: Digest[], context: StageContext): Promise<Pattern[]> {
  const sorted = [...digests].sort((left, right) =>
    `${left.docId}#${left.technology}`.localeCompare(`${right.docId}#${right.technology}`),
  );
  const patterns = await runCached(
    'patterns',
    'corpus',
    { digests: hashOf(sorted) },
    STAGES.patterns.output,
    context,
    () => context.engine.foldPatterns({ digests: sorted }),
  );
  const supported = new Set(digests.map((digest) => `${digest.docId}#${digest.technology}`));
  for (const pattern of patterns) {
    const unsupported = pattern.incidentIds.filter((id) => !supported.has(`${id}#${pattern.technology}`));
    if (unsupported.length > 0)
      throw new StageError(
        'patterns',
        'corpus',
        `pattern ${pattern.id} cites incidents without a ${pattern.technology} digest: ${unsupported.join(', ')}`,
      );
  }
  return patterns;
}

const SEVERITY_POINTS: Record<string, number> = {
  sev0: 5,
  sev1: 4,
  sev2: 3,
  sev3: 2,
  sev4: 1,
  p0: 5,
  p1: 4,
  p2: 3,
  p3: 2,
  p4: 1,
  critical: 4,
  high: 3,
  major: 3,
  medium: 2,
  minor: 1,
  low: 1,
};

function severityPoints(severity: string | undefined): number {
  if (!severity) return 0;
  return SEVERITY_POINTS[severity.toLowerCase().replace(/[\s_-]+/g, '')] ?? 0;
}

function sumOf(values: Array<number | undefined>): number | null {
  const present = values.filter((value): value is number => value !== undefined);
  return present.length === 0 ? null : present.reduce((total, value) => total + value, 0);
}

/** Impact of a set of incidents, taken only from the metadata file. */
export function measureImpact(
  incidentIds: readonly string[],
  metadata: ReadonlyMap<string, IncidentMetadata>,
): MeasuredImpact {
  const rows = incidentIds.map((id) => metadata.get(id)).filter((row): row is IncidentMetadata => row !== undefined);
  const severities: Record<string, number> = {};
  for (const row of rows) if (row.severity) severities[row.severity] = (severities[row.severity] ?? 0) + 1;
  return MeasuredImpact.parse({
    incidents: incidentIds.length,
    incidentsWithMetadata: rows.length,
    totalDurationMinutes: sumOf(rows.map((row) => row.durationMinutes)),
    totalCustomersAffected: sumOf(rows.map((row) => row.customersAffected)),
    totalCost: sumOf(rows.map((row) => row.cost)),
    severities,
  });
}

/**
 * Rank by measured impact: incident count, severity points, hours of duration and the orders
 * of magnitude of customers and cost. Documented in the README; no model takes part.
 */
export function impactScore(
  impact: MeasuredImpact,
  incidentIds: readonly string[],
  metadata: ReadonlyMap<string, IncidentMetadata>,
): number {
  const severity = incidentIds.reduce((total, id) => total + severityPoints(metadata.get(id)?.severity), 0);
  const hours = (impact.totalDurationMinutes ?? 0) / 60;
  const score =
    impact.incidents * 2 +
    severity +
    hours +
    Math.log10(1 + (impact.totalCustomersAffected ?? 0)) +
    Math.log10(1 + (impact.totalCost ?? 0));
  return Math.round(score * 100) / 100;
}

/** Opportunities: the engine words them, the numbers come from the metadata file only. */
export async function proposeOpportunities(
  patterns: Pattern[],
  metadata: ReadonlyMap<string, IncidentMetadata>,
  context: StageContext,
): Promise<Opportunity[]> {
  const texts = await runCached(
    'opportunities',
    'corpus',
    { patterns: hashOf(patterns) },
    STAGES.opportunities.output,
    context,
    () => context.engine.describeOpportunities({ patterns }),
  );
  const byId = new Map(patterns.map((pattern) => [pattern.id, pattern]));
  const opportunities: Opportunity[] = [];
  for (const text of texts) {
    const pattern = byId.get(text.patternId);
    if (!pattern) continue;
    const impact = measureImpact(pattern.incidentIds, metadata);
    opportunities.push(
      Opportunity.parse({
        id: `opportunity-${pattern.id}`,
        title: text.title,
        rationale: text.rationale,
        technology: pattern.technology,
        patternIds: [pattern.id],
        incidentIds: pattern.incidentIds,
        impact,
        score: impactScore(impact, pattern.incidentIds, metadata),
      }),
    );
  }
  return opportunities.sort((left, right) => right.score - left.score || left.id.localeCompare(right.id));
}
