/**
 * What is particular to the folder store: state shared by store instances on one folder (one per
 * CLI invocation), its files, and atomic replacement. The StateStore contract both stores keep
 * (once-only claims, idempotent putDocument and its counters, runs, votes) runs against this store
 * too, in test/store/dynamodb-state-store.test.ts.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalStateStore } from '../../src/store/local-state-store.ts';
import type { DocumentRecord } from '../../src/store/state-store.ts';

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

describe('LocalStateStore', () => {
  let folder: string;
  let root: string;

  beforeEach(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'local-state-'));
    root = path.join(folder, 'out', 'state');
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('claims a source version once across store instances on the same folder', async () => {
    // Prepare
    const first = new LocalStateStore(root);
    const second = new LocalStateStore(root);

    // Act
    const outcomes = await Promise.all([
      ...Array.from({ length: 5 }, () => first.claimSource('postmortems/a.md', 'etag-1', 'batch-a')),
      ...Array.from({ length: 5 }, () => second.claimSource('postmortems/a.md', 'etag-1', 'batch-b')),
    ]);
    const later = await new LocalStateStore(root).claimSource('postmortems/a.md', '"etag-1"', 'batch-c');

    // Assess
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect(later).toBe(false);
  });

  it('keeps documents, runs and votes for the next instance to read', async () => {
    // Prepare
    const writer = new LocalStateStore(root);
    await writer.putRun({ runId: 'run-1', mode: 'full', status: 'running', startedAt: '2026-11-27T00:00:00.000Z', documents: 0, failed: 0 });
    await writer.putDocument(documentRecord());
    await writer.putVote({ itemId: 'p-1', reviewer: 'alice', vote: 'up', stage: 'patterns', docId: 'team/incident-1', promptVersion: 'v1', model: 'offline', at: '2026-11-27T01:00:00.000Z' });

    // Act
    const reader = new LocalStateStore(root);
    await reader.putDocument(documentRecord({ updatedAt: '2026-11-27T09:00:00.000Z' }));

    // Assess
    expect(await reader.listDocuments('run-1')).toEqual([documentRecord()]);
    expect(await reader.getRun('run-1')).toMatchObject({ status: 'running', documents: 1, failed: 0 });
    expect(await reader.listVotes()).toHaveLength(1);
  });

  it('writes one JSON file per record, with docIds that hold slashes kept in one file', async () => {
    // Prepare
    const store = new LocalStateStore(root);

    // Act
    await store.claimSource('postmortems/a.md', 'etag-1', 'batch-1');
    await store.putRun({ runId: 'run-1', mode: 'full', status: 'running', startedAt: '2026-11-27T00:00:00.000Z' });
    await store.putDocument(documentRecord({ docId: 'team/nested/incident-1' }));

    // Assess
    expect((await readdir(path.join(root, 'sources'))).filter((name) => name.endsWith('.json'))).toHaveLength(1);
    expect(await readdir(path.join(root, 'runs', 'run-1', 'documents'))).toEqual(['team%2Fnested%2Fincident-1.json']);
    const run = JSON.parse(await readFile(path.join(root, 'runs', 'run-1', 'run.json'), 'utf8')) as unknown;
    expect(run).toMatchObject({ runId: 'run-1', documents: 1, failed: 0 });
  });

  it('leaves no temporary files behind after many concurrent writes', async () => {
    // Prepare
    const store = new LocalStateStore(root);
    const records = Array.from({ length: 40 }, (_, index) => documentRecord({ docId: `doc-${index}`, status: index % 2 ? 'succeeded' : 'claimed' }));

    // Act
    await Promise.all(records.map((record) => store.putDocument(record)));
    await Promise.all(records.map((record) => store.putDocument({ ...record, status: 'succeeded' })));

    // Assess
    const files = await readdir(path.join(root, 'runs', 'run-1'), { recursive: true });
    expect(files.filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(await store.getRun('run-1')).toBeUndefined();
    const run = JSON.parse(await readFile(path.join(root, 'runs', 'run-1', 'run.json'), 'utf8')) as unknown;
    expect(run).toEqual({ runId: 'run-1', documents: 40, failed: 0 });
  });
});
