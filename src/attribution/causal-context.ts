/**
 * The attribution guard's reading of a cited mention: whether it sits in a causal context. Stricter
 * than a candidate of the offline engine: a cause-bearing section, failure language around the
 * name, no question, no reported speech, no service slug.
 */
import type { MentionContext } from '../schemas/index.ts';
import type { SourceSentence } from '../text/sentences.ts';
import { clauseAt } from './clauses.ts';
import { CAUSAL_CUE, FAILURE_STATE, NEGATION } from './cues.ts';
import { insideSlug, ownFlagOrCommandAt } from './identifiers.ts';
import { assess } from './mention.ts';
import { alternation, wordCue } from './pattern.ts';
import { CAUSE_BEARING_ROLES } from './sections.ts';

/**
 * What the guard accepts as talk of the failure around a cited name: the failure states the
 * classifier scores, plus plain words of breakage and effect (failed, errors, blocked, denied...).
 */
export const FAILURE_LANGUAGE = wordCue([
  /fail\w*/,
  /error\w*/,
  /outage/,
  /down\b/,
  /broke\w*/,
  /refus\w*/,
  /dropp\w*/,
  /lost/,
  /stuck/,
  /wait\w*/,
  /queu\w*/,
  /block\w*/,
  /holds?\b/,
  /held/,
  /den(y|ied|ies)/,
  /forbidden/,
  /403/,
  /unavailable/,
  /slow\w*/,
  /latency/,
  /forced/,
  /caus\w*/,
  /stopp\w*/,
  /halt\w*/,
  /missing/,
]);

function talksOfFailure(text: string): boolean {
  return FAILURE_STATE.test(text) || FAILURE_LANGUAGE.test(text) || CAUSAL_CUE.test(text);
}

export const QUESTION_END = /\?["'\u201D\u2019)\]]*\s*$/;

/** Nouns a next sentence refers back to the named technology with ("The cluster ..."). */
const BACK_REFERENCE_NOUNS = [
  /cluster/,
  /primary/,
  /replica/,
  /database/,
  /db/,
  /cache/,
  /queue/,
  /broker/,
  /brokers/,
  /bucket/,
  /table/,
  /index/,
  /node/,
  /nodes/,
  /script/,
  /engine/,
  /server/,
  /instance/,
  /topic/,
  /consumers?/,
];
/** A next sentence that goes on about the named technology: "It ...", "This ...", "The cluster ...". */
export const REFERS_BACK = new RegExp(
  String.raw`^(it|its|this|that|these|those|the (${alternation(BACK_REFERENCE_NOUNS)}))\b`,
  'i',
);

/** Whether a cited mention supports a cause; when not, the context that says why. */
export interface CausalContext {
  causal: boolean;
  context: MentionContext | 'no-failure-language' | 'section' | null;
}

/**
 * Whether a mention of a technology sits in a causal context: no non-causal context (link,
 * action item, negation, victim, third party), a cause-bearing section, and failure or causal
 * language around the name. Used by the attribution guard on the quotes an engine cites.
 */
export function isCausalContext(
  sentence: SourceSentence,
  technology: string,
  start: number,
  end: number,
  neighbours: readonly SourceSentence[] = [],
): CausalContext {
  const assessed = assess(sentence, technology, start, end);
  if (assessed.context !== null) return { causal: false, context: assessed.context };
  if (insideSlug(sentence.text, start)) return { causal: false, context: 'link' };
  // The name heads its own flag or admin command ("--etcd-compaction-interval=0", "kafka-leader-election"): it names
  // the technology only in a cause-bearing section whose sentence itself talks of the failure; anywhere else the
  // token is read as the identifier it is (a link), never as a neutral mention kept for review.
  const ownToken = ownFlagOrCommandAt(sentence.text, start);
  if (!CAUSE_BEARING_ROLES.has(sentence.role)) return { causal: false, context: ownToken ? 'link' : 'section' };
  const neutral = ownToken ? 'link' : 'other';
  if (QUESTION_END.test(clauseAt(sentence.text, start)) || QUESTION_END.test(sentence.text))
    return { causal: false, context: neutral };
  // Reported speech ("The disruption was caused by ...", quoted from a vendor) is not our finding.
  if (/^["\u201C]/.test(sentence.text.trim())) return { causal: false, context: neutral };
  // The token's own words ("--x-session-timeout", "x-leader-election") are no talk of a failure: blanked out.
  const text = ownToken
    ? sentence.text.slice(0, ownToken.start) +
      ' '.repeat(ownToken.end - ownToken.start) +
      sentence.text.slice(ownToken.end)
    : sentence.text;
  const near = text.slice(Math.max(0, start - 80), Math.min(text.length, end + 80));
  if (talksOfFailure(clauseAt(text, start)) || talksOfFailure(near) || CAUSAL_CUE.test(text))
    return { causal: true, context: null };
  if (ownToken) return { causal: false, context: 'link' };
  // "The counters live in Redis. A Lua script held it for 40 seconds.": the failure is told next to the name.
  // Only a next sentence that refers back to it ("It ...", "The cluster ...") carries the failure over.
  const told = neighbours.some(
    (neighbour) =>
      neighbour.index === sentence.index + 1 &&
      neighbour.sectionIndex === sentence.sectionIndex &&
      REFERS_BACK.test(neighbour.text) &&
      !NEGATION.test(neighbour.text) &&
      talksOfFailure(neighbour.text),
  );
  return told ? { causal: true, context: null } : { causal: false, context: 'no-failure-language' };
}
