import { describe, expect, it } from 'vitest';
import { foldThemesOffline } from '../../../src/engines/offline/fold.ts';
import { MECHANISM_BY_ID, readMechanism } from '../../../src/engines/offline/mechanisms.ts';
import type { FoldIncident } from '../../../src/engines/engine.ts';

const mechanismOf = (sentence: string) => readMechanism([sentence])?.mechanism.id;

function incident(docId: string, technologies: string[], sentences: string[]): FoldIncident {
  return {
    docId,
    technologies,
    faultCategory: 'configuration-change',
    faultSecondary: null,
    sentences,
    causeSentences: sentences.length,
    contributingFactors: [],
  };
}

describe("theme readings: a store's own background work that starved live traffic", () => {
  it('reads maintenance or data movement whose throttle was missing, removed or raised', () => {
    expect(
      mechanismOf(
        'The partition reassignment was started without a replication throttle, so the new brokers pulled every replica at once and produce requests timed out.',
      ),
    ).toBe('unthrottled-maintenance');
    expect(
      mechanismOf(
        'Someone had set compaction_throughput_mb_per_sec to 0 during a load test, which the nodes read as unthrottled, and the rewrite after the strategy change took every disk.',
      ),
    ).toBe('unthrottled-maintenance');
    expect(mechanismOf('Unthrottled streaming to the new ring member ate the network of its four peers.')).toBe(
      'unthrottled-maintenance',
    );
  });

  it('reads maintenance traffic that saturated what queries needed', () => {
    expect(
      mechanismOf(
        'Shard recovery traffic after the node replacement saturated the disks of the remaining data nodes and searches queued behind it.',
      ),
    ).toBe('unthrottled-maintenance');
  });

  it('does not read maintenance that ran as usual, or other work at full speed', () => {
    expect(mechanismOf('The nightly compaction finished at 03:10 as usual and played no part in the outage.')).toBe(
      undefined,
    );
    expect(mechanismOf('We ran the migration script at full speed against staging first.')).toBe(undefined);
  });

  it('folds a reassignment and a recovery in different technologies into one theme', () => {
    const drafts = foldThemesOffline([
      incident(
        'kafka-move',
        ['Kafka'],
        [
          'The partition reassignment was started without a replication throttle, so the new brokers pulled every replica at once and produce requests timed out.',
        ],
      ),
      incident(
        'search-replace',
        ['Elasticsearch'],
        [
          'Shard recovery traffic after the node replacement saturated the disks of the remaining data nodes and searches queued behind it.',
        ],
      ),
    ]);
    expect(drafts.map((draft) => [draft.theme, [...draft.incidentIds].sort()])).toEqual([
      [MECHANISM_BY_ID.get('unthrottled-maintenance')?.theme, ['kafka-move', 'search-replace']],
    ]);
  });
});

describe('theme readings: a liveness timeout tighter than ordinary delays', () => {
  it('reads failure-detection timing left at single-site defaults or tightened', () => {
    expect(
      mechanismOf(
        'The election timeout was left at the single-datacentre default after the third member moved to another region, so followers kept electing a new leader.',
      ),
    ).toBe('session-expiry-pause');
    expect(
      mechanismOf(
        'The heartbeat interval and election timeout had been tightened to 50 ms and 300 ms in a tuning change, well below the cross-zone round trip.',
      ),
    ).toBe('session-expiry-pause');
  });

  it('reads a stall that made a member miss heartbeats or lose its session', () => {
    expect(
      mechanismOf(
        'A 6 second garbage collection pause on the leader made it miss heartbeats, and the followers voted it out.',
      ),
    ).toBe('session-expiry-pause');
    expect(mechanismOf('The scheduler lost its session during a long fsync stall on the ensemble.')).toBe(
      'session-expiry-pause',
    );
  });

  it('does not read one planned election or an unrelated client timeout', () => {
    expect(mechanismOf('The primary was elected once, as designed, when the old host was retired.')).toBe(undefined);
    expect(mechanismOf('The web team tightened the HTTP client timeout to two seconds last quarter.')).toBe(undefined);
  });
});

describe('theme readings: rules scoped too wide, retention a paused reader outlasted', () => {
  it('reads an expiry rule whose prefix or filter matched more than it was meant to', () => {
    expect(
      mechanismOf(
        'The expiration rule meant for scratch uploads was written against a prefix that also matched the folder holding signed contracts.',
      ),
    ).toBe('lifecycle-deletion');
    expect(
      mechanismOf(
        'In the new module the lifecycle filter was written as an empty prefix, so it applied to the whole bucket.',
      ),
    ).toBe('lifecycle-deletion');
  });

  it('reads the setting that expires committed offsets, and a retention sized against a reader that paused', () => {
    expect(
      mechanismOf(
        'The group sat idle for five days, longer than offsets.retention.minutes allows, so its committed position was gone when it restarted.',
      ),
    ).toBe('consumer-offsets');
    expect(
      mechanismOf(
        'The topic keeps retention.ms at two days on the theory that the consumer is never more than a minute behind, but the consumer was paused for the long weekend.',
      ),
    ).toBe('retained-log-outrun');
  });
});

describe('theme readings: size ceilings and stale copies told in their own words', () => {
  it("reads a store's refusal by name and a per-item ceiling stated as a fact of every item", () => {
    expect(mechanismOf('The producer got RecordTooLargeException for every order with more than 400 lines.')).toBe(
      'item-size-limit',
    );
    expect(
      mechanismOf('Profile items have a hard 400 KB size limit, and the embedded activity list kept growing.'),
    ).toBe('item-size-limit');
  });

  it('reads a copy that stopped applying writes, lagged its source, or was read on purpose', () => {
    expect(
      mechanismOf(
        "An analyst query on the standby paused WAL replay for three hours, so the billing job read yesterday's numbers.",
      ),
    ).toBe('replication-lag');
    expect(
      mechanismOf(
        'The index lagged the base table by up to a minute under the write peak, so the dispatcher saw the same orders as ready twice.',
      ),
    ).toBe('replication-lag');
    expect(mechanismOf('Reads were sent with readPreference=secondaryPreferred after the template change.')).toBe(
      'replication-lag',
    );
  });

  it('does not read replicas that kept up', () => {
    expect(mechanismOf('The primary was healthy and every replica was within a second of it throughout.')).toBe(
      undefined,
    );
  });
});

describe('theme readings: state evicted from a cache, access narrowed by a condition', () => {
  it('reads state that must outlive the cache thrown away by its eviction, told either way round', () => {
    expect(
      mechanismOf(
        'Checkout deduplicated retries with idempotency keys kept in a cache cluster whose policy evicts any key when memory is full.',
      ),
    ).toBe('volatile-store-data-loss');
    expect(
      mechanismOf('Under allkeys-lru the store threw away the lock keys of batches that were still running.'),
    ).toBe('volatile-store-data-loss');
    expect(mechanismOf('We evicted the old nodes from the ring during the upgrade, one at a time.')).toBe(undefined);
  });

  it('reads a deny that matched legitimate callers, an allow behind a condition, a grant that left a part out', () => {
    expect(
      mechanismOf(
        'The new bucket policy adds a deny for any request that does not arrive through our VPC endpoint, and the export job does not use it.',
      ),
    ).toBe('access-rule-lockout');
    expect(
      mechanismOf('The role granted read on the table but not on its indexes, so every query of the index was denied.'),
    ).toBe('access-rule-lockout');
    expect(
      mechanismOf('The queue policy allows sqs:SendMessage only when the caller belongs to our organisation.'),
    ).toBe('access-rule-lockout');
    expect(mechanismOf('We reviewed the IAM policy and it allowed everything the job needed.')).toBe(undefined);
  });
});

describe('theme readings: quorum lost to maintenance or to a shared failure domain', () => {
  it('reads a member taken out while another was still coming back, or removed before its replacement could start', () => {
    expect(
      mechanismOf(
        'During the kernel patch we restarted node-2 while node-1 was still loading its snapshot, so two of the three were down and the ensemble had no quorum.',
      ),
    ).toBe('rolling-restart');
    expect(
      mechanismOf(
        'The runbook removed the old member before the new one could actually start, which raised the quorum without adding a voter.',
      ),
    ).toBe('rolling-restart');
    expect(
      mechanismOf(
        'We patched the nodes one at a time and waited for each to rejoin; the cluster kept its quorum throughout.',
      ),
    ).toBe(undefined);
  });

  it('reads members or replicas placed in one zone, rack awareness unset, a replacement launched next to a member', () => {
    expect(
      mechanismOf(
        'Two of the three coordination servers were in the same zone, so the zone outage took the majority with it.',
      ),
    ).toBe('shared-failure-domain');
    expect(
      mechanismOf(
        'The cluster came up with broker.rack unset after the migration, and replicas were placed without rack awareness.',
      ),
    ).toBe('shared-failure-domain');
    expect(mechanismOf('The replacement VM was launched into zone c, next to the member already running there.')).toBe(
      'shared-failure-domain',
    );
    expect(mechanismOf('Our three replicas sit in three zones, and the zone outage cost us one of them.')).toBe(
      undefined,
    );
  });
});

describe('theme readings: a query planner that switched to a bad plan', () => {
  it('reads a generic plan, a switch from one plan or scan to another, statistics missing after an upgrade', () => {
    expect(
      mechanismOf(
        'After the fifth execution the driver switched to a generic plan that ignored the tenant id, and the lookup went from 3 ms to 4 s.',
      ),
    ).toBe('query-plan-flip');
    expect(
      mechanismOf(
        'The upgraded cluster started with no statistics at all, because pg_upgrade does not carry them over.',
      ),
    ).toBe('query-plan-flip');
  });

  it('reads the flip, not the full scan it produced', () => {
    expect(
      mechanismOf(
        'Once the nightly ANALYZE sampled the new rows, the planner switched from the index scan to a sequential scan of the whole table.',
      ),
    ).toBe('query-plan-flip');
  });

  it('does not read statistics refreshed as planned or a query that kept its index', () => {
    expect(mechanismOf('We ran ANALYZE after the restore, as the runbook says, and the plans stayed the same.')).toBe(
      undefined,
    );
    expect(mechanismOf('The query used the right index throughout; the slowness was lock waits.')).toBe(undefined);
  });
});

describe('theme readings: an isolated side that kept acting as leader', () => {
  it('reads a cut-off member that went on as leader, elected itself, or a cluster told as two', () => {
    expect(
      mechanismOf(
        'Cut off from the other zone, the old primary went on acting as primary for the clients that could still reach it.',
      ),
    ).toBe('split-brain');
    expect(
      mechanismOf(
        'The node on the far side of the partition elected itself leader, because one vote was enough with that setting.',
      ),
    ).toBe('split-brain');
    expect(mechanismOf('For half an hour the cluster ran as two clusters, each believing it was the only one.')).toBe(
      'split-brain',
    );
  });

  it('does not read a minority side that stopped taking writes as designed', () => {
    expect(
      mechanismOf(
        'The network partition lasted two minutes; the minority side stopped taking writes as designed and rejoined cleanly.',
      ),
    ).toBe(undefined);
  });
});
