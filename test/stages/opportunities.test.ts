import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/index.ts';
import type { Engine } from '../../src/engines/engine.ts';
import { createOfflineEngine } from '../../src/engines/offline/index.ts';
import { Opportunity, type Digest, type IncidentMetadata, type Pattern } from '../../src/schemas/index.ts';
import { foldPatterns, measureImpact, proposeOpportunities, type StageContext } from '../../src/stages/index.ts';

/** Digest sentences are full of numbers that must never reach an opportunity's impact. */
function digest(docId: string, technology: string, faultCategory: Digest['faultCategory']): Digest {
  const sentence = `${technology} failed for 999 minutes and 77,777 customers lost $123,456.`;
  return { docId, technology, faultCategory, contributingFactors: [], sentences: [sentence], evidence: [sentence] };
}

const DIGESTS: Digest[] = [
  digest('inc-a', 'PostgreSQL', 'resource-exhaustion'),
  digest('inc-b', 'PostgreSQL', 'resource-exhaustion'),
  digest('inc-c', 'PostgreSQL', 'resource-exhaustion'),
  digest('inc-d', 'Redis', 'capacity'),
];

const METADATA = new Map<string, IncidentMetadata>([
  ['inc-a', { id: 'inc-a', severity: 'SEV2', durationMinutes: 30, customersAffected: 100, cost: 1000 }],
  ['inc-b', { id: 'inc-b', severity: 'SEV1', durationMinutes: 15, cost: 500 }],
  ['inc-x', { id: 'inc-x', severity: 'SEV1', durationMinutes: 600, customersAffected: 5, cost: 5 }],
]);

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

describe('stages: opportunities', () => {
  let engine: Engine;
  let patterns: Pattern[];

  beforeAll(async () => {
    engine = createOfflineEngine((await loadCatalog()).catalog);
    patterns = await foldPatterns(DIGESTS, { engine });
  });

  it('takes every impact number from the metadata rows of the pattern incidents', async () => {
    // Prepare
    const context: StageContext = { engine };

    // Act
    const opportunities = await proposeOpportunities(patterns, METADATA, context);

    // Assess
    expect(opportunities).toHaveLength(patterns.length);
    for (const opportunity of opportunities) {
      expect(Opportunity.safeParse(opportunity).success).toBe(true);
      expect(opportunity.impact).toMatchObject(expectedImpact(opportunity.incidentIds, METADATA));
    }
    const postgres = opportunities.find((opportunity) => opportunity.technology === 'PostgreSQL');
    expect(postgres?.incidentIds).toEqual(['inc-a', 'inc-b', 'inc-c']);
    expect(postgres?.impact).toEqual({
      incidents: 3,
      incidentsWithMetadata: 2,
      totalDurationMinutes: 45,
      totalCustomersAffected: 100,
      totalCost: 1500,
      severities: { SEV2: 1, SEV1: 1 },
    });
  });

  it('shows null totals for a pattern whose incidents have no metadata rows', async () => {
    // Prepare
    const context: StageContext = { engine };

    // Act
    const opportunities = await proposeOpportunities(patterns, METADATA, context);

    // Assess
    const redis = opportunities.find((opportunity) => opportunity.technology === 'Redis');
    expect(redis?.impact).toEqual({
      incidents: 1,
      incidentsWithMetadata: 0,
      totalDurationMinutes: null,
      totalCustomersAffected: null,
      totalCost: null,
      severities: {},
    });
  });

  it('shows null totals everywhere when there is no metadata at all', async () => {
    // Prepare
    const empty = new Map<string, IncidentMetadata>();

    // Act
    const opportunities = await proposeOpportunities(patterns, empty, { engine });

    // Assess
    for (const opportunity of opportunities) {
      expect(opportunity.impact.incidentsWithMetadata).toBe(0);
      expect(opportunity.impact.totalDurationMinutes).toBeNull();
      expect(opportunity.impact.totalCustomersAffected).toBeNull();
      expect(opportunity.impact.totalCost).toBeNull();
    }
  });

  it('never shows a number from the text: no 999, 77,777 or 123,456 in any impact', async () => {
    // Prepare
    const fromText = new Set([999, 77777, 123456]);

    // Act
    const opportunities = await proposeOpportunities(patterns, METADATA, { engine });

    // Assess
    for (const opportunity of opportunities) {
      const numbers = [
        opportunity.impact.totalDurationMinutes,
        opportunity.impact.totalCustomersAffected,
        opportunity.impact.totalCost,
      ];
      for (const value of numbers) expect(value === null || !fromText.has(value)).toBe(true);
    }
  });

  it('ranks by the documented score: 2 x incidents + severity points + hours + log10(1 + customers) + log10(1 + cost)', async () => {
    // Prepare
    const expected = 2 * 3 + (3 + 4) + 45 / 60 + Math.log10(101) + Math.log10(1501);

    // Act
    const opportunities = await proposeOpportunities(patterns, METADATA, { engine });

    // Assess
    expect(opportunities[0]?.technology).toBe('PostgreSQL');
    expect(opportunities[0]?.score).toBeCloseTo(expected, 2);
    expect(opportunities[1]?.score).toBeCloseTo(2, 2);
  });

  it('measureImpact counts severities and ignores rows of other incidents', () => {
    // Prepare
    const ids = ['inc-b', 'inc-x'];

    // Act
    const impact = measureImpact(ids, METADATA);

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
