import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildReviewQueue } from '../../src/review/queue.ts';
import { knownTechnologies, recordTechnologies } from '../../src/review/workspace.ts';
import type { ReportData } from '../../src/schemas/index.ts';
import { riskyReport } from './fixture.ts';

let outDir: string;

beforeEach(async () => {
  outDir = await mkdtemp(path.join(os.tmpdir(), 'review-workspace-'));
});

afterEach(async () => {
  await rm(outDir, { recursive: true, force: true });
});

/** The risky report of another run, without its Cassandra document (or with it). */
function run(runId: string, withCassandra: boolean): ReportData {
  const report = riskyReport();
  return {
    ...report,
    runId,
    documents: report.documents.filter((document) => withCassandra || document.docId !== 'cassandra'),
  };
}

describe('knownTechnologies', () => {
  it('flags a technology as new in every session of the run that first brought it, and not before the first session or after', async () => {
    // Act
    const beforeAny = await knownTechnologies(outDir, run('run-1', false));
    await recordTechnologies(outDir, run('run-1', false));
    const sameRun = await knownTechnologies(outDir, run('run-1', false));
    const secondRun = run('run-2', true);
    const firstSession = await knownTechnologies(outDir, secondRun);
    await recordTechnologies(outDir, secondRun);
    const secondSession = await knownTechnologies(outDir, secondRun);
    await recordTechnologies(outDir, secondRun);
    const thirdRun = await knownTechnologies(outDir, run('run-3', true));

    // Assess
    expect(beforeAny).toBeUndefined();
    expect([...(sameRun ?? [])].sort()).toEqual(['Kafka', 'PostgreSQL', 'Redis']);
    expect(firstSession?.has('Cassandra')).toBe(false);
    expect(secondSession).toEqual(firstSession);
    expect(thirdRun?.has('Cassandra')).toBe(true);
    const newItems = (known: Set<string> | undefined) =>
      buildReviewQueue(secondRun, { sampleRate: 0, knownTechnologies: known }).filter((item) =>
        item.reasons.includes('new-technology'),
      );
    expect(newItems(secondSession).map((item) => item.field)).toEqual(['causal:Cassandra']);
    expect(newItems(thirdRun)).toEqual([]);
  });
});
