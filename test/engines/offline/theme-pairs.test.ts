import { describe, expect, it } from 'vitest';
import type { FoldIncident } from '../../../src/engines/engine.ts';
import { excludedWordsOf, foldThemesOffline, similarityGrouping, wordsOf } from '../../../src/engines/offline/fold.ts';
import {
  averageLinkage,
  groupByPairModel,
  pairFeatures,
  preparePairCorpus,
  trainPairModel,
  PAIR_FEATURES,
  type PairExample,
} from '../../../bench/theme-pairs.ts';
import { foldIncident } from '../../support/themes.ts';

/** Two made-up incidents told in other words than any cue: a quota ledger that never reconciles. */
const LEDGER_ONE = foldIncident(
  'ledger-one',
  ['Redis'],
  [
    'The quota ledger drifted because the reconciler skipped tenants whose ledger shard was marked frozen.',
    'Frozen shards accumulated stale quota entries until admission rejected every tenant request.',
  ],
  'software-bug',
);
const LEDGER_TWO = foldIncident(
  'ledger-two',
  ['PostgreSQL'],
  [
    'Our reconciler ignored frozen ledger shards, so stale quota entries piled up for those tenants.',
    'Admission then rejected requests from tenants whose quota looked exhausted.',
  ],
  'software-bug',
);
/** Shares "tenants" and "requests" only: another mechanism. */
const DECOY = foldIncident(
  'dns-decoy',
  ['Kafka'],
  ['A resolver cache kept an old address after the migration, and tenants saw requests time out for an hour.'],
  'network',
);

const items = (incidents: readonly FoldIncident[]) =>
  incidents.map((entry) => ({ incident: entry, words: wordsOf(entry, excludedWordsOf(['Redis', 'PostgreSQL'])) }));

describe('theme pairs: average linkage', () => {
  it('does not chain: a group joins only what pairs with its members on average', () => {
    // Arrange: 0-1 and 1-2 pair strongly, 0-2 not at all (connected components would join all three)
    const links = new Map([
      [0, new Map([[1, 0.9]])],
      [
        1,
        new Map([
          [0, 0.9],
          [2, 0.85],
        ]),
      ],
      [2, new Map([[1, 0.85]])],
    ]);

    // Act
    const groups = averageLinkage(3, links, 0.5);

    // Assert
    expect(groups).toEqual([[0, 1], [2]]);
    expect(averageLinkage(3, links, 0.5, 'complete')).toEqual([[0, 1], [2]]);
  });

  it('joins three incidents that all pair with each other', () => {
    // Arrange
    const links = new Map([
      [
        0,
        new Map([
          [1, 0.9],
          [2, 0.7],
        ]),
      ],
      [
        1,
        new Map([
          [0, 0.9],
          [2, 0.8],
        ]),
      ],
      [
        2,
        new Map([
          [0, 0.7],
          [1, 0.8],
        ]),
      ],
    ]);

    // Act / Assert
    expect(averageLinkage(3, links, 0.6)).toEqual([[0, 1, 2]]);
    expect(averageLinkage(3, links, 0.95)).toEqual([[0], [1], [2]]);
  });
});

describe('theme pairs: features and model', () => {
  it('reads more shared mechanism between two incidents that tell it than with a decoy', () => {
    // Arrange
    const corpus = preparePairCorpus(items([LEDGER_ONE, LEDGER_TWO, DECOY]), excludedWordsOf(['Redis', 'PostgreSQL']));
    const feature = (name: (typeof PAIR_FEATURES)[number], left: number, right: number) =>
      pairFeatures(corpus, left, right)[PAIR_FEATURES.indexOf(name)] ?? Number.NaN;

    // Act / Assert
    expect(corpus.candidates).toContainEqual([0, 1]);
    expect(feature('cosine', 0, 1)).toBeGreaterThan(0.2);
    expect(feature('cosine', 0, 2)).toBeLessThan(0.1);
    expect(feature('cosine', 0, 1)).toBeGreaterThan(feature('cosine', 0, 2));
    expect(feature('shareCategory', 0, 1)).toBe(1);
    expect(feature('sharedTechnology', 0, 1)).toBe(0);
  });

  it('trains deterministically, and groups by its threshold', () => {
    // Arrange: pairs whose cosine alone tells them apart
    const examples: PairExample[] = [0.01, 0.03, 0.05, 0.08, 0.2, 0.3, 0.4, 0.5].map((cosine) => ({
      features: PAIR_FEATURES.map((name) => (name === 'cosine' ? cosine : 0)),
      same: cosine > 0.15,
    }));

    // Act
    const model = trainPairModel(examples, 0.5);
    const again = trainPairModel(examples, 0.5);
    const groups = groupByPairModel(
      items([LEDGER_ONE, DECOY, LEDGER_TWO]),
      model,
      excludedWordsOf(['Redis', 'PostgreSQL']),
    ).map((group) => group.map((member) => member.incident.docId));

    // Assert
    expect(again).toEqual(model);
    expect(model.weights[PAIR_FEATURES.indexOf('cosine')]).toBeGreaterThan(0);
    expect(groups).toContainEqual(['ledger-one', 'ledger-two']);
    expect(groups).toContainEqual(['dns-decoy']);
  });
});

describe('offline fold options', () => {
  it('groups every incident by the given grouping when the mechanism cues are off', () => {
    // Arrange: two expired certificates, which the cues name as one mechanism
    const first = foldIncident(
      'cert-a',
      ['Kafka'],
      ['The TLS certificate on the brokers expired on Saturday.'],
      'network',
    );
    const second = foldIncident(
      'cert-b',
      ['PostgreSQL'],
      ['The client certificate had expired, so connections were refused.'],
      'network',
    );
    const seen: string[][] = [];

    // Act
    const withCues = foldThemesOffline([first, second]);
    const withoutCues = foldThemesOffline([first, second], [], {
      mechanisms: false,
      group: (leftovers) => {
        seen.push(leftovers.map((leftover) => leftover.incident.docId));
        return leftovers.map((leftover) => [leftover]);
      },
    });

    // Assert
    expect(withCues.find((draft) => draft.incidentIds.length === 2)).toBeDefined();
    expect(seen).toEqual([['cert-a', 'cert-b']]);
    expect(withoutCues.map((draft) => draft.incidentIds)).toEqual([['cert-a'], ['cert-b']]);
  });

  it('joins on the similarity threshold it is given', () => {
    // Act
    const loose = foldThemesOffline([LEDGER_ONE, LEDGER_TWO], [], { group: similarityGrouping(0) });
    const strict = foldThemesOffline([LEDGER_ONE, LEDGER_TWO], [], { group: similarityGrouping(1.01) });

    // Assert
    expect(loose.map((draft) => draft.incidentIds)).toEqual([['ledger-one', 'ledger-two']]);
    expect(strict.map((draft) => draft.incidentIds)).toHaveLength(2);
  });
});
