import { describe, expect, it } from 'vitest';
import { CORPUS_LOCK, LOCK_LEASE_SECONDS, markRunEndedTask } from '../../src/aws/tasks.ts';
import { MemoryItemTable } from '../../src/store/item-table.ts';
import { StateStore } from '../../src/store/state-store.ts';

const newState = () => ({ state: new StateStore(new MemoryItemTable()) });

/** What AcquireLock does for an execution: the lock, and a run record named after the execution. */
async function acquire(context: { state: StateStore }, holder: string): Promise<boolean> {
  const acquired = await context.state.acquireLock(CORPUS_LOCK, holder, LOCK_LEASE_SECONDS);
  if (acquired)
    await context.state.putRun({
      runId: holder,
      mode: 'incremental',
      status: 'running',
      startedAt: '2026-11-29T00:00:00Z',
    });
  return acquired;
}

describe('aws tasks: an execution that ended without its own failure path', () => {
  it('marks the run of a timed-out execution failed, with the status as its reason, and releases the lock it held', async () => {
    // Prepare
    const context = newState();
    await acquire(context, 'exec-1');

    // Act
    const result = await markRunEndedTask(context, { name: 'exec-1', status: 'TIMED_OUT' });

    // Assess
    expect(result).toEqual({ runId: 'exec-1', marked: true, released: true });
    expect(await context.state.getRun('exec-1')).toMatchObject({
      status: 'failed',
      reason: 'TIMED_OUT',
      finishedAt: expect.any(String),
    });
    expect(await context.state.lockHolder(CORPUS_LOCK)).toBeUndefined();
    // The next execution takes the lock at once, not when the lease ends.
    expect(await acquire(context, 'exec-2')).toBe(true);
  });

  it('leaves a lock another execution holds, and a run that already ended, as they are', async () => {
    // Prepare: exec-1 finished and released; exec-2 holds the lock now.
    const context = newState();
    await acquire(context, 'exec-1');
    await context.state.releaseLock(CORPUS_LOCK, 'exec-1');
    const run = await context.state.getRun('exec-1');
    if (run) await context.state.putRun({ ...run, status: 'succeeded' });
    await acquire(context, 'exec-2');

    // Act
    const result = await markRunEndedTask(context, { name: 'exec-1', status: 'ABORTED' });

    // Assess
    expect(result).toEqual({ runId: 'exec-1', marked: false, released: false });
    expect((await context.state.getRun('exec-1'))?.status).toBe('succeeded');
    expect(await context.state.lockHolder(CORPUS_LOCK)).toBe('exec-2');
  });

  it('is idempotent, and ignores an execution without a run record (one that never took the lock)', async () => {
    // Prepare
    const context = newState();
    await acquire(context, 'exec-1');
    await markRunEndedTask(context, { name: 'exec-1', status: 'ABORTED' });

    // Act
    const again = await markRunEndedTask(context, { name: 'exec-1', status: 'ABORTED' });
    const unknown = await markRunEndedTask(context, { name: 'exec-9', status: 'FAILED' });

    // Assess
    expect(again).toEqual({ runId: 'exec-1', marked: false, released: false });
    expect(unknown).toEqual({ runId: 'exec-9', marked: false, released: false });
    expect(await context.state.getRun('exec-9')).toBeUndefined();
    expect((await context.state.getRun('exec-1'))?.reason).toBe('ABORTED');
  });
});
