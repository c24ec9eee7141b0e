/**
 * `pmlens analyze --threads`: the offline engine on worker threads through the real entry point
 * (bin/pmlens.js). The process ends on its own once the run is done, and the outputs are those of
 * the inline engine (--threads 0), timestamps, run ids and timings aside. 300 documents make
 * enough stage calls (about 1,100) for the workers to start and take over (the pool answers the
 * first 256 calls inline).
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/corpus.ts';
import { RunRecord } from '../../src/schemas/index.ts';
import { runCli, type CliResult } from '../support/cli.ts';

const DOCUMENTS = 300;

async function filesOf(folder: string): Promise<Map<string, string>> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files = new Map<string, string>();
  for (const entry of entries.filter((candidate) => candidate.isFile())) {
    const file = path.join(entry.parentPath, entry.name);
    files.set(path.relative(folder, file), await readFile(file, 'utf8'));
  }
  return files;
}

function comparable(text: string, out: string): string {
  return text
    .split(out)
    .join('<out>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, '<time>')
    .replace(/\d{8}T\d{6}-[0-9a-f]{8}/g, '<run>')
    .replace(/"(\w*[mM]illis)": ?[\d.]+/g, '"$1": <millis>')
    .replace(/"expiresAt": ?\d+/g, '"expiresAt": <time>')
    .replace(/"secret": ?"[0-9a-f]{64}"/g, '"secret": <secret>')
    .replace(/in [\d.]+ s with/g, 'in <seconds> s with');
}

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
