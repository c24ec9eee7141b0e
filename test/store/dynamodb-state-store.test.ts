/**
 * The StateStore contract, run against both implementations (DynamoDB on dynalite, and the local
 * folder store), then what is particular to the DynamoDB store: its table layout and Query paging.
 * test/store/local-state-store.test.ts holds what is particular to the folder store.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbClient, DynamoDbStateStore } from '../../src/store/dynamodb-state-store.ts';
import { LocalStateStore } from '../../src/store/local-state-store.ts';
import type { DocumentRecord, StateStore, Vote } from '../../src/store/state-store.ts';
import { startDynalite, type LocalDynamoDb } from '../support/aws-servers.ts';

let dynamo: LocalDynamoDb;
let client: DynamoDBClient;
let tables = 0;
const temporaryFolders: string[] = [];

beforeAll(async () => {
  dynamo = await startDynalite();
  client = createDynamoDbClient({ endpoint: dynamo.url, region: dynamo.region, credentials: dynamo.credentials });
});

afterAll(async () => {
  client?.destroy();
  await dynamo?.close();
});

afterEach(async () => {
  await Promise.all(temporaryFolders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

/** A DynamoDB store on a table of its own, paging Query results by 5 items. */
async function newDynamoDbStore(): Promise<DynamoDbStateStore> {
  const tableName = `state-${(tables += 1)}`;
  await dynamo.createTable(tableName);
  return new DynamoDbStateStore({ client, tableName, queryPageSize: 5 });
}

async function newLocalStore(): Promise<LocalStateStore> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'state-store-'));
  temporaryFolders.push(folder);
  return new LocalStateStore(path.join(folder, 'state'));
}

function documentRecord(overrides: Partial<DocumentRecord> = {}): DocumentRecord {
  return {
    runId: 'run-1',
    docId: 'team/incident-1',
    sourceKey: 'postmortems/team/incident-1.md',
    contentHash: 'sha256:abc',
    status: 'succeeded',
    updatedAt: '2026-11-27T01:00:00.000Z',
    ...overrides,
  };
}

function vote(overrides: Partial<Vote> = {}): Vote {
  return {
    itemId: 'pattern-1',
    reviewer: 'alice',
    vote: 'up',
    stage: 'patterns',
    docId: 'team/incident-1',
    promptVersion: 'patterns@3',
    model: 'anthropic.claude-sonnet-4',
    at: '2026-11-27T01:00:00.000Z',
    ...overrides,
  };
}

describe.each([
  { name: 'DynamoDbStateStore on dynalite', create: newDynamoDbStore },
  { name: 'LocalStateStore', create: newLocalStore },
])('StateStore contract: $name', ({ create }) => {
  let store: StateStore;

  const startRun = (runId = 'run-1') => store.putRun({ runId, mode: 'full', status: 'running', startedAt: '2026-11-27T00:00:00.000Z', documents: 0, failed: 0 });

  beforeAll(async () => {
    store = await create();
  });

  describe('claimSource', () => {
    it('claims a source version once, and a new version of it again', async () => {
      // Prepare
      const key = 'postmortems/claims/a.md';

      // Act
      const first = await store.claimSource(key, '"etag-1"', 'batch-1');
      const duplicate = await store.claimSource(key, '"etag-1"', 'batch-2');
      const unquotedDuplicate = await store.claimSource(key, 'etag-1', 'batch-3');
      const newVersion = await store.claimSource(key, '"etag-2"', 'batch-4');
      const otherKeySameEtag = await store.claimSource('postmortems/claims/b.md', '"etag-1"', 'batch-4');

      // Assess
      expect([first, duplicate, unquotedDuplicate, newVersion, otherKeySameEtag]).toEqual([true, false, false, true, true]);
    });

    it('lets exactly one of many concurrent duplicate events claim a version', async () => {
      // Prepare
      const attempts = Array.from({ length: 12 }, (_, index) => `batch-${index}`);

      // Act
      const outcomes = await Promise.all(attempts.map((batchId) => store.claimSource('postmortems/claims/race.md', 'etag-race', batchId)));

      // Assess
      expect(outcomes.filter(Boolean)).toHaveLength(1);
    });
  });

  describe('putDocument', () => {
    it('counts a document written twice with the same status once, keeping the first write', async () => {
      // Prepare
      await startRun('same-status');
      const first = documentRecord({ runId: 'same-status' });

      // Act
      await store.putDocument(first);
      await store.putDocument({ ...first, updatedAt: '2026-11-27T02:00:00.000Z' });

      // Assess
      expect(await store.listDocuments('same-status')).toEqual([first]);
      expect(await store.getRun('same-status')).toMatchObject({ documents: 1, failed: 0 });
    });

    it('counts a claimed document when it succeeds', async () => {
      // Prepare
      await startRun('claimed-then-succeeded');
      const claimed = documentRecord({ runId: 'claimed-then-succeeded', status: 'claimed' });
      await store.putDocument(claimed);
      const whileClaimed = await store.getRun('claimed-then-succeeded');

      // Act
      await store.putDocument({ ...claimed, status: 'succeeded', updatedAt: '2026-11-27T02:00:00.000Z' });

      // Assess
      expect(whileClaimed).toMatchObject({ documents: 0, failed: 0 });
      expect(await store.getRun('claimed-then-succeeded')).toMatchObject({ documents: 1, failed: 0 });
      expect((await store.listDocuments('claimed-then-succeeded')).map((record) => record.status)).toEqual(['succeeded']);
    });

    it('counts a failed document into failed, with its stage and reason', async () => {
      // Prepare
      await startRun('failures');
      const failed = documentRecord({ runId: 'failures', docId: 'broken', status: 'failed', stage: 'classify', reason: 'invalid JSON twice' });

      // Act
      await store.putDocument(failed);
      await store.putDocument(failed);

      // Assess
      expect(await store.getRun('failures')).toMatchObject({ documents: 0, failed: 1 });
      expect(await store.listDocuments('failures')).toEqual([failed]);
    });

    it('moves the count when a succeeded document later fails', async () => {
      // Prepare
      await startRun('succeeded-then-failed');
      const succeeded = documentRecord({ runId: 'succeeded-then-failed' });
      await store.putDocument(succeeded);

      // Act
      await store.putDocument({ ...succeeded, status: 'failed', stage: 'analyze', reason: 'throttled' });

      // Assess
      expect(await store.getRun('succeeded-then-failed')).toMatchObject({ documents: 0, failed: 1 });
    });

    it('lists every document of a run across pages, in docId order, and counts concurrent writes exactly', async () => {
      // Prepare
      await startRun('many');
      await startRun('other-run');
      await store.putDocument(documentRecord({ runId: 'other-run', docId: 'elsewhere' }));
      const records = Array.from({ length: 23 }, (_, index) =>
        documentRecord({ runId: 'many', docId: `team/doc-${String(index).padStart(2, '0')}`, status: index % 4 === 0 ? 'failed' : 'succeeded' }),
      );

      // Act
      await Promise.all(records.map((record) => store.putDocument(record)));
      await Promise.all(records.map((record) => store.putDocument(record)));
      const listed = await store.listDocuments('many');

      // Assess
      expect(listed).toEqual(records);
      expect(await store.getRun('many')).toMatchObject({ documents: 17, failed: 6 });
      expect(await store.listDocuments('no-such-run')).toEqual([]);
    });
  });

  describe('runs', () => {
    it('round-trips a run, replacing its fields but keeping counters it is not given', async () => {
      // Prepare
      await store.putRun({ runId: 'lifecycle', mode: 'incremental', status: 'running', startedAt: '2026-11-27T00:00:00.000Z', manifestKey: 'manifests/b.json', documents: 0, failed: 0 });
      await store.putDocument(documentRecord({ runId: 'lifecycle' }));

      // Act
      await store.putRun({ runId: 'lifecycle', mode: 'incremental', status: 'succeeded', startedAt: '2026-11-27T00:00:00.000Z', finishedAt: '2026-11-27T01:00:00.000Z', reportKey: 'reports/lifecycle/report.html' });
      const finished = await store.getRun('lifecycle');
      await store.putRun({ runId: 'lifecycle', mode: 'full', status: 'running', startedAt: '2026-11-27T03:00:00.000Z', documents: 5, failed: 2 });
      const restarted = await store.getRun('lifecycle');

      // Assess
      expect(finished).toEqual({
        runId: 'lifecycle',
        mode: 'incremental',
        status: 'succeeded',
        startedAt: '2026-11-27T00:00:00.000Z',
        finishedAt: '2026-11-27T01:00:00.000Z',
        reportKey: 'reports/lifecycle/report.html',
        documents: 1,
        failed: 0,
      });
      expect(restarted).toEqual({ runId: 'lifecycle', mode: 'full', status: 'running', startedAt: '2026-11-27T03:00:00.000Z', documents: 5, failed: 2 });
    });

    it('has no run until putRun writes it, and keeps counts recorded before that', async () => {
      // Prepare
      await store.putDocument(documentRecord({ runId: 'early', status: 'failed', stage: 'ingest', reason: 'unreadable' }));
      const before = await store.getRun('early');

      // Act
      await store.putRun({ runId: 'early', mode: 'full', status: 'running', startedAt: '2026-11-27T00:00:00.000Z' });

      // Assess
      expect(before).toBeUndefined();
      expect(await store.getRun('early')).toMatchObject({ status: 'running', documents: 0, failed: 1 });
      expect(await store.getRun('never-started')).toBeUndefined();
    });
  });

  describe('votes', () => {
    it('round-trips votes in time order, one per time, item and reviewer', async () => {
      // Prepare
      const late = vote({ at: '2026-11-27T03:00:00.000Z', reviewer: 'bob', vote: 'edit', correction: 'Kafka, not RabbitMQ' });
      const early = vote({ at: '2026-11-27T01:00:00.000Z' });
      const middle = vote({ at: '2026-11-27T02:00:00.000Z', itemId: 'opportunity-4', stage: 'opportunities', vote: 'down' });

      // Act
      await store.putVote(late);
      await store.putVote(early);
      await store.putVote(middle);
      await store.putVote({ ...early, vote: 'skip' });
      const votes = await store.listVotes();

      // Assess
      expect(votes).toEqual([{ ...early, vote: 'skip' }, middle, late]);
    });
  });
});

describe('DynamoDbStateStore table layout', () => {
  let store: DynamoDbStateStore;
  let documents: DynamoDBDocumentClient;

  beforeAll(async () => {
    store = await newDynamoDbStore();
    documents = DynamoDBDocumentClient.from(client);
  });

  const item = async (pk: string, sk: string) => (await documents.send(new GetCommand({ TableName: store.tableName, Key: { pk, sk } }))).Item;

  it('keeps claims, documents, the run and votes under the documented keys', async () => {
    // Prepare
    await store.putRun({ runId: 'r1', mode: 'full', status: 'running', startedAt: '2026-11-27T00:00:00.000Z', documents: 0, failed: 0 });

    // Act
    await store.claimSource('postmortems/a.md', '"0123abcd"', 'batch-1');
    await store.putDocument(documentRecord({ runId: 'r1', docId: 'a' }));
    await store.putVote(vote({ at: '2026-11-27T05:00:00.000Z', itemId: 'p-1', reviewer: 'carol' }));

    // Assess
    expect(await item('SOURCE#postmortems/a.md', 'ETAG#0123abcd')).toMatchObject({ type: 'source', sourceKey: 'postmortems/a.md', etag: '0123abcd', batchId: 'batch-1' });
    expect(await item('RUN#r1', 'DOC#a')).toMatchObject({ type: 'document', docId: 'a', status: 'succeeded' });
    expect(await item('RUN#r1', 'META')).toMatchObject({ type: 'run', status: 'running', documents: 1, failed: 0 });
    expect(await item('VOTE', '2026-11-27T05:00:00.000Z#p-1#carol')).toMatchObject({ type: 'vote', reviewer: 'carol' });
  });

  it('pages through a run with Query limits smaller than the run', async () => {
    // Prepare
    await Promise.all(Array.from({ length: 12 }, (_, index) => store.putDocument(documentRecord({ runId: 'paged', docId: `d${String(index).padStart(2, '0')}` }))));
    const firstPage = await documents.send(
      new QueryCommand({ TableName: store.tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)', ExpressionAttributeValues: { ':pk': 'RUN#paged', ':sk': 'DOC#' }, Limit: 5 }),
    );

    // Act
    const listed = await store.listDocuments('paged');

    // Assess
    expect(firstPage.LastEvaluatedKey).toBeDefined();
    expect(listed).toHaveLength(12);
  });
});
