/** A hand-built report for the review tests: every kind of risk in three documents, and a corpus generator. */
import { ReportData, notStated, type ReportDocument } from '../../src/schemas/index.ts';
import type { Vote } from '../../src/store/state-store.ts';
import { emptyClassification } from '../support/classification.ts';

function document(docId: string, overrides: Partial<ReportDocument>): ReportDocument {
  return {
    docId,
    title: `Incident ${docId}`,
    date: null,
    severity: null,
    sourcePath: `${docId}.md`,
    summary: {
      docId,
      issue: notStated(),
      rootCauses: [],
      impact: notStated(),
      resolution: notStated(),
      preventiveActions: [],
    },
    classification: emptyClassification(docId),
    digests: [],
    ...overrides,
  };
}

/**
 * pg-pool: an unverified root cause and digest, Redis causal only for the model (disagreement);
 * kafka-lag: a low-confidence Kafka cause, MySQL demoted by the guard;
 * cassandra: a clean, confident Cassandra cause (new when only PostgreSQL and Kafka are known).
 */
export function riskyReport(): ReportData {
  return ReportData.parse({
    generatedAt: '2025-01-01T00:00:00.000Z',
    runId: 'run-1',
    engine: {
      id: 'bedrock',
      model: 'bedrock:claude',
      version: 'summarize@3,classify@2,analyze@1,patterns@1,opportunities@1',
    },
    patterns: [],
    opportunities: [],
    skipped: [],
    failed: [],
    documents: [
      document('pg-pool', {
        summary: {
          docId: 'pg-pool',
          issue: { text: 'Checkout timed out.', evidence: ['checkout requests timed out'] },
          rootCauses: [
            { text: 'The pool was too small.', evidence: ['the pool was capped at 20 connections'] },
            { text: 'A deploy doubled the pods.', evidence: ['the deploy doubled the pods'] },
          ],
          impact: { text: 'Checkout failed for 40 minutes.', evidence: ['checkout failed for 40 minutes'] },
          resolution: notStated(),
          preventiveActions: [{ text: 'Alert on pool saturation.', evidence: ['alert on pool saturation'] }],
        },
        classification: {
          docId: 'pg-pool',
          causal: [
            {
              technology: 'PostgreSQL',
              role: 'ran out of connections',
              evidence: ['Postgres refused new connections'],
              confidence: 0.9,
            },
            { technology: 'Redis', role: 'session cache timed out', evidence: ['Redis timed out'], confidence: 0.8 },
          ],
          mentioned: [],
          unnamedCause: null,
          faultCategory: 'unknown',
          faultSecondary: null,
          flags: [
            { technology: 'Redis', kind: 'disagreement', reason: 'causal for the model, not for the offline engine' },
          ],
        },
        digests: [
          {
            docId: 'pg-pool',
            technology: 'PostgreSQL',
            sentences: ['PostgreSQL ran out of connections.'],
            faultCategory: 'resource-exhaustion',
            contributingFactors: [],
            evidence: ['max_connections was reached'],
          },
          {
            docId: 'pg-pool',
            technology: 'Redis',
            sentences: ['Redis timed out.'],
            faultCategory: 'capacity',
            contributingFactors: [],
            evidence: ['Redis timed out'],
          },
        ],
        verification: {
          claims: 9,
          verified: 7,
          share: 0.7778,
          unverified: [
            { stage: 'summarize', field: 'rootCauses[0]', quote: 'the pool was capped at 20 connections' },
            { stage: 'analyze', field: 'digest:PostgreSQL', quote: 'max_connections was reached' },
          ],
        },
      }),
      document('kafka-lag', {
        summary: {
          docId: 'kafka-lag',
          issue: { text: 'Orders were delayed.', evidence: ['orders were delayed by an hour'] },
          rootCauses: [],
          impact: notStated(),
          resolution: { text: 'Consumers were restarted.', evidence: ['we restarted the consumers'] },
          preventiveActions: [],
        },
        classification: {
          docId: 'kafka-lag',
          causal: [
            {
              technology: 'Kafka',
              role: 'a rebalance storm stalled consumers',
              evidence: ['the Kafka consumer group kept rebalancing'],
              confidence: 0.45,
            },
          ],
          mentioned: [
            {
              technology: 'MySQL',
              context: 'other',
              reason: 'needs review: the quote is not in the document',
              evidence: ['MySQL locked the orders table'],
            },
          ],
          unnamedCause: null,
          faultCategory: 'unknown',
          faultSecondary: null,
          flags: [{ technology: 'MySQL', kind: 'demoted', reason: 'needs review: the quote is not in the document' }],
        },
        digests: [],
      }),
      document('cassandra', {
        summary: {
          docId: 'cassandra',
          issue: { text: 'Reads failed.', evidence: ['reads failed at quorum'] },
          rootCauses: [],
          impact: notStated(),
          resolution: notStated(),
          preventiveActions: [],
        },
        classification: {
          docId: 'cassandra',
          causal: [
            {
              technology: 'Cassandra',
              role: 'two replicas were down',
              evidence: ['two Cassandra replicas were down'],
              confidence: 0.95,
            },
          ],
          mentioned: [],
          unnamedCause: null,
          faultCategory: 'unknown',
          faultSecondary: null,
          flags: [],
        },
        digests: [],
      }),
    ],
  });
}

/** `count` documents with one stated issue each and nothing risky, for sampling statistics. */
export function plainReport(count: number): ReportData {
  return ReportData.parse({
    generatedAt: '2025-01-01T00:00:00.000Z',
    runId: 'run-plain',
    engine: { id: 'offline', model: 'extractive', version: '1' },
    patterns: [],
    opportunities: [],
    skipped: [],
    failed: [],
    documents: Array.from({ length: count }, (_, index) =>
      document(`doc-${index}`, {
        summary: {
          docId: `doc-${index}`,
          issue: { text: `Issue ${index}.`, evidence: [`issue ${index}`] },
          rootCauses: [],
          impact: notStated(),
          resolution: notStated(),
          preventiveActions: [],
        },
      }),
    ),
  });
}

let clock = Date.parse('2025-02-01T00:00:00.000Z');

/** A vote with a fresh, increasing timestamp. */
export function vote(overrides: Partial<Vote> = {}): Vote {
  clock += 1000;
  return {
    itemId: 'item',
    reviewer: 'alice',
    vote: 'up',
    stage: 'summarize',
    docId: 'doc',
    promptVersion: 'summarize@1',
    model: 'm',
    at: new Date(clock).toISOString(),
    ...overrides,
  };
}
