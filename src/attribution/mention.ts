/**
 * What the context of one mention of a technology says: a non-causal context (a link, an action
 * item, a negation, a third party, a victim list...), or a candidate cause with a weight.
 */
import type { MentionContext } from '../schemas/index.ts';
import type { SourceSentence } from '../text/sentences.ts';
import {
  clauseAt,
  clauseBefore,
  elidedContinuation,
  labelledStatus,
  parentheticalAfter,
  relativeClauseAfter,
  terseClauseAt,
  terseSentenceAt,
} from './clauses.ts';
import {
  CAUSAL_CUE,
  CONFIRMATION,
  FAILURE_STATE,
  healthReadingIn,
  NEGATION,
  PROPOSAL,
  SUSPICION,
  UPSTREAM,
  VICTIM,
} from './cues.ts';
import { insideIdentifier, insideUrl } from './identifiers.ts';
import { causeWeightOf, LINE_STAMP, ROLE_WEIGHT } from './sections.ts';
import { sequence } from './pattern.ts';
import {
  afterRedirection,
  BACKGROUND_CLAUSE,
  DATED_MOVE,
  DENIED_AFTER_NAME,
  deniedThenOversized,
  destinationOfMove,
  EXONERATION,
  generalRule,
  inProviderOutageList,
  inQuestion,
  inObjectPosition,
  inReportedSpeech,
  isToolFor,
  ownedByUs,
  limitReached,
  recoverySource,
  underSuspectHeading,
  misconfiguredSetting,
  OWN_BEHAVIOUR,
  redirectedAway,
  upstreamIn,
} from './structure.ts';

/** The spans of every catalog name in the sentence, in order, for readings that look at the other names. */
export interface SentenceNames {
  spans: ReadonlyArray<{ start: number; end: number; technology: string }>;
}

/** An investigation step about a name, up to the colon before its readings: "Checked the X primary:", "looked at X:". */
const CHECKED_OPENING = new RegExp(
  sequence(LINE_STAMP, /(?:(?:we|i|then)\s+)?(?:checked|looked at|inspected|verified|went through)\b[^:;.]{1,80}:/)
    .source,
  'i',
);

/** One mention of a technology in a sentence, with what its context says. */
export interface MentionAssessment {
  technology: string;
  sentence: SourceSentence;
  /** null when the mention is a candidate cause; otherwise why it is not one. */
  context: MentionContext | null;
  weight: number;
}

/** "no ZooKeeper", "without Redis": the name itself is denied. */
export const NEGATED_NAME =
  /\b(?:(?:no|without|not|non|never)[\s-]+(\w+\s+)?|(?:it|this|that)\s+(?:is|was)n['\u2019]?t\s+(?:(?:the|our)\s+)?)$/i;

/**
 * A line that opens as a theory under test ("Theory 1: ...", "11:09 hypothesis B -", "FIRST GUESS → ..."), after a
 * timestamp or a chat handle at most: what it names is a suspect.
 */
const SUSPECT_LABEL =
  /^(?:\[?[\d:.]+\]?\s+)?(?:<?[\w.-]+>?:?\s+)?(?:theory|hypothes[ie]s|first guess|suspect|suspicion)(?:\s+(?:#?\d+|[a-z]))?\s*(?::|→|->|-\s)/i;

/** "postgres fine, inserts committing", "broker: healthy": a health word right after the name. */
const HEALTHY_AFTER_NAME =
  /^(?:'s)?\s*(?:side |itself |cluster |nodes? |brokers? |primary |server )?(?:was |is |were |are |looked |looks |stayed |:\s*)?(?:fine|healthy|ok|okay|normal|green|nominal)\b/i;

/**
 * The same sentence goes on to call the named thing healthy, by a generic noun or "itself": "kafka
 * backlog growing. kafka fine", "queue depth rising, queue itself fine", "memory climbing but fine".
 */
const HEALTHY_LATER =
  /(?:\b(?:itself|broker|brokers|cluster|queue|database|db|cache|server|servers|nodes?|primary|table|bucket|ensemble)\s+(?:itself\s+)?(?:was\s+|is\s+|were\s+|are\s+|stayed\s+|looked\s+|looks\s+)?|\bbut\s+(?:was\s+|is\s+|otherwise\s+)?)(?:fine|healthy|ok|okay)\b|\b(?:itself|broker|brokers|cluster|queue|database|db|cache|server|servers|nodes?|primary|table|bucket|ensemble)\s+(?:itself\s+)?(?:behaved|worked|performed|functioned)\s+(?:exactly\s+|correctly\s+|precisely\s+)?as\s+(?:designed|intended|expected|documented)\b/i;

/** The caller's symptom pointed at the name: "timeouts to X", "errors when calling X", "client-side timeouts". */
const CALLER_SYMPTOM =
  /(?:time ?outs?|timed out|errors?|failures?|failing|latency|slowness|retries)(?: (?!traced|due|attributed|pointed|led|down)\w+){0,2} (?:to|against|calling|reaching|connecting to|writing to|reading from|talking to|on calls to)\s+(?:the |our |amazon |aws )?$/i;
const CLIENT_SIDE = /\bclient[- ]side\b/i;
/** A row of a table: cells separated by pipes. */
const TABLE_ROW = /\|[^|]*\|/;

/**
 * A line of figures, one per component: at least two parts (split at commas, semicolons and full stops) that each name
 * a different technology and hold a number, and they are most of the line's parts.
 */
function metricsReadout(
  text: string,
  spans: ReadonlyArray<{ technology: string; start: number; end: number }>,
): boolean {
  if (new Set(spans.map((span) => span.technology)).size < 2) return false;
  const parts: Array<{ start: number; end: number }> = [];
  const breaker = /[,;]\s+|\.\s+/g;
  let from = 0;
  for (let match = breaker.exec(text); match !== null; match = breaker.exec(text)) {
    parts.push({ start: from, end: match.index });
    from = match.index + match[0].length;
  }
  parts.push({ start: from, end: text.length });
  const named = new Set<string>();
  let figures = 0;
  for (const part of parts) {
    const inPart = spans.filter((span) => span.start >= part.start && span.end <= part.end);
    if (inPart.length !== 1 || !/\d/.test(text.slice(part.start, part.end))) continue;
    figures += 1;
    named.add(inPart[0]!.technology);
  }
  return named.size >= 2 && figures * 2 >= parts.length;
}
/**
 * A clause that denies what the one before it called the name, and says no more: "it smelled like a
 * X fault, and it wasn't", "everyone blamed X; it wasn't".
 */
const BARE_DENIAL =
  /^(?:(?:it|this|that)\s+)?(?:was|is|were|are)(?:n['\u2019]?t|\s+not)(?:\s+(?:one|it|so|that|really|at all))*\s*[.!]?\s*$/i;
/** A sentence that opens by denying what came before: "It was not: ...", "No, ...". */
export const OPENING_DENIAL = /^(?:(?:it|this|that) (?:was|is|did|does)(?:n'?t| not)\b|no[,:.]\s)/i;
/** A note in parentheses after the name that calls it healthy or a victim: "(healthy)", "(victim only)". */
const HEALTH_NOTE = /\b(?:healthy|fine|ok|okay|normal|green|unaffected|untouched)\b/i;
const VICTIM_NOTE = /\b(?:victim|symptom|effect|bystander|downstream|knock-on)\b/i;
/** A clause told going as it should: "... as they should", "exactly as it should"; not "as it should have" (it did not). */
const AS_IT_SHOULD = /\bas (?:it|they) (?:should|(?:was|were) supposed to)\b(?! have\b)/i;
/** The name opens its clause as the subject: at most a conjunction, a determiner and one modifier before it. */
const NAME_AS_SUBJECT =
  /^\s*(?:(?:and|so|then|but)\s+)?(?:(?:the|our|its|their|each|every|all|both)\s+)?(?:[\w-]+\s+)?$/i;
/** Labelled remediation inside another section ("Fix: ...", "Mitigation: ..."): what was done, not what failed. */
const REMEDIATION_LABEL =
  /^(?:fix(?:ed)?|resolution|resolved|mitigation|mitigated|remediation|workaround|recovery|recovered|action taken)\s*:/i;

/**
 * "A burst of partner updates exceeded the write capacity of the X table": the third party only
 * sent the load. Every upstream word of the clause stands before the name, each separated from it
 * by a verb acting on something ("exceeded the ..."): the third party is the sender, not the owner.
 * `offset` is where the clause starts in the sentence (-1 when it was not found there).
 */
function sendersOnly(clause: string, offset: number, start: number): boolean {
  const nameAt = offset >= 0 ? start - offset : clause.length;
  const upstream = new RegExp(UPSTREAM.source, 'gi');
  for (const match of clause.matchAll(upstream)) {
    if (match.index >= nameAt) return false;
    const between = clause.slice(match.index + match[0].length, nameAt);
    if (!ACTS_ON.test(between)) return false;
  }
  return true;
}

/** A verb acting on an object: "exceeded the", "filled its", "used every". */
const ACTS_ON = /\b\w+(?:ed|es)\s+(?:(?:nearly|almost|well|far)\s+)?(?:the|its|our|every|all|over|past)\b/i;

/**
 * A relative clause on the name, a head noun or two after it ("an X follower that was two hours behind",
 * "the X table whose partitions ..."): it predicates on the named thing.
 */
function relativeOnName(text: string, end: number): string {
  return /^(?:[\s-]+[\w-]+){0,2}?\s+(?:that|which|whose)\s+[^,;.]*/i.exec(text.slice(end))?.[0] ?? '';
}

/** A terse clause that closes on a bare health word after a comma: "data volume at 41%, normal." */
const TERSE_HEALTH_VERDICT = /,\s*(?:all\s+)?(?:normal|fine|healthy|ok|okay|green|nominal|unaffected)\s*[.!]?\s*$/i;

const TERSE_SUBJECT_BEFORE =
  /^\s*(?:\[?\d{1,2}:\d{2}(?::\d{2})?\]?\s+)?(?:[\w.-]{1,12}:?\s+)?(?:(?:the|our|all|both)\s+)?$/i;

/** The terse clause of the name closes on a health verdict, and no other name stands between them. */
function terseVerdictOn(text: string, technology: string, start: number, end: number, names?: SentenceNames): boolean {
  const terse = terseSentenceAt(text, start);
  const clause = clauseAt(terse.text, start - terse.start);
  if (!TERSE_HEALTH_VERDICT.test(clause)) return false;
  // The name is the subject of the line: at most a time stamp, a label and a determiner before it.
  if (!TERSE_SUBJECT_BEFORE.test(clauseBefore(terse.text, start - terse.start))) return false;
  const clauseEnd = terse.start + terse.text.indexOf(clause) + clause.length;
  return !(names?.spans ?? []).some(
    (span) => span.technology !== technology && span.start >= end && span.start < clauseEnd,
  );
}

/**
 * A host name built on the name ("kafka-prod-b3", "redis-cache.svc.local", "es-data-4"): a lower-case token of
 * parts joined by hyphens (and dots), not a file ("redis-sentinel.conf"), a flag ("--etcd-compaction-interval") or a
 * command built on the name ("redis-cli", "kafka-configs").
 */
function insideHostName(text: string, start: number): boolean {
  const token = tokenAt(text, start);
  return /^[a-z0-9][a-z0-9.-]*$/.test(token) && token.includes('-') && !FILE_NAME.test(token) && !COMMAND.test(token);
}

const FILE_NAME = /\.(?:conf|cnf|ya?ml|json|properties|ini|xml|toml|sh|py|log|sql|txt)$/;
const COMMAND =
  /-(?:cli|configs?|server|client|acls?|upgrade|queues|consumer-groups|reassign-partitions|leader-election|topics|diagnostics|ctl|plugins?|dump|restore|admin)\b/;

function tokenAt(text: string, start: number): string {
  const tokenStart = text.lastIndexOf(' ', start) + 1;
  const tokenEnd = text.indexOf(' ', start);
  return text
    .slice(tokenStart, tokenEnd === -1 ? undefined : tokenEnd)
    .replace(/[.,;:)\]"'`]+$/, '')
    .replace(/^[(`"']+/, '');
}

/**
 * A fault of the host itself rather than of what runs on it: its root or system disk (not the data volume), a
 * change of its kernel, an agent on it. The kernel's OOM killer ending the technology's process is not one: the
 * memory was the technology's.
 */
const HOST_FAULT =
  /\b(?:root|system|os|boot)\s+(?:disk|volume|partition|filesystem|fs)\b|\bnot (?:on )?the data (?:volume|disk|partition)\b|\bkernel\s+(?:update|upgrade|version|driver|regression|bug|parameter|setting|default)s?\b|\b(?:monitoring|metrics|logging|log|node|host)\s+agents?\b/i;

/** Decide what one mention's context says: a non-causal context, or a weighted candidate. */
export function assess(
  sentence: SourceSentence,
  technology: string,
  start: number,
  end: number,
  names?: SentenceNames,
): MentionAssessment {
  // Literals, not spreads of a shared base: V8 clones spread objects slowly.
  const verdict = (context: MentionContext | null, weight = 0): MentionAssessment => ({
    technology,
    sentence,
    context,
    weight,
  });
  const text = sentence.text;
  if (insideUrl(text, start) || insideIdentifier(text, start)) return verdict('link');
  if (sentence.role === 'references') return verdict('link');
  if (sentence.role === 'action-items') return verdict('action-item');
  const clause = clauseAt(text, start);
  // A line of terse sentences the splitter kept whole ("web tier ok, queue drained. X disk at 97%"): a
  // health word denies the name only inside its own terse sentence, which stops at an uncapitalised full stop.
  const ownClause = terseClauseAt(text, start);
  const near = text.slice(Math.max(0, start - 80), Math.min(text.length, end + 80));
  if (
    NEGATION.test(ownClause) ||
    // a reading of its figures as healthy, in a sentence that tells no failure beside them
    (healthReadingIn(ownClause) && healthReadingIn(text)) ||
    NEGATION.test(relativeClauseAfter(text, start)) ||
    EXONERATION.test(relativeClauseAfter(text, start)) ||
    NEGATION.test(labelledStatus(text, end)) ||
    NEGATED_NAME.test(text.slice(Math.max(0, start - 20), start))
  ) {
    return verdict('negated');
  }
  if (OPENING_DENIAL.test(text)) return verdict('negated');
  // "X lagged but didn't break and isn't why nodes died": a clause with no subject of its own still speaks of X.
  const continuation = elidedContinuation(text, end);
  if (NEGATION.test(continuation) || EXONERATION.test(continuation) || BARE_DENIAL.test(continuation))
    return verdict('negated');
  const note = parentheticalAfter(text, end);
  if (NEGATION.test(note) || EXONERATION.test(note) || HEALTH_NOTE.test(note)) return verdict('negated');
  if (VICTIM_NOTE.test(note)) return verdict('victim');
  // A table row ("Redis | hit ratio normal | Ruled out") is one statement: a verdict in any cell covers the name.
  if (TABLE_ROW.test(text) && NEGATION.test(text)) return verdict('negated');
  if (DENIED_AFTER_NAME.test(text.slice(end, end + 150))) return verdict('negated');
  if (CALLER_SYMPTOM.test(text.slice(Math.max(0, start - 60), start)) || CLIENT_SIDE.test(clause))
    return verdict('victim');
  if (HEALTHY_AFTER_NAME.test(text.slice(end, end + 40))) return verdict('negated');
  // "X data volume at 41%, normal.": a terse line about the name closes on a bare health verdict.
  if (terseVerdictOn(text, technology, start, end, names)) return verdict('negated');
  // "disk_used_pct > 90 on x-prod-b3 (root volume, not the data volume)": the name only labels the host, and the
  // fault told is the host's own (its root disk, its kernel, an agent on it), not the technology's.
  if (insideHostName(text, start) && HOST_FAULT.test(text)) return verdict('victim');
  // "the brokers fine" later on speaks of this name only when no other technology is named in the sentence.
  const others = (names?.spans ?? []).some((span) => span.technology !== technology);
  if (!others && HEALTHY_LATER.test(text.slice(end, end + 200))) return verdict('negated');
  if (EXONERATION.test(ownClause)) return verdict('negated');
  // "each X starts, syncs and rejoins as it should": the name as the subject of a clause told going as it should is
  // fine there; "every write landed on the X primary as it should" speaks of the write.
  if (AS_IT_SHOULD.test(ownClause) && NAME_AS_SUBJECT.test(clauseBefore(text, start))) return verdict('negated');
  // "X: connections flat all morning, checked first because ...": a line about the name after a colon that tells
  // it was where the search began.
  if (
    (SUSPICION.test(ownClause) || SUSPICION.test(labelledStatus(text, end)) || SUSPECT_LABEL.test(text)) &&
    !CONFIRMATION.test(text)
  )
    return verdict('negated');
  // "Checked the X primary: connections 140 of 500, no locks waiting, lag 0": the name checked, and the readings
  // after the colon healthy with no failure beside them.
  const checked = CHECKED_OPENING.exec(text);
  if (checked && start < checked[0].length && healthReadingIn(text.slice(checked[0].length))) return verdict('negated');
  // Under a heading that announces a suspect ("Where we wrongly looked"), a mention is the suspect being tested.
  if (underSuspectHeading(sentence.heading) && !CONFIRMATION.test(text)) return verdict('negated');
  // "We backfilled the dropped events from X": X is where the good copy came from, not what failed.
  if (recoverySource(clauseBefore(text, start))) return verdict('other');
  // The name holds a limit its clause says was reached ("Too many connections from the MariaDB primary",
  // "exceeded the write capacity of the DynamoDB table"), and no other technology shares the sentence.
  const holdsLimit = !others && limitReached(clause, clauseBefore(text, start).length);
  const clauseOffset = text.indexOf(clause);
  if (
    (upstreamIn(clause, text.slice(0, Math.max(0, clauseOffset))) &&
      !ownedByUs(clauseBefore(text, start)) &&
      !(holdsLimit && sendersOnly(clause, clauseOffset, start))) ||
    inReportedSpeech(text, start)
  )
    return verdict('upstream-provider');
  const spans = names?.spans ?? [];
  const index = spans.findIndex((span) => span.start === start);
  if (index >= 0 && inProviderOutageList(text, spans, index)) return verdict('upstream-provider');
  // Tools built for the technology (its exporter, client, driver, operator) fail on their own.
  if (isToolFor(text, end)) return verdict('other');
  if ((VICTIM.test(clause) || VICTIM.test(labelledStatus(text, end))) && !CAUSAL_CUE.test(text.slice(0, start)))
    return verdict('victim');
  // "X's latency was traced to the network": the cause is elsewhere, X suffered.
  const namesAfter = (from: number): boolean =>
    spans.some((span) => span.start >= from && span.technology !== technology);
  if (redirectedAway(text, start, namesAfter)) return verdict('victim');
  if (inQuestion(text, end) && !CONFIRMATION.test(text)) return verdict('other');
  if (sentence.role === 'lessons' && PROPOSAL.test(text)) return verdict('action-item');
  if (sentence.isListItem && PROPOSAL.test(text) && !FAILURE_STATE.test(clause)) return verdict('action-item');
  // Failure told in the name's own clause; failure words only near it, across a clause break, say less.
  const nameAt = clauseBefore(text, start).length;
  const ownSetting = misconfiguredSetting(clause, nameAt);
  const failingInClause =
    holdsLimit ||
    FAILURE_STATE.test(clause) ||
    ownSetting ||
    OWN_BEHAVIOUR.test(clause) ||
    generalRule(clause, nameAt, nameAt + end - start);
  const failing = failingInClause || FAILURE_STATE.test(near);
  // What a move left is background; where it went is the system today, unless the move is history with a year.
  if (
    BACKGROUND_CLAUSE.test(clause) &&
    !FAILURE_STATE.test(clause) &&
    (!destinationOfMove(clauseBefore(text, start)) || DATED_MOVE.test(clause))
  )
    return verdict('background');
  let weight = REMEDIATION_LABEL.test(text)
    ? Math.min(causeWeightOf(sentence), ROLE_WEIGHT.resolution)
    : causeWeightOf(sentence);
  const causal = CAUSAL_CUE.test(text);
  // The failure reached the name as an object ("misses went to the MySQL replicas"): it is not the subject that failed.
  // A setting applied to it ("raised a limit in the template rolled out to all X nodes") is still its own setting.
  // ...unless a relative clause on the name tells its own state ("lookups were sent to an X follower that was two hours behind its leader").
  const ownState = FAILURE_STATE.test(relativeOnName(text, end));
  const reached = failing && !holdsLimit && !ownSetting && !ownState && inObjectPosition(clauseBefore(text, start));
  weight *= !failing ? 0.5 : reached ? 0.8 : failingInClause ? 2 : 1.2;
  // A table row is data ("CPU | 35% | 92%"), not a statement of what failed.
  if (TABLE_ROW.test(text)) weight *= 0.5;
  // A readout of several components' figures ("Redis p99 0.9 ms, Kafka consumer lag under 2k, Postgres CPU 22%") measures, it finds nothing.
  if (metricsReadout(text, names?.spans ?? [])) weight *= 0.25;
  if (causal) weight *= 1.5;
  if (afterRedirection(text, start)) weight *= 1.3;
  if (PROPOSAL.test(clause) && !failing) weight *= 0.3;
  if (/\?\s*$/.test(clause) || /\?\s*$/.test(text)) weight *= 0.3;
  const context: MentionContext | null = weight > 0 ? null : sentence.role === 'background' ? 'background' : 'other';
  return verdict(context, weight);
}

/**
 * Whether a mention's reading declares its technology innocent outright, a veto where a plain denial
 * only weighs against it: the reading is a denial and the mention's own terse clause holds an
 * exoneration ("Nothing had been wrong with X at all", "X did what it is supposed to do", "X was a
 * red herring"). A denial turned by "but" to a record outgrowing the size limit, in a sentence naming
 * only the technology ("X was fine with storing them but the packet was over the limit"), vetoes
 * nothing: the limit is its own. The offline engine vetoes a technology on it; the attribution guard
 * demotes a cause the document clears this way, whatever the quotes an engine cites.
 */
export function clearsOutright(reading: MentionAssessment, text: string, start: number, alone: boolean): boolean {
  if (reading.context !== 'negated' || (alone && deniedThenOversized(text))) return false;
  return EXONERATION.test(terseClauseAt(text, start));
}
