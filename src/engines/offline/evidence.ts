/**
 * The offline engine's evidence: every catalog technology a postmortem names, scored by what the
 * context of each mention says (the attribution reading), plus sentences that describe one failing
 * without naming it.
 */
import type { TechnologyMatcher } from '../../catalog/index.ts';
import type { Postmortem, SectionRole } from '../../schemas/index.ts';
import { sentencesOf, type SourceSentence } from '../../text/sentences.ts';
import { assess, CAUSAL_CUE, FAILURE_STATE, NEGATION, PROPOSAL, ROLE_WEIGHT, SUSPICION, UPSTREAM, VICTIM, type MentionAssessment } from '../../attribution/index.ts';

export interface TechnologyAssessment {
  technology: string;
  score: number;
  candidates: MentionAssessment[];
  nonCausal: MentionAssessment[];
  inTitle: boolean;
}

/** Generic names for each catalog kind, for sentences that describe the failure without naming the product. */
const GENERIC_NOUNS: Record<string, RegExp> = {
  database: /\b(the|our|its|that|this) (database|db|primary|replica|writer|reader|cluster|table)s?\b/i,
  cache: /\b(the|our|its|that|this) (cache|cache cluster|cache nodes?|cache layer)\b/i,
  queue: /\b(the|our|its|that|this) (queue|broker|brokers|topic|consumers?|consumer group)\b/i,
  'object-store': /\b(the|our|its|that|this) (bucket|buckets|object store)\b/i,
  search: /\b(the|our|its|that|this) (search cluster|cluster|index|indices|shards?|nodes)\b/i,
  coordination: /\b(the|our|its|that|this) (quorum|ensemble|control plane)\b/i,
};

/** How much an unnamed sentence counts toward a technology, relative to a named one. */
const SIGNAL_FACTOR = 0.6;
const GENERIC_FACTOR = 0.4;
const INDIRECT_ROLES = new Set<SectionRole>(['root-cause', 'contributing-factors', 'summary', 'other', 'timeline', 'detection']);

/**
 * A sentence that names no catalog technology can still describe one failing: by its own
 * vocabulary ("autovacuum", "consumer group") or by a generic noun ("the database") when only one
 * technology of that kind is named in the document.
 */
function indirectCandidates(sentence: SourceSentence, matcher: TechnologyMatcher, named: ReadonlyMap<string, TechnologyAssessment>): MentionAssessment[] {
  if (!INDIRECT_ROLES.has(sentence.role) || sentence.isHeading) return [];
  const text = sentence.text;
  if (!FAILURE_STATE.test(text) || NEGATION.test(text) || UPSTREAM.test(text) || VICTIM.test(text) || SUSPICION.test(text) || PROPOSAL.test(text)) return [];
  const causalFactor = CAUSAL_CUE.test(text) ? 1.5 : 1;
  const base = ROLE_WEIGHT[sentence.role] * 2 * causalFactor;
  const results: MentionAssessment[] = [];
  const signalled = matcher.signalledIn(text);
  for (const technology of signalled) {
    if ((named.get(technology)?.candidates.length ?? 0) > 0) results.push({ technology, sentence, context: null, weight: base * SIGNAL_FACTOR });
  }
  const byKind = new Map<string, string[]>();
  for (const assessment of named.values()) {
    if (assessment.candidates.length === 0) continue;
    const kind = matcher.kindOf(assessment.technology);
    if (kind) byKind.set(kind, [...(byKind.get(kind) ?? []), assessment.technology]);
  }
  for (const [kind, technologies] of byKind) {
    const only = technologies.length === 1 ? technologies[0] : undefined;
    if (only && !signalled.has(only) && GENERIC_NOUNS[kind]?.test(text)) results.push({ technology: only, sentence, context: null, weight: base * GENERIC_FACTOR });
  }
  return results;
}

/** Every catalog technology named in a postmortem, with the evidence for and against it causing the incident. */
export function assessTechnologies(postmortem: Postmortem, matcher: TechnologyMatcher): TechnologyAssessment[] {
  const byTechnology = new Map<string, TechnologyAssessment>();
  const entry = (technology: string): TechnologyAssessment => {
    let found = byTechnology.get(technology);
    if (!found) {
      found = { technology, score: 0, candidates: [], nonCausal: [], inTitle: false };
      byTechnology.set(technology, found);
    }
    return found;
  };
  for (const technology of matcher.namedIn(postmortem.title)) entry(technology).inTitle = true;
  const sentences = sentencesOf(postmortem, { headings: true });
  const unnamed: SourceSentence[] = [];
  for (const sentence of sentences) {
    const seen = new Set<string>();
    const mentions = matcher.find(sentence.text);
    if (mentions.length === 0) unnamed.push(sentence);
    for (const mention of mentions) {
      const assessment = assess(sentence, mention.technology, mention.start, mention.end);
      const target = entry(mention.technology);
      if (assessment.context === null) {
        if (seen.has(mention.technology)) continue;
        seen.add(mention.technology);
        target.candidates.push(assessment);
        target.score += assessment.weight;
      } else {
        target.nonCausal.push(assessment);
        if (assessment.context === 'negated') target.score -= 2;
      }
    }
  }
  for (const sentence of unnamed) {
    for (const assessment of indirectCandidates(sentence, matcher, byTechnology)) {
      const target = entry(assessment.technology);
      target.candidates.push(assessment);
      target.score += assessment.weight;
    }
  }
  return [...byTechnology.values()].sort((left, right) => right.score - left.score);
}
