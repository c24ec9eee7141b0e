import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/index.ts';
import type { Engine } from '../../src/engines/engine.ts';
import { createOfflineEngine } from '../../src/engines/offline/index.ts';
import { Opportunity, type FoldResult, type IncidentMetadata, type Pattern } from '../../src/schemas/index.ts';
import {
  foldPatterns,
  measureImpact,
  proposeOpportunities,
  scoreOpportunity,
  type CorpusIncident,
  type IncidentStanding,
  type StageContext,
} from '../../src/stages/index.ts';
import { severeEnoughAlone, severityPoints } from '../../src/stages/ranking.ts';

/** Cause sentences full of numbers that must never reach an opportunity's impact. */
function expiredCertificate(docId: string, technology: string): CorpusIncident {
  return {
    docId,
    technologies: [technology],
    faultCategory: 'network',
    faultSecondary: null,
    sentences: [
      `The TLS certificate of ${technology} in ${docId} expired, so for 999 minutes 77,777 customers lost $123,456.`,
    ],
    causeSentences: 1,
    contributingFactors: [],
    contentHash: null,
    date: null,
  };
}

const INCIDENTS: CorpusIncident[] = [
  expiredCertificate('inc-a', 'PostgreSQL'),
  expiredCertificate('inc-b', 'Kafka'),
  expiredCertificate('inc-c', 'Redis'),
];

const METADATA = new Map<string, IncidentMetadata>([
  ['inc-a', { id: 'inc-a', severity: 'SEV2', durationMinutes: 30, customersAffected: 100, cost: 1000 }],
  ['inc-b', { id: 'inc-b', severity: 'SEV1', durationMinutes: 15, cost: 500 }],
  ['inc-x', { id: 'inc-x', severity: 'SEV1', durationMinutes: 600, customersAffected: 5, cost: 5 }],
]);

const NO_STANDING = new Map<string, IncidentStanding>();

/** The sums an opportunity must show: taken from the metadata rows of its incidents only. */
function expectedImpact(incidentIds: readonly string[], metadata: ReadonlyMap<string, IncidentMetadata>) {
  const rows = incidentIds.map((id) => metadata.get(id)).filter((row): row is IncidentMetadata => row !== undefined);
  const sum = (pick: (row: IncidentMetadata) => number | undefined): number | null => {
    const values = rows.map(pick).filter((value): value is number => value !== undefined);
    return values.length === 0 ? null : values.reduce((total, value) => total + value, 0);
  };
  return {
    incidents: incidentIds.length,
    incidentsWithMetadata: rows.length,
    totalDurationMinutes: sum((row) => row.durationMinutes),
    totalCustomersAffected: sum((row) => row.customersAffected),
    totalCost: sum((row) => row.cost),
  };
}

/** A theme as the fold settles it, for ranking tests that need no engine. */
function pattern(id: string, incidentIds: string[], technologies: string[] = ['Redis']): Pattern {
  return {
    id,
    theme: `Theme ${id}`,
    description: `Incidents of theme ${id}.`,
    technologies,
    faultCategory: 'capacity',
    contributingFactors: [],
    incidentIds,
    count: incidentIds.length,
    evidence: incidentIds.map((incidentId) => ({ incidentId, quote: `Evidence of ${incidentId}.` })),
    firstSeen: null,
    lastSeen: null,
    byQuarter: {},
  };
}

function fold(parts: Partial<FoldResult>): FoldResult {
  return { patterns: [], notRecurring: [], noCatalog: [], duplicates: [], dropped: [], ...parts };
}

function rows(...entries: IncidentMetadata[]): Map<string, IncidentMetadata> {
  return new Map(entries.map((entry) => [entry.id, entry]));
}

function scoreOf(incidentIds: string[], metadata: ReadonlyMap<string, IncidentMetadata>, needsReview = 0): number {
  return scoreOpportunity(measureImpact(incidentIds, metadata), incidentIds, metadata, needsReview).score;
}

describe('stages: opportunities', () => {
  let engine: Engine;
  let context: StageContext;
  let folded: FoldResult;

  beforeAll(async () => {
    engine = createOfflineEngine((await loadCatalog()).catalog);
    context = { engine };
    folded = await foldPatterns(INCIDENTS, context);
  });

  it('proposes one opportunity per theme, its impact from the metadata rows of its incidents only', async () => {
    // Act
    const opportunities = await proposeOpportunities(folded, NO_STANDING, METADATA, context);

    // Assess
    expect(folded.patterns).toHaveLength(1);
    expect(opportunities).toHaveLength(1);
    const [theme] = opportunities;
    expect(Opportunity.safeParse(theme).success).toBe(true);
    expect(theme?.incidentIds).toEqual(['inc-a', 'inc-b', 'inc-c']);
    expect(theme?.technologies).toEqual(['Kafka', 'PostgreSQL', 'Redis']);
    expect(theme?.patternIds).toEqual([folded.patterns[0]?.id]);
    expect(theme?.impact).toEqual({
      incidents: 3,
      incidentsWithMetadata: 2,
      totalDurationMinutes: 45,
      totalCustomersAffected: 100,
      totalCost: 1500,
      severities: { SEV2: 1, SEV1: 1 },
    });
    expect(theme?.impact).toMatchObject(expectedImpact(theme?.incidentIds ?? [], METADATA));
  });

  it('never shows a number from the text: no 999, 77,777 or 123,456 in any impact', async () => {
    // Prepare
    const fromText = new Set([999, 77777, 123456]);

    // Act
    const withRows = await proposeOpportunities(folded, NO_STANDING, METADATA, context);
    const without = await proposeOpportunities(folded, NO_STANDING, new Map(), context);

    // Assess
    for (const opportunity of [...withRows, ...without]) {
      const { totalDurationMinutes, totalCustomersAffected, totalCost } = opportunity.impact;
      for (const value of [totalDurationMinutes, totalCustomersAffected, totalCost])
        expect(value === null || !fromText.has(value)).toBe(true);
    }
    expect(without[0]?.impact).toMatchObject({
      incidentsWithMetadata: 0,
      totalDurationMinutes: null,
      totalCustomersAffected: null,
      totalCost: null,
      severities: {},
    });
  });

  it('adds one opportunity per incident not recurring yet at SEV1 or worse, and none for milder ones', async () => {
    // Prepare
    const input = fold({
      patterns: [pattern('theme', ['t1', 't2'])],
      notRecurring: [
        { incidentId: 'severe', theme: 'Split brain', technologies: ['Kafka'], faultCategory: 'failover-replication' },
        { incidentId: 'mild', theme: null, technologies: ['Redis'], faultCategory: 'capacity' },
        { incidentId: 'unrated', theme: null, technologies: ['Redis'], faultCategory: 'capacity' },
      ],
      noCatalog: [{ incidentId: 'human', faultCategory: 'operational-error' }],
    });
    const metadata = rows(
      { id: 'severe', severity: 'critical' },
      { id: 'mild', severity: 'SEV2' },
      { id: 'human', severity: 'P0' },
    );

    // Act
    const opportunities = await proposeOpportunities(input, NO_STANDING, metadata, context);

    // Assess
    expect(opportunities.map((opportunity) => opportunity.incidentIds).sort()).toEqual([
      ['human'],
      ['severe'],
      ['t1', 't2'],
    ]);
    const severe = opportunities.find((opportunity) => opportunity.incidentIds[0] === 'severe');
    expect(severe?.technologies).toEqual(['Kafka']);
    expect(severe?.patternIds).toEqual([]);
    expect(opportunities.find((opportunity) => opportunity.incidentIds[0] === 'human')?.technologies).toEqual([]);
  });

  it('ranks by the documented score: 3 x incidents + severity points + log2(1 + hours) + log10(1 + customers) + log10(1 + cost)', async () => {
    // Prepare
    const expected = 3 * 3 + (3 + 4) + Math.log2(1 + 45 / 60) + Math.log10(101) + Math.log10(1501);

    // Act
    const [theme] = await proposeOpportunities(folded, NO_STANDING, METADATA, context);

    // Assess
    expect(theme?.score).toBeCloseTo(expected, 1);
    expect(theme?.scoreBreakdown).toMatchObject({
      recurrence: 9,
      severity: 7,
      duration: 0.81,
      customers: 2,
      cost: 3.18,
    });
    // No member needs review: nothing is subtracted (0 or -0).
    expect(theme?.scoreBreakdown.review === 0).toBe(true);
  });

  it('measureImpact counts normalised severities and ignores rows of other incidents', () => {
    // Act
    const impact = measureImpact(['inc-b', 'inc-x'], METADATA);

    // Assess
    expect(impact).toEqual({
      incidents: 2,
      incidentsWithMetadata: 2,
      totalDurationMinutes: 615,
      totalCustomersAffected: 5,
      totalCost: 505,
      severities: { SEV1: 2 },
    });
  });
});

describe('stages: ranking', () => {
  const base: IncidentMetadata = { id: 'i1', severity: 'SEV3', durationMinutes: 60, customersAffected: 10, cost: 100 };

  it('is monotone in recurrence: one more incident never lowers the score, with or without metadata', () => {
    // Prepare
    const metadata = rows(base, { ...base, id: 'i2' }, { id: 'i3', severity: 'SEV5' });

    // Act
    const scores = [['i1'], ['i1', 'i2'], ['i1', 'i2', 'i3'], ['i1', 'i2', 'i3', 'no-row']].map((ids) =>
      scoreOf(ids, metadata),
    );

    // Assess
    for (let index = 1; index < scores.length; index += 1)
      expect(scores[index]).toBeGreaterThan(scores[index - 1] ?? Number.POSITIVE_INFINITY);
  });

  it('is monotone in impact: more severe, longer, more customers or more cost never lowers the score', () => {
    // Prepare
    const variants: Array<[keyof IncidentMetadata, Array<string | number | undefined>]> = [
      ['severity', [undefined, 'SEV5', 'SEV4', 'SEV3', 'SEV2', 'SEV1', 'SEV0']],
      ['durationMinutes', [undefined, 0, 1, 60, 600, 6000]],
      ['customersAffected', [undefined, 0, 1, 1000, 1_000_000]],
      ['cost', [undefined, 0, 1, 27_000, 486_000, 10_000_000]],
    ];

    for (const [field, values] of variants) {
      // Act
      const scores = values.map((value) => scoreOf(['i1'], rows({ ...base, [field]: value })));

      // Assess
      for (let index = 1; index < scores.length; index += 1)
        expect(scores[index], `${field} ${String(values[index])}`).toBeGreaterThanOrEqual(scores[index - 1] ?? 0);
      expect(scores.at(-1)).toBeGreaterThan(scores[0] ?? 0);
    }
  });

  it('ranks one 42-hour SEV2 costing $27K below two SEV1 incidents costing $486K together', async () => {
    // Prepare: the long incident has a partner, so both themes have two incidents.
    const metadata = rows(
      { id: 'long', severity: 'SEV2', durationMinutes: 42 * 60, cost: 27_000 },
      { id: 'sev1-a', severity: 'SEV1', cost: 243_000 },
      { id: 'sev1-b', severity: 'SEV1', cost: 243_000 },
    );
    const input = fold({
      patterns: [pattern('a-long', ['long', 'partner']), pattern('b-severe', ['sev1-a', 'sev1-b'])],
    });
    // Act
    const ranked = await proposeOpportunities(input, NO_STANDING, metadata, { engine: await offlineEngine() });

    // Assess
    expect(ranked.map((opportunity) => opportunity.patternIds[0])).toEqual(['b-severe', 'a-long']);
    // The long incident on its own scores below the two severe ones too.
    expect(scoreOf(['long'], metadata)).toBeLessThan(scoreOf(['sev1-a', 'sev1-b'], metadata));
  });

  it('never ranks an opportunity with a member needing review above an otherwise equal one without', async () => {
    // Prepare: "a-" would win the id tie-break; the review need must put it second.
    const metadata = rows(
      { id: 'r1', severity: 'SEV2', durationMinutes: 30, cost: 1000 },
      { id: 'r2', severity: 'SEV2', durationMinutes: 30, cost: 1000 },
      { id: 'c1', severity: 'SEV2', durationMinutes: 30, cost: 1000 },
      { id: 'c2', severity: 'SEV2', durationMinutes: 30, cost: 1000 },
    );
    const input = fold({ patterns: [pattern('a-review', ['r1', 'r2']), pattern('b-clean', ['c1', 'c2'])] });
    const standing = new Map<string, IncidentStanding>([['r2', { confidence: 0.4, needsReview: true }]]);

    // Act
    const ranked = await proposeOpportunities(input, standing, metadata, { engine: await offlineEngine() });

    // Assess
    expect(ranked.map((opportunity) => opportunity.patternIds[0])).toEqual(['b-clean', 'a-review']);
    expect(ranked[1]?.needsReview).toEqual(['r2']);
    expect(ranked[1]?.scoreBreakdown.review).toBe(-0.5);
    expect(ranked[1]?.score).toBeLessThan(ranked[0]?.score ?? 0);
    expect(ranked[1]?.confidence).toBe(0.7);
    expect(scoreOf(['r1', 'r2'], metadata, 1)).toBeLessThan(scoreOf(['r1', 'r2'], metadata, 0));
  });

  it('takes a severity the document states when the metadata file gives none, and the file’s when both do', async () => {
    // Prepare: "stated" has no row; "both" has a row saying SEV3 and a document saying SEV1; "theme"
    // members have rows without severity, and one states SEV2.
    const input = fold({
      patterns: [pattern('theme', ['t1', 't2'])],
      notRecurring: [
        { incidentId: 'stated', theme: null, technologies: ['Kafka'], faultCategory: 'capacity' },
        { incidentId: 'both', theme: null, technologies: ['Redis'], faultCategory: 'capacity' },
      ],
    });
    const metadata = rows({ id: 'both', severity: 'SEV3' }, { id: 't1', cost: 10 }, { id: 't2', cost: 10 });
    const standing = new Map<string, IncidentStanding>([
      ['stated', { confidence: 0.9, needsReview: false, severity: 'SEV1' }],
      ['both', { confidence: 0.9, needsReview: false, severity: 'SEV1' }],
      ['t1', { confidence: 0.9, needsReview: false, severity: 'P2' }],
    ]);

    // Act
    const ranked = await proposeOpportunities(input, standing, metadata, { engine: await offlineEngine() });
    const withoutStated = await proposeOpportunities(input, NO_STANDING, metadata, { engine: await offlineEngine() });

    // Assess: the stated SEV1 alone makes an opportunity, the file's SEV3 keeps "both" out.
    expect(ranked.map((opportunity) => opportunity.incidentIds).sort()).toEqual([['stated'], ['t1', 't2']]);
    const theme = ranked.find((opportunity) => opportunity.patternIds.includes('theme'));
    expect(theme?.impact).toMatchObject({ incidentsWithMetadata: 2, severities: { SEV2: 1 } });
    expect(theme?.scoreBreakdown.severity).toBe(3);
    expect(ranked.find((opportunity) => opportunity.incidentIds[0] === 'stated')?.scoreBreakdown.severity).toBe(4);
    expect(withoutStated.map((opportunity) => opportunity.incidentIds)).toEqual([['t1', 't2']]);
    expect(withoutStated[0]?.scoreBreakdown.severity).toBe(0);
  });

  it('normalises "P1", "SEV-1", "S1" and "critical" to the same severity, points and single-incident rule', async () => {
    // Prepare
    const spellings = ['P1', 'SEV-1', 'S1', 'critical'];
    const metadata = rows(...spellings.map((severity, index) => ({ id: `s${index}`, severity, cost: 100 })));
    const input = fold({
      notRecurring: spellings.map((_, index) => ({
        incidentId: `s${index}`,
        theme: null,
        technologies: ['Redis'],
        faultCategory: 'capacity' as const,
      })),
    });

    // Act
    const ranked = await proposeOpportunities(input, NO_STANDING, metadata, { engine: await offlineEngine() });

    // Assess
    for (const spelling of spellings) {
      expect(severityPoints(spelling)).toBe(4);
      expect(severeEnoughAlone(spelling)).toBe(true);
    }
    expect(measureImpact(['s0', 's1', 's2', 's3'], metadata).severities).toEqual({ SEV1: 4 });
    expect(ranked).toHaveLength(4);
    expect(new Set(ranked.map((opportunity) => opportunity.score)).size).toBe(1);
    expect(ranked.map((opportunity) => opportunity.impact.severities)).toEqual(Array(4).fill({ SEV1: 1 }));
  });
});

let cachedEngine: Engine | undefined;
async function offlineEngine(): Promise<Engine> {
  cachedEngine ??= createOfflineEngine((await loadCatalog()).catalog);
  return cachedEngine;
}
