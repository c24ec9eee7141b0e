/**
 * The offline engine's evidence: every catalog technology a postmortem names, scored by what the
 * context of each mention says (the attribution reading), plus sentences that describe one failing
 * without naming it.
 */
import type { TechnologyMatcher } from '../../catalog/index.ts';
import type { Postmortem, SectionRole } from '../../schemas/index.ts';
import { sentencesOf, type SourceSentence } from '../../text/sentences.ts';
import {
  assess,
  CAUSAL_CUE,
  clauseAt,
  EXONERATION,
  EXTERNAL_FAULT,
  FAILURE_STATE,
  misconfiguredSetting,
  NEGATION,
  OWN_BEHAVIOUR,
  PROPOSAL,
  ROLE_WEIGHT,
  SUSPICION,
  UPSTREAM,
  VICTIM,
  type MentionAssessment,
} from '../../attribution/index.ts';

export interface TechnologyAssessment {
  technology: string;
  score: number;
  candidates: MentionAssessment[];
  nonCausal: MentionAssessment[];
  inTitle: boolean;
  /** The document declares the technology innocent outright ("X wasn't doing anything wrong"). */
  exonerated: boolean;
  /** Sections holding a candidate: where the technology's part of the story is told. */
  sections: Set<number>;
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
const INDIRECT_ROLES = new Set<SectionRole>([
  'root-cause',
  'contributing-factors',
  'summary',
  'other',
  'timeline',
  'detection',
]);
/** How much a sentence that goes on about the topic (the technology last named) counts. */
const TOPIC_FACTOR = 0.5;
/** How many sentences after the naming one the topic stays in force. */
const TOPIC_SPAN = 3;
/** A sentence that opens by referring back: "It ...", "Its ...", "The cluster ...". */
const REFERS_BACK =
  /^(?:it|its|this|these|they|the (?:cluster|primary|replicas?|database|db|cache|queue|broker|brokers|bucket|table|index|nodes?|instance|topic|consumers?|shard|shards|master|leader|ensemble|quorum|members?|writer|reader))\b/i;

/** A sentence that tells a failure without naming a technology, with nothing that moves it elsewhere. */
function tellsUnnamedFailure(text: string): boolean {
  const failing = FAILURE_STATE.test(text) || OWN_BEHAVIOUR.test(text) || misconfiguredSetting(text);
  return (
    failing &&
    !NEGATION.test(text) &&
    !UPSTREAM.test(text) &&
    !VICTIM.test(text) &&
    !SUSPICION.test(text) &&
    !PROPOSAL.test(text)
  );
}

interface Topic {
  technology: string;
  sectionIndex: number;
  index: number;
}

/**
 * Coreference by topic: a sentence that names no technology and tells a failure is about the
 * technology named last in the same section, a few sentences back, unless the failure is
 * plainly someone else's (the network, the host, the client, our code).
 */
function topicCandidate(
  sentence: SourceSentence,
  topic: Topic | null,
  signalled: ReadonlySet<string>,
  matcher: TechnologyMatcher,
): MentionAssessment | null {
  if (!topic || topic.sectionIndex !== sentence.sectionIndex || sentence.index - topic.index > TOPIC_SPAN) return null;
  if (!INDIRECT_ROLES.has(sentence.role) || sentence.isHeading || signalled.has(topic.technology)) return null;
  const text = sentence.text;
  if (!tellsUnnamedFailure(text) || EXTERNAL_FAULT.test(text)) return null;
  // The sentence must point back at the topic: "It ...", "The cluster ...", or a generic noun of the topic's kind.
  const kind = matcher.kindOf(topic.technology);
  if (!REFERS_BACK.test(text) && !(kind && GENERIC_NOUNS[kind]?.test(text))) return null;
  const causalFactor = CAUSAL_CUE.test(text) ? 1.5 : 1;
  return {
    technology: topic.technology,
    sentence,
    context: null,
    weight: ROLE_WEIGHT[sentence.role] * 2 * causalFactor * TOPIC_FACTOR,
  };
}

/**
 * A sentence that names no catalog technology can still describe one failing: by its own
 * vocabulary ("autovacuum", "consumer group") or by a generic noun ("the database") when only one
 * technology of that kind is named in the document.
 */
function indirectCandidates(
  sentence: SourceSentence,
  matcher: TechnologyMatcher,
  named: ReadonlyMap<string, TechnologyAssessment>,
): MentionAssessment[] {
  if (!INDIRECT_ROLES.has(sentence.role) || sentence.isHeading) return [];
  const text = sentence.text;
  if (!tellsUnnamedFailure(text)) return [];
  const causalFactor = CAUSAL_CUE.test(text) ? 1.5 : 1;
  const base = ROLE_WEIGHT[sentence.role] * 2 * causalFactor;
  const results: MentionAssessment[] = [];
  const signalled = matcher.signalledIn(text);
  for (const technology of signalled) {
    if ((named.get(technology)?.candidates.length ?? 0) > 0)
      results.push({ technology, sentence, context: null, weight: base * SIGNAL_FACTOR });
  }
  // A generic noun ("the cluster") points at a named technology only when it fits exactly one of them.
  const fitting: string[] = [];
  for (const assessment of named.values()) {
    if (assessment.candidates.length === 0) continue;
    const kind = matcher.kindOf(assessment.technology);
    if (kind && GENERIC_NOUNS[kind]?.test(text)) fitting.push(assessment.technology);
  }
  const only = fitting.length === 1 ? fitting[0] : undefined;
  if (only && !signalled.has(only))
    results.push({ technology: only, sentence, context: null, weight: base * GENERIC_FACTOR });
  return results;
}

/** Every catalog technology named in a postmortem, with the evidence for and against it causing the incident. */
export function assessTechnologies(postmortem: Postmortem, matcher: TechnologyMatcher): TechnologyAssessment[] {
  const byTechnology = new Map<string, TechnologyAssessment>();
  const entry = (technology: string): TechnologyAssessment => {
    let found = byTechnology.get(technology);
    if (!found) {
      found = {
        technology,
        score: 0,
        candidates: [],
        nonCausal: [],
        inTitle: false,
        exonerated: false,
        sections: new Set(),
      };
      byTechnology.set(technology, found);
    }
    return found;
  };
  for (const technology of matcher.namedIn(postmortem.title)) entry(technology).inTitle = true;
  const sentences = sentencesOf(postmortem, { headings: true });
  const unnamed: Array<{ sentence: SourceSentence; topic: Topic | null }> = [];
  let topic: Topic | null = null;
  const add = (target: TechnologyAssessment, assessment: MentionAssessment): void => {
    target.candidates.push(assessment);
    target.score += assessment.weight;
    target.sections.add(assessment.sentence.sectionIndex);
  };
  for (const sentence of sentences) {
    const seen = new Set<string>();
    const mentions = matcher.find(sentence.text);
    if (mentions.length === 0) unnamed.push({ sentence, topic });
    const names = { spans: mentions };
    let named: string | null = null;
    for (const mention of mentions) {
      const assessment = assess(sentence, mention.technology, mention.start, mention.end, names);
      const target = entry(mention.technology);
      if (assessment.context === null) {
        named ??= mention.technology;
        if (seen.has(mention.technology)) continue;
        seen.add(mention.technology);
        add(target, assessment);
      } else {
        target.nonCausal.push(assessment);
        if (assessment.context === 'negated') target.score -= 2;
        if (assessment.context === 'negated' && EXONERATION.test(clauseAt(sentence.text, mention.start)))
          target.exonerated = true;
      }
    }
    if (mentions.length > 0)
      topic =
        named && !sentence.isHeading
          ? { technology: named, sectionIndex: sentence.sectionIndex, index: sentence.index }
          : null;
  }
  for (const { sentence, topic: current } of unnamed) {
    const indirect = indirectCandidates(sentence, matcher, byTechnology);
    for (const assessment of indirect) add(entry(assessment.technology), assessment);
    const covered = new Set(indirect.map((assessment) => assessment.technology));
    const byTopic = topicCandidate(sentence, current, covered, matcher);
    if (byTopic) add(entry(byTopic.technology), byTopic);
  }
  return [...byTechnology.values()].sort((left, right) => right.score - left.score);
}
