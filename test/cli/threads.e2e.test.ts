/**
 * `pmlens analyze --threads`: the offline engine on worker threads through the real entry point
 * (bin/pmlens.js). The process ends on its own once the run is done, and the outputs are those of
 * the inline engine (--threads 0), timestamps, run ids and timings aside. 300 documents make
 * enough stage calls (about 1,100) for the workers to start and take over (the pool answers the
 * first 256 calls inline).
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/corpus.ts';
import { RunRecord } from '../../src/schemas/index.ts';
import { runCli, type CliResult } from '../support/cli.ts';
import { comparable, filesOf } from '../support/run-output.ts';

const DOCUMENTS = 300;

describe('pmlens analyze --threads', () => {
  let root: string;
  let input: string;
  let pooled: CliResult;
  let inline: CliResult;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'pmlens-e2e-threads-'));
    input = path.join(root, 'input');
    for (const file of generateCorpus(DOCUMENTS)) {
      await mkdir(path.dirname(path.join(input, file.path)), { recursive: true });
      await writeFile(path.join(input, file.path), file.content);
    }
    pooled = await runCli(['analyze', input, '--out', path.join(root, 'pooled'), '--threads', '1', '--quiet']);
    inline = await runCli(['analyze', input, '--out', path.join(root, 'inline'), '--threads', '0', '--quiet']);
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('exits by itself, 0, with every document analysed', async () => {
    // Prepare
    const runFile = path.join(root, 'pooled', 'run.json');

    // Act
    const record = RunRecord.parse(JSON.parse(await readFile(runFile, 'utf8')));

    // Assess
    expect(pooled.stderr).toBe('');
    expect(pooled.code).toBe(0);
    expect(record.counts.succeeded).toBe(DOCUMENTS);
    expect(record.engine).toEqual({ id: 'offline', model: 'extractive', version: expect.any(String) });
  });

  it('writes the same files as --threads 0, byte for byte but for timestamps, run ids and timings', async () => {
    // Prepare
    const pooledOut = path.join(root, 'pooled');
    const inlineOut = path.join(root, 'inline');

    // Act
    const pooledFiles = await filesOf(pooledOut);
    const inlineFiles = await filesOf(inlineOut);

    // Assess
    expect(inline.code).toBe(0);
    expect([...pooledFiles.keys()].sort()).toEqual([...inlineFiles.keys()].sort());
    expect(pooledFiles.size).toBeGreaterThan(5 * DOCUMENTS);
    for (const [file, text] of inlineFiles)
      expect(comparable(pooledFiles.get(file) ?? '', pooledOut), file).toBe(comparable(text, inlineOut));
  });

  it('refuses a thread count that is not a whole number from 0 to 64', async () => {
    // Prepare
    const args = ['analyze', input, '--out', path.join(root, 'refused'), '--threads', '-2'];

    // Act
    const result = await runCli(args);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--threads.*expected a whole number from 0 to 64/);
  });
});
