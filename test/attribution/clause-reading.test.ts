import { describe, expect, it } from 'vitest';
import { clauseBefore, inObjectPosition } from '../../src/attribution/index.ts';
import { confidenceOf } from '../../src/engines/offline/confidence.ts';
import type { SourceSentence } from '../../src/text/sentences.ts';
import { assessMention, catalogMatcher, offlineCausesOf } from '../support/attribution.ts';

// Read once, before any test of this file (top-level await).
const matcher = await catalogMatcher();

const assessed = (text: string, technology: string, role: SourceSentence['role'] = 'summary') =>
  assessMention(matcher, text, technology, role);
const causesOf = (source: string) => offlineCausesOf(matcher, source);

describe('attribution: clause reading', () => {
  it('reads the words before a name: object of a preposition or of a verb of sending load', () => {
    const text = 'Every miss went to the billing MySQL replicas, which slowed down.';
    expect(clauseBefore(text, text.indexOf('MySQL'))).toBe('Every miss went to the billing ');
    expect(inObjectPosition('Every miss went to the billing ')).toBe(true);
    expect(inObjectPosition('The batch job hammered ')).toBe(true);
    // the far side of a redirection is the cause, not an object
    expect(inObjectPosition('The errors were traced to ')).toBe(false);
    expect(inObjectPosition('Replica lag on our ')).toBe(false);
  });

  it('weighs a technology the failure reached below one that failed as the subject', () => {
    const reached = assessed('Every cache miss went to the Postgres primary and CPU saturated.', 'PostgreSQL');
    const subject = assessed('The Postgres primary saturated its CPU during the backfill.', 'PostgreSQL');
    expect(reached.context).toBeNull();
    expect(subject.weight).toBeGreaterThan(reached.weight * 2);
  });

  it('reads a health verdict later in the sentence, or in another cell of a table row, as a denial', () => {
    expect(assessed('retries piling up, Kafka backlog growing. brokers fine, just buffering', 'Kafka').context).toBe(
      'negated',
    );
    expect(assessed('Redis | hit ratio 99% | no evictions | Ruled out', 'Redis', 'other').context).toBe('negated');
    expect(
      assessed('The state lives in S3 and the lock in a table, and both behaved exactly as intended.', 'S3').context,
    ).toBe('negated');
    // ...but a verdict that may be about another named technology stays with that one
    expect(
      assessed('The Elasticsearch index was rebuilt from MongoDB; that cluster was fine throughout.', 'MongoDB')
        .context,
    ).not.toBe('negated');
  });

  it('reads a tool for the technology (its consumers, its logs) as the tool', () => {
    expect(assessed('RabbitMQ consumer connections from the workers dropped.', 'RabbitMQ').context).toBe('other');
    expect(assessed('We searched the OpenSearch logs for the pod names.', 'OpenSearch').context).toBe('other');
  });

  it('keeps a technology that did what its own setting said, and its own behaviour told as a rule', () => {
    expect(assessed('Cassandra did exactly what the setting said and dropped the hints.', 'Cassandra').context).toBe(
      null,
    );
    expect(assessed('Cassandra did exactly what it was told by the client.', 'Cassandra').context).toBe('negated');
    // "X evaluates ... once a day" is its behaviour, not an evaluation of X as an alternative
    expect(assessed('S3 evaluates lifecycle rules once a day and expired everything.', 'S3').context).toBeNull();
    expect(assessed('We evaluated OpenSearch last year.', 'OpenSearch').context).toBe('background');
  });

  it('takes a cause told once in a status update when the technology leads its section', () => {
    const source = [
      '# Search not returning new documents',
      '',
      '**Identified** 14:22 UTC',
      'Several data nodes of the Elasticsearch cluster ran out of disk and hit the flood-stage watermark, so indices went read-only.',
      '',
      '**Resolved** 15:48 UTC',
      'Storage was added and the block lifted.',
    ].join('\n');
    expect(causesOf(source)).toEqual(['Elasticsearch']);
  });

  it('does not take a technology that only suffered while another led', () => {
    const source = [
      '# Checkout slow',
      '',
      'The Redis cache ran out of memory and evicted every session key, and the Redis eviction storm lasted an hour.',
      'Every miss went to the Postgres primary, whose CPU saturated.',
    ].join('\n');
    const causes = causesOf(source);
    expect(causes).toContain('Redis');
    expect(causes).not.toContain('PostgreSQL');
  });

  it('states a lower confidence for a cause carried by little evidence', () => {
    // Bands fitted on unseen text: never decreasing in evidence, and the strongest above the weakest.
    expect(confidenceOf(2.5)).toBeLessThanOrEqual(confidenceOf(5));
    expect(confidenceOf(5)).toBeLessThanOrEqual(confidenceOf(8));
    expect(confidenceOf(2.5)).toBeLessThan(confidenceOf(8));
  });
});
