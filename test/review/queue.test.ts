import { describe, expect, it } from 'vitest';
import {
  approvalByStageAndPrompt,
  buildReviewQueue,
  effectiveSampleRate,
  promptVersionOf,
  reviewCandidates,
  reviewItemId,
  ReviewItem,
  trailingApproval,
} from '../../src/review/queue.ts';
import { plainReport, riskyReport, vote } from './fixture.ts';

const HASHES = new Map([
  ['pg-pool', 'a'.repeat(64)],
  ['kafka-lag', 'b'.repeat(64)],
  ['cassandra', 'c'.repeat(64)],
]);

describe('buildReviewQueue', () => {
  it('puts every risk first, with its reasons, in document then field order', () => {
    // Prepare
    const report = riskyReport();

    // Act
    const queue = buildReviewQueue(report, {
      sampleRate: 0,
      knownTechnologies: new Set(['PostgreSQL', 'Kafka', 'Redis']),
      contentHashes: HASHES,
    });

    // Assess
    expect(queue.map((item) => [item.docId, item.field, item.reasons])).toEqual([
      ['pg-pool', 'rootCauses[0]', ['unverified-evidence']],
      ['pg-pool', 'causal:Redis', ['engine-disagreement']],
      ['pg-pool', 'digest:PostgreSQL', ['unverified-evidence']],
      ['kafka-lag', 'causal:Kafka', ['low-confidence']],
      ['kafka-lag', 'causal:MySQL', ['attribution-flag']],
      ['cassandra', 'causal:Cassandra', ['new-technology']],
    ]);
    for (const item of queue) expect(ReviewItem.parse(item)).toEqual(item);
  });

  it('shows what each item claims, with its evidence, prompt version and model', () => {
    // Prepare
    const report = riskyReport();

    // Act
    const queue = buildReviewQueue(report, { sampleRate: 0, contentHashes: HASHES });
    const byField = new Map(queue.map((item) => [item.field, item]));

    // Assess
    expect(byField.get('rootCauses[0]')).toMatchObject({
      stage: 'summarize',
      text: 'The pool was too small.',
      evidence: ['the pool was capped at 20 connections'],
      promptVersion: 'summarize@3',
      model: 'bedrock:claude',
      title: 'Incident pg-pool',
    });
    expect(byField.get('causal:Kafka')).toMatchObject({
      stage: 'classify',
      text: 'Kafka caused the incident: a rebalance storm stalled consumers (confidence 0.45)',
      promptVersion: 'classify@2',
    });
    expect(byField.get('causal:MySQL')).toMatchObject({
      stage: 'classify',
      evidence: ['MySQL locked the orders table'],
    });
    expect(byField.get('causal:MySQL')?.text).toContain('MySQL is not listed as a cause (demoted: needs review');
    expect(byField.get('digest:PostgreSQL')).toMatchObject({
      stage: 'analyze',
      text: 'PostgreSQL ran out of connections.',
      promptVersion: 'analyze@1',
    });
  });

  it('flags no technology as new without a history, and counts a multi-reason item once', () => {
    // Prepare
    const report = riskyReport();

    // Act
    const withoutHistory = buildReviewQueue(report, { sampleRate: 0 });
    const lowThreshold = buildReviewQueue(report, { sampleRate: 0, knownTechnologies: new Set(), lowConfidence: 0.85 });

    // Assess
    expect(withoutHistory.some((item) => item.reasons.includes('new-technology'))).toBe(false);
    expect(lowThreshold.find((item) => item.field === 'causal:Redis')?.reasons).toEqual([
      'engine-disagreement',
      'low-confidence',
      'new-technology',
    ]);
    expect(lowThreshold.filter((item) => item.field === 'causal:Redis')).toHaveLength(1);
  });

  it('labels a guard flag on a fully verified claim by its kind, and adds unverified-evidence only for a failed quote', () => {
    // Prepare
    const report = riskyReport();
    const kafka = report.documents.find((document) => document.docId === 'kafka-lag');
    if (!kafka) throw new Error('fixture without kafka-lag');
    kafka.classification.flags.push({ technology: 'Kafka', kind: 'needs-review', reason: 'weak attribution' });
    const verified = buildReviewQueue(report, { sampleRate: 0 });
    kafka.verification = {
      claims: 3,
      verified: 2,
      share: 0.6667,
      unverified: [{ stage: 'classify', field: 'causal:Kafka', quote: 'the Kafka consumer group kept rebalancing' }],
    };

    // Act
    const unverified = buildReviewQueue(report, { sampleRate: 0 });
    const reasonsOf = (queue: typeof verified, field: string) => queue.find((item) => item.field === field)?.reasons;

    // Assess
    expect(reasonsOf(verified, 'causal:MySQL')).toEqual(['attribution-flag']);
    expect(reasonsOf(verified, 'causal:Kafka')).toEqual(['attribution-flag', 'low-confidence']);
    expect(reasonsOf(unverified, 'causal:Kafka')).toEqual([
      'unverified-evidence',
      'attribution-flag',
      'low-confidence',
    ]);
    expect(reasonsOf(verified, 'causal:MySQL')).not.toContain('unverified-evidence');
  });

  it('keeps item ids across reruns and changes them when the source changes', () => {
    // Prepare
    const report = riskyReport();
    const changed = new Map(HASHES).set('pg-pool', 'd'.repeat(64));

    // Act
    const first = reviewCandidates(report, HASHES);
    const again = reviewCandidates(riskyReport(), new Map(HASHES));
    const afterChange = reviewCandidates(report, changed);

    // Assess
    expect(again.map((item) => item.id)).toEqual(first.map((item) => item.id));
    expect(first[0]?.id).toBe(reviewItemId('pg-pool', 'summarize', 'issue', 'a'.repeat(64)));
    expect(new Set(first.map((item) => item.id)).size).toBe(first.length);
    const pgIds = (items: typeof first) => items.filter((item) => item.docId === 'pg-pool').map((item) => item.id);
    const otherIds = (items: typeof first) => items.filter((item) => item.docId !== 'pg-pool').map((item) => item.id);
    expect(pgIds(afterChange).some((id) => pgIds(first).includes(id))).toBe(false);
    expect(otherIds(afterChange)).toEqual(otherIds(first));
  });

  it('samples deterministically, near the rate, after the risk items', () => {
    // Prepare
    const report = plainReport(4000);

    // Act
    const first = buildReviewQueue(report, { seed: 'run-7' });
    const second = buildReviewQueue(report, { seed: 'run-7' });
    const otherSeed = buildReviewQueue(report, { seed: 'run-8' });
    const risky = buildReviewQueue(riskyReport(), { sampleRate: 0.5, seed: 'x' });

    // Assess
    expect(second).toEqual(first);
    expect(first.every((item) => item.reasons.length === 1 && item.reasons[0] === 'random-sample')).toBe(true);
    expect(first.length / 4000).toBeGreaterThan(0.18);
    expect(first.length / 4000).toBeLessThan(0.22);
    expect(otherSeed.map((item) => item.id)).not.toEqual(first.map((item) => item.id));
    const firstSample = risky.findIndex((item) => item.reasons.includes('random-sample'));
    expect(firstSample).toBeGreaterThan(0);
    expect(risky.slice(firstSample).every((item) => item.reasons.includes('random-sample'))).toBe(true);
  });

  it('drops the sample rate to 10% once trailing approval reaches 95%', () => {
    // Prepare
    const report = plainReport(4000);

    // Act
    const normal = buildReviewQueue(report, { seed: 's', trailingApproval: 0.94 });
    const high = buildReviewQueue(report, { seed: 's', trailingApproval: 0.95 });

    // Assess
    expect(effectiveSampleRate({})).toBe(0.2);
    expect(effectiveSampleRate({ trailingApproval: null })).toBe(0.2);
    expect(effectiveSampleRate({ trailingApproval: 0.95 })).toBe(0.1);
    expect(effectiveSampleRate({ sampleRate: 0.05, trailingApproval: 0.99 })).toBe(0.05);
    expect(effectiveSampleRate({ sampleRate: 0.5, trailingApproval: 1, highApprovalRate: 0.25 })).toBe(0.25);
    expect(normal.length / 4000).toBeGreaterThan(0.18);
    expect(high.length / 4000).toBeGreaterThan(0.085);
    expect(high.length / 4000).toBeLessThan(0.115);
    // The lower rate samples a subset of what the higher one did (same draws, lower bar).
    const normalIds = new Set(normal.map((item) => item.id));
    expect(high.every((item) => normalIds.has(item.id))).toBe(true);
  });
});

describe('promptVersionOf', () => {
  it('reads a model engine version per stage, and versions any other engine as a whole', () => {
    expect(
      promptVersionOf(
        { id: 'bedrock', model: 'x', version: 'summarize@3,classify@2,analyze@1,patterns@1,opportunities@1' },
        'classify',
      ),
    ).toBe('classify@2');
    expect(promptVersionOf({ id: 'openai', model: 'x', version: 'sum@4,cls@5,ana@6,pat@1,opp@1' }, 'analyze')).toBe(
      'ana@6',
    );
    expect(promptVersionOf({ id: 'offline', model: 'extractive', version: '1' }, 'summarize')).toBe('offline@1');
  });
});

describe('trailingApproval', () => {
  it('is the share of approvals among the last judging votes, edits counting as disapproval', () => {
    // Prepare
    const votes = [
      vote({ vote: 'down' }),
      vote({ vote: 'up' }),
      vote({ vote: 'skip' }),
      vote({ vote: 'edit', correction: 'x' }),
      vote({ vote: 'up' }),
      vote({ vote: 'up' }),
    ];

    // Act & Assess
    expect(trailingApproval([])).toBeNull();
    expect(trailingApproval([vote({ vote: 'skip' })])).toBeNull();
    expect(trailingApproval(votes)).toBeCloseTo(3 / 5);
    expect(trailingApproval(votes, 3)).toBeCloseTo(2 / 3);
    expect(trailingApproval([...votes].reverse(), 3)).toBeCloseTo(2 / 3);
  });

  it('reaches 95% over the default window of 200 votes', () => {
    const votes = [
      ...Array.from({ length: 50 }, () => vote({ vote: 'down' })),
      ...Array.from({ length: 190 }, () => vote({ vote: 'up' })),
      ...Array.from({ length: 10 }, () => vote({ vote: 'down' })),
    ];
    expect(trailingApproval(votes)).toBe(0.95);
  });
});

describe('approvalByStageAndPrompt', () => {
  it('counts up and down (edits as down) per stage and prompt version, skips aside', () => {
    // Prepare
    const votes = [
      vote({ stage: 'classify', promptVersion: 'classify@2', vote: 'up' }),
      vote({ stage: 'summarize', promptVersion: 'summarize@1', vote: 'up' }),
      vote({ stage: 'summarize', promptVersion: 'summarize@1', vote: 'down' }),
      vote({ stage: 'summarize', promptVersion: 'summarize@2', vote: 'up' }),
      vote({ stage: 'summarize', promptVersion: 'summarize@1', vote: 'edit', correction: 'x' }),
      vote({ stage: 'summarize', promptVersion: 'summarize@1', vote: 'up' }),
      vote({ stage: 'analyze', promptVersion: 'analyze@1', vote: 'skip' }),
    ];

    // Act
    const rows = approvalByStageAndPrompt(votes);

    // Assess
    expect(rows).toEqual([
      { stage: 'summarize', promptVersion: 'summarize@1', up: 2, down: 2, approval: 0.5 },
      { stage: 'summarize', promptVersion: 'summarize@2', up: 1, down: 0, approval: 1 },
      { stage: 'classify', promptVersion: 'classify@2', up: 1, down: 0, approval: 1 },
    ]);
  });
});
