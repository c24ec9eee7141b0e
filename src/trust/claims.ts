/**
 * Whether a quote can support a claim, read deterministically: a quote must be a substantive span
 * (a clause, not a name), it must not be a hypothesis (a theory, a suspicion, a question, a
 * might/could) or a denial ("was not the cause", "ruled out"), and the claim's words must be found
 * in it. The attribution guard and the claim verification both read quotes through this module.
 */
import { CONFIRMATION, NEGATION } from '../attribution/index.ts';
import { rememberRecent } from '../text/recent.ts';
import { normalizeForMatch } from './quotes.ts';

/** Fewest words a substantive quote has (with a verb); a name or a label has fewer or none. */
export const MIN_QUOTE_WORDS = 4;
/** From this many words a span is a statement even without a verb the lexicon knows ("error rate 40% for 23 minutes ..."). */
export const LONG_QUOTE_WORDS = 6;

/** Auxiliaries, modals and the verbs postmortems use most, in forms the suffix rule below misses. */
const COMMON_VERBS = new Set(
  [
    'is are was were be been being am has have had do does did done can could will would shall should may might must',
    'fail fails run runs ran hit hits set sets took take takes went go goes grew grow grows rose rise rises fell fall falls',
    'held hold holds lost lose loses got get gets made make makes saw see sees found find finds left leave leaves kept keep keeps',
    'put puts sent send sends spent spend spends built build builds broke break breaks began begin begins led lead leads',
    'came come comes gave give gives told tell tells thought think thinks knew know knows meant mean means became become becomes',
    'add adds increase increases migrate migrates move moves enable enables disable disables alert alerts page pages',
    'restart restarts roll rolls revert reverts fix fixes raise raises lower lowers cap caps limit limits reduce reduces',
    'scale scales upgrade upgrades patch patches deploy deploys ship ships document documents review reviews monitor monitors',
    'rotate rotates renew renews automate automates remove removes replace replaces tune tunes split splits shard shards',
    'update updates create creates write writes use uses allow allows block blocks return returns drop drops start starts',
    'stop stops exceed exceeds reach reaches spike spikes time times cause causes trigger triggers contain contains',
    'need needs let lets cut cuts shut shuts spun spin spins wrote read reads hung hang hangs froze freeze freezes',
    'paged pages woke wake wakes saturate saturates exhaust exhausts overload overloads retry retries throttle throttles',
    'crash crashes expire expires delete deletes purge purges evict evicts refuse refuses reject rejects lag lags',
    'stall stalls deadlock deadlocks leak leaks fill fills flood floods queue queues',
  ].flatMap((line) => line.split(' ')),
);

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'_.-]*/gu;

/** The words of a text as claims read them; quotes are read by several checks, so recent answers are remembered. */
const wordsOf: (text: string) => readonly string[] = rememberRecent((text) =>
  (normalizeForMatch(text).match(WORD) ?? []).map((word) => word.replace(/[.'-]+$/, '')),
);

function isVerbLike(word: string): boolean {
  if (COMMON_VERBS.has(word)) return true;
  if (/^[a-z]+$/.test(word) && word.length >= 5 && /(?:ed|ing)$/.test(word)) return true;
  // "didn't", "wasn't", "couldn't"
  return /n't$/.test(word);
}

const LETTER = /\p{L}/u;

/** The words of a quote that count toward its length: letters or digits, times of day and table bars aside. */
function countedWords(quote: string): string[] {
  return wordsOf(quote).filter((word) => LETTER.test(word));
}

/**
 * Why a quote is not a substantive span, or null when it is one: at least MIN_QUOTE_WORDS words
 * with letters and a verb (an auxiliary, a common verb, or a past or -ing form), or at least
 * LONG_QUOTE_WORDS words.
 * "PgBouncer", "Issue: }" and "Theory: PgBouncer pool exhaustion" are not spans a claim can stand on.
 */
export function insubstantial(quote: string): string | null {
  return insubstantialText(quote);
}

/** insubstantial, remembered for recent quotes: the summary, the verifier and the guard read the same ones. */
const insubstantialText = rememberRecent((quote: string): string | null => {
  const words = countedWords(quote);
  if (words.length < MIN_QUOTE_WORDS)
    return `the quote is a fragment (${words.length} word${words.length === 1 ? '' : 's'}), not a clause`;
  if (words.length < LONG_QUOTE_WORDS && !words.some(isVerbLike))
    return 'the quote is a fragment without a verb, not a clause';
  return null;
});

/** "Theory:", "Hypothesis:", "Suspicion:", "Guess:" labels, after an optional time of day. */
const HYPOTHESIS_LABEL =
  /^\s*(?:\[?\d{1,2}:\d{2}(?::\d{2})?\]?(?:\s*(?:utc|z))?\s*[|:\u2014-]?\s*)?(?:\*\*)?(?:working\s+|initial\s+|first\s+|early\s+|rejected\s+|discarded\s+)?(?:theory|theories|hypothes[ie]s|suspicion|suspect|guess|idea|possibility|speculation|question|open question|unconfirmed)\b(?:\*\*)?\s*(?:\d+\s*)?[:\u2014-]/i;

/** Hedges that make a statement a possibility rather than a finding. */
const HEDGE =
  /\b(?:might|may\s+(?:have|be|not)|could\s+(?:have|be)|possibly|perhaps|maybe(?!\s+(?:a\s+few|a\s+dozen|once|twice|\d))|hypothes[ie][sz]\w*|theor(?:y|ies|ized|ised)|speculat\w*|suspect(?:ed|ing|s)?|suspicion|we\s+(?:think|guess|wonder\w*)|wondered|what\s+if|unconfirmed|not\s+(?:yet\s+)?confirmed|unclear\s+whether)\b/i;

/** Ends with a question mark (before closing quotes or brackets). */
const QUESTION = /\?["'\u201D\u2019)\]]*\s*$/;
/** A sentence end inside a text: a stop, then space. */
const SENTENCE_END = /[.!?]["'\u201D\u2019)\]]*\s+/g;
/** Words by which a question points back at what the sentence before it named. */
const POINTS_BACK = /\b(?:it|its|this|that|these|those|they|them)\b/i;

/**
 * Whether a text asks: it ends with a question mark, and its last sentence is the whole text, points back at
 * what came before ("we checked the cache. was it the cause?") or follows another question. A statement
 * followed by a question about something else ("that's write throttling. did capacity change?", a chat line)
 * states its finding.
 */
function asks(plain: string): boolean {
  if (!QUESTION.test(plain)) return false;
  const ends = [...plain.matchAll(SENTENCE_END)];
  const last = ends.at(-1);
  if (last === undefined) return true;
  const before = plain.slice(0, last.index + last[0].length).trim();
  const after = plain.slice(last.index + last[0].length);
  return QUESTION.test(before) || POINTS_BACK.test(after);
}

/** A theory or suspicion that the text itself says was rejected. */
const REJECTION =
  /\b(?:ruled\s+out|(?:theory|theories|hypothes[ie]s|suspicion|idea)\s+(?:was\s+|were\s+)?(?:rejected|discarded|abandoned|dropped|wrong)|(?:rejected|discarded|abandoned|dropped)\s+(?:the|this|that|our)\s+(?:theory|hypothesis|suspicion|idea)|disproved|disproven|red\s+herring|turned\s+out\s+(?:not|to\s+be\s+(?:wrong|unrelated|fine|healthy))|not\s+the\s+(?:root\s+)?(?:cause|culprit|problem|issue))\b/i;

/** How a sentence or quote is put: as a finding, a hypothesis, or a question. */
export type Modality = 'finding' | 'hypothesis' | 'question';

/**
 * The modality of a text: a question when it asks, a hypothesis when it is labelled a theory or
 * suspicion or hedged (might, could have, possibly...) without a confirmation ("confirmed",
 * "turned out to be"), else a finding.
 */
export function modalityOf(text: string): Modality {
  return modalityOfText(text);
}

/** modalityOf, remembered for recent texts: a claim and its quotes are read several times. */
const modalityOfText = rememberRecent((text: string): Modality => {
  const plain = text.replace(/\*\*|__/g, '').trim();
  if (asks(plain)) return 'question';
  if (HYPOTHESIS_LABEL.test(plain)) return 'hypothesis';
  if (HEDGE.test(plain) && !CONFIRMATION.test(plain)) return 'hypothesis';
  return 'finding';
});

/** Whether a text denies a cause: "was not the cause", "ruled out", "was healthy", "a red herring". */
export function deniesCause(text: string): boolean {
  return deniesCauseText(text);
}

/** deniesCause, remembered for recent texts (NEGATION is a long alternation). */
const deniesCauseText = rememberRecent((text: string): boolean => REJECTION.test(text) || NEGATION.test(text));

/** Words too general to tie a claim to a quote. */
const GENERIC = new Set(
  [
    'the a an and or but of to in on at by for with from into onto as is are was were be been being this that these those it its',
    'there their they them we our us you your he she his her which who whom what when where why how than then so such also not no',
    'has have had do does did can could will would shall should may might must about after before during over under between',
    'incident incidents issue issues outage cause caused causes causing root contributed contributing contribution directly',
    'technology role problem because due led result resulted which while within without some any all each every more most',
    'very only just both either neither other another one two three first second new old same own per via',
  ].flatMap((line) => line.split(' ')),
);

/** A crude stem: enough to match "exhausted" with "exhaustion", "connections" with "connection". */
function stemOf(word: string): string {
  const lower = word.toLowerCase();
  if (/^\d/.test(lower)) return lower;
  const stripped = lower.replace(/(?:ations?|ions?|ing|ed|es|s|ly|ment|ments)$/, '');
  return (stripped.length >= 4 ? stripped : lower).slice(0, 6);
}

/** The content words of a text, as stems (remembered for recent texts: read-only). */
export const contentStems: (text: string) => ReadonlySet<string> = rememberRecent(
  (text) =>
    new Set(
      wordsOf(text)
        .filter((word) => (word.length >= 3 || /\d/.test(word)) && !GENERIC.has(word))
        .map(stemOf),
    ),
);

/** The least share of a claim's content words its quotes must hold (and at least one word). */
export const MIN_CLAIM_OVERLAP = 0.2;

/** Negations a claim makes of its own; a denying quote then supports it. */
const CLAIM_DENIES = /\b(?:not|no|never|ruled\s+out|unaffected|healthy|innocent|red\s+herring)\b/i;

export interface SupportOptions {
  /**
   * A claim of a cause (a cause's role, a root cause, an unnamed cause): its quotes must be findings
   * whatever the claim says. Otherwise a hypothesis or question supports only a claim put the same way.
   */
  strict?: boolean;
  /** Words counted as found in the quotes (a cause's technology, which the quotes may name by an alias). */
  extraWords?: readonly string[];
}

/**
 * Whether a text, quoted as its own evidence, supports itself: `unsupported(text, [text]) === null`.
 * A lone quote always shares the claim's modality and denial, so only two tests are left: the text
 * has a content word, and it is a substantive span.
 */
export function supportsItself(text: string): boolean {
  return contentStems(text).size > 0 && insubstantial(text) === null;
}

/**
 * Why a claim is not supported by its quotes, or null when it is. Quotes that are hypotheses or
 * questions support no finding (and no cause at all when strict), quotes that deny a cause support
 * no claim that affirms one; of the quotes left, at least one must be substantive (see
 * insubstantial), and the claim's content words must be found in them: at least one, and at least
 * MIN_CLAIM_OVERLAP of them.
 */
export function unsupported(claim: string, quotes: readonly string[], options: SupportOptions = {}): string | null {
  if (quotes.length === 0) return 'no evidence cited';
  const claimStems = contentStems(claim);
  if (claimStems.size === 0) return 'the claim states nothing a quote could support';
  const substantive = quotes.filter((quote) => insubstantial(quote) === null);
  if (substantive.length === 0) return insubstantial(quotes[0] as string);
  const claimModality = modalityOf(claim);
  const findings = quotes.filter((quote) => {
    const modality = modalityOf(quote);
    return modality === 'finding' || (!options.strict && modality === claimModality);
  });
  if (!findings.some((quote) => substantive.includes(quote)))
    return modalityOf(substantive[0] as string) === 'question'
      ? 'the quote is a question, not a finding'
      : 'the quote is a hypothesis (a theory, suspicion or might), not a finding';
  const claimDenies = deniesCause(claim) || CLAIM_DENIES.test(claim);
  const affirming = claimDenies ? findings : findings.filter((quote) => !deniesCause(quote));
  if (!affirming.some((quote) => substantive.includes(quote)))
    return 'the quote denies what the claim affirms (a negation or a ruled-out cause)';
  const quoteStems = new Set([
    ...affirming.flatMap((quote) => [...contentStems(quote)]),
    ...(options.extraWords ?? []).flatMap((word) => [...contentStems(word)]),
  ]);
  const found = [...claimStems].filter((stem) => quoteStems.has(stem)).length;
  if (found === 0 || found / claimStems.size < MIN_CLAIM_OVERLAP)
    return `the quotes do not carry the claim (${found} of ${claimStems.size} content words found)`;
  return null;
}
