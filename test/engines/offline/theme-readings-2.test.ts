import { describe, expect, it } from 'vitest';
import { foldThemesOffline } from '../../../src/engines/offline/fold.ts';
import type { FaultCategory } from '../../../src/schemas/index.ts';
import { foldIncident, mechanismOf, membershipProblem, withContext } from '../../support/themes.ts';

describe('theme readings: a free-space guard that refuses writes', () => {
  it('reads a disk alarm or a read-only block as the disk filling', () => {
    expect(mechanismOf('By noon the message broker had raised its disk alarm and every publisher blocked.')).toBe(
      'disk-full',
    );
    expect(
      mechanismOf('Bulk writes were rejected with cluster_block_exception once the indices got a read-only block.'),
    ).toBe('disk-full');
    expect(mechanismOf('The indexer logged "index read-only / allow delete" for every batch it sent.')).toBe(
      'disk-full',
    );
  });

  it('keeps a member whose only sentence names the quota and the alarm', () => {
    const quote = 'Each member of the key-value store reached its backend quota and the cluster raised an alarm.';
    expect(membershipProblem('disk-full', quote, ['etcd'], 'resource-exhaustion')).toBeUndefined();
  });

  it('does not read a read-only replica, a burglar alarm or a process that ran out of heap as a full disk', () => {
    expect(mechanismOf('The reporting job was pointed at a read-only replica, as it should be.')).not.toBe('disk-full');
    expect(mechanismOf('The pager alarm fired when the API started returning errors.')).not.toBe('disk-full');
  });
});

describe('theme readings: both sides of a partition took writes', () => {
  it('reads both halves accepting updates, told only in the timeline, as split brain', () => {
    expect(
      withContext(
        ['Customers saw orders marked as unpaid that had been paid.'],
        [
          'For ten minutes the two racks could not see each other.',
          'Clients wrote to whichever node they reached, so both halves took writes for the same accounts.',
        ],
      ),
    ).toBe('split-brain');
    expect(mechanismOf('During the cut both sides of the cache ring acted as master for eight minutes.')).toBe(
      'split-brain',
    );
  });

  it('does not read both services accepting requests, or one primary at all times, as split brain', () => {
    expect(
      withContext(
        ['The checkout was slow for an hour.'],
        ['Both halves of the load test accepted requests normally.', 'There was one primary at all times.'],
      ),
    ).not.toBe('split-brain');
  });

  it('keeps a member whose evidence says both sides kept going', () => {
    const quote = 'Why both sides kept going after the link dropped';
    expect(membershipProblem('split-brain', quote, ['RabbitMQ'], 'failover-replication')).toBeUndefined();
  });
});

describe('theme readings: a reader that fell behind the log its source retains', () => {
  it('reads a needed position already removed from the log as the retained log outrun', () => {
    expect(
      mechanismOf('The standby asked for a log segment that had already been removed from the primary, and stopped.'),
    ).toBe('retained-log-outrun');
    expect(
      mechanismOf('When the replica reconnected, its resume point had rotated out of the replication backlog.'),
    ).toBe('retained-log-outrun');
    expect(mechanismOf('The follower could never catch up, because the history it needed no longer existed.')).toBe(
      'retained-log-outrun',
    );
  });

  it('reads it over the replication lag that led to it, and over an offset that points into removed log', () => {
    expect(
      withContext(
        ['The secondary was down for a day of maintenance and fell behind the primary.'],
        ['On restart it was too stale: its newest oplog entry was older than the oldest entry the others held.'],
      ),
    ).toBe('retained-log-outrun');
    expect(
      mechanismOf(
        'When it reconnected, the offset it asked for was gone from the primary backlog, so a full copy began.',
      ),
    ).toBe('retained-log-outrun');
  });

  it('does not read committed offsets that expired, or a replica merely lagging, as the log outrun', () => {
    expect(
      mechanismOf('The consumer group committed offsets were gone by Monday because offsets retention is three days.'),
    ).toBe('consumer-offsets');
    expect(mechanismOf('The read replica fell behind the primary by forty seconds during the import.')).toBe(
      'replication-lag',
    );
  });
});

describe('theme readings: data kept only in a cache', () => {
  it('reads data kept in a cache and nowhere else, or a cache allowed to forget it, as volatile data loss', () => {
    expect(mechanismOf('Carts are kept in one memory cache cluster and nowhere else.')).toBe(
      'volatile-store-data-loss',
    );
    expect(
      withContext(
        ['The worker queue sat on the shared cache instance, which is allowed to forget keys under pressure.'],
        ['Used memory stayed at maxmemory and evicted keys climbed all night.'],
      ),
    ).toBe('volatile-store-data-loss');
  });

  it('does not read a store that refused writes at its cap, or a copy kept elsewhere too, as volatile data loss', () => {
    expect(
      mechanismOf('The limiter store hit maxmemory and refused writes with OOM errors; its policy is noeviction.'),
    ).toBe('memory-exhaustion');
    expect(mechanismOf('Invoices are kept in the cache and in the database, so nothing was lost.')).not.toBe(
      'volatile-store-data-loss',
    );
  });
});

describe('theme readings: an expiry rule with no scope, or one switched off to stop the loss', () => {
  it('reads an expiration rule with an empty filter as a lifecycle deletion', () => {
    expect(mechanismOf('The module produced an expiration rule with an empty filter on the uploads bucket.')).toBe(
      'lifecycle-deletion',
    );
  });

  it('reads a resolution that disables the TTL as naming the deletion', () => {
    expect(
      withContext(
        ['Members found their saved trips missing in the morning.'],
        ['The TTL was switched off on that table at 09:40.'],
      ),
    ).toBe('lifecycle-deletion');
    expect(
      withContext(['Old photos went missing from the gallery.'], ['We disabled the lifecycle rule on that bucket.']),
    ).toBe('lifecycle-deletion');
  });

  it('does not read a feature flag or an alert switched off, or a filter on a dashboard, as an expiry rule', () => {
    expect(
      withContext(
        ['Members found their saved trips missing in the morning.'],
        ['The new-search flag was disabled at 09:40.'],
      ),
    ).toBeUndefined();
    expect(mechanismOf('The dashboard query had an empty filter, so it showed every tenant.')).not.toBe(
      'lifecycle-deletion',
    );
  });
});

describe('theme readings: a DNS record that only proves a domain to a certificate authority', () => {
  it('does not read a certificate renewal blocked by its DNS validation record as a DNS change', () => {
    expect(
      mechanismOf('The certificate was imported by hand because its DNS validation record sat in the old DNS account.'),
    ).not.toBe('dns-change');
  });

  it('still reads a changed DNS record with a long TTL as a DNS change', () => {
    expect(
      mechanismOf('The DNS record moved to the new load balancer but resolvers kept the old answer for its TTL.'),
    ).toBe('dns-change');
  });
});

describe('theme readings: the folds these readings make', () => {
  const incident = (docId: string, faultCategory: FaultCategory, sentences: string[]) =>
    foldIncident(docId, [], sentences, faultCategory);

  it('folds a disk alarm and a read-only block into one theme, and leaves a crashed process out', () => {
    const drafts = foldThemesOffline([
      incident('alarm', 'resource-exhaustion', ['The broker had raised its disk alarm and publishers hung.']),
      incident('block', 'resource-exhaustion', ['Writes failed because every index carried a read-only block.']),
      incident('crash', 'resource-exhaustion', ['The node process exited after the JVM crashed on start.']),
    ]);
    const disk = drafts.find((draft) => draft.incidentIds.includes('alarm'));
    expect(disk?.incidentIds).toEqual(['alarm', 'block']);
  });
});

describe('theme readings: an access rule that no longer lets the service in', () => {
  it('reads a refused principal after a grant was revoked or a policy replaced as an access lockout', () => {
    expect(
      mechanismOf(
        'The nightly cleanup revoked the grants of the billing role, and its inserts failed with permission denied for table ledger.',
      ),
    ).toBe('access-rule-lockout');
    expect(
      mechanismOf('Every upload failed with AccessDenied after the bucket policy was replaced by the baseline.'),
    ).toBe('access-rule-lockout');
  });

  it('does not read a firewall that dropped connections, or ACLs checked and found unchanged, as an access lockout', () => {
    expect(
      mechanismOf(
        'Producers timed out because a firewall rule dropped their connections; the topic ACLs were unchanged.',
      ),
    ).not.toBe('access-rule-lockout');
    expect(mechanismOf('The login page said access denied to users who typed a wrong password.')).not.toBe(
      'access-rule-lockout',
    );
  });
});

describe('theme readings: a clock that drifted', () => {
  it('reads a clock told as drifting by an amount as clock skew', () => {
    expect(mechanismOf("The VM's time daemon could not reach a source and its clock drifted 41 minutes ahead.")).toBe(
      'clock-skew',
    );
    expect(mechanismOf('On the new node pool the clocks had drifted by up to 90 seconds.')).toBe('clock-skew');
  });

  it('reads the skew, not the resurrected deletes, when the causes tell both', () => {
    // Under last-write-wins a write stamped in the future beats later deletes: the skew explains the resurrection.
    expect(
      withContext(
        [
          'Comments that moderators had deleted came back the next morning.',
          "The worker VM's clock had drifted 41 minutes ahead, so its writes carried timestamps in the future.",
        ],
        [],
      ),
    ).toBe('clock-skew');
  });

  it('does not read a drift in a metric as a clock', () => {
    expect(mechanismOf('The error budget drifted 4 points behind plan this quarter.')).not.toBe('clock-skew');
  });
});
