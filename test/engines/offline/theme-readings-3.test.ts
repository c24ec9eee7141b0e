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
