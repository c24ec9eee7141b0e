import { describe, expect, it } from 'vitest';
import {
  categoriesOf,
  combinerCues,
  documentFaultCategory,
  documentFaultCategoryWith,
  FAULT_CATEGORY_MODELS,
  faultCategoryCues,
  KEYWORD_WEIGHT,
  pooledCategoriesOf,
  pooledFaultCategories,
  rankFaultCategories,
  SECONDARY_MARGIN,
} from '../../../src/engines/offline/document-category.ts';
import trained from '../../../src/engines/offline/models/fault-categories.json' with { type: 'json' };
import { summarizeOffline } from '../../../src/engines/offline/summarize.ts';
import {
  categoryFeatures,
  linearScores,
  SCENE_WEIGHT,
  trainLinearModel,
  trainWordModel,
  wordModelScores,
  type LinearOptions,
  type WordModel,
} from '../../../src/engines/offline/word-model.ts';
import { FAULT_CATEGORIES } from '../../../src/schemas/index.ts';
import { assertDevelopmentSet, DEVELOPMENT_SETS } from '../../../bench/training-sets.ts';
import { ingestInline } from '../../support/postmortems.ts';

function categoryOf(text: string) {
  const postmortem = ingestInline(text, 'case.md');
  return documentFaultCategory(postmortem, summarizeOffline(postmortem));
}

describe('offline engine: the document fault category', () => {
  it('gives every document a category from the taxonomy, also one with no catalog technology', () => {
    const certificate = categoryOf(`# Login outage

## Root cause

The TLS certificate on the public load balancer expired at midnight because its renewal job had been failing silently for weeks.
`);
    expect(certificate.faultCategory).toBe('network');
    const manual = categoryOf(`# Namespace deleted

## Root cause

An engineer ran kubectl delete against the wrong cluster: the current context was production, not staging.
`);
    expect(manual.faultCategory).toBe('operational-error');
    for (const result of [certificate, manual]) {
      expect(FAULT_CATEGORIES).toContain(result.faultCategory);
      if (result.faultSecondary !== null) expect(result.faultSecondary).not.toBe(result.faultCategory);
    }
  });

  it('reads a capacity incident and a resource running out apart', () => {
    const capacity = categoryOf(`# Checkout throttled

## Root cause

A flash sale tripled traffic and the table's provisioned write capacity throttled every request to one hot partition key.
`);
    const exhaustion = categoryOf(`# Writes stopped

## Root cause

The database disk filled up: WAL segments piled up behind an abandoned replication slot until no space was left on the volume.
`);
    expect(capacity.faultCategory).toBe('capacity');
    expect(exhaustion.faultCategory).toBe('resource-exhaustion');
  });

  it('uses the trained word model: with no keyword weight the model alone decides', () => {
    const postmortem = ingestInline('# Outage\n\n## Root cause\n\nThe frobnicator widget was wibbled.\n', 'w.md');
    const summary = summarizeOffline(postmortem);
    const model = trainWordModel([
      { category: 'dependency', words: ['frobnicator', 'widget', 'wibbl'] },
      { category: 'dependency', words: ['frobnicator', 'wibbl'] },
      { category: 'network', words: ['router'] },
      { category: 'network', words: ['router', 'widget'] },
    ]);
    expect(documentFaultCategoryWith(model, 0, postmortem, summary).faultCategory).toBe('dependency');
  });
});

describe('offline engine: the fault-category word model', () => {
  it('keeps only words seen in two or more training documents, and scores categories by them', () => {
    const model = trainWordModel([
      { category: 'capacity', words: ['throttl', 'surge', 'once'] },
      { category: 'capacity', words: ['throttl', 'surge'] },
      { category: 'network', words: ['dns', 'resolv'] },
      { category: 'network', words: ['dns'] },
    ]);
    expect(model.vocabulary).toBe(3);
    expect(model.categories.capacity?.words).toEqual({ surge: 2, throttl: 2 });
    const scores = wordModelScores(model, ['dns', 'unseen']);
    expect((scores.get('network') ?? -Infinity) > (scores.get('capacity') ?? -Infinity)).toBe(true);
  });

  it('scores words named like Object.prototype members as unknown words, never as NaN', () => {
    const model = trainWordModel([
      { category: 'capacity', words: ['throttl', 'surge'] },
      { category: 'capacity', words: ['throttl', 'surge'] },
      { category: 'network', words: ['dns', 'resolv'] },
      { category: 'network', words: ['dns', 'resolv'] },
    ]);
    const plain = wordModelScores(model, ['throttl']);
    const odd = wordModelScores(model, ['throttl', 'constructor', 'tostring', '__proto__', 'hasownproperty']);
    for (const [category, score] of odd) {
      expect(Number.isFinite(score)).toBe(true);
      expect(score).toBe(plain.get(category));
    }
    const document = categoryOf(
      '# Outage\n\nThe constructor of the client threw on start-up and the DNS resolver failed.',
    );
    expect(FAULT_CATEGORIES).toContain(document.faultCategory);
  });

  it('ships a model trained on the development sets only, covering the taxonomy', () => {
    const model = trained as WordModel;
    expect(model.documents).toBeGreaterThanOrEqual(200);
    for (const category of Object.keys(model.categories)) expect(FAULT_CATEGORIES).toContain(category);
  });

  it('is trained on development sets only: the trainer refuses every evaluation set', () => {
    for (const set of ['golden', 'datasets/holdout-1', 'datasets/patterns', 'datasets/patterns-holdout/'])
      expect(() => assertDevelopmentSet(set)).toThrow(/evaluation set/);
    for (const set of DEVELOPMENT_SETS) expect(() => assertDevelopmentSet(set)).not.toThrow();
  });
});

describe('offline engine: word weights by section', () => {
  it('weighs a word met only in impact or background sections at SCENE_WEIGHT, and any plain mention at 1', () => {
    const postmortem = ingestInline(
      `# Queue stall

## Summary

The queue stalled on Monday night.

## Background

The ledger queue feeds the nightly reconciliation batch and sits behind an internal gateway.

## Impact

Reconciliation reports arrived four hours late for every merchant.

## Root cause

A gateway rule edited on Monday dropped every message larger than one megabyte.
`,
      'scene.md',
    );
    const words = categoryFeatures(postmortem, summarizeOffline(postmortem));
    expect(words.get('reconcili')).toBe(SCENE_WEIGHT);
    expect(words.get('merchant')).toBe(SCENE_WEIGHT);
    expect(words.get('megabyte')).toBe(1);
    // "gateway" is named in the background and again in the root cause: the plain mention wins.
    expect(words.get('gateway')).toBe(1);
  });

  it('trains and scores with word weights, and treats a plain word list as weight 1 per distinct word', () => {
    const weighted = trainWordModel([
      {
        category: 'network',
        words: new Map([
          ['resolv', 1],
          ['ledger', 0.5],
        ]),
      },
      {
        category: 'network',
        words: new Map([
          ['resolv', 1],
          ['ledger', 0.5],
        ]),
      },
      { category: 'capacity', words: ['surge', 'ledger'] },
      { category: 'capacity', words: ['surge', 'surge', 'ledger'] },
    ]);
    expect(weighted.categories.network?.words).toEqual({ ledger: 1, resolv: 2 });
    expect(weighted.categories.network?.total).toBe(3);
    expect(weighted.categories.capacity?.words).toEqual({ ledger: 2, surge: 2 });
    const plain = wordModelScores(weighted, ['ledger']);
    const half = wordModelScores(weighted, new Map([['ledger', 0.5]]));
    const none = wordModelScores(weighted, []);
    for (const category of ['network', 'capacity'] as const) {
      const prior = none.get(category) ?? 0;
      expect((half.get(category) ?? 0) - prior).toBeCloseTo(((plain.get(category) ?? 0) - prior) / 2, 10);
    }
  });
});

describe('offline engine: ranking fault categories and the secondary', () => {
  it('ranks every category best first and files the runner-up as secondary only within the margin', () => {
    expect(
      categoriesOf([
        ['deployment', -10],
        ['software-bug', -10.5],
        ['network', -30],
      ]),
    ).toEqual({ faultCategory: 'deployment', faultSecondary: 'software-bug' });
    expect(
      categoriesOf([
        ['deployment', -10],
        ['software-bug', -10 - SECONDARY_MARGIN - 0.1],
      ]),
    ).toEqual({ faultCategory: 'deployment', faultSecondary: null });
    expect(categoriesOf([])).toEqual({ faultCategory: 'unknown', faultSecondary: null });
    const postmortem = ingestInline(
      '# Outage\n\n## Root cause\n\nThe ingress certificate expired and every TLS handshake failed.\n',
      'rank.md',
    );
    const summary = summarizeOffline(postmortem);
    const ranked = rankFaultCategories(trained as WordModel, KEYWORD_WEIGHT, postmortem, summary);
    expect(ranked.map(([, score]) => score)).toEqual([...ranked.map(([, score]) => score)].sort((a, b) => b - a));
    expect(FAULT_CATEGORIES).toContain(categoriesOf(ranked).faultCategory);
  });
});

describe('offline engine: the trained combination of the fault-category evidence', () => {
  const certificate = () => {
    const postmortem = ingestInline(
      '# Outage\n\n## Root cause\n\nThe ingress certificate expired and every TLS handshake failed.\n',
      'pooled.md',
    );
    return { postmortem, summary: summarizeOffline(postmortem) };
  };

  it('files a document by the averaged probabilities of the two shipped models, best first', () => {
    // Prepare
    const { postmortem, summary } = certificate();
    // Act
    const pooled = pooledFaultCategories(FAULT_CATEGORY_MODELS, postmortem, summary);
    // Assert
    expect(pooled.map(([category]) => category).sort()).toEqual([...FAULT_CATEGORIES].sort());
    expect(pooled.reduce((sum, [, probability]) => sum + probability, 0)).toBeCloseTo(1, 6);
    expect(pooled.map(([, p]) => p)).toEqual([...pooled.map(([, p]) => p)].sort((a, b) => b - a));
    expect(pooledCategoriesOf(pooled)).toEqual(documentFaultCategory(postmortem, summary));
    expect(documentFaultCategory(postmortem, summary).faultCategory).toBe('network');
  });

  it('gives each category its evidence features, and the combiner the word model posterior before them', () => {
    // Prepare
    const { postmortem, summary } = certificate();
    // Act
    const cues = faultCategoryCues(postmortem, summary);
    const combined = combinerCues(trained as WordModel, categoryFeatures(postmortem, summary), cues);
    // Assert
    expect([...cues.keys()].sort()).toEqual([...FAULT_CATEGORIES].sort());
    for (const features of cues.values()) expect(features).toHaveLength(8);
    const network = cues.get('network') ?? [];
    expect(network[0]).toBeGreaterThan(0); // keywords of the stated cause
    expect(network[2]).toBeGreaterThan(0); // the expired-certificate rule cue in the cause
    expect(cues.get('deployment')?.[2]).toBe(0);
    for (const features of combined.values()) {
      expect(features).toHaveLength(8);
      expect(features[0]).toBeLessThanOrEqual(0);
      expect(features[0]).toBeGreaterThanOrEqual(-50);
    }
  });

  it('ships a combination trained for every category of the taxonomy', () => {
    for (const model of [FAULT_CATEGORY_MODELS.combiner, FAULT_CATEGORY_MODELS.linear]) {
      expect([...model.categories].sort()).toEqual([...FAULT_CATEGORIES].sort());
      expect(model.bias).toHaveLength(model.categories.length);
      expect(model.cues).toHaveLength(8);
      for (const weight of [...model.bias, ...model.cues]) expect(Number.isFinite(weight)).toBe(true);
    }
    expect(Object.keys(FAULT_CATEGORY_MODELS.combiner.words)).toHaveLength(0);
    expect(Object.keys(FAULT_CATEGORY_MODELS.linear.words).length).toBeGreaterThan(500);
  });

  it('files the runner-up as secondary only within SECONDARY_MARGIN log units of the winner', () => {
    const close = Math.exp(-SECONDARY_MARGIN / 2);
    const far = Math.exp(-SECONDARY_MARGIN - 0.1);
    expect(
      pooledCategoriesOf([
        ['deployment', 0.5],
        ['software-bug', 0.5 * close],
      ]),
    ).toEqual({ faultCategory: 'deployment', faultSecondary: 'software-bug' });
    expect(
      pooledCategoriesOf([
        ['deployment', 0.5],
        ['software-bug', 0.5 * far],
      ]),
    ).toEqual({ faultCategory: 'deployment', faultSecondary: null });
    expect(pooledCategoriesOf([])).toEqual({ faultCategory: 'unknown', faultSecondary: null });
  });

  it('fits a linear model to words and shared evidence weights, deterministically', () => {
    // Prepare
    const options: LinearOptions = {
      words: true,
      wordPenalty: 0.001,
      biasPenalty: 0,
      iterations: 200,
      rate: 0.05,
      biasRate: 0.05,
      cueRate: 0.05,
      minDocuments: 2,
    };
    const cues = (hot: 'network' | 'deployment' | null) =>
      new Map(FAULT_CATEGORIES.map((category) => [category, [category === hot ? 1 : 0]]));
    const examples = [
      { labels: ['network' as const], words: new Map([['dns', 1]]), cues: cues(null) },
      { labels: ['network' as const], words: new Map([['dns', 1]]), cues: cues('network') },
      { labels: ['deployment' as const], words: new Map([['rollout', 1]]), cues: cues(null) },
      { labels: ['deployment' as const], words: new Map([['rollout', 1]]), cues: cues('deployment') },
    ];
    // Act
    const model = trainLinearModel(FAULT_CATEGORIES, examples, options);
    const again = trainLinearModel(FAULT_CATEGORIES, examples, options);
    // Assert
    expect(again).toEqual(model);
    const best = (scores: Map<string, number>) => [...scores].sort((a, b) => b[1] - a[1])[0]?.[0];
    expect(best(linearScores(model, new Map([['dns', 1]]), cues(null)))).toBe('network');
    expect(best(linearScores(model, new Map([['rollout', 1]]), cues(null)))).toBe('deployment');
    expect(model.cues[0]).toBeGreaterThan(0);
    const odd = linearScores(
      model,
      new Map([
        ['constructor', 1],
        ['__proto__', 1],
      ]),
      cues(null),
    );
    for (const score of odd.values()) expect(Number.isFinite(score)).toBe(true);
  });
});
