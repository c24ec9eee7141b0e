import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors.ts';
import { loadIncidentMetadata, readIncidentMetadata, unmatchedMetadataWarnings } from '../../src/metadata/index.ts';
import { documentIdOf } from '../../src/run/identity.ts';

describe('loadIncidentMetadata', () => {
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'pmlens-metadata-'));
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  async function fileWith(name: string, content: string): Promise<string> {
    const file = path.join(folder, name);
    await writeFile(file, content);
    return file;
  }

  it('reads a CSV with snake_case headers, keyed by id', async () => {
    // Prepare
    const file = await fileWith(
      'snake.csv',
      'id,date,severity,duration_minutes,customers_affected,cost_usd\ninc-a,2025-03-14,SEV2,45,1450,38000\ninc-b,2025-04-01,SEV3,10,20,300\n',
    );

    // Act
    const rows = await loadIncidentMetadata(file);

    // Assess
    expect([...rows.keys()]).toEqual(['inc-a', 'inc-b']);
    expect(rows.get('inc-a')).toEqual({
      id: 'inc-a',
      date: '2025-03-14',
      severity: 'SEV2',
      durationMinutes: 45,
      customersAffected: 1450,
      cost: 38000,
    });
  });

  it('accepts camelCase and spaced header variants', async () => {
    // Prepare
    const file = await fileWith(
      'camel.csv',
      'Incident ID,durationMinutes,Customers Affected,Cost USD,Sev\nx/y,5,7,9,P1\n',
    );

    // Act
    const rows = await loadIncidentMetadata(file);

    // Assess
    expect(rows.get('x/y')).toEqual({ id: 'x/y', durationMinutes: 5, customersAffected: 7, cost: 9, severity: 'SEV1' });
  });

  it('leaves empty cells undefined and ignores unknown columns', async () => {
    // Prepare
    const file = await fileWith(
      'sparse.csv',
      'id,severity,duration_minutes,customers_affected,cost_usd,owner\ninc-a,,30,,,team-x\n',
    );

    // Act
    const rows = await loadIncidentMetadata(file);

    // Assess
    const row = rows.get('inc-a');
    expect(row).toEqual({ id: 'inc-a', durationMinutes: 30 });
    expect(row?.customersAffected).toBeUndefined();
    expect(row?.cost).toBeUndefined();
    expect(row?.severity).toBeUndefined();
  });

  it('reads money and thousands separators: "$1,200" -> 1200', async () => {
    // Prepare
    const file = await fileWith('money.csv', 'id,cost_usd,customers_affected\ninc-a,"$1,200","12,500"\n');

    // Act
    const rows = await loadIncidentMetadata(file);

    // Assess
    expect(rows.get('inc-a')).toEqual({ id: 'inc-a', cost: 1200, customersAffected: 12500 });
  });

  it('leaves out a cell that is not a number, with a warning naming the row and column; --strict refuses it', async () => {
    // Prepare
    const file = await fileWith('bad-number.csv', 'id,duration_minutes\ninc-a,10\ninc-b,about an hour\n');

    // Act
    const loaded = await readIncidentMetadata(file);
    const strict = loadIncidentMetadata(file, { strict: true });

    // Assess
    expect(loaded.rows.get('inc-b')).toEqual({ id: 'inc-b' });
    expect(loaded.warnings).toEqual([
      'bad-number.csv row 2 (inc-b): "about an hour" in column duration_minutes is not a number (ignored)',
    ]);
    await expect(strict).rejects.toBeInstanceOf(ConfigurationError);
    await expect(strict).rejects.toThrow(
      'bad-number.csv row 2 (inc-b): "about an hour" in column duration_minutes is not a number',
    );
  });

  it('warns about a negative number and a row without an id, and refuses a file without an id column', async () => {
    // Prepare
    const negative = await fileWith('negative.csv', 'id,cost_usd\ninc-a,-5\n,7\n');
    const noId = await fileWith('no-id.csv', 'severity,cost_usd\nSEV1,5\n');

    // Act
    const loaded = await readIncidentMetadata(negative);
    const attempt = readIncidentMetadata(noId);

    // Assess
    expect(loaded.rows.get('inc-a')).toEqual({ id: 'inc-a' });
    expect(loaded.warnings).toEqual([
      'negative.csv row 1 (inc-a): cost_usd -5 is negative (ignored)',
      'negative.csv row 2: no id (the row is ignored)',
    ]);
    await expect(attempt).rejects.toBeInstanceOf(ConfigurationError);
    await expect(attempt).rejects.toThrow(/no-id\.csv has no id column \(found "severity", "cost_usd"\)/);
  });

  it('refuses a file with no recognised column at all', async () => {
    // Prepare
    const file = await fileWith('export.csv', 'Ticket,Owner,Notes\nT-1,ana,slow\n');

    // Act
    const attempt = readIncidentMetadata(file);

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(ConfigurationError);
    await expect(attempt).rejects.toThrow(
      'the metadata file ' + file + ' has no recognised column (found "Ticket", "Owner", "Notes")',
    );
  });

  it('normalises dates and severities, and warns about a date that names no day and a severity on no scale', async () => {
    // Prepare
    const file = await fileWith(
      'mixed.csv',
      'id,date,severity\ninc-a,14 March 2025,Sev-1\ninc-b,2025-13-45,P2\ninc-c,last tuesday,SEVERE\ninc-d,2025-01-02T10:00:00Z,critical\n',
    );

    // Act
    const loaded = await readIncidentMetadata(file);

    // Assess
    expect([...loaded.rows.values()]).toEqual([
      { id: 'inc-a', date: '2025-03-14', severity: 'SEV1' },
      { id: 'inc-b', severity: 'SEV2' },
      { id: 'inc-c', severity: 'SEVERE' },
      { id: 'inc-d', date: '2025-01-02', severity: 'SEV1' },
    ]);
    expect(loaded.warnings).toEqual([
      'mixed.csv row 2 (inc-b): "2025-13-45" in column date is not a date such as 2025-03-14 or 14 March 2025 (ignored)',
      'mixed.csv row 3 (inc-c): "last tuesday" in column date is not a date such as 2025-03-14 or 14 March 2025 (ignored)',
      'mixed.csv row 3 (inc-c): severity "SEVERE" is on no known scale (SEV0-SEV5, P0-P5, S0-S5, critical/high/medium/low); kept as written, it scores no severity points',
    ]);
  });

  it('warns about an id given twice and keeps the later row', async () => {
    // Prepare
    const file = await fileWith('twice.csv', 'id,cost\ninc-a,1\ninc-a,2\n');

    // Act
    const loaded = await readIncidentMetadata(file);

    // Assess
    expect(loaded.rows.get('inc-a')).toEqual({ id: 'inc-a', cost: 2 });
    expect(loaded.warnings).toEqual(['twice.csv row 2 (inc-a): the id is also on row 1; this later row is used']);
  });

  it('names the ids that match no document by id, source name or key', () => {
    // Prepare
    const keys = ['2025/pg-pool.md', 'dns.txt'];
    const rows = new Map(
      ['2025/pg-pool', documentIdOf('dns.txt'), 'dns', 'dns.txt', 'inc-404', 'pg-pool'].map((id) => [id, { id }]),
    );

    // Act
    const warnings = unmatchedMetadataWarnings('data/incidents.csv', rows, keys);

    // Assess
    expect(warnings).toEqual([
      'incidents.csv: id "inc-404" matches no document in the input folder',
      'incidents.csv: id "pg-pool" matches no document in the input folder',
    ]);
  });

  it('reads a JSON array with numbers given as numbers or strings', async () => {
    // Prepare
    const file = await fileWith(
      'incidents.json',
      JSON.stringify([
        { id: 'inc-a', severity: 'SEV1', durationMinutes: 90, customers_affected: '1,000', cost: '$2,500' },
        { id: 'inc-b', duration_minutes: null },
      ]),
    );

    // Act
    const rows = await loadIncidentMetadata(file);

    // Assess
    expect(rows.get('inc-a')).toEqual({
      id: 'inc-a',
      severity: 'SEV1',
      durationMinutes: 90,
      customersAffected: 1000,
      cost: 2500,
    });
    expect(rows.get('inc-b')).toEqual({ id: 'inc-b' });
  });

  it.each([
    ['object.json', '{"id": "inc-a"}', /must hold a JSON array/],
    ['invalid.json', '[{"id": ', /not valid JSON/],
    ['ragged.csv', 'id,cost\n"unterminated,5\n', /not valid CSV/],
  ])('refuses %s with a ConfigurationError', async (name, content, message) => {
    // Prepare
    const file = await fileWith(name, content);

    // Act
    const attempt = loadIncidentMetadata(file);

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(ConfigurationError);
    await expect(attempt).rejects.toThrow(message);
  });

  it('refuses a missing file with a ConfigurationError', async () => {
    // Prepare
    const file = path.join(folder, 'missing.csv');

    // Act
    const attempt = loadIncidentMetadata(file);

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(ConfigurationError);
    await expect(attempt).rejects.toThrow(/cannot read the metadata file/);
  });
});
