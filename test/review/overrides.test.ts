import { describe, expect, it } from 'vitest';
import { applyOverrides, latestEdits, parseTechnologyList } from '../../src/review/overrides.ts';
import { reviewItemId } from '../../src/review/queue.ts';
import { ReportData } from '../../src/schemas/index.ts';
import { riskyReport, vote } from './fixture.ts';

const HASHES = new Map([
  ['pg-pool', 'a'.repeat(64)],
  ['kafka-lag', 'b'.repeat(64)],
  ['cassandra', 'c'.repeat(64)],
]);

function edit(
  docId: string,
  stage: 'summarize' | 'classify' | 'analyze',
  field: string,
  correction: string,
  reviewer = 'alice',
  hash = HASHES.get(docId),
) {
  return vote({ itemId: reviewItemId(docId, stage, field, hash), docId, stage, vote: 'edit', correction, reviewer });
}

describe('applyOverrides', () => {
  it('replaces an edited summary claim and marks it edited, leaving the input untouched', () => {
    // Prepare
    const report = riskyReport();
    const before = structuredClone(report);
    const votes = [
      edit('pg-pool', 'summarize', 'rootCauses[1]', 'A deploy tripled the pods.'),
      edit('pg-pool', 'summarize', 'issue', 'Checkout failed.', 'bob'),
    ];

    // Act
    const result = applyOverrides(report, votes, HASHES);

    // Assess
    const summary = result.documents[0]?.summary;
    expect(summary?.rootCauses[1]).toEqual({
      text: 'A deploy tripled the pods. [edited by alice]',
      evidence: ['the deploy doubled the pods'],
    });
    expect(summary?.rootCauses[0]?.text).toBe('The pool was too small.');
    expect(summary?.issue.text).toBe('Checkout failed. [edited by bob]');
    expect(report).toEqual(before);
    expect(ReportData.parse(result)).toEqual(result);
  });

  it('takes the latest edit of an item and ignores ups, downs and empty corrections', () => {
    // Prepare
    const first = edit('pg-pool', 'summarize', 'impact', 'first');
    const second = edit('pg-pool', 'summarize', 'impact', 'second', 'bob');
    const later = [
      vote({ itemId: second.itemId, vote: 'up' }),
      vote({ itemId: second.itemId, vote: 'edit', correction: '  ' }),
    ];

    // Act
    const result = applyOverrides(riskyReport(), [second, first, ...later], HASHES);

    // Assess
    expect(latestEdits([second, first, ...later]).get(second.itemId)?.correction).toBe('second');
    expect(result.documents[0]?.summary.impact.text).toBe('second [edited by bob]');
  });

  it('replaces an edited digest', () => {
    const result = applyOverrides(
      riskyReport(),
      [edit('pg-pool', 'analyze', 'digest:Redis', 'Redis was a victim, not a cause.')],
      HASHES,
    );
    expect(result.documents[0]?.digests.map((digest) => digest.sentences)).toEqual([
      ['PostgreSQL ran out of connections.'],
      ['Redis was a victim, not a cause. [edited by alice]'],
    ]);
  });

  it('applies a classify correction as the list of causes', () => {
    // Prepare
    const votes = [
      edit('pg-pool', 'classify', 'causal:Redis', 'PostgreSQL'),
      edit('kafka-lag', 'classify', 'causal:MySQL', 'Kafka, MySQL'),
      edit('cassandra', 'classify', 'causal:Cassandra', 'none'),
    ];

    // Act
    const result = applyOverrides(riskyReport(), votes, HASHES);
    const [pg, kafka, cassandra] = result.documents;

    // Assess
    expect(pg?.classification.causal.map((cause) => cause.technology)).toEqual(['PostgreSQL']);
    expect(pg?.classification.mentioned).toContainEqual({
      technology: 'Redis',
      context: 'other',
      reason: 'not a cause [edited by alice]',
      evidence: ['Redis timed out'],
    });
    expect(pg?.classification.flags).toEqual([]);
    expect(kafka?.classification.causal).toContainEqual({
      technology: 'MySQL',
      role: 'a cause [edited by alice]',
      evidence: ['MySQL locked the orders table'],
      confidence: 1,
    });
    expect(kafka?.classification.mentioned.map((entry) => entry.technology)).toEqual([]);
    expect(kafka?.classification.flags).toEqual([]);
    expect(cassandra?.classification.causal).toEqual([]);
    expect(ReportData.parse(result)).toEqual(result);
  });

  it('keeps an override across reruns and drops it once the source changes', () => {
    // Prepare
    const votes = [edit('pg-pool', 'summarize', 'issue', 'Checkout failed.')];
    const changed = new Map(HASHES).set('pg-pool', 'e'.repeat(64));

    // Act
    const rerun = applyOverrides(riskyReport(), votes, new Map(HASHES));
    const afterChange = applyOverrides(riskyReport(), votes, changed);

    // Assess
    expect(rerun.documents[0]?.summary.issue.text).toBe('Checkout failed. [edited by alice]');
    expect(afterChange.documents[0]?.summary.issue.text).toBe('Checkout timed out.');
    expect(applyOverrides(riskyReport(), [], HASHES)).toEqual(riskyReport());
  });
});

describe('parseTechnologyList', () => {
  it('splits on commas and semicolons; none, - and empty mean no technology', () => {
    expect(parseTechnologyList(' Redis, PostgreSQL ;Kafka,Redis ')).toEqual(['Redis', 'PostgreSQL', 'Kafka']);
    expect(parseTechnologyList('none')).toEqual([]);
    expect(parseTechnologyList('-')).toEqual([]);
    expect(parseTechnologyList('')).toEqual([]);
  });
});
