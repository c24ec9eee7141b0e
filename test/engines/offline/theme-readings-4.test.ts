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
