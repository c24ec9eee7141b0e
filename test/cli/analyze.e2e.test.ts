import { access, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFile } from '../../src/ingest/index.ts';
import { DIGEST_CSV_COLUMNS } from '../../src/report/csv.ts';
import { documentIdOf } from '../../src/run/identity.ts';
import { labelIdOf } from '../support/golden-script.ts';
import { ReportData, RunRecord, Summary } from '../../src/schemas/index.ts';
import { runCli, type CliResult } from '../support/cli.ts';
import { claimsOfSummary, isQuoteOf, repoPath } from '../support/postmortems.ts';

const GOLDEN_CASES = repoPath('golden', 'cases');
const BAD_INPUT = repoPath('test', 'fixtures', 'bad-input');

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

async function readJson(file: string): Promise<unknown> {
  return JSON.parse(await readFile(file, 'utf8')) as unknown;
}

describe('pmlens analyze golden/cases', () => {
  let out: string;
  let first: CliResult;
  let caseIds: string[];

  beforeAll(async () => {
    out = await mkdtemp(path.join(tmpdir(), 'pmlens-e2e-golden-'));
    caseIds = (await readdir(GOLDEN_CASES)).filter((file) => !file.startsWith('.')).map((file) => documentIdOf(file));
    first = await runCli(['analyze', 'golden/cases', '--out', out, '--metadata', 'golden/incidents.csv', '--quiet']);
  });

  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('exits 0 and prints nothing with --quiet', () => {
    // Prepare
    const result = first;

    // Act
    const { code, stdout, stderr } = result;

    // Assess
    expect(stderr).toBe('');
    expect(stdout).toBe('');
    expect(code).toBe(0);
  });

  it('writes summary, classification, digests and a page for every case file', async () => {
    // Prepare
    const expected = caseIds.flatMap((id) => [
      `docs/${id}/summary.json`,
      `docs/${id}/classification.json`,
      `docs/${id}/document.json`,
      `docs/${id}.md`,
    ]);

    // Act
    const missing = [];
    for (const file of expected) if (!(await exists(path.join(out, file)))) missing.push(file);

    // Assess
    expect(caseIds.length).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });

  it('writes report.md, an HTML report with at least two inline SVG charts, and digests.csv', async () => {
    // Prepare
    const report = path.join(out, 'report');

    // Act
    const markdown = await readFile(path.join(report, 'report.md'), 'utf8');
    const html = await readFile(path.join(report, 'report.html'), 'utf8');
    const csv = parseCsv(await readFile(path.join(report, 'digests.csv'), 'utf8'), { columns: true }) as Array<
      Record<string, string>
    >;
    const record = RunRecord.parse(await readJson(path.join(out, 'run.json')));

    // Assess
    expect(markdown.length).toBeGreaterThan(100);
    expect(html.match(/<svg/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    expect(csv).toHaveLength(record.counts.digests);
    expect(Object.keys(csv[0] ?? {})).toEqual([...DIGEST_CSV_COLUMNS]);
  });

  it('writes report.json that validates against ReportData and covers every case', async () => {
    // Prepare
    const file = path.join(out, 'report', 'report.json');

    // Act
    const parsed = ReportData.safeParse(await readJson(file));

    // Assess
    expect(parsed.success).toBe(true);
    if (!parsed.success) return;
    expect(parsed.data.documents.map((document) => document.docId).sort()).toEqual([...caseIds].sort());
    expect(parsed.data.skipped).toEqual([]);
    expect(parsed.data.failed).toEqual([]);
  });

  it('writes run.json that validates against RunRecord with every case succeeded', async () => {
    // Prepare
    const file = path.join(out, 'run.json');

    // Act
    const record = RunRecord.parse(await readJson(file));

    // Assess
    expect(record.counts.discovered).toBe(caseIds.length);
    expect(record.counts.succeeded).toBe(caseIds.length);
    expect(record.counts.skipped).toBe(0);
    expect(record.counts.failed).toBe(0);
    expect(record.metadataFile).toBe('golden/incidents.csv');
    expect(record.cache.computations).toBeGreaterThan(0);
  });

  it('keeps every lineage: themes cite analysed incidents with their own evidence, opportunities cite themes or incidents', async () => {
    // Prepare
    const report = ReportData.parse(await readJson(path.join(out, 'report', 'report.json')));

    // Act
    const documents = new Map(report.documents.map((document) => [document.docId, document]));
    const patternIds = new Set(report.patterns.map((pattern) => pattern.id));
    const accounted = [
      ...report.patterns.flatMap((pattern) => pattern.incidentIds),
      ...report.notRecurring.map((entry) => entry.incidentId),
      ...report.noCatalog.map((entry) => entry.incidentId),
      ...report.duplicates.map((entry) => entry.incidentId),
    ];

    // Assess
    for (const pattern of report.patterns) {
      expect(pattern.count).toBe(pattern.incidentIds.length);
      expect(pattern.count).toBeGreaterThanOrEqual(2);
      expect(pattern.evidence.map((entry) => entry.incidentId)).toEqual(pattern.incidentIds);
      const causal = new Set(
        pattern.incidentIds.flatMap(
          (id) => documents.get(id)?.classification.causal.map((cause) => cause.technology) ?? [],
        ),
      );
      for (const id of pattern.incidentIds) expect(documents.has(id), id).toBe(true);
      for (const technology of pattern.technologies) expect(causal.has(technology), technology).toBe(true);
    }
    // Every analysed incident outside quarantine is accounted for exactly once.
    const folded = report.documents
      .filter((document) => document.quarantine === undefined)
      .map((document) => document.docId);
    expect([...accounted].sort()).toEqual(folded.sort());
    for (const opportunity of report.opportunities) {
      for (const id of opportunity.patternIds) expect(patternIds.has(id), id).toBe(true);
      // An opportunity on no theme is one incident that does not recur yet.
      if (opportunity.patternIds.length === 0) expect(opportunity.incidentIds).toHaveLength(1);
    }
  });

  it('takes opportunity impact numbers only from the metadata file', async () => {
    // Prepare
    const report = ReportData.parse(await readJson(path.join(out, 'report', 'report.json')));
    const rows = parseCsv(await readFile(repoPath('golden', 'incidents.csv'), 'utf8'), { columns: true }) as Array<
      Record<string, string>
    >;
    const byId = new Map(rows.map((row) => [row.id ?? '', row]));
    const rowOf = (id: string) => byId.get(labelIdOf(id));
    const sum = (ids: string[], column: string): number | null => {
      const values = ids
        .map((id) => rowOf(id)?.[column])
        .filter((value): value is string => Boolean(value))
        .map(Number);
      return values.length === 0 ? null : values.reduce((total, value) => total + value, 0);
    };

    // Act
    const impacts = report.opportunities.map((opportunity) => ({
      ids: opportunity.incidentIds,
      impact: opportunity.impact,
    }));

    // Assess
    expect(impacts.length).toBeGreaterThan(0);
    for (const { ids, impact } of impacts) {
      expect(impact.incidents).toBe(ids.length);
      expect(impact.incidentsWithMetadata).toBe(ids.filter((id) => rowOf(id) !== undefined).length);
      expect(impact.totalDurationMinutes).toBe(sum(ids, 'duration_minutes'));
      expect(impact.totalCustomersAffected).toBe(sum(ids, 'customers_affected'));
      expect(impact.totalCost).toBe(sum(ids, 'cost_usd'));
    }
  });

  it('writes extractive summaries: every evidence quote is in its source document', async () => {
    // Prepare
    const files = (await readdir(GOLDEN_CASES)).filter((file) => !file.startsWith('.'));

    // Act
    const offending: string[] = [];
    for (const file of files) {
      const id = documentIdOf(file);
      const outcome = await ingestFile(GOLDEN_CASES, file, id);
      if (!outcome.ok) {
        offending.push(`${file}: not ingested`);
        continue;
      }
      const summary = Summary.parse(await readJson(path.join(out, 'docs', id, 'summary.json')));
      for (const claim of claimsOfSummary(summary))
        for (const quote of claim.evidence)
          if (!isQuoteOf(quote, outcome.postmortem)) offending.push(`${id}: ${quote}`);
    }

    // Assess
    expect(offending).toEqual([]);
  });

  it('recomputes nothing on a rerun over the same output folder', async () => {
    // Prepare
    const args = ['analyze', 'golden/cases', '--out', out, '--metadata', 'golden/incidents.csv', '--quiet'];

    // Act
    const rerun = await runCli(args);
    const record = RunRecord.parse(await readJson(path.join(out, 'run.json')));

    // Assess
    expect(rerun.code).toBe(0);
    expect(record.cache.computations).toBe(0);
    expect(record.cache.hits).toBeGreaterThan(0);
    expect(record.counts.succeeded).toBe(caseIds.length);
  });
});

describe('pmlens analyze test/fixtures/bad-input', () => {
  let out: string;
  let result: CliResult;

  beforeAll(async () => {
    out = await mkdtemp(path.join(tmpdir(), 'pmlens-e2e-bad-'));
    result = await runCli(['analyze', path.relative(repoPath(), BAD_INPUT), '--out', out, '--quiet']);
  });

  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('exits 1 because files were skipped', () => {
    // Prepare
    const { code } = result;

    // Act
    const partial = code;

    // Assess
    expect(partial).toBe(1);
  });

  it('lists every bad file in run.json with its skip code and a reason', async () => {
    // Prepare
    const file = path.join(out, 'run.json');

    // Act
    const record = RunRecord.parse(await readJson(file));

    // Assess
    expect(record.skipped.map((entry) => [entry.path, entry.code])).toEqual([
      ['array.json', 'unparseable-json'],
      ['binary.txt', 'binary'],
      ['broken.json', 'unparseable-json'],
      ['empty.md', 'empty'],
      ['latin1.txt', 'undecodable'],
      ['no-tags.html', 'unparseable-html'],
      ['notes.pdf', 'unparseable-pdf'],
      ['whitespace.txt', 'empty'],
    ]);
    for (const entry of record.skipped) expect(entry.reason.length).toBeGreaterThan(10);
    expect(record.counts).toMatchObject({ discovered: 10, ingested: 2, skipped: 8, failed: 0, succeeded: 2 });
  });

  it('still analyses the good files, including the one in a subfolder', async () => {
    // Prepare
    const [good, nested] = [documentIdOf('good.md'), documentIdOf('nested/also-good.txt')];
    const expected = [
      `docs/${good}/summary.json`,
      `docs/${good}.md`,
      `docs/${nested}/classification.json`,
      `docs/${nested}.md`,
    ];

    // Act
    const present = await Promise.all(expected.map((file) => exists(path.join(out, file))));
    const report = ReportData.parse(await readJson(path.join(out, 'report', 'report.json')));

    // Assess
    expect(present).toEqual([true, true, true, true]);
    expect(report.documents.map((document) => document.sourcePath).sort()).toEqual(['good.md', 'nested/also-good.txt']);
    expect(report.skipped).toHaveLength(8);
  });
});

describe('pmlens usage errors', () => {
  it('exits 2 with a message on stderr when the input folder does not exist', async () => {
    // Prepare
    const args = ['analyze', 'no/such/folder', '--out', path.join(tmpdir(), 'pmlens-never-written'), '--quiet'];

    // Act
    const result = await runCli(args);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no/such/folder');
    expect(result.stderr).toMatch(/does not exist/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 on --concurrency 0', async () => {
    // Prepare
    const args = ['analyze', 'golden/cases', '--concurrency', '0'];

    // Act
    const result = await runCli(args);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/positive whole number/);
  });

  it('exits 0 on --help and mentions both commands', async () => {
    // Prepare
    const args = ['--help'];

    // Act
    const result = await runCli(args);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\banalyze\b/);
    expect(result.stdout).toMatch(/\beval\b/);
  });
});
