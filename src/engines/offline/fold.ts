import { createHash } from 'node:crypto';
import { FAULT_CATEGORY_LABELS, type Digest, type FaultCategory, type Pattern } from '../../schemas/index.ts';
import type { OpportunityText } from '../engine.ts';

export function patternIdOf(technology: string, category: FaultCategory): string {
  const slug = `${technology}-${category}`.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return `${slug}-${createHash('sha256').update(`${technology}\u0000${category}`).digest('hex').slice(0, 6)}`;
}

/**
 * The deterministic fold: one pattern per technology and fault category, with the factors that
 * recur among its incidents and every incident id behind it. Patterns are ordered by count.
 */
export function foldPatternsOffline(digests: readonly Digest[]): Pattern[] {
  const groups = new Map<string, Digest[]>();
  for (const digest of digests) {
    const key = `${digest.technology}\u0000${digest.faultCategory}`;
    groups.set(key, [...(groups.get(key) ?? []), digest]);
  }
  const patterns: Pattern[] = [];
  for (const group of groups.values()) {
    const first = group[0];
    if (!first) continue;
    const incidentIds = [...new Set(group.map((digest) => digest.docId))].sort();
    const factorCounts = new Map<string, number>();
    for (const digest of group)
      for (const factor of new Set(digest.contributingFactors))
        factorCounts.set(factor, (factorCounts.get(factor) ?? 0) + 1);
    const ranked = [...factorCounts.entries()].sort(
      (left, right) => right[1] - left[1] || left[0].localeCompare(right[0]),
    );
    const recurring = ranked.filter(([, count]) => count >= 2 || incidentIds.length === 1).map(([factor]) => factor);
    const label = FAULT_CATEGORY_LABELS[first.faultCategory];
    const factorsText =
      recurring.length > 0 ? ` Recurring contributing factors: ${recurring.slice(0, 4).join(', ')}.` : '';
    patterns.push({
      id: patternIdOf(first.technology, first.faultCategory),
      technology: first.technology,
      faultCategory: first.faultCategory,
      theme: `${first.technology}: ${label.toLowerCase()}`,
      description: `${incidentIds.length} incident${incidentIds.length === 1 ? '' : 's'} in which ${first.technology} contributed through ${label.toLowerCase()}.${factorsText}`,
      contributingFactors: recurring,
      incidentIds,
      count: incidentIds.length,
      evidence: group.map((digest) => digest.sentences[0]).filter((sentence): sentence is string => Boolean(sentence)),
    });
  }
  return patterns.sort((left, right) => right.count - left.count || left.id.localeCompare(right.id));
}

const INVESTMENTS: Record<FaultCategory, string> = {
  'configuration-change': 'Validated, staged configuration changes',
  deployment: 'Progressive delivery with automatic rollback',
  capacity: 'Capacity planning, load testing and autoscaling',
  'resource-exhaustion': 'Saturation alerting and resource headroom',
  'failover-replication': 'Failover drills and replication monitoring',
  'software-bug': 'Upgrade and regression testing',
  'data-loss-corruption': 'Deletion safeguards, backups and restore drills',
  dependency: 'Graceful degradation when a dependency fails',
  'operational-error': 'Guardrails and runbooks for risky operations',
  network: 'Network change safety and connectivity monitoring',
  unknown: 'Deeper investigation and observability',
};

/** Opportunity wording from the fixed investment catalogue; the stage adds the measured numbers. */
export function describeOpportunitiesOffline(patterns: readonly Pattern[]): OpportunityText[] {
  return patterns.map((pattern) => ({
    patternId: pattern.id,
    title: `${INVESTMENTS[pattern.faultCategory]} for ${pattern.technology}`,
    rationale: `${pattern.count === 1 ? 'One incident follows' : `${pattern.count} incidents follow`} the pattern "${pattern.theme}"${pattern.contributingFactors.length > 0 ? ` with recurring factors ${pattern.contributingFactors.slice(0, 3).join(', ')}` : ''}.`,
  }));
}
