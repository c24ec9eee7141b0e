/**
 * Cue lexicons: how postmortems in general speak about causes, failures, victims and fixes.
 * Nothing here names a particular document. The offline engine scores with them and the
 * attribution guard reads mentions with them.
 */
import { anyOf, sequence, wordCue } from './pattern.ts';

/** Phrases that introduce or state a cause. */
export const CAUSAL_CUE = wordCue([
  /root[- ]?cause[sd]?/,
  /caused/,
  /causing/,
  /cause of/,
  /because/,
  /due to/,
  /as a result/,
  /resulted in/,
  /result of/,
  /led to/,
  /leading to/,
  /triggered/,
  /trigger(ed)? by/,
  /stemm(ed|ing) from/,
  /originat/,
  /responsible for/,
  /the culprit/,
  /was the reason/,
  /which meant/,
  /meaning that/,
  /so that/,
  /therefore/,
  /consequently/,
  /this is why/,
  /the reason/,
  /attributed to/,
  /traced (it |this )?(back )?to/,
]);

/** A technology in a failure state: the technology itself misbehaved, ran out or was misconfigured. */
export const FAILURE_STATE = wordCue(
  [
    // running out, hitting a limit
    /exhaust\w*/,
    /ran out/,
    /running out/,
    /run out/,
    /out of (memory|disk|space|connections|capacity)/,
    /hit (its|the|a|our) [\w\s-]{0,30}?(limit|ceiling|quota|cap|watermark|maximum|max)/,
    /reach(ed|ing) (its|the|a) [\w\s-]{0,30}?(limit|ceiling|quota|cap|watermark|maximum|max)/,
    /max(ed)? out/,
    /maxmemory/,
    /max_connections/,
    /too many (connections|clients|fields|shards|objects|requests)/,
    // overload
    /saturat\w*/,
    /overload\w*/,
    /overwhelm\w*/,
    /throttl\w*/,
    /rejected/,
    /rejecting/,
    /refus\w*/,
    /evict\w*/,
    // membership and replication
    /split[- ]brain/,
    // no member able to take writes: "the set has no primary", "the ensemble was left without a leader"
    /(had|has|have|with|left) no (writable |electable )?(primary|leader|master|controller)\b/,
    /without an? (writable |electable )?(primary|leader|master|controller)\b/,
    /leaderless/,
    /failover/,
    /failed over/,
    /fail over/,
    /leader election/,
    /re-?elect\w*/,
    /elections?/,
    /rebalanc\w*/,
    /replication lag/,
    /replica lag/,
    /lagg\w*/,
    /wraparound/,
    /read[- ]only/,
    // locks, stalls, crashes, timeouts
    /deadlock\w*/,
    /locked/,
    /lock(s|ing)?\b/,
    /blocked/,
    /blocking/,
    /stall\w*/,
    /hang/,
    /hung/,
    /froze/,
    /frozen/,
    /crash\w*/,
    /oom\w*/,
    /out-of-memory/,
    /garbage collection/,
    /gc pause\w*/,
    /pauses?/,
    /timed out/,
    /timeouts?/,
    /time out/,
    // data and storage
    /hot (partition|key|shard)/,
    /tombstones?/,
    /compaction/,
    /corrupt\w*/,
    // data lost by the store itself: writes rolled back, discarded or thrown away
    /rolled back (the |its |their |those |these |all )?([\w-]+ )?(writes|operations|transactions|data|records|documents|updates)/,
    /discarded/,
    /thrown away/,
    /(writes|data|records|documents|updates|messages) (were |was |got |had been )?(silently )?lost/,
    // a replica far behind its source: "two hours behind its leader", "fell behind the primary"
    /((\d+|several|many|a few) (ms|s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?)|fell( far)?) behind (the |its |their )?(primary|leader|master|source|writer)/,
    /expired/,
    /deleted/,
    /purged/,
    /full\b/,
    /filled/,
    /disk (space|usage|pressure|full)/,
    /watermark/,
    // degradation
    /circuit breakers?/,
    /503/,
    /slowdown/,
    /slow ?down/,
    /degraded/,
    /unresponsive/,
    // mistakes
    /misconfigur\w*/,
    /wrong(ly)? configur\w*/,
    /bug\b/,
    /regression/,
    /leak\w*/,
    // load and growth
    /quota exceeded/,
    /space exceeded/,
    /exceeded/,
    /spik\w*/,
    /cpu/,
    /memory pressure/,
    /iops/,
    /stampede/,
    /thundering herd/,
    /cache miss\w*/,
    /misses/,
    /flush\w*/,
    /not (scale|scaling)/,
    /under-?provisioned/,
    // capacity that fell short, not capacity as a noun ("expanding the capacity of the cache")
    /(at|over|beyond|exceed\w*|reached|hit|insufficient|not enough|lack of|lost|reduced|out of) (its |the |their )?(full |provisioned |available )?capacity/,
    /capacity (limit|ceiling|exhausted|shortfall|problem|issue)s?/,
    /backlog/,
    /queue depth/,
    /grew/,
    /growth/,
    /restart loop/,
    /kept restarting/,
    /crash-?loop\w*/,
    /accumulat\w*/,
    /bloat\w*/,
  ],
  { endBoundary: false },
);

/** The mention is denied a role: the technology was fine, ruled out or only suspected. */
export const NEGATION = wordCue(
  [
    // not affected, not the cause
    /not (affected|impacted|involved|the (root )?cause|related|responsible|at fault|a factor|implicated|part of)/,
    sequence(
      /was(n'?t| not) /,
      /(affected|impacted|involved|the (root )?cause|related|responsible|at fault|a factor|the problem|the issue)/,
    ),
    /were(n'?t| not) (affected|impacted|involved|the (root )?cause|related|responsible|at fault|a factor)/,
    /unaffected/,
    /untouched/,
    // "None of that was involved here": a stack just described, cleared as a whole
    /none of (that|them|these|those|it|this) (was|were|is|are) (involved|affected|at fault|to blame|the (root )?cause|the problem)/,
    /un-?impacted/,
    // healthy all along
    sequence(
      /(remained|stayed|was|were|looked|looks|look|appeared|appears|seemed|seems|behaved|is|are) /,
      /(fully |completely |perfectly |entirely |all )?/,
      /(healthy|fine|normal|nominal|available|stable|ok|okay|green|unaffected|boring|within (its )?limits)/,
    ),
    // the data it holds intact: "the balances table stayed intact", "the follower is consistent again"
    /(remained|stayed|was|were|looked|looks|is|are) (fully |completely |entirely )?(consistent|intact)\b(?!\s+with)/,
    // "stayed up", "was up"; not "look up preferences", "looked up the owner" (a verb of searching)
    /(remained|stayed|was|were|is|are) (fully |all )?up\b/,
    // "it was idle", "the primaries sat nearly idle"; not "idle in transaction" (a session state)
    /(remained|stayed|was|were|sat) (completely |mostly |nearly |almost )?idle\b(?! in)/,
    /(was|were) never (under|overloaded|saturated|involved|the|unreachable|down|unavailable|stressed)/,
    /(worked|behaved|functioned) (perfectly|correctly|fine|normally)/,
    /\b(zero|0) (\w+ )?(throttl\w*|errors|evictions?|timeouts|rejections?)/,
    /\bno (\w+ )?(replication lag|lock waits?|errors|throttl\w*|timeouts|evictions?|connection spikes|server errors|5xx)\b/,
    // a health verdict in parentheses after what was checked: "broker health (fine)", "the group (stable, no ...)"
    // (the cue's leading \b stands after the word before the space)
    /\s?\((fine|healthy|normal|nominal|ok|okay|green|stable)[),]/,
    /:\s*(the )?(cluster )?(green|healthy|normal)\b/,
    /\bnever (involved|touched|implicated|at fault)\b/,
    /\ball (nodes|brokers|replicas|members) (up|healthy)/,
    /(healthy|fine|normal|nominal) (the )?(whole|entire) time/,
    // "answered every request normally throughout", "served reads correctly the whole time"
    /(normally|correctly|as usual) (throughout|all along|the (whole|entire) time)/,
    // "the rebalance finished on its own without issue"
    /(finished|completed|ran|worked|recovered|restarted|resumed|caught up)( on (its|their) own)? without (any )?(issues?|problems?|errors?|loss|incident)\b/,
    // a reading that was nil: "row lock waits were zero", "errors: none"
    /(waits|errors|timeouts|rejections|retries|evictions|throttl\w*|failures) (were|was|stayed|remained) (at )?(zero|0|none|nil)\b/,
    /no (issues|problems|errors|anomalies|impact|signs?) (with|in|on|from)/,
    /nothing (wrong|unusual|abnormal|out of the ordinary)/,
    // ruled out, only suspected
    /ruled out/,
    /red herring/,
    sequence(
      /(initially|first|originally|wrongly|mistakenly) /,
      /(suspected|blamed|thought|assumed|believed|looked at|focused on|suspect)/,
    ),
    /suspicion (fell|was) on/,
    /was a suspect/,
    /innocent/,
    /not the (culprit|problem|issue|cause)/,
    // "that evaluation is unrelated to this incident", "... but is unrelated to anything above"
    /(is|was|were|are) (entirely |completely |totally |also )?unrelated\b/,
    /unrelated to (this|the|that|anything|what)\b/,
    /not (the )?(root )?causes?\b/,
    /(is|was|were|are)(n'?t| not) (the reason )?why/,
    // "X is not it", "X wasn't it either": a terse verdict clearing the suspect; not a tag question ("isn't it?")
    /(is|was|were|are)(n['\u2019]?t| not) it( either)?(?=\s*(?:[.,;:!)]|$|\s+(?:and|but|so|then)\b))/,
    /(had|has|played) no (part|role|hand)/,
    // "nothing to do with Kafka itself", "X had nothing to do with it": a flat denial of any part
    /nothing to do with/,
    /exonerat\w*/,
    // coped
    /as expected/,
    /performed (normally|well|as expected)/,
    /kept (up|working|serving)/,
    /continued (to )?(serv|work|operat)\w*/,
    /buffered/,
    /absorbed/,
    /cleared (as|on) (its|their) own/,
  ],
  { endBoundary: false },
);

/**
 * A component read as healthy by its figures, with no verb ("disk fine, no alarms, cluster healthy", "its CPU was
 * flat", "memory at 38% of the watermark"). Kept apart from NEGATION: a row or line of readings often holds a failure
 * too ("heap 55%, CPU normal, ... Limit of total fields exceeded"), so it clears only a clause that tells no failure
 * (healthReadingIn).
 */
export const HEALTH_READING = wordCue(
  [
    // a metric or log read as quiet: "its CPU was flat", "the slow log was empty", "an unchanged hit rate"
    /(cpu|latency|load|memory|heap|error rate|hit rate|connections?|lag|iops|throughput|queue depth)( \w+)? (was|were|stayed|remained|looked|is|are) (completely |totally |perfectly |essentially )?(flat|unchanged|steady|quiet)\b/,
    /(slow|error)( query)? log (was|is|stayed|remained) (empty|clean)\b/,
    /\b(unchanged|normal|steady|flat) (hit rate|latency|error rate|cpu|throughput)\b/,
    /showed no (\w+ )?change\b/,
    // a terse health reading with no verb: "disk fine, no alarms, cluster healthy", "members 3/3 healthy"
    /(cluster|nodes?|members?|disks?|memory|heap|cpu|leader|quorum|depth|latency|lag|p99|error rate|hit rate|throughput)( \d+\/\d+)? (all |looks? |looked )?(fine|healthy|green|normal)\b(?!,? (but|until|except|yet)\b)/,
    // a utilisation figure under half: "CPU at 8%", "heap 41%"
    /\b(cpu|heap|memory|disk|(data |root )?volume|storage)( usage| utili[sz]ation)? (at |of |was |stayed at |peaked at )?[0-4]?\d(\.\d+)?%(?! of\b)/,
    // a lag or a count of errors read as zero: "replication lag 0", "evictions 0", "0 errors"
    /\b(lag|errors?|evictions?|rejections?|timeouts?|retries)( \w+)? (of |at |was |were )?0\b(?![.,]\d|\s*(ms|s|%))/,
    // a reading well under its limit: "memory peaked at 38% of the high watermark"
    /\b[0-7]?\d(\.\d+)?% of (the |its |their )?(\w+ ){0,2}(limit|watermark|quota|maximum|max|capacity|ceiling)\b/,
    /\bno (\w+ )?alarms?\b/,
    // nothing stuck: "no locks waiting", "no deadlocks"
    /\bno (\w+ )?(locks? (waiting|held)|deadlocks?|blocked (queries|sessions))\b/,
  ],
  { endBoundary: false },
);

const HEALTH_READINGS = new RegExp(HEALTH_READING.source, `${HEALTH_READING.flags.replace('g', '')}g`);

/**
 * A health reading in a text that tells no failure state outside its health readings ("CPU was flat" names the CPU,
 * a failure word elsewhere; "heap 55%, CPU normal, ... limit exceeded" tells a failure beside them).
 */
export function healthReadingIn(text: string): boolean {
  if (!HEALTH_READING.test(text)) return false;
  return !FAILURE_STATE.test(text.replace(HEALTH_READINGS, ' ; '));
}

/** Someone else's system: an upstream third party's technology is not ours to attribute. */
export const UPSTREAM = wordCue([
  /their/,
  /vendor'?s?/,
  /provider'?s?/,
  /third[- ]party/,
  /upstream/,
  /partner'?s?/,
  /supplier'?s?/,
  /processor'?s?/,
  /saas/,
  /status page/,
  /on their (side|end)/,
]);

/** The technology suffered the incident rather than caused it. */
export const VICTIM = wordCue([
  /(affected|impacted|unreachable|unavailable) (services|systems|components|dependencies)/,
  /services (affected|impacted)/,
  /(also|were|was) (affected|impacted|unreachable|unavailable)/,
  /(could not|couldn'?t|unable to) (reach|connect to|talk to|access)/,
  /lost (connectivity|access) to/,
  // "the Kafka controller and our job locks lost their sessions": things that lost their sessions suffered what ended
  // them (one that "lost its session again" on each election may be the fault itself)
  /lost their (\w+ )?(sessions|leases)/,
  /as a (downstream |knock-on )?(symptom|consequence)/,
  /downstream (effect|symptom|impact)/,
  /knock-on/,
  /collateral/,
  /backed up/,
  /piled up/,
  /queued up/,
  /built up (a )?backlog/,
  // "the broker just saw its clients' connections die": it only observed what happened to it
  /(just|only|merely) (saw|observed|experienced|received)/,
  // "Kafka simply accumulated the backlog the domain could not accept": it held what piled up
  /(accumulated|held|buffered|absorbed|kept) (all )?(the |a |its )?(whole )?backlog/, // "Kafka lag ... were downstream of the write failures"
  /(was|were|is|are) (all |simply |just )?downstream of/,
  // "Redis evicting keys was a side effect of holding two key sets at once"
  /(was|were|is|are) (a |just |only |merely )?(side[- ]effects?|symptoms?|consequences?) of\b/,
  // "the queue grew because the workers were slow", "messages accumulated in payments.capture because the consumers could not ..."
  /(grew|rose|climbed|backed up|piled up|filled( up)?|lagged|built up|accumulated)( [\w`.-]+){0,3} because (the |our |its |their )?(\w+ )?(workers|consumers|clients|callers|producers|apps?|services?|pods|jobs)\b/,
  // "Also evicted: a Kafka Connect worker", "Among the evicted pods were two Redis pods": what the eviction hit
  /\b(also )?(evicted|killed|terminated|preempted|rescheduled|restarted):/,
  /\bamong the (evicted|killed|terminated|affected|restarted|rescheduled) (pods|nodes|services|containers|workloads|instances)\b/,
]);

/** Words that mark a sentence as a proposal rather than a fact. */
export const PROPOSAL = wordCue([
  /should/,
  /will/,
  // "we'll", not "well"
  /we['\u2019]ll/,
  /plan(ned)? to/,
  /going to/,
  /consider(ing)?/,
  /evaluate/,
  /investigate whether/,
  /add(ing)? (a |an )?(alert|alarm|dashboard|panel|runbook)/,
  /would have/,
  /could have/,
  /might/,
  /todo/,
  /action item/,
  /follow[- ]up/,
  /owner:/,
  /due:/,
  /ticket/,
  /jira/,
]);

/**
 * Where the investigation's attention went first: "the on-call went straight to the cluster", "the
 * first hour went into the brokers", "we spent forty minutes on the database", "early in the
 * response we looked at the cache". A step of the search, not a finding.
 */
const LOOKED_FIRST =
  /went straight (to|for)|(the )?first (hour|hours|half[- ]hour|[\w-]+ minutes) (went|was spent|were spent) (into|on)|spent ((the|an?|our) )?(first |next )?([\w-]+ )?(hour|hours|minutes|half[- ]hour) (on|in|inside|looking (at|for|into)|checking|chasing|digging (into|through))|(early (in|on)\b[^,.;]{0,30}|at first|initially),? (we|i|the (on-?call|team)( engineers?)?) (looked at|checked|examined|inspected|investigated|went to)|(checked|looked at|examined|suspected) (it |them )?first\b/;

/** A suspicion is not a finding unless the document confirms it; nor is where the search looked first. */
export const SUSPICION = new RegExp(
  `\\b(suspect(ed|ing|s)?|suspicion|blamed|assumed|our guess|guessed|first guess|(first|initial|early|working) assumption|theory( \\d+| [a-z])?(?=:)|hypothes[ie]s( \\d+| [a-z])?(?=:)|asked (if|whether)|checked (whether|if)|could have been|wondered|treat(ed|ing) (this|it) as|${LOOKED_FIRST.source})\\b`,
  'i',
);
export const CONFIRMATION = /\b(confirm(ed|s)?|turned out to be|indeed|proved|verified)\b/i;

/** A generic name for a datastore, for causes the document describes without naming a product. */
export const GENERIC_DATASTORE = anyOf(
  [
    sequence(
      /\b(primary|main|production|prod|central|core|shared|billing|orders?|user|reporting|the) /,
      /(database|db|datastore|data store|cluster|cache|queue|broker|search cluster|index)\b/,
    ),
    /\bthe (database|db|datastore|cache layer|message broker)\b/,
  ],
  'i',
);
