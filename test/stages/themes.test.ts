import { describe, expect, it } from 'vitest';
import type { ThemeDraft } from '../../src/engines/engine.ts';
import { FoldResult, type FaultCategory } from '../../src/schemas/index.ts';
import { findDuplicates, settleThemes, supportsMembership, type CorpusIncident } from '../../src/stages/themes.ts';
import { foldThemesOffline } from '../../src/engines/offline/fold.ts';

function incident(
  docId: string,
  sentences: string[],
  options: {
    technologies?: string[];
    date?: string | null;
    contentHash?: string | null;
    faultCategory?: FaultCategory;
  } = {},
): CorpusIncident {
  return {
    docId,
    technologies: options.technologies ?? ['Redis'],
    faultCategory: options.faultCategory ?? 'resource-exhaustion',
    faultSecondary: null,
    sentences,
    causeSentences: sentences.length,
    contributingFactors: [],
    contentHash: options.contentHash ?? null,
    date: options.date ?? null,
  };
}

const POOL_A = 'The connection pool of the billing API was exhausted when slow queries held every connection.';
const POOL_B = 'Every connection in the pool was held by a stuck batch, so the pool was exhausted for an hour.';
const POOL_C = 'The worker pool exhausted its database connections after a deploy doubled the worker count.';
const DISK = 'The disk of the logging host filled up because log rotation had been disabled.';

function draft(
  theme: string,
  members: Array<[string, string]>,
  description = 'Connections of a pool were all held, so the pool was exhausted.',
): ThemeDraft {
  return {
    theme,
    description,
    faultCategory: 'resource-exhaustion',
    contributingFactors: [],
    incidentIds: members.map(([id]) => id),
    evidence: members.map(([incidentId, quote]) => ({ incidentId, quote })),
  };
}

/** Every incident must be in exactly one of: a theme, notRecurring, noCatalog, duplicates. */
function accountedIds(fold: FoldResult): string[] {
  return [
    ...fold.patterns.flatMap((pattern) => pattern.incidentIds),
    ...fold.notRecurring.map((entry) => entry.incidentId),
    ...fold.noCatalog.map((entry) => entry.incidentId),
    ...fold.duplicates.map((entry) => entry.incidentId),
  ].sort();
}

describe('stages: findDuplicates', () => {
  it('counts a document with the same bytes, or the same outputs word for word, once under the first id', () => {
    // Prepare
    const incidents = [
      incident('b-copy', [POOL_A], { contentHash: 'hash-1' }),
      incident('a-original', [POOL_A], { contentHash: 'hash-1' }),
      incident('c-pasted', [POOL_A.toUpperCase()], { contentHash: 'hash-2' }),
      incident('d-other', [DISK], { contentHash: 'hash-3' }),
    ];

    // Act
    const { unique, duplicates } = findDuplicates(incidents);

    // Assess
    expect(unique.map((entry) => entry.docId)).toEqual(['a-original', 'd-other']);
    expect(duplicates).toEqual([
      { incidentId: 'b-copy', duplicateOf: 'a-original' },
      { incidentId: 'c-pasted', duplicateOf: 'a-original' },
    ]);
  });

  it('does not call two incidents duplicates on too little shared text', () => {
    // Prepare
    const incidents = [incident('x', ['Redis fell over.']), incident('y', ['Redis fell over.'])];

    // Act
    const { unique, duplicates } = findDuplicates(incidents);

    // Assess
    expect(unique).toHaveLength(2);
    expect(duplicates).toEqual([]);
  });
});

describe('stages: supportsMembership', () => {
  const member = incident('a', [POOL_A, DISK]);
  const pool = draft('Connection pool exhaustion', [['a', POOL_A]]);

  it("accepts a member's own sentence, or a span of one, that speaks to the theme", () => {
    expect(supportsMembership(POOL_A, member, pool)).toBeUndefined();
    expect(supportsMembership('connection pool of the billing API was exhausted', member, pool)).toBeUndefined();
  });

  it("rejects a quote that is not the member's, one too short, and one sharing no word with the theme", () => {
    expect(supportsMembership(POOL_B, member, pool)).toMatch(/not a sentence/);
    expect(supportsMembership('the pool', member, pool)).toMatch(/too short/);
    expect(supportsMembership(DISK, member, pool)).toMatch(/shares no word/);
  });
});

describe('stages: settleThemes', () => {
  it('counts a duplicate once: it is listed as a duplicate, not as a member', () => {
    // Prepare
    const incidents = [
      incident('a', [POOL_A], { contentHash: 'h' }),
      incident('a-copy', [POOL_A], { contentHash: 'h' }),
      incident('b', [POOL_B]),
    ];
    const { unique, duplicates } = findDuplicates(incidents);
    const drafts = [
      draft('Connection pool exhaustion', [
        ['a', POOL_A],
        ['b', POOL_B],
      ]),
    ];

    // Act
    const fold = settleThemes(drafts, unique, duplicates);

    // Assess
    expect(fold.patterns).toHaveLength(1);
    expect(fold.patterns[0]).toMatchObject({ incidentIds: ['a', 'b'], count: 2 });
    expect(fold.duplicates).toEqual([{ incidentId: 'a-copy', duplicateOf: 'a' }]);
    expect(accountedIds(fold)).toEqual(['a', 'a-copy', 'b']);
  });

  it('drops and records a member whose quote is not its own sentence, and a member with an invented id', () => {
    // Prepare
    const incidents = [incident('a', [POOL_A]), incident('b', [POOL_B]), incident('c', [POOL_C])];
    const drafts = [
      draft('Connection pool exhaustion', [
        ['a', POOL_A],
        ['b', POOL_B],
        // c's quote is a's sentence: not c's own.
        ['c', POOL_A],
        ['ghost', 'The connection pool of the ghost service was exhausted.'],
      ]),
    ];

    // Act
    const fold = settleThemes(drafts, incidents, []);

    // Assess
    expect(fold.patterns.map((pattern) => pattern.incidentIds)).toEqual([['a', 'b']]);
    expect(fold.dropped).toEqual([
      {
        incidentId: 'c',
        theme: 'Connection pool exhaustion',
        reason: "its evidence is not a sentence of the incident's outputs",
      },
      { incidentId: 'ghost', theme: 'Connection pool exhaustion', reason: 'no analysed incident has this id' },
    ]);
    expect(fold.notRecurring.map((entry) => entry.incidentId)).toEqual(['c']);
    expect(accountedIds(fold)).toEqual(['a', 'b', 'c']);
  });

  it('gives a hostile "everything is PostgreSQL" theme no cause: unsupported members drop, technologies come from the classifications', () => {
    // Prepare: a model that lumps every incident into one invented theme, citing each one's own first sentence.
    const incidents = [
      incident('a', [POOL_A], { technologies: ['Redis'] }),
      incident('b', [POOL_B], { technologies: ['Kafka'] }),
      incident('c', [DISK], { technologies: [] }),
    ];
    const everything = draft(
      'PostgreSQL everywhere',
      [
        ['a', POOL_A],
        ['b', POOL_B],
        ['c', DISK],
      ],
      'Every connection pool was exhausted by PostgreSQL.',
    );

    // Act
    const fold = settleThemes([everything], incidents, []);

    // Assess: the disk incident shares nothing with the theme and is dropped; the theme that stands
    // names the members' own causal technologies, never the model's PostgreSQL.
    expect(fold.dropped).toEqual([
      { incidentId: 'c', theme: 'PostgreSQL everywhere', reason: 'its evidence shares no word with the theme' },
    ]);
    expect(fold.patterns.map((pattern) => [pattern.incidentIds, pattern.technologies])).toEqual([
      [
        ['a', 'b'],
        ['Kafka', 'Redis'],
      ],
    ]);
    expect(fold.noCatalog.map((entry) => entry.incidentId)).toEqual(['c']);
  });

  it('drops a member the theme cites no evidence for', () => {
    // Prepare
    const incidents = [incident('a', [POOL_A]), incident('b', [POOL_B]), incident('c', [POOL_C])];
    const theme = draft('Connection pool exhaustion', [
      ['a', POOL_A],
      ['b', POOL_B],
    ]);

    // Act
    const fold = settleThemes([{ ...theme, incidentIds: ['a', 'b', 'c'] }], incidents, []);

    // Assess
    expect(fold.patterns[0]?.incidentIds).toEqual(['a', 'b']);
    expect(fold.dropped).toEqual([
      { incidentId: 'c', theme: 'Connection pool exhaustion', reason: 'the theme cites no evidence of this member' },
    ]);
  });

  it('keeps a member two drafts claim in the larger theme only', () => {
    // Prepare
    const incidents = [
      incident('a', [POOL_A]),
      incident('b', [POOL_B]),
      incident('c', [POOL_C]),
      incident('d', [DISK, 'The pool of log shippers was exhausted too.']),
    ];
    const larger = draft('Connection pool exhaustion', [
      ['a', POOL_A],
      ['b', POOL_B],
      ['c', POOL_C],
    ]);
    const smaller = draft(
      'Worker pool saturation',
      [
        ['c', POOL_C],
        ['d', 'The pool of log shippers was exhausted too.'],
      ],
      'Worker pools were exhausted.',
    );

    // Act
    const fold = settleThemes([smaller, larger], incidents, []);

    // Assess
    expect(fold.patterns.map((pattern) => [pattern.theme, pattern.incidentIds])).toEqual([
      ['Connection pool exhaustion', ['a', 'b', 'c']],
    ]);
    // The smaller theme lost c, so d alone does not recur yet; it keeps the theme it was read with.
    expect(fold.notRecurring).toEqual([
      {
        incidentId: 'd',
        theme: 'Worker pool saturation',
        technologies: ['Redis'],
        faultCategory: 'resource-exhaustion',
      },
    ]);
    expect(accountedIds(fold)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('sends groups of one to notRecurring when they have a catalog technology, to noCatalog otherwise', () => {
    // Prepare
    const incidents = [
      incident('a', [POOL_A]),
      incident('b', [POOL_B]),
      incident('lonely', [DISK], { technologies: ['Elasticsearch', 'Kafka'] }),
      incident('nocat', ['A human deleted the DNS zone by hand.'], {
        technologies: [],
        faultCategory: 'operational-error',
      }),
      incident('unfolded', ['Nobody knows what happened to the batch system.'], { technologies: ['Kafka'] }),
    ];
    const drafts = [
      draft('Connection pool exhaustion', [
        ['a', POOL_A],
        ['b', POOL_B],
      ]),
      draft('Log disk full', [['lonely', DISK]], 'A disk filled up with logs.'),
      draft('Zone deleted', [['nocat', 'A human deleted the DNS zone by hand.']], 'A DNS zone was deleted.'),
    ];

    // Act
    const fold = settleThemes(drafts, incidents, []);

    // Assess
    expect(fold.patterns.map((pattern) => pattern.incidentIds)).toEqual([['a', 'b']]);
    expect(fold.notRecurring).toEqual([
      {
        incidentId: 'lonely',
        theme: 'Log disk full',
        technologies: ['Elasticsearch', 'Kafka'],
        faultCategory: 'resource-exhaustion',
      },
      { incidentId: 'unfolded', theme: null, technologies: ['Kafka'], faultCategory: 'resource-exhaustion' },
    ]);
    expect(fold.noCatalog).toEqual([{ incidentId: 'nocat', faultCategory: 'operational-error' }]);
    expect(FoldResult.safeParse(fold).success).toBe(true);
  });

  it('accounts for every incident exactly once, whatever the drafts say', () => {
    // Prepare
    const incidents = [
      incident('a', [POOL_A], { contentHash: 'h1' }),
      incident('a2', [POOL_A], { contentHash: 'h1' }),
      incident('b', [POOL_B]),
      incident('c', [POOL_C]),
      incident('d', [DISK], { technologies: [] }),
      incident('e', ['Nothing was learnt from this one at all, sadly.']),
    ];
    const { unique, duplicates } = findDuplicates(incidents);
    const drafts = [
      draft('Connection pool exhaustion', [
        ['a', POOL_A],
        ['b', POOL_B],
        ['c', POOL_C],
        ['a2', POOL_A],
      ]),
      draft('Pool again', [
        ['b', POOL_B],
        ['c', POOL_C],
      ]),
      draft('Disk', [['d', DISK]], 'A disk filled up.'),
    ];

    // Act
    const fold = settleThemes(drafts, unique, duplicates);

    // Assess
    const ids = accountedIds(fold);
    expect(ids).toEqual(['a', 'a2', 'b', 'c', 'd', 'e']);
    expect(new Set(ids).size).toBe(ids.length);
    // The duplicate named in a draft is no member: it is not an analysed incident of the fold.
    expect(fold.dropped.map((entry) => entry.incidentId)).toEqual(['a2']);
  });

  it('dates a theme: first and last seen, and members per quarter', () => {
    // Prepare
    const incidents = [
      incident('a', [POOL_A], { date: '2025-02-10' }),
      incident('b', [POOL_B], { date: '2024-11-30' }),
      incident('c', [POOL_C], { date: '2025-03-31' }),
      incident('d', ['The connection pool was exhausted once more, undated this time.']),
    ];
    const drafts = [
      draft('Connection pool exhaustion', [
        ['a', POOL_A],
        ['b', POOL_B],
        ['c', POOL_C],
        ['d', 'The connection pool was exhausted once more, undated this time.'],
      ]),
    ];

    // Act
    const fold = settleThemes(drafts, incidents, []);

    // Assess
    expect(fold.patterns[0]).toMatchObject({
      incidentIds: ['a', 'b', 'c', 'd'],
      count: 4,
      firstSeen: '2024-11-30',
      lastSeen: '2025-03-31',
      byQuarter: { '2024-Q4': 1, '2025-Q1': 2 },
      technologies: ['Redis'],
    });
    expect(fold.patterns[0]?.evidence.map((entry) => entry.incidentId)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('gives two themes of the same name distinct ids', () => {
    // Prepare
    const incidents = [
      incident('a', [POOL_A]),
      incident('b', [POOL_B]),
      incident('c', [POOL_C]),
      incident('d', ['The pool was exhausted by retries in the payment worker.']),
    ];
    const drafts = [
      draft('Connection pool exhaustion', [
        ['a', POOL_A],
        ['b', POOL_B],
      ]),
      draft('Connection pool exhaustion', [
        ['c', POOL_C],
        ['d', 'The pool was exhausted by retries in the payment worker.'],
      ]),
    ];

    // Act
    const fold = settleThemes(drafts, incidents, []);

    // Assess
    const ids = fold.patterns.map((pattern) => pattern.id);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
  });
});

describe('settleThemes over the offline fold: structural readings', () => {
  it('settles two differently worded members of one structural theme and leaves their decoys not recurring', () => {
    // Prepare: two promotions of a lagging replica, a clean failover, and a wrong-environment command.
    const incidents = [
      incident(
        'promote-a',
        [
          'The on-call engineer promoted the standby while it was still two minutes behind, so recent orders were missing.',
        ],
        { technologies: ['PostgreSQL'], faultCategory: 'failover-replication' },
      ),
      incident(
        'promote-b',
        ['The failover manager promoted a replica inside its lag allowance, and acknowledged payments were lost.'],
        { technologies: ['MySQL'], faultCategory: 'failover-replication' },
      ),
      incident(
        'clean-failover',
        ['The standby was promoted within seconds, fully caught up, with no transactions lost.'],
        {
          technologies: ['PostgreSQL'],
          faultCategory: 'failover-replication',
        },
      ),
      incident(
        'wrong-env',
        ['An operator ran a truncate script intended for the staging warehouse against the production warehouse.'],
        { technologies: ['MySQL'], faultCategory: 'operational-error' },
      ),
    ];

    // Act
    const fold = settleThemes(foldThemesOffline(incidents), incidents, []);

    // Assess
    expect(fold.patterns.map((pattern) => pattern.incidentIds)).toEqual([['promote-a', 'promote-b']]);
    expect(fold.patterns[0]?.technologies).toEqual(['MySQL', 'PostgreSQL']);
    expect(fold.notRecurring.map((entry) => entry.incidentId)).toEqual(['clean-failover', 'wrong-env']);
    expect(fold.dropped).toEqual([]);
  });
});
