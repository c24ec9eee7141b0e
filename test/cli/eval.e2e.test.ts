import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { repoPath } from '../support/postmortems.ts';

/** Three small synthetic cases in the golden format: two causes and one negative. */
const CASES: Record<string, string> = {
  'cases/pool.md': `# Orders API errors

## Summary

The orders API returned errors for 45 minutes.

## Root Cause

PostgreSQL ran out of connections because a deploy raised the pool size, so new requests were rejected.

## Action Items

- Add an alert on Redis memory usage.
`,
  'cases/failover.txt': `CART FAILURES

Cart writes failed for 12 minutes during a cache failover.

ROOT CAUSE
The Redis primary crashed and the failover to the replica took 11 minutes because replication lag was high.
`,
  'cases/cert.md': `# Certificate expiry

## Summary

The public API certificate expired and clients failed the TLS handshake for 50 minutes.

## Root Cause

The certificate renewal job had been disabled during a migration and nobody noticed.
`,
};

const LABELS = [
  { id: 'pool', file: 'cases/pool.md', causal: ['PostgreSQL'], mentionedOnly: ['Redis'] },
  { id: 'failover', file: 'cases/failover.txt', causal: ['Redis'] },
  { id: 'cert', file: 'cases/cert.md', causal: [] },
];

describe('pmlens eval --golden golden', () => {
  it('exits 0 and prints one JSON object with every metric, meeting the committed thresholds', async () => {
    // Prepare
    const thresholds = JSON.parse(await readFile(repoPath('golden', 'thresholds.json'), 'utf8')) as Record<
      string,
      number
    >;

    // Act
    const result = await runCli(['eval', '--golden', 'golden', '--json']);

    // Assess
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const metrics = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    for (const key of [
      'cases',
      'microPrecision',
      'microRecall',
      'microF1',
      'attributionErrorRate',
      'negativeAccuracy',
      'perTechnology',
    ]) {
      expect(metrics, `key ${key}`).toHaveProperty(key);
    }
    expect(typeof metrics.perTechnology).toBe('object');
    expect(metrics.microF1).toBeGreaterThanOrEqual(thresholds.microF1 ?? Number.NaN);
    expect(metrics.attributionErrorRate).toBeLessThanOrEqual(thresholds.attributionErrorRate ?? Number.NaN);
    expect(metrics.thresholdFailures).toEqual([]);
    expect(metrics.caseErrors).toEqual([]);
  });
});

describe('pmlens eval on another folder in the golden format', () => {
  let golden: string;
  let withoutLabels: string;

  beforeAll(async () => {
    golden = await mkdtemp(path.join(tmpdir(), 'pmlens-e2e-golden-format-'));
    await mkdir(path.join(golden, 'cases'));
    for (const [file, content] of Object.entries(CASES)) await writeFile(path.join(golden, file), content);
    await writeFile(path.join(golden, 'labels.jsonl'), `${LABELS.map((label) => JSON.stringify(label)).join('\n')}\n`);
    await writeFile(path.join(golden, 'thresholds.json'), JSON.stringify({ microF1: 1.01 }));
    withoutLabels = await mkdtemp(path.join(tmpdir(), 'pmlens-e2e-no-labels-'));
    await mkdir(path.join(withoutLabels, 'cases'));
    await writeFile(path.join(withoutLabels, 'cases', 'pool.md'), CASES['cases/pool.md'] ?? '');
  });

  afterAll(async () => {
    await rm(golden, { recursive: true, force: true });
    await rm(withoutLabels, { recursive: true, force: true });
  });

  it('exits 1 and prints a FAIL line when a threshold cannot be met', async () => {
    // Prepare
    const args = ['eval', '--golden', golden];

    // Act
    const result = await runCli(args);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^cases: 3$/m);
    expect(result.stdout).toMatch(/^FAIL microF1 = [\d.]+ is below the minimum 1\.01$/m);
    expect(result.stdout).not.toContain('case error');
  });

  it('scores every case of that folder in --json mode and reports the failed threshold', async () => {
    // Prepare
    const args = ['eval', '--golden', golden, '--json'];

    // Act
    const result = await runCli(args);

    // Assess
    expect(result.code).toBe(1);
    const metrics = JSON.parse(result.stdout) as {
      cases: number;
      caseErrors: unknown[];
      thresholdFailures: Array<{ metric: string; kind: string; limit: number }>;
    };
    expect(metrics.cases).toBe(3);
    expect(metrics.caseErrors).toEqual([]);
    expect(metrics.thresholdFailures).toEqual([
      expect.objectContaining({ metric: 'microF1', kind: 'min', limit: 1.01 }),
    ]);
  });

  it('exits 2 with a message when the folder has no labels.jsonl', async () => {
    // Prepare
    const args = ['eval', '--golden', withoutLabels];

    // Act
    const result = await runCli(args);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no labels\.jsonl/);
    expect(result.stdout).toBe('');
  });

  it('exits 2 when the golden folder does not exist', async () => {
    // Prepare
    const args = ['eval', '--golden', path.join(golden, 'missing')];

    // Act
    const result = await runCli(args);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/does not exist/);
  });
});
