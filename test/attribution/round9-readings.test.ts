import { describe, expect, it } from 'vitest';
import { misconfiguredSetting, namedParameterChanged } from '../../src/attribution/index.ts';
import { joinSoftBreaks } from '../../src/ingest/markdown.ts';
import { catalogMatcher, offlineCausesOf } from '../support/attribution.ts';

// Read once, before any test of this file (top-level await).
const matcher = await catalogMatcher();

const causesOf = (source: string) => offlineCausesOf(matcher, source);

describe('attribution round 9: a named parameter left at its default', () => {
  it('reads a parameter nobody set, running at its default, as a setting of the technology', () => {
    // Prepare / Act / Assess: snake_case, camelCase and dotted parameters, each left at a default.
    expect(misconfiguredSetting('The purge_interval_hours line is missing from the file, so it is the default.')).toBe(
      true,
    );
    expect(misconfiguredSetting('09:40 segmentFlushBytes: 4096 (default). nobody looked at it since launch')).toBe(
      true,
    );
    expect(namedParameterChanged('log.cleaner.min.lag was never set on this cluster.')).toBe(true);
  });

  it('does not read a value put back to its default, or a plain word, as a setting at fault', () => {
    // Trap: a fix that restores the default, and an ordinary word next to "default".
    expect(misconfiguredSetting('After the review, `segmentFlushBytes` is back to its default.')).toBe(false);
    expect(misconfiguredSetting('The dashboard is the default view for on-call.')).toBe(false);
  });

  it('makes the technology named just before a parameter at its default the cause', () => {
    // Prepare: the technology is named once; the setting that failed is told right after, unnamed.
    const source = `Discovery outage

## Summary

Every worker registers itself with our ZooKeeper ensemble at start-up.
The maxSessionsPerAddress option is absent from our config file, so it is the default of 40 sessions per address.
At 10:02 a scale-out pushed every worker through one gateway address.
`;
    // Act / Assess: the same story without the default is not enough.
    expect(causesOf(source)).toContain('ZooKeeper');
    expect(
      causesOf(source.replace(', so it is the default of 40 sessions per address', ' and we do not know its value')),
    ).not.toContain('ZooKeeper');
  });
});

describe('attribution round 9: a part of the technology, in its own vocabulary, as the subject of the failure', () => {
  it('counts a sentence whose subject is a part of the one named technology of that kind', () => {
    // Prepare: Kafka is named once in background-like prose; the failure is told by its parts only.
    const source = `Late notifications

## Summary

The mailer reads the signups topic on our Kafka cluster with eight workers.
On Tuesday a slower template renderer shipped at 09:00.
For four hours the group rebalanced and rarely committed anything.
At 13:00 the offsets were lost and the mailer started over.
`;
    // Act / Assess: the same failures told of our own mailer say nothing of Kafka.
    expect(causesOf(source)).toContain('Kafka');
    expect(
      causesOf(
        source
          .replace('the group rebalanced', 'the mailer stalled')
          .replace('the offsets were lost', 'the mailer crashed'),
      ),
    ).not.toContain('Kafka');
  });

  it('reads a terse log line the splitter kept whole at its last full stop', () => {
    // Prepare: the subject opens the second statement of one line ("... up. quorum lost").
    const source = `Coordination outage

## Timeline

21:00 upgrading the etcd members one at a time.
21:06 member two restarted before member one had caught up.
21:07 only one of three up. quorum lost, every write to the control plane refused.
21:20 all members back.
`;
    // Act / Assess
    expect(causesOf(source)).toContain('etcd');
  });

  it('does not give a part to a technology when another named kind owns the same word', () => {
    // Trap: "partition" belongs to the DynamoDB table as much as to the queue, so it is no one's.
    const source = `Slow orders

## Summary

Orders are written to a DynamoDB table, and each order is then sent to an SQS queue for the packers.
At 12:00 a flash sale started.
The hot partition was throttled for forty minutes.
Every partition rejected writes by 12:10.
`;
    // Act / Assess
    expect(causesOf(source)).not.toContain('SQS');
  });

  it('does not read the part as failing when the clause moves the fault to the network', () => {
    // Trap: the part is the subject, but the clause blames the network under it.
    const source = `Search errors

## Summary

Product search runs on Elasticsearch.
14:00 the index went red because a network switch dropped two data nodes.
`;
    // Act / Assess: told without the network, the same line is the index failing.
    expect(causesOf(source)).not.toContain('Elasticsearch');
    expect(causesOf(source.replace(' because a network switch dropped two data nodes', ''))).toContain('Elasticsearch');
  });
});

describe('attribution round 9: catalog vocabulary', () => {
  it('knows the short names and own parameters of a technology', () => {
    // Prepare / Act / Assess: "ES" and "RMQ" name the technology; a Kafka parameter points at Kafka.
    expect(matcher.namedIn('bulk writes to ES were rejected with 429')).toContain('Elasticsearch');
    expect(matcher.namedIn('the RMQ node came back and resynced')).toContain('RabbitMQ');
    expect(matcher.signalledIn('offsets.retention.minutes is seven days')).toContain('Kafka');
    expect(matcher.signalledIn('auto_snapshot: true')).toContain('Cassandra');
  });
});

describe('attribution round 9: chat lines whose stamp carries the day', () => {
  it('keeps each message of a chat export with a dated stamp on its own line', () => {
    // Prepare: messages with no closing full stop, stamped with the day and the time.
    const chat = '[03/02 09:14] Ines Moreau: queue depth climbing\n[03/02 09:15] Tomas Berg: checking the consumers\n';
    const iso = '[2025-02-03 09:14] ines: disk at 91%\n[2025-02-03 09:16] tomas: purging old snapshots\n';
    // Act / Assess: each message stays apart; a hard-wrapped prose line is still joined.
    expect(joinSoftBreaks(chat).split('\n').filter(Boolean)).toHaveLength(2);
    expect(joinSoftBreaks(iso).split('\n').filter(Boolean)).toHaveLength(2);
    expect(joinSoftBreaks('The replica fell behind\nduring the import.')).toBe(
      'The replica fell behind during the import.',
    );
  });
});
