import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../src/catalog/index.ts';
import type { Engine, FoldIncident, OpportunitySubject } from '../../../src/engines/engine.ts';
import { createOfflineEngine } from '../../../src/engines/offline/index.ts';
import { foldThemesOffline } from '../../../src/engines/offline/fold.ts';
import { categoryContradicts, MECHANISM_BY_ID, readMechanism } from '../../../src/engines/offline/mechanisms.ts';
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

/** The mechanism id read from sentences written for these tests (not taken from any dataset). */
function mechanismOf(sentences: string[], faultCategory?: FaultCategory): string | undefined {
  return readMechanism(sentences, undefined, { faultCategory })?.mechanism.id;
}

describe('offline engine: mechanisms read by structure', () => {
  // Each row: a mechanism, two freshly written members in different words, and a decoy that shares
  // words but not the mechanism (it must read something else, or nothing).
  const cases: Array<{ id: string; members: [string, string]; decoy: string }> = [
    {
      id: 'retry-storm',
      members: [
        'The checkout gateway slowed, clients timed out, and their retries produced more load than the gateway could take.',
        'Every worker retried on its own, and the retries consumed most of the capacity the queue broker had left.',
      ],
      decoy: 'For the record, this was not a retry storm: the search nodes ran out of heap during a reindex.',
    },
    {
      id: 'global-config-push',
      members: [
        'A new timeout value was published to every region of the edge cache within a minute.',
        'The sidecar settings for all twelve clusters come from a single template, so the bad value reached them together.',
      ],
      decoy: 'The staged rollout worked as designed and the canary halted the build before it left the first zone.',
    },
    {
      id: 'disk-full',
      members: [
        'Old snapshots were kept on the data volume long after the files they referenced had been compacted away.',
        'The archive node ran out of disk because the audit logs were written to a partition nothing ever pruned.',
      ],
      decoy: 'The backup job copied the logs to object storage every night as planned.',
    },
    {
      id: 'lifecycle-deletion',
      members: [
        'The retention job removed every invoice PDF older than ninety days, including the ones still referenced.',
        'The nightly janitor task deleted 40,000 active user avatars because its join matched nothing.',
      ],
      decoy: 'Users deleted their own drafts, and the support team restored a few from the trash on request.',
    },
    {
      id: 'wrong-target',
      members: [
        'An operator ran a truncate script intended for the staging warehouse against the production warehouse.',
        'While cleaning the test namespace, an engineer deleted the ingress objects from the production cluster by mistake.',
      ],
      decoy: 'The production database was restarted by the cloud provider during its maintenance window.',
    },
    {
      id: 'resource-leak',
      members: [
        'A missing close on the error path leaked one file handle per failed upload until the process hit its limit.',
        'Each cancelled request leaked a worker thread, and the thread count rose steadily since the last restart.',
      ],
      decoy: 'We raised the memory limit of the importer after a bigger customer file arrived.',
    },
    {
      id: 'shard-count',
      members: [
        'Creating an index for each tenant left the search cluster with 31,200 shards on six data nodes.',
        'Each open shard carries a fixed heap overhead, and the metrics cluster had accumulated 12,500 shards.',
      ],
      decoy: 'The dashboard query asked for 50,000 buckets and tripped the circuit breaker.',
    },
    {
      id: 'unacked-deliveries',
      members: [
        'The new consumer ran with no prefetch limit, so unacked messages piled up in the broker until publishers were blocked.',
        'Because the QoS setting was omitted, the slow worker pulled every message and unacknowledged deliveries accumulated in broker memory.',
      ],
      decoy: 'The consumer acknowledged each message after writing it, and the queue drained within minutes.',
    },
    {
      id: 'replica-resync-loop',
      members: [
        'The follower never got through its initial transfer, because the writes buffered meanwhile exceeded the output buffer limit.',
        'The primary kept re-sending the entire dataset to the new replica, and the full sync started over again and again.',
      ],
      decoy: 'A dashboard showed a high full resync rate, but it was a false alarm from a broken metrics exporter.',
    },
    {
      id: 'promoted-lagging-replica',
      members: [
        'The on-call engineer promoted the standby while it was still two minutes behind, and the orders written in that window were missing.',
        'The failover manager promoted a replica inside its lag allowance, and acknowledged payments were lost on the new primary.',
      ],
      decoy: 'The standby was promoted within seconds, fully caught up, with no transactions lost.',
    },
  ];

  for (const { id, members, decoy } of cases)
    it(`reads ${id} from two differently worded causes and keeps the decoy out`, () => {
      // Act
      const read = members.map((sentence) => mechanismOf([sentence]));
      const decoyRead = mechanismOf([decoy]);

      // Assess
      expect(read).toEqual([id, id]);
      expect(decoyRead).not.toBe(id);
    });

  it('does not read a consumer rebalance from shards being rebalanced', () => {
    // Act
    const shards = mechanismOf([
      'Two data nodes left the cluster and the shard rebalancing that followed made it worse.',
    ]);
    const consumers = mechanismOf([
      'The consumers kept missing the poll deadline, so the group rebalanced every few minutes.',
    ]);

    // Assess
    expect(shards).not.toBe('consumer-rebalance');
    expect(consumers).toBe('consumer-rebalance');
  });

  it('lets the fault category break a near tie and never name a mechanism on its own', () => {
    // Prepare: a change applied to all clusters, after which the caches ran out of memory.
    const sentences = [
      'The new cache setting was applied to all nine cache clusters.',
      'The caches then ran out of memory and refused writes.',
    ];

    // Act
    const asChange = mechanismOf(sentences, 'configuration-change');
    const asExhaustion = mechanismOf(sentences, 'resource-exhaustion');
    const nothing = mechanismOf(['The dashboard was slow on Tuesday.'], 'configuration-change');

    // Assess
    expect(asChange).toBe('global-config-push');
    expect(asExhaustion).toBe('memory-exhaustion');
    expect(nothing).toBeUndefined();
  });

  it('keeps incidents that share words but not a fault category out of one similarity group', () => {
    // Prepare: the same status-page wording, different failures.
    const first = incident(
      'status-a',
      [],
      ['Investigating elevated errors on the mobile app for customers in every market since 10:14 UTC.'],
      'capacity',
    );
    const second = incident(
      'status-b',
      [],
      ['Investigating elevated errors on the mobile app sign-in for customers since 19:06 UTC.'],
      'deployment',
    );

    // Act
    const drafts = foldThemesOffline([first, second]);

    // Assess
    expect(draftHolding(drafts, 'status-a')?.incidentIds).toEqual(['status-a']);
    expect(draftHolding(drafts, 'status-b')?.incidentIds).toEqual(['status-b']);
  });

  it('folds the members of each structural reading into one theme whose evidence supports them', () => {
    // Prepare
    const incidents = cases.flatMap(({ id, members }) =>
      members.map((sentence, index) => incident(`${id}-${index}`, [], [sentence], 'unknown')),
    );

    // Act
    const drafts = foldThemesOffline(incidents);

    // Assess
    for (const { id } of cases) {
      const draft = draftHolding(drafts, `${id}-0`);
      expect(draft?.incidentIds).toEqual([`${id}-0`, `${id}-1`]);
      for (const { incidentId, quote } of draft?.evidence ?? []) {
        const member = incidents.find((candidate) => candidate.docId === incidentId);
        if (draft && member) expect(supportsMembership(quote, member, draft)).toBeUndefined();
      }
    }
  });
});

describe('offline engine: mechanisms told without their usual words (issue 9)', () => {
  // Fresh sentences: each mechanism in two voices that avoid its name, and a decoy that shares
  // words with it but fails another way (it must read something else, or nothing).
  const cases: Array<{ id: string; members: [string, string]; decoy: string }> = [
    {
      id: 'retry-storm',
      members: [
        'When the ledger slowed for a moment, every caller came back at once with no backoff between attempts.',
        'Each timed-out upload was attempted up to nine times in quick succession by the mobile client.',
      ],
      decoy: 'Uploads were retried with exponential backoff and jitter, and the queue drained normally.',
    },
    {
      id: 'retry-storm',
      members: [
        'After the cache node restart, all 3,000 app processes reconnected in a tight loop and the new node never caught up.',
        'Their failures triggered another refresh of the routing table, and each refresh added to the load.',
      ],
      decoy: 'The app processes reconnected after the planned restart, as designed, within a second.',
    },
    {
      id: 'connection-exhaustion',
      members: [
        'The pool size times the number of pods went past what the server allowed once the deployment scaled out.',
        'Each of the 300 workers opened its own pool of 25 connections, and the database hit its connection limit.',
      ],
      decoy: 'Each worker reuses one shared HTTP client, and the API answered normally all day.',
    },
    {
      id: 'global-config-push',
      members: [
        'The edited proxy rule was published to every point of presence within the same sync.',
        'The new toggle was switched on for all customers in every region from one console click.',
      ],
      decoy: 'We published the new rule to two sites first and the canary caught the mistake before the rest.',
    },
    {
      id: 'lifecycle-deletion',
      members: [
        'Our cleanup settings delete scratch uploads after fourteen days, and the new rule matched the archive folder too.',
        'The table had a default_time_to_live of ninety days copied from another table, so old tickets were expired silently.',
      ],
      decoy: 'We keep invoices for seven years and nothing was deleted; the report query simply timed out.',
    },
    {
      id: 'consumer-rebalance',
      members: [
        'A member that does not poll within the configured interval is removed from the group, and its partitions move.',
        'Because the batch took longer than the poll interval, the group churned through rebalances all night.',
      ],
      decoy: 'The analytics batch took longer than usual because the warehouse was busy, and the report was late.',
    },
    {
      id: 'redelivery-timeout',
      members: [
        'The broker closed the channel because the export worker did not acknowledge the job within the 30 minute limit.',
        'Some customers received the same receipt four times as the job kept coming back to another worker.',
      ],
      decoy: 'The worker acknowledged each job as soon as it finished and nothing was sent twice.',
    },
    {
      id: 'expiry',
      members: [
        'The partner endpoint uses a certificate that was renewed by hand once a year by one engineer.',
        'We issued that internal root with a five-year lifetime and nobody tracked it.',
      ],
      decoy: 'The certificate was valid; the handshake failed because the client pinned an old cipher suite.',
    },
    {
      id: 'hot-partition',
      members: [
        'Almost all writes for the launch landed on one partition, while all other partitions stayed idle.',
        'The nightly job wrote every object under the same prefix, using sequential ids, and got throttled.',
      ],
      decoy: 'Writes were spread over all partitions, and the whole cluster ran out of capacity at the peak.',
    },
    {
      id: 'wrong-target',
      members: [
        'The operator ran the cleanup believing the selected workspace was staging, and it deleted live routes.',
        'The script used whatever credentials the shell held, and the test and production accounts have identical names.',
      ],
      decoy: 'The operator ran the cleanup in staging as planned, and production was untouched.',
    },
    {
      id: 'clock-skew',
      members: [
        'The gateway rejected tokens as not yet valid because their issued-at time was in the future.',
        'The clocks were off by two minutes on the new hosts, so lease checks failed.',
      ],
      decoy: 'The tokens expired after their fifteen-minute lifetime, as intended.',
    },
  ];

  for (const [index, { id, members, decoy }] of cases.entries())
    it(`reads ${id} (${index}) from two differently worded causes and keeps the decoy out`, () => {
      // Act
      const read = members.map((sentence) => mechanismOf([sentence]));
      const decoyRead = mechanismOf([decoy]);

      // Assess
      expect(read).toEqual([id, id]);
      expect(decoyRead).not.toBe(id);
    });

  it('lets the impact and remedies support a mechanism, never outweigh the causes', () => {
    // Prepare: the causes name a leak; the remedies talk about memory again and again.
    const causes = ['A release leaked goroutines on every hung call to the carrier API.'];
    const remedies = [
      'Alert on memory pressure before the kernel OOM killer acts.',
      'Raise the memory limit and watch for OOMKilled pods.',
      'Add a dashboard of out of memory kills per deployment.',
    ];
    const leak: FoldIncident = {
      ...incident('leak', [], [...causes, ...remedies], 'software-bug'),
      causeSentences: causes.length,
    };
    const remediesOnly: FoldIncident = {
      ...incident('staged', [], ['Checkout was down for twelve minutes.', 'Publish rule changes to one region first.']),
      causeSentences: 1,
    };

    // Act
    const read = readMechanism(leak.sentences, undefined, leak)?.mechanism.id;
    const fromRemedy = readMechanism(remediesOnly.sentences, undefined, remediesOnly)?.mechanism.id;

    // Assess
    expect(read).toBe('resource-leak');
    expect(fromRemedy).toBe('global-config-push');
  });

  it("cites the heaviest sentence behind the mechanism that speaks the theme's words", () => {
    // Prepare: the heaviest sentence shares no word with the theme; another supporting one does.
    const sentences = [
      'Each failed write was attempted up to eight times in quick succession.',
      'The retries consumed the capacity the table had left.',
    ];
    const members = ['a', 'b'].map((id) => incident(id, [], sentences, 'capacity'));

    // Act
    const drafts = foldThemesOffline(members);
    const draft = draftHolding(drafts, 'a');

    // Assess
    expect(draft?.theme).toBe(MECHANISM_BY_ID.get('retry-storm')?.theme);
    for (const { incidentId, quote } of draft?.evidence ?? []) {
      const member = members.find((candidate) => candidate.docId === incidentId);
      if (draft && member) expect(supportsMembership(quote, member, draft)).toBeUndefined();
    }
  });
});

describe("offline engine: a theme's members are those whose cause tells its mechanism", () => {
  it('reads a store at its memory cap as memory exhausted, and an out-of-memory kill alone as no mechanism', () => {
    // Prepare: two stores that filled their memory cap; two processes killed for different reasons.
    const capped = [
      incident(
        'queue-cap',
        ['Redis'],
        ['The job queue grew until the instance hit maxmemory and every new enqueue was refused.'],
        'resource-exhaustion',
      ),
      incident(
        'cache-cap',
        ['Memcached'],
        ['The session store reached maxmemory overnight and started evicting sessions that were still in use.'],
        'resource-exhaustion',
      ),
    ];
    const killed = [
      incident(
        'fork-kill',
        ['Redis'],
        [
          'A snapshot fork doubled the resident set during a bulk import and the kernel OOM killer stopped the primary.',
        ],
        'resource-exhaustion',
      ),
      incident(
        'import-kill',
        ['PostgreSQL'],
        ['The import job loaded the whole lookup file at start-up and its pod was OOMKilled against the memory limit.'],
        'resource-exhaustion',
      ),
    ];

    // Act
    const capReadings = capped.map((member) => readMechanism(member.sentences, undefined, member)?.mechanism.id);
    const killReadings = killed.map((member) => readMechanism(member.sentences, undefined, member)?.mechanism.id);
    const drafts = foldThemesOffline([...capped, ...killed]);

    // Assess
    expect(capReadings).toEqual(['memory-exhaustion', 'memory-exhaustion']);
    expect(killReadings).toEqual([undefined, undefined]);
    expect(draftHolding(drafts, 'queue-cap')?.incidentIds.sort()).toEqual(['cache-cap', 'queue-cap']);
    expect(draftHolding(drafts, 'fork-kill')?.incidentIds).not.toContain('import-kill');
  });

  it('reads memory stated as running out, and not an earlier incident named in passing', () => {
    // Prepare
    const stated = ['The indexer doubled its batch size and still ran out of memory within an hour.'];
    const earlier = ["The heap was doubled after last week's out of memory crash, and latency rose."];

    // Act
    const read = readMechanism(stated)?.mechanism.id;
    const passing = readMechanism(earlier)?.mechanism.id;

    // Assess
    expect(read).toBe('memory-exhaustion');
    expect(passing).toBeUndefined();
  });

  it('puts a mechanism the cause tells ahead of one told only in the impact or remedies', () => {
    // Prepare: the cause tells a full disk; the timeline tells a split brain, and the secondary
    // category would favour it.
    const sentences = [
      'The primary stopped accepting writes with no space left on device.',
      'During the switchover both nodes accepted writes for a minute, a split brain.',
    ];
    const document: FoldIncident = {
      ...incident('retained-log', ['PostgreSQL'], sentences, 'deployment'),
      faultSecondary: 'failover-replication',
      causeSentences: 1,
    };
    const contextOnly: FoldIncident = {
      ...document,
      sentences: ['Writes failed for an hour.', sentences[1] as string],
    };

    // Act
    const read = readMechanism(document.sentences, undefined, document)?.mechanism.id;
    const fromContext = readMechanism(contextOnly.sentences, undefined, contextOnly)?.mechanism.id;

    // Assess
    expect(read).toBe('disk-full');
    expect(fromContext).toBe('split-brain');
  });

  it("keeps a mechanism out when the document's category contradicts it, unless the cause tells it outright", () => {
    // Prepare: one weak cache cue, in a failover document and in a capacity document.
    const weak = ['After the promotion the cache was flushed.'];
    const failover = incident('host-loss', ['MySQL'], weak, 'failover-replication');
    const capacity = incident('flushed', ['MySQL'], weak, 'capacity');
    const strong = incident(
      'stampede',
      ['MySQL'],
      ['An operator flushed the cache and the misses hit the database simultaneously, a stampede.'],
      'failover-replication',
    );

    // Act
    const contradicted = readMechanism(failover.sentences, undefined, failover)?.mechanism.id;
    const agreeing = readMechanism(capacity.sentences, undefined, capacity)?.mechanism.id;
    const outright = readMechanism(strong.sentences, undefined, strong)?.mechanism.id;

    // Assess
    expect(contradicted).toBeUndefined();
    expect(agreeing).toBe('cache-stampede');
    expect(outright).toBe('cache-stampede');
    expect(categoryContradicts(MECHANISM_BY_ID.get('cache-stampede')!, { faultCategory: 'resource-exhaustion' })).toBe(
      false,
    );
    expect(categoryContradicts(MECHANISM_BY_ID.get('cache-stampede')!, { faultCategory: 'configuration-change' })).toBe(
      false,
    );
  });

  it('does not read a stampede from a cache that was merely cold after a restart', () => {
    // Prepare
    const cold = ['Each restart left the node with a cold cache for a few minutes.'];
    const flushed = ['A deploy script flushed the cache and every miss went to the database at once.'];

    // Act / Assess
    expect(readMechanism(cold)?.mechanism.id).toBeUndefined();
    expect(readMechanism(flushed)?.mechanism.id).toBe('cache-stampede');
  });
});

describe('offline engine: the similarity fold finds mechanisms no list names', () => {
  /** An incident whose first `causes` sentences state the cause and the rest its resolution and remedies. */
  function told(docId: string, sentences: string[], causes: number, faultCategory: FaultCategory = 'software-bug') {
    return { ...incident(docId, [], sentences, faultCategory), causeSentences: causes };
  }

  it('reads the resolution and remedies too, where a document often names its mechanism', () => {
    // Prepare: causes with nothing in common; remedies that tell the same fencing mechanism.
    const first = told(
      'fence-a',
      [
        'Finance flagged odd invoices.',
        'An orphaned exporter kept its fencing token and appended to the journal.',
        'Journal appends now check the fencing token.',
      ],
      1,
    );
    const second = told(
      'fence-b',
      [
        'Auditors queried the ledger.',
        'An orphaned exporter with a stale fencing token kept appending to the journal.',
      ],
      1,
    );

    // Act
    const drafts = foldThemesOffline([first, ...INCIDENTS, second]);

    // Assess
    expect(readMechanism(first.sentences)).toBeUndefined();
    expect(draftHolding(drafts, 'fence-a')?.incidentIds).toEqual(['fence-a', 'fence-b']);
    const theme = draftHolding(drafts, 'fence-a');
    for (const { incidentId, quote } of theme?.evidence ?? [])
      if (theme) expect(supportsMembership(quote, incidentId === 'fence-a' ? first : second, theme)).toBeUndefined();
  });

  it('names a group in the words its members spell, without repeating the category label', () => {
    // Prepare: two software bugs that share the stems of "orphaned", "exporter", "fencing" and "token".
    const first = told(
      'fence-c',
      ['An orphaned exporter kept its fencing token and appended to the journal after a bug in the handover.'],
      1,
    );
    const second = told(
      'fence-d',
      ['Orphaned exporters with stale fencing tokens kept appending to the journal because of a bug.'],
      1,
    );

    // Act
    const theme = draftHolding(foldThemesOffline([first, second]), 'fence-c')?.theme ?? '';

    // Assess: words as written (not the stems "orphan", "export", "fenc"), and "bug" only in the label.
    expect(theme.startsWith('Software bug: ')).toBe(true);
    const words = theme.slice('Software bug: '.length).split(', ');
    expect(words).toEqual(expect.arrayContaining(['orphaned', 'fencing']));
    expect(words).not.toContain('bug');
    for (const word of words) expect(`${first.sentences[0]} ${second.sentences[0]}`.toLowerCase()).toContain(word);
  });

  it('weighs words outside the language of mechanisms less: a shared product and city make no theme', () => {
    // Prepare: the same product, city and weekday; different mechanisms.
    const first = told(
      'portal-a',
      ['Brightwater loyalty portal checkout in Lisbon broke on Wednesday when the signing key rotated.'],
      1,
    );
    const second = told(
      'portal-b',
      ['Brightwater loyalty portal checkout in Lisbon broke on Wednesday when a consumer stalled.'],
      1,
    );

    // Act
    const drafts = foldThemesOffline([first, second]);

    // Assess
    expect(draftHolding(drafts, 'portal-a')?.incidentIds).toEqual(['portal-a']);
    expect(draftHolding(drafts, 'portal-b')?.incidentIds).toEqual(['portal-b']);
  });

  it('leaves technology names and one-word aliases out, however they are inflected', () => {
    // Prepare: the same technologies named three ways; nothing else in common.
    const first = told(
      'alias-a',
      ['Valkey on ElastiCache and the Redis sidecar restarted while invoices rendered.'],
      1,
    );
    const second = told('alias-b', ['Valkey on ElastiCache and the Redis sidecar paused while invoices exported.'], 1);

    // Act
    const drafts = foldThemesOffline([first, second], ['Redis', 'Valkey', 'ElastiCache', 'ElastiCache for Redis']);

    // Assess
    expect(draftHolding(drafts, 'alias-a')?.incidentIds).toEqual(['alias-a']);
    expect(draftHolding(drafts, 'alias-b')?.incidentIds).toEqual(['alias-b']);
  });

  it('lets an incident whose mechanism no other shares join a group, and keeps its name when alone', () => {
    // Prepare: one split brain read by the list, one told without its words, and a lone tombstone case.
    const named = told(
      'quorum-a',
      ['A network partition left two primaries accepting writes, and the old master kept its side of the cluster.'],
      1,
      'failover-replication',
    );
    const unnamed = told(
      'quorum-b',
      ['After the network partition healed, the old master on the minority side had kept writing to its own copy.'],
      1,
      'failover-replication',
    );

    // Act
    const drafts = foldThemesOffline([named, unnamed, TOMBSTONES]);

    // Assess
    expect(readMechanism(named.sentences)?.mechanism.id).toBe('split-brain');
    expect(readMechanism(unnamed.sentences)).toBeUndefined();
    expect(draftHolding(drafts, 'quorum-a')?.incidentIds.sort()).toEqual(['quorum-a', 'quorum-b']);
    expect(draftHolding(drafts, 'cassandra-tombstones')?.theme).toBe(MECHANISM_BY_ID.get('tombstones')?.theme);
  });
});

describe('offline engine: mechanisms that recur across technologies (themes that recur)', () => {
  // Fresh sentences: each mechanism told for two different technologies in their own words, and a
  // decoy that shares words with it but not the mechanism (it must read something else, or nothing).
  const cases: Array<{ id: string; members: [string, string]; decoy: string }> = [
    {
      id: 'rolling-restart',
      members: [
        'The upgrade job restarted the second broker while the first was still catching up on its partitions, and writes needing two replicas failed.',
        'Our patch runbook waits only until the node reports Ready and then moves on to the next node.',
      ],
      decoy:
        'The node pool upgrade drained one node at a time, and the stateless pods moved to the new nodes within a minute.',
    },
    {
      id: 'item-size-limit',
      members: [
        'The cart was stored as one record holding an ever-growing list of line items, and the store rejects any record over 64 KB.',
        'Each export appended its file names to a single manifest until a 2 MB message was rejected by the broker.',
      ],
      decoy: 'A cleanup job deleted a very large hash in one call, and the server stalled while it freed the space.',
    },
    {
      id: 'default-limit',
      members: [
        'The registry still ran with the default maximum of connections per client address, and new clients were turned away once the office moved behind one NAT.',
        'Nobody chose the clause limit, so it stayed at its shipped default until the largest tenants crossed it.',
      ],
      decoy: 'A hardening change deliberately lowered the open-files limit to 1,024 on the new image.',
    },
    {
      id: 'consumer-offsets',
      members: [
        'While the consumers were scaled to zero for two weeks, their committed offsets expired, and on restart the group began again from the earliest message.',
        'The consumer group was renamed in the release, so the consumers started at the end of the log and skipped the messages in between.',
      ],
      decoy:
        'We checked the committed offsets for the whole window, and they moved forward steadily with no jump back.',
    },
    {
      id: 'orphaned-lock',
      members: [
        'The job took its lock with no expiry, so when the worker crashed the lock stayed and every later run skipped.',
        'The scheduler lease had a TTL of 3,600 seconds, and after its holder died nothing else could take over until it ran out.',
      ],
      decoy:
        'Checkout takes a short-lived lock on the cart and released it normally; the tax vendor held every thread instead.',
    },
    {
      id: 'volatile-store-data-loss',
      members: [
        'Persistence was turned off on the session store, so when it restarted it came back empty.',
        'The basket data had come to live only in the cache after the sync job was retired.',
      ],
      decoy: 'Users were logged out, but every session key was still in the store; a cookie change hid them.',
    },
    {
      id: 'split-brain',
      members: [
        'During the partition each side carried on as if the other had died, and both accepted orders.',
        'The old primary kept acknowledging writes for ten seconds after it was cut off from the majority.',
      ],
      decoy: 'The partition was real, but fencing worked and only one side kept the primary role.',
    },
    {
      id: 'replication-lag',
      members: [
        'The fraud check read an old balance from the replica and approved the payment twice.',
        'The stock service queried stale quantities from a secondary that lagged the primary by a minute.',
      ],
      decoy: 'Stale pages came from the CDN, which cached the search response for an hour.',
    },
    {
      id: 'slow-query',
      members: [
        'Without that index the planner fell back to full scans of the orders table.',
        'The new monthly collection was created without its indexes, so every lookup was a COLLSCAN.',
      ],
      decoy: 'The index was used as expected; the slowness came from eleven thousand separate small queries.',
    },
    {
      id: 'clock-skew',
      members: [
        'The time-sync daemon was disabled on the new image, and last-write-wins kept the older edit.',
        'One host clock ran ahead by three minutes, so its writes carried later timestamps than newer edits.',
      ],
      decoy: 'The tokens were rejected because the gateway kept a cached key set for a day after the keys rotated.',
    },
    {
      id: 'resource-leak',
      members: [
        'Instances restarted overnight are fine for a few hours, then start timing out again.',
        'Every failed upload left an unclosed stream behind in the storage client.',
      ],
      decoy: 'The service restarted once after the deploy and has been fine since.',
    },
  ];

  for (const [index, { id, members, decoy }] of cases.entries())
    it(`reads ${id} (${index}) in two technologies' words and keeps the decoy out`, () => {
      // Act
      const read = members.map((sentence) => mechanismOf([sentence]));
      const decoyRead = mechanismOf([decoy]);

      // Assess
      expect(read).toEqual([id, id]);
      expect(decoyRead).not.toBe(id);
    });

  it('reads a staged remedy ("one cluster first, then the rest") as the fault of a global push', () => {
    // Act
    const read = mechanismOf(['Next time the template goes to one cluster first, then the rest after a soak.']);

    // Assess
    expect(read).toBe('global-config-push');
  });

  it('folds each mechanism into one cross-technology theme and leaves every decoy out of it', () => {
    // Prepare: the members carry different technologies; the decoys stand alone.
    const technologies = ['DynamoDB', 'MongoDB'];
    const incidents = cases.flatMap(({ id, members, decoy }) => [
      ...members.map((sentence, index) => incident(`${id}-${index}`, [technologies[index] ?? ''], [sentence])),
      incident(`${id}-decoy`, ['Redis'], [decoy]),
    ]);

    // Act
    const drafts = foldThemesOffline(incidents);

    // Assess
    for (const { id } of cases) {
      const draft = draftHolding(drafts, `${id}-0`);
      expect(draft?.incidentIds.sort()).toEqual([`${id}-0`, `${id}-1`]);
      for (const { incidentId, quote } of draft?.evidence ?? []) {
        const member = incidents.find((candidate) => candidate.docId === incidentId);
        if (draft && member) expect(supportsMembership(quote, member, draft)).toBeUndefined();
      }
    }
  });
});
