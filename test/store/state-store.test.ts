/**
 * The state store, one suite over every backend: memory, the local JSON file (reopened from disk
 * where a case reads back) and DynamoDB on dynalite. Backend-specific behaviour (the file's
 * writes, DynamoDB's pagination) follows in its own blocks.
 */
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ZodError } from 'zod';
import { loadMapping, loadRedactor, RedactionSession, restore, type Redactor } from '../../src/privacy/index.ts';
import type { CorpusEntry } from '../../src/schemas/index.ts';
import { createDynamoDbClient, DynamoDbItemTable } from '../../src/store/dynamodb-item-table.ts';
import { MemoryItemTable } from '../../src/store/item-table.ts';
import { LocalItemTable } from '../../src/store/local-item-table.ts';
import { LOCAL_STATE_FILE, openDynamoDbStateStore, openLocalStateStore } from '../../src/store/open-state.ts';
import {
  paddedSequencer,
  StateStore,
  type QueuedChange,
  type RunRecordEntry,
  type Vote,
} from '../../src/store/state-store.ts';
import { startDynalite, type LocalDynamoDb } from '../support/aws-servers.ts';

let dynamo: LocalDynamoDb;
let redactor: Redactor;
let client: DynamoDBClient;
let root: string;
let folders = 0;
let tables = 0;
/** Every store a case opened, flushed after it so no delayed write outlives the case. */
const opened: StateStore[] = [];

beforeAll(async () => {
  redactor = await loadRedactor();
  dynamo = await startDynalite();
  client = createDynamoDbClient({ endpoint: dynamo.url, region: dynamo.region, credentials: dynamo.credentials });
  root = await mkdtemp(path.join(os.tmpdir(), 'state-store-'));
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.flush().catch(() => undefined)));
});

afterAll(async () => {
  client?.destroy();
  await dynamo?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

async function newFolder(): Promise<string> {
  const folder = path.join(root, `case-${(folders += 1)}`);
  await mkdir(folder, { recursive: true });
  return folder;
}

async function newTable(): Promise<string> {
  const name = `state-${(tables += 1)}`;
  await dynamo.createTable(name);
  return name;
}

function track(store: StateStore): StateStore {
  opened.push(store);
  return store;
}

/** A fresh, empty store, and a way to open the same state again (from disk, or a new client). */
interface Harness {
  store: StateStore;
  reopen(): Promise<StateStore>;
}

const BACKENDS: { name: string; open: () => Promise<Harness> }[] = [
  {
    name: 'memory',
    open: () => {
      // Memory has nothing to reopen from: the same table is the state.
      const store = new StateStore(new MemoryItemTable());
      return Promise.resolve({ store, reopen: () => Promise.resolve(new StateStore(store.table)) });
    },
  },
  {
    name: 'local file',
    open: async () => {
      const folder = await newFolder();
      const store = track(await openLocalStateStore(folder));
      return {
        store,
        async reopen() {
          await store.flush();
          return track(await openLocalStateStore(folder));
        },
      };
    },
  },
  {
    name: 'dynamodb (dynalite)',
    open: async () => {
      const tableName = await newTable();
      return {
        store: openDynamoDbStateStore({ client, tableName }),
        reopen: () => Promise.resolve(openDynamoDbStateStore({ client, tableName })),
      };
    },
  },
];

function entry(docId: string, overrides: Partial<CorpusEntry> = {}): CorpusEntry {
  return {
    docId,
    sourceKey: `${docId}.md`,
    sourceVersion: `etag-${docId}`,
    contentHash: `sha-${docId}`,
    fingerprint: 'fp-1',
    status: 'analysed',
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

function change(key: string, sequencer: string, overrides: Partial<QueuedChange> = {}): QueuedChange {
  return {
    key,
    version: `v-${sequencer}`,
    sequencer: paddedSequencer(sequencer),
    removed: false,
    queuedAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

function run(runId: string, overrides: Partial<RunRecordEntry> = {}): RunRecordEntry {
  return { runId, mode: 'incremental', status: 'running', startedAt: '2025-01-01T00:00:00.000Z', ...overrides };
}

function vote(at: string, overrides: Partial<Vote> = {}): Vote {
  return {
    itemId: 'item-1',
    reviewer: 'alice',
    vote: 'up',
    stage: 'summarize',
    docId: 'doc',
    promptVersion: 'summarize@1',
    model: 'm',
    at,
    ...overrides,
  };
}

const T0 = Date.parse('2025-01-01T00:00:00.000Z');
const seconds = (count: number) => T0 + count * 1000;

describe.each(BACKENDS)('StateStore on $name', (backend) => {
  describe('corpus index', () => {
    it('puts, gets, lists in docId order, overwrites and removes entries', async () => {
      // Prepare
      const { store, reopen } = await backend.open();
      const ids = ['pg-pool', 'a/b', 'A', 'kafka_lag', 'a', 'a-b', 'z'];
      const failed = entry('kafka_lag', {
        status: 'failed',
        stage: 'classify',
        reason: 'model timed out',
        contentHash: null,
      });
      const skipped = entry('a', { status: 'skipped', code: 'empty', reason: 'no text' });

      // Act
      for (const id of ids) await store.putCorpusEntry(id === 'kafka_lag' ? failed : id === 'a' ? skipped : entry(id));
      await store.putCorpusEntry(entry('z', { fingerprint: 'fp-2' }));
      await store.removeCorpusEntry('pg-pool');
      await store.removeCorpusEntry('never-there');
      const reopened = await reopen();

      // Assess
      const listed = await reopened.listCorpus();
      expect(listed.map((item) => item.docId)).toEqual(['A', 'a', 'a-b', 'a/b', 'kafka_lag', 'z']);
      expect(await reopened.getCorpusEntry('kafka_lag')).toEqual(failed);
      expect(await reopened.getCorpusEntry('a')).toEqual(skipped);
      expect(await reopened.getCorpusEntry('z')).toEqual(entry('z', { fingerprint: 'fp-2' }));
      expect(await reopened.getCorpusEntry('pg-pool')).toBeUndefined();
      expect(listed.find((item) => item.docId === 'a/b')).toEqual(entry('a/b'));
    });

    it('validates entries: an invalid one is refused and not written, unknown fields are dropped', async () => {
      // Prepare
      const { store } = await backend.open();
      const extra = { ...entry('doc'), bogus: 'dropped' } as CorpusEntry;

      // Act & Assess
      await expect(store.putCorpusEntry(entry(''))).rejects.toBeInstanceOf(ZodError);
      await expect(
        store.putCorpusEntry(entry('bad', { status: 'exploded' as CorpusEntry['status'] })),
      ).rejects.toBeInstanceOf(ZodError);
      await expect(
        store.putCorpusEntry(entry('bad', { stage: 'nowhere' as CorpusEntry['stage'] })),
      ).rejects.toBeInstanceOf(ZodError);
      await store.putCorpusEntry(extra);
      expect(await store.getCorpusEntry('bad')).toBeUndefined();
      expect(await store.getCorpusEntry('doc')).toEqual(entry('doc'));
      expect(await store.listCorpus()).toEqual([entry('doc')]);
    });

    it('refuses to read an index item that does not match the schema', async () => {
      // Prepare
      const { store } = await backend.open();
      await store.putCorpusEntry(entry('good'));
      await store.table.put({ pk: 'CORPUS', sk: 'DOC#broken', type: 'corpus', docId: 'broken', status: 'analysed' });

      // Act & Assess
      await expect(store.getCorpusEntry('broken')).rejects.toBeInstanceOf(ZodError);
      await expect(store.listCorpus()).rejects.toBeInstanceOf(ZodError);
      expect(await store.getCorpusEntry('good')).toEqual(entry('good'));
    });
  });

  describe('queue of source changes', () => {
    it('lets a newer sequencer replace a queued change, refuses an older one and accepts the same one', async () => {
      // Prepare
      const { store, reopen } = await backend.open();
      // Padded, 'FF' sorts before '100' (it would not as bare strings).
      const first = change('docs/a.md', 'F0');
      const newer = change('docs/a.md', '100', { version: 'v2' });
      const older = change('docs/a.md', 'FF', { version: 'v-old' });
      const sameAgain = change('docs/a.md', '100', {
        version: 'v2',
        removed: true,
        queuedAt: '2025-01-02T00:00:00.000Z',
      });
      const other = change('docs/0.md', '5');

      // Act
      const queued = [await store.enqueue(first), await store.enqueue(newer), await store.enqueue(older)];
      const afterOlder = await store.listQueue();
      const same = await store.enqueue(sameAgain);
      const otherQueued = await store.enqueue(other);
      const reopened = await reopen();

      // Assess
      expect(queued).toEqual([true, true, false]);
      expect(afterOlder).toEqual([newer]);
      expect(same).toBe(true);
      expect(otherQueued).toBe(true);
      expect(await reopened.listQueue()).toEqual([other, sameAgain]);
    });

    it('dequeues only the change it was given: a newer change queued meanwhile survives', async () => {
      // Prepare
      const { store, reopen } = await backend.open();
      const handled = change('docs/a.md', '10');
      const meanwhile = change('docs/a.md', '11', { version: 'v-new' });
      const sameSequencerOtherVersion = change('docs/b.md', '7');
      await store.enqueue(handled);
      await store.enqueue(sameSequencerOtherVersion);

      // Act
      await store.enqueue(meanwhile);
      const staleDequeue = await store.dequeue(handled);
      const afterStale = await store.listQueue();
      const wrongVersion = await store.dequeue({ ...sameSequencerOtherVersion, version: 'something-else' });
      const wrongRemoved = await store.dequeue({ ...sameSequencerOtherVersion, removed: true });
      const dequeued = await store.dequeue(meanwhile);
      const again = await store.dequeue(meanwhile);
      const reopened = await reopen();

      // Assess
      expect(staleDequeue).toBe(false);
      expect(afterStale).toEqual([meanwhile, sameSequencerOtherVersion]);
      expect(wrongVersion).toBe(false);
      expect(wrongRemoved).toBe(false);
      expect(dequeued).toBe(true);
      expect(again).toBe(false);
      expect(await reopened.listQueue()).toEqual([sameSequencerOtherVersion]);
      expect(await reopened.dequeue(sameSequencerOtherVersion)).toBe(true);
      expect(await reopened.listQueue()).toEqual([]);
    });
  });

  describe('lock with a lease', () => {
    it('is acquired, refused to another holder, renewed by its holder, taken over after the lease and released only by its holder', async () => {
      // Prepare
      const { store } = await backend.open();

      // Act & Assess
      expect(await store.acquireLock('corpus', 'run-a', 60, seconds(0))).toBe(true);
      expect(await store.lockHolder('corpus', seconds(1))).toBe('run-a');
      expect(await store.acquireLock('corpus', 'run-b', 60, seconds(30))).toBe(false);
      expect(await store.acquireLock('other', 'run-b', 600, seconds(30))).toBe(true);
      // Renewed at 30 s: the lease now runs to 90 s, not 60 s.
      expect(await store.acquireLock('corpus', 'run-a', 60, seconds(30))).toBe(true);
      expect(await store.acquireLock('corpus', 'run-b', 60, seconds(75))).toBe(false);
      expect(await store.lockHolder('corpus', seconds(90))).toBe('run-a');
      expect(await store.acquireLock('corpus', 'run-b', 60, seconds(90))).toBe(false);
      // Past the lease: another holder takes over, and the former one can neither release nor renew it.
      expect(await store.lockHolder('corpus', seconds(91))).toBeUndefined();
      expect(await store.acquireLock('corpus', 'run-b', 60, seconds(91))).toBe(true);
      expect(await store.lockHolder('corpus', seconds(92))).toBe('run-b');
      expect(await store.releaseLock('corpus', 'run-a')).toBe(false);
      expect(await store.acquireLock('corpus', 'run-a', 60, seconds(92))).toBe(false);
      expect(await store.lockHolder('corpus', seconds(92))).toBe('run-b');
      expect(await store.releaseLock('corpus', 'run-b')).toBe(true);
      expect(await store.lockHolder('corpus', seconds(93))).toBeUndefined();
      expect(await store.releaseLock('corpus', 'run-b')).toBe(false);
      expect(await store.acquireLock('corpus', 'run-c', 60, seconds(93))).toBe(true);
      expect(await store.lockHolder('other', seconds(93))).toBe('run-b');
    });

    it('lets only one of many concurrent holders acquire a free lock', async () => {
      // Prepare
      const { store } = await backend.open();
      const holders = ['h1', 'h2', 'h3', 'h4', 'h5'];

      // Act
      const results = await Promise.all(holders.map((holder) => store.acquireLock('corpus', holder, 60, seconds(0))));

      // Assess
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.lockHolder('corpus', seconds(0))).toBe(holders[results.indexOf(true)]);
    });
  });

  describe('runs and outcomes', () => {
    it('counts each document once per status change, and getRun shows the counters', async () => {
      // Prepare
      const { store, reopen } = await backend.open();
      await store.putRun(run('r1'));
      const counters = async () => {
        const record = await store.getRun('r1');
        return [record?.analysed, record?.failed];
      };

      // Act & Assess
      await store.recordOutcome({ runId: 'r1', docId: 'd1', status: 'analysed' });
      await store.recordOutcome({ runId: 'r1', docId: 'd2', status: 'analysed' });
      await store.recordOutcome({ runId: 'r1', docId: 'd3', status: 'skipped', reason: 'empty' });
      await store.recordOutcome({ runId: 'r1', docId: 'd4', status: 'failed', stage: 'classify', reason: 'timeout' });
      expect(await counters()).toEqual([2, 1]);

      // A retried task writing the status the document already has counts nothing.
      await store.recordOutcome({ runId: 'r1', docId: 'd1', status: 'analysed' });
      await store.recordOutcome({
        runId: 'r1',
        docId: 'd4',
        status: 'failed',
        stage: 'classify',
        reason: 'timeout again',
      });
      await store.recordOutcome({ runId: 'r1', docId: 'd3', status: 'skipped' });
      expect(await counters()).toEqual([2, 1]);

      // analysed -> failed moves both counters; failed -> analysed back; analysed -> skipped only one.
      await store.recordOutcome({
        runId: 'r1',
        docId: 'd1',
        status: 'failed',
        stage: 'summarize',
        reason: 'bad output',
      });
      expect(await counters()).toEqual([1, 2]);
      await store.recordOutcome({ runId: 'r1', docId: 'd4', status: 'analysed' });
      expect(await counters()).toEqual([2, 1]);
      await store.recordOutcome({ runId: 'r1', docId: 'd2', status: 'skipped' });
      expect(await counters()).toEqual([1, 1]);

      // Outcomes of another run count there only.
      await store.recordOutcome({ runId: 'r2', docId: 'd1', status: 'analysed' });

      const reopened = await reopen();
      expect(await reopened.getRun('r1')).toEqual({ ...run('r1'), analysed: 1, failed: 1 });
      expect(await reopened.listOutcomes('r1')).toEqual([
        { runId: 'r1', docId: 'd1', status: 'failed', stage: 'summarize', reason: 'bad output' },
        { runId: 'r1', docId: 'd2', status: 'skipped' },
        { runId: 'r1', docId: 'd3', status: 'skipped', reason: 'empty' },
        { runId: 'r1', docId: 'd4', status: 'analysed' },
      ]);
      expect(await reopened.listOutcomes('r2')).toEqual([{ runId: 'r2', docId: 'd1', status: 'analysed' }]);
      expect(await reopened.listOutcomes('r3')).toEqual([]);
    });

    it('counts a document once when the same outcome is recorded concurrently', async () => {
      // Prepare
      const { store } = await backend.open();
      await store.putRun(run('r1'));

      // Act
      await Promise.all(
        Array.from({ length: 5 }, () => store.recordOutcome({ runId: 'r1', docId: 'd1', status: 'analysed' })),
      );
      await Promise.all(
        Array.from({ length: 5 }, () => store.recordOutcome({ runId: 'r1', docId: 'd2', status: 'failed' })),
      );

      // Assess
      expect(await store.getRun('r1')).toMatchObject({ analysed: 1, failed: 1 });
    });

    it('putRun keeps the counters, including those of outcomes recorded before the run was put', async () => {
      // Prepare
      const { store, reopen } = await backend.open();
      await store.recordOutcome({ runId: 'r1', docId: 'd1', status: 'analysed' });
      await store.recordOutcome({ runId: 'r1', docId: 'd2', status: 'failed' });
      const beforePut = await store.getRun('r1');

      // Act
      await store.putRun(run('r1'));
      const afterPut = await store.getRun('r1');
      await store.recordOutcome({ runId: 'r1', docId: 'd3', status: 'analysed' });
      await store.putRun(run('r1', { status: 'succeeded', finishedAt: '2025-01-01T01:00:00.000Z' }));
      const reopened = await reopen();
      await reopened.putRun({
        ...((await reopened.getRun('r1')) as RunRecordEntry),
        reportKey: 'reports/r1/report.html',
      });

      // Assess
      expect(beforePut).toBeUndefined();
      expect(afterPut).toEqual({ ...run('r1'), analysed: 1, failed: 1 });
      expect(await reopened.getRun('r1')).toEqual({
        ...run('r1', {
          status: 'succeeded',
          finishedAt: '2025-01-01T01:00:00.000Z',
          reportKey: 'reports/r1/report.html',
        }),
        analysed: 2,
        failed: 1,
      });
      expect(await reopened.getRun('unknown')).toBeUndefined();
    });

    it('starts a run without outcomes at zero', async () => {
      // Prepare
      const { store } = await backend.open();

      // Act
      await store.putRun(run('r1', { mode: 'full' }));

      // Assess
      expect(await store.getRun('r1')).toEqual({ ...run('r1', { mode: 'full' }), analysed: 0, failed: 0 });
    });
  });

  describe('fold generations', () => {
    it('start at generation 0, never folded; each change increments, markFolded records what a fold covered', async () => {
      // Prepare
      const { store, reopen } = await backend.open();
      const initial = await store.foldState();

      // Act
      const generations = [
        await store.markCorpusChanged(),
        await store.markCorpusChanged(),
        await store.markCorpusChanged(),
      ];
      await store.markFolded(2);
      const afterFold = await store.foldState();
      const next = await store.markCorpusChanged();
      const reopened = await reopen();

      // Assess
      expect(initial).toEqual({ generation: 0, folded: -1 });
      expect(generations).toEqual([1, 2, 3]);
      expect(afterFold).toEqual({ generation: 3, folded: 2 });
      expect(next).toBe(4);
      expect(await reopened.foldState()).toEqual({ generation: 4, folded: 2 });
    });

    it('hands out a distinct generation to each concurrent change', async () => {
      // Prepare
      const { store } = await backend.open();

      // Act
      const generations = await Promise.all(Array.from({ length: 6 }, () => store.markCorpusChanged()));

      // Assess
      expect([...generations].sort((left, right) => left - right)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(await store.foldState()).toEqual({ generation: 6, folded: -1 });
    });

    it('records a fold before any change without inventing a generation', async () => {
      // Prepare
      const { store } = await backend.open();

      // Act
      await store.markFolded(0);

      // Assess
      expect(await store.foldState()).toEqual({ generation: 0, folded: 0 });
      expect(await store.markCorpusChanged()).toBe(1);
    });
  });

  describe('votes', () => {
    it('round-trip in time order, whatever order they were put in', async () => {
      // Prepare
      const { store, reopen } = await backend.open();
      const votes = [
        vote('2025-01-01T00:00:01.000Z'),
        vote('2025-01-01T00:00:02.000Z', {
          itemId: 'item-2',
          vote: 'edit',
          correction: 'PostgreSQL, "Redis"\nsecond line',
          stage: 'classify',
        }),
        vote('2025-01-01T00:00:02.000Z', { itemId: 'item-3', vote: 'down', reviewer: 'bob', stage: 'analyze' }),
        vote('2025-01-01T00:00:03.000Z', { vote: 'skip', reviewer: 'bob' }),
      ];

      // Act
      for (const entry of [...votes].reverse()) await store.putVote(entry);
      const reopened = await reopen();

      // Assess
      expect(await reopened.listVotes()).toEqual(votes);
    });
  });

  describe('redaction mapping', () => {
    it('claims a placeholder once, binds a value to its first placeholder, and lists both after reopening', async () => {
      // Prepare
      const { store, reopen } = await backend.open();
      const jane = {
        placeholder: '[EMAIL-1]',
        category: 'EMAIL',
        key: 'EMAIL:jane@example.com',
        value: 'Jane@example.com',
      };
      const other = {
        placeholder: '[EMAIL-1]',
        category: 'EMAIL',
        key: 'EMAIL:bob@example.com',
        value: 'bob@example.com',
      };
      const long = {
        placeholder: '[TOKEN-7]',
        category: 'TOKEN',
        key: `TOKEN:${'x'.repeat(2000)}`,
        value: 'x'.repeat(2000),
      };

      // Act
      const first = await store.claimPlaceholder(jane);
      const taken = await store.claimPlaceholder(other);
      const bound = await store.bindRedactionKey(jane.key, '[EMAIL-1]');
      const rebound = await store.bindRedactionKey(jane.key, '[EMAIL-2]');
      await store.claimPlaceholder(long);
      const longBound = await store.bindRedactionKey(long.key, long.placeholder);
      const reopened = await reopen();

      // Assess
      expect([first, taken]).toEqual([true, false]);
      expect([bound, rebound, longBound]).toEqual(['[EMAIL-1]', '[EMAIL-1]', '[TOKEN-7]']);
      expect(await reopened.listRedactions()).toEqual([jane, long]);
      expect(
        (await reopened.listRedactionKeys()).sort((left, right) => left.placeholder.localeCompare(right.placeholder)),
      ).toEqual([
        { key: jane.key, placeholder: '[EMAIL-1]' },
        { key: long.key, placeholder: '[TOKEN-7]' },
      ]);
    });

    it('gives one value one placeholder and one placeholder one value across concurrent sessions, and a later session the same', async () => {
      // Prepare
      const { store, reopen } = await backend.open();
      const texts = Array.from(
        { length: 6 },
        (_, index) =>
          `On-call: Jane Doe\nMail ops${index % 3}@example.com or jane.doe@example.com; PostgreSQL at 10.0.0.${(index % 2) + 1} failed.`,
      );
      const first = new RedactionSession(store, redactor);
      const second = new RedactionSession(store, redactor);

      // Act
      const redacted = await Promise.all(
        texts.map((text, index) => (index % 2 === 0 ? first : second).redactText(text)),
      );
      const later = new RedactionSession(await reopen(), redactor);
      const again = await Promise.all(texts.map((text) => later.redactText(text)));

      // Assess
      const mapping = await loadMapping(await reopen());
      const used = new Set(redacted.flatMap((text) => text.match(/\[[A-Z-]+-[0-9a-f]+\]/g) ?? []));
      const values = [...used].map((placeholder) => mapping.values[placeholder]?.toLowerCase());
      // Seven values, seven placeholders in the texts: each value has one (restoring every text proves which).
      expect(values.sort()).toEqual(
        [
          '10.0.0.1',
          '10.0.0.2',
          'jane doe',
          'jane.doe@example.com',
          'ops0@example.com',
          'ops1@example.com',
          'ops2@example.com',
        ].sort(),
      );
      expect(Object.values(mapping.keys).filter((placeholder) => used.has(placeholder))).toHaveLength(7);
      // Keyed placeholders: a 12-hex-digit keyed hash of the value, whatever order the sessions met it in.
      expect([...used].every((placeholder) => /^\[(EMAIL|IP|PERSON)-[0-9a-f]{12}\]$/.test(placeholder))).toBe(true);
      for (const [index, text] of redacted.entries()) {
        expect(text).toContain('PostgreSQL');
        expect(text).not.toMatch(/Jane|example\.com|10\.0\.0/);
        expect(again[index], 'a later session redacts the same way').toBe(text);
        expect(restore(text, mapping)).toBe(texts[index]);
      }
      expect(later.newPlaceholders).toBe(0);
      expect(first.newPlaceholders + second.newPlaceholders).toBeGreaterThanOrEqual(7);
    });

    it('redacts a value to the same placeholder in two stores given one key, whatever the order, and to another under another key', async () => {
      // Prepare
      const texts = ['Mail a@example.com then b@example.com', 'Mail b@example.com then a@example.com'];
      const one = new RedactionSession((await backend.open()).store, redactor, 'shared-key');
      const two = new RedactionSession(new StateStore(new MemoryItemTable()), redactor, 'shared-key');
      const other = new RedactionSession(new StateStore(new MemoryItemTable()), redactor, 'another-key');

      // Act
      const forward = [await one.redactText(texts[0] as string), await one.redactText(texts[1] as string)];
      const backward = [await two.redactText(texts[1] as string), await two.redactText(texts[0] as string)].reverse();
      const elsewhere = await other.redactText(texts[0] as string);

      // Assess
      expect(backward).toEqual(forward);
      expect(forward[0]).not.toContain('example.com');
      expect(elsewhere).not.toBe(forward[0]);
    });
  });

  it('keeps each kind of item apart from the others', async () => {
    // Prepare
    const { store, reopen } = await backend.open();

    // Act
    await store.putCorpusEntry(entry('doc'));
    await store.enqueue(change('doc.md', '1'));
    await store.acquireLock('corpus', 'run-a', 60, seconds(0));
    await store.putRun(run('doc'));
    await store.recordOutcome({ runId: 'doc', docId: 'doc', status: 'analysed' });
    await store.markCorpusChanged();
    await store.putVote(vote('2025-01-01T00:00:00.000Z', { docId: 'doc' }));
    const reopened = await reopen();

    // Assess
    expect(await reopened.listCorpus()).toEqual([entry('doc')]);
    expect(await reopened.listQueue()).toEqual([change('doc.md', '1')]);
    expect(await reopened.lockHolder('corpus', seconds(1))).toBe('run-a');
    expect(await reopened.getRun('doc')).toEqual({ ...run('doc'), analysed: 1, failed: 0 });
    expect(await reopened.listOutcomes('doc')).toEqual([{ runId: 'doc', docId: 'doc', status: 'analysed' }]);
    expect(await reopened.foldState()).toEqual({ generation: 1, folded: -1 });
    expect(await reopened.listVotes()).toEqual([vote('2025-01-01T00:00:00.000Z', { docId: 'doc' })]);
  });
});

describe('paddedSequencer', () => {
  it('pads to 32 upper-case hex digits so sequencers compare as strings', () => {
    expect(paddedSequencer('0a1b')).toBe(`${'0'.repeat(28)}0A1B`);
    expect(paddedSequencer(undefined)).toBe('0'.repeat(32));
    expect(paddedSequencer('FF') < paddedSequencer('100')).toBe(true);
  });
});

describe('the local file table', () => {
  it('persists across reopen after flush(), as one JSON file in the output folder', async () => {
    // Prepare
    const folder = await newFolder();
    const store = track(await openLocalStateStore(folder));
    await store.putCorpusEntry(entry('doc', { contentHash: null }));
    await store.putRun(run('r1'));
    await store.recordOutcome({ runId: 'r1', docId: 'doc', status: 'failed', stage: 'analyze' });

    // Act
    await store.flush();
    const file = path.join(folder, LOCAL_STATE_FILE);
    const saved = JSON.parse(await readFile(file, 'utf8')) as { version: number; items: { pk: string; sk: string }[] };
    const reopened = track(await openLocalStateStore(folder));

    // Assess
    expect(saved.version).toBe(1);
    expect(saved.items.map((item) => `${item.pk} ${item.sk}`)).toEqual([
      'CORPUS DOC#doc',
      'RUN#r1 DOC#doc',
      'RUN#r1 META',
    ]);
    expect(await reopened.getCorpusEntry('doc')).toEqual(entry('doc', { contentHash: null }));
    expect(await reopened.getRun('r1')).toEqual({ ...run('r1'), analysed: 0, failed: 1 });
    expect((reopened.table as LocalItemTable).file).toBe(file);
  });

  it('opens empty where there is no file yet, and writes none until something changes', async () => {
    // Prepare
    const folder = path.join(await newFolder(), 'not', 'yet');

    // Act
    const store = track(await openLocalStateStore(folder));
    const listed = await store.listCorpus();
    await store.flush();

    // Assess
    expect(listed).toEqual([]);
    await expect(stat(path.join(folder, LOCAL_STATE_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('writes the file by itself a moment after a change', async () => {
    // Prepare
    const folder = await newFolder();
    const store = track(await openLocalStateStore(folder));

    // Act
    await store.putCorpusEntry(entry('doc'));

    // Assess
    await vi.waitFor(
      async () => expect(await readFile(path.join(folder, LOCAL_STATE_FILE), 'utf8')).toContain('DOC#doc'),
      { timeout: 3000, interval: 50 },
    );
    expect(await track(await openLocalStateStore(folder)).getCorpusEntry('doc')).toEqual(entry('doc'));
  });

  it('coalesces a stream of changes into one write a second, and flush() writes the rest', async () => {
    // Prepare: the table's clock and timers are fake, so the schedule is exact (the file I/O is real).
    const folder = await newFolder();
    const table = await LocalItemTable.open(path.join(folder, LOCAL_STATE_FILE));
    const store = track(new StateStore(table));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      // Act: a change every 20 ms for 1.1 s. The first write starts at 200 ms; the next may not
      // start before 1,200 ms. A 200 ms delay alone would have started five writes by then.
      let changes = 0;
      for (let elapsed = 0; elapsed < 1100; elapsed += 20) {
        await store.putCorpusEntry(entry(`doc-${(changes += 1)}`));
        await vi.advanceTimersByTimeAsync(20);
      }
      await store.flush();

      // Assess: the one write during the stream, then the flush's.
      expect(table.writes).toBe(2);
      expect(await track(await openLocalStateStore(folder)).listCorpus()).toHaveLength(changes);
    } finally {
      vi.useRealTimers();
    }
  });

  it('writes items in code-unit order of their keys, each as it is now', async () => {
    // Prepare
    const folder = await newFolder();
    const store = track(await openLocalStateStore(folder));
    await store.putCorpusEntry(entry('b'));
    await store.putCorpusEntry(entry('a'));
    await store.putCorpusEntry(entry('B'));
    await store.flush();

    // Act: a change to an item already written.
    await store.putCorpusEntry(entry('a', { contentHash: 'changed' }));
    await store.flush();
    const saved = JSON.parse(await readFile(path.join(folder, LOCAL_STATE_FILE), 'utf8')) as {
      items: { sk: string; contentHash: string | null }[];
    };

    // Assess
    expect(saved.items.map((item) => item.sk)).toEqual(['DOC#B', 'DOC#a', 'DOC#b']);
    expect(saved.items[1]?.contentHash).toBe('changed');
  });

  it('keeps a change whose write failed, and writes it on the next flush()', async () => {
    // Prepare: a non-empty folder where the file should be makes the rename fail.
    const folder = await newFolder();
    const file = path.join(folder, LOCAL_STATE_FILE);
    const store = track(new StateStore(await LocalItemTable.open(file)));
    await mkdir(file);
    await writeFile(path.join(file, 'obstacle'), '');
    await store.putCorpusEntry(entry('doc'));

    // Act
    await expect(store.flush()).rejects.toThrow();
    await rm(file, { recursive: true, force: true });
    await store.flush();

    // Assess
    expect(await track(new StateStore(await LocalItemTable.open(file))).listCorpus()).toEqual([entry('doc')]);
  });
});

describe('the DynamoDB table', () => {
  it('reads every page of a partition (queryPageSize 2, 7 items)', async () => {
    // Prepare
    const tableName = await newTable();
    const table = new DynamoDbItemTable({ client, tableName, queryPageSize: 2 });
    const store = new StateStore(table);
    const ids = ['d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7'];
    for (const id of [...ids].reverse()) {
      await store.putCorpusEntry(entry(id));
      await store.enqueue(change(`${id}.md`, '1'));
      await store.recordOutcome({ runId: 'r1', docId: id, status: 'analysed' });
      await store.putVote(vote(`2025-01-01T00:00:0${id.slice(1)}.000Z`, { docId: id }));
    }
    await store.putRun(run('r1'));
    const send = vi.spyOn(table.documentClient, 'send');

    // Act
    const corpus = await store.listCorpus();
    const queries = send.mock.calls.filter(([command]) => command instanceof QueryCommand).length;
    const queue = await store.listQueue();
    const outcomes = await store.listOutcomes('r1');
    const votes = await store.listVotes();
    send.mockRestore();

    // Assess
    expect(queries).toBeGreaterThanOrEqual(4);
    expect(corpus.map((item) => item.docId)).toEqual(ids);
    expect(queue.map((item) => item.key)).toEqual(ids.map((id) => `${id}.md`));
    expect(outcomes.map((item) => item.docId)).toEqual(ids);
    expect(votes.map((item) => item.docId)).toEqual(ids);
    expect(await store.getRun('r1')).toMatchObject({ analysed: 7, failed: 0 });
  });
});
