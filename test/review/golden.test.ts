import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors.ts';
import { loadLabels } from '../../src/eval/labels.ts';
import { promoteToGolden } from '../../src/review/golden.ts';
import { reviewCandidates, type ReviewItem } from '../../src/review/queue.ts';
import type { ReportData } from '../../src/schemas/index.ts';
import { openLocalStateStore } from '../../src/store/open-state.ts';
import { runCli } from '../support/cli.ts';
import { riskyReport, vote } from './fixture.ts';

const SOURCE = `# Checkout outage

## Root cause

Postgres refused new connections once the pool was capped at 20 connections. Redis timed out as a consequence.
Backups in S3 were not involved.
`;

let root: string;
let outDir: string;
let sourceDir: string;
let goldenDir: string;
let report: ReportData;

function itemOf(field: string, hashes: Map<string, string>): ReviewItem {
  const item = reviewCandidates(report, hashes).find(
    (candidate) => candidate.docId === 'pg-pool' && candidate.field === field,
  );
  if (!item) throw new Error(`no item ${field}`);
  return item;
}

async function currentHashes(): Promise<Map<string, string>> {
  return new Map([
    [
      'pg-pool',
      createHash('sha256')
        .update(await readFile(path.join(sourceDir, 'incidents', 'pg-pool.md')))
        .digest('hex'),
    ],
  ]);
}

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'review-golden-'));
  outDir = path.join(root, 'out');
  sourceDir = path.join(root, 'in');
  goldenDir = path.join(root, 'golden');
  report = riskyReport();
  report.documents = report.documents.map((document) =>
    document.docId === 'pg-pool' ? { ...document, sourcePath: 'incidents/pg-pool.md' } : document,
  );
  await mkdir(path.join(outDir, 'report'), { recursive: true });
  await writeFile(path.join(outDir, 'report', 'report.json'), JSON.stringify(report));
  await writeFile(path.join(outDir, 'run.json'), JSON.stringify({ input: sourceDir, catalog: { path: null } }));
  await mkdir(path.join(sourceDir, 'incidents'), { recursive: true });
  await writeFile(path.join(sourceDir, 'incidents', 'pg-pool.md'), SOURCE);
  await mkdir(goldenDir, { recursive: true });
  // An existing label file without a final newline.
  await writeFile(
    path.join(goldenDir, 'labels.jsonl'),
    JSON.stringify({ id: 'old-case', file: 'cases/old-case.md', causal: [] }),
  );
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('promoteToGolden', () => {
  it('copies the source into cases/ and appends a label with the corrected causes', async () => {
    // Prepare
    const item = itemOf('causal:Redis', await currentHashes());
    const correction = vote({
      itemId: item.id,
      docId: 'pg-pool',
      stage: 'classify',
      vote: 'edit',
      correction: 'postgres',
      reviewer: 'carol',
    });

    // Act
    const result = await promoteToGolden(item, correction, { outDir, sourceDir, goldenDir });

    // Assess
    expect(result.caseFile).toBe(path.join(goldenDir, 'cases', 'pg-pool.md'));
    expect(await readFile(result.caseFile, 'utf8')).toBe(SOURCE);
    const lines = (await readFile(path.join(goldenDir, 'labels.jsonl'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(2);
    const label = JSON.parse(lines[1] ?? '') as Record<string, unknown>;
    expect(label).toMatchObject({
      id: 'pg-pool',
      file: 'cases/pg-pool.md',
      causal: ['PostgreSQL'],
      mentionedOnly: ['Redis', 'S3'],
      lenient: false,
      style: 'review',
    });
    expect(label.note).toContain(`promoted from review item ${item.id} (causal:Redis, edit by carol`);
    const labels = await loadLabels(goldenDir);
    expect(labels.map((entry) => [entry.id, entry.causal])).toEqual([
      ['old-case', []],
      ['pg-pool', ['PostgreSQL']],
    ]);
  });

  it('refuses a case already in the golden set', async () => {
    // Prepare
    const item = itemOf('causal:Redis', await currentHashes());
    const correction = vote({ itemId: item.id, stage: 'classify', vote: 'down', correction: 'PostgreSQL, Redis' });
    await promoteToGolden(item, correction, { outDir, sourceDir, goldenDir });

    // Act
    const again = promoteToGolden(item, correction, { outDir, sourceDir, goldenDir });

    // Assess
    await expect(again).rejects.toThrow(ConfigurationError);
    await expect(again).rejects.toThrow('golden case "pg-pool" is already labelled');
    expect((await readFile(path.join(goldenDir, 'labels.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(2);
  });

  it('refuses names outside the catalog, non-classify items, votes without a correction and a changed source', async () => {
    // Prepare
    const hashes = await currentHashes();
    const classify = itemOf('causal:Redis', hashes);
    const summary = itemOf('issue', hashes);
    const options = { outDir, sourceDir, goldenDir };

    // Act & Assess
    await expect(
      promoteToGolden(classify, vote({ itemId: classify.id, vote: 'edit', correction: 'Postgres, Oracle' }), options),
    ).rejects.toThrow('the correction names "Oracle", not in the catalog');
    await expect(
      promoteToGolden(summary, vote({ itemId: summary.id, vote: 'edit', correction: 'x' }), options),
    ).rejects.toThrow('only classify items can become golden cases');
    await expect(promoteToGolden(classify, vote({ itemId: classify.id, vote: 'up' }), options)).rejects.toThrow(
      'no downvote or edit with a correction',
    );
    await expect(
      promoteToGolden(classify, vote({ itemId: 'other', vote: 'edit', correction: 'Redis' }), options),
    ).rejects.toThrow('the vote is for item other');
    await writeFile(path.join(sourceDir, 'incidents', 'pg-pool.md'), `${SOURCE}\nEdited later.\n`);
    await expect(
      promoteToGolden(classify, vote({ itemId: classify.id, vote: 'edit', correction: 'Redis' }), options),
    ).rejects.toThrow('changed since item');
    expect((await readFile(path.join(goldenDir, 'labels.jsonl'), 'utf8')).split('\n')).toHaveLength(1);
  });

  it('runs from the CLI: `pmlens review --promote <item id prefix> --golden <dir>` takes the latest correction', async () => {
    // Prepare
    const item = itemOf('causal:Redis', await currentHashes());
    const store = await openLocalStateStore(outDir);
    await store.putVote(
      vote({
        itemId: item.id,
        docId: 'pg-pool',
        stage: 'classify',
        vote: 'edit',
        correction: 'Redis',
        reviewer: 'early',
      }),
    );
    await store.putVote(
      vote({
        itemId: item.id,
        docId: 'pg-pool',
        stage: 'classify',
        vote: 'edit',
        correction: 'PostgreSQL',
        reviewer: 'late',
      }),
    );
    await store.putVote(vote({ itemId: item.id, docId: 'pg-pool', stage: 'classify', vote: 'up', reviewer: 'later' }));
    await store.flush();

    // Act
    const result = await runCli(['review', '--out', outDir, '--promote', item.id.slice(0, 8), '--golden', goldenDir]);
    const missing = await runCli(['review', '--out', outDir, '--promote', 'ffffffffffffffff', '--golden', goldenDir]);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `golden case pg-pool: ${path.join(goldenDir, 'cases', 'pg-pool.md')}\n  causal: PostgreSQL;`,
    );
    expect((await loadLabels(goldenDir)).map((entry) => [entry.id, entry.causal])).toEqual([
      ['old-case', []],
      ['pg-pool', ['PostgreSQL']],
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no item ffffffffffffffff in the current report');
  });
});
