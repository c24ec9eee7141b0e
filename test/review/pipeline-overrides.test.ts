import { createHash } from 'node:crypto';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { temporaryFolder } from '../support/temporary-folder.ts';
import { loadCatalog } from '../../src/catalog/index.ts';
import { createOfflineEngine } from '../../src/engines/offline/index.ts';
import { runLocal } from '../../src/pipeline/run-local.ts';
import { reviewItemId, type ReviewItem } from '../../src/review/queue.ts';
import type { ReportData } from '../../src/schemas/index.ts';
import { openLocalStateStore } from '../../src/store/open-state.ts';
import { documentIdOf } from '../../src/run/identity.ts';

const casesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../golden/cases');

describe('the review loop in the pipeline', () => {
  it("writes a review queue each run, and a reviewer's edit replaces the text in the report until the source changes", async () => {
    // Prepare
    const input = temporaryFolder('pmlens-review-in-');
    const out = temporaryFolder('pmlens-review-out-');
    await cp(path.join(casesDir, 'a-pg-conn-exhaustion.md'), path.join(input, 'pg.md'));
    await cp(path.join(casesDir, 'a-dns-ttl.txt'), path.join(input, 'dns.txt'));
    const catalog = await loadCatalog();
    const engine = createOfflineEngine(catalog.catalog);
    const run = () => runLocal({ inputDir: input, outDir: out, engine, catalog, concurrency: 2 });
    await run();
    const queue = JSON.parse(await readFile(path.join(out, 'review', 'queue.json'), 'utf8')) as ReviewItem[];
    // Any claim can be reviewed, sampled or not: the reviewer edits the issue of the pg document.
    const contentHash = createHash('sha256')
      .update(await readFile(path.join(input, 'pg.md')))
      .digest('hex');
    const pg = documentIdOf('pg.md');
    const itemId = reviewItemId(pg, 'summarize', 'issue', contentHash);
    const state = await openLocalStateStore(out);
    await state.putVote({
      itemId,
      reviewer: 'ana',
      vote: 'edit',
      stage: 'summarize',
      docId: pg,
      promptVersion: 'offline@3',
      model: 'extractive',
      at: new Date().toISOString(),
      correction: 'Bookings failed because Postgres ran out of connections.',
    });
    await state.flush();

    // Act
    const { report: edited } = await run();
    await writeFile(
      path.join(input, 'pg.md'),
      `${await readFile(path.join(input, 'pg.md'), 'utf8')}\n\nAddendum: numbers corrected after review.\n`,
    );
    const { report: afterChange } = await run();

    // Assess
    expect(Array.isArray(queue)).toBe(true);
    expect(queue.every((item) => item.reasons.length > 0)).toBe(true);
    const text = (report: ReportData): string =>
      JSON.stringify(report.documents.find((document) => document.docId === pg)?.summary);
    expect(text(edited)).toContain('Bookings failed because Postgres ran out of connections. [edited by ana]');
    expect(text(afterChange)).not.toContain('[edited by ana]');
    expect(edited.approval).toEqual([expect.objectContaining({ stage: 'summarize', down: 1 })]);
    expect(await readFile(path.join(out, 'report', 'report.md'), 'utf8')).toContain('Reviewer approval');
  });
});
