/**
 * The offline engine's evidence: every catalog technology a postmortem names, scored by what the
 * context of each mention says (the attribution reading), plus sentences that describe one failing
 * without naming it.
 */
import type { TechnologyMatcher } from '../../catalog/index.ts';
import type { Postmortem, SectionRole } from '../../schemas/index.ts';
import { rememberRecent } from '../../text/recent.ts';
import { sentencesOf, type SourceSentence } from '../../text/sentences.ts';
import {
  assess,
  CAUSAL_CUE,
  clauseAt,
  clauseBefore,
  clearsOutright,
  deniedThenOversized,
  EXONERATION,
  EXTERNAL_FAULT,
  FAILURE_LANGUAGE,
  FAILURE_STATE,
  generalRule,
  inObjectPosition,
  healthReadingIn,
  kindRuleSubject,
  limitReached,
  misconfiguredSetting,
  namedParameterChanged,
  NEGATION,
  OPENING_DENIAL,
  OWN_BEHAVIOUR,
  ownCertificateFault,
  parameterShownWrong,
  PROPOSAL,
  causeWeightOf,
  recordOverSizeLimit,
  SUSPICION,
  underStatusHeading,
  upstreamIn,
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
  cache:
    /\b(the|our|its|that|this) (cache|cache cluster|cache nodes?|cache layer|cluster|shard|shards|nodes?|primary|replicas?)\b/i,
  queue: /\b(the|our|its|that|this) (queues?|broker|brokers|topics?|partitions?|consumer group|cluster|nodes?)\b/i,
  'object-store': /\b(the|our|its|that|this) (bucket|buckets|object store)\b/i,
  search: /\b(the|our|its|that|this) (search cluster|cluster|index|indices|shards?|nodes?)\b/i,
  coordination: /\b(the|our|its|that|this) (quorum|ensemble|control plane|cluster|members?|leader)\b/i,
};

/** How much an unnamed sentence counts toward a technology, relative to a named one. */
const SIGNAL_FACTOR = 0.6;
const GENERIC_FACTOR = 0.4;
/**
 * An unnamed sentence whose generic noun or anaphor holds a limit the clause says was reached
 * ("Because the table was at its autoscaling maximum ...", "It ran out of connections"): the
 * sentence is about the technology as plainly as one that names it.
 */
const LIMIT_FACTOR = 1;
const INDIRECT_ROLES = new Set<SectionRole>([
  'root-cause',
  'contributing-factors',
  'summary',
  'other',
  'timeline',
  'detection',
]);
/** A sentence where an unnamed statement can tell a cause: a narrative role, or the text of a status update. */
function readsAsNarrative(sentence: SourceSentence): boolean {
  return INDIRECT_ROLES.has(sentence.role) || underStatusHeading(sentence);
}
/** How much a sentence that goes on about the topic (the technology last named) counts. */
const TOPIC_FACTOR = 0.5;
/** How many sentences after the naming one the topic stays in force. */
const TOPIC_SPAN = 5;
/** A sentence that opens by referring back: "It ...", "Its ...", "The cluster ...". */
const REFERS_BACK =
  /^(?:(?:while|when|once|because|as|since|after|until|so|and|then),?\s+)?(?:it|its|this|these|they|ours|the (?:cluster|primary|replicas?|database|db|cache|queue|broker|brokers|bucket|table|index|nodes?|instance|topic|consumers?|shard|shards|master|leader|ensemble|quorum|members?|writer|reader))\b/i;

/**
 * The noun a document uses for a technology by its kind when it calls it healthy without naming it
 * ("the database did exactly what it should", "queue itself is fine"). Narrower than GENERIC_NOUNS:
 * "the cluster" or "the nodes" may be anything.
 */
const KIND_NOUNS: Record<string, RegExp> = {
  database: /\b(?:database|db)s?\b/i,
  cache: /\bcache(?: cluster| layer| tier| nodes?| fleet)?\b/i,
  queue: /\bqueue\b|(?<![\w-])brokers?\b/i,
  'object-store': /\b(?:bucket|buckets|object store)\b/i,
  search: /\b(?:search cluster|search engine)\b/i,
  coordination: /\b(?:ensemble|quorum)\b/i,
};

/** The noun of each kind, singular or plural, as the subject of a rule of how it works ("An ordered queue accepts at most ..."). */
const KIND_RULE_NOUNS: Record<string, RegExp> = {
  database: /(?:database|db)s?\b/,
  cache: /cache(?:s|(?: clusters?| nodes?))?\b/,
  queue: /queues?\b/,
  'object-store': /(?:buckets?|object stores?)\b/,
  search: /(?:search clusters?|search engines?)\b/,
  coordination: /(?:ensembles?|quorums?)\b/,
};

/** A plain health statement or cause denial after a kind noun: "queue itself is fine", "... are not the cause". */
const KIND_HEALTH =
  /^(?:\s+[\w-]+){0,4}?\s+(?:itself\s+)?(?:was|is|were|are|stayed|remained|looked)\s+(?:(?:perfectly|completely|entirely|fully)\s+)?(?:healthy|fine|ok|okay|normal|unaffected|not (?:the )?(?:root )?cause)\b|^(?:\s+[\w-]+){0,4}?\s+(?:was|is|were|are)\s+never\s+(?:under\s+(?:any\s+)?(?:strain|pressure|stress)|overloaded|saturated|stressed)\b/i;

const CAUSE_DENIED =
  /^(?:\s+[\w-]+){0,4}?\s+(?:was|is|were|are)(?:n'?t|\s+not)\s+(?:the\s+)?(?:root\s+)?(?:cause|culprit|at fault|to blame)\b/i;

/** A sentence that opens by pointing back at what the sentence before named: "Both worked perfectly", "It was fine". */
const POINTS_BACK_PLURAL = /^(?:both|neither|they|these|those|none of (?:that|them|these|those|this|it))\b/i;
const POINTS_BACK_SINGULAR =
  /^(?:it|this|that|the (?:cluster|primary|database|db|cache|queue|broker|bucket|table|index|instance|topic|ensemble|service))\b/i;

/** A lead-in line of a list ("Not part of the cause:", "What we will do:"): it sets what its items say. */
function leadInContext(sentence: SourceSentence): 'negated' | 'action-item' | null {
  if (sentence.isListItem || !/:\s*$/.test(sentence.text)) return null;
  if (NEGATION.test(sentence.text) || EXONERATION.test(sentence.text)) return 'negated';
  if (PROPOSAL.test(sentence.text)) return 'action-item';
  return null;
}

/**
 * A sentence that tells a failure without naming a technology (or one whose clause opens on a
 * technology's part that failed: `partFailed`), with nothing that moves it elsewhere. Both halves
 * are remembered for recent texts (the indirect and the topic candidates of a sentence both ask).
 */
function tellsUnnamedFailure(text: string, partFailed = false): boolean {
  return (partFailed || failureToldIn(text)) && nothingMovesFailure(text);
}

const failureToldIn = rememberRecent(
  (text: string): boolean =>
    FAILURE_STATE.test(text) ||
    OWN_BEHAVIOUR.test(text) ||
    misconfiguredSetting(text) ||
    limitReached(text) ||
    recordOverSizeLimit(text) ||
    ownCertificateFault(text) !== null,
);

/** A list of what did not happen: "There is no crash, no restart, no statement_timeout." */
const DENIAL_LIST = /\bno\s+[^,.;:]{1,60},\s*(?:and\s+|or\s+)?no\s/i;

const nothingMovesFailure = rememberRecent(
  (text: string): boolean =>
    !OPENING_DENIAL.test(text) &&
    !DENIAL_LIST.test(text) &&
    !NEGATION.test(text) &&
    !healthReadingIn(text) &&
    !EXONERATION.test(text) &&
    !upstreamIn(text) &&
    !VICTIM.test(text) &&
    !SUSPICION.test(text) &&
    !PROPOSAL.test(text),
);

/** Subjects that are not a feature of a technology: pronouns and our own people. */
const NOT_A_FEATURE = /^(?:it|this|that|these|those|they|we|you|there|he|she|nobody|no one|everyone|someone)$/i;

/**
 * A sentence naming nothing that opens on a noun (a feature: "Retention", "The purge job") as the
 * subject of a rule with an edge ("Retention never waits for ...", "Compaction only runs
 * when ..."), with nothing that denies, suspects, proposes or moves it to a third party.
 */
function ruleInVocabulary(text: string): boolean {
  if (OPENING_DENIAL.test(text) || NEGATION.test(text) || upstreamIn(text) || SUSPICION.test(text)) return false;
  const clause = clauseAt(text, 0);
  const subject = /^\s*(?:(?:the|our|its)\s+)?/i.exec(clause)![0].length;
  const words = /[\w.-]+/g;
  words.lastIndex = subject;
  for (let count = 0; count < 3; count += 1) {
    const word = words.exec(clause);
    if (!word || (count === 0 && NOT_A_FEATURE.test(word[0]))) return false;
    if (!generalRule(clause, subject, word.index + word[0].length)) continue;
    // "does not consider" is the rule's verb, not a proposal; a proposal elsewhere still counts.
    const verbEnd =
      word.index +
      word[0].length +
      (/^\s+(?:\w+\s+){0,2}\w+/.exec(clause.slice(word.index + word[0].length))?.[0].length ?? 0);
    return !PROPOSAL.test(text.slice(verbEnd));
  }
  return false;
}

/**
 * The clause of an anaphor, a generic noun or the technology's own vocabulary tells the
 * technology's own failure as plainly as a sentence naming it: a limit reached ("It ran out of
 * connections") or a setting of it changed or set wrong ("its retention_hours was lowered to 2",
 * "someone changed the shard count of the search cluster from 12 to 4").
 */
function ownFailureIn(clause: string, holderAt = 0): boolean {
  return limitReached(clause) || misconfiguredSetting(clause, holderAt);
}

/**
 * The title of one incident of a report that tells several in one section ("Search cluster ran
 * out of heap (Sev-2, 2025-03-14)", "False alarm on the broker disk, Tue 4th 11:20", "Second one, 9
 * June, ..."): a line that opens on words, not on a time, and carries a date or a severity; either
 * a short line with no closing stop, or a sentence opening on an ordinal ("first one", "another
 * incident").
 */
const INCIDENT_STAMP =
  /\b(?:sev(?:erity)?[- ]?\d|p[0-4]\b|\d{4}-\d{2}-\d{2}|\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\s+\d{1,2}(?:st|nd|rd|th)?\b|(?:mon|tue|wed|thu|fri|sat|sun)\w*\s+\d{1,2}(?:st|nd|rd|th)\b)/i;
const ORDINAL_OPENER =
  /^(?:first|second|third|fourth|fifth|another|the other|the next|the last) (?:one|incident|outage|event|issue)\b/i;

function incidentTitle(sentence: SourceSentence): boolean {
  const text = sentence.text.trim();
  if (sentence.isHeading || !/^[a-z]/i.test(text) || !INCIDENT_STAMP.test(text)) return false;
  return ORDINAL_OPENER.test(text) || (text.split(/\s+/).length <= 16 && !/[.!?:]$/.test(text));
}

/**
 * The part of the document each sentence tells: its section, split again at every incident title
 * inside it when it holds two or more, so a report telling several incidents in one section weighs
 * each incident on its own.
 */
function incidentParts(sentences: readonly SourceSentence[]): Map<number, number> {
  const titles = new Map<number, number>();
  for (const sentence of sentences)
    if (incidentTitle(sentence)) titles.set(sentence.sectionIndex, (titles.get(sentence.sectionIndex) ?? 0) + 1);
  const parts = new Map<number, number>();
  let section = -1;
  let opened = 0;
  for (const sentence of sentences) {
    if (sentence.sectionIndex !== section) {
      section = sentence.sectionIndex;
      opened = 0;
    }
    if ((titles.get(section) ?? 0) >= 2 && incidentTitle(sentence)) opened += 1;
    parts.set(sentence.index, section * 1000 + opened);
  }
  return parts;
}

/**
 * The statements after the last name of a line the splitter kept whole because a full stop is followed
 * by a lower-case word ("InnoDB was fine. the server kept every log since the upgrade. disk filled"), or
 * null when no such stop follows the name.
 */
function joinedTail(text: string, lastNameEnd: number): string | null {
  const stop = /\.\s+(?=[a-z])/g;
  stop.lastIndex = lastNameEnd;
  const found = stop.exec(text);
  if (!found) return null;
  const tail = text.slice(found.index + found[0].length).trim();
  return tail.split(/\s+/).length >= 4 ? tail : null;
}

/** The parts of a technology of each kind in its own vocabulary: what a clause may say failed without naming it. */
const OWN_PARTS: Record<string, RegExp> = {
  database:
    /\b(?:replica set|secondar(?:y|ies)|replicas?|primary|oplog|query planner|planner|index(?:es)?|partitions?|table)\b/gi,
  cache: /\b(?:master|replicas?|primary|keyspace)\b/gi,
  queue: /\b(?:consumer group|group|partitions?|offsets?|ISR|in-sync replicas|mirrors?|brokers?)\b/gi,
  'object-store': /\b(?:bucket|replication)\b/gi,
  search:
    /\b(?:index|indices|indexes|shards?|replica shards?|mapping|master(?:-eligible)?(?: nodes?)?|data nodes?)\b/gi,
  coordination: /\b(?:quorum|ensemble|members?|leader|followers?)\b/gi,
};

/** The same parts as whole words: whether a word is a part of a kind. */
const OWN_PART_WORD: Record<string, RegExp> = Object.fromEntries(
  Object.entries(OWN_PARTS).map(([kind, parts]) => [kind, new RegExp(`^(?:${parts.source})$`, 'i')]),
);

/** The same parts at the start of a text: a longer part of another kind there ("master node") holds the word. */
const OWN_PART_OPENING: Record<string, RegExp> = Object.fromEntries(
  Object.entries(OWN_PARTS).map(([kind, parts]) => [kind, new RegExp(`^(?:${parts.source})\\b`, 'i')]),
);

/** The same parts anywhere in a text, matched once. */
const OWN_PART_ANYWHERE: Record<string, RegExp> = Object.fromEntries(
  Object.entries(OWN_PARTS).map(([kind, parts]) => [kind, new RegExp(parts.source, 'i')]),
);

/**
 * A part of the technology that opens its clause as the subject, with a failure told after it in the clause. A
 * word that is also a part of another kind named in the document (the index of a table or of a search cluster) is
 * no one's.
 */
function partSubjectFails(text: string, parts: RegExp, otherKinds: readonly string[]): boolean {
  parts.lastIndex = 0;
  for (let found = parts.exec(text); found; found = parts.exec(text)) {
    const word = found[0];
    if (
      otherKinds.some(
        (kind) => OWN_PART_WORD[kind]?.test(word) || OWN_PART_OPENING[kind]?.test(text.slice(found.index)),
      )
    )
      continue;
    const clause = clauseAt(text, found.index);
    const at = found.index - clauseBefore(text, found.index).length;
    // A full stop before a lower-case word ends a terse sentence the splitter kept whole ("one of three up. quorum gone").
    const before = text.slice(at, found.index).split(/\.\s+/).pop()!;
    if (!SUBJECT_OPENING.test(before)) continue;
    const rest = clause.slice(found.index - at + found[0].length).split(/\.\s+/)[0]!;
    const fails = FAILURE_STATE.test(rest) || OWN_BEHAVIOUR.test(rest) || PART_VERB.test(rest);
    if (fails && !EXTERNAL_FAULT.test(rest) && !EXTERNAL_FAULT.test(before)) return true;
  }
  return false;
}

/** The verb of a part that failed, right after it: "quorum was lost", "the offsets were deleted", "the index went red". */
const PART_VERB =
  /^\s+(?:(?:creation|allocation|recovery|sync|election|writes?|reads?)\s+)?(?:(?:was|were|had been|has been|have been|got|is|are)\s+)?(?:\w+ly\s+)?(?:lost|failed|stopped|refused|rejected|expired|removed|deleted|went (?:red|down|offline|read-only)|turned red|offline|unavailable|unassigned)\b/i;

/**
 * The named technologies a sentence naming none tells failing through a part in their own vocabulary as the
 * subject of the failure: the one technology of the part's kind with a candidate of its own.
 */
function partFailures(
  text: string,
  matcher: TechnologyMatcher,
  named: ReadonlyMap<string, TechnologyAssessment>,
): string[] {
  const ofKind = new Map<string, string[]>();
  for (const assessment of named.values()) {
    const kind = matcher.kindOf(assessment.technology);
    if (kind) ofKind.set(kind, [...(ofKind.get(kind) ?? []), assessment.technology]);
  }
  const found: string[] = [];
  for (const [kind, technologies] of ofKind) {
    const parts = OWN_PARTS[kind];
    const technology = technologies[0]!;
    if (technologies.length !== 1 || !parts || (named.get(technology)?.candidates.length ?? 0) === 0) continue;
    // A technology named only as someone else's, as fine or as a victim (no candidate) claims no word of its kind.
    const otherKinds = [...ofKind.entries()]
      .filter(
        ([other, owners]) => other !== kind && owners.some((owner) => (named.get(owner)?.candidates.length ?? 0) > 0),
      )
      .map(([other]) => other);
    if (partSubjectFails(text, parts, otherKinds)) found.push(technology);
  }
  return found;
}

/**
 * A database's own choice of how to run a query, told as a decision with its object in the planner's vocabulary: "it
 * chose a sequential scan", "the planner picked a nested loop", "it keeps the generic plan", "switches to a seq
 * scan". Whoever wrote the query, the plan is the database's own mechanism (its internals), told without naming it.
 * Not our choice ("we chose a full scan for the export"), nor one that only might have been ("would have picked
 * the same plan").
 */
const PLAN_CHOICE =
  /\b(?:chose|chooses|picked|picks|kept|keeps|switched to|switches to|flipped to|flips to|fell back to|falls back to|preferred|prefers|settled on)\s+(?:(?:a|an|the|its|that|this)\s+)?(?:[\w-]+\s+){0,2}?(?:(?:(?:sequential|seq|full|index|bitmap|table)\s+)?scan|nested[- ]loop|(?:hash\s+|merge\s+)?join|(?:generic|custom|query|execution|bad|worse|wrong|different|cheaper|same)\s+plan)\b/i;
/** The chooser is one of us, or the choice is hypothetical. */
const NOT_THE_ENGINES_CHOICE =
  /\b(?:we|i|you|they|team|us|engineers?|developers?|someone|would|could|should|might|will|to)\s+(?:(?:have|then|instead|also|just|simply|had)\s+)?$/i;

function planChosenIn(text: string): boolean {
  const found = PLAN_CHOICE.exec(text);
  if (!found || NOT_THE_ENGINES_CHOICE.test(text.slice(0, found.index))) return false;
  return nothingMovesFailure(clauseAt(text, found.index)) && !EXTERNAL_FAULT.test(clauseAt(text, found.index));
}

/**
 * The database whose plan a sentence naming nothing tells chosen: the one named database with a candidate of its
 * own, else the database the section names last a few sentences back (the topic).
 */
function planChooser(
  sentence: SourceSentence,
  topic: Topic | null,
  matcher: TechnologyMatcher,
  named: ReadonlyMap<string, TechnologyAssessment>,
): string | null {
  if (!planChosenIn(sentence.text)) return null;
  const databases = [...named.values()].filter(
    (assessment) => matcher.kindOf(assessment.technology) === 'database' && assessment.candidates.length > 0,
  );
  if (databases.length === 1) return databases[0]!.technology;
  const current =
    topic && topic.sectionIndex === sentence.sectionIndex && sentence.index - topic.index <= TOPIC_SPAN ? topic : null;
  return current && matcher.kindOf(current.technology) === 'database' ? current.technology : null;
}

/** GENERIC_NOUNS with one modifier allowed before the noun ("the six-broker cluster"), for laterNounHoldsLimit. */
const MODIFIED_GENERIC_NOUNS: Record<string, RegExp> = Object.fromEntries(
  Object.entries(GENERIC_NOUNS).map(([kind, noun]) => [
    kind,
    new RegExp(noun.source.replace('(the|our|its|that|this) ', '(?:the|our|its|that|this) (?:[\\w-]+ )?'), 'gi'),
  ]),
);

/**
 * The same, matched once anywhere in a sentence: a generic noun keeps pointing at the one named technology of its
 * kind with a modifier between the determiner and the noun ("the old primary", "the other replicas", "the finance
 * database"), as the bare noun does.
 */
const MODIFIED_GENERIC_NOUN: Record<string, RegExp> = Object.fromEntries(
  Object.entries(MODIFIED_GENERIC_NOUNS).map(([kind, noun]) => [kind, new RegExp(noun.source, 'i')]),
);

/** A generic noun in a sentence naming nothing that may point at a named technology of its kind. */
interface KindNoun {
  technology: string;
  noun: RegExpExecArray;
  /** Found only with a modifier between the determiner and the noun ("the old primary"). */
  modified: boolean;
}

/**
 * The generic noun of a named technology's kind in a text: the bare noun as before ("the primary"), else the noun
 * with one modifier ("the old primary"). A modified noun whose head is also a part of another named kind ("the hot
 * partition" of a table and of a queue) is no one's.
 */
function kindNounFor(
  text: string,
  assessment: TechnologyAssessment,
  matcher: TechnologyMatcher,
  named: ReadonlyMap<string, TechnologyAssessment>,
): KindNoun | null {
  if (assessment.candidates.length === 0) return null;
  const kind = matcher.kindOf(assessment.technology);
  if (!kind) return null;
  const bare = GENERIC_NOUNS[kind]?.exec(text);
  if (bare) return { technology: assessment.technology, noun: bare, modified: false };
  const modified = MODIFIED_GENERIC_NOUN[kind]?.exec(text);
  if (!modified) return null;
  const shared = [...named.values()].some((other) => {
    const otherKind = matcher.kindOf(other.technology);
    return (
      other.candidates.length > 0 &&
      otherKind &&
      otherKind !== kind &&
      OWN_PART_WORD[otherKind]?.test(modified[1] ?? '')
    );
  });
  return shared ? null : { technology: assessment.technology, noun: modified, modified: true };
}

/**
 * Another noun found at the same place points elsewhere: two bare nouns ("the cluster" of a queue and of a search
 * cluster) are neither's; a modified one gives way to any other ("the search cluster" is the search cluster's, not
 * a queue's "cluster" with a modifier).
 */
function nounShared(one: KindNoun, all: readonly KindNoun[]): boolean {
  return all.some((other) => other !== one && other.noun.index === one.noun.index && (one.modified || !other.modified));
}

/**
 * Whether a clause after `from` opens on the generic noun of the kind (its subject, with one modifier at most) and
 * tells a limit reached: "...; the six-broker cluster had been creeping up and hit the ceiling".
 */
function laterNounHoldsLimit(text: string, from: number, kind: string): boolean {
  const noun = MODIFIED_GENERIC_NOUNS[kind];
  if (!noun) return false;
  noun.lastIndex = from;
  for (let found = noun.exec(text); found; found = noun.exec(text)) {
    const before = clauseBefore(text, found.index);
    if (found.index - before.length <= from || !/^\s*(?:(?:and|so|then)\s+)?$/i.test(before)) continue;
    if (limitReached(clauseAt(text, found.index))) return true;
  }
  return false;
}

/** The resource policies each kind carries on itself. */
const OWN_POLICIES: Record<string, string> = {
  'object-store': 'bucket|resource',
  search: 'access|domain|resource',
  queue: 'queue|topic|access|resource',
};
const POLICY_DENIES = String.raw`\b(?:den(?:y|ies|ied)|restrict(?:s|ed)?|block(?:s|ed)?|revok(?:es|ed)|(?:has|had) an? (?:explicit )?deny)\b`;
const OWN_POLICY_DENIES: Record<string, RegExp> = Object.fromEntries(
  Object.entries(OWN_POLICIES).map(([kind, nouns]) => [
    kind,
    // Not someone else's policy: "the security group's access policy", "the endpoint's policy".
    new RegExp(String.raw`(?<!['\u2019]s )\b(?:${nouns}) polic(?:y|ies)\b[^.;]{0,120}?${POLICY_DENIES}`, 'i'),
  ]),
);

/**
 * Whether a later clause of a sentence naming only X (past a clause break after the name) tells a part of X's kind,
 * in its own vocabulary, failing: "the X cluster replicated the bulk update as millions of log entries; the
 * secondaries' apply lag made every write time out", "we looked at the X node stats, and the waves lined up with
 * collection pauses on all data nodes". The part is X's, as the sentence names nothing else; a failure the clause
 * moves elsewhere (denied, suspected, a third party's) is not read.
 */
/** A failure the clause tells and does not deny: "...pauses on all data nodes", not "no failover was triggered". */
function failureAffirmed(clause: string): boolean {
  const failure = new RegExp(FAILURE_STATE.source, FAILURE_STATE.flags.replace('g', '') + 'g');
  for (const found of clause.matchAll(failure))
    if (!/\b(?:no|not|never|without|nor)\s+(?:[\w-]+\s+)?$/i.test(clause.slice(0, found.index))) return true;
  return false;
}

function laterPartFails(text: string, from: number, kind: string): boolean {
  const parts = OWN_PARTS[kind];
  if (!parts) return false;
  const tail = text.slice(from);
  const first = clauseAt(tail, 0).length;
  parts.lastIndex = first;
  for (let found = parts.exec(tail); found; found = parts.exec(tail)) {
    const clause = clauseAt(tail, found.index);
    const fails = failureAffirmed(clause) || PART_VERB.test(tail.slice(found.index + found[0].length));
    if (fails && nothingMovesFailure(clause) && !EXTERNAL_FAULT.test(clause)) return true;
  }
  return false;
}

/**
 * A resource policy of the technology itself (a bucket policy, a domain's access policy, a queue or topic policy)
 * told denying, restricting or revoking access: "rolled out a new bucket policy to the X bucket that denies any
 * upload without the key", "the X bucket policy restricts access to one endpoint". The rule lives on the technology
 * and it refuses the requests: its own setting, as plain as a limit reached. An identity's policy (a role's, a
 * user's) is not the technology's; a sentence naming another technology is not read.
 */
function ownPolicyDenies(text: string, kind: string): boolean {
  return (OWN_POLICY_DENIES[kind]?.test(text) ?? false) && nothingMovesFailure(text);
}

/**
 * The name as the subject of "does what it is designed to do", "did precisely what it promises", and after a colon
 * or a semicolon the design told: "X does what it is designed to do: after a short delay it starts rebuilding the
 * node's replicas elsewhere", "X did precisely what it promises; the promise is per partition". The writer puts the
 * technology's own behaviour as the mechanism. The forms that clear it ("did exactly what it should") are read as
 * denials before this; a telling that turns to us, moves the fault elsewhere or denies it is not read.
 */
const DESIGN_TOLD =
  /^\s*(?:itself\s+)?(?:does|did)\s+(?:exactly\s+|precisely\s+)?what\s+(?:it|they)\s+(?:(?:is|are|was|were)\s+(?:designed|built|meant)\s+to\s+do|promises|promised|guarantees|guaranteed)\b[^:;]{0,80}[:;]\s*(\S.*)$/i;

/** The telling turns to us: "...; our consumer assumed ...", "...: we had set ...". */
const TOLD_BY_US = /\b(?:we|our|us|ours|i|my)\b/i;

function designTold(text: string, end: number): boolean {
  const told = DESIGN_TOLD.exec(text.slice(end))?.[1];
  return (
    told !== undefined &&
    told.split(/\s+/).length >= 4 &&
    !TOLD_BY_US.test(told) &&
    nothingMovesFailure(told) &&
    !EXTERNAL_FAULT.test(told)
  );
}

/**
 * A generic noun of the technology's kind as the subject of doing what its design or one of its features promises:
 * "the queue is doing exactly what content-based dedup promises", "the cluster did what it is designed to do". As
 * with the name ("X does what it is designed to do: ..."), the design is the mechanism, not innocence; "did what it
 * was told" or "did what it should" (read as denials) are not this.
 */
const DESIGN_DONE_AFTER =
  /^\s+(?:itself\s+)?(?:(?:is|was|were|are)\s+)?(?:doing|did|does|do)\s+(?:exactly\s+|precisely\s+)?what\s+(?:[\w-]+\s+){1,3}?(?:(?:is|are|was|were)\s+(?:designed|built|meant)\s+to\b|promises|promised|guarantees|guaranteed)/i;

function kindNounDoesDesign(text: string, noun: RegExpExecArray): boolean {
  return DESIGN_DONE_AFTER.test(text.slice(noun.index + noun[0].length)) && nothingMovesFailure(text);
}

/**
 * A new version of the technology told changing one of its defaults: the version, not our setting, is the
 * agent of the change. "8.0 changed the server's default collation", "Since X 15 the public schema no longer
 * grants CREATE by default", "newer versions default it to 30 min", "7.0 changed that default to ...".
 */
const DEFAULT_CHANGED =
  /\b(?:chang(?:ed|es)|flip(?:ped|s)|switch(?:ed|es)|turn(?:ed|s))\s+(?:[\w'\u2019-]+\s+){0,3}?defaults?\b|\bdefaults?\s+(?:[\w-]+\s+){0,2}?to\b|\bno longer\b[^.;:]{0,80}\bby default\b/i;
/** A version as a noun: "8.0", "v7", "15", "the new engine version", "newer versions". */
const VERSION = String.raw`(?:v?\d+(?:\.\d+){0,2}(?:\.x)?|(?:the\s+)?(?:new|newer|later|latest)\s+(?:(?:engine|server|major|broker)\s+)?versions?)`;
/** A clause opening on a bare version as its subject ("8.0 changed ...", "- 7.0 changed ...", "Since 15, ..."). */
const VERSION_OPENS = new RegExp(
  String.raw`^\s*(?:[-*\u2022]\s*)?(?:[A-Za-z ]{1,20}:\s+)?(?:(?:since|from|in|with|and|but)\s+)?${VERSION}\b(?!\s*(?:%|ms|s|min|minutes|seconds|hours|days|gb|mb|kb|tb|nodes|brokers|replicas|shards|partitions|users|rows|items)\b)`,
  'i',
);
/** The name followed by its version opening the clause: "Since X 15 ...", "X 8.0 changed ...". */
const NAME_VERSION = /^\s*v?\d+(?:\.\d+){0,2}\b/;
const NAME_VERSION_BEFORE = /^\s*(?:[A-Za-z ]{1,20}:\s+)?(?:(?:since|from|in|with|and|but)\s+)?(?:the\s+)?$/i;

/** The sentence tells a default of the technology changed by its version: not a proposal, a suspicion or someone else's. */
function defaultChangedIn(clause: string): boolean {
  return DEFAULT_CHANGED.test(clause) && !SUSPICION.test(clause) && !PROPOSAL.test(clause) && !upstreamIn(clause);
}

/** The name, with its version, as the subject of a change of a default. */
function versionChangedDefault(text: string, start: number, end: number): boolean {
  if (!NAME_VERSION.test(text.slice(end)) || !NAME_VERSION_BEFORE.test(clauseBefore(text, start))) return false;
  return defaultChangedIn(clauseAt(text, start));
}

/** A sentence naming nothing whose first clause opens on a version that changed a default. */
function versionOpensDefaultChange(text: string): boolean {
  // A full stop before a lower-case word ends a terse sentence the splitter kept whole ("... at all. newer versions ...").
  return text.split(/\.\s+(?=[a-z])/).some((piece) => {
    const clause = clauseAt(piece, 0);
    return VERSION_OPENS.test(clause) && defaultChangedIn(clause);
  });
}

/** A sentence telling a technology upgraded or at a version: "we upgraded X from 5.7 to 8.0", "X (upgraded to 7.2)". */
const UPGRADE_TOLD = /\bupgrad(?:e|ed|es|ing)\b|\bmajor version\b/i;

/** The one technology whose own mentions tell it upgraded; null when none or several. */
function upgradedTechnology(named: ReadonlyMap<string, TechnologyAssessment>): string | null {
  const found = [...named.values()].filter((assessment) =>
    [...assessment.candidates, ...assessment.nonCausal].some(
      (mention) => mention.context !== 'action-item' && UPGRADE_TOLD.test(mention.sentence.text),
    ),
  );
  return found.length === 1 ? found[0]!.technology : null;
}

/**
 * What may open a clause before its subject: a time stamp, a speaker, a conjunction, a share ("a third of"), a
 * determiner and one modifier (a quoted identifier too: "the `events` table").
 */
const SUBJECT_OPENING =
  /^\s*(?:\[?\d{1,2}:\d{2}(?::\d{2})?\]?\s+)?(?:[\w.-]{1,30}:\s+)?(?:(?:and|so|then|now|because|when|once|after|until)\s+)?(?:(?:for|during|within|over|after|by)\s+(?:[\w-]+\s+){1,3}?)?(?:(?:(?:a|one|two)\s+)?(?:third|quarter|half|most|some|many|all|each|several)\s+of\s+)?(?:(?:the|our|its|every|each|all|both)\s+)?(?:[`'"]?[\w.-]+[`'"]?\s+)?$/i;

/**
 * The weight of a sentence that counts for a technology without naming it in a causal clause (by
 * its parts, an anaphor, a generic noun, a limit): twice its section's cause weight, half as much
 * again with a causal cue ("because", "caused").
 */
function unnamedWeight(sentence: SourceSentence): number {
  return causeWeightOf(sentence) * 2 * (CAUSAL_CUE.test(sentence.text) ? 1.5 : 1);
}

interface Topic {
  technology: string;
  sectionIndex: number;
  index: number;
  /** The naming sentence named no other technology. */
  alone: boolean;
  /** The naming sentence calls something healthy or innocent ("search was fine", "the store was healthy"). */
  calledHealthy: boolean;
  /**
   * The naming sentence opens on a subject of its own (a thing, not a person) and names the technology only as
   * where that subject sends or keeps something ("A fleet ... writes files to an S3 bucket"): an "It" in the next
   * sentence is that subject, not the technology.
   */
  pronounElsewhere: boolean;
}

/** A sentence that opens on a thing as its subject: a determiner and a noun, not a person or a pronoun. */
const THING_SUBJECT =
  /^\s*(?:(?:\d{1,2}:\d{2}\S*|\[[^\]]*\])\s+)?(?:a|an|the|our|each|every|one|this|that)\s+(?!(?:on-?call|engineers?|team|teams|customers?|users?|operators?|people|person|developers?|sres?|admins?|dbas?|owners?)\b)[\w-]+/i;

/** Whether a sentence names a technology only as a place its thing subject sends or keeps something (see Topic). */
function namedOnlyAsPlace(text: string, mentions: ReadonlyArray<{ start: number }>): boolean {
  if (!THING_SUBJECT.test(text) || mentions.length === 0) return false;
  return mentions.every((mention) => inObjectPosition(clauseBefore(text, mention.start)));
}

/** A pronoun opening (not a generic noun): "It had a bug", "They ...". */
const PRONOUN_OPENING = /^(?:(?:while|when|once|because|as|since|after|until|so|and|then),?\s+)?(?:it|its|they)\b/i;

/**
 * Coreference by topic: a sentence that names no technology and tells a failure is about the
 * technology named last in the same section, a few sentences back, unless the failure is
 * plainly someone else's (the network, the host, the client, our code).
 */
/** Whether a sentence points back at the topic: "It ...", "The cluster ...", or a generic noun of the topic's kind. */
function refersTo(text: string, topic: Topic, matcher: TechnologyMatcher): boolean {
  const kind = matcher.kindOf(topic.technology);
  return REFERS_BACK.test(text) || Boolean(kind && GENERIC_NOUNS[kind]?.test(text));
}

/** A setting named as a parameter: snake_case, dotted twice, or camelCase ("max_connections", "maxClients"). */
const NAMED_SETTING = /\b(?:[a-z]+_[a-z_]+|[a-z]+(?:\.[a-z_]+){2,}|[a-z]+[A-Z][A-Za-z]+)\b/;

/**
 * The limit's holder is the technology's own: a setting named as a parameter ("against a max_connections of 800")
 * or a part of its kind ("more writes than a single partition can absorb"). A limit of something else told right
 * after ("the feed API ran out of integer ids") is not the technology's.
 */
function ownHolderIn(text: string, kind: string | undefined): boolean {
  const parts = kind ? OWN_PART_ANYWHERE[kind] : undefined;
  return NAMED_SETTING.test(text) || (parts?.test(text) ?? false);
}

/** Coreference by topic (see above): the sentence must point back at the topic. */
function topicCandidate(
  sentence: SourceSentence,
  topic: Topic | null,
  signalled: ReadonlySet<string>,
  matcher: TechnologyMatcher,
): MentionAssessment | null {
  if (!topic || topic.sectionIndex !== sentence.sectionIndex || sentence.index - topic.index > TOPIC_SPAN) return null;
  if (!readsAsNarrative(sentence) || sentence.isHeading || signalled.has(topic.technology)) return null;
  const text = sentence.text;
  if (!tellsUnnamedFailure(text) || EXTERNAL_FAULT.test(text)) return null;
  // A named parameter changed right after the sentence naming the technology is a setting of it
  // ("... sits behind HAProxy. The rollout set maxconn_per_backend to 10."), with no anaphor.
  // A parameter shown with a wrong value is the topic's only when its sentence named nothing else.
  const parameter = namedParameterChanged(text) || (topic.alone && parameterShownWrong(text));
  // A record outgrowing a size right after a sentence naming only the technology is a record of it ("Each
  // playlist is one X item. At 160 bytes per entry the item crosses 400 KB").
  const oversized = topic.alone && !topic.calledHealthy && recordOverSizeLimit(text);
  const limit =
    topic.alone &&
    !topic.calledHealthy &&
    sentence.index - topic.index <= 1 &&
    limitReached(text) &&
    ownHolderIn(text, matcher.kindOf(topic.technology));
  // Without a setting, a record or a limit of its own, the sentence must point back at the topic, and not by a
  // pronoun whose antecedent is the subject before it ("A fleet ... writes files to an S3 bucket. It had a bug ...").
  if (!parameter && !oversized && !limit) {
    if (!refersTo(text, topic, matcher)) return null;
    const kindNoun = GENERIC_NOUNS[matcher.kindOf(topic.technology) ?? ''];
    if (topic.pronounElsewhere && PRONOUN_OPENING.test(text) && !kindNoun?.test(text)) return null;
  }
  // "It ran out of connections", "The broker's memory filled": the anaphor holds the limit reached or the setting changed.
  const anaphor = REFERS_BACK.exec(text) ?? GENERIC_NOUNS[matcher.kindOf(topic.technology) ?? '']?.exec(text);
  const holdsOwn =
    oversized || limit
      ? true
      : anaphor
        ? ownFailureIn(clauseAt(text, anaphor.index + anaphor[0].length - 1), clauseBefore(text, anaphor.index).length)
        : false;
  return {
    technology: topic.technology,
    sentence,
    context: null,
    weight: unnamedWeight(sentence) * (holdsOwn ? LIMIT_FACTOR : TOPIC_FACTOR),
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
  topic: Topic | null = null,
): MentionAssessment[] {
  if (!readsAsNarrative(sentence) || sentence.isHeading) return [];
  const text = sentence.text;
  const signalled = matcher.signalledIn(text);
  // A rule of how a feature works, told in the technology's own vocabulary ("Retention never waits for a
  // whether any consumer group has read a segment"): the technology's behaviour, for that vocabulary only.
  const failedParts = partFailures(text, matcher, named);
  const failing = tellsUnnamedFailure(text, failedParts.length > 0);
  const base = unnamedWeight(sentence);
  // A bare version that changed a default ("8.0 changed the server's default collation"): the version of the one
  // technology the document tells being upgraded, its own mechanism.
  const upgraded = versionOpensDefaultChange(text) ? upgradedTechnology(named) : null;
  const byVersion: MentionAssessment[] = upgraded
    ? [{ technology: upgraded, sentence, context: null, weight: base * LIMIT_FACTOR }]
    : [];
  // A generic noun of the one named technology of its kind doing what its design promises: its mechanism.
  const designers = [...named.values()].flatMap((assessment) => {
    const found = kindNounFor(text, assessment, matcher, named);
    return found && kindNounDoesDesign(text, found.noun) ? [found] : [];
  });
  for (const designer of designers)
    if (!byVersion.some((result) => result.technology === designer.technology) && !nounShared(designer, designers))
      byVersion.push({ technology: designer.technology, sentence, context: null, weight: base * LIMIT_FACTOR });
  // The database's own plan choice ("it chose a sequential scan"): its internals, as plain as naming it.
  const chooser = planChooser(sentence, topic, matcher, named);
  if (chooser && !byVersion.some((result) => result.technology === chooser))
    byVersion.push({ technology: chooser, sentence, context: null, weight: base * LIMIT_FACTOR });
  if (!failing && !(signalled.size > 0 && ruleInVocabulary(text))) return byVersion;
  const results: MentionAssessment[] = [...byVersion];
  // The technology's own vocabulary with a limit reached ("crossed the memory watermark and raised the alarm").
  const signalFactor = ownFailureIn(text) ? LIMIT_FACTOR : SIGNAL_FACTOR;
  // A sentence whose vocabulary points at two named technologies of one kind points at neither: the terms are
  // mostly shared ("shard allocation" of Elasticsearch and OpenSearch). Looser than the guard's own vocabulary
  // (TechnologyMatcher.ownVocabularyIn), which leaves out every shared term, also where one owner is named.
  // Every named owner counts for sharing (one told only as background still shares the term); only one with a
  // candidate of its own receives the sentence.
  const namedOwners = [...signalled].filter((technology) => named.has(technology));
  const owners = namedOwners.filter((technology) => (named.get(technology)?.candidates.length ?? 0) > 0);
  const kinds = namedOwners.map((technology) => matcher.kindOf(technology));
  for (const technology of owners) {
    if (results.some((result) => result.technology === technology)) continue;
    const kind = matcher.kindOf(technology);
    if (kinds.filter((other) => other === kind).length > 1) continue;
    results.push({ technology, sentence, context: null, weight: base * signalFactor });
  }
  if (!failing) return results;
  // A generic noun ("the cluster") points at a named technology only when it fits exactly one of them;
  // two nouns of different kinds ("the bucket refused the uploads, and the queue redelivered") each point at their own.
  const fitting: KindNoun[] = [];
  for (const assessment of named.values()) {
    const found = kindNounFor(text, assessment, matcher, named);
    if (found) fitting.push(found);
  }
  // The kind as the subject of a rule of how it works ("An ordered queue accepts at most 300 sends a second"): a
  // documented limit of the one named technology of that kind, as plain as naming it.
  const ofKind = new Map<string, string[]>();
  for (const assessment of named.values()) {
    const kind = matcher.kindOf(assessment.technology);
    if (kind) ofKind.set(kind, [...(ofKind.get(kind) ?? []), assessment.technology]);
  }
  for (const [kind, technologies] of ofKind) {
    const noun = KIND_RULE_NOUNS[kind];
    const technology = technologies[0]!;
    if (technologies.length !== 1 || !noun || (named.get(technology)?.candidates.length ?? 0) === 0) continue;
    if (signalled.has(technology) || !kindRuleSubject(text, noun)) continue;
    results.push({ technology, sentence, context: null, weight: base * LIMIT_FACTOR });
  }
  // A certificate of its own servers failed ("the brokers' TLS certificate had expired"): a broker is the
  // queue's; a node, member or listener is the one technology the document names.
  const owner = ownCertificateFault(text);
  if (owner) {
    const holders = [...named.values()].filter(
      (assessment) =>
        assessment.candidates.length > 0 &&
        (!owner.startsWith('broker') || matcher.kindOf(assessment.technology) === 'queue'),
    );
    const holder = holders.length === 1 ? holders[0]!.technology : null;
    if (holder && !signalled.has(holder) && !results.some((result) => result.technology === holder))
      results.push({ technology: holder, sentence, context: null, weight: base * LIMIT_FACTOR });
  }
  // A part of the technology in its own vocabulary as the subject of the failure ("quorum was lost", "the consumer
  // group kept rebalancing", "the secondaries were lagging"): who failed is a part of the one named
  // technology of that kind, as plain as naming it.
  for (const technology of failedParts) {
    if (!results.some((result) => result.technology === technology))
      results.push({ technology, sentence, context: null, weight: base * LIMIT_FACTOR });
  }
  for (const only of fitting) {
    if (results.some((result) => result.technology === only.technology)) continue;
    if (nounShared(only, fitting)) continue;
    if (signalled.has(only.technology)) continue;
    // The noun holds the limit its clause says was reached: as plain as naming the technology.
    const holdsLimit = ownFailureIn(
      clauseAt(text, only.noun.index + only.noun[0].length - 1),
      clauseBefore(text, only.noun.index).length,
    );
    const reading: MentionAssessment = {
      technology: only.technology,
      sentence,
      context: null,
      weight: base * (holdsLimit ? LIMIT_FACTOR : GENERIC_FACTOR),
    };
    if (only.modified) FROM_MODIFIED_NOUN.add(reading);
    results.push(reading);
  }
  return results;
}

/** The readings of a generic noun found only with a modifier: a topic reading of the same sentence may weigh more. */
const FROM_MODIFIED_NOUN = new WeakSet<MentionAssessment>();

/** Take back what a sentence counted for a technology and count a denial against it. */
function deny(
  target: TechnologyAssessment,
  sentence: SourceSentence,
  exonerated: boolean,
  from?: SourceSentence,
): void {
  const taken = from ? target.candidates.filter((mention) => mention.sentence.index === from.index) : [];
  target.candidates = target.candidates.filter((mention) => !taken.includes(mention));
  target.score -= taken.reduce((sum, mention) => sum + mention.weight, 0) + 2;
  target.nonCausal.push({ technology: target.technology, sentence, context: 'negated', weight: 0 });
  if (exonerated) target.exonerated = true;
}

/**
 * "The state lives in S3 and locking uses a DynamoDB table. Both worked perfectly.": a sentence
 * naming nothing that opens by pointing back and calls it healthy denies what the sentence before
 * named (all of them for "both", "they"; the only one for "it", "the cluster").
 */
function denyByPointingBack(
  sentence: SourceSentence,
  previous: { sentence: SourceSentence; technologies: string[] },
  byTechnology: ReadonlyMap<string, TechnologyAssessment>,
): void {
  if (previous.sentence.sectionIndex !== sentence.sectionIndex || previous.technologies.length === 0) return;
  const plural = POINTS_BACK_PLURAL.test(sentence.text);
  if (!plural && !(POINTS_BACK_SINGULAR.test(sentence.text) && previous.technologies.length === 1)) return;
  const opening = clauseAt(sentence.text, 0);
  if (!EXONERATION.test(opening) && !NEGATION.test(opening)) return;
  // A denial, not a veto: "it" and "they" may point at less than the whole technology.
  for (const technology of previous.technologies) {
    const target = byTechnology.get(technology);
    if (target) deny(target, sentence, false, previous.sentence);
  }
}

/**
 * A sentence that denies a whole stretch of what came before: "None of that setup broke on the
 * day", "Nothing in the section above was at fault". It points back at a passage, not at one
 * name: every technology the section named in the last few sentences is denied.
 */
const SPAN_DENIAL =
  /^(?:but\s+|and\s+|so\s+)?(?:nothing|none)\s+(?:of|in)\s+(?:this|that|these|those|the\s+(?:above|preceding|previous|foregoing))\b(?:\s+[\w-]+){0,2}?\s+(?:failed|broke|went wrong|misbehaved|(?:was|were)\s+(?:at fault|involved|the (?:root )?cause|to blame|wrong|a factor)|caused|contributed|(?:had|played)\s+(?:any\s+)?(?:part|role))\b/i;

/** A sentence that names the generic noun of a kind and clears it: "Checked the bucket: no errors, nothing reached it". */
function clearsByNoun(text: string, kind: string | undefined): boolean {
  const noun = kind ? GENERIC_NOUNS[kind] : undefined;
  return !!noun && noun.test(text) && (NEGATION.test(text) || EXONERATION.test(text));
}

function denyBySpan(
  sentence: SourceSentence,
  recent: ReadonlyArray<{ sentence: SourceSentence; technologies: string[] }>,
  byTechnology: ReadonlyMap<string, TechnologyAssessment>,
): void {
  if (!SPAN_DENIAL.test(sentence.text)) return;
  const span = recent.filter(
    (entry) =>
      entry.sentence.sectionIndex === sentence.sectionIndex && sentence.index - entry.sentence.index <= TOPIC_SPAN,
  );
  const indices = new Set(span.map((entry) => entry.sentence.index));
  for (const technology of new Set(span.flatMap((entry) => entry.technologies))) {
    const target = byTechnology.get(technology);
    if (!target) continue;
    const taken = target.candidates.filter((mention) => indices.has(mention.sentence.index));
    target.candidates = target.candidates.filter((mention) => !taken.includes(mention));
    target.score -= taken.reduce((sum, mention) => sum + mention.weight, 0) + 2;
    target.nonCausal.push({ technology, sentence, context: 'negated', weight: 0 });
  }
}

/**
 * "The database did exactly what it should", "queue itself is fine": a clause calling a technology
 * healthy by the noun of its kind denies the one technology of that kind the document names.
 */
function denyByKind(
  sentences: readonly SourceSentence[],
  matcher: TechnologyMatcher,
  byTechnology: ReadonlyMap<string, TechnologyAssessment>,
): void {
  const ofKind = new Map<string, TechnologyAssessment[]>();
  for (const assessment of byTechnology.values()) {
    const kind = matcher.kindOf(assessment.technology);
    if (kind) ofKind.set(kind, [...(ofKind.get(kind) ?? []), assessment]);
  }
  for (const sentence of sentences) {
    if (sentence.isHeading || sentence.role === 'action-items' || sentence.role === 'references') continue;
    if (matcher.find(sentence.text).length > 0) continue;
    for (const [kind, noun] of Object.entries(KIND_NOUNS)) {
      const found = noun.exec(sentence.text);
      if (!found) continue;
      // The technology of the kind named last, a few sentences back in the section; else the only one of the kind.
      const all = ofKind.get(kind) ?? [];
      const lastNamed = (assessment: TechnologyAssessment): number =>
        Math.max(
          -1,
          ...[...assessment.candidates, ...assessment.nonCausal]
            .filter(
              (mention) =>
                mention.sentence.sectionIndex === sentence.sectionIndex &&
                mention.sentence.index < sentence.index &&
                sentence.index - mention.sentence.index <= TOPIC_SPAN,
            )
            .map((mention) => mention.sentence.index),
        );
      const latest = Math.max(-1, ...all.map(lastNamed));
      const recent = latest < 0 ? [] : all.filter((assessment) => lastNamed(assessment) === latest);
      const only = recent.length > 0 ? recent : all;
      if (only.length !== 1) continue;
      const clause = clauseAt(sentence.text, found.index);
      const after = clause.slice(Math.max(0, clause.indexOf(found[0])));
      // "The database stayed up; it was simply slow": a failure told after the noun keeps it in play.
      const rest = sentence.text.slice(found.index + found[0].length);
      const failing = FAILURE_STATE.test(rest) || FAILURE_LANGUAGE.test(rest);
      // The noun must be the subject of the health statement, a few words before it.
      const statement = after.slice(found[0].length, found[0].length + 50);
      const exonerated = EXONERATION.test(statement);
      // A veto only for a plain denial of cause; "did what it should" may speak of a part of it.
      const causeDenied = CAUSE_DENIED.test(statement);
      if (exonerated || causeDenied || (KIND_HEALTH.test(statement) && !failing)) deny(only[0]!, sentence, causeDenied);
    }
  }
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
  let topic = null as Topic | null;
  const parts = incidentParts(sentences);
  const add = (target: TechnologyAssessment, assessment: MentionAssessment): void => {
    target.candidates.push(assessment);
    target.score += assessment.weight;
    target.sections.add(parts.get(assessment.sentence.index) ?? assessment.sentence.sectionIndex * 1000);
  };
  let leadIn: { context: 'negated' | 'action-item'; sectionIndex: number } | null = null;
  let previous: { sentence: SourceSentence; technologies: string[] } | null = null;
  const recent: Array<{ sentence: SourceSentence; technologies: string[] }> = [];
  for (const sentence of sentences) {
    const seen = new Set<string>();
    const mentions = matcher.find(sentence.text);
    if (mentions.length === 0) unnamed.push({ sentence, topic });
    else {
      // A terse line the splitter kept whole ("X was fine. the server kept every log ..."): the part after
      // the last name, past a full stop before a lower-case word, is read as a sentence naming nothing.
      const tail = joinedTail(sentence.text, mentions[mentions.length - 1]!.end);
      if (tail) unnamed.push({ sentence: { ...sentence, text: tail }, topic: null });
    }
    if (!sentence.isListItem || leadIn?.sectionIndex !== sentence.sectionIndex) leadIn = null;
    const fromLeadIn = leadIn?.context ?? null;
    const names = { spans: mentions };
    let named: string | null = null;
    // Whether the sentence names one technology only (each of its mentions is then alone in it).
    const alone = mentions.every((mention) => mention.technology === mentions[0]?.technology);
    const assessed = mentions.map((mention): MentionAssessment => {
      const assessment = assess(sentence, mention.technology, mention.start, mention.end, names);
      // "X was fine with storing them but the response packet was over the limit": the denial is turned by "but"
      // to a record of X outgrowing X's own size limit, which is X's mechanism.
      if (assessment.context === 'negated' && alone && deniedThenOversized(sentence.text))
        return { ...assessment, context: null, weight: unnamedWeight(sentence) * LIMIT_FACTOR };
      // An item of a list introduced as "not part of the cause:" or "what we will do:" says what its lead-in says.
      return fromLeadIn && assessment.context === null ? { ...assessment, context: fromLeadIn, weight: 0 } : assessment;
    });
    // A sentence that calls a technology fine in one mention says nothing of it failing in another.
    const deniedHere = new Set(
      assessed.filter((assessment) => assessment.context === 'negated').map((assessment) => assessment.technology),
    );
    for (const [position, mention] of mentions.entries()) {
      const assessment = assessed[position]!;
      const target = entry(mention.technology);
      if (assessment.context === null && deniedHere.has(mention.technology)) continue;
      if (assessment.context === null) {
        named ??= mention.technology;
        if (seen.has(mention.technology)) continue;
        seen.add(mention.technology);
        // "The cluster is X on large brokers; the six-broker cluster hit the ceiling": a later clause of a sentence
        // naming only X, whose subject is the generic noun of X's kind, tells X's own limit reached.
        const kind = alone ? matcher.kindOf(mention.technology) : undefined;
        const limit =
          kind &&
          (laterNounHoldsLimit(sentence.text, mention.end, kind) ||
            laterPartFails(sentence.text, mention.end, kind) ||
            ownPolicyDenies(sentence.text, kind) ||
            designTold(sentence.text, mention.end) ||
            versionChangedDefault(sentence.text, mention.start, mention.end) ||
            recordOverSizeLimit(sentence.text));
        const limitWeight = unnamedWeight(sentence) * LIMIT_FACTOR;
        add(target, limit ? { ...assessment, weight: Math.max(assessment.weight, limitWeight) } : assessment);
      } else {
        target.nonCausal.push(assessment);
        if (assessment.context === 'negated') target.score -= 2;
        if (clearsOutright(assessment, sentence.text, mention.start, alone)) target.exonerated = true;
      }
    }
    if (mentions.length === 0 && previous) denyByPointingBack(sentence, previous, byTechnology);
    if (mentions.length === 0) denyBySpan(sentence, recent, byTechnology);
    if (mentions.length > 0)
      topic =
        named && !sentence.isHeading
          ? {
              technology: named,
              sectionIndex: sentence.sectionIndex,
              index: sentence.index,
              alone: mentions.every((mention) => mention.technology === named),
              calledHealthy: NEGATION.test(sentence.text) || EXONERATION.test(sentence.text),
              pronounElsewhere: namedOnlyAsPlace(
                sentence.text,
                mentions.filter((mention) => mention.technology === named),
              ),
            }
          : null;
    // "Checked the bucket: no errors, nothing reached it": the topic called fine by its kind's noun
    // tells no limit of it in the sentences after.
    else if (topic && clearsByNoun(sentence.text, matcher.kindOf(topic.technology)))
      topic = { ...topic, calledHealthy: true };
    previous = { sentence, technologies: [...new Set(mentions.map((mention) => mention.technology))] };
    if (mentions.length > 0) {
      recent.push(previous);
      if (recent.length > TOPIC_SPAN) recent.shift();
    }
    leadIn = leadInContext(sentence)
      ? { context: leadInContext(sentence)!, sectionIndex: sentence.sectionIndex }
      : leadIn;
  }
  denyByKind(sentences, matcher, byTechnology);
  for (const { sentence, topic: current } of unnamed) {
    // The tail of a line counts only for a technology its named part did not already count for.
    const counted = (technology: string): boolean =>
      byTechnology.get(technology)?.candidates.some((mention) => mention.sentence.index === sentence.index) ?? false;
    const indirect = indirectCandidates(sentence, matcher, byTechnology, current).filter(
      (assessment) => !counted(assessment.technology),
    );
    // A modified generic noun ("the order-events topic") gives way to the topic reading of the same sentence
    // when that weighs more, as it did before the modified noun was read.
    const covered = new Set(
      indirect.filter((assessment) => !FROM_MODIFIED_NOUN.has(assessment)).map((assessment) => assessment.technology),
    );
    const byTopic = topicCandidate(sentence, current, covered, matcher);
    const same = byTopic ? indirect.find((assessment) => assessment.technology === byTopic.technology) : undefined;
    const replaced = same && byTopic && same.weight < byTopic.weight ? same : undefined;
    for (const assessment of indirect) if (assessment !== replaced) add(entry(assessment.technology), assessment);
    if (byTopic && (!same || replaced)) add(entry(byTopic.technology), byTopic);
  }
  return [...byTechnology.values()].sort((left, right) => right.score - left.score);
}
