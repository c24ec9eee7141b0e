/**
 * The offline engine on worker threads (src/engines/offline/worker-pool.ts) against the inline
 * engine: the same local runs write the same bytes (timestamps, run ids and timings aside), a
 * stage that throws in a worker is the same recorded failure as inline, errors keep their class,
 * message and properties across the thread boundary, and a pool never keeps the process alive.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog, type LoadedCatalog } from '../../src/catalog/index.ts';
import type { Engine } from '../../src/engines/engine.ts';
import { createOfflineEngine } from '../../src/engines/offline/index.ts';
import {
  createOfflineWorkerPool,
  threadsPerCore,
  type PooledEngine,
  deserializeError,
  serializeError,
  threadsSetting,
  workerExecArgv,
} from '../../src/engines/offline/worker-pool.ts';
import { safeMessageOf, StageError } from '../../src/errors.ts';
import { runLocal } from '../../src/pipeline/run-local.ts';
import { documentIdOf } from '../../src/run/identity.ts';
import { REPO_ROOT, repoPath } from '../support/postmortems.ts';
import { comparable, filesOf } from '../support/run-output.ts';

const CASES = repoPath('golden', 'cases');

/** A copy of the offline engine that breaks one document's classify input, so the engine throws for it. */
function breakingClassify(engine: Engine, docId: string): Engine {
  return {
    descriptor: engine.descriptor,
    summarize: (postmortem) => engine.summarize(postmortem),
    classify: (input) =>
      engine.classify(
        input.postmortem.id === docId
          ? { ...input, postmortem: { ...input.postmortem, sections: null as never } }
          : input,
      ),
    analyze: (input) => engine.analyze(input),
    foldPatterns: (input) => engine.foldPatterns(input),
    describeOpportunities: (input) => engine.describeOpportunities(input),
  };
}

describe('the offline engine on worker threads', () => {
  let catalog: LoadedCatalog;
  let input: string;
  const folders: string[] = [];

  async function folder(prefix: string): Promise<string> {
    const created = await mkdtemp(path.join(os.tmpdir(), prefix));
    folders.push(created);
    return created;
  }

  beforeAll(async () => {
    catalog = await loadCatalog();
    input = await folder('pmlens-pool-in-');
    await cp(CASES, input, { recursive: true });
    // Sources ingest refuses, whose skip must be recorded the same way when a worker parses them.
    await writeFile(path.join(input, 'empty.md'), '');
    await writeFile(path.join(input, 'binary.txt'), Buffer.from([0, 159, 146, 150, 0, 1, 2, 3]));
  });

  afterAll(async () => {
    await Promise.all(folders.map((created) => rm(created, { recursive: true, force: true })));
  });

  it('writes every output file byte for byte as the inline engine does', async () => {
    // Prepare
    const inlineOut = await folder('pmlens-pool-inline-');
    const pooledOut = await folder('pmlens-pool-pooled-');
    const pool = createOfflineWorkerPool(catalog.catalog, { threads: 2, inlineWhileStarting: false });

    // Act
    const inline = await runLocal({
      inputDir: input,
      outDir: inlineOut,
      engine: createOfflineEngine(catalog.catalog),
      catalog,
      concurrency: 4,
    });
    let pooled: Awaited<ReturnType<typeof runLocal>>;
    try {
      pooled = await runLocal({
        inputDir: input,
        outDir: pooledOut,
        engine: pool,
        ingest: pool.ingest,
        catalog,
        concurrency: 4,
      });
    } finally {
      await pool.close();
    }
    const inlineFiles = await filesOf(inlineOut);
    const pooledFiles = await filesOf(pooledOut);

    // Assess
    expect(pool.counts().inline).toBe(0);
    // Each source's ingest, and each analysed document's summarize and classify, at least.
    expect(pool.counts().worker).toBeGreaterThanOrEqual(3 * inline.record.counts.succeeded + 2);
    expect(pooled.record.counts).toEqual(inline.record.counts);
    expect(inline.record.counts.succeeded).toBeGreaterThan(40);
    expect(inline.record.skipped.map((skipped) => skipped.path).sort()).toEqual(['binary.txt', 'empty.md']);
    expect(pooled.record.skipped).toEqual(inline.record.skipped);
    expect([...pooledFiles.keys()].sort()).toEqual([...inlineFiles.keys()].sort());
    expect(inlineFiles.size).toBeGreaterThan(5 * inline.record.counts.succeeded);
    for (const [file, text] of inlineFiles)
      expect(comparable(pooledFiles.get(file) ?? '', pooledOut), file).toBe(comparable(text, inlineOut));
  });

  it('records a stage that throws in a worker as the same failed outcome as inline', async () => {
    // Prepare
    const docId = documentIdOf('a-pg-conn-exhaustion.md');
    const pool = createOfflineWorkerPool(catalog.catalog, { threads: 1, inlineWhileStarting: false });
    const run = async (engine: Engine, ingest?: PooledEngine['ingest']) =>
      (
        await runLocal({
          inputDir: input,
          outDir: await folder('pmlens-pool-fail-'),
          engine,
          catalog,
          concurrency: 4,
          ...(ingest ? { ingest } : {}),
        })
      ).record;

    // Act
    const inline = await run(breakingClassify(createOfflineEngine(catalog.catalog), docId));
    let pooled: Awaited<ReturnType<typeof run>>;
    try {
      pooled = await run(breakingClassify(pool, docId), pool.ingest);
    } finally {
      await pool.close();
    }

    // Assess
    expect(inline.failed).toHaveLength(1);
    expect(inline.failed[0]).toMatchObject({ docId, stage: 'classify' });
    expect(pooled.failed).toEqual(inline.failed);
    expect(pooled.counts).toEqual(inline.counts);
    expect(pool.counts().worker).toBeGreaterThan(0);
  });

  it('rejects a call that throws in a worker with the error the inline engine throws', async () => {
    // Prepare
    const pool = createOfflineWorkerPool(catalog.catalog, { threads: 1, inlineWhileStarting: false });
    const inline = createOfflineEngine(catalog.catalog);
    const capture = (call: () => Promise<unknown>) =>
      Promise.resolve()
        .then(call)
        .then(
          () => undefined,
          (error: unknown) => error,
        );

    // Act
    const expected = await capture(() => inline.summarize(null as never));
    const actual = await capture(() => pool.summarize(null as never));
    await pool.close();
    const afterClose = await capture(() => pool.summarize(null as never));

    // Assess
    expect(expected).toBeInstanceOf(TypeError);
    expect(actual).toBeInstanceOf(TypeError);
    expect((actual as Error).message).toBe((expected as Error).message);
    expect(safeMessageOf(actual)).toBe(safeMessageOf(expected));
    expect((afterClose as Error).message).toMatch(/closed/);
  });

  it('carries an error across threads with its class, code, cause and own properties', () => {
    // Prepare
    const cause = new SyntaxError('Unexpected token in JSON');
    const stageError = new StageError('analyze', 'doc#Redis', 'bad reply', { cause });
    const plain = Object.assign(new RangeError('too deep'), { usage: { calls: 1 } });

    // Act
    const [stage, range] = [stageError, plain].map((error) => deserializeError(structuredClone(serializeError(error))));

    // Assess
    expect(stage).toBeInstanceOf(StageError);
    expect(stage).toMatchObject({ stage: 'analyze', subject: 'doc#Redis', reason: 'bad reply', code: 'json-syntax' });
    expect((stage as StageError).cause).toBeInstanceOf(SyntaxError);
    expect(safeMessageOf(stage)).toBe(safeMessageOf(stageError));
    expect(range).toBeInstanceOf(RangeError);
    expect(range).toMatchObject({ message: 'too deep', usage: { calls: 1 } });
  });

  it('answers inline until a worker is ready, and then on the workers', async () => {
    // Prepare
    const pool = createOfflineWorkerPool(catalog.catalog, { threads: 1, startAfterCalls: 2 });
    const postmortem = (await import('../support/postmortems.ts')).ingestInline(
      '# Outage\n\nPostgres ran out of connections and the API failed for an hour.\n',
      'outage.md',
    );
    const expected = await createOfflineEngine(catalog.catalog).summarize(postmortem);

    // Act
    const answers = [];
    try {
      for (let attempt = 0; attempt < 200 && pool.counts().worker === 0; attempt++) {
        answers.push(await pool.summarize(postmortem));
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      answers.push(await pool.summarize(postmortem));
    } finally {
      await pool.close();
    }

    // Assess
    expect(pool.counts().inline).toBeGreaterThanOrEqual(2);
    expect(pool.counts().worker).toBeGreaterThan(0);
    for (const answer of answers) expect(answer).toEqual(expected);
  });

  it('never keeps the process alive: a script that does not close its pool still exits', async () => {
    // Prepare
    const scriptFolder = await folder('pmlens-pool-script-');
    const script = path.join(scriptFolder, 'idle-pool.mts');
    const source = (file: string) => JSON.stringify(pathToFileURL(repoPath(...file.split('/'))).href);
    await writeFile(
      script,
      [
        `import { loadCatalog } from ${source('src/catalog/index.ts')};`,
        `import { createOfflineWorkerPool } from ${source('src/engines/offline/worker-pool.ts')};`,
        'const pool = createOfflineWorkerPool((await loadCatalog()).catalog, { threads: 1, inlineWhileStarting: false });',
        'const { output } = await pool.describeOpportunities({ patterns: [] });',
        'console.log(`answered ${JSON.stringify(output)} by ${pool.counts().worker} worker call`);',
        '',
      ].join('\n'),
    );

    // Act: the way `npx tsx` runs a script (tsx's loader in execArgv, which the workers do not inherit)
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        ['--import', 'tsx', script],
        { cwd: REPO_ROOT, timeout: 30_000 },
        (error, stdout, stderr) => resolve({ code: child.exitCode ?? (error ? 1 : 0), stdout, stderr }),
      );
    });

    // Assess
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('answered [] by 1 worker call');
    expect(result.code).toBe(0);
  });

  it('drops only tsx loaders and --eval from the options workers start with', () => {
    // Prepare
    const execArgv = [
      '--require',
      '/repo/node_modules/tsx/dist/preflight.cjs',
      '--import',
      'file:///repo/node_modules/tsx/dist/loader.mjs',
      '--import=tsx',
      '--max-old-space-size=512',
      '--import',
      './other-hooks.mjs',
      '--eval',
      'console.log(1)',
      '--cpu-prof',
    ];

    // Act
    const kept = workerExecArgv(execArgv);

    // Assess
    expect(kept).toEqual(['--max-old-space-size=512', '--import', './other-hooks.mjs', '--cpu-prof']);
  });

  it('defaults to one thread per core but one, and reads --threads and PMLENS_THREADS as whole numbers', () => {
    // Prepare
    const values = ['3', ' 0 ', '', undefined];

    // Act
    const read = values.map((value) => threadsSetting(value, 'PMLENS_THREADS'));

    // Assess
    expect(read).toEqual([3, 0, undefined, undefined]);
    expect(() => threadsSetting('-1', 'PMLENS_THREADS')).toThrow(/PMLENS_THREADS must be a whole number/);
    expect(() => threadsSetting('two', '--threads')).toThrow(/--threads must be a whole number/);
    expect(threadsSetting('auto', '--threads')).toBe(threadsPerCore());
    expect(threadsPerCore(1)).toBe(0);
    expect(threadsPerCore(2)).toBe(1);
    expect(threadsPerCore(8)).toBe(7);
  });
});
