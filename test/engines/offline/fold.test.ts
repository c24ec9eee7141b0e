import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../src/catalog/index.ts';
import type { Engine } from '../../../src/engines/engine.ts';
import { createOfflineEngine } from '../../../src/engines/offline/index.ts';
import { patternIdOf } from '../../../src/engines/offline/fold.ts';
import { Pattern, type Digest, type FaultCategory } from '../../../src/schemas/index.ts';

function digest(
  docId: string,
  technology: string,
  faultCategory: FaultCategory,
  contributingFactors: string[] = [],
): Digest {
  const sentence = `In ${docId} ${technology} failed.`;
  return { docId, technology, faultCategory, contributingFactors, sentences: [sentence], evidence: [sentence] };
}

const DIGESTS: Digest[] = [
  digest('inc-b', 'PostgreSQL', 'resource-exhaustion', ['connection-pool-sizing']),
  digest('inc-a', 'PostgreSQL', 'resource-exhaustion', ['connection-pool-sizing', 'missing-alerting']),
  digest('inc-c', 'PostgreSQL', 'deployment', ['untested-change']),
  digest('inc-a', 'Redis', 'capacity', ['cache-miss-storm']),
  digest('inc-d', 'PostgreSQL', 'resource-exhaustion', ['missing-alerting', 'connection-pool-sizing']),
];

describe('offline engine: fold patterns', () => {
  let engine: Engine;

  beforeAll(async () => {
    engine = createOfflineEngine((await loadCatalog()).catalog);
  });

  it('groups digests by technology x fault category with the right incidents and counts, largest first', async () => {
    // Prepare
    const digests = DIGESTS;

    // Act
    const { output: patterns } = await engine.foldPatterns({ digests });

    // Assess
    expect(
      patterns.map((pattern) => [pattern.technology, pattern.faultCategory, pattern.incidentIds, pattern.count]),
    ).toEqual([
      ['PostgreSQL', 'resource-exhaustion', ['inc-a', 'inc-b', 'inc-d'], 3],
      ['PostgreSQL', 'deployment', ['inc-c'], 1],
      ['Redis', 'capacity', ['inc-a'], 1],
    ]);
    for (const pattern of patterns) expect(Pattern.safeParse(pattern).success).toBe(true);
  });

  it('keeps only factors that recur in two or more incidents of a multi-incident pattern', async () => {
    // Prepare
    const digests = DIGESTS;

    // Act
    const { output: patterns } = await engine.foldPatterns({ digests });

    // Assess
    const exhaustion = patterns.find((pattern) => pattern.faultCategory === 'resource-exhaustion');
    expect(exhaustion?.contributingFactors).toEqual(['connection-pool-sizing', 'missing-alerting']);
    const single = patterns.find((pattern) => pattern.faultCategory === 'deployment');
    expect(single?.contributingFactors).toEqual(['untested-change']);
  });

  it('gives each pattern a stable id and the first sentence of each supporting digest as evidence', async () => {
    // Prepare
    const digests = DIGESTS;

    // Act
    const first = (await engine.foldPatterns({ digests })).output;
    const again = (await engine.foldPatterns({ digests: [...digests].reverse() })).output;

    // Assess
    const exhaustion = first.find((pattern) => pattern.faultCategory === 'resource-exhaustion');
    expect(exhaustion?.id).toBe(patternIdOf('PostgreSQL', 'resource-exhaustion'));
    expect(exhaustion?.evidence.sort()).toEqual([
      'In inc-a PostgreSQL failed.',
      'In inc-b PostgreSQL failed.',
      'In inc-d PostgreSQL failed.',
    ]);
    expect(again.map((pattern) => [pattern.id, pattern.incidentIds])).toEqual(
      first.map((pattern) => [pattern.id, pattern.incidentIds]),
    );
  });

  it('counts an incident once even when it has two digests in the same group', async () => {
    // Prepare
    const digests = [
      digest('inc-a', 'Kafka', 'configuration-change'),
      digest('inc-a', 'Kafka', 'configuration-change'),
    ];

    // Act
    const { output: patterns } = await engine.foldPatterns({ digests });

    // Assess
    expect(patterns).toHaveLength(1);
    expect(patterns[0]).toMatchObject({ incidentIds: ['inc-a'], count: 1 });
  });

  it('folds no digests into no patterns', async () => {
    // Prepare
    const digests: Digest[] = [];

    // Act
    const { output: patterns } = await engine.foldPatterns({ digests });

    // Assess
    expect(patterns).toEqual([]);
  });

  it('words one opportunity per pattern, naming its technology', async () => {
    // Prepare
    const { output: patterns } = await engine.foldPatterns({ digests: DIGESTS });

    // Act
    const { output: texts } = await engine.describeOpportunities({ patterns });

    // Assess
    expect(texts.map((text) => text.patternId)).toEqual(patterns.map((pattern) => pattern.id));
    texts.forEach((text, index) => {
      expect(text.title).toContain(patterns[index]?.technology ?? '?');
      expect(text.rationale).toContain(patterns[index]?.technology ?? '?');
    });
  });
});
