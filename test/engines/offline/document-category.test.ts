import { describe, expect, it } from 'vitest';
import {
  categoriesOf,
  documentFaultCategory,
  documentFaultCategoryWith,
  KEYWORD_WEIGHT,
  rankFaultCategories,
  SECONDARY_MARGIN,
} from '../../../src/engines/offline/document-category.ts';
import trained from '../../../src/engines/offline/models/fault-categories.json' with { type: 'json' };
import { summarizeOffline } from '../../../src/engines/offline/summarize.ts';
import {
  categoryFeatures,
  SCENE_WEIGHT,
  trainWordModel,
  wordModelScores,
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
    expect(categoriesOf(ranked)).toEqual(documentFaultCategory(postmortem, summary));
  });
});
