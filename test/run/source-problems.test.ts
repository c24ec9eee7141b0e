/**
 * Entries of the input folder that are not analysed (hidden, links to nothing or to their own
 * folder, pipes, unsupported types) reach the corpus index, run.json and the report as skipped
 * sources with their code and reason, run after run, and leave it when they are fixed.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/index.ts';
import { createOfflineEngine } from '../../src/engines/offline/index.ts';
import { ConfigurationError } from '../../src/errors.ts';
import { runLocal, type LocalRunOptions } from '../../src/pipeline/run-local.ts';
import { documentIdOf } from '../../src/run/identity.ts';
import { FolderSources, isOutdatedSkip, StoreSources, surveySources } from '../../src/run/sources.ts';
import { MemoryItemTable } from '../../src/store/item-table.ts';
import { MemoryObjectStore } from '../../src/store/memory-object-store.ts';
import { StateStore } from '../../src/store/state-store.ts';
import { repoPath } from '../support/postmortems.ts';
import { buildDocx } from '../ingest/docx-writer.ts';

const cases = repoPath('golden', 'cases');

describe('listing problems in the corpus index', () => {
  let base: string;
  let input: string;
  let out: string;

  beforeEach(async () => {
    base = await mkdtemp(path.join(os.tmpdir(), 'pmlens-problems-'));
    input = path.join(base, 'in');
    out = path.join(input, 'out');
    await mkdir(input);
    for (const file of ['a-pg-conn-exhaustion.md', 'a-dns-ttl.txt'])
      await cp(path.join(cases, file), path.join(input, file));
  });

  afterEach(async () => {
    await rm(base, { recursive: true, force: true });
  });

  async function run(overrides: Partial<LocalRunOptions> = {}) {
    const catalog = await loadCatalog();
    return runLocal({
      inputDir: input,
      outDir: out,
      engine: createOfflineEngine(catalog.catalog),
      catalog,
      concurrency: 2,
      ...overrides,
    });
  }

  it('records hidden files, loops, dangling links and pipes as skipped in run.json and the report, the same on every run', async () => {
    // Prepare
    await writeFile(path.join(input, '.notes.md'), '# private');
    await symlink(input, path.join(input, 'loop'));
    await symlink(path.join(base, 'gone.md'), path.join(input, 'gone.md'));
    execFileSync('mkfifo', [path.join(input, 'pipe.md')]);

    // Act
    const first = await run();
    const second = await run();

    // Assess
    const expected = [
      ['.notes.md', 'hidden'],
      ['gone.md', 'unreadable'],
      ['loop/', 'symlink-loop'],
      ['pipe.md', 'not-a-file'],
    ];
    for (const result of [first, second]) {
      expect(result.record.skipped.map((skipped) => [skipped.path, skipped.code])).toEqual(expected);
      expect(result.report.skipped.map((skipped) => [skipped.path, skipped.code])).toEqual(expected);
      expect(result.record.counts).toMatchObject({ discovered: 2, succeeded: 2, skipped: 4 });
    }
    expect(second.record.changes).toEqual({ work: 0, unchanged: 2, deleted: 0 });
  });

  it('analyses an entry once it is fixed, and drops the documents of a file that became a problem', async () => {
    // Prepare
    await symlink(path.join(base, 'later.md'), path.join(input, 'later.md'));
    const first = await run();
    await cp(path.join(cases, 'a-s3-lifecycle.md'), path.join(base, 'later.md'));
    await rm(path.join(input, 'a-dns-ttl.txt'));
    execFileSync('mkfifo', [path.join(input, 'a-dns-ttl.txt')]);

    // Act
    const second = await run();

    // Assess
    expect(first.record.skipped.map((skipped) => skipped.path)).toEqual(['later.md']);
    expect(second.record.skipped).toEqual([
      { path: 'a-dns-ttl.txt', code: 'not-a-file', reason: 'a named pipe (FIFO): only regular files are read' },
    ]);
    expect(second.report.documents.map((document) => document.sourcePath).sort()).toEqual([
      'a-pg-conn-exhaustion.md',
      'later.md',
    ]);
    const folders = await readdir(path.join(out, 'docs'));
    expect(folders).not.toContain(documentIdOf('a-dns-ttl.txt'));
  });

  it("never reads its output folder, nor another run's, however often it runs inside the input", async () => {
    // Prepare
    const other = path.join(input, 'old-results');
    const counts: number[] = [];

    // Act
    counts.push((await run()).record.counts.discovered);
    await run({ outDir: other });
    counts.push((await run()).record.counts.discovered);
    const third = await run();
    counts.push(third.record.counts.discovered);

    // Assess
    expect(counts).toEqual([2, 2, 2]);
    expect(third.record.skipped).toEqual([
      {
        path: 'old-results/',
        code: 'output-folder',
        reason: expect.stringMatching(/output folder of postmortem-lens/),
      },
    ]);
  });

  it('refuses an empty input folder, and one whose every entry is left out, before writing anything', async () => {
    // Prepare
    await rm(path.join(input, 'a-pg-conn-exhaustion.md'));
    await rm(path.join(input, 'a-dns-ttl.txt'));

    // Act
    const empty = run().catch((error: unknown) => error);
    const emptyError = await empty;
    await writeFile(path.join(input, '.DS_Store'), 'x');
    const hiddenOnly = await run().catch((error: unknown) => error);

    // Assess
    expect(emptyError).toBeInstanceOf(ConfigurationError);
    expect((emptyError as Error).message).toBe(`the input folder ${input} holds no files to analyse`);
    expect(hiddenOnly).toBeInstanceOf(ConfigurationError);
    expect((hiddenOnly as Error).message).toMatch(/1 entry was left out: \.DS_Store \(hidden\)/);
    await expect(stat(out)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('puts metadata warnings in run.json, and refuses them before analysing anything with strict', async () => {
    // Prepare
    const metadata = new Map([
      ['a-pg-conn-exhaustion', { id: 'a-pg-conn-exhaustion', severity: 'SEV2' }],
      ['inc-unknown', { id: 'inc-unknown' }],
    ]);
    const options = {
      metadata,
      metadataFile: 'incidents.csv',
      metadataWarnings: ['incidents.csv row 3 (x): severity "SEVERE" is on no known scale'],
    };

    // Act
    const lenient = await run(options);
    await rm(out, { recursive: true, force: true });
    const strict = await run({ ...options, strict: true }).catch((error: unknown) => error);

    // Assess
    expect(lenient.record.metadata).toEqual({
      rows: 2,
      warnings: [
        'incidents.csv row 3 (x): severity "SEVERE" is on no known scale',
        'incidents.csv: id "inc-unknown" matches no document in the input folder',
      ],
    });
    expect(lenient.record.warnings).toContain(
      'metadata incidents.csv: id "inc-unknown" matches no document in the input folder',
    );
    expect(strict).toBeInstanceOf(ConfigurationError);
    expect((strict as Error).message).toMatch(/has 2 problems \(--strict\)/);
    await expect(stat(path.join(out, 'docs'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('plans again a file an older version skipped as an unsupported type', async () => {
    // Prepare
    await writeFile(
      path.join(input, 'exported.docx'),
      buildDocx([
        { style: 'Title', text: 'Queue outage' },
        { style: 'Heading1', text: 'Root cause' },
        { text: 'The RabbitMQ disk alarm blocked every publisher for an hour.' },
      ]),
    );
    const info = await stat(path.join(input, 'exported.docx'));
    const state = new StateStore(new MemoryItemTable());
    const docId = documentIdOf('exported.docx');
    const old = {
      docId,
      sourceKey: 'exported.docx',
      sourceVersion: `${info.size}:${Math.round(info.mtimeMs)}`,
      contentHash: null,
      fingerprint: 'older',
      status: 'skipped' as const,
      code: 'unsupported-extension' as const,
      reason: 'unsupported file type ".docx"',
      updatedAt: '2025-01-01T00:00:00.000Z',
    };
    await state.putCorpusEntry(old);

    // Act
    const result = await run({ state, store: new MemoryObjectStore() });

    // Assess
    expect(isOutdatedSkip(old)).toBe(true);
    expect(isOutdatedSkip({ ...old, code: 'empty' })).toBe(false);
    expect(result.record.skipped).toEqual([]);
    expect(result.report.documents.find((document) => document.docId === docId)?.title).toBe('Queue outage');
  });
});

describe('SourceStore.survey', () => {
  it("gives an object store's listing with no problems (a store without survey)", async () => {
    // Prepare
    const store = new MemoryObjectStore();
    await store.put('a.md', '# A');
    await store.put('folder/', '');

    // Act
    const listing = await surveySources(new StoreSources(store));

    // Assess
    expect(listing.problems).toEqual([]);
    expect(listing.objects.map((object) => object.key)).toEqual(['a.md']);
  });

  it("gives a folder's files with their versions and its problems; list() keeps the files only", async () => {
    // Prepare
    const folder = await mkdtemp(path.join(os.tmpdir(), 'pmlens-survey-'));
    await writeFile(path.join(folder, 'a.md'), '# A');
    await writeFile(path.join(folder, '.b.md'), '# B');
    const sources = new FolderSources(folder);

    // Act
    const listing = await sources.survey();
    const listed = await sources.list();
    await rm(folder, { recursive: true, force: true });

    // Assess
    expect(listing.objects).toEqual([{ key: 'a.md', version: expect.stringMatching(/^3:\d+$/) }]);
    expect(listing.problems.map((problem) => problem.code)).toEqual(['hidden']);
    expect(listed).toEqual(listing.objects);
  });
});
