/** Which state items carry the TTL attribute: run and lock items do, the corpus and everything else never. */
import { describe, expect, it } from 'vitest';
import { MemoryItemTable } from '../../src/store/item-table.ts';
import { EXPIRES_AT, RUN_RETENTION_DAYS, StateStore } from '../../src/store/state-store.ts';

class InspectableTable extends MemoryItemTable {
  all() {
    return [...this.items.values()];
  }
}

describe('state item expiry', () => {
  it('writes expiresAt on run, outcome and lock items only, and never shows it in a run record', async () => {
    // Prepare
    const table = new InspectableTable();
    const store = new StateStore(table);
    const now = Math.floor(Date.now() / 1000);
    const retention = RUN_RETENTION_DAYS * 24 * 3600;

    // Act
    await store.putRun({ runId: 'run-1', mode: 'full', status: 'running', startedAt: new Date().toISOString() });
    await store.recordOutcome({ runId: 'run-1', docId: 'a', status: 'analysed' });
    await store.acquireLock('corpus', 'run-1', 600);
    await store.enqueue({ key: 'a.md', version: 'v1', sequencer: '01', removed: false, queuedAt: 'now' });
    await store.markCorpusChanged();
    await store.claimPlaceholder({ placeholder: '[EMAIL-1]', category: 'EMAIL', key: 'EMAIL:a@b', value: 'a@b' });
    await store.bindRedactionKey('EMAIL:a@b', '[EMAIL-1]');
    await store.putVote({
      itemId: 'i',
      reviewer: 'r',
      vote: 'up',
      stage: 'summarize',
      docId: 'a',
      promptVersion: '1',
      model: 'm',
      at: 'now',
    });
    const run = await store.getRun('run-1');

    // Assess
    const expiring = table
      .all()
      .filter((item) => EXPIRES_AT in item)
      .map((item) => `${item.pk} ${item.sk}`)
      .sort();
    expect(expiring).toEqual(['LOCK corpus', 'RUN#run-1 DOC#a', 'RUN#run-1 META']);
    for (const item of table.all().filter((candidate) => candidate.pk.startsWith('RUN#'))) {
      expect(item[EXPIRES_AT]).toBeGreaterThanOrEqual(now + retention);
      expect(item[EXPIRES_AT]).toBeLessThanOrEqual(now + retention + 5);
    }
    expect(run).not.toHaveProperty(EXPIRES_AT);
    expect(await store.listOutcomes('run-1')).toEqual([{ runId: 'run-1', docId: 'a', status: 'analysed' }]);
  });
});
