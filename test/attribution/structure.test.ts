import { describe, expect, it } from 'vitest';
import {
  inProviderOutageList,
  inQuestion,
  isToolFor,
  misconfiguredSetting,
  redirectedAway,
} from '../../src/attribution/index.ts';
import { bandConfidence, confidenceOf } from '../../src/engines/offline/confidence.ts';
import type { SourceSentence } from '../../src/text/sentences.ts';
import { assessMention, catalogMatcher, offlineCausesOf } from '../support/attribution.ts';

// Read once, before any test of this file (top-level await).
const matcher = await catalogMatcher();

const contextOf = (text: string, technology: string, role: SourceSentence['role'] = 'root-cause') =>
  assessMention(matcher, text, technology, role).context;
const causesOf = (source: string) => offlineCausesOf(matcher, source);

describe('attribution: clause structure', () => {
  it('reads a tool built for a technology as the tool, not the technology', () => {
    expect(isToolFor('the Kafka exporter crashed', 'the Kafka'.length)).toBe(true);
    expect(isToolFor('our Redis client library leaked sockets', 'our Redis'.length)).toBe(true);
    expect(isToolFor('Redis rejected clients over maxclients', 'Redis'.length)).toBe(false);
    expect(contextOf('The MySQL driver in the billing service held connections open until it crashed.', 'MySQL')).toBe(
      'other',
    );
  });

  it('leaves a technology before "traced to" an outside fault as the one that suffered', () => {
    const text = 'Cassandra read latency spikes were traced to CPU steal on oversubscribed hosts.';
    expect(redirectedAway(text, 0, () => false)).toBe(true);
    expect(contextOf(text, 'Cassandra')).toBe('victim');
    // ...but a redirection that lands on a catalog technology keeps the cause there.
    expect(contextOf('The checkout errors were traced to Redis running out of memory.', 'Redis')).toBeNull();
  });

  it('sets aside each name of a list degraded by a provider outage', () => {
    const text = 'The regional AWS outage degraded S3, DynamoDB and SQS for two hours.';
    const spans = matcher.find(text);
    expect(spans.map((_, index) => inProviderOutageList(text, spans, index))).toEqual([true, true, true]);
    expect(contextOf(text, 'DynamoDB')).toBe('upstream-provider');
  });

  it('reads a question, a caller symptom and "X fine" as no cause', () => {
    expect(inQuestion('is DynamoDB throttling? the table is provisioned', 'is DynamoDB'.length)).toBe(true);
    expect(contextOf('is DynamoDB throttling? the table is on provisioned capacity', 'DynamoDB', 'summary')).toBe(
      'other',
    );
    expect(contextOf('The order service saw similar timeouts to DynamoDB.', 'DynamoDB', 'other')).toBe('victim');
    expect(
      contextOf(
        'postgres fine, inserts committing, latency normal; it is the publish that hangs',
        'PostgreSQL',
        'summary',
      ),
    ).toBe('negated');
  });

  it('reads a background or migration clause as background', () => {
    expect(contextOf('We moved off RabbitMQ in 2021 when we needed replay.', 'RabbitMQ', 'summary')).toBe('background');
    expect(
      contextOf('Earlier this year we spent time evaluating OpenSearch for cost reasons.', 'OpenSearch', 'summary'),
    ).toBe('background');
  });

  it('counts a changed setting, policy or permission of a technology as its failure', () => {
    expect(misconfiguredSetting('the broker vm_memory_high_watermark was raised from 0.4 to 0.9')).toBe(true);
    expect(misconfiguredSetting('a tightened bucket policy denied the CDN identity')).toBe(true);
    expect(misconfiguredSetting('the pipeline was switched off, and the checklist covered the IAM role')).toBe(false);
  });

  it('does not break a clause inside a time of day', () => {
    expect(
      contextOf(
        'At 14:49 the Aurora PostgreSQL writer had a hardware failure and the cluster failed over.',
        'PostgreSQL',
        'detection',
      ),
    ).toBeNull();
  });
});

describe('offline engine: causation in whole documents', () => {
  it('takes a plain narrative cause with no root-cause heading', () => {
    const source = `# Builds stuck\n\nWe keep the job queue in a RabbitMQ cluster. On Tuesday RabbitMQ raised its memory alarm after a consumer stopped acking, and it blocked every publishing connection for 40 minutes. RabbitMQ blocks all publishers cluster-wide while the alarm is raised, which is why every service stalled.\n`;
    expect(causesOf(source)).toEqual(['RabbitMQ']);
  });

  it('does not blame a technology the document declares innocent', () => {
    const source = `# Slow reads\n\n## Root cause\n\nThe API timed out on Cassandra reads during every burst, and Cassandra read latency spiked.\n\nCassandra wasn't doing anything wrong: the latency was traced to CPU steal on the hosts.\n`;
    expect(causesOf(source)).toEqual([]);
  });

  it('finds each cause of a report with two incidents in their own sections', () => {
    const source = `# Monthly report\n\n## Incident 1: cache\n\nThe Redis primary ran out of memory because maxmemory was set too low, and evictions emptied the session cache.\n\nRedis hit its memory limit again an hour later and evicted the sessions a second time.\n\n## Incident 2: queue\n\nThe SQS visibility timeout was set to 5 seconds, so messages were redelivered and processed twice, which caused duplicate charges.\n\nSQS redelivered every message still in flight because the visibility timeout had expired.\n`;
    expect(causesOf(source).sort()).toEqual(['Redis', 'SQS']);
  });
});

describe('offline engine: confidence', () => {
  it('is a smoothed observed precision that never falls as evidence grows', () => {
    expect(bandConfidence({ causes: 0, correct: 0 })).toBe(0.85);
    expect(bandConfidence({ causes: 10, correct: 5 })).toBeLessThan(0.85);
    expect(confidenceOf(4)).toBeLessThanOrEqual(confidenceOf(7));
    expect(confidenceOf(7)).toBeLessThanOrEqual(confidenceOf(30));
  });
});
