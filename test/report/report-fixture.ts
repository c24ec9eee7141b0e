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
            { technology: 'PostgreSQL', role: 'Connection pool exhausted', evidence: ['PostgreSQL refused connections'], confidence: 0.9 },
          ],
          mentioned: [{ technology: 'Redis', context: 'victim', reason: 'Only slowed down as a consequence', evidence: [] }],
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
          causal: [{ technology: 'Redis', role: 'Evictions under memory pressure', evidence: ['Redis evicted keys'], confidence: 0.7 }],
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
