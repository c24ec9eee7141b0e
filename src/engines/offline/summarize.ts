import { notStated, type Claim, type Postmortem, type SectionRole, type Summary } from '../../schemas/index.ts';
import { sentencesOf, type SourceSentence } from '../../text/sentences.ts';
import { CAUSAL_CUE, CONFIRMATION, FAILURE_STATE, SUSPICION } from '../../attribution/index.ts';
import { rememberRecent } from '../../text/recent.ts';
import { modalityOf, supportsItself } from '../../trust/claims.ts';
import { causeStrength, clearsInsteadOfCausing, isClosingStatus, isDebris } from './cause-sentences.ts';
import { AFTERWORD_ROLES } from '../../ingest/section-roles.ts';

const IMPACT_CUE =
  /\b(customers?|users?|requests?|errors?|\w*exceptions?|orders?|transactions?|players?|patients?|drivers?|riders?|merchants?|tenants?|\d+(\.\d+)? ?%|\d+ ?(minutes?|mins?|hours?|hrs?)|outage|unavailable|degraded|downtime|failed|could not|couldn'?t|unable)\b/i;
const RESOLUTION_CUE =
  /\b(mitigat\w*|resolv\w*|rolled back|roll(ed)? ?back|revert\w*|restart\w*|restor\w*|recover\w*|fixed|failed over|scaled (up|out)|increas\w*|raised|killed|removed|disabled|re-?enabled|back to normal|fully recovered|cleared)\b/i;
const ROOT_CAUSE_PHRASE =
  /\b(root[- ]?cause|caused by|was caused|due to|because|the cause|trigger(ed)? by|stemm(ed|ing) from|the reason)\b|(?:^|\s)(?:cause|rc):/i;

function words(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

function claimOf(sentences: readonly SourceSentence[]): Claim {
  if (sentences.length === 0) return notStated();
  return {
    text: sentences.map((sentence) => sentence.text).join(' '),
    evidence: sentences.map((sentence) => sentence.text),
  };
}

function inRoles(sentences: readonly SourceSentence[], roles: readonly SectionRole[]): SourceSentence[] {
  return sentences.filter((sentence) => roles.includes(sentence.role));
}

/** Words that are not numbers, dates, times or time zones: "2025-03-18 23:10 UTC to ..." has few. */
function plainWords(text: string): number {
  return text
    .split(/\s+/)
    .filter((word) => /[A-Za-z]/.test(word) && !/\d/.test(word) && !/^\(?(?:utc|gmt)\)?[.,;:)]*$/i.test(word)).length;
}

/**
 * Whether the verifier (src/trust/claims.ts) accepts a sentence as a claim quoting itself: a
 * fragment ("— The Platform Team", "Pool min idle 5, max 15") or a sentence with no content word
 * ("It was all of that, again.") would be an unverified claim, so no field offers one.
 */
function isClause(sentence: SourceSentence): boolean {
  return isClauseText(sentence.text);
}

/** isClause by text, remembered: each field's candidates overlap, so a sentence is asked about several times. */
const isClauseText = rememberRecent(supportsItself);

/** Prose sentences that say something: enough words, not a bare timestamp, time range or label, a clause. */
function substantive(sentences: readonly SourceSentence[]): SourceSentence[] {
  return sentences.filter((sentence) => isSubstantiveText(sentence.text));
}

const isSubstantiveText = rememberRecent(
  (text: string): boolean => words(text) >= 5 && plainWords(text) >= 4 && isClauseText(text),
);

/**
 * A sentence that can tell the issue: not a byline, a note about the write-up, a closing status
 * update, nor a component set aside ("the broker was not the cause") which tells what did not fail.
 */
function tellsIssue(sentence: SourceSentence): boolean {
  return !isDebris(sentence.text) && !isClosingStatus(sentence.text) && !clearsInsteadOfCausing(sentence.text);
}

/** A question asks about the issue rather than telling it ("so the lock is why exports were late?"). */
function isQuestion(sentence: SourceSentence): boolean {
  return /\?\s*$/.test(sentence.text);
}

/** What a status update says of its users when nothing failed by name: "Some scanners cannot connect". */
const CANNOT = /\b(?:cannot|can'?t|broken)\b/i;

function issueOf(sentences: readonly SourceSentence[]): Claim {
  const told = substantive(inRoles(sentences, ['summary'])).filter(
    (sentence) => !sentence.isListItem && tellsIssue(sentence),
  );
  // Questions only when the summary holds nothing else: a chat often opens by asking what is wrong.
  const statements = told.filter((sentence) => !isQuestion(sentence));
  const summary = statements.length > 0 ? statements : told;
  if (summary.length > 0) {
    const firstFailing = summary.findIndex(
      (sentence) => FAILURE_STATE.test(sentence.text) || IMPACT_CUE.test(sentence.text),
    );
    const start = Math.max(0, Math.min(firstFailing, 2));
    return claimOf(summary.slice(start, start + 2));
  }
  const candidates = substantive(sentences).filter(
    (sentence) =>
      !['action-items', 'lessons', 'references', 'background'].includes(sentence.role) && tellsIssue(sentence),
  );
  // A failure told outright first; else what users could not do, as a status page tells it; else
  // any sentence about users, errors or downtime.
  const failing =
    candidates.find((sentence) => FAILURE_STATE.test(sentence.text)) ??
    candidates.find((sentence) => CANNOT.test(sentence.text)) ??
    candidates.find((sentence) => IMPACT_CUE.test(sentence.text));
  return claimOf(failing ? [failing] : []);
}

/**
 * A question, a suspicion or a hedge states no cause: the summary never offers one as a root cause
 * (and the verifier, src/trust/claims.ts, would reject it as a hypothesis).
 */
function statesCause(sentence: SourceSentence): boolean {
  // modalityOf also takes a question (a trailing "?") for no finding.
  return (
    !(SUSPICION.test(sentence.text) && !CONFIRMATION.test(sentence.text)) && modalityOf(sentence.text) === 'finding'
  );
}

/**
 * A document without a root-cause section states its cause somewhere in its narrative: the
 * sentences that state one, plainest first (causeStrength: "the cause was ..." before "... because
 * ..." before a bare cause word), a timeline entry a step lower unless it states the cause outright,
 * document order among equals. Talk about the write-up, components set aside, bylines and
 * remediation lines state no cause and are never offered.
 */
function narrativeCauses(sentences: readonly SourceSentence[]): SourceSentence[] {
  const ranked: Array<{ sentence: SourceSentence; strength: number }> = [];
  for (const sentence of substantive(sentences)) {
    if (AFTERWORD_ROLES.has(sentence.role) || !statesCause(sentence) || isDebris(sentence.text)) continue;
    let strength = causeStrength(sentence.text);
    if (strength === 2 && !ROOT_CAUSE_PHRASE.test(sentence.text) && !CAUSAL_VERB.test(sentence.text)) strength = 0;
    if (strength === 1 && !ROOT_CAUSE_PHRASE.test(sentence.text)) strength = 0;
    if (sentence.role === 'timeline' && strength < 3) strength -= 1;
    // "We chose not to resend them, because ...": the reason for a decision of the response, not a cause.
    if (RESPONSE_DECISION.test(sentence.text) && !CAUSAL_VERB.test(sentence.text)) strength = 0;
    if (strength > 0) ranked.push({ sentence, strength });
  }
  return ranked
    .sort((left, right) => right.strength - left.strength || left.sentence.index - right.sentence.index)
    .map((entry) => entry.sentence);
}

/** A decision told by its makers: "We chose not to resend ...", "the on-call decided to wait ...". */
const RESPONSE_DECISION =
  /^(?:so |then |in the end,? |finally,? )?(?:we|i|the (?:team|on-?call(?: engineer)?|incident commander))\s+(?:then\s+|also\s+)?(?:chose|decided|opted|elected|agreed)\b/i;

/** A verb that links a cause to its effect: "a retry storm caused the backlog", "which led to ...". */
const CAUSAL_VERB = /\b(?:caused|causing|led to|leading to|resulted in|responsible for|attributed to)\b/i;

function rootCausesOf(sentences: readonly SourceSentence[]): Claim[] {
  const section = substantive(inRoles(sentences, ['root-cause'])).filter(
    (sentence) => statesCause(sentence) && !isDebris(sentence.text) && !clearsInsteadOfCausing(sentence.text),
  );
  let chosen = section.filter((sentence) => CAUSAL_CUE.test(sentence.text) || FAILURE_STATE.test(sentence.text));
  if (chosen.length === 0) chosen = section;
  if (chosen.length === 0) chosen = narrativeCauses(sentences);
  return chosen.slice(0, 3).map((sentence) => claimOf([sentence]));
}

function impactOf(sentences: readonly SourceSentence[]): Claim {
  const section = substantive(inRoles(sentences, ['impact']));
  if (section.length > 0) return claimOf(section.slice(0, 2));
  const cued = substantive(inRoles(sentences, ['summary', 'other'])).filter(
    (sentence) => IMPACT_CUE.test(sentence.text) && !ROOT_CAUSE_PHRASE.test(sentence.text),
  );
  return claimOf(cued.slice(0, 2));
}

function resolutionOf(sentences: readonly SourceSentence[]): Claim {
  const section = substantive(inRoles(sentences, ['resolution']));
  if (section.length > 0) return claimOf(section.slice(0, 2));
  const cued = substantive(inRoles(sentences, ['timeline', 'summary', 'other'])).filter((sentence) =>
    RESOLUTION_CUE.test(sentence.text),
  );
  return claimOf(cued.slice(0, 2));
}

/** An aside about an action rather than an action: "(Search team, P1)", "Owner: Fleet Platform.", "Due: 31 Oct." */
function isAside(text: string): boolean {
  return /^\(.*\)[.;,]?$/.test(text) || (/^[A-Za-z][\w /-]{0,20}:\s/.test(text) && words(text) <= 4);
}

function preventiveActionsOf(sentences: readonly SourceSentence[]): Claim[] {
  return inRoles(sentences, ['action-items'])
    .filter((sentence) => words(sentence.text) >= 4 && !isAside(sentence.text) && isClause(sentence))
    .slice(0, 10)
    .map((sentence) => claimOf([sentence]));
}

/** A sentence reduced to what makes two sentences the same claim: case, spacing and end punctuation aside. */
function claimKey(text: string): string {
  const key = text.toLowerCase().replace(/\s+/g, ' ');
  let end = key.length;
  while (end > 0 && ' .,;:!?'.includes(key.charAt(end - 1))) end -= 1;
  return key.slice(0, end).trimStart();
}

/** Claims this long count as repeated when one holds the other ("RESOLVED <alert>" and "<alert>"). */
const MIN_CONTAINED_CLAIM = 30;

/**
 * Hands out sentences so each claim is shown once: a field only sees the sentences no earlier field
 * used (nor one holding or held by such a sentence), and it sees each text once.
 */
class SentencePool {
  private readonly used: string[] = [];
  /** Each sentence's claim key, computed once for the five fields that draw from the pool. */
  private readonly keys: string[];

  constructor(private readonly sentences: readonly SourceSentence[]) {
    this.keys = sentences.map((sentence) => claimKey(sentence.text));
  }

  /** The sentences no field used yet, each text once. */
  available(): SourceSentence[] {
    const seen = new Set<string>();
    return this.sentences.filter((_, index) => {
      const key = this.keys[index] as string;
      if (seen.has(key) || this.isUsed(key)) return false;
      seen.add(key);
      return true;
    });
  }

  /** Take a field's claims out of the pool. */
  take<Taken extends Claim | Claim[]>(taken: Taken): Taken {
    for (const claim of Array.isArray(taken) ? taken : [taken])
      for (const quote of claim.evidence) this.used.push(claimKey(quote));
    return taken;
  }

  private isUsed(key: string): boolean {
    return this.used.some(
      (used) =>
        used === key ||
        (Math.min(used.length, key.length) >= MIN_CONTAINED_CLAIM && (used.includes(key) || key.includes(used))),
    );
  }
}

/**
 * Where a text goes on after a prefix, compared without regard to case or spacing ("SUP-2210  Orders
 * late" after "SUP-2210 Orders late"), or -1 when the text does not open with it.
 */
function endOfPrefix(text: string, prefix: string): number {
  let at = 0;
  for (const character of prefix.toLowerCase()) {
    if (/\s/.test(character)) {
      if (!/\s/.test(text.charAt(at))) return -1;
      while (/\s/.test(text.charAt(at))) at += 1;
    } else if (text.charAt(at).toLowerCase() === character) at += 1;
    else return -1;
  }
  return at;
}

/** Titles shorter than this many words are too common a phrase to take for the title line. */
const MIN_TITLE_WORDS = 3;

/**
 * The report shows the title already, so no field quotes it again. A title taken from the opening
 * line stays in the text, and a header line may run on after it ("SUP-2210 Orders late Severity:
 * Sev-2"): a sentence that is the title is left out, and one that opens with it is quoted from
 * where the title ends (still a verbatim slice of the document, so it verifies).
 */
function withoutTitle(sentences: readonly SourceSentence[], title: string): SourceSentence[] {
  const plain = title.trim();
  if (plain.endsWith('\u2026') || words(plain) < MIN_TITLE_WORDS) return [...sentences];
  return sentences.flatMap((sentence) => {
    const end = endOfPrefix(sentence.text, plain);
    if (end < 0 || /[A-Za-z0-9]/.test(sentence.text.charAt(end))) return [sentence];
    const rest = sentence.text.slice(end).replace(/^[\s\-\u2013\u2014:|,.;\u00b7]+/, '');
    return words(rest) >= 2 ? [{ ...sentence, text: rest }] : [];
  });
}

/**
 * An extractive summary: every field is made of the document's own prose sentences (no table rows,
 * headers, stamps or pleasantries), or "not stated". Fields are filled in the order root causes,
 * issue, impact, resolution, preventive actions, and a sentence one field used is not offered to
 * the next: the cause is stated as the cause, and the issue says what else went wrong.
 */
export function summarizeOffline(postmortem: Postmortem): Summary {
  const sentences = sentencesOf(postmortem, { prose: true });
  const pool = new SentencePool(withoutTitle(sentences, postmortem.title));
  const rootCauses = pool.take(rootCausesOf(pool.available()));
  let issue = issueOf(pool.available());
  if (issue.evidence.length === 0) {
    // A title line that is the only statement of what went wrong still tells the issue.
    const withTitle = new SentencePool(sentences);
    withTitle.take(rootCauses);
    issue = issueOf(withTitle.available());
  }
  pool.take(issue);
  const impact = pool.take(impactOf(pool.available()));
  const resolution = pool.take(resolutionOf(pool.available()));
  const preventiveActions = pool.take(preventiveActionsOf(pool.available()));
  return { docId: postmortem.id, issue, rootCauses, impact, resolution, preventiveActions };
}
