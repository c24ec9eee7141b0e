/**
 * A failed run, end to end on the synthesized state machine (see aws-harness.ts): the run record
 * says failed, the lock is released, one "run failed" message is published (and no "report
 * ready"), and the run's state items carry their expiry while the corpus index carries none.
 */
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentIdOf } from '../../src/run/identity.ts';
import { RUN_RETENTION_DAYS } from '../../src/store/state-store.ts';
import { AwsHarness, casesDir } from './aws-harness.ts';

const aws = new AwsHarness();
let files: string[];

beforeAll(async () => {
  await aws.start();
  files = (await readdir(casesDir)).sort();
}, 60_000);

afterAll(async () => {
  await aws.close();
});

describe('a failed run', () => {
  it('marks the run record failed, releases the lock and publishes one "run failed" message naming the run and the error', async () => {
    // Prepare: every document's summary is cut off, so the whole corpus fails and BeginFold refuses to fold.
    const keys = files.slice(0, 3).map((file) => `broken/${file}`);
    for (const [index, key] of keys.entries()) {
      aws.poisoned.add(documentIdOf(key));
      await aws.putCase(files[index] as string, key);
    }
    const startedAt = Math.floor(Date.now() / 1000);

    // Act
    const { ingests, results } = await aws.drop();
    const runId = aws.stepFunctions.executions.at(-1)?.name ?? '';
    const run = await aws.state.getRun(runId);
    const runItem = await aws.state.table.get({ pk: `RUN#${runId}`, sk: 'META' });
    const outcomeItems = await aws.state.table.query(`RUN#${runId}`, 'DOC#');
    const corpusItems = await aws.state.table.query('CORPUS', 'DOC#');

    // Assess
    expect(ingests.map((ingest) => ingest.started)).toEqual([true]);
    expect(results).toEqual([{ status: 'FAILED', error: 'TooManyDocumentsFailed', cause: expect.any(String) }]);
    expect(run).toMatchObject({ runId, status: 'failed', finishedAt: expect.any(String) });
    expect(await aws.state.lockHolder('corpus')).toBeUndefined();
    expect(await aws.artifacts.get('report/report.json')).toBeUndefined();

    expect(aws.sns.messages).toHaveLength(1);
    const [message] = aws.sns.messages;
    expect(message?.topicArn).toMatch(/^arn:aws:sns:/);
    expect(message?.subject).toBe('postmortem-lens run failed');
    expect(message?.message).toContain(`The postmortem-lens run ${runId} failed with TooManyDocumentsFailed.`);
    expect(message?.message).toContain('the last report stays under report/');
    expect(message?.message).toContain(`execution:local:${runId}`);
    expect(message?.message).not.toMatch(/ready/i);

    // The run and its outcomes expire with the run's objects; the corpus index never does.
    const retention = RUN_RETENTION_DAYS * 24 * 3600;
    expect(runItem?.expiresAt).toBeGreaterThanOrEqual(startedAt + retention);
    expect(runItem?.expiresAt).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + retention);
    expect(outcomeItems).toHaveLength(3);
    for (const item of outcomeItems) expect(item.expiresAt).toBeGreaterThanOrEqual(startedAt + retention);
    expect(corpusItems).toHaveLength(3);
    for (const item of corpusItems) expect(item).not.toHaveProperty('expiresAt');
  });

  it('lets the next run take the lock and fold once the documents are fixed, with a "report ready" message and no "run failed"', async () => {
    // Prepare
    aws.poisoned.clear();
    const messagesBefore = aws.sns.messages.length;

    // Act
    const result = await aws.stepFunctions.start({ mode: 'full' }).result;
    const runId = aws.stepFunctions.executions.at(-1)?.name ?? '';

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect((await aws.state.getRun(runId))?.status).toBe('succeeded');
    const subjects = aws.sns.messages.slice(messagesBefore).map((sent) => sent.subject ?? '');
    expect(subjects).toHaveLength(1);
    expect(subjects[0]).toContain(runId);
    expect(subjects[0]).not.toMatch(/failed/);
  });
});
