import { describe, expect, it } from 'vitest';
import { assess } from '../../src/attribution/index.ts';
import type { SourceSentence } from '../../src/text/sentences.ts';
import { assessMention, catalogMatcher, offlineCausesOf, sentenceIn } from '../support/attribution.ts';

// Read once, before any test of this file (top-level await).
const matcher = await catalogMatcher();

const sentence = (text: string, role: SourceSentence['role'] = 'root-cause') => sentenceIn(text, role);
const contextOf = (text: string, technology: string, role: SourceSentence['role'] = 'root-cause') =>
  assessMention(matcher, text, technology, role).context;
const causesOf = (source: string) => offlineCausesOf(matcher, source);

describe('attribution: readings that keep false causes out', () => {
  it('reads a note in parentheses after the name as its status', () => {
    // Prepare / Act / Assess in one line each: the note decides the context.
    expect(contextOf('Downstream, RabbitMQ (victim only) queued the retries and timed out.', 'RabbitMQ')).toBe(
      'victim',
    );
    expect(contextOf('MongoDB (healthy throughout) saw its latency spike from the retries.', 'MongoDB')).toBe(
      'negated',
    );
    expect(contextOf('Redis ran out of memory (maxmemory was 2 GB).', 'Redis')).toBeNull();
  });

  it('reads a clause with no subject of its own after a contrast as still about the name', () => {
    expect(
      contextOf(
        "OpenSearch indexing fell behind under the load but didn't break and isn't why pods died",
        'OpenSearch',
      ),
    ).toBe('negated');
    expect(contextOf('Memcached evicted hot keys but was restarted within a minute', 'Memcached')).toBeNull();
  });

  it('does not read capacity as a failure unless it fell short', () => {
    expect(
      contextOf('We were expanding the capacity of the Redis cluster that morning.', 'Redis', 'summary'),
    ).toBeNull();
    const expanding = assess(
      sentence('We were expanding the capacity of the Redis cluster that morning.', 'summary'),
      'Redis',
      'We were expanding the capacity of the '.length,
      'We were expanding the capacity of the Redis'.length,
    );
    const short = assess(
      sentence('The Redis cluster ran at full capacity for an hour.', 'summary'),
      'Redis',
      'The '.length,
      'The Redis'.length,
    );
    expect(expanding.weight).toBeLessThan(short.weight);
  });

  it('weighs a labelled fix inside a summary as a remediation', () => {
    const fix = assess(sentence('Fix: purged the stuck Kafka topic and replayed it.', 'summary'), 'Kafka', 20, 25);
    const told = assess(
      sentence('The stuck Kafka topic was purged by a retention change.', 'summary'),
      'Kafka',
      10,
      15,
    );
    expect(fix.weight).toBeLessThan(told.weight);
  });

  it('denies what the sentence before named when the next one points back and calls it healthy', () => {
    const source = [
      '# Deploy outage',
      '',
      '## Summary',
      '',
      'A bad deploy of the web tier took checkout down for an hour; the release was rolled back.',
      'Sessions live in Redis and jobs are stored in a DynamoDB table that throttled nothing.',
      'Both worked perfectly throughout the outage.',
    ].join('\n');
    expect(causesOf(source)).toEqual([]);
  });

  it('reads the items of a list introduced as not part of the cause as denied', () => {
    const source = [
      '# Certificate expiry',
      '',
      '## Summary',
      '',
      'An expired certificate on the edge proxy broke every login for 40 minutes.',
      'Things people asked about that were not part of the cause:',
      '',
      '- Kafka consumer lag spiked while logins failed and the retries piled up.',
      '- The S3 bucket for avatars returned errors for a few minutes.',
    ].join('\n');
    expect(causesOf(source)).toEqual([]);
  });

  it('denies the technology a kind noun calls healthy without naming it', () => {
    const source = [
      '# Stale DNS after failover',
      '',
      '## Summary',
      '',
      'After a planned failover of the MySQL writer, our services kept writing to the old writer, which was read-only, and every write failed for an hour.',
      '',
      '## Root cause',
      '',
      'The services cached DNS forever and never followed the new endpoint.',
      'The database and its failover are not the cause; they worked as documented.',
    ].join('\n');
    expect(causesOf(source)).toEqual([]);
  });
});
