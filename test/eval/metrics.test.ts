import { describe, expect, it } from 'vitest';
import { GoldenLabel } from '../../src/eval/labels.ts';
import { checkThresholds, scoreCases, type CasePrediction, type EvalMetrics } from '../../src/eval/metrics.ts';

function label(id: string, causal: string[], extra: Partial<GoldenLabel> = {}): GoldenLabel {
  return GoldenLabel.parse({ id, file: `cases/${id}.md`, causal, ...extra });
}

function predictions(entries: Array<[string, string[], string?]>): Map<string, CasePrediction> {
  return new Map(
    entries.map(([id, causal, faultCategory]) => [id, { id, causal, faultCategory: faultCategory ?? null }]),
  );
}

/**
 * Six cases: a hit, a mixed case (one right, one wrong, one missed), a correct negative, a wrong
 * negative, and a lenient case missed and a lenient case found.
 * True positives: PostgreSQL (c1), Redis (c2), Redis (c6) = 3.
 * False positives: Kafka (c2), S3 (c4) = 2.  False negatives: PostgreSQL (c2) = 1.
 */
const LABELS = [
  label('c1', ['PostgreSQL'], { faultCategory: 'resource-exhaustion' }),
  label('c2', ['Redis', 'PostgreSQL'], { mentionedOnly: ['Kafka'] }),
  label('c3', [], { mentionedOnly: ['S3'] }),
  label('c4', []),
  label('c5', ['Redis'], { lenient: true }),
  label('c6', ['Redis'], { lenient: true }),
];

const PREDICTIONS = predictions([
  ['c1', ['PostgreSQL'], 'resource-exhaustion'],
  ['c2', ['Redis', 'Kafka']],
  ['c3', []],
  ['c4', ['S3']],
  ['c5', []],
  ['c6', ['Redis']],
]);

describe('eval: scoreCases', () => {
  it('computes micro precision, recall and F1 over all technologies', () => {
    // Prepare
    const labels = LABELS;

    // Act
    const metrics = scoreCases(labels, PREDICTIONS);

    // Assess
    expect(metrics.cases).toBe(6);
    expect(metrics.microPrecision).toBe(0.6);
    expect(metrics.microRecall).toBe(0.75);
    expect(metrics.microF1).toBe(0.6667);
  });

  it('computes the attribution error rate and the negative accuracy', () => {
    // Prepare
    const labels = LABELS;

    // Act
    const metrics = scoreCases(labels, PREDICTIONS);

    // Assess
    expect(metrics.attributionErrorRate).toBe(0.4);
    expect(metrics.negativeAccuracy).toBe(0.5);
    expect(metrics.trapAvoidance).toBe(0.5);
    expect(metrics.faultCategoryAccuracy).toBe(1);
  });

  it('scores every technology on its own, with null where a ratio is undefined', () => {
    // Prepare
    const labels = LABELS;

    // Act
    const metrics = scoreCases(labels, PREDICTIONS);

    // Assess
    expect(Object.keys(metrics.perTechnology)).toEqual(['Kafka', 'PostgreSQL', 'Redis', 'S3']);
    expect(metrics.perTechnology.PostgreSQL).toEqual({
      truePositives: 1,
      falsePositives: 0,
      falseNegatives: 1,
      precision: 1,
      recall: 0.5,
      f1: 0.6667,
    });
    expect(metrics.perTechnology.Redis).toEqual({
      truePositives: 2,
      falsePositives: 0,
      falseNegatives: 0,
      precision: 1,
      recall: 1,
      f1: 1,
    });
    expect(metrics.perTechnology.Kafka).toEqual({
      truePositives: 0,
      falsePositives: 1,
      falseNegatives: 0,
      precision: 0,
      recall: null,
      f1: null,
    });
    expect(metrics.errors).toEqual([
      { id: 'c2', falsePositives: ['Kafka'], falseNegatives: ['PostgreSQL'] },
      { id: 'c4', falsePositives: ['S3'], falseNegatives: [] },
    ]);
  });

  it('counts a lenient case as correct whether its technology was predicted or not', () => {
    // Prepare
    const strict = LABELS.map((entry) => (entry.id === 'c5' ? { ...entry, lenient: false } : entry));

    // Act
    const lenientMetrics = scoreCases(LABELS, PREDICTIONS);
    const strictMetrics = scoreCases(strict, PREDICTIONS);

    // Assess
    expect(lenientMetrics.errors.map((error) => error.id)).not.toContain('c5');
    expect(lenientMetrics.perTechnology.Redis?.falseNegatives).toBe(0);
    expect(strictMetrics.perTechnology.Redis?.falseNegatives).toBe(1);
    expect(strictMetrics.microRecall).toBe(0.6);
    expect(lenientMetrics.microRecall).toBeGreaterThan(strictMetrics.microRecall);
  });

  it('treats a case without a prediction as predicting nothing', () => {
    // Prepare
    const labels = [label('only', ['DynamoDB']), label('negative', [])];

    // Act
    const metrics = scoreCases(labels, new Map());

    // Assess
    expect(metrics.microRecall).toBe(0);
    expect(metrics.microPrecision).toBe(1);
    expect(metrics.microF1).toBe(0);
    expect(metrics.attributionErrorRate).toBe(0);
    expect(metrics.negativeAccuracy).toBe(1);
    expect(metrics.errors).toEqual([{ id: 'only', falsePositives: [], falseNegatives: ['DynamoDB'] }]);
  });

  it('reports a wrong fault category and leaves optional metrics null when nothing applies', () => {
    // Prepare
    const labels = [label('k', ['Kafka'], { faultCategory: 'configuration-change' })];
    const predicted = predictions([['k', ['Kafka'], 'capacity']]);

    // Act
    const metrics = scoreCases(labels, predicted);

    // Assess
    expect(metrics.faultCategoryAccuracy).toBe(0);
    expect(metrics.negativeAccuracy).toBeNull();
    expect(metrics.trapAvoidance).toBeNull();
    expect(metrics.microF1).toBe(1);
  });
});

describe('eval: faultCategoryAccuracy', () => {
  it('scores the fault category per document: the predicted primary must be the labelled primary or secondary', () => {
    // Prepare
    const labels = [
      label('primary', ['Redis'], { faultCategory: 'capacity' }),
      label('secondary', [], { faultCategory: 'deployment', faultSecondary: 'configuration-change' }),
      label('wrong', ['Kafka'], { faultCategory: 'network', faultSecondary: 'dependency' }),
      label('unlabelled', ['Kafka']),
    ];
    const predicted = predictions([
      ['primary', ['Redis'], 'capacity'],
      // A document with no catalog cause still has a fault category, and it counts.
      ['secondary', [], 'configuration-change'],
      ['wrong', ['Kafka'], 'capacity'],
      ['unlabelled', ['Kafka'], 'capacity'],
    ]);

    // Act
    const metrics = scoreCases(labels, predicted);

    // Assess
    expect(metrics.faultCategoryAccuracy).toBe(0.6667);
  });

  it('does not count a labelled document that was not analysed, nor a null label secondary as a match', () => {
    // Prepare
    const labels = [
      label('missing', ['Redis'], { faultCategory: 'capacity' }),
      label('none', ['Redis'], { faultCategory: 'capacity' }),
    ];
    const predicted = predictions([['none', ['Redis']]]);

    // Act
    const metrics = scoreCases(labels, predicted);

    // Assess
    expect(metrics.faultCategoryAccuracy).toBe(0);
  });
});

describe('eval: checkThresholds', () => {
  const metrics: EvalMetrics = scoreCases(LABELS, PREDICTIONS);

  it('treats ordinary metrics as minima', () => {
    // Prepare
    const thresholds = { microF1: 0.7, microPrecision: 0.6, microRecall: 0.5 };

    // Act
    const failures = checkThresholds(metrics, thresholds);

    // Assess
    expect(failures).toEqual([{ metric: 'microF1', value: 0.6667, limit: 0.7, kind: 'min' }]);
  });

  it('treats metrics ending in ErrorRate as maxima', () => {
    // Prepare
    const passing = { attributionErrorRate: 0.4 };
    const failing = { attributionErrorRate: 0.39 };

    // Act
    const results = [checkThresholds(metrics, passing), checkThresholds(metrics, failing)];

    // Assess
    expect(results[0]).toEqual([]);
    expect(results[1]).toEqual([{ metric: 'attributionErrorRate', value: 0.4, limit: 0.39, kind: 'max' }]);
  });

  it('fails an unknown metric and skips a metric that is null for this dataset', () => {
    // Prepare
    const nullNegatives = scoreCases([label('k', ['Kafka'])], predictions([['k', ['Kafka']]]));
    const thresholds = { negativeAccuracy: 0.9, noSuchMetric: 0.5 };

    // Act
    const failures = checkThresholds(nullNegatives, thresholds);

    // Assess
    expect(failures).toEqual([{ metric: 'noSuchMetric', value: null, limit: 0.5, kind: 'min' }]);
  });
});
