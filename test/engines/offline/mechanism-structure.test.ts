import { describe, expect, it } from 'vitest';
import { foldThemesOffline } from '../../../src/engines/offline/fold.ts';
import { foldIncident, mechanismOf } from '../../support/themes.ts';

describe('structural mechanism cues', () => {
  it('reads an item whose own size went past the maximum as the per-item size limit', () => {
    expect(mechanismOf('Writes began failing because the record size had exceeded the configured limit.')).toBe(
      'item-size-limit',
    );
    expect(mechanismOf('The broker rejects any message larger than its configured max.request.bytes setting.')).toBe(
      'item-size-limit',
    );
    expect(mechanismOf('Saves failed: the document size has grown past what the store accepts.')).toBe(
      'item-size-limit',
    );
  });

  it('does not read a size limit into traffic or a request volume that was larger than expected', () => {
    expect(mechanismOf('Traffic on Monday was larger than the load balancer had ever seen.')).not.toBe(
      'item-size-limit',
    );
    expect(mechanismOf('The nightly batch was bigger than usual and ran late.')).not.toBe('item-size-limit');
  });

  it('reads a missing gate before the next node, or a roll that went too fast, as a rolling restart', () => {
    expect(mechanismOf('The procedure should wait for every replica to resync before it stops the next broker.')).toBe(
      'rolling-restart',
    );
    expect(mechanismOf('The kernel upgrade rolled too quickly and two members were down together.')).toBe(
      'rolling-restart',
    );
    // "next" and "before" without a node to move on to are not a rolling procedure.
    expect(mechanismOf('We should check the alert before the next release.')).not.toBe('rolling-restart');
  });

  it('reads one setting that went to, or applies to, every cluster as a change pushed everywhere', () => {
    expect(
      mechanismOf('A timeout meant for one database went to every cluster through the shared parameter set.'),
    ).toBe('global-config-push');
    expect(mechanismOf('The loader applies each policy to every vhost named in the common file.')).toBe(
      'global-config-push',
    );
    expect(mechanismOf('The on-call engineer went to every dashboard before paging the owner.')).not.toBe(
      'global-config-push',
    );
  });

  it('reads one item that always fails, holding back the items behind it, as a poison message', () => {
    expect(
      mechanismOf('The reader does not move on past a failing event, so its shard stopped advancing for hours.'),
    ).toBe('poison-message');
    expect(
      mechanismOf(
        'Every worker crashed on the malformed record and the broker handed back the same record, while valid records queued behind it.',
      ),
    ).toBe('poison-message');
    // A lock queue is not a poison message: queries waiting behind a migration read as lock contention.
    expect(
      mechanismOf('Every query on the table queued behind the waiting migration, which held an exclusive lock.'),
    ).not.toBe('poison-message');
  });

  it('folds two size-limit incidents in different technologies into one theme', () => {
    const incident = (docId: string, technologies: string[], sentences: string[]) =>
      foldIncident(docId, technologies, sentences);
    const drafts = foldThemesOffline([
      incident(
        'queue-payload',
        ['SQS'],
        [
          'Orders stopped flowing at noon.',
          'The queue refuses any payload larger than its fixed ceiling, and the order batch had grown with every new store.',
        ],
      ),
      incident(
        'store-row',
        ['DynamoDB'],
        [
          'Profile edits failed for a few heavy users.',
          'The row size had exceeded the maximum the table accepts, because the history list was kept inside it.',
        ],
      ),
      incident('unrelated', ['Redis'], ['A maintenance window restarted the cache and latency rose for ten minutes.']),
    ]);
    const theme = drafts.find((draft) => draft.incidentIds.length > 1);
    expect(theme?.theme).toBe('Item outgrew the per-item size limit');
    expect([...(theme?.incidentIds ?? [])].sort()).toEqual(['queue-payload', 'store-row']);
  });
});
