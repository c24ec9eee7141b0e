/**
 * The batch jobs a state machine waits on, in the state table (src/store/state-store.ts's table):
 *
 * | item                  | pk      | sk              |
 * |-----------------------|---------|-----------------|
 * | a job and its waiter  | `BATCH` | `JOB#<job ARN>` |
 *
 * The item holds the task token of the waiting execution (a retried submit replaces it: the last
 * waiter is the live one) and expires with the run (DynamoDB TTL on `expiresAt`). A job's end is
 * settled once (conditional update), so a repeated state-change event resumes nothing twice.
 */
import { when, type ItemTable } from '../store/item-table.ts';
import { EXPIRES_AT, RUN_RETENTION_DAYS } from '../store/state-store.ts';

export interface BatchJobEntry {
  jobArn: string;
  taskToken: string;
  runId: string;
  stage: string;
  /** Where the job's output lands (s3 key prefix in the artifacts bucket). */
  outputPrefix: string;
  submittedAt: string;
  /** The job's end status once its waiter was resumed; absent while it waits. */
  settled?: string;
}

const WAITING = 'waiting';

const PK = 'BATCH';
const skOf = (jobArn: string) => `JOB#${jobArn}`;

export async function putBatchJob(table: ItemTable, entry: BatchJobEntry, now = Date.now()): Promise<void> {
  await table.put({
    pk: PK,
    sk: skOf(entry.jobArn),
    type: 'batchJob',
    ...entry,
    phase: WAITING,
    [EXPIRES_AT]: Math.floor(now / 1000) + RUN_RETENTION_DAYS * 24 * 3600,
  });
}

export async function getBatchJob(table: ItemTable, jobArn: string): Promise<BatchJobEntry | undefined> {
  const item = await table.get({ pk: PK, sk: skOf(jobArn) });
  if (!item || typeof item.taskToken !== 'string') return undefined;
  const { pk: _pk, sk: _sk, type: _type, phase: _phase, expiresAt: _expiresAt, ...entry } = item;
  return entry as unknown as BatchJobEntry;
}

/** Mark the job's end once; false when it was already settled (the waiter was resumed before). */
export async function settleBatchJob(
  table: ItemTable,
  entry: BatchJobEntry,
  status: string,
  now = Date.now(),
): Promise<boolean> {
  const { written } = await table.put(
    {
      pk: PK,
      sk: skOf(entry.jobArn),
      type: 'batchJob',
      ...entry,
      settled: status,
      phase: 'settled',
      [EXPIRES_AT]: Math.floor(now / 1000) + RUN_RETENTION_DAYS * 24 * 3600,
    },
    when.equals('phase', WAITING),
  );
  return written;
}
