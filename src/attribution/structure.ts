/**
 * Clause structure around a mention: who did what to what. These readings look at the shape of
 * the sentence (what word follows the name, which side of a "traced to" the name sits on, whether
 * the name is one item of a list an outage degraded, whether the clause is a question or someone
 * else's words) rather than at longer phrase lists. Nothing here names a particular document.
 */
import { NOT_A_CAUSE_HEADING } from '../ingest/section-roles.ts';
import { NEGATION, PROPOSAL, SUSPICION, UPSTREAM } from './cues.ts';
import { wordCue } from './pattern.ts';

/**
 * A name used as a modifier of a tool built for the technology ("the Redis client", "our Kafka
 * exporter", "the MySQL driver"): the tool is the subject, not the technology.
 */
const TOOL_NOUN =
  /^[\s'’s-]{0,3}(?:[\w-]+\s)?(?:logs? (?:index|search|viewer|pipeline)|console|exporters?|client(?:s| library| libraries)?|drivers?|librar(?:y|ies)|sdks?|operators?|connectors?|plugins?|plug-ins?|sidecars?|helm charts?|charts?|adapters?|wrappers?|orms?|gems?|bindings?|dashboards?|alert rules?|scrapers?|agents?|health ?checks?|probes?|logs\b(?! (?:show|said|say))|(?:consumer|producer|publisher|subscriber)s?(?!['’]?s?\s+(?:group|lag|liveness|protocol|contract|semantics|rebalanc\w*|heartbeats?)\b)(?: (?:connections?|process(?:es)?|pods?|apps?|services?|workers?))?)\b/i;

/*
 * A consumer or producer noun followed by the protocol it follows ("the Kafka consumer group", "the X
 * consumer's heartbeat protocol", "producer semantics") names the technology's protocol, not a tool.
 */
/** Words between the name and the tool noun that keep the tool reading ("Redis Java client", "Kafka metrics exporter"). */
export function isToolFor(text: string, end: number): boolean {
  const after = text.slice(end, end + 40);
  const match = TOOL_NOUN.exec(after);
  if (!match) return false;
  // "Redis client connections were exhausted" is still about the tool; "Redis rejected clients" is not: the tool noun must come right after the name.
  return !/^\s*(?:rejected|refused|dropped|evicted|blocked|disconnected|killed)\b/i.test(after);
}

/** The name sits in a question: the first sentence end after it is a question mark. */
export function inQuestion(text: string, end: number): boolean {
  const rest = text.slice(end);
  const stop = /[.!?]/.exec(rest);
  return stop !== null && stop[0] === '?';
}

/**
 * Someone else's words: the name sits inside a quotation of a sentence or more ("Vendor update:
 * "We have identified an issue with our MongoDB cluster ...""). Short quoted terms do not count.
 */
export function inReportedSpeech(text: string, start: number): boolean {
  // Quotes are paired in order, so the closing mark of a short quoted term never opens a long one.
  const quotes = /["\u201C]([^"\u201D]*)(?:["\u201D]|$)/g;
  for (const match of text.matchAll(quotes)) {
    if ((match[1] ?? '').length < 30) continue;
    if (start > match.index && start < match.index + match[0].length) return true;
  }
  return closesQuotation(text, start);
}

/**
 * The last sentence of a quotation opened in a sentence before it ("ElastiCache nodes in the zone are
 * unavailable.""): no quote mark before the name, and the first one after it closes (it follows a word or a
 * stop and ends the sentence or precedes a space).
 */
function closesQuotation(text: string, start: number): boolean {
  if (/["\u201C\u201D]/.test(text.slice(0, start))) return false;
  const next = /["\u201C\u201D]/.exec(text.slice(start));
  if (!next) return false;
  const at = start + next.index;
  if (text[at] === '\u201C' || at < 30) return false;
  return /[\w.!?,)]/.test(text[at - 1] ?? '') && /^(?:\s|$|[.,;:)])/.test(text.slice(at + 1));
}

/**
 * Whether a sentence sits inside a quotation that a sentence before it opened and did not close: `before` is
 * the text of the sentences before it in its paragraph or section, in order. The lead-in of the quotation
 * (the words before its opening mark) is returned, or null when the sentence is not inside one.
 */
export function quotationLeadIn(before: readonly string[]): string | null {
  let lead: string | null = null;
  for (const text of before) {
    for (const mark of text.matchAll(/["\u201C\u201D]/g)) {
      const opening =
        mark[0] === '\u201C' || (mark[0] === '"' && lead === null && !/[\w.!?,)]/.test(text[mark.index - 1] ?? ' '));
      if (lead === null && opening) lead = text.slice(0, mark.index);
      else if (lead !== null && mark[0] !== '\u201C') lead = null;
    }
  }
  return lead;
}

/** A lead-in that gives the words to someone else's system: "The provider's status page reads:", "the vendor wrote". */
export function thirdPartyLeadIn(lead: string): boolean {
  return UPSTREAM_CUE_ONCE.test(lead) || PROVIDER_OUTAGE.test(lead);
}
const UPSTREAM_CUE_ONCE = new RegExp(UPSTREAM.source, 'i');

/** A cue that moves the cause elsewhere: what comes after it is the cause, what came before suffered. */
export const REDIRECTION = wordCue([
  /traced (it |this |them |the \w+ )?(back )?to/,
  /turned out to (be|have been|come from)/,
  /was actually/,
  /were actually/,
  /the real (cause|culprit|problem)/,
  /actual (root )?cause/,
  /came down to/,
  /boiled down to/,
  /rooted in/,
  /pointed to/,
  /was caused by/,
  /were caused by/,
  /caused by/,
  /due to/,
  /because of/,
  /stemm(ed|ing) from/,
  /the result of/,
  /a symptom of/,
]);

/**
 * Faults that live outside the catalog: the network, the host, the client, our own code, a
 * certificate. When a redirection lands on one of these, the technology before it suffered.
 */
export const EXTERNAL_FAULT = wordCue([
  /network\w*/,
  /packet loss/,
  /partition(ed)? network/,
  /switch(es)?/,
  /router/,
  /bgp/,
  /dns/,
  /coredns/,
  /resolver/,
  /nat( gateway)?/,
  /load balancer/,
  /\blb\b/,
  /firewall/,
  /security group/,
  /waf/,
  /proxy/,
  /ingress/,
  /host(s)?/,
  /hypervisor/,
  /noisy neighbou?r/,
  /cpu steal/,
  /steal time/,
  /kernel/,
  /ntp/,
  /chrony/,
  /clock\w*/,
  /certificate/,
  /cert\b/,
  /tls/,
  /ssl/,
  /secret/,
  /credential\w*/,
  /token/,
  /oauth/,
  /idp/,
  /identity provider/,
  /feature flag/,
  /kill switch/,
  /our (own )?(code|service|app|application|client|deploy|release|change)/,
  /the (app|application|client|caller|consumer|producer|service|deploy|release|code)\b/,
  /a (deploy|release|code change|bug in (our|the) (app|service|code))/,
  /garbage collect\w* in the (app|service|jvm)/,
  /jvm/,
  /heap size/,
  /thread pool in the app/,
  /memory leak in/,
  /goroutine/,
  /exporter/,
  // a monitoring, metrics or logging agent on the host, its logs: a tool of its own
  /(monitoring|metrics|logging|log|node|host|observability|collector|config|secrets|backup) agents?/,
  /the agents?/,
  /agent('s)? (logs?|config\w*|rollout|plugins?)/,
  /client library/,
  /driver/,
  /sdk/,
  /helm/,
  /kubernetes/,
  /\bk8s\b/,
  /pod disruption/,
  /hpa/,
  /autoscal\w+ rule/,
  /cron/,
  /scheduler/,
  /logrotate/,
  /disk on the (app|host)/,
  /root (disk|volume)/,
  /cdn/,
  /upstream/,
  /vendor/,
  /provider/,
]);

/** REDIRECTION for scanning a sentence, compiled once. */
const REDIRECTION_CUE = new RegExp(REDIRECTION.source, 'gi');

/** Where each redirection cue of a text starts and ends, in order. */
function redirectionCues(text: string): Array<{ start: number; end: number }> {
  const cues: Array<{ start: number; end: number }> = [];
  REDIRECTION_CUE.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = REDIRECTION_CUE.exec(text)) !== null) {
    cues.push({ start: match.index, end: match.index + match[0].length });
    if (match[0].length === 0) REDIRECTION_CUE.lastIndex += 1;
  }
  return cues;
}

/**
 * Whether a mention before a redirection cue is left as the one who suffered: the name comes
 * before the cue, the cue lands on an outside fault, and no catalog name follows the cue.
 */
export function redirectedAway(text: string, start: number, namesAfter: (from: number) => boolean): boolean {
  for (const cue of redirectionCues(text)) {
    if (cue.start <= start) continue;
    const target = text.slice(cue.end, cue.end + 90);
    if (namesAfter(cue.end)) return false;
    // "... because of an expired certificate on its listener": the technology's own certificate is not an outside fault.
    return EXTERNAL_FAULT.test(target) && !OWN_CERTIFICATE.test(target);
  }
  return false;
}

/** A mention on the far side of a redirection cue: the cause the sentence lands on. */
export function afterRedirection(text: string, start: number): boolean {
  for (const cue of redirectionCues(text)) if (cue.end <= start && start - cue.start < 90) return true;
  return false;
}

/** An outage of someone else's platform: a cloud provider, a region, a vendor. */
const PROVIDER_OUTAGE = wordCue([
  /aws/,
  /amazon web services/,
  /azure/,
  /gcp/,
  /google cloud/,
  /cloud provider/,
  /provider/,
  /vendor/,
  /region(al)?/,
  /availability zone/,
  /\baz\b/,
  /us-(east|west)-\d/,
  /eu-(west|central)-\d/,
  /status page/,
  /third[- ]party/,
]);
const OUTAGE_VERB = wordCue([
  /outage/,
  /incident/,
  /event/,
  /disruption/,
  /degrad\w*/,
  /impair\w*/,
  /elevated (error|latenc)\w*/,
  /affect\w*/,
  /impact\w*/,
]);

/**
 * One name of a list an outage of someone else's platform degraded ("the us-east-1 event degraded
 * S3, DynamoDB and SQS"): two or more catalog names in a row, in a sentence about a provider outage.
 */
export function inProviderOutageList(
  text: string,
  spans: ReadonlyArray<{ start: number; end: number }>,
  index: number,
): boolean {
  if (spans.length < 2 || !PROVIDER_OUTAGE.test(text) || !OUTAGE_VERB.test(text)) return false;
  const near = (left: { end: number }, right: { start: number }): boolean =>
    /^[\s,/]*(?:and|or|&)?[\s,/]*$/i.test(text.slice(left.end, right.start)) || right.start - left.end <= 3;
  const span = spans[index];
  const before = spans[index - 1];
  const after = spans[index + 1];
  return (
    span !== undefined && ((before !== undefined && near(before, span)) || (after !== undefined && near(span, after)))
  );
}

/**
 * A heading that announces a suspect or a theory the team chased ("Where we wrongly looked", "Suspects",
 * "Things we ruled out", "A false lead"): what the section tells is a suspicion being
 * tested, not a finding, unless a sentence of it confirms the suspicion.
 */
const SUSPECT_HEADING =
  /\b(?:blamed|suspect(?:s|ed)?|suspicions?|red herrings?|ruled out|hypothes[ie]s|theor(?:y|ies)|false leads?|wrong turns?|dead ends?|first guess(?:es)?)\b/i;
/** A heading that also tells where the cause really was ("... and what it really was") is not one. */
const HEADING_RESOLVES = /\b(?:actual(?:ly)?|real(?:ly)?|turned out|instead|root cause|what (?:it )?was)\b/i;

export function underSuspectHeading(heading: string): boolean {
  return (SUSPECT_HEADING.test(heading) || NOT_A_CAUSE_HEADING.test(heading)) && !HEADING_RESOLVES.test(heading);
}

/**
 * A named source the data was brought back from ("we backfilled the dropped events from X", "restored
 * the table from X snapshots", "rebuilt the index from X"): a recovery verb with an object, then "from"
 * right before the name. The source held the good copy; a failure word of the clause ("the dropped
 * events") speaks of what was recovered. "X recovered from the outage" (no object) is not one.
 */
const RECOVERED_FROM =
  /\b(?:replay|restor|rebuil|re-?index|backfill|re-?import|reload|re-?sync|re-?populat|re-?hydrat|re-?appl|re-?driv|redrov|re-?play|recover|re-?creat|re-?ingest)\w*\s+(?!from\b)[^.;:]{1,60}?\bfrom\s+(?:(?:the|our|a|an|its|their)\s+)?(?:[\w'-]+\s+){0,2}$/i;

export function recoverySource(clauseBefore: string): boolean {
  return RECOVERED_FROM.test(clauseBefore);
}

/** A move told with its year ("in 2019 we moved ..."): history for both the store it left and the one it reached. */
export const DATED_MOVE = /\bin (?:19|20)\d\d,? (?:[\w'-]+ ){0,4}(?:moved|migrated|switched)\b/i;

/**
 * The clause before a name makes it the destination of a move ("we moved log search off X to Y", "migrated
 * from X to Y"): the store the move reached is the system today, not what was left behind.
 */
export function destinationOfMove(clauseBeforeName: string): boolean {
  return /\b(?:from|off)\b[^;]*?\b(?:to|onto|into)\s+(?:[\w'-]+\s+){0,4}$/i.test(clauseBeforeName);
}

/** Background: the technology as it was before, as an alternative being evaluated, or as what we moved from. */
export const BACKGROUND_CLAUSE = wordCue([
  /migrat\w* (away )?(from|off)/,
  // "we moved our orders from X to Y": what the data left is history; not "moved the database from X 5.7 to 8.0"
  // (an upgrade of X, which may be the change that broke it)
  /moved (it |us |this |(?:our |the |their )?[\w'-]+ (?:[\w'-]+ )?)?(away )?(from|off)\b(?! (?:[\w-]+ ){0,2}v?\d[\w.]* to v?\d)/,
  // "in 2021 the integrations moved onto Kafka": a dated move is the story's history, not its fault
  /\bin (19|20)\d\d,? (?:[\w'-]+ ){0,4}(moved|migrated|switched)\b/,
  /moving (away )?(off|from)/,
  /until (19|20)\d\d/,
  /used to (run|use|be)/,
  /previously (ran|used|on)/,
  /we replaced/,
  /replaced by/,
  // "we evaluated X", "an evaluation of X"; not "X evaluates lifecycle rules once a day" (its own behaviour)
  /evaluat(?:ed|ing|ions?)/,
  /considering/,
  /in the past/,
  /years ago/,
  /would (moving|switching|migrating) to/,
  /(switching|moving|migrating) to \w+ would/,
]);

/**
 * A technology declared innocent outright: "X wasn't doing anything wrong", "X did exactly what it
 * was told", "X worked as designed". Stronger than a negated mention: it vetoes the technology.
 */
export const EXONERATION = wordCue(
  [
    /(was|were|is|are)(n'?t| not) (doing anything wrong|at fault|the (root )?cause|the culprit|the problem|to blame|involved)/,
    // "the database wasn't broken, just buried": sound, and buried by others' load
    /(was|were|is|are)(n'?t| not) broken\b/,
    /(did|does)(n'?t| not) (fail|misbehave|do anything wrong|cause|break)/,
    /(did|handled|performed) (this|that|it|its job|everything) correctly/,
    // "the database did its part", "the brokers did their job": it played its role and no more
    /did (its|their) (part|job|bit)\b(?! (badly|wrong|poorly))/,
    /did (exactly )?what it (should|(was|is) supposed to)/,
    // "the replicas did what was asked of them", "it did what it was told": load they were sent, served
    /did what (was|it was|they were) (asked|told)\b/,
    /did(n'?t| not) itself fail/,
    // "X did nothing wrong", "the broker did nothing unusual": told as a deed, the same innocence
    /did nothing (wrong|unusual|abnormal|out of the ordinary)/,
    // "the database is doing exactly (the) right thing" (a terse note leaves out the article), "the replicas refused
    // it correctly": it enforced what it was asked to enforce
    /(is|was|were|are) doing (exactly )?(the )?right thing|did (exactly )?(the )?right thing/,
    /(refused|rejected|blocked|denied|enforced) (it|them|this|that|the (request|write|statement|call|query)s?) correctly/,
    // "nothing had been wrong with Redis at all", "there was nothing amiss with the brokers"; not "nothing was
    // wrong with the X servers themselves", which sets the servers against another part of X (its pooler, its
    // client, a setting) that may be the cause
    /nothing ((had been|has been|was|is|were) )?(wrong|amiss) with\b(?![^,.;:]*\b(themselves|itself)\b)/,
    // "the storage and the database had nothing to do with it"; not "(the migration ...) had nothing to do with this
    // incident", which a note can say of another subject beside the name
    /had nothing to do with (it|this|that)\b(?!\s+[a-z])/,
    // "X itself (was) fine": a terse note leaves out the verb
    /itself (was |were |is |are |stayed |remained )?(fine|healthy)/,
    // "did exactly what it was told"; not "did exactly what the setting said", "what (the) rule says" (a terse note
    // leaves out the article) or "what we had configured it to do"
    // (the setting is its own), nor "did exactly what it is designed (or documented) to do" (its design is the
    // mechanism, as without "exactly")
    /did exactly what(?! (?:(?:the|its|our|their|this|that) )?(?:[\w-]+ )?(?:setting|config\w*|documentation|docs|parameter|polic|argument|option|flag|rule)s?\b)(?! (?:it|they) (?:was|were|had been) (?:configured|set up|set|tuned))(?! (?:we|i|you|someone) (?:had |have )?(?:configured|set up|set|tuned) (?:it|them)\b)(?! (?:it|they) (?:is|are|was|were) (?:designed|built|meant|documented|specified) to do\b)/,
    /(work(ed|ing)|behaved|functioned|performed) (exactly |correctly |precisely )?as (designed|intended|expected|documented)/,
    /behaved correctly/,
    /(healthy|fine) (throughout|the whole time|all along)/,
    /was (healthy|fine) throughout/,
    /side was healthy/,
    /(was|were) ruled out/,
    /ruled (it|them) out/,
    /red herring/,
    /not the culprit/,
    /exonerat\w*/,
    /innocent/,
    /(was|were) (only )?(a )?(victim|symptom)s?/,
    /was the victim/,
    /coped/,
    /(was|were) (a |just |only |mere |innocent )?bystanders?/,
    // "it throttled because it got twenty times the reads, as any store would": the load, not the store
    /(as|like) any (\w+ ){0,2}would\b/,
    // "Kafka did what it always does on a rebalance", "the database did exactly what a database does"
    /did (exactly )?what (it|they) (always|normally|usually) do(es)?\b|did (exactly )?what (a|any) [\w-]+ (does|would do)\b/,
    // "MySQL stored every status update correctly"
    /\b\w+ed (every|all|each)( of)? [\w -]{1,40}? (correctly|faithfully|as (designed|expected|intended))\b/,
    // "... were each system's normal reaction to a lossy network; none of them failed"
    /none of them (failed|misbehaved|was at fault|were at fault|caused)\b|(normal|expected|correct|designed) (reaction|response|behaviou?r) to\b/,
    // "the database failed over correctly and quickly": its own failover did what it should
    /(failed over|switched over|fell back|re-?elected|elected a new (leader|primary|master)) (correctly|cleanly|as designed|as expected|as intended)/,
    // "Neither the database nor the cache behaved wrongly": every item of a neither/nor is denied the deed
    /(neither|nor)\b[^.;:]{0,60}?\b(behaved|acted|performed|did anything|did something|was|were|went) (wrong(ly)?|badly|incorrectly|abnormally|at fault|to blame)\b|(neither|nor)\b[^.;:]{0,60}?\b(misbehaved|failed|was at fault)\b/,
    // "the cause was on the host, not in X": the fault placed elsewhere and X named as where it was not
    /(cause|fault|problem|issue|culprit) (was|is|lay|lies|sat) (\w+ ){0,2}(on|in|at|with|inside) [^,;.]{1,40}, (and )?not (in|on|with|inside) /,
    // "X was correctly rejecting requests from an identity without permission": doing what it should
    /(was|were) (correctly|rightly|properly) \w+ing\b/,
  ],
  { endBoundary: false },
);

/**
 * A setting, policy or permission of the technology changed or set wrong: a misconfiguration is
 * the technology's own failure state. A setting is a named parameter (snake_case, dotted or
 * camelCase) or a configuration noun; a change is a verb of setting it.
 */
const SETTING_NOUN = String.raw`(?:[a-z]+_[a-z_]+|[a-z]+(?:\.[a-z_]+){2,}|[a-z]+[A-Z][A-Za-z]+|polic(?:y|ies)|permissions?|acls?|iam polic(?:y|ies)|settings?|parameters?|limits?|thresholds?|watermarks?|quotas?|timeouts?|ttl|pool_mode|mode|strategy|default|variables?)`;
const CHANGE_VERB = String.raw`(?:set|raised|lowered|increased|decreased|reduced|changed|tightened|loosened|defaulted|overrid(?:e|den)|flipped|misconfigured|wrong|incorrect|left at)`;
/** A verb that edits the content of a setting: a statement added to a policy, a rule removed from an ACL. */
const EDIT_VERB = String.raw`(?:added|removed|inserted|introduced|appended|edited|modified|updated)`;
const SETTING_CHANGED = new RegExp(
  [
    String.raw`\b${SETTING_NOUN}\b[^.;]{0,40}?\b${CHANGE_VERB}\b`,
    String.raw`\b${CHANGE_VERB}\b(?: (?:the|its|a|our|their))?(?: [\w-]+)?(?: [\w-]+)? ${SETTING_NOUN}\b`,
    String.raw`\b${SETTING_NOUN}\b[^.;]{0,30}\bfrom [\w.%]+ to [\w.%]+`,
    // "appended an allow entry to the access policy", "removed two grants from its ACL"
    String.raw`\b${EDIT_VERB}\b[^.;]{0,40}?\b(?:to|in|into|on|from) (?:the|its|their|our|a) (?:[\w-]+ ){0,2}${SETTING_NOUN}\b`,
    // "set the purge window to 0", "set its retention hours to 2": a value given to a setting
    String.raw`\bset (?:the |its |their |our |a )?[\w.-]+(?: [\w.-]+){0,2} to -?\d`,
    // "the cause was a setting on our X domain", "the trigger was one parameter of the X cluster": the cause named as a setting
    String.raw`\b(?:cause|culprit|trigger) (?:was|is|turned out to be) (?:a|an|one|the|its) (?:[\w-]+ )?(?:setting|parameter|option|configuration|config|policy|permission|flag)\b`,
  ].join('|'),
);

/**
 * A setting, policy or permission of the technology changed or set wrong: a misconfiguration is
 * the technology's own failure state. A setting is a named parameter (snake_case, dotted or
 * camelCase) or a configuration noun; the change verb stands next to it.
 */
export function misconfiguredSetting(clause: string, holderAt = 0): boolean {
  return (
    SETTING_CHANGED.test(clause) ||
    PARAMETER_SHOWN_WRONG.test(clause) ||
    FOLLOWED_ITS_SETTING.test(clause) ||
    PARAMETER_AT_DEFAULT.test(clause) ||
    defaultInForce(clause, holderAt)
  );
}

/**
 * DEFAULT_IN_FORCE with its holder (the name or its anaphor, at holderAt) before it: "with the default
 * setting of a new option, it removes topics from the cluster" is not the cluster's setting.
 */
function defaultInForce(clause: string, holderAt: number): boolean {
  const found = DEFAULT_IN_FORCE.exec(clause);
  return found !== null && found.index >= holderAt;
}

/**
 * A setting of the technology in force at a default nobody chose, told with a configuration word
 * rather than a named parameter ("the cache servers run with the default maximum item size", "this
 * queue has the default message retention of 4 days", "the window was still at its default"): the
 * value in force is its own setting. A value put back to its default ("back at its default") is a fix.
 */
const DEFAULT_IN_FORCE =
  /\b(?:(?:is|was|were|are|still|left|stays?|stayed|remained|kept)\s+(?:still\s+)?at\s+(?:its|the|their)\s+default\b|(?:runs?|ran|running|created|configured|built|left|kept|keeps|has|have|had|with)\s+(?:with\s+)?(?:the|its|their)\s+default\s+(?!(?:vpc|branch|template|region|route|gateway|namespace|profile|account|network|subnet|image|page|view)\b)[a-z][\w-]*)/i;

/**
 * The technology did what its setting told it to ("X did exactly what the setting said", "does
 * precisely what the policy specifies", "did exactly what it was configured to do"): the behaviour
 * is the setting's, and the setting is the technology's own. Not "did what it was told" or "behaved as designed" (an innocent technology).
 */
const FOLLOWED_ITS_SETTING =
  /\b(?:did|does|do|doing)\s+(?:(?:exactly|precisely|just)\s+)?what\s+(?:(?:the|its|their|our|that|this)\s+(?:[\w-]+\s+)?(?:settings?|config(?:uration)?s?|parameters?|polic(?:y|ies)|rules?|values?|defaults?|flags?|arguments?|options?)\s+(?:said|says|told|tells|specified|specifies|asked|required|requires)|(?:it|they)\s+(?:was|were|had\s+been|is|are)\s+(?:configured|set\s+up|tuned)\s+to)\b/i;

/** A named parameter: snake_case, dotted (two dots or more) or camelCase; never a plain word. */
const NAMED_PARAMETER = String.raw`(?:[a-z]+_[a-z_]+|[a-z]+(?:\.[a-z_]+){2,}|[a-z]+[A-Z][A-Za-z]+)`;
const PARAMETER_CHANGED = new RegExp(
  String.raw`\b${NAMED_PARAMETER}\b[^.;]{0,40}?\b${CHANGE_VERB}\b|\b${CHANGE_VERB}\b(?: (?:the|its|a|our|their))?(?: [\w-]+)?(?: [\w-]+)? \x60?${NAMED_PARAMETER}\b|\b${NAMED_PARAMETER}\b[^.;]{0,30}\bfrom [\w.%]+ to [\w.%]+`,
);

/**
 * A named parameter (not a configuration noun) changed or set wrong: "changed flush_interval from
 * 1s to 30s", "raised foo.bar.baz tenfold". A parameter is a setting of a system;
 * told right after a sentence naming one technology, it is that technology's setting.
 */
export function namedParameterChanged(clause: string): boolean {
  return PARAMETER_CHANGED.test(clause) || PARAMETER_AT_DEFAULT.test(clause);
}

/** PARAMETER_SHOWN_WRONG (below) for a caller that weighs whose parameter it is. */
export function parameterShownWrong(clause: string): boolean {
  return PARAMETER_SHOWN_WRONG.test(clause);
}

/**
 * A named parameter shown with its value and told wrong or unchosen next to it: "`cleanup.policy=delete`
 * where it should be compact", "ran with `errors.tolerance=none`, the default", "our default for
 * auto.offset.reset is `latest`". Here a name with one dot ("cleanup.policy") counts too: the value
 * given to it marks it a parameter, not a file or a host name.
 */
const SHOWN_PARAMETER = String.raw`\x60?(?:${NAMED_PARAMETER}|[a-z]+\.[a-z][a-z_]*)\x60?`;
const SHOWN_VALUE = String.raw`(?:\s*[=:]\s*|\s+(?:is|was)\s+(?:set\s+to\s+)?)(?!(?:a|an|the|its|our|their)\b)\x60?[\w.%-]+\x60?`;
const PARAMETER_SHOWN_WRONG = new RegExp(
  [
    String.raw`\b${SHOWN_PARAMETER}${SHOWN_VALUE}[^.;?]{0,40}?(?:\(default\b|,\s*(?:the|its|a) default\b|\bshould (?:have )?be(?:en)?\b(?! (?:enough|fine|ok|okay|safe|plenty|sufficient|adequate|good)\b)|\binstead of\b|\b(?:was|were|had been) meant\b)`,
    String.raw`\bdefault (?:for|of) ${SHOWN_PARAMETER}${SHOWN_VALUE}`,
  ].join('|'),
);

/**
 * A named parameter left at a default nobody chose ("maxClientCnxns is not in our config, so it is
 * the default", "auto_snapshot: true (default)", "foo.bar.baz was never set"): the value in force is
 * still the technology's own setting. A value put back to its default ("back to its default") is a fix.
 */
const PARAMETER_AT_DEFAULT = new RegExp(
  String.raw`\b${NAMED_PARAMETER}\b(?:[^.;?]|\.(?=\S)){0,50}?(?:\(default\b|\b(?:is|was|it's|it is|at|left at|stays at|remained at) (?:its |the |a )?default\b|\bby default\b|\b(?:never|not) (?:been )?(?:set|changed|tuned|configured|overridden)\b)`,
);

/**
 * The technology's own behaviour, told as a rule of how it works ("X blocks every publisher when
 * ...", "X allows at most 64 ...", "an explicit Deny in X always wins"): a documented quirk or
 * internal mechanism, which counts as failure language when the document is telling the cause.
 */
export const OWN_BEHAVIOUR = wordCue([
  /allows? (at most|only|up to)/,
  /at most \d+/,
  /supports? (only |up to )?\d+/,
  // "has a hard limit of 1 MB per request", "have a cap of 20 per batch": a documented limit of it
  // ... or told bare, before a pause ("has a ceiling (it scales ...)", "each partition has a hard ceiling, ...")
  /(has|have) an? (hard |soft |fixed |documented |default )?([\w-]+ )?(limit|ceiling|quota|cap|maximum)( (of|per|on)|(?= ?[(,;:]))/,
  // "caps each message at 256 KB", "limits a batch to 10 entries": a documented limit as its verb
  /(caps|limits) (a |an |each |every |any |the )?(single |one )?[\w-]+( [\w-]+)? (at|to) (\d[\d.,]*|one|two|ten)/,
  /(blocks|stops|rejects|refuses|drops|pauses) (every|all|any|new)/,
  /always wins/,
  /silently/,
  /falls? back to/,
  /runs? to completion/,
  /single[- ]threaded/,
  /holds? (a|an|the) \w+ lock/,
  /(lost|loses|losing|without) (a )?quorum/,
  /quorum/,
  /split brain/,
  /elected (two|a second)/,
  /two (masters|leaders|primaries|controllers)/,
  /hardware failure/,
  /failed over/,
  /went read[- ]only/,
  /read[- ]only/,
  /flood[- ]stage/,
  /memory alarm/,
  /disk alarm/,
  /storage[- ]full/,
  /out of (storage|space)/,
  /ran out/,
  /max(imum)? \w+ (threshold|limit)/,
  /limit (was|is) reached/,
  /reached (it|the|its)/,
  /dead[- ]letter\w*/,
  /redrive/,
  /rebuil(d|t) the table/,
  /table rebuild/,
  /zombie/,
  /resurrect\w*/,
  /tombstone\w*/,
]);

/**
 * Where the name sits in its clause: after a preposition or a verb of sending load ("misses went to
 * the MySQL replicas", "fell back to postgres reads", "timeouts reading from S3", "demoted
 * PostgreSQL to read-only"), the technology is the object the failure reached, not its subject.
 * A name on the far side of a redirection ("traced to X", "due to X") is the cause, not an object.
 */
const OBJECT_BEFORE_NAME =
  /\b(?:to|from|into|onto|against|behind|towards?|hit(?:ting)?|hammer(?:ed|ing)|overload(?:ed|ing)|sent|send(?:ing)?|demot(?:ed|ing)|quer(?:ied|ying)|search(?:ed|ing)|grepp?(?:ed|ing)?|reading|writing|calling|reach(?:ed|ing)?)\s+(?:(?:the|our|a|an|its|their|all|every|each|[\w-]+'s)\s+){0,2}(?:[\w'-]+\s+){0,2}$/i;

const REDIRECTION_BEFORE_NAME = new RegExp(String.raw`(?:${REDIRECTION.source})\s+(?:[\w'-]+\s+){0,4}$`, 'i');

export function inObjectPosition(clauseBefore: string): boolean {
  return OBJECT_BEFORE_NAME.test(clauseBefore) && !REDIRECTION_BEFORE_NAME.test(clauseBefore);
}

/** A health or innocence statement after the name that points back at it: "..., and both behaved exactly as intended". */
export const DENIED_AFTER_NAME =
  /\b(?:it|they|both|which|each)\s+(?:\w+\s+){0,2}?(?:behaved|worked|performed|functioned|was|were|stayed|remained)\s+(?:\w+\s+)?(?:as (?:designed|intended|expected|documented)|fine|healthy|normal(?:ly)?)\b/i;

/**
 * A limit of the technology reached: its capacity, connections, memory or quota used up, a ceiling
 * hit or exceeded, requests throttled or rejected at it. Whoever sent the load (a backfill, a grown
 * fleet, a burst), the limit is the technology's own mechanism of the failure.
 */
export const LIMIT_REACHED = wordCue(
  [
    /ran out/,
    /run(?:ning)? out/,
    /exhaust\w*/,
    /too many (?:connections|clients|open files|requests)/,
    /max(?:ed)? out/,
    /max_connections/,
    /max(?:imum)? connections/,
    /throttl\w*/,
    /reject(?:ed|ing|s)/,
    /out of (?:memory|disk|space|connections|capacity|storage)/,
    // "integer out of range": a value past the largest its column type can hold
    /(?:integer|smallint|bigint|int\d?|value|id|sequence)s? (?:is |was |were |went )?out of range/,
    /no (?:free|spare|available|extra) (?:connections|slots|capacity|memory|space|disk)/,
    /(?:memory|disk|resource) alarm/,
    /(?:disk|memory|volume|storage) (?:was |were |is )?(?:full|filled)/,
    /fill(?:ed|ing)? (?:up )?(?:its|the|their) (?:\w+ )?(?:memory|disk|volume|storage|heap)/,
    /(?:hit|hits|hitting|reach(?:ed|es|ing)?|exceed(?:ed|s|ing)?|crossed|passed|consum(?:ed|es|ing)|used up|us(?:ed|es|ing) (?:nearly |almost |essentially |virtually )?(?:all|every)|(?:well )?over|beyond|above|past|at) (?:[\w'\u2019-]+ ){0,5}?(?:limit|ceiling|quota|maximum|max|watermark|capacity|allowance|budget|units?)s?\b/,
    /(?:limit|ceiling|quota|maximum|watermark|capacity) (?:was |were |had been |is )?(?:hit|reached|exceeded|exhausted|crossed)/,
  ],
  { endBoundary: false },
);

/**
 * Faults of the infrastructure under the technology (the network, the host, the clock, a
 * certificate, the container platform): when one is told next to a limit, the limit is not the
 * technology's own. Narrower than EXTERNAL_FAULT: our workload (a job, a deploy, a grown fleet)
 * reaching the technology's limit leaves the limit the mechanism.
 */
export const INFRASTRUCTURE_FAULT = wordCue([
  /network\w*/,
  /packet loss/,
  /switch(?:es)?/,
  /router/,
  /bgp/,
  /dns/,
  /hosts?/,
  /hypervisor/,
  /noisy neighbou?r/,
  /cpu steal/,
  /kernel/,
  /clock\w*/,
  /certificate/,
  /kubernetes/,
  /\bk8s/,
  /node pool/,
  /pods?/,
  /lambda concurrency/,
  /thread pool in the app/,
]);

/**
 * The limit reading of a clause: it tells a limit reached and nothing of the infrastructure under
 * the technology. The caller decides whose limit it is (the name, or an anaphor of it, in the clause).
 */
export function limitReached(clause: string, holderAt = 0): boolean {
  if (INFRASTRUCTURE_FAULT.test(clause)) return false;
  if (LIMIT_REACHED.test(clause)) return true;
  const shortfall = CAPACITY_SHORTFALL.exec(clause);
  return shortfall !== null && shortfall.index >= holderAt;
}

/**
 * A capacity that fell short of the load, told without a limit noun: "the index could not absorb
 * the ingest spike", "the follower cannot keep up", "logs arrived faster than the follower could
 * apply them". The holder is the subject: the name (or its anaphor) must come before the phrase, so "our
 * workers could not keep up with X" says nothing of X.
 */
const CAPACITY_SHORTFALL =
  /\b(?:(?:could|can|did)(?:n['\u2019]?t|not| not)|unable to|failed to) (?:absorb|keep up|keep pace|cope|sustain|handle)\b|\bfaster than (?:[\w'\u2019-]+ ){0,4}(?:could|can) (?:absorb|keep up|replay|apply|drain|process|handle|consume|serve|flush|write)\b/i;

/**
 * Our own plural things a "their" points back at: "the workers retried their calls", "the
 * workers lost their leases". Such a "their" is an anaphor, not someone else's system.
 */
const OWN_PLURAL =
  /\b(?:producers|consumers|publishers|subscribers|workers|clients|services|apps|applications|instances|pods|nodes|brokers|replicas|members|shards|partitions|messages|jobs|tasks|threads|processes|requests|writes|reads|queries|batches|tenants|customers|users|teams|engineers|hosts|servers|machines|functions|deployments|containers)\b/i;
/** A quantified singular ("each driver keeps their route", "every tenant lost their session"): "their" points back at it. */
const EACH_ONE = /\b(?:each|every)\s+(?!(?:vendor|provider|partner|supplier)\b)[a-z][\w-]*\b/i;
const UPSTREAM_CUE = new RegExp(UPSTREAM.source, 'gi');

/**
 * A plural thing before a "their" for it to point back at, though the list above does not name it: a plural
 * noun after a determiner or a number ("the 19 classic queues had their only copy", "those keys ... their
 * expiry", "our kitchen display screens got their orders"), or a counted group ("all 18 lost their session").
 */
const PLURAL_ANTECEDENT =
  /\b(?:the|those|these|our|your|all|both|some|many|several|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:[\w-]+\s+){0,2}?[a-z][\w-]*[^s\W']s\b|\ball\s+\d+\b/i;
/** Someone singular told as "their": "a user who put the phone down ... their", "the customer lost their cart". */
const SINGULAR_THEIR =
  /\b(?:a|an|the|any|one|every|each)\s+(?:user|customer|person|driver|rider|merchant|member|subscriber|shopper|player|visitor|client)\b/i;
/**
 * A bare "partner" names a business we serve or work with ("a partner retailer", "one file per partner", "partner
 * data load"), not its system: it speaks of someone else's system only when the partner owns or does something
 * ("the partner's API", "a partner endpoint went slow", "partners reported").
 */
const PARTNER_SYSTEM =
  /^['’]|^\s+(?:(?:[\w-]+\s+)?(?:api|apis|endpoint|endpoints|service|services|system|systems|platform|network|infrastructure|side|end|outage|incident|gateway|servers?|cloud|region|status)\b|[a-z]+ed\b|(?:was|were|is|are|had|has|went|said|says|confirmed|reported)\b)/i;
/** A cue joined to a name by a hyphen ("the partner-exports bucket", "upstream-fetch"): part of our own name, unless it tells who runs the thing ("vendor-managed"). */
const HYPHENATED_NAME = /^-(?!(?:managed|hosted|run|operated|owned|side|provided|supplied|controlled)\b)[\w]/i;

/**
 * A provider's routine work on a host of ours ("the primary's host was retired by the cloud provider", "Cloud
 * provider retires VM es-data-07", "an engine change offered by the provider"): the host and what runs on it stay
 * ours, and what they did next is ours to tell.
 */
const PROVIDER_MAINTENANCE =
  /\b(?:retired|replaced|patched|rebooted|restarted|migrated|offered)\s+by\s+the\s+(?:[\w-]+\s+)?(?:provider|vendor)\b|\b(?:provider|vendor)\s+(?:retires|retired|patches|patched|replaces|replaced|reboots|rebooted)\b/gi;

function inProviderMaintenance(clause: string, at: number): boolean {
  for (const work of clause.matchAll(PROVIDER_MAINTENANCE))
    if (at >= work.index && at < work.index + work[0].length) return true;
  return false;
}

/**
 * Whether a clause speaks of someone else's system (a vendor, a provider, a third party). A
 * "their" counts only when no plural thing of ours stands before it in the clause, or in the sentence before the
 * clause (`before`), for it to point back at ("the replicas restarted and lost their leases", "each driver keeps
 * their route", "those two nodes could not keep up; their write queues filled"), and never in "their own". A cue
 * joined to a name by a hyphen is part of the name, a bare "partner" counts only as the owner or the actor, and a
 * provider retiring, replacing or patching a host of ours does not make it theirs.
 */
export function upstreamIn(clause: string, before = ''): boolean {
  UPSTREAM_CUE.lastIndex = 0;
  for (const match of clause.matchAll(UPSTREAM_CUE)) {
    const after = clause.slice(match.index + match[0].length);
    if (HYPHENATED_NAME.test(after) || clause[match.index - 1] === '-') continue;
    if (/^partners?$/i.test(match[0]) && !PARTNER_SYSTEM.test(after)) continue;
    if (inProviderMaintenance(clause, match.index)) continue;
    if (!/^their$/i.test(match[0])) return true;
    if (/^\s+own\b/i.test(after)) continue;
    const lead = `${before} ${clause.slice(0, match.index)}`;
    if (OWN_PLURAL.test(lead) || EACH_ONE.test(lead) || PLURAL_ANTECEDENT.test(lead) || SINGULAR_THEIR.test(lead))
      continue;
    return true;
  }
  return false;
}

/**
 * The name is ours by its own words, whatever else the clause says of a third party: "our RabbitMQ message broker
 * reached its watermark after a partner endpoint went slow", "the primary node of our ElastiCache cluster". `before`
 * is the clause up to the name: "our" and at most two words, none of them someone else's ("our provider's Redis"
 * stays theirs).
 */
export function ownedByUs(before: string): boolean {
  const owner = /\bour\s+((?:[\w.-]+\s+){0,2})$/i.exec(before);
  return owner !== null && !UPSTREAM_CUE_ONCE.test(owner[1] ?? '');
}

/**
 * The technology's own behaviour told as a general rule: the name opens its clause and is the
 * subject of a verb in the present tense, and the clause carries a mark of a rule with an edge
 * ("X applies the policy only once a day", "X takes the newest entry, not the largest", "X
 * does not release the memory per key"). A documented quirk is the technology's mechanism of the
 * failure. "X stores the sessions" (no edge) or "X nodes only ..." (a noun, not a verb) is not.
 */
// A leading condition ("When two writes touch the same column, X keeps ...") may stand before the subject.
const RULE_SUBJECT_BEFORE =
  /^\s*(?:(?:when|whenever|if|once)\s+[^,;:]{3,80},\s*)?(?:(?:and|but|so|then|because|since|while|when|where)\s+)?(?:the\s+|our\s+)?$/i;
const RULE_VERB =
  /^\s+(?:(?:itself|alone|always|only|never|still|silently|simply|just|also|then|internally)\s+)?(?:(?:does|do)(?:n['\u2019]?t|\s+not)\s+[a-z]+|cannot\s+[a-z]+|can['\u2019]?t\s+[a-z]+|(?!(?:is|was|has|does|goes|uses|runs|nodes|brokers|clusters|replicas|shards|tables|queues|buckets|indices|indexes|partitions|topics|consumers|producers|clients|connections|keys|members|servers|instances|pods|logs|metrics|settings|writes|reads|jobs|workers|users|teams|hosts|alerts|dashboards|versions|streams|events|messages|requests|queries|rules|policies|defaults)\b)[a-z]{3,}[^s\W]s)\b/i;
const RULE_EDGE =
  /\b(?:not|only|never|always|instead|rather than|no longer|regardless|even (?:if|when|though)|whether or not|at most|at least|by default|asynchronously|until|unless|as soon as|per (?:item|key|message|record|row|request|connection|partition|shard|table|node))\b/i;

export function generalRule(clause: string, nameStart: number, nameEnd: number): boolean {
  // A full stop before a lower-case word ends a sentence the splitter kept whole ("... at 50. the server keeps ...").
  const before =
    clause
      .slice(0, nameStart)
      .split(/\.\s+(?=[a-z]|$)/)
      .pop() ?? '';
  if (!RULE_SUBJECT_BEFORE.test(before)) return false;
  const after = clause.slice(nameEnd).split(/\.\s+/)[0] ?? '';
  return RULE_VERB.test(after) && RULE_EDGE.test(after);
}

/**
 * The kind of a technology as the subject of a rule of how it works, with an indefinite article or
 * as a bare plural ("An ordered queue in its basic mode accepts at most 300 sends a second",
 * "Ordered queues have a cap of 20 messages per batch", "Each cache node holds at most
 * ..."): the document states a documented behaviour or limit of the technology of that kind. The
 * noun (with at most two modifiers) opens its clause, and the clause tells its behaviour, a rule
 * with an edge, or a limit reached. "The queue ..." is a generic noun, read elsewhere.
 */
export function kindRuleSubject(text: string, noun: RegExp): boolean {
  const determiner = String.raw`(?:a|an|each|every|any)\s+`;
  const modifier = String.raw`(?!(?:the|our|their|its|this|that|these|those|his|her|my|your)\b)[\w-]+\s+`;
  const opening = new RegExp(
    String.raw`^\s*(?:(?:and|but|so|because|since)\s+)?(?:${determiner})?(?:${modifier}){0,2}?(?:${noun.source})`,
    'i',
  );
  for (const clause of text.split(CLAUSE_SPLIT)) {
    const found = opening.exec(clause);
    if (!found) continue;
    const indefinite = new RegExp(String.raw`^\s*(?:(?:and|but|so|because|since)\s+)?${determiner}`, 'i').test(
      found[0],
    );
    // A bare noun must be plural ("Ordered queues have ..."): "Queue depth rose" is a measure, not a rule.
    const plural = /s$/i.test(found[0]) && !/ss$/i.test(found[0]);
    if (!indefinite && !plural) continue;
    const end = found[0].length;
    if (OWN_BEHAVIOUR.test(clause) || limitReached(clause.slice(end)) || generalRule(clause, 0, end)) return true;
  }
  return false;
}

/** Clause breaks for kindRuleSubject: a semicolon, a colon, a sentence stop, a comma and a conjunction. */
const CLAUSE_SPLIT = /;|:(?!\d)|\.\s+|,\s*(?:but|while|whereas|and|so|although|though)\b/i;

/**
 * A certificate or keystore of the technology's own servers: its brokers, nodes, members or
 * listener ("the brokers' TLS certificate", "the new nodes' certificates", "the keystore installed
 * on each broker", "its listener's certificate"). The technology serves with it, so its
 * expiry or a wrong name in it is the technology's own misconfiguration, not an outside fault; a
 * certificate of a load balancer, a host name or a client is not one.
 */
const CERTIFICATE = String.raw`(?:tls\s+|ssl\s+|x\.?509\s+|server\s+|leaf\s+)?(?:certificates?|certs?|keystores?)`;
const CERT_OWNER = String.raw`(broker|node|server|listener|ensemble|member|cluster)s?`;
const OWN_CERTIFICATE = new RegExp(
  [
    // "the brokers' TLS certificate", "the node server certificate", "its listener's keystore"
    String.raw`\b(?:its\s+(?:own\s+)?(?:listener['\u2019]?s?\s+)?|${CERT_OWNER}(?:['\u2019]s?)?\s+(?:(?:client|internal|external|public|amqps|https|tls|ssl)\s+)?(?:listener['\u2019]?s?\s+)?)${CERTIFICATE}\b`,
    // "the keystore installed on each broker", "a certificate for the cluster members"
    String.raw`\b${CERTIFICATE}\s+(?:(?:installed|used|served|presented)\s+)?(?:on|of|for|in)\s+(?:the\s+|our\s+|its\s+|each\s+|every\s+|all\s+(?:the\s+)?)?(?:[\w-]+\s+){0,3}?${CERT_OWNER}\b`,
  ].join('|'),
  'i',
);

/** A certificate that failed: it expired, was revoked, did not match the name, or a redirection lands on it. */
const CERTIFICATE_FAILED =
  /\b(?:expired|had expired|(?:was|were) revoked|invalid|did(?:n['\u2019]t| not) match|mismatch(?:ed)?|(?:was|were) (?:wrong|missing)|(?:was|were) issued for)\b/i;

/**
 * The owner noun of a certificate of the technology's own servers that the clause says failed ("the
 * brokers' TLS certificate had expired", "the actual cause was in the new nodes' certificates"), or
 * null. The caller decides which named technology the owner is.
 */
export function ownCertificateFault(text: string): string | null {
  for (const clause of text.split(/;|\.\s+/)) {
    const found = OWN_CERTIFICATE.exec(clause);
    if (!found) continue;
    const owner = (found[1] ?? found[2] ?? 'its').toLowerCase();
    const redirected = REDIRECTION_BEFORE_CERTIFICATE.test(clause.slice(0, found.index));
    if (redirected || CERTIFICATE_FAILED.test(clause)) return owner;
  }
  return null;
}

const REDIRECTION_BEFORE_CERTIFICATE = new RegExp(String.raw`(?:${REDIRECTION.source})(?:\s+[\w'-]+){0,4}\s*$`, 'i');

/**
 * A single record of the technology outgrowing its hard size limit: a record noun of the sentence naming only
 * the technology told larger than a size, a size parameter or the limit ("refuses any packet larger than
 * jute.maxbuffer", "the item crosses 400 KB", "taken the document past 16 MB, the hard ceiling", "reject
 * anything bigger"). The limit is the technology's own; whoever grew the record, it is the mechanism.
 */
const SIZE = String.raw`(?:\d[\d.,]*\s?(?:[kmg]i?b|bytes)\b|[\w.]*(?:bytes|buffer|size)[\w.]*|(?:the|its|their)\s+(?:[\w-]+\s+)?(?:limit|ceiling|maximum))`;
const RECORD = String.raw`(?:item|document|doc|record|message|packet|request|response|reply|payload|value|row|znode|batch|object|entry|list|anything|everything)s?`;
const RECORD_OVER_SIZE = new RegExp(
  String.raw`\b(?:limits|caps|bounds)\s+the\s+size\s+of\s+(?:(?:a|an|any|each|every|one)\s+)?(?:single\s+)?${RECORD}\b|\b${RECORD}\s+(?:(?:that\s+|which\s+)?(?:is|was|were|are|would be|grew|got)\s+)?(?:(?:larger|bigger|greater)\s+than\s*${SIZE}|(?:cross(?:es|ed)?|exceed(?:s|ed)?|past|over|beyond|above)\s+(?:(?:the|its)\s+)?(?:${SIZE}|it\b))|\b(?:larger|bigger)\s+than\s+${SIZE}|\b(?:past|over|beyond|above|exceed(?:s|ed)?|cross(?:es|ed)?)\s+\d[\d.,]*\s?(?:[kmg]i?b|bytes),\s+(?:the|its)\s+(?:[\w-]+\s+)?(?:limit|ceiling|maximum)\b|\b(?:reject|refuse)(?:s|d|ed)?\s+(?:anything|everything|any\s+\w+)\s+(?:larger|bigger)\b`,
  'i',
);

/** A denial turned by "but" to a record outgrowing the size limit, with no denial after the turn. */
export function deniedThenOversized(text: string): boolean {
  const turn = /\bbut\b/i.exec(text);
  if (!turn) return false;
  const before = text.slice(0, turn.index);
  const after = text.slice(turn.index + turn[0].length);
  return (NEGATION.test(before) || EXONERATION.test(before)) && !NEGATION.test(after) && recordOverSizeLimit(after);
}

export function recordOverSizeLimit(text: string): boolean {
  // "would have taken the document past 16 MB" tells what the write did, not a proposal.
  const told = text.replace(/\bwould have\b/gi, 'had');
  return RECORD_OVER_SIZE.test(told) && !SUSPICION.test(told) && !PROPOSAL.test(told) && !upstreamIn(told);
}
