/**
 * Contributing-factor tags: short names for conditions that recur across incidents. A tag is
 * given when its cue appears in the sentences of a digest or the document's contributing factors.
 */
const FACTOR_CUES: ReadonlyArray<readonly [string, RegExp]> = [
  [
    'connection-pool-sizing',
    /\b(connection pool|pool size|max_connections|too many (connections|clients)|connection (limit|count)s?)\b/i,
  ],
  [
    'missing-alerting',
    /\b((no|without( an?)?|missing|lack of|never had( an?)?) (alerts?|alarms?|paging|monitoring|monitors?)\b|(alerts?|alarms?|pages?|monitors?) (did not|didn'?t|never|failed to|does not|doesn'?t) (fire|trigger|go off|page|cover|look)|nobody (was )?(paged|alerted)|not (alerted|monitored|paged)|(alert|alarm|page)s? (was |were |had been )?(muted|silenced|disabled|snoozed)|blind spot|unmonitored|unalerted|went unnoticed|(nobody|no one) (was )?(watching|noticed)|only (went|go|goes|logged|written) to (a |the )?logs?|(under|behind|in) (a |an )?([\w-]+ )?silence\b|silenced|routed to (a |an |the )?(channel|inbox|mailbox|list|queue) (nobody|no one)|(dashboards?|graphs?|metrics?)[^.;]{0,40}(stayed|looked|showed|read) (green|normal|fine|healthy|flat|zero))/i,
  ],
  [
    'capacity-headroom',
    /\b((no|little|without|not enough|ran out of|lacked|lack of|zero|thin) (\w+ ){0,2}headroom|headroom (was|had been|ran) (gone|exhausted|thin|used up|out)|under-?provisioned|not sized|undersized|(no|without a|missed the) capacity plan\w*|close to (the|its) limit|(known|expected|forecast|scheduled|planned|annual|yearly|dated|calendar) (peak|sale|event|launch|spike|rush)|sized for (last year|normal|average|everyday|a normal)|(did not|didn'?t|never|nobody) (scale|scaled|provision\w*|pre-?warm\w*|rais\w*|re-?size\w*)\b[^.;]{0,40}\b(ahead|before|in advance|for (it|the (peak|sale|event|launch))))/i,
  ],
  [
    'untested-change',
    /\b(not tested|untested|never tested|wasn'?t tested|didn'?t test|no (load |integration |upgrade )?tests?\b|staging (did not|didn'?t|could not|couldn'?t|cannot|can'?t|never) (show|reproduce|catch|have|hit|exercise)|not (caught|reproduced|covered|exercised) (in|by) (staging|tests?|ci|testing)|staging (has|had|holds|held) (only|no|far fewer|a fraction)|staging (is|was) (much |far )?smaller|(could not|couldn'?t|did not|didn'?t|cannot|can'?t) (be )?reproduc\w* (it )?in staging)/i,
  ],
  [
    'config-change-without-review',
    /\b(without (a |any )?(review|approval|second pair of eyes|peer review)|unreviewed|no (code )?review|not reviewed|bypass\w* (the )?review|skipp\w* (the )?review|self-approved|outside (the )?change (process|management))\b/i,
  ],
  [
    'change-everywhere-at-once',
    /\b((all|every) (\w+ ){0,2}(regions?|hosts?|nodes?|clusters?|sites?|pods?|servers?|brokers?|data ?cent(er|re)s?|shards?|zones?)\b[^.;]{0,30}\b(at once|at the same time|simultaneously|in one (go|step|batch|wave))|(at once|simultaneously|in one (go|step|batch|wave)) (to|across|on) (all|every)|no (canary|staged rollout|phased rollout|first batch)|without (a |any )?(canary|staged|phased|gradual|progressive)|(fleet|region|cluster)-wide (change|push|rollout|deploy)|(pushed|rolled out|applied|deployed|shipped) (\w+ ){0,3}(to|across|on) (all|every|the whole|the entire) (fleet|regions?|hosts?|nodes?|clusters?|sites?))/i,
  ],
  [
    'retry-storm',
    /\b(retry (storm|loop)|thundering herd|retr(y|ies|ied|ying)\b[^.;]{0,60}\b(without (any |a )?(back-?off|jitter|delay)|no (back-?off|jitter)|immediately|at once|in a (tight )?loop|amplif\w*|multipl\w*|pil(e|ed|ing) (up|on)|stack\w*|doubl\w*|tripl\w*|hammer\w*|flood\w*)|(no|without( any)?) (back-?off|jitter)\b[^.;]{0,60}\bretr\w*)/i,
  ],
  ['cache-miss-storm', /\b(stampede|cache miss\w*|cold cache|miss rate|cache (was )?(empty|flushed|cleared))\b/i],
  ['hot-key-or-partition', /\b(hot (key|partition|shard)|partition key|skew\w*|single prefix|one prefix)\b/i],
  [
    'disk-space',
    /\b(disk (space|full|usage|pressure)|filled (the )?disk|watermark|out of (disk|space)|space exceeded)\b/i,
  ],
  ['memory-pressure', /\b(out of memory|oom\w*|memory pressure|heap|maxmemory|garbage collection|gc pause\w*)\b/i],
  [
    'replication-or-failover',
    /\b(fail-?over|failed over|split[- ]brain|replica(tion)? lag\w*|lagging replica|leader election|replication (broke|broken|stopped|stalled|failed|fell behind|slot))\b/i,
  ],
  [
    'schema-or-index-change',
    /\b(alter table|schema (change|migration)|migration|index build|new index|gsi|mapping)\b/i,
  ],
  ['timeout-misconfiguration', /\b(timeout|visibility timeout|max\.poll\.interval|session timeout)\b/i],
  [
    'manual-operation',
    /\b(manual(ly)? (step|command|change|edit|operation|procedure|query|deletion|delete|cleanup|failover|intervention)s?\b(?! (was|were) (then |later )?(used|needed|run) to)|(issued|created|installed|configured|set up|edited|changed|typed|deleted|dropped|removed|applied|inserted|started|ran) (\w+ ){0,3}(by hand|manually)|hand-(run|typed|edited)|ad[- ]hoc (command|query|script|change)|one-off (command|script|query)|(skipped|missed|misread|misapplied|wrong|mistyped) (\w+ ){0,2}runbook step|runbook step (was |got )?(skipped|missed|misread|misapplied)|wrong (kube)?(context|environment|cluster|terminal|tab|shell|window))/i,
  ],
  ['missing-runbook', /\b(no runbook|runbook (was )?(missing|outdated|out of date)|undocumented)\b/i],
  [
    'expired-certificate-or-credential',
    /\b((certificates?|certs?|credentials?|passwords?|tokens?|keys?|keystores?)\b[^.;]{0,40}\bexpir\w*|expir\w*[^.;]{0,20}\b(certificates?|certs?|credentials?|passwords?|tokens?))\b/i,
  ],
  // Data that a rule removes or keeps: not a certificate's or a password's expiry (the tag above).
  [
    'data-retention-lifecycle',
    /\b(lifecycle|ttl|retention|tombstones?|vacuum|wraparound|expir\w* (data|items?|keys|records?|messages?|objects?|rows?|documents?))\b/i,
  ],
];

/**
 * How the incident came about, whatever the technology: these are read wherever the document tells
 * them (`incident`); the others name the technology's own mechanism and are read in the digest's
 * sentences (`own`) only.
 */
const PROCESS_FACTORS: ReadonlySet<string> = new Set([
  'missing-alerting',
  'capacity-headroom',
  'untested-change',
  'config-change-without-review',
  'change-everywhere-at-once',
  'retry-storm',
  'manual-operation',
  'missing-runbook',
]);

/**
 * The factor tags of a digest: the technology's mechanism in its own sentences (`own`), how the
 * incident came about in the incident's sentences (`incident`, which may be the same).
 */
export function contributingFactorsOf(own: readonly string[], incident: readonly string[] = own): string[] {
  const ownText = own.join(' \n ');
  const incidentText = [...own, ...incident].join(' \n ');
  return FACTOR_CUES.filter(([tag, pattern]) => pattern.test(PROCESS_FACTORS.has(tag) ? incidentText : ownText)).map(
    ([tag]) => tag,
  );
}
