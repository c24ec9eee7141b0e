import { describe, expect, it } from 'vitest';
import type { GoldenLabel } from '../../src/eval/labels.ts';
import {
  checkThresholds,
  scoreThemes,
  themeCounts,
  type EvalMetrics,
  type FoldedCorpus,
} from '../../src/eval/metrics.ts';

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
  const analysed = new Set(labels.map((entry) => entry.id));
  const fold = (
    patterns: Array<{ incidentIds: string[] }>,
    rest: Partial<Omit<FoldedCorpus, 'patterns'>> = {},
  ): FoldedCorpus => ({ patterns, notRecurring: [], noCatalog: [], duplicates: [], ...rest });
  const ids = (...values: string[]) => values.map((incidentId) => ({ incidentId }));

  it('finds a theme when one pattern holds two of its members that are at least half of the pattern', () => {
    // Act
    const metrics = scoreThemes(
      labels,
      fold(
        [{ incidentIds: ['a1', 'a2', 'c'] }, { incidentIds: ['b1'] }, { incidentIds: ['b2'] }, { incidentIds: ['a3'] }],
        {
          noCatalog: ids('n'),
        },
      ),
      analysed,
    );

    // Assess
    expect(metrics.themeRecall).toBe(0.5);
    expect(metrics.themePrecision).toBe(1);
    expect(metrics.singletonShare).toBe(0.75);
    expect(metrics.accountedShare).toBe(1);
  });

  it('gives the counts behind recall and precision, for pooling over sets', () => {
    const patterns = [{ incidentIds: ['a1', 'a2', 'c'] }, { incidentIds: ['b1', 'c', 'n'] }, { incidentIds: ['b2'] }];

    expect(themeCounts(labels, patterns)).toEqual({ themes: 2, found: 1, recurring: 2, precise: 1 });
  });

  it('does not count a pattern whose labelled members are a minority, nor a document left out of the fold', () => {
    // Act
    const metrics = scoreThemes(labels, fold([{ incidentIds: ['a1', 'a2', 'b1', 'b2', 'c'] }]), analysed);

    // Assess
    expect(metrics.themeRecall).toBe(0);
    expect(metrics.themePrecision).toBe(0);
    expect(metrics.singletonShare).toBe(0);
    // a3 and n are in no theme and listed nowhere else.
    expect(metrics.accountedShare).toBe(0.7143);
  });

  it('accounts for incidents not recurring yet, without a catalog technology, duplicates and quarantined ones', () => {
    // Prepare
    const folded = fold([{ incidentIds: ['a1', 'a2'] }, { incidentIds: ['b1', 'b2'] }], {
      notRecurring: ids('a3'),
      noCatalog: ids('n'),
      duplicates: ids('c'),
    });
    const partial = fold([{ incidentIds: ['a1', 'a2'] }, { incidentIds: ['b1', 'b2'] }], { notRecurring: ids('a3') });

    // Act
    const full = scoreThemes(labels, folded, analysed);
    const withQuarantine = scoreThemes(labels, partial, analysed, new Set(['c', 'n']));
    const without = scoreThemes(labels, partial, analysed);

    // Assess
    expect(full.accountedShare).toBe(1);
    expect(full.themeRecall).toBe(1);
    expect(full.themePrecision).toBe(1);
    expect(full.singletonShare).toBe(0);
    expect(withQuarantine.accountedShare).toBe(1);
    expect(without.accountedShare).toBe(0.7143);
  });

  it('ignores listed incidents that were not analysed', () => {
    // Act
    const metrics = scoreThemes(
      labels,
      fold([{ incidentIds: ['a1', 'a2'] }], { notRecurring: ids('elsewhere') }),
      new Set(['a1', 'a2', 'a3']),
    );

    // Assess
    expect(metrics.accountedShare).toBe(0.6667);
  });

  it('gives null theme figures when no label names a theme', () => {
    // Act
    const metrics = scoreThemes([label('x'), label('y')], fold([{ incidentIds: ['x', 'y'] }]), new Set(['x', 'y']));

    // Assess
    expect(metrics.themeRecall).toBeNull();
    expect(metrics.themePrecision).toBeNull();
    expect(metrics.accountedShare).toBe(1);
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
