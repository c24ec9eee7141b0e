import { describe, expect, it } from 'vitest';
import { assessTechnologies } from '../../src/engines/offline/evidence.ts';
import { catalogMatcher } from '../support/attribution.ts';
import { ingestInline } from '../support/postmortems.ts';

// Read once, before any test of this file (top-level await).
const matcher = await catalogMatcher();

/** The sentences a technology's candidate mentions stand on. */
const candidateSentences = (source: string, technology: string): string[] =>
  assessTechnologies(ingestInline(source, 'case.md'), matcher)
    .find((assessment) => assessment.technology === technology)
    ?.candidates.map((mention) => mention.sentence.text) ?? [];

const MIGRATED = (vocabulary: string) => `# Log search timeouts

## Background

We moved log search off our self-managed Elasticsearch cluster to an OpenSearch Service domain last year.

## Root cause

Dashboards failed because ${vocabulary} was left at the default and one aggregation exhausted the heap of every data node.
`;

describe('technology vocabulary (catalog signals)', () => {
  it('gives a failure told in vocabulary two named technologies of one kind share to neither', () => {
    // Prepare: search.max_buckets is a setting of both search engines; the document names both.
    const source = MIGRATED('search.max_buckets');

    // Act
    const elasticsearch = candidateSentences(source, 'Elasticsearch');
    const opensearch = candidateSentences(source, 'OpenSearch');

    // Assess
    expect(elasticsearch.some((sentence) => sentence.includes('search.max_buckets'))).toBe(false);
    expect(opensearch.some((sentence) => sentence.includes('search.max_buckets'))).toBe(false);
  });

  it("gives a failure told in one technology's own vocabulary to that technology", () => {
    // Prepare: UltraWarm is OpenSearch's alone.
    const source = MIGRATED('the UltraWarm migration queue');

    // Act / Assess
    expect(candidateSentences(source, 'OpenSearch').some((sentence) => sentence.includes('UltraWarm'))).toBe(true);
    expect(candidateSentences(source, 'Elasticsearch').some((sentence) => sentence.includes('UltraWarm'))).toBe(false);
  });

  it('reads product settings as the product they belong to (acks=all, auto-ack, ignore_above)', () => {
    // Prepare
    const kafka = `# Events dropped during broker maintenance

The gateway writes every browser event to our Kafka cluster.

## Root cause

With acks=all, every write was rejected with NotEnoughReplicasException while one of the two replicas was down, so the gateway dropped the events.
`;

    // Act / Assess
    expect(candidateSentences(kafka, 'Kafka').some((sentence) => sentence.startsWith('With acks=all'))).toBe(true);
    expect(matcher.signalledIn('the consumer ran with auto-ack').has('RabbitMQ')).toBe(true);
    expect(matcher.signalledIn('the keyword field has ignore_above: 64').has('Elasticsearch')).toBe(true);
  });
});
