/**
 * The synthesized state machine, run locally with the real handlers against s3rver, dynalite, the
 * fake Bedrock and a fake SNS (see aws-harness.ts). Scenarios build on one corpus, in order.
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { temporaryFolder } from '../support/temporary-folder.ts';
import { loadCatalog } from '../../src/catalog/index.ts';
import { runLocal } from '../../src/pipeline/run-local.ts';
import { reviewItemId } from '../../src/review/queue.ts';
import { documentIdOf } from '../../src/run/identity.ts';
import type { ReportData } from '../../src/schemas/index.ts';
import { MemoryObjectStore } from '../../src/store/memory-object-store.ts';
import { AwsHarness, casesDir, PREFIX } from './aws-harness.ts';

const aws = new AwsHarness();
let files: string[];

/** A report without what differs between any two runs: when and under which run id it was made. */
function comparable(report: ReportData): unknown {
  return { ...report, generatedAt: '', runId: '' };
}

async function localRun(inputDir: string): Promise<{ store: MemoryObjectStore; report: ReportData }> {
  const store = new MemoryObjectStore();
  const { report } = await runLocal({
    inputDir,
    outDir: 'unused',
    store,
    engine: await aws.cliEngine(),
    catalog: await loadCatalog(),
    concurrency: 8,
  });
  return { store, report };
}

beforeAll(async () => {
  // The CLI run and the AWS run keep separate state stores: one redaction key gives both the same keyed placeholders.
  vi.stubEnv('PMLENS_REDACTION_KEY', 'one-corpus-key-for-the-cli-and-aws');
  await aws.start();
  files = (await readdir(casesDir)).sort();
}, 60_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  await aws.close();
});

describe('the AWS workflow over one corpus', () => {
  it('bulk drop: one drop split over three SQS batches gives exactly one report of all documents and one notification', async () => {
    // Prepare
    for (const file of files) await aws.putCase(file);
    const batchSize = Math.ceil(files.length / 3);

    // Act
    const { ingests, results } = await aws.drop(batchSize);
    const report = await aws.latestReport();

    // Assess
    expect(ingests).toHaveLength(3);
    expect(ingests.every((ingest) => ingest.started && ingest.batchItemFailures.length === 0)).toBe(true);
    expect(results).toEqual([
      { status: 'SUCCEEDED', output: expect.anything() },
      { status: 'SUCCEEDED', output: expect.anything() },
      { status: 'SUCCEEDED', output: expect.anything() },
    ]);
    expect(aws.sns.messages).toHaveLength(1);
    expect(report.documents.map((document) => document.docId).sort()).toEqual(
      files.map((file) => documentIdOf(file)).sort(),
    );
    expect(aws.sns.messages[0]?.message).toContain(`runs/${report.runId}/report/report.html`);
    expect(await aws.artifacts.get(`runs/${report.runId}/report/report.md`)).toBeDefined();
  });

  it('gives the same docs/** JSON and report.json through the CLI and through the AWS workflow', async () => {
    // Prepare
    const aws_ = await aws.latestReport();

    // Act
    const local = await localRun(casesDir);
    const keys = (await local.store.list('docs/')).filter((key) => key.endsWith('.json'));
    const differing: string[] = [];
    for (const key of keys) {
      const [cli, remote] = [await local.store.get(key), await aws.artifacts.get(key)];
      if (new TextDecoder().decode(cli) !== new TextDecoder().decode(remote)) differing.push(key);
    }
    const awsKeys = (await aws.artifacts.list('docs/')).filter((key) => key.endsWith('.json'));

    // Assess
    expect(keys.length).toBeGreaterThan(files.length * 4);
    expect(awsKeys.sort()).toEqual(keys.sort());
    expect(differing).toEqual([]);
    expect(comparable(aws_)).toEqual(comparable(local.report));
  });

  it('makes no model call in a weekly full run over the unchanged corpus, and notifies once', async () => {
    // Prepare
    const requestsBefore = aws.bedrock.requests.length;
    const messagesBefore = aws.sns.messages.length;

    // Act
    const result = await aws.stepFunctions.start({ mode: 'full' }).result;

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect(aws.bedrock.requests.length).toBe(requestsBefore);
    expect(aws.sns.messages.length).toBe(messagesBefore + 1);
    expect((await aws.latestReport()).documents).toHaveLength(files.length);
  });

  it('names: six sources whose names clash or are not ASCII are six documents, with the same ids on the CLI and on AWS', async () => {
    // Prepare
    const names = ['a.md', 'a.txt', 'x y.md', 'x-y.md', '日本語.md', 'инцидент.md'];
    const local = temporaryFolder('pmlens-names-');
    for (const [index, name] of names.entries()) {
      const file = files[index] as string;
      await writeFile(path.join(local, name), await readFile(path.join(casesDir, file)));
      await aws.putCase(file, name);
    }

    // Act
    const { results } = await aws.drop();
    const remote = await aws.latestReport();
    const cli = await localRun(local);

    // Assess
    expect(results.every((result) => result.status === 'SUCCEEDED')).toBe(true);
    const bySource = (report: ReportData) =>
      new Map(report.documents.map((document) => [document.sourcePath, document.docId]));
    const remoteIds = names.map((name) => bySource(remote).get(name));
    const cliIds = names.map((name) => bySource(cli.report).get(name));
    expect(new Set(remoteIds).size).toBe(6);
    expect(remoteIds).toEqual(cliIds);
    expect(remoteIds).toEqual(names.map((name) => documentIdOf(name)));
    expect(remote.documents).toHaveLength(files.length + 6);
  });

  it('start fails: StartExecution failing once loses no document', async () => {
    // Prepare
    await aws.putCase(files[10] as string, 'late/first.md');
    await aws.putCase(files[11] as string, 'late/second.md');
    const [batch] = aws.newBatches();
    aws.stepFunctions.refuseNextStarts = 1;

    // Act
    const refused = await aws.ingest(batch as never);
    const from = aws.stepFunctions.executions.length;
    const redelivered = await aws.ingest(batch as never);
    const results = await aws.settle(from);
    const report = await aws.latestReport();

    // Assess
    expect(refused.started).toBe(false);
    expect(refused.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual(
      (batch?.Records ?? []).map((record) => record.messageId).sort(),
    );
    expect(redelivered.started).toBe(true);
    expect(results.map((result) => result.status)).toEqual(['SUCCEEDED']);
    const sources = report.documents.map((document) => document.sourcePath);
    expect(sources).toContain('late/first.md');
    expect(sources).toContain('late/second.md');
    expect(await aws.state.listQueue()).toEqual([]);
  });

  it("reverted: an object overwritten A -> B -> A ends with A's analysis in the report", async () => {
    // Prepare
    const [a, b] = [files[20] as string, files[21] as string];
    const summaryOf = (report: ReportData) =>
      report.documents.find((document) => document.sourcePath === 'reverted.md')?.summary;

    // Act
    await aws.putCase(a, 'reverted.md');
    await aws.drop();
    const first = summaryOf(await aws.latestReport());
    await aws.putCase(b, 'reverted.md');
    await aws.drop();
    const second = summaryOf(await aws.latestReport());
    await aws.putCase(a, 'reverted.md');
    await aws.drop();
    const third = summaryOf(await aws.latestReport());

    // Assess
    expect(first).toBeDefined();
    expect(second).not.toEqual(first);
    expect(third).toEqual(first);
  });

  it('deleted: a deleted source leaves the report and its outputs leave docs/', async () => {
    // Prepare
    const docId = documentIdOf('late/second.md');
    expect((await aws.artifacts.list(`docs/${docId}/`)).length).toBeGreaterThan(0);

    // Act
    await aws.remove('late/second.md');
    const { results } = await aws.drop();
    const report = await aws.latestReport();

    // Assess
    expect(results.map((result) => result.status)).toEqual(['SUCCEEDED']);
    expect(report.documents.map((document) => document.docId)).not.toContain(docId);
    expect(await aws.artifacts.list(`docs/${docId}/`)).toEqual([]);
    expect(await aws.state.getCorpusEntry(docId)).toBeUndefined();
  });

  it('overlap: a weekly run overlapping a drop run makes no duplicate model call and leaves one consistent latest report', async () => {
    // Prepare
    await aws.putCase(files[30] as string, 'overlap.md');
    const docId = documentIdOf('overlap.md');
    const requestsBefore = aws.bedrock.requests.length;
    const from = aws.stepFunctions.executions.length;

    // Act
    const weekly = aws.stepFunctions.start({ mode: 'full' });
    for (const batch of aws.newBatches()) await aws.ingest(batch);
    const results = await aws.settle(from);
    const report = await aws.latestReport();
    const corpus = await aws.state.listCorpus();

    // Assess
    expect(weekly).toBe(aws.stepFunctions.executions[from]);
    expect(results.map((result) => result.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(aws.requestsByDocument(requestsBefore).get(docId)).toBe(
      aws.bedrock.requests
        .slice(requestsBefore)
        .filter((request) => JSON.stringify(request.body).includes(`id=\\"${docId}\\"`)).length,
    );
    const summarizeCalls = aws.bedrock.requests
      .slice(requestsBefore)
      .filter(
        (request) =>
          JSON.stringify(request.body).includes(`id=\\"${docId}\\"`) &&
          JSON.stringify(request.body).includes('submit_summary'),
      );
    expect(summarizeCalls).toHaveLength(1);
    expect(report.documents.map((document) => document.docId).sort()).toEqual(
      corpus
        .filter((entry) => entry.status === 'analysed')
        .map((entry) => entry.docId)
        .sort(),
    );
    expect(report.documents.map((document) => document.docId)).toContain(docId);
    expect(await aws.state.lockHolder('corpus')).toBeUndefined();
  });

  it("review on aws: a reviewer's vote and edit show in the next AWS report", async () => {
    // Prepare
    const document = (await aws.latestReport()).documents[0] as ReportData['documents'][number];
    const entry = await aws.state.getCorpusEntry(document.docId);
    const itemId = reviewItemId(document.docId, 'summarize', 'issue', entry?.contentHash);
    const at = new Date().toISOString();
    await aws.state.putVote({
      itemId,
      reviewer: 'ana',
      vote: 'edit',
      stage: 'summarize',
      docId: document.docId,
      promptVersion: 'summarize@1',
      model: 'm',
      at,
      correction: 'The checkout database ran out of connections.',
    });
    await aws.state.putVote({
      itemId: 'other',
      reviewer: 'ben',
      vote: 'up',
      stage: 'classify',
      docId: document.docId,
      promptVersion: 'classify@1',
      model: 'm',
      at,
    });

    // Act
    const result = await aws.stepFunctions.start({ mode: 'full' }).result;
    const report = await aws.latestReport();

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    const edited = report.documents.find((candidate) => candidate.docId === document.docId);
    expect(JSON.stringify(edited?.summary.issue)).toContain(
      'The checkout database ran out of connections. [edited by ana]',
    );
    expect(report.approval).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ stage: 'classify', up: 1 }),
        expect.objectContaining({ stage: 'summarize', down: 1 }),
      ]),
    );
    expect(await aws.artifacts.get('review/queue.json')).toBeDefined();
  });

  it('still reports when the failed documents stay within the tolerated share, and records the failure with its stage', async () => {
    // Prepare
    const docId = documentIdOf('poison/one.md');
    aws.poisoned.add(docId);
    await aws.putCase(files[0] as string, 'poison/one.md');

    // Act
    const { results } = await aws.drop();
    const report = await aws.latestReport();
    const entry = await aws.state.getCorpusEntry(docId);

    // Assess
    expect(results.map((result) => result.status)).toEqual(['SUCCEEDED']);
    expect(entry).toMatchObject({ status: 'failed', stage: 'summarize' });
    expect(entry?.reason).toMatch(/maxTokens/);
    expect(report.failed).toEqual([expect.objectContaining({ docId, stage: 'summarize' })]);
  });

  it('fails cleanly beyond the tolerated share: the run is marked failed, the lock released, the last report kept', async () => {
    // Prepare
    const keys = files.slice(1, 9).map((file) => `poison/${file}`);
    for (const [index, key] of keys.entries()) {
      aws.poisoned.add(documentIdOf(key));
      await aws.putCase(files[index + 1] as string, key);
    }
    const latestBefore = await aws.artifacts.get('report/report.json');

    // Act
    const { results } = await aws.drop();
    const failedRun = results[0];

    // Assess
    expect(failedRun?.status).toBe('FAILED');
    expect(failedRun?.status === 'FAILED' ? failedRun.error : '').toBe('TooManyDocumentsFailed');
    expect(await aws.artifacts.get('report/report.json')).toEqual(latestBefore);
    expect(await aws.state.lockHolder('corpus')).toBeUndefined();
    const runId = aws.stepFunctions.executions.at(-1)?.name ?? '';
    expect((await aws.state.getRun(runId))?.status).toBe('failed');
    expect(PREFIX).toBe('postmortems/');
  });
});
