/**
 * The CLI's runs over a folder that changes between them: the corpus index decides what is work,
 * and docs/ always holds exactly the corpus's documents.
 */
import { cp, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryFolder } from '../support/temporary-folder.ts';
import { loadCatalog } from '../../src/catalog/index.ts';
import { createOfflineEngine } from '../../src/engines/offline/index.ts';
import { runLocal } from '../../src/pipeline/run-local.ts';
import { documentIdOf } from '../../src/run/identity.ts';
import { MemoryObjectStore } from '../../src/store/memory-object-store.ts';
import { repoPath } from '../support/postmortems.ts';

const cases = repoPath('golden', 'cases');

async function documentFolders(out: string): Promise<string[]> {
  return (await readdir(path.join(out, 'docs'), { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

describe('local runs over a changing folder', () => {
  it('processes only new, changed and failed documents, and docs/ holds exactly the corpus after deletions', async () => {
    // Prepare
    const input = temporaryFolder('pmlens-corpus-in-');
    const out = temporaryFolder('pmlens-corpus-out-');
    const catalog = await loadCatalog();
    const run = () =>
      runLocal({ inputDir: input, outDir: out, engine: createOfflineEngine(catalog.catalog), catalog, concurrency: 2 });
    for (const file of ['a-pg-conn-exhaustion.md', 'a-dns-ttl.txt', 'a-redis-eviction.html'])
      await cp(path.join(cases, file), path.join(input, file));

    // Act
    const first = await run();
    const second = await run();
    await rm(path.join(input, 'a-dns-ttl.txt'));
    await writeFile(
      path.join(input, 'a-redis-eviction.html'),
      '<html><body><h1>Cache outage</h1><p>Redis ran out of memory and rejected writes for an hour.</p></body></html>',
    );
    await cp(path.join(cases, 'a-s3-lifecycle.md'), path.join(input, 'new.md'));
    const third = await run();

    // Assess
    expect(first.record.changes).toEqual({ work: 3, unchanged: 0, deleted: 0 });
    expect(second.record.changes).toEqual({ work: 0, unchanged: 3, deleted: 0 });
    expect(second.record.cache.computations).toBe(0);
    for (const { record } of [first, second, third]) {
      // Ingest is the ingest step's own time, never the listing's: summed over documents, of which
      // two run at once (one lane's wait on a write is the other's work), so under twice the run's.
      expect(record.stages.ingest?.millis).toBeLessThan(2 * record.durationMillis);
      expect(record.stages.listing?.millis).toBeLessThanOrEqual(record.durationMillis);
    }
    expect(first.record.stages.ingest).toMatchObject({ computed: 3, cached: 0, failed: 0 });
    expect(second.record.stages.ingest).toMatchObject({ computed: 0, cached: 3, failed: 0 });
    expect(third.record.changes).toEqual({ work: 2, unchanged: 1, deleted: 1 });
    const expected = ['a-pg-conn-exhaustion.md', 'a-redis-eviction.html', 'new.md']
      .map((file) => documentIdOf(file))
      .sort();
    expect(await documentFolders(out)).toEqual(expected);
    expect(third.report.documents.map((document) => document.docId).sort()).toEqual(expected);
    expect((await readdir(path.join(out, 'docs'))).filter((name) => name.endsWith('.md')).sort()).toEqual(
      expected.map((id) => `${id}.md`),
    );
  });

  it('keeps stage results in one pack per run, from which a run that lost its index recomputes nothing', async () => {
    // Prepare
    const input = temporaryFolder('pmlens-corpus-in-');
    const out = temporaryFolder('pmlens-corpus-out-');
    const catalog = await loadCatalog();
    const run = () =>
      runLocal({ inputDir: input, outDir: out, engine: createOfflineEngine(catalog.catalog), catalog, concurrency: 2 });
    for (const file of ['a-pg-conn-exhaustion.md', 'a-redis-eviction.html'])
      await cp(path.join(cases, file), path.join(input, file));

    // Act
    const first = await run();
    // Without the corpus index every document is work again: its stage results come from the packs.
    await rm(path.join(out, 'state.json'));
    const second = await run();

    // Assess
    expect(first.record.cache.computations).toBeGreaterThanOrEqual(2 * 2);
    expect(second.record.changes).toEqual({ work: 2, unchanged: 0, deleted: 0 });
    expect(second.record.cache).toEqual({ hits: first.record.cache.computations, computations: 0 });
    expect(await readdir(path.join(out, 'cache'))).toEqual(['packs']);
    // The second run stored nothing new, so it opened no pack.
    expect(await readdir(path.join(out, 'cache', 'packs'))).toHaveLength(1);
    expect(second.report.documents.map((document) => document.classification)).toEqual(
      first.report.documents.map((document) => document.classification),
    );
  });

  it('never reads its own output folder as input, however often it runs inside it', async () => {
    // Prepare
    const input = temporaryFolder('pmlens-self-');
    for (const file of ['a-pg-conn-exhaustion.md', 'a-dns-ttl.txt'])
      await cp(path.join(cases, file), path.join(input, file));
    const catalog = await loadCatalog();
    const run = () =>
      runLocal({
        inputDir: input,
        outDir: path.join(input, 'out'),
        engine: createOfflineEngine(catalog.catalog),
        catalog,
        concurrency: 2,
      });

    // Act
    const counts = [
      (await run()).record.counts.discovered,
      (await run()).record.counts.discovered,
      (await run()).record.counts.discovered,
    ];

    // Assess
    expect(counts).toEqual([2, 2, 2]);
  });

  it('states metadata warnings in the report, beside run.json', async () => {
    // Prepare
    const input = temporaryFolder('pmlens-warnings-');
    await cp(path.join(cases, 'a-pg-conn-exhaustion.md'), path.join(input, 'pg.md'));
    const catalog = await loadCatalog();
    const metadata = new Map([
      ['pg', { id: 'pg', severity: 'SEV1' }],
      ['no-such-incident', { id: 'no-such-incident', severity: 'SEV2' }],
    ]);
    const store = new MemoryObjectStore();

    // Act
    const { report, record } = await runLocal({
      inputDir: input,
      outDir: 'unused',
      store,
      engine: createOfflineEngine(catalog.catalog),
      catalog,
      metadata,
      metadataFile: 'incidents.csv',
    });
    const markdown = new TextDecoder().decode(await store.get('report/report.md'));
    const html = new TextDecoder().decode(await store.get('report/report.html'));

    // Assess
    expect(report.warnings).toEqual([expect.stringContaining('"no-such-incident" matches no document')]);
    expect(record.warnings).toEqual(
      expect.arrayContaining([expect.stringContaining('"no-such-incident" matches no document')]),
    );
    expect(markdown).toContain('## Warnings');
    expect(markdown).toContain('no-such-incident');
    expect(html).toContain('id="warnings"');
  });

  it('ranks an incident by the severity its document states when there is no metadata file', async () => {
    // Prepare: the same postmortem twice, once with a severity in its front matter.
    const input = temporaryFolder('pmlens-stated-severity-');
    const body = [
      '# Checkout cache ran out of memory',
      '',
      'Redis on the checkout cluster reached its maxmemory limit at 14:02 and, with the noeviction policy, refused every write for 40 minutes.',
      'Checkout requests failed until we raised the limit and set an eviction policy.',
      '',
    ].join('\n');
    await writeFile(
      path.join(input, 'stated.md'),
      `---\ntitle: Checkout cache ran out of memory\nseverity: SEV1\n---\n${body}`,
    );
    const other = temporaryFolder('pmlens-unstated-severity-');
    await writeFile(path.join(other, 'unstated.md'), body);
    const catalog = await loadCatalog();
    const run = (inputDir: string) =>
      runLocal({
        inputDir,
        outDir: 'unused',
        store: new MemoryObjectStore(),
        engine: createOfflineEngine(catalog.catalog),
        catalog,
      });

    // Act
    const { report: stated } = await run(input);
    const { report: unstated } = await run(other);

    // Assess
    expect(stated.documents.map((document) => document.severity)).toEqual(['SEV1']);
    expect(stated.opportunities.map((opportunity) => opportunity.incidentIds)).toEqual([
      [expect.stringMatching(/^stated-/)],
    ]);
    expect(stated.opportunities[0]?.scoreBreakdown.severity).toBe(4);
    expect(stated.opportunities[0]?.impact).toMatchObject({ incidentsWithMetadata: 0, severities: { SEV1: 1 } });
    expect(unstated.opportunities).toEqual([]);
  });
});
