import { describe, expect, it } from 'vitest';
import type { GoldenLabel } from '../../src/eval/labels.ts';
import { checkThresholds, scoreThemes, type EvalMetrics } from '../../src/eval/metrics.ts';

const label = (id: string, themes: string[] = [], causal: string[] = ['Redis']): GoldenLabel => ({
  id,
  file: `cases/${id}.md`,
  causal,
  mentionedOnly: [],
  lenient: false,
  themes,
});

describe('scoreThemes', () => {
  const labels = [
    label('a1', ['retry']),
    label('a2', ['retry']),
    label('a3', ['retry']),
    label('b1', ['disk']),
    label('b2', ['disk']),
    label('c', []),
    label('n', [], []),
  ];
  const analysed = new Map(labels.map((entry) => [entry.id, entry.causal]));

  it('finds a theme when one pattern holds two of its members that are at least half of the pattern', () => {
    // Act
    const metrics = scoreThemes(
      labels,
      [{ incidentIds: ['a1', 'a2', 'c'] }, { incidentIds: ['b1'] }, { incidentIds: ['b2'] }, { incidentIds: ['a3'] }],
      analysed,
    );

    // Assess
    expect(metrics.themeRecall).toBe(0.5);
    expect(metrics.themePrecision).toBe(1);
    expect(metrics.singletonShare).toBe(0.75);
    expect(metrics.accountedShare).toBe(1);
  });

  it('does not count a pattern whose labelled members are a minority, nor a document left out of every pattern', () => {
    // Act
    const metrics = scoreThemes(labels, [{ incidentIds: ['a1', 'a2', 'b1', 'b2', 'c'] }], analysed);

    // Assess
    expect(metrics.themeRecall).toBe(0);
    expect(metrics.themePrecision).toBe(0);
    expect(metrics.singletonShare).toBe(0);
    expect(metrics.accountedShare).toBe(0.8571);
  });

  it('gives null theme figures when no label names a theme', () => {
    // Act
    const metrics = scoreThemes(
      [label('x'), label('y')],
      [{ incidentIds: ['x', 'y'] }],
      new Map([
        ['x', ['Redis']],
        ['y', ['Redis']],
      ]),
    );

    // Assess
    expect(metrics.themeRecall).toBeNull();
    expect(metrics.themePrecision).toBeNull();
  });

  it('holds the singleton share to a maximum and the accounted share to a minimum', () => {
    // Act
    const failures = checkThresholds({ singletonShare: 0.2, accountedShare: 0.9 } as unknown as EvalMetrics, {
      singletonShare: 0,
      accountedShare: 1,
    });

    // Assess
    expect(failures.map((failure) => [failure.metric, failure.kind])).toEqual([
      ['singletonShare', 'max'],
      ['accountedShare', 'min'],
    ]);
  });
});
