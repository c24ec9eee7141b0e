import { measureImpact, scoreOpportunity } from '../../src/stages/ranking.ts';
import {
  ReportData,
  notStated,
  type FaultCategory,
  type IncidentMetadata,
  type Summary,
} from '../../src/schemas/index.ts';

export const HOSTILE_TEXT = 'Pool <script>alert(1)</script> "quotes" & ampersands';

function summary(docId: string, issue: string): Summary {
  return {
    docId,
    issue: { text: issue, evidence: [`We saw: ${issue}`] },
    rootCauses: [{ text: 'Connection pool too small', evidence: ['the pool was capped at 20'] }],
    impact: { text: 'Checkout failed for 40 minutes', evidence: ['checkout failed'] },
    resolution: { text: 'Raised the pool size', evidence: ['we raised the pool size'] },
    preventiveActions: [{ text: 'Alert on pool saturation', evidence: [] }],
  };
}

/**
 * Four documents (one undated, one silent, one hostile, one with no catalog technology), accounted
 * for as the fold does: one theme of two incidents (with one quote per member), one incident not
 * recurring yet, one with no catalog technology; one opportunity whose score is the sum of its
 * breakdown (3 × 2 incidents + SEV1 4 + log2(1 + 40/60) 0.74 − 0.5 for the member that needs
 * review = 10.24); one skipped and one failed document.
 */
export function reportFixture(): ReportData {
  return ReportData.parse({
    generatedAt: '2024-06-01T12:00:00.000Z',
    runId: 'run-42',
    engine: { id: 'offline', model: 'rules', version: '1.0.0' },
    documents: [
      {
        docId: 'incidents/2024-03-pg-pool',
        title: 'Checkout outage',
        date: '2024-03-05',
        severity: 'SEV1',
        sourcePath: 'incidents/2024-03-pg-pool.md',
        summary: summary('incidents/2024-03-pg-pool', 'Checkout requests timed out'),
        classification: {
          docId: 'incidents/2024-03-pg-pool',
          causal: [
            {
              technology: 'PostgreSQL',
              role: 'Connection pool exhausted',
              evidence: ['PostgreSQL refused connections'],
              confidence: 0.9,
            },
          ],
          mentioned: [
            { technology: 'Redis', context: 'victim', reason: 'Only slowed down as a consequence', evidence: [] },
          ],
          faultCategory: 'resource-exhaustion',
        },
        faultCategory: 'resource-exhaustion',
        digests: [
          {
            docId: 'incidents/2024-03-pg-pool',
            technology: 'PostgreSQL',
            sentences: ['PostgreSQL ran out of connections.', 'The pool was capped at 20.'],
            faultCategory: 'resource-exhaustion',
            contributingFactors: ['connection-pool', 'missing-alert'],
            evidence: ['PostgreSQL refused connections'],
          },
        ],
      },
      {
        docId: 'silent-doc',
        title: 'Cache hiccup',
        date: null,
        severity: null,
        sourcePath: 'silent-doc.txt',
        summary: {
          docId: 'silent-doc',
          issue: { text: 'Cache latency spiked', evidence: ['latency spiked'] },
          rootCauses: [],
          impact: notStated(),
          resolution: notStated(),
          preventiveActions: [],
        },
        classification: {
          docId: 'silent-doc',
          causal: [
            {
              technology: 'Redis',
              role: 'Evictions under memory pressure',
              evidence: ['Redis evicted keys'],
              confidence: 0.7,
            },
          ],
          mentioned: [],
          faultCategory: 'capacity',
        },
        faultCategory: 'capacity',
        digests: [
          {
            docId: 'silent-doc',
            technology: 'Redis',
            sentences: ['Redis evicted hot keys under memory pressure.'],
            faultCategory: 'capacity',
            contributingFactors: [],
            evidence: ['Redis evicted keys'],
          },
        ],
      },
      {
        docId: 'hostile (doc)',
        title: `Outage: ${HOSTILE_TEXT}`,
        date: '2024-05-20',
        severity: 'SEV2',
        sourcePath: 'hostile (doc).html',
        summary: summary('hostile (doc)', HOSTILE_TEXT),
        classification: {
          docId: 'hostile (doc)',
          causal: [{ technology: 'PostgreSQL', role: HOSTILE_TEXT, evidence: [HOSTILE_TEXT], confidence: 0.8 }],
          mentioned: [{ technology: 'Kafka', context: 'background', reason: HOSTILE_TEXT, evidence: [] }],
          faultCategory: 'resource-exhaustion',
          faultSecondary: 'configuration-change',
          flags: [{ technology: 'PostgreSQL', kind: 'needs-review', reason: 'The role rests on a single quote' }],
        },
        faultCategory: 'resource-exhaustion',
        digests: [
          {
            docId: 'hostile (doc)',
            technology: 'PostgreSQL',
            sentences: [`=HYPERLINK("x") ${HOSTILE_TEXT}`, 'Second, sentence.'],
            faultCategory: 'configuration-change',
            contributingFactors: ['connection-pool', 'bad, config'],
            evidence: [HOSTILE_TEXT],
          },
        ],
      },
      {
        docId: 'runbook-typo',
        title: 'Wrong flag in a runbook step',
        date: '2024-04-10',
        severity: 'SEV3',
        sourcePath: 'runbook-typo.md',
        summary: {
          docId: 'runbook-typo',
          issue: { text: 'An operator ran the drain step on the wrong cluster', evidence: ['ran the drain step'] },
          rootCauses: [{ text: 'The runbook named the wrong flag', evidence: ['the runbook named --all'] }],
          impact: { text: 'Search was degraded for 12 minutes', evidence: ['search was degraded'] },
          resolution: { text: 'Undrained the cluster', evidence: ['we undrained the cluster'] },
          preventiveActions: [{ text: 'Review runbooks quarterly', evidence: [] }],
        },
        classification: {
          docId: 'runbook-typo',
          causal: [],
          mentioned: [],
          faultCategory: 'operational-error',
        },
        faultCategory: 'operational-error',
        digests: [],
      },
    ],
    patterns: [
      {
        id: 'pattern-pg-pool',
        theme: 'Connection pool exhaustion under load',
        description: 'Connection pools run out under load.',
        technologies: ['PostgreSQL'],
        faultCategory: 'resource-exhaustion',
        contributingFactors: ['connection-pool'],
        incidentIds: ['hostile (doc)', 'incidents/2024-03-pg-pool'],
        count: 2,
        evidence: [
          { incidentId: 'hostile (doc)', quote: `=HYPERLINK("x") ${HOSTILE_TEXT}` },
          { incidentId: 'incidents/2024-03-pg-pool', quote: 'PostgreSQL ran out of connections.' },
        ],
        firstSeen: '2024-03-05',
        lastSeen: '2024-05-20',
        byQuarter: { '2024-Q1': 1, '2024-Q2': 1 },
      },
    ],
    notRecurring: [
      { incidentId: 'silent-doc', theme: 'Redis memory pressure', technologies: ['Redis'], faultCategory: 'capacity' },
    ],
    noCatalog: [{ incidentId: 'runbook-typo', faultCategory: 'operational-error' }],
    opportunities: [
      {
        id: 'opportunity-pool',
        title: 'Right-size PostgreSQL connection pools',
        rationale: 'Two incidents ran out of connections.',
        technologies: ['PostgreSQL'],
        patternIds: ['pattern-pg-pool'],
        incidentIds: ['hostile (doc)', 'incidents/2024-03-pg-pool'],
        impact: {
          incidents: 2,
          incidentsWithMetadata: 1,
          totalDurationMinutes: 40,
          totalCustomersAffected: null,
          totalCost: null,
          severities: { SEV1: 1 },
        },
        score: 10.24,
        scoreBreakdown: { recurrence: 6, severity: 4, duration: 0.74, customers: 0, cost: 0, review: -0.5 },
        confidence: 0.85,
        needsReview: ['hostile (doc)'],
      },
    ],
    skipped: [{ path: 'images/diagram.png', code: 'binary', reason: 'binary file' }],
    failed: [{ docId: 'broken-doc', stage: 'summarize', reason: 'model returned invalid JSON' }],
  });
}

/** A long token with no break opportunity, as in class names and stack traces. */
export const LONG_TOKEN =
  'org.apache.kafka.clients.consumer.internals.ConsumerCoordinator$RangeAssignorWithCooperativeRebalanceProtocolV2';

const TECHNOLOGIES = [
  'PostgreSQL',
  'DynamoDB',
  'Redis',
  'S3',
  'Elasticsearch',
  'Kafka',
  'MySQL',
  'MongoDB',
  'Cassandra',
  'RabbitMQ',
  'etcd',
  'Memcached',
];
const CATEGORIES = [
  'resource-exhaustion',
  'capacity',
  'configuration-change',
  'deployment',
  'failover-replication',
  'software-bug',
  'dependency',
  'network',
] as const;
const SEVERITIES = ['SEV1', 'P2', 'S3', 'critical', 'sev-2', 'High', null, 'SEV4', 'P1', 'SEVERE'];
const SERVICES = ['checkout', 'search', 'billing', 'notifications', 'reporting', 'login', 'inventory', 'payments'];
/** Three failure mechanisms per fault category: a theme is a mechanism, shared across technologies. */
const MECHANISMS: Record<(typeof CATEGORIES)[number], readonly string[]> = {
  'resource-exhaustion': [
    'Connection pool exhaustion under retry storms',
    'Disk filled by unbounded logs',
    'Memory exhaustion from a cache stampede',
  ],
  capacity: [
    'Throttling at provisioned capacity',
    'Hot partition under peak traffic',
    'Autoscaling too slow for a spike',
  ],
  'configuration-change': [
    'Limit lowered by a configuration push',
    'Timeout misconfigured after a change',
    'Feature flag enabled a slow path',
  ],
  deployment: ['Schema migration locked hot tables', 'Rollout of an incompatible client', 'Canary skipped on a hotfix'],
  'failover-replication': [
    'Failover to a lagging replica',
    'Split brain after a network blip',
    'Replication stalled by a long transaction',
  ],
  'software-bug': [
    'Retry loop without backoff',
    'Leaked connections in an error path',
    'Serialization bug on a new field',
  ],
  dependency: [
    'Upstream outage cascaded through retries',
    'DNS resolution failures',
    'Certificate expiry at a provider',
  ],
  network: ['Packet loss between zones', 'Load balancer drained healthy nodes', 'MTU mismatch after a network change'],
};

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function quarterOf(date: string): string {
  return `${date.slice(0, 4)}-Q${Math.ceil(Number(date.slice(5, 7)) / 3)}`;
}

export interface LargeReportOptions {
  documents: number;
  /** Put long unbreakable tokens in titles, ids, quotes and technology roles. */
  longTokens?: boolean;
  seed?: number;
}

/**
 * A generated report of any size with the shape of a real one: severities written several ways,
 * undated incidents, review flags, unverified claims; themes (one mechanism across technologies,
 * two or more incidents, one quote per member from that member's own outputs); every incident
 * accounted for (in a theme, not recurring yet, or with no catalog technology); opportunities
 * scored by the documented formula (src/stages/ranking.ts) from a metadata file that covers two
 * incidents in three.
 */
export function largeReportFixture(options: LargeReportOptions): ReportData {
  const next = random(options.seed ?? 7);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const long = options.longTokens ?? false;
  const metadata = new Map<string, IncidentMetadata>();
  /** The mechanism each document's fold reading names. */
  const mechanisms = new Map<string, string>();
  const documents = Array.from({ length: options.documents }, (_unused, index) => {
    const docId = `${index % 3 === 0 && long ? `${LONG_TOKEN}-` : ''}incident-${String(index).padStart(5, '0')}`;
    const noCatalog = index % 17 === 9;
    const technology = TECHNOLOGIES[index % TECHNOLOGIES.length] as string;
    const second = index % 4 === 0 ? (TECHNOLOGIES[(index * 5 + 3) % TECHNOLOGIES.length] as string) : null;
    const category: FaultCategory = noCatalog
      ? 'operational-error'
      : (CATEGORIES[(index * 7) % CATEGORIES.length] as (typeof CATEGORIES)[number]);
    const mechanism =
      category === 'operational-error'
        ? 'Operator ran a step on the wrong cluster'
        : index % 13 === 6
          ? `One-off ${technology} failure ${index}`
          : (MECHANISMS[category][Math.floor(index / 5) % 3] as string);
    mechanisms.set(docId, mechanism);
    const service = pick(SERVICES);
    const severity = SEVERITIES[index % SEVERITIES.length] ?? null;
    const date =
      index % 11 === 5
        ? null
        : `${2023 + (index % 2)}-${String(1 + (index % 12)).padStart(2, '0')}-${String(1 + (index % 28)).padStart(2, '0')}`;
    const row = {
      minutes: 10 + Math.floor(next() * 240),
      customers: Math.floor(next() * 5000),
      cost: Math.floor(next() * 20000),
    };
    if (index % 3 !== 1)
      metadata.set(docId, {
        id: docId,
        ...(severity === null ? {} : { severity }),
        durationMinutes: row.minutes,
        customersAffected: row.customers,
        cost: row.cost,
      });
    const symptom = pick([
      'ran out of connections',
      'throttled writes',
      'evicted hot keys',
      'failed over to a lagging replica',
    ]);
    const issue = `${noCatalog ? 'An operator' : technology} on ${service} ${noCatalog ? 'drained the wrong cluster' : symptom}${long && index % 2 === 0 ? ` in ${LONG_TOKEN}` : ''}`;
    const causal = noCatalog
      ? []
      : [technology, ...(second === null || second === technology ? [] : [second])].map((name, position) => ({
          technology: name,
          role: position === 0 ? `${name} was saturated by ${service} traffic` : `${name} amplified the failure`,
          evidence: [`${name} ${position === 0 ? 'refused new connections' : 'retried without backoff'}`],
          confidence: Math.round((0.55 + next() * 0.45) * 100) / 100,
        }));
    return {
      docId,
      title: `${service} outage: ${issue}${long && index % 5 === 0 ? ` ${LONG_TOKEN}` : ''}`,
      date,
      severity,
      sourcePath: `postmortems/${date?.slice(0, 4) ?? 'undated'}/${docId}.md`,
      summary: {
        docId,
        issue: { text: issue, evidence: [`We saw that ${issue}.`] },
        rootCauses: [
          { text: `${technology} limits were set for last year's traffic`, evidence: ['the limit dated from 2021'] },
        ],
        impact:
          index % 6 === 0
            ? notStated()
            : { text: `${service} failed for ${10 + (index % 50)} minutes`, evidence: [`${service} returned errors`] },
        resolution: { text: 'Raised the limit and restarted the workers', evidence: ['we raised the limit'] },
        preventiveActions: index % 6 === 0 ? [] : [{ text: `Alert on ${technology} saturation`, evidence: [] }],
      },
      classification: {
        docId,
        causal,
        mentioned: [
          {
            technology: 'Grafana',
            context: 'background' as const,
            reason: 'Only the dashboard that showed the failure',
            evidence: [],
          },
        ],
        unnamedCause: null,
        faultCategory: category,
        faultSecondary: null,
        flags:
          index % 7 === 3 && !noCatalog
            ? [
                {
                  technology,
                  kind: 'demoted' as const,
                  reason: `Only named in a follow-up action${long ? ` (${LONG_TOKEN})` : ''}`,
                },
              ]
            : [],
      },
      faultCategory: category,
      digests: causal.map((finding) => ({
        docId,
        technology: finding.technology,
        sentences: [
          `${finding.technology} ${finding.role.toLowerCase()}.`,
          `Clients retried without backoff and the ${service} queue grew.`,
        ],
        faultCategory: category,
        contributingFactors: ['retry-storm', index % 2 === 0 ? 'missing-alert' : 'connection-pool'],
        evidence: finding.evidence,
      })),
      verification: {
        claims: 6,
        verified: index % 5 === 2 ? 5 : 6,
        share: index % 5 === 2 ? 5 / 6 : 1,
        unverified:
          index % 5 === 2
            ? [{ stage: 'summarize' as const, field: 'rootCauses[0]', quote: 'the limit dated from 2021' }]
            : [],
      },
    };
  });

  // The fold: members grouped by mechanism, ordered by id; a mechanism of one incident is not recurring yet.
  const groups = new Map<string, typeof documents>();
  for (const document of [...documents].sort((left, right) => left.docId.localeCompare(right.docId))) {
    if (document.classification.causal.length === 0) continue;
    const mechanism = mechanisms.get(document.docId) as string;
    groups.set(mechanism, [...(groups.get(mechanism) ?? []), document]);
  }
  const patterns = [...groups]
    .filter(([, members]) => members.length >= 2)
    .map(([theme, members]) => {
      const dates = members.flatMap((member) => (member.date === null ? [] : [member.date])).sort();
      const byQuarter: Record<string, number> = {};
      for (const date of dates) byQuarter[quarterOf(date)] = (byQuarter[quarterOf(date)] ?? 0) + 1;
      return {
        id: `pattern-${theme.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
        theme,
        description: `${theme}: limits sized for last year and clients that retry without backoff.`,
        technologies: [
          ...new Set(members.flatMap((member) => member.classification.causal.map((cause) => cause.technology))),
        ].sort(),
        faultCategory: members[0]?.faultCategory ?? 'unknown',
        contributingFactors: ['retry-storm', 'missing-alert'],
        incidentIds: members.map((member) => member.docId),
        count: members.length,
        evidence: members.map((member) => ({
          incidentId: member.docId,
          quote: member.summary.issue.evidence[0] as string,
        })),
        firstSeen: dates[0] ?? null,
        lastSeen: dates.at(-1) ?? null,
        byQuarter,
      };
    });
  const inThemes = new Set(patterns.flatMap((pattern) => pattern.incidentIds));
  const notRecurring = documents
    .filter((document) => document.classification.causal.length > 0 && !inThemes.has(document.docId))
    .map((document) => ({
      incidentId: document.docId,
      theme: mechanisms.get(document.docId) ?? null,
      technologies: [...new Set(document.classification.causal.map((cause) => cause.technology))].sort(),
      faultCategory: document.faultCategory,
    }));
  const noCatalog = documents
    .filter((document) => document.classification.causal.length === 0)
    .map((document) => ({ incidentId: document.docId, faultCategory: document.faultCategory }));

  const byId = new Map(documents.map((document) => [document.docId, document]));
  const opportunities = [...patterns]
    .sort((left, right) => right.count - left.count)
    .slice(0, 30)
    .map((pattern) => {
      const members = pattern.incidentIds.map((docId) => byId.get(docId)).filter((member) => member !== undefined);
      const needsReview = members
        .filter((member) => member.classification.flags.length > 0)
        .map((member) => member.docId);
      const confidences = members.map((member) =>
        Math.max(...member.classification.causal.map((cause) => cause.confidence)),
      );
      const impact = measureImpact(pattern.incidentIds, metadata);
      const { score, breakdown } = scoreOpportunity(impact, pattern.incidentIds, metadata, needsReview.length);
      return {
        id: `opportunity-${pattern.id}`,
        title: `Prevent: ${pattern.theme}${long ? ` in ${LONG_TOKEN}` : ''}`,
        rationale: `${pattern.count} incidents share this failure; limits and retries are the common thread.`,
        technologies: pattern.technologies,
        patternIds: [pattern.id],
        incidentIds: pattern.incidentIds,
        impact,
        score,
        scoreBreakdown: breakdown,
        confidence:
          Math.round((confidences.reduce((total, value) => total + value, 0) / confidences.length) * 100) / 100,
        needsReview,
      };
    });
  return ReportData.parse({
    generatedAt: '2024-06-01T12:00:00.000Z',
    runId: 'run-scale',
    engine: { id: 'offline', model: 'rules', version: '1.0.0' },
    documents,
    patterns,
    notRecurring,
    noCatalog,
    opportunities,
    skipped: Array.from({ length: Math.ceil(options.documents / 100) }, (_unused, index) => ({
      path: `images/diagram-${index}${long ? `-${LONG_TOKEN}` : ''}.png`,
      code: 'binary',
      reason: 'binary file',
    })),
    failed: [{ docId: 'broken-doc', stage: 'summarize', reason: 'model returned invalid JSON' }],
    approval: [{ stage: 'classify', promptVersion: 'classify@3', up: 12, down: 3, approval: 0.8 }],
  });
}
