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
    /\b(no (alert|alarm|monitoring)|(alert|alarm)s? (did not|didn'?t|never) (fire|trigger)|not (alerted|monitored)|lack of (alerting|monitoring)|missing (alert|alarm|monitor)\w*|without (an )?(alert|alarm)|blind spot)\b/i,
  ],
  [
    'capacity-headroom',
    /\b(headroom|under-?provisioned|provisioned (capacity|throughput)|capacity planning|not sized|undersized|close to (the|its) limit)\b/i,
  ],
  [
    'untested-change',
    /\b(not tested|untested|no (load )?test\w*|wasn'?t tested|didn'?t test|staging (did not|didn'?t)|not caught in (staging|review|testing))\b/i,
  ],
  [
    'config-change-without-review',
    /\b(without (a )?review|unreviewed|no review|bypass\w* review|config(uration)? change)\b/i,
  ],
  ['retry-storm', /\b(retr(y|ies) (storm|amplif\w*)|retries|thundering herd|retry loop)\b/i],
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
  ['manual-operation', /\b(manual\w*|by hand|ad[- ]hoc|one-off|operator ran|ran (a|the) (command|script|query))\b/i],
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

export function contributingFactorsOf(sentences: readonly string[]): string[] {
  const text = sentences.join(' \n ');
  return FACTOR_CUES.filter(([, pattern]) => pattern.test(text)).map(([tag]) => tag);
}
