import { describe, expect, it } from 'vitest';
import type { FoldIncident } from '../../../src/engines/engine.ts';
import { foldThemesOffline } from '../../../src/engines/offline/fold.ts';
import { readMechanism } from '../../../src/engines/offline/mechanisms.ts';
import { supportsMembership } from '../../../src/stages/themes.ts';
import { foldIncident, mechanismOf, withContext } from '../../support/themes.ts';

describe('theme readings: retries told by the pause they lacked or by the remedy', () => {
  it('reads a retry with no delay as a retry storm', () => {
    expect(mechanismOf('Our client retried with no delay after every refused call.')).toBe('retry-storm');
    expect(mechanismOf('The SDK reconnected with zero delay, so a short failover became a long outage.')).toBe(
      'retry-storm',
    );
  });

  it('reads a remedy that confines retries to one layer as a retry storm', () => {
    expect(
      withContext(
        ['Every signed-in request failed for forty minutes.'],
        ['From now on retries happen only at the outermost layer, under a retry budget.'],
      ),
    ).toBe('retry-storm');
  });

  it('reads retries that turned a brief stall into a long one over the connection limit they hit', () => {
    expect(
      withContext(
        ['The cache hit maxclients during the failover.'],
        ['Our client retried with zero delay, so a 20 s failover became 30 min.'],
      ),
    ).toBe('retry-storm');
    expect(withContext(['The cache hit maxclients during the failover.'], ['Failover took 20 s.'])).toBe(
      'connection-exhaustion',
    );
  });

  it('does not read a scheduled delay or a single caching layer as a retry storm', () => {
    expect(mechanismOf('The failed export was retried after a delay of one hour, as designed.')).not.toBe(
      'retry-storm',
    );
    expect(
      withContext(
        ['Every signed-in request failed for forty minutes.'],
        ['The gateway has only one layer of caching.'],
      ),
    ).not.toBe('retry-storm');
  });
});

describe('theme readings: an integer id column at the top of its type', () => {
  it('reads ids that ran out of range as integer id overflow', () => {
    expect(mechanismOf('Inserts failed with integer out of range once the order sequence passed 2,147,483,647.')).toBe(
      'integer-id-overflow',
    );
    expect(mechanismOf('The auto-increment counter stopped at the column maximum and every insert collided.')).toBe(
      'integer-id-overflow',
    );
    expect(mechanismOf('The ledger table simply ran out of integer ids on Tuesday morning.')).toBe(
      'integer-id-overflow',
    );
    expect(mechanismOf('The events table was created with a serial primary key, a 32-bit signed integer.')).toBe(
      'integer-id-overflow',
    );
  });

  it('does not read a sum that overflowed in application code as an id column', () => {
    expect(
      mechanismOf('The yearly total passed 2,147,483,647 cents and the report code summed it into a negative number.'),
    ).not.toBe('integer-id-overflow');
  });
});

describe('theme readings: a server upgrade that changed a default', () => {
  it('reads a version told as changing a default as the upgrade mechanism', () => {
    expect(
      mechanismOf('Since version 16 the server no longer lets every role write to the shared schema by default.'),
    ).toBe('upgrade-changed-default');
    expect(mechanismOf('Release 9.1 changed the default character ordering for new tables.')).toBe(
      'upgrade-changed-default',
    );
    expect(mechanismOf('The first batch after the upgrade created its table with the new default encoding.')).toBe(
      'upgrade-changed-default',
    );
  });

  it('does not read a client library or a pool whose default changed as a server upgrade', () => {
    expect(
      mechanismOf('The new major version of the client library changed the default pool size from 50 to 5.'),
    ).not.toBe('upgrade-changed-default');
  });
});

describe('theme readings: data or leadership placed on a few nodes', () => {
  it('reads concentrated leadership, a placement problem or a time-ordered shard key as a hot partition', () => {
    expect(
      mechanismOf('After the patching, two brokers were leaders for 68% of partitions and took all the traffic.'),
    ).toBe('hot-partition');
    expect(mechanismOf('The root cause was an uneven token ownership across the ring after we added nodes.')).toBe(
      'hot-partition',
    );
    expect(mechanismOf('Our shard key is the creation timestamp, so new writes always land on the last range.')).toBe(
      'hot-partition',
    );
  });

  it('does not read one overloaded node that a client config picked as a placement of data', () => {
    expect(
      mechanismOf(
        'One search node sat at 97% CPU while the other nine idled, because the client was given only its address.',
      ),
    ).not.toBe('hot-partition');
  });
});

describe('theme readings: one huge write that replication applies as a unit', () => {
  it('reads one statement of millions of rows behind replica lag as the huge write', () => {
    expect(
      mechanismOf(
        'The archive job deleted 60 million rows in one statement, and the replicas spent an hour applying it.',
      ),
    ).toBe('huge-transaction-replication');
    expect(mechanismOf('binlog: a single transaction of 7.5 GB of row images for one commit.')).toBe(
      'huge-transaction-replication',
    );
    expect(mechanismOf('A cleanup script ran one bulk update of 12M documents against the primary.')).toBe(
      'huge-transaction-replication',
    );
  });

  it('reads the huge write over the replica lag it caused', () => {
    expect(mechanismOf('Replica lag reached 40 minutes, and reads from the replicas were stale.')).toBe(
      'replication-lag',
    );
    expect(
      readMechanism([
        'Replica lag reached 40 minutes, and reads from the replicas were stale.',
        'The job ran one update across 30 million rows.',
      ])?.mechanism.id,
    ).toBe('huge-transaction-replication');
  });

  it('reads lagging secondaries (plural) as replication lag', () => {
    expect(mechanismOf('Both secondaries were eleven minutes behind and growing.')).toBe('replication-lag');
  });

  it('does not read a member catching up from the log after an absence as a huge write', () => {
    expect(
      mechanismOf('A secondary that had been offline caught up by replaying the oplog from where it stopped.'),
    ).not.toBe('huge-transaction-replication');
  });
});

describe('theme readings: retention pinned by a reader that is gone', () => {
  it('reads a retired reader whose queue, slot or group stayed as the abandoned reader', () => {
    expect(
      mechanismOf(
        'The billing consumer was decommissioned but its queue stayed bound to the exchange and kept filling.',
      ),
    ).toBe('abandoned-reader');
  });

  it('reads the reason told after the causes over the full disk the causes tell', () => {
    expect(
      withContext(
        ['The primary ran out of disk space on Sunday night.'],
        ['After the pipeline was retired, nobody dropped the replication slot it had created.'],
      ),
    ).toBe('abandoned-reader');
  });

  it('keeps the full disk when the reader was removed with its queue', () => {
    expect(
      withContext(
        ['The primary ran out of disk space on Sunday night.'],
        ['The service was deleted together with its queue and its slot.'],
      ),
    ).toBe('disk-full');
  });
});

describe('theme readings: a leak told after the memory it used up', () => {
  it('reads a leak told in the resolution over the memory the causes tell', () => {
    expect(
      withContext(
        ['The node ran out of memory and was OOM-killed.'],
        ['The metrics sidecar leaked memory on every scrape, so we reverted it.'],
      ),
    ).toBe('resource-leak');
    expect(withContext(['The node ran out of memory and was OOM-killed.'], ['We added a larger node.'])).toBe(
      'memory-exhaustion',
    );
  });
});

describe('theme readings: deleted data that came back', () => {
  it('reads deleted rows reappearing as resurrection, over the tombstones that explain it', () => {
    expect(
      withContext(
        ['Deletes are tombstones, and tombstones are kept only for the grace period of ten days.'],
        ['Contacts that people had removed a month earlier reappeared in their address books.'],
      ),
    ).toBe('deleted-data-resurrected');
    // A replica away for longer than the deletion markers are kept.
    expect(mechanismOf('The replica was powered off for three weeks, longer than the grace period of ten days.')).toBe(
      'deleted-data-resurrected',
    );
  });

  it('keeps tombstones that slow reads as tombstones', () => {
    expect(
      mechanismOf('Every read of the inbox scanned past thousands of tombstones before it found a live row.'),
    ).toBe('tombstones');
  });
});

describe('theme readings: one command holding a single-threaded server', () => {
  it('reads a script or keyspace-wide command that blocked everyone else as the blocking command', () => {
    expect(mechanismOf('While the cleanup script runs, the server runs nothing else, so every login waited.')).toBe(
      'blocking-command',
    );
    expect(mechanismOf('A KEYS call over 25M keys stalled every other client for three seconds.')).toBe(
      'blocking-command',
    );
    expect(
      withContext(
        ['The recommendation service timed out for a minute every hour.'],
        ['Add a lint for SMEMBERS and HGETALL on shared keys, and alert on the slowlog.'],
      ),
    ).toBe('blocking-command');
  });

  it('does not read a fork that stalled the main thread, or lower-case keys, as a blocking command', () => {
    expect(mechanismOf('Snapshot forks on the large host stalled the main thread every fifteen minutes.')).not.toBe(
      'blocking-command',
    );
    expect(mechanismOf('The team decided to block keys from one tenant at the proxy.')).not.toBe('blocking-command');
    expect(
      mechanismOf('The consumers call internal services and stalled with everything else during the outage.'),
    ).not.toBe('blocking-command');
  });
});

describe('theme readings: a quota of a managed service reached by growth', () => {
  it('reads usage over a quota, or a limit the provider enforces, as the quota mechanism', () => {
    expect(mechanismOf('By the evening peak the in-flight count was over the quota for the queue.')).toBe(
      'quota-limit',
    );
    expect(mechanismOf('A standard topic allows about 5,000 subscriptions per account, and we were at 4,998.')).toBe(
      'quota-limit',
    );
    expect(
      mechanismOf(
        'The provider enforces a maximum number of partitions per broker, and steady growth hit the ceiling.',
      ),
    ).toBe('quota-limit');
    expect(
      withContext(['Score submissions failed for forty minutes.'], ['Quota increase request filed with the provider.']),
    ).toBe('quota-limit');
  });

  it('does not read usage under a quota as the quota mechanism', () => {
    expect(mechanismOf('The account was well under its quota the whole time.')).not.toBe('quota-limit');
  });
});

describe('theme readings: deletion rules, and what is not a deletion', () => {
  it('reads data deleted by a TTL or retention process as lifecycle deletion', () => {
    expect(mechanismOf('Subscription items were deleted by the table’s own TTL process overnight.')).toBe(
      'lifecycle-deletion',
    );
  });

  it('does not read a deletion that never happened, a purpose or an expired key as lifecycle deletion', () => {
    expect(
      mechanismOf('Because the nightly cleanup had failed, indices older than 90 days were never removed.'),
    ).not.toBe('lifecycle-deletion');
    expect(
      mechanismOf('The cleanup job that walks the bucket to delete stale previews started timing out last week.'),
    ).not.toBe('lifecycle-deletion');
    expect(mechanismOf('An expired API key broke the job, so indices older than 90 days piled up.')).not.toBe(
      'lifecycle-deletion',
    );
  });
});

describe('theme readings: sessions, mappings and stores allowed to lose data', () => {
  it('reads a storage stall that outlasted a session timeout as a pause, not a consumer rebalance', () => {
    expect(
      mechanismOf('A storage stall on the ensemble outlasted the brokers’ session timeout, and leaders churned.'),
    ).toBe('session-expiry-pause');
    expect(mechanismOf('The brokers ran with zookeeper.session.timeout.ms=6000 from an old template.')).not.toBe(
      'consumer-rebalance',
    );
    // Filed under failover (leadership was lost), the pause is not contradicted by the document's category.
    expect(
      readMechanism(
        ['A storage stall on the ensemble met a six-second session timeout, and leaders churned.'],
        undefined,
        {
          faultCategory: 'failover-replication',
        },
      )?.mechanism.id,
    ).toBe('session-expiry-pause');
  });

  it('does not read a value refused for its field type as a mapping explosion', () => {
    expect(
      mechanismOf('mapper_parsing_exception: failed to parse field [ref] of type [long]; dynamic mapping is on.'),
    ).not.toBe('mapping-explosion');
    expect(mechanismOf('The field limit was reached when tenants could create their own keys.')).toBe(
      'mapping-explosion',
    );
  });

  it('reads a store allowed to drop the only copy over the full memory that set it off', () => {
    expect(
      readMechanism([
        'The node reached maxmemory and began evicting keys under allkeys-lru.',
        'For the job queue that means that, under memory pressure, the cache is allowed to delete it.',
      ])?.mechanism.id,
    ).toBe('volatile-store-data-loss');
    expect(mechanismOf('The node reached maxmemory and began evicting keys under allkeys-lru.')).toBe(
      'memory-exhaustion',
    );
  });
});

describe('theme readings in the fold', () => {
  const incident = (docId: string, technologies: string[], sentences: string[]) =>
    foldIncident(docId, technologies, sentences);

  it('folds id overflows of two technologies into one theme', () => {
    const drafts = foldThemesOffline([
      incident(
        'a',
        ['PostgreSQL'],
        ['Every insert failed with integer out of range when the sequence passed its maximum.'],
      ),
      incident('b', ['MySQL'], ['The auto-increment key reached the column maximum, so each insert collided.']),
      incident('c', ['Redis'], ['The cache lost its connection to the primary for ten seconds.']),
    ]);
    const theme = drafts.find((draft) => draft.incidentIds.includes('a'));
    expect(theme?.theme).toBe('Integer id column reached the top of its type');
    expect(theme?.incidentIds).toEqual(['a', 'b']);
  });

  it('keeps a member whose only retry sentence tells a reconnect loop', () => {
    const members = [
      incident('r1', ['PostgreSQL'], ['After the failover the pods reconnected in a tight loop with no pause at all.']),
      incident('r2', ['Redis'], ['Our workers retried with no delay, so a short stall became a long outage.']),
    ];
    const draft = foldThemesOffline(members).find((candidate) => candidate.incidentIds.includes('r1'));
    expect(draft?.theme).toBe('Retry storm amplifying overload');
    const quote = draft?.evidence.find((evidence) => evidence.incidentId === 'r1')?.quote ?? '';
    expect(supportsMembership(quote, members[0] as FoldIncident, draft!)).toBeUndefined();
  });
});
