import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors.ts';
import { loadIncidentMetadata } from '../../src/metadata/index.ts';

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
    const file = await fileWith('snake.csv', 'id,date,severity,duration_minutes,customers_affected,cost_usd\ninc-a,2025-03-14,SEV2,45,1450,38000\ninc-b,2025-04-01,SEV3,10,20,300\n');

    // Act
    const rows = await loadIncidentMetadata(file);

    // Assess
    expect([...rows.keys()]).toEqual(['inc-a', 'inc-b']);
    expect(rows.get('inc-a')).toEqual({ id: 'inc-a', date: '2025-03-14', severity: 'SEV2', durationMinutes: 45, customersAffected: 1450, cost: 38000 });
  });

  it('accepts camelCase and spaced header variants', async () => {
    // Prepare
    const file = await fileWith('camel.csv', 'Incident ID,durationMinutes,Customers Affected,Cost USD,Sev\nx/y,5,7,9,P1\n');

    // Act
    const rows = await loadIncidentMetadata(file);

    // Assess
    expect(rows.get('x/y')).toEqual({ id: 'x/y', durationMinutes: 5, customersAffected: 7, cost: 9, severity: 'P1' });
  });

  it('leaves empty cells undefined and ignores unknown columns', async () => {
    // Prepare
    const file = await fileWith('sparse.csv', 'id,severity,duration_minutes,customers_affected,cost_usd,owner\ninc-a,,30,,,team-x\n');

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

  it('refuses a cell that is not a number with a ConfigurationError naming the row and column', async () => {
    // Prepare
    const file = await fileWith('bad-number.csv', 'id,duration_minutes\ninc-a,10\ninc-b,about an hour\n');

    // Act
    const attempt = loadIncidentMetadata(file);

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(ConfigurationError);
    await expect(attempt).rejects.toThrow('bad-number.csv row 2: "about an hour" in column duration_minutes is not a number');
  });

  it('refuses a negative number and a row without an id', async () => {
    // Prepare
    const negative = await fileWith('negative.csv', 'id,cost_usd\ninc-a,-5\n');
    const noId = await fileWith('no-id.csv', 'severity,cost_usd\nSEV1,5\n');

    // Act
    const attempts = [loadIncidentMetadata(negative), loadIncidentMetadata(noId)];

    // Assess
    await expect(attempts[0]).rejects.toThrow(/negative\.csv row 1: cost/);
    await expect(attempts[1]).rejects.toThrow(/no-id\.csv row 1: id/);
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
    expect(rows.get('inc-a')).toEqual({ id: 'inc-a', severity: 'SEV1', durationMinutes: 90, customersAffected: 1000, cost: 2500 });
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
