import type { TechnologyMatcher } from '../../catalog/index.ts';
import type { MentionContext, Postmortem, SectionRole } from '../../schemas/index.ts';
import { sentencesOf, type SourceSentence } from '../../text/sentences.ts';
import { CAUSAL_CUE, FAILURE_STATE, NEGATION, PROPOSAL, UPSTREAM, URL_PATTERN, VICTIM } from './cues.ts';

/** How much a mention in a section of each role says about a cause. */
const ROLE_WEIGHT: Record<SectionRole, number> = {
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

/** One mention of a technology in a sentence, with what its context says. */
export interface MentionAssessment {
  technology: string;
  sentence: SourceSentence;
  /** null when the mention is a candidate cause; otherwise why it is not one. */
  context: MentionContext | null;
  weight: number;
}

export interface TechnologyAssessment {
  technology: string;
  score: number;
  candidates: MentionAssessment[];
  nonCausal: MentionAssessment[];
  inTitle: boolean;
}

const CLAUSE_BREAK = /\s*(?:[;:]|,\s*(?:but|while|whereas|and|so|which|although|though)\b|\b(?:but|however|whereas|while|although|though|except)\b|\u2014|\s-\s)\s*/i;

/** The clause of a sentence that holds the character at `position`. */
export function clauseAt(text: string, position: number): string {
  let start = 0;
  const breaker = new RegExp(CLAUSE_BREAK.source, 'gi');
  let match: RegExpExecArray | null;
  while ((match = breaker.exec(text)) !== null) {
    if (match.index >= position) return text.slice(start, match.index);
    start = match.index + match[0].length;
    if (match[0].length === 0) breaker.lastIndex += 1;
  }
  return text.slice(start);
}

function insideUrl(text: string, start: number): boolean {
  for (const match of text.matchAll(URL_PATTERN)) {
    if (start >= match.index && start < match.index + match[0].length) return true;
  }
  return false;
}

/** Decide what one mention's context says: a non-causal context, or a weighted candidate. */
function assess(sentence: SourceSentence, technology: string, start: number, end: number): MentionAssessment {
  const base = { technology, sentence };
  const text = sentence.text;
  if (insideUrl(text, start)) return { ...base, context: 'link', weight: 0 };
  if (sentence.role === 'references') return { ...base, context: 'link', weight: 0 };
  if (sentence.role === 'action-items') return { ...base, context: 'action-item', weight: 0 };
  const clause = clauseAt(text, start);
  const near = text.slice(Math.max(0, start - 80), Math.min(text.length, end + 80));
  if (NEGATION.test(clause)) return { ...base, context: 'negated', weight: 0 };
  if (UPSTREAM.test(clause)) return { ...base, context: 'upstream-provider', weight: 0 };
  if (VICTIM.test(clause) && !CAUSAL_CUE.test(text.slice(0, start))) return { ...base, context: 'victim', weight: 0 };
  if (sentence.role === 'lessons' && PROPOSAL.test(text)) return { ...base, context: 'action-item', weight: 0 };
  if (sentence.isListItem && PROPOSAL.test(text) && !FAILURE_STATE.test(clause)) return { ...base, context: 'action-item', weight: 0 };
  let weight = ROLE_WEIGHT[sentence.role];
  const failing = FAILURE_STATE.test(clause) || FAILURE_STATE.test(near);
  const causal = CAUSAL_CUE.test(text);
  weight *= failing ? 2 : 0.5;
  if (causal) weight *= 1.5;
  if (PROPOSAL.test(clause) && !failing) weight *= 0.3;
  const context: MentionContext | null = weight > 0 ? null : sentence.role === 'background' ? 'background' : 'other';
  return { ...base, context, weight };
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
  for (const sentence of sentencesOf(postmortem, { headings: true })) {
    const seen = new Set<string>();
    for (const mention of matcher.find(sentence.text)) {
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
  return [...byTechnology.values()].sort((left, right) => right.score - left.score);
}
