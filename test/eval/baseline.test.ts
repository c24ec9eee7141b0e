import { describe, expect, it } from 'vitest';
import { compareWithBaseline } from '../../src/eval/baseline.ts';

describe('the regression gate', () => {
  it('flags a metric that moved the wrong way beyond the tolerance, in either direction of goodness', () => {
    // Prepare
    const baseline = { microF1: 0.9, attributionErrorRate: 0.05, verifiedClaimShare: 1, microRecall: 0.8 };
    const current = { microF1: 0.87, attributionErrorRate: 0.08, verifiedClaimShare: 0.99, microRecall: 0.85 };

    // Act
    const deltas = compareWithBaseline(current, baseline, 0.02);

    // Assess
    const byMetric = Object.fromEntries(deltas.map((delta) => [delta.metric, delta]));
    expect(byMetric.microF1).toMatchObject({ delta: -0.03, regression: true });
    expect(byMetric.attributionErrorRate).toMatchObject({ delta: 0.03, regression: true });
    expect(byMetric.verifiedClaimShare).toMatchObject({ delta: -0.01, regression: false });
    expect(byMetric.microRecall).toMatchObject({ delta: 0.05, regression: false });
    expect(byMetric.trapAvoidance).toMatchObject({ baseline: null, delta: null, regression: false });
  });
});
