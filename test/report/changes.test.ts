import { describe, expect, it } from 'vitest';
import { changeLines, compareReports, matchPatterns } from '../../src/report/changes.ts';
import type { Pattern } from '../../src/schemas/index.ts';
import { reportFixture } from './report-fixture.ts';

/** A theme with the given members; the id is derived from the name, as the fold does. */
function theme(name: string, incidentIds: string[]): Pattern {
  return {
    id: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-0a1b2c`,
    theme: name,
    description: name,
    technologies: ['PostgreSQL'],
    faultCategory: 'capacity',
    contributingFactors: [],
    incidentIds,
    count: incidentIds.length,
    evidence: incidentIds.map((incidentId) => ({ incidentId, quote: `${incidentId} quote` })),
    firstSeen: null,
    lastSeen: null,
    byQuarter: {},
  };
}

describe('matchPatterns', () => {
  it('matches by id first, then a renamed theme by the members it kept', () => {
    // Prepare
    const stable = theme('Retry storm', ['a', 'b']);
    const renamedBefore = theme('Capacity: auto, maximum', ['c', 'd', 'e']);
    const renamedAfter = theme('Capacity: scaling, maximum', ['c', 'd', 'e', 'f']);
    const gone = theme('Tombstones slowing reads', ['g', 'h']);
    const fresh = theme('Disk filled', ['i', 'j']);

    // Act
    const matched = matchPatterns(
      [stable, renamedBefore, gone],
      [{ ...stable, incidentIds: ['a', 'b', 'k'], count: 3 }, renamedAfter, fresh],
    );

    // Assess
    expect([...matched.entries()].map(([now, before]) => [now.theme, before.theme])).toEqual([
      ['Retry storm', 'Retry storm'],
      ['Capacity: scaling, maximum', 'Capacity: auto, maximum'],
    ]);
  });

  it('does not pair themes that share one incident or less than half of the smaller', () => {
    const before = theme('Lock queue', ['a', 'b', 'c', 'd', 'e']);
    expect(matchPatterns([before], [theme('Other', ['a', 'x'])]).size).toBe(0);
    expect(
      matchPatterns([theme('Two', ['a', 'b', 'c', 'd', 'e', 'f'])], [theme('Six', ['a', 'b', 'p', 'q', 'r', 's'])])
        .size,
    ).toBe(0);
    expect(matchPatterns([before], [theme('Lock queue, renamed', ['a', 'b', 'x'])]).size).toBe(1);
  });
});

describe('compareReports', () => {
  it('reports a renamed theme that grew as changed, not as one new and one removed', () => {
    // Prepare
    const previous = { ...reportFixture(), patterns: [theme('Capacity: auto, maximum', ['c', 'd'])] };
    const current = { ...reportFixture(), patterns: [theme('Capacity: scaling, maximum', ['c', 'd', 'f'])] };

    // Act
    const changes = compareReports(previous, current);

    // Assess
    expect(changes.newPatterns).toEqual([]);
    expect(changes.removedPatterns).toEqual([]);
    expect(changes.changedPatterns).toEqual([
      { theme: 'Capacity: scaling, maximum', before: 2, after: 3, previousTheme: 'Capacity: auto, maximum' },
    ]);
    expect(changeLines(changes)).toContain(
      'Themes that grew, shrank or were renamed: Capacity: scaling, maximum (was Capacity: auto, maximum) (2 → 3).',
    );
  });
});
