import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../src/catalog/index.ts';
import type { Engine, FoldIncident, OpportunitySubject } from '../../../src/engines/engine.ts';
import { createOfflineEngine } from '../../../src/engines/offline/index.ts';
import { foldThemesOffline } from '../../../src/engines/offline/fold.ts';
import { MECHANISM_BY_ID } from '../../../src/engines/offline/mechanisms.ts';
import { ThemeDraft, type FaultCategory } from '../../../src/schemas/index.ts';
import { supportsMembership } from '../../../src/stages/themes.ts';

function incident(
  docId: string,
  technologies: string[],
  sentences: string[],
  faultCategory: FaultCategory = 'unknown',
  contributingFactors: string[] = [],
): FoldIncident {
  return {
    docId,
    technologies,
    faultCategory,
    faultSecondary: null,
    sentences,
    causeSentences: sentences.length,
    contributingFactors,
  };
}

/** Two expired certificates in different technologies: one mechanism. */
const KAFKA_EXPIRY = incident(
  'kafka-tls',
  ['Kafka'],
  [
    'The TLS certificate on the Kafka brokers expired on Saturday and producers could no longer connect.',
    'Producers retried for an hour before paging anyone.',
  ],
  'network',
  ['missing-alerting'],
);
const POSTGRES_EXPIRY = incident(
  'pg-cert',
  ['PostgreSQL'],
  [
    'Checkout slowed down after lunch.',
    'The client certificate used by the API to reach PostgreSQL had expired, so every new connection was refused.',
  ],
  'network',
  ['missing-alerting', 'manual-renewal'],
);
/** Shares "certificate" with the two above, but its cause is a bad bundle path, not an expiry. */
const DECOY = incident(
  'nginx-bundle',
  ['NGINX'],
  ['A typo in the certificate bundle path made the Nginx reload fail on every edge proxy host.'],
  'configuration-change',
);
/** A mechanism no other incident shares. */
const TOMBSTONES = incident(
  'cassandra-tombstones',
  ['Cassandra'],
  [
    'Reads scanned millions of tombstones left by a nightly delete job, and read latency grew until requests timed out.',
  ],
  'software-bug',
);

const INCIDENTS = [KAFKA_EXPIRY, DECOY, POSTGRES_EXPIRY, TOMBSTONES];

function draftHolding(drafts: readonly ThemeDraft[], docId: string): ThemeDraft | undefined {
  return drafts.find((draft) => draft.incidentIds.includes(docId));
}

describe('offline engine: fold themes', () => {
  let engine: Engine;

  beforeAll(async () => {
    engine = createOfflineEngine((await loadCatalog()).catalog);
  });

  it('puts two incidents with the same mechanism in different technologies into one theme', () => {
    // Act
    const drafts = foldThemesOffline(INCIDENTS);

    // Assess
    const expiry = draftHolding(drafts, 'kafka-tls');
    expect(expiry?.theme).toBe(MECHANISM_BY_ID.get('expiry')?.theme);
    expect([...(expiry?.incidentIds ?? [])].sort()).toEqual(['kafka-tls', 'pg-cert']);
    expect(expiry?.faultCategory).toBe('network');
    expect(expiry?.contributingFactors).toEqual(['missing-alerting']);
    for (const draft of drafts) expect(ThemeDraft.safeParse(draft).success).toBe(true);
  });

  it('keeps a decoy that shares a word but not the mechanism out of the theme', () => {
    // Act
    const drafts = foldThemesOffline(INCIDENTS);

    // Assess
    const decoy = draftHolding(drafts, 'nginx-bundle');
    expect(decoy?.incidentIds).toEqual(['nginx-bundle']);
    expect(draftHolding(drafts, 'kafka-tls')?.incidentIds).not.toContain('nginx-bundle');
  });

  it('returns an incident whose mechanism nobody shares as a group of one', () => {
    // Act
    const drafts = foldThemesOffline(INCIDENTS);

    // Assess
    const single = draftHolding(drafts, 'cassandra-tombstones');
    expect(single).toMatchObject({
      theme: MECHANISM_BY_ID.get('tombstones')?.theme,
      incidentIds: ['cassandra-tombstones'],
    });
  });

  it('places every incident in exactly one draft', () => {
    // Act
    const drafts = foldThemesOffline(INCIDENTS);

    // Assess
    const placed = drafts.flatMap((draft) => draft.incidentIds).sort();
    expect(placed).toEqual(INCIDENTS.map((entry) => entry.docId).sort());
  });

  it("cites, for every member, one of that member's own sentences, and that evidence supports the membership", () => {
    // Act
    const drafts = foldThemesOffline(INCIDENTS);

    // Assess
    const byId = new Map(INCIDENTS.map((entry) => [entry.docId, entry]));
    for (const draft of drafts) {
      expect(draft.evidence.map((entry) => entry.incidentId).sort()).toEqual([...draft.incidentIds].sort());
      for (const { incidentId, quote } of draft.evidence) {
        const member = byId.get(incidentId);
        expect(member?.sentences).toContain(quote);
        if (member && draft.incidentIds.length > 1) expect(supportsMembership(quote, member, draft)).toBeUndefined();
      }
    }
    // The expiry sentence, not the first sentence, is the PostgreSQL incident's evidence.
    const expiry = draftHolding(drafts, 'pg-cert');
    expect(expiry?.evidence.find((entry) => entry.incidentId === 'pg-cert')?.quote).toBe(POSTGRES_EXPIRY.sentences[1]);
  });

  it('groups incidents no mechanism fits by the rare words of their causes, technology names excluded', () => {
    // Prepare
    const first = incident(
      'ledger-a',
      ['PostgreSQL'],
      ['The ledger reconciliation worker deadlocked on the invoice sequence generator after the upgrade.'],
    );
    const second = incident(
      'ledger-b',
      ['MySQL'],
      ['Again the ledger reconciliation worker deadlocked on the invoice sequence generator.'],
    );
    const other = incident(
      'cdn-logo',
      ['Redis'],
      ['Marketing uploaded an oversized logo that broke the homepage banner.'],
    );

    // Act
    const drafts = foldThemesOffline([first, other, second], ['postgresql', 'mysql', 'redis']);

    // Assess
    expect(draftHolding(drafts, 'ledger-a')?.incidentIds).toEqual(['ledger-a', 'ledger-b']);
    expect(draftHolding(drafts, 'cdn-logo')?.incidentIds).toEqual(['cdn-logo']);
    const ledger = draftHolding(drafts, 'ledger-a');
    for (const { incidentId, quote } of ledger?.evidence ?? []) {
      const member = incidentId === 'ledger-a' ? first : second;
      if (ledger) expect(supportsMembership(quote, member, ledger)).toBeUndefined();
    }
  });

  it('gives the same themes whatever the order of the incidents', () => {
    // Act
    const forward = foldThemesOffline(INCIDENTS);
    const backward = foldThemesOffline([...INCIDENTS].reverse());

    // Assess
    const shape = (drafts: ThemeDraft[]) =>
      drafts
        .map((draft) => [draft.theme, [...draft.incidentIds].sort()] as const)
        .sort((a, b) => a[0].localeCompare(b[0]));
    expect(shape(backward)).toEqual(shape(forward));
  });

  it('folds no incidents into no drafts, through the engine as well', async () => {
    // Act
    const { output } = await engine.foldPatterns({ incidents: [] });

    // Assess
    expect(foldThemesOffline([])).toEqual([]);
    expect(output).toEqual([]);
  });

  it('words one opportunity per subject, naming the technologies and the investment of the mechanism', async () => {
    // Prepare
    const expiry = MECHANISM_BY_ID.get('expiry');
    const subjects: OpportunitySubject[] = [
      {
        id: 'expiry-theme',
        theme: expiry?.theme ?? '',
        description: expiry?.description ?? '',
        technologies: ['Kafka', 'PostgreSQL'],
        faultCategory: 'network',
        contributingFactors: ['missing-alerting'],
        count: 2,
      },
      {
        id: 'incident-x',
        theme: 'One capacity incident',
        description: 'A single incident.',
        technologies: [],
        faultCategory: 'capacity',
        contributingFactors: [],
        count: 1,
      },
    ];

    // Act
    const { output: texts } = await engine.describeOpportunities({ patterns: subjects });

    // Assess
    expect(texts.map((text) => text.patternId)).toEqual(['expiry-theme', 'incident-x']);
    expect(texts[0]?.title).toContain(expiry?.investment ?? '?');
    expect(texts[0]?.title).toContain('Kafka, PostgreSQL');
    expect(texts[0]?.rationale).toContain('2 incidents');
    expect(texts[1]?.title).toContain('across services');
    expect(texts[1]?.rationale).toContain('One severe incident');
  });
});
