/**
 * The local folder store's own behaviour: which keys are replaced atomically, folders made once
 * under concurrent writes, and the read cache of objects it wrote; each with writes inline and on
 * the writer thread, and what only the writer thread has (writes under way, a thread that dies).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDocumentKey } from '../../src/run/layout.ts';
import { type FileWriter, sharedThreadFileWriter, ThreadFileWriter } from '../../src/store/file-writer.ts';
import { LocalObjectStore } from '../../src/store/local-object-store.ts';

let root: string;
let folders = 0;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'local-object-store-'));
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

function newRoot(): string {
  return path.join(root, `case-${(folders += 1)}`);
}

/** Each suite runs with the store's default writer and with the process's writer thread. */
const WRITERS: [string, () => FileWriter | undefined][] = [
  ['inline', () => undefined],
  ['writer thread', sharedThreadFileWriter],
];

const text = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : new TextDecoder().decode(bytes));

describe.each(WRITERS)('writes (%s)', (_name, writer) => {
  it('replaces run.json and everything under report/ atomically (a new file), and rewrites results in place', async () => {
    // Prepare
    const folder = newRoot();
    const store = new LocalObjectStore(folder, { writer: writer() });
    const keys = ['run.json', 'report/report.html', 'report/incidents/a.html', 'docs/a/summary.json'];
    for (const key of keys) await store.put(key, 'first');
    const before = await Promise.all(keys.map(async (key) => (await stat(path.join(folder, key))).ino));

    // Act
    for (const key of keys) await store.put(key, 'second');
    const after = await Promise.all(keys.map(async (key) => (await stat(path.join(folder, key))).ino));

    // Assess
    expect(after.map((inode, index) => inode === before[index])).toEqual([false, false, false, true]);
    for (const key of keys) expect(await readFile(path.join(folder, key), 'utf8')).toBe('second');
    expect((await readdir(path.join(folder, 'report'))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('makes a new folder once for many writes into it at the same time, and again after a delete removed it', async () => {
    // Prepare
    const folder = newRoot();
    const store = new LocalObjectStore(folder, { writer: writer() });
    const keys = Array.from({ length: 20 }, (_, index) => `docs/new/digests/t${index}.json`);

    // Act
    await Promise.all(keys.map((key) => store.put(key, key)));
    await store.delete(keys);
    await store.put('docs/new/digests/again.json', 'again');

    // Assess
    expect(await store.list('docs/')).toEqual(['docs/new/digests/again.json']);
  });
  it('is on disk when put resolves, with no temporary file left, run.json and report/ included', async () => {
    // Prepare
    const folder = newRoot();
    const store = new LocalObjectStore(folder, { writer: writer() });
    const keys = ['run.json', 'report/report.html', 'docs/a/summary.json', 'cache/summarize/h.json'];

    // Act: each put is awaited alone, and read back with no other call in between.
    const onDisk: string[] = [];
    for (const key of keys) {
      await store.put(key, `body of ${key}`);
      onDisk.push(await readFile(path.join(folder, key), 'utf8'));
    }

    // Assess
    expect(onDisk).toEqual(keys.map((key) => `body of ${key}`));
    expect((await readdir(folder, { recursive: true })).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('rejects a write it cannot make, leaves no temporary file, and makes the folder on a later write', async () => {
    // Prepare: a file stands where the folder report/ must go.
    const folder = newRoot();
    const store = new LocalObjectStore(folder, { writer: writer() });
    await store.put('placeholder.json', '{}');
    await writeFile(path.join(folder, 'report'), 'not a folder');
    await writeFile(path.join(folder, 'docs'), 'not a folder');

    // Act
    const atomic = await store.put('report/report.html', 'page').then(
      () => 'written',
      (error: NodeJS.ErrnoException) => error.code,
    );
    const inPlace = await store.put('docs/a/summary.json', '{}').then(
      () => 'written',
      (error: NodeJS.ErrnoException) => error.code,
    );
    await rm(path.join(folder, 'report'));
    await store.put('report/report.html', 'page');

    // Assess
    // Node reports the file in the way as EEXIST or ENOTDIR, by version: either way, no write.
    expect([atomic, inPlace]).toEqual([
      expect.stringMatching(/^(EEXIST|ENOTDIR)$/),
      expect.stringMatching(/^(EEXIST|ENOTDIR)$/),
    ]);
    expect(await readFile(path.join(folder, 'report', 'report.html'), 'utf8')).toBe('page');
    expect((await readdir(folder, { recursive: true })).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('rejects a rename that fails and removes its temporary file', async () => {
    // Prepare: a folder stands where the file run.json must go.
    const folder = newRoot();
    const store = new LocalObjectStore(folder, { writer: writer() });
    await store.put('placeholder.json', '{}');
    await mkdir(path.join(folder, 'run.json', 'inside'), { recursive: true });

    // Act
    const outcome = await store.put('run.json', '{}').then(
      () => 'written',
      (error: NodeJS.ErrnoException) => error.code,
    );

    // Assess
    expect(outcome).not.toBe('written');
    expect((await readdir(folder)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

describe.each(WRITERS)('the read cache (%s)', (_name, writer) => {
  const cached = { readCache: { keys: isDocumentKey, maxBytes: 1024 }, writer: writer() };

  it('answers a read of a document it wrote from memory, and other keys from the file', async () => {
    // Prepare
    const folder = newRoot();
    const store = new LocalObjectStore(folder, cached);
    await store.put('docs/a/document.json', 'written');
    await store.put('docs/a/summary.json', 'written');
    // Changed behind the store's back: only a read of the file sees it.
    await writeFile(path.join(folder, 'docs/a/document.json'), 'on disk');
    await writeFile(path.join(folder, 'docs/a/summary.json'), 'on disk');

    // Act
    const document = text(await store.get('docs/a/document.json'));
    const summary = text(await store.get('docs/a/summary.json'));

    // Assess
    expect(document).toBe('written');
    expect(summary).toBe('on disk');
  });

  it('hands out a copy, keeps a copy of a caller’s array, and forgets a deleted document', async () => {
    // Prepare
    const folder = newRoot();
    const store = new LocalObjectStore(folder, cached);
    const body = new TextEncoder().encode('abc');
    await store.put('docs/a/document.json', body);
    body[0] = 'x'.charCodeAt(0);

    // Act
    const first = await store.get('docs/a/document.json');
    first?.fill(0);
    const second = text(await store.get('docs/a/document.json'));
    await store.delete(['docs/a/document.json']);
    const deleted = await store.get('docs/a/document.json');

    // Assess
    expect(second).toBe('abc');
    expect(deleted).toBeUndefined();
  });

  it('lets the oldest documents go once the kept bytes pass the limit', async () => {
    // Prepare: three documents of 400 bytes under a 1,024-byte limit.
    const folder = newRoot();
    const store = new LocalObjectStore(folder, cached);
    for (const id of ['a', 'b', 'c']) await store.put(`docs/${id}/document.json`, id.repeat(400));
    for (const id of ['a', 'b', 'c']) await writeFile(path.join(folder, `docs/${id}/document.json`), 'on disk');

    // Act
    const read = await Promise.all(
      ['a', 'b', 'c'].map(async (id) => text(await store.get(`docs/${id}/document.json`))),
    );

    // Assess
    expect(read).toEqual(['on disk', 'b'.repeat(400), 'c'.repeat(400)]);
  });

  it('keeps nothing without the option', async () => {
    // Prepare
    const folder = newRoot();
    const store = new LocalObjectStore(folder, { writer: writer() });
    await store.put('docs/a/document.json', 'written');
    await writeFile(path.join(folder, 'docs/a/document.json'), 'on disk');

    // Act
    const read = text(await store.get('docs/a/document.json'));

    // Assess
    expect(read).toBe('on disk');
  });
});

describe('the writer thread', () => {
  it('answers a read of a key whose write is under way with its bytes, not with a caller’s later change', async () => {
    // Prepare
    const folder = newRoot();
    const writer = new ThreadFileWriter();
    await writer.ready();
    const store = new LocalObjectStore(folder, { writer });
    const body = new TextEncoder().encode('first');

    // Act: the read comes before the thread has answered.
    const writing = store.put('cache/a.json', body);
    body[0] = 'F'.charCodeAt(0);
    const during = text(await store.get('cache/a.json'));
    await writing;

    // Assess
    expect(writer.onThread).toBe(true);
    expect(during).toBe('first');
    expect(await readFile(path.join(folder, 'cache/a.json'), 'utf8')).toBe('first');
  });

  it('removes a key whose write was under way when the delete came, and writes into the folder again', async () => {
    // Prepare
    const folder = newRoot();
    const writer = new ThreadFileWriter();
    await writer.ready();
    const store = new LocalObjectStore(folder, { writer });

    // Act
    const writing = store.put('docs/a/summary.json', '{}');
    await store.delete(['docs/a/summary.json']);
    await writing;
    await store.put('docs/a/again.json', '{}');

    // Assess
    expect(await store.list('docs/')).toEqual(['docs/a/again.json']);
  });

  it('writes here what a thread that died had not answered, and every later write too', async () => {
    // Prepare
    const folder = newRoot();
    const writer = new ThreadFileWriter();
    await writer.ready();
    const store = new LocalObjectStore(folder, { writer });
    const keys = Array.from({ length: 50 }, (_, index) => `docs/d${index % 5}/n${index}.json`);

    // Act: the thread is stopped with the writes just sent.
    const writing = Promise.all(keys.map((key) => store.put(key, key)));
    await writer.stopThread();
    await writing;
    await store.put('run.json', 'after');

    // Assess
    expect(writer.onThread).toBe(false);
    expect(await store.list('')).toEqual([...keys, 'run.json'].sort());
    for (const key of keys) expect(await readFile(path.join(folder, key), 'utf8')).toBe(key);
  });

  it('rejects with the file system’s error as an inline write does: code, call and path', async () => {
    // Prepare: a file stands where the folder docs/ must go.
    const folder = newRoot();
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'docs'), 'not a folder');
    const failure = (writer: FileWriter | undefined) =>
      new LocalObjectStore(folder, { writer }).put('docs/a/summary.json', '{}').then(
        () => undefined,
        ({ code, syscall, path: where, message }: NodeJS.ErrnoException) => ({ code, syscall, where, message }),
      );

    // Act
    const inline = await failure(undefined);
    const threadWriter = new ThreadFileWriter();
    await threadWriter.ready();
    const onThread = await failure(threadWriter);

    // Assess
    expect(inline).toEqual({
      code: expect.any(String),
      syscall: expect.any(String),
      where: expect.any(String),
      message: expect.any(String),
    });
    expect(onThread).toEqual(inline);
  });

  it('writes here while the thread starts, and hands writes to it once it runs, with no turn of the event loop', async () => {
    // Prepare
    const folder = newRoot();
    const writer = new ThreadFileWriter();
    const store = new LocalObjectStore(folder, { writer });

    // Act: the first write starts the thread and is done at once, before any await.
    const first = store.put('docs/a/first.json', 'first');
    const writtenAtOnce = existsSync(path.join(folder, 'docs/a/first.json'));
    // Then this thread blocks, never turning the event loop, until the thread says it runs.
    const pause = new Int32Array(new SharedArrayBuffer(4));
    const deadline = Date.now() + 20_000;
    while (!writer.running && Date.now() < deadline) Atomics.wait(pause, 0, 0, 10);
    const runningWithoutTurn = writer.running;
    await first;
    await store.put('docs/a/second.json', 'second');

    // Assess
    expect(writtenAtOnce).toBe(true);
    expect(runningWithoutTurn).toBe(true);
    expect(writer.onThread).toBe(true);
    expect(await readFile(path.join(folder, 'docs/a/second.json'), 'utf8')).toBe('second');
  });

  it('does not hold the process open once its writes are done', () => {
    // Prepare: a process that writes one file through the thread and then has nothing left to do.
    const folder = newRoot();
    const script = [
      `import { LocalObjectStore } from ${JSON.stringify(path.resolve('src/store/local-object-store.ts'))};`,
      `import { ThreadFileWriter } from ${JSON.stringify(path.resolve('src/store/file-writer.ts'))};`,
      'const writer = new ThreadFileWriter();',
      `await new LocalObjectStore(${JSON.stringify(folder)}, { writer }).put('run.json', 'done');`,
      'if (!writer.onThread) throw new Error("written inline, not on the thread");',
    ].join('\n');

    // Act: it must end by itself (a writer holding it open would run into the timeout).
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      timeout: 30_000,
      encoding: 'utf8',
    });

    // Assess
    expect({ status: child.status, signal: child.signal, stderr: child.stderr }).toEqual({
      status: 0,
      signal: null,
      stderr: '',
    });
    expect(existsSync(path.join(folder, 'run.json'))).toBe(true);
  });
});

describe('isDocumentKey', () => {
  it('is true of a document as the report shows it, and of nothing else', () => {
    expect(isDocumentKey('docs/a-0123456789/document.json')).toBe(true);
    expect(isDocumentKey('docs/a/summary.json')).toBe(false);
    expect(isDocumentKey('docs/a/digests/document.json')).toBe(false);
    expect(isDocumentKey('report/document.json')).toBe(false);
    expect(isDocumentKey('docs/document.json')).toBe(false);
  });
});
