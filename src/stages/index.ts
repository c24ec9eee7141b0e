import {
  Opportunity,
  type Classification,
  type Digest,
  type FoldResult,
  type IncidentMetadata,
  type Postmortem,
  type Summary,
} from '../schemas/index.ts';
import type { FoldIncident, OpportunitySubject } from '../engines/engine.ts';
import { measureImpact, scoreOpportunity, severeEnoughAlone, severityOfIncident } from './ranking.ts';
import { findDuplicates, settleThemes, type CorpusIncident } from './themes.ts';
import { disagreements, guardAttribution } from '../trust/attribution-guard.ts';
import { hashOf } from './cache.ts';
import { STAGES } from './registry.ts';
import { runCached, type StageContext } from './stage.ts';

export { runCached, STAGE_VERSIONS, type StageContext, type StageObserver, type TrustSettings } from './stage.ts';
export { ResultCache, hashOf, type StageCache } from './cache.ts';
export { PackedResultCache } from './packed-cache.ts';
export { measureImpact, scoreOpportunity } from './ranking.ts';
export type { CorpusIncident } from './themes.ts';

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
 * Fold the corpus into themes. Documents that repeat another count once; the engine proposes
 * themes; then every member's evidence is checked against its own outputs, each incident stays in
 * one theme, and every incident is accounted for (see themes.ts), for every engine alike.
 */
export async function foldPatterns(incidents: CorpusIncident[], context: StageContext): Promise<FoldResult> {
  const { unique, duplicates } = findDuplicates(incidents);
  const input: FoldIncident[] = unique.map((incident) => ({
    docId: incident.docId,
    technologies: incident.technologies,
    faultCategory: incident.faultCategory,
    faultSecondary: incident.faultSecondary,
    sentences: incident.sentences,
    causeSentences: incident.causeSentences,
    contributingFactors: incident.contributingFactors,
  }));
  const drafts = await runCached(
    'patterns',
    'corpus',
    { incidents: hashOf(input) },
    STAGES.patterns.output,
    context,
    () => context.engine.foldPatterns({ incidents: input }),
  );
  return settleThemes(drafts, unique, duplicates);
}

/**
 * What ranking takes from an incident's own outputs: how far they can be trusted (its causes'
 * confidence, whether a reviewer must look) and the severity its document states, if any.
 */
export interface IncidentStanding {
  confidence: number;
  needsReview: boolean;
  severity?: string;
}

/** What the opportunity writer is told of a theme. */
export function opportunitySubjectOf(pattern: FoldResult['patterns'][number]): OpportunitySubject {
  return {
    id: pattern.id,
    theme: pattern.theme,
    description: pattern.description,
    technologies: pattern.technologies,
    faultCategory: pattern.faultCategory,
    contributingFactors: pattern.contributingFactors,
    count: pattern.count,
  };
}

/**
 * Opportunities: one per theme, and one per incident that does not recur yet but is at or above
 * SINGLE_INCIDENT_SEVERITY. The engine words them; the numbers come from the metadata file (a
 * severity also from the document itself when the file gives none), ranked by scoreOpportunity
 * (docs/ranking.md), with the breakdown and confidence beside.
 */
export async function proposeOpportunities(
  fold: FoldResult,
  standing: ReadonlyMap<string, IncidentStanding>,
  metadata: ReadonlyMap<string, IncidentMetadata>,
  context: StageContext,
): Promise<Opportunity[]> {
  const stated = new Map(
    [...standing].flatMap(([id, { severity }]) => (severity === undefined ? [] : [[id, severity] as const])),
  );
  const severityOf = (id: string) => severityOfIncident(id, metadata, stated);
  const singles = [
    ...fold.notRecurring.map((entry) => ({ ...entry, theme: entry.theme })),
    ...fold.noCatalog.map((entry) => ({ ...entry, theme: null, technologies: [] as string[] })),
  ].filter((entry) => severeEnoughAlone(severityOf(entry.incidentId)));
  const subjects: Array<OpportunitySubject & { incidentIds: string[]; patternIds: string[] }> = [
    ...fold.patterns.map((pattern) => ({
      ...opportunitySubjectOf(pattern),
      incidentIds: pattern.incidentIds,
      patternIds: [pattern.id],
    })),
    ...singles.map((entry) => ({
      id: `incident-${entry.incidentId}`,
      theme: entry.theme ?? `One ${entry.faultCategory} incident`,
      description: `A single incident at ${severityOf(entry.incidentId) ?? 'high'} severity; it does not recur yet.`,
      technologies: entry.technologies,
      faultCategory: entry.faultCategory,
      contributingFactors: [],
      count: 1,
      incidentIds: [entry.incidentId],
      patternIds: [],
    })),
  ];
  const described: OpportunitySubject[] = subjects.map(
    ({ incidentIds: _ids, patternIds: _patterns, ...subject }) => subject,
  );
  const texts = await runCached(
    'opportunities',
    'corpus',
    { subjects: hashOf(described) },
    STAGES.opportunities.output,
    context,
    () => context.engine.describeOpportunities({ patterns: described }),
  );
  const byId = new Map(subjects.map((subject) => [subject.id, subject]));
  const opportunities: Opportunity[] = [];
  const seen = new Set<string>();
  for (const text of texts) {
    const subject = byId.get(text.patternId);
    if (!subject || seen.has(subject.id)) continue;
    seen.add(subject.id);
    const impact = measureImpact(subject.incidentIds, metadata, stated);
    const reviewIds = subject.incidentIds.filter((id) => standing.get(id)?.needsReview === true);
    const { score, breakdown } = scoreOpportunity(impact, subject.incidentIds, metadata, reviewIds.length, stated);
    const confidences = subject.incidentIds.map((id) => standing.get(id)?.confidence ?? 1);
    opportunities.push(
      Opportunity.parse({
        id: `opportunity-${subject.id}`,
        title: text.title,
        rationale: text.rationale,
        technologies: subject.technologies,
        patternIds: subject.patternIds,
        incidentIds: subject.incidentIds,
        impact,
        score,
        scoreBreakdown: breakdown,
        confidence:
          Math.round((confidences.reduce((total, value) => total + value, 0) / confidences.length) * 100) / 100,
        needsReview: reviewIds,
      }),
    );
  }
  return opportunities.sort(
    (left, right) =>
      right.score - left.score || left.needsReview.length - right.needsReview.length || left.id.localeCompare(right.id),
  );
}
