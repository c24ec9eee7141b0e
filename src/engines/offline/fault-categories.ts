import type { FaultCategory } from '../../schemas/index.ts';

/**
 * Keyword evidence per fault category. Each hit in a digest's sentences adds the weight;
 * the best-scoring category wins, ties going to the earlier entry.
 */
const CATEGORY_CUES: ReadonlyArray<readonly [FaultCategory, RegExp, number]> = [
  [
    'data-loss-corruption',
    /\b(data loss|lost (data|writes|records|objects)|corrupt\w*|deleted|purged|expired (objects|data)|overwrit\w*|irrecoverabl\w*|restore[ds]? from backup)\b/gi,
    2,
  ],
  [
    'failover-replication',
    /\b(failover|failed over|fail over|split[- ]brain|replica\w*|replicat\w*|leader election|elections?|re-?elect\w*|promot\w*|standby|quorum|session (expir\w*|timeout)|stale primary)\b/gi,
    2,
  ],
  [
    'resource-exhaustion',
    /\b(exhaust\w*|ran out|run out|running out|out of (memory|disk|space|connections)|max_connections|connection (limit|pool)|maxmemory|oom\w*|disk (full|space|usage|pressure)|watermark|memory pressure|heap|jvm|cpu (saturat\w*|at 100|pegged)|iops|space exceeded|quota exceeded|too many (connections|clients)|filled|full\b)\b/gi,
    2,
  ],
  [
    'capacity',
    /\b(throttl\w*|provisioned|capacity|hot (partition|key|shard)|partition key|scal(e|ing) (up|out)|under-?provisioned|traffic (spike|surge)|burst|request rate|slow ?down|503|load (spike|increase)|peak (load|traffic)|rcu|wcu|write capacity|read capacity)\b/gi,
    1.5,
  ],
  [
    'configuration-change',
    /\b(config\w*|setting|parameter|misconfigur\w*|policy|lifecycle rule|ttl|timeout (value|setting)|max\.poll|flag changed|changed the|tunable|dynamic mapping|rule change)\b/gi,
    1.5,
  ],
  [
    'deployment',
    /\b(deploy\w*|release[ds]?|roll(ed)? ?out|rollout|upgrade[ds]?|new version|shipped|merged|canary|client library|library (upgrade|bump|version))\b/gi,
    1.5,
  ],
  [
    'operational-error',
    /\b(manual\w*|operator|by hand|ran (a|the) (command|script|query)|human error|typo|runbook|foreground|alter table|migration|maintenance|one-off|ad[- ]hoc)\b/gi,
    1.5,
  ],
  [
    'software-bug',
    /\b(bug|regression|defect|race condition|leak\w*|null pointer|exception|edge case|wraparound|off-by-one|tombstones?|serializ\w*)\b/gi,
    1.5,
  ],
  [
    'dependency',
    /\b(third[- ]party|vendor|provider|upstream|dependency|partner|external service|api key|status page)\b/gi,
    1.5,
  ],
  [
    'network',
    /\b(network\w*|partition(ed)? between|packet loss|dns|nacl|security group|bgp|connectivity|routing|firewall|latency between|availability zones?|tls|certificate)\b/gi,
    1.5,
  ],
];

export function scoreFaultCategories(sentences: readonly string[]): Map<FaultCategory, number> {
  const scores = new Map<FaultCategory, number>();
  const text = sentences.join(' \n ');
  for (const [category, pattern, weight] of CATEGORY_CUES) {
    const hits = text.match(pattern)?.length ?? 0;
    if (hits > 0) scores.set(category, (scores.get(category) ?? 0) + hits * weight);
  }
  return scores;
}

/** The category with the most keyword evidence; "unknown" when nothing matches. */
export function faultCategoryOf(primary: readonly string[], secondary: readonly string[] = []): FaultCategory {
  const scores = scoreFaultCategories(primary);
  for (const [category, score] of scoreFaultCategories(secondary))
    scores.set(category, (scores.get(category) ?? 0) + score * 0.5);
  let best: FaultCategory = 'unknown';
  let bestScore = 0;
  for (const [category] of CATEGORY_CUES) {
    const score = scores.get(category) ?? 0;
    if (score > bestScore) {
      best = category;
      bestScore = score;
    }
  }
  return best;
}
