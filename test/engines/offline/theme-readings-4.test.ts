/**
 * Theme readings of engine 23: a disk read at its brim, and a failover told as an election of a member that was
 * behind or as the writes a new primary never had. Every sentence here is invented.
 */
import { describe, expect, it } from 'vitest';
import { readMechanism } from '../../../src/engines/offline/mechanisms.ts';

const mechanismOf = (sentence: string) => readMechanism([sentence])?.mechanism.id;

describe('theme readings: a disk read at its brim', () => {
  it('reads a volume, disk or filesystem at 95% to 100% as a full disk', () => {
    expect(mechanismOf('brokers 3 and 5 report their data volume at 100% and producers time out')).toBe('disk-full');
    expect(mechanismOf('The root filesystem on both hosts hit 98% and the service stopped writing.')).toBe('disk-full');
  });

  it('does not read a disk at a comfortable figure, or another resource at 100%, as a full disk', () => {
    expect(mechanismOf('The data volume was at 41% throughout, so we looked elsewhere.')).toBeUndefined();
    expect(mechanismOf('CPU on the gateway hosts went to 100% for twenty minutes.')).not.toBe('disk-full');
  });
});

describe('theme readings: a failover that put a member behind in charge', () => {
  it('reads an election of a member that was behind, or an unclean election, as a lagging replica promoted', () => {
    expect(
      mechanismOf(
        'The controller made broker 4 the leader of those partitions even though broker 4 was five minutes behind.',
      ),
    ).toBe('promoted-lagging-replica');
    expect(mechanismOf('Unclean leader election was allowed as a cluster-wide default since 2019.')).toBe(
      'promoted-lagging-replica',
    );
  });

  it('reads the writes a new primary never had, rolled back on the old one, as the same failure', () => {
    expect(
      mechanismOf(
        'When the old primary came back it held writes the new primary never saw, and it rolled them back to rejoin the set.',
      ),
    ).toBe('promoted-lagging-replica');
  });

  it('does not read an election of a member that was caught up', () => {
    expect(
      mechanismOf('The cluster elected a new leader within seconds; it was fully caught up and no writes were lost.'),
    ).toBeUndefined();
  });
});

describe('theme readings: what a volatile store losing the only copy is not', () => {
  it('reads writes that existed only on the old primary as a failover that lost them, not a volatile store', () => {
    expect(
      mechanismOf(
        "The 1,240 transactions in that window existed only in the old primary's binlog when the replica was promoted.",
      ),
    ).toBe('promoted-lagging-replica');
    // Trap: the only copy in a cache is still the volatile store's.
    expect(mechanismOf('The session tokens lived only in the cache, with persistence switched off.')).toBe(
      'volatile-store-data-loss',
    );
  });

  it('reads a store that came back empty, not a person who came back to an empty basket', () => {
    expect(mechanismOf('The Redis master restarted within seconds, empty, and both replicas resynced from it.')).toBe(
      'volatile-store-data-loss',
    );
    expect(
      mechanismOf('Tried it myself, added two things to a basket, came back after lunch (13:05), basket empty.'),
    ).toBeUndefined();
  });
});

describe('theme readings: a question or a symptom is not a mechanism told', () => {
  it('does not read a mechanism asked about in a question', () => {
    expect(
      mechanismOf(
        'The first hour went to "did the cert expire?" because the alert text said "certificate error" again.',
      ),
    ).toBeUndefined();
    expect(mechanismOf('Was the certificate expired?')).toBeUndefined();
    // Trap: the same words told as a finding are read.
    expect(mechanismOf('The certificate on the edge proxies expired at 00:00 and every handshake failed.')).toBe(
      'expiry',
    );
  });

  it('does not read data delivered to the wrong account as a command run against the wrong target', () => {
    expect(mechanismOf('63 invoices were served to the wrong account.')).toBeUndefined();
    expect(
      mechanismOf('The engineer ran the cleanup script in the wrong account, production instead of staging.'),
    ).toBe('wrong-target');
  });
});

describe('theme readings: a mechanism read as healthy, or a first guess', () => {
  it('does not read what a health verdict right after it clears', () => {
    expect(mechanismOf('Network: security groups unchanged, DNS resolving correctly.')).toBeUndefined();
    // Trap: the verdict must follow the cue; a failure told before a later "fine" is still read.
    expect(mechanismOf('The DNS record was changed to the new load balancer with a one-day TTL.')).toBe('dns-change');
  });

  it('does not read a mechanism told as what the team first thought', () => {
    expect(
      mechanismOf(
        'First we thinked the problem is in the S3 bucket policy, because the errors were AccessDenied and a deny had been added.',
      ),
    ).toBeUndefined();
  });
});

describe('theme readings: more ways a failover loses writes and a key lands on one unit', () => {
  it('reads writes gone from the new writer, a log cut to match the new leader, a leader from outside the ISR', () => {
    expect(
      mechanismOf('Every transaction the old writer had committed in those 47 seconds was gone from the new writer.'),
    ).toBe('promoted-lagging-replica');
    expect(
      mechanismOf(
        'When broker 3 came back it truncated its log to match the new leader, and its extra records were lost.',
      ),
    ).toBe('promoted-lagging-replica');
    expect(
      mechanismOf('The controller moved leadership of 40 partitions onto broker 6, which was not in the ISR.'),
    ).toBe('promoted-lagging-replica');
  });

  it('reads one key or routing value that always lands on one unit', () => {
    expect(
      mechanismOf('Because it is one key, with consistent hashing it always goes to the same node, which saturated.'),
    ).toBe('hot-partition');
    expect(mechanismOf("The routing setting turned one customer's import into a single overloaded shard.")).toBe(
      'hot-partition',
    );
  });
});

describe('theme readings from dev-x: entries that expire together, messages that expire unread, two sides', () => {
  it('reads entries written together that all expired together as a stampede', () => {
    expect(mechanismOf('The warm-up wrote them all in one go, so they all died in one go.')).toBe('cache-stampede');
  });

  it('reads queued messages that expired because nothing consumed them as retention outrunning a reader', () => {
    expect(mechanismOf('The messages expired because nothing consumed them for 4 days.')).toBe('retained-log-outrun');
  });

  it('reads the two sides of a cut that did not merge as a split brain', () => {
    expect(
      mechanismOf('When the link came back the two sides did not merge, and each kept its own queue contents.'),
    ).toBe('split-brain');
  });

  it('reads writes rolled back into rollback files after an election as a lagging replica promoted', () => {
    expect(
      mechanismOf(
        'The database handles that by rolling those writes back: it removes them and saves them into rollback files on that node.',
      ),
    ).toBe('promoted-lagging-replica');
  });
});
