/**
 * What the context of one mention of a technology says: a non-causal context (a link, an action
 * item, a negation, a third party, a victim list...), or a candidate cause with a weight.
 */
import type { MentionContext } from '../schemas/index.ts';
import type { SourceSentence } from '../text/sentences.ts';
import { clauseAt, labelledStatus, relativeClauseAfter } from './clauses.ts';
import { CAUSAL_CUE, CONFIRMATION, FAILURE_STATE, NEGATION, PROPOSAL, SUSPICION, UPSTREAM, VICTIM } from './cues.ts';
import { insideIdentifier, insideUrl } from './identifiers.ts';
import { ROLE_WEIGHT } from './sections.ts';

/** One mention of a technology in a sentence, with what its context says. */
export interface MentionAssessment {
  technology: string;
  sentence: SourceSentence;
  /** null when the mention is a candidate cause; otherwise why it is not one. */
  context: MentionContext | null;
  weight: number;
}

/** "no ZooKeeper", "without Redis": the name itself is denied. */
export const NEGATED_NAME = /\b(no|without|not|non|never)[\s-]+(\w+\s+)?$/i;

/** Decide what one mention's context says: a non-causal context, or a weighted candidate. */
export function assess(sentence: SourceSentence, technology: string, start: number, end: number): MentionAssessment {
  const base = { technology, sentence };
  const text = sentence.text;
  if (insideUrl(text, start) || insideIdentifier(text, start)) return { ...base, context: 'link', weight: 0 };
  if (sentence.role === 'references') return { ...base, context: 'link', weight: 0 };
  if (sentence.role === 'action-items') return { ...base, context: 'action-item', weight: 0 };
  const clause = clauseAt(text, start);
  const near = text.slice(Math.max(0, start - 80), Math.min(text.length, end + 80));
  if (NEGATION.test(clause) || NEGATION.test(relativeClauseAfter(text, start)) || NEGATION.test(labelledStatus(text, end)) || NEGATED_NAME.test(text.slice(Math.max(0, start - 20), start))) {
    return { ...base, context: 'negated', weight: 0 };
  }
  if (SUSPICION.test(clause) && !CONFIRMATION.test(text)) return { ...base, context: 'negated', weight: 0 };
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
  if (/\?\s*$/.test(clause) || /\?\s*$/.test(text)) weight *= 0.3;
  const context: MentionContext | null = weight > 0 ? null : sentence.role === 'background' ? 'background' : 'other';
  return { ...base, context, weight };
}
