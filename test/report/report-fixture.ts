import { ReportData, notStated, type Summary } from '../../src/schemas/index.ts';

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

/** Three documents (one undated, one silent, one hostile), two patterns, one opportunity, one skipped, one failed. */
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
        },
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
        },
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
        },
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
    ],
    patterns: [
      {
        id: 'pattern-pg-pool',
        technology: 'PostgreSQL',
        faultCategory: 'resource-exhaustion',
        theme: 'PostgreSQL connection pool exhaustion',
        description: 'Connection pools run out under load.',
        contributingFactors: ['connection-pool'],
        incidentIds: ['incidents/2024-03-pg-pool', 'hostile (doc)'],
        count: 2,
        evidence: ['PostgreSQL ran out of connections.', HOSTILE_TEXT],
      },
      {
        id: 'pattern-redis-memory',
        technology: 'Redis',
        faultCategory: 'capacity',
        theme: 'Redis memory pressure',
        description: 'Redis evicts keys when memory is short.',
        contributingFactors: [],
        incidentIds: ['silent-doc'],
        count: 1,
        evidence: ['Redis evicted hot keys under memory pressure.'],
      },
    ],
    opportunities: [
      {
        id: 'opportunity-pool',
        title: 'Right-size PostgreSQL connection pools',
        rationale: 'Two incidents ran out of connections.',
        technology: 'PostgreSQL',
        patternIds: ['pattern-pg-pool'],
        incidentIds: ['incidents/2024-03-pg-pool', 'hostile (doc)'],
        impact: {
          incidents: 2,
          incidentsWithMetadata: 1,
          totalDurationMinutes: 40,
          totalCustomersAffected: null,
          totalCost: null,
          severities: { SEV1: 1 },
        },
        score: 7.5,
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
const SEVERITY_POINTS: Record<string, number> = { SEV1: 4, P2: 3, critical: 4, High: 3, SEV4: 1, P1: 4 };

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export interface LargeReportOptions {
  documents: number;
  /** Put long unbreakable tokens in titles, ids, quotes and technology roles. */
  longTokens?: boolean;
  seed?: number;
}

/**
 * A generated report of any size with the shape of a real one: severities written several ways,
 * undated incidents, review flags, unverified claims, patterns per technology and fault category,
 * opportunities with scores that follow the documented formula.
 */
export function largeReportFixture(options: LargeReportOptions): ReportData {
  const next = random(options.seed ?? 7);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const long = options.longTokens ?? false;
  const metadata = new Map<string, { severity: string | null; minutes: number; customers: number; cost: number }>();
  const documents = Array.from({ length: options.documents }, (_unused, index) => {
    const docId = `${index % 3 === 0 && long ? `${LONG_TOKEN}-` : ''}incident-${String(index).padStart(5, '0')}`;
    const technology = TECHNOLOGIES[index % TECHNOLOGIES.length] as string;
    const second = index % 4 === 0 ? (TECHNOLOGIES[(index * 5 + 3) % TECHNOLOGIES.length] as string) : null;
    const category = CATEGORIES[(index * 7) % CATEGORIES.length] as (typeof CATEGORIES)[number];
    const service = pick(SERVICES);
    const severity = SEVERITIES[index % SEVERITIES.length] ?? null;
    const date =
      index % 11 === 5
        ? null
        : `${2023 + (index % 2)}-${String(1 + (index % 12)).padStart(2, '0')}-${String(1 + (index % 28)).padStart(2, '0')}`;
    metadata.set(docId, {
      severity,
      minutes: 10 + Math.floor(next() * 240),
      customers: Math.floor(next() * 5000),
      cost: Math.floor(next() * 20000),
    });
    const issue = `${technology} on ${service} ${pick(['ran out of connections', 'throttled writes', 'evicted hot keys', 'failed over to a lagging replica'])}${long && index % 2 === 0 ? ` in ${LONG_TOKEN}` : ''}`;
    const causal = [technology, ...(second === null || second === technology ? [] : [second])].map(
      (name, position) => ({
        technology: name,
        role: position === 0 ? `${name} was saturated by ${service} traffic` : `${name} amplified the failure`,
        evidence: [`${name} ${position === 0 ? 'refused new connections' : 'retried without backoff'}`],
        confidence: Math.round((0.55 + next() * 0.45) * 100) / 100,
      }),
    );
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
            context: 'background',
            reason: 'Only the dashboard that showed the failure',
            evidence: [],
          },
        ],
        unnamedCause: null,
        flags:
          index % 7 === 3
            ? [
                {
                  technology,
                  kind: 'demoted',
                  reason: `Only named in a follow-up action${long ? ` (${LONG_TOKEN})` : ''}`,
                },
              ]
            : [],
      },
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
  const groups = new Map<string, { technology: string; category: (typeof CATEGORIES)[number]; docIds: string[] }>();
  for (const document of documents) {
    for (const digest of document.digests) {
      const key = `${digest.technology}|${digest.faultCategory}`;
      const group = groups.get(key) ?? {
        technology: digest.technology,
        category: digest.faultCategory as (typeof CATEGORIES)[number],
        docIds: [],
      };
      group.docIds.push(document.docId);
      groups.set(key, group);
    }
  }
  const patterns = [...groups.values()]
    .filter((group) => group.docIds.length >= 2)
    .map((group) => ({
      id: `pattern-${group.technology.toLowerCase()}-${group.category}`,
      technology: group.technology,
      faultCategory: group.category,
      theme: `${group.technology} ${group.category.replace(/-/g, ' ')} under peak traffic`,
      description: `${group.technology} fails the same way when traffic peaks: limits sized for last year and clients that retry without backoff.`,
      contributingFactors: ['retry-storm', 'missing-alert'],
      incidentIds: group.docIds,
      count: group.docIds.length,
      evidence: [`${group.technology} refused new connections`, 'Clients retried without backoff'],
    }));
  const opportunities = [...patterns]
    .sort((left, right) => right.count - left.count)
    .slice(0, 30)
    .map((pattern) => {
      const rows = pattern.incidentIds.filter((_docId, index) => index % 2 === 0).map((docId) => metadata.get(docId));
      const present = rows.filter((row) => row !== undefined);
      const severities: Record<string, number> = {};
      for (const row of present) if (row.severity) severities[row.severity] = (severities[row.severity] ?? 0) + 1;
      const minutes = present.reduce((total, row) => total + row.minutes, 0);
      const customers = present.reduce((total, row) => total + row.customers, 0);
      const cost = present.reduce((total, row) => total + row.cost, 0);
      const severityPoints = present.reduce((total, row) => total + (SEVERITY_POINTS[row.severity ?? ''] ?? 0), 0);
      const score =
        pattern.count * 2 + severityPoints + minutes / 60 + Math.log10(1 + customers) + Math.log10(1 + cost);
      return {
        id: `opportunity-${pattern.id}`,
        title: `Harden ${pattern.technology} against ${pattern.faultCategory.replace(/-/g, ' ')}${long ? ` in ${LONG_TOKEN}` : ''}`,
        rationale: `${pattern.count} incidents share this failure; limits and retries are the common thread.`,
        technology: pattern.technology,
        patternIds: [pattern.id],
        incidentIds: pattern.incidentIds,
        impact: {
          incidents: pattern.count,
          incidentsWithMetadata: present.length,
          totalDurationMinutes: present.length === 0 ? null : minutes,
          totalCustomersAffected: present.length === 0 ? null : customers,
          totalCost: present.length === 0 ? null : cost,
          severities,
        },
        score: Math.round(score * 100) / 100,
      };
    });
  return ReportData.parse({
    generatedAt: '2024-06-01T12:00:00.000Z',
    runId: 'run-scale',
    engine: { id: 'offline', model: 'rules', version: '1.0.0' },
    documents,
    patterns,
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
