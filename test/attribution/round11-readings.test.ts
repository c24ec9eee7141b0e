import { describe, expect, it } from 'vitest';
import { generalRule, misconfiguredSetting, NEGATION, parameterShownWrong } from '../../src/attribution/index.ts';
import { assessMention, catalogMatcher, offlineCausesOf } from '../support/attribution.ts';

// Read once, before any test of this file (top-level await).
const matcher = await catalogMatcher();

const causesOf = (source: string) => offlineCausesOf(matcher, source);

describe('attribution round 11: a parameter shown with a value told wrong or unchosen', () => {
  it('reads a parameter with its value and a wrong or default cue as a misconfigured setting', () => {
    // Prepare / Act / Assess: a one-dot name counts when a value is given to it.
    expect(misconfiguredSetting('The sink ran with `delivery.mode=lazy`, the default.')).toBe(true);
    expect(misconfiguredSetting('segment.policy = drop on the new stream, where it should be keep')).toBe(true);
    expect(misconfiguredSetting('our default for session.expiry.window is `5s`, so members dropped out')).toBe(true);
    expect(parameterShownWrong('max_batch_bytes: 64 instead of the 64 MB we planned')).toBe(true);
  });

  it('does not read a file or host name, a name with a description, or a value without a cue', () => {
    // Trap: a one-dot name with no value, a colon before a description, a value told plainly.
    expect(misconfiguredSetting('The exporter reads its settings from values.yaml on every host.')).toBe(false);
    expect(misconfiguredSetting('The topic is orders.events: a stream that should be kept for a week')).toBe(false);
    expect(parameterShownWrong('We checked delivery.mode=lazy on all three clusters.')).toBe(false);
    expect(parameterShownWrong('flush.wait.ms=500 should be fine for this volume')).toBe(false);
  });

  it('makes the one technology the sentence before named the cause of its parameter shown at a default', () => {
    // Prepare: the queue is named once; the parameter follows, told at the default nobody chose.
    const source = `Missed shipment events

## Summary

The label workers read shipment events from Kafka.
After the rename the workers joined a fresh group, and our default for start.position.policy is \`newest\`, so two hours of events were skipped.
`;
    // Act / Assess: the same sentence without the default cue says nothing of whose setting it was.
    expect(causesOf(source)).toContain('Kafka');
    expect(causesOf(source.replace('our default for start.position.policy is `newest`, so', 'then'))).not.toContain(
      'Kafka',
    );
  });

  it('does not give the parameter to a technology named next to another one', () => {
    // Trap: the sentence before names two technologies; the parameter may be either's (or a tool's).
    const source = `Stalled sync

## Summary

Rows are copied from Kafka into PostgreSQL staging tables by a sink job.
The job was running with \`fault.handling=halt\`, the default, so one bad row stopped the copy for hours.
`;
    expect(causesOf(source)).not.toContain('PostgreSQL');
    expect(causesOf(source)).not.toContain('Kafka');
  });
});

describe('attribution round 11: a terse verdict clearing a suspect', () => {
  it('reads "X is not it", "X wasn\'t it either" and "it isn\'t X" as clearing X', () => {
    // Prepare / Act / Assess
    expect(assessMention(matcher, 'hit ratio flat, Memcached is not it', 'Memcached', 'summary').context).toBe(
      'negated',
    );
    expect(assessMention(matcher, "RabbitMQ wasn't it either.", 'RabbitMQ', 'summary').context).toBe('negated');
    expect(assessMention(matcher, "checked the queues, it isn't RabbitMQ", 'RabbitMQ', 'summary').context).toBe(
      'negated',
    );
  });

  it('does not read a tag question, "itself" or "wasn\'t until" as clearing', () => {
    // Trap: the same words in a question tag, a reflexive and a time clause.
    expect(NEGATION.test("Redis is overloaded again, isn't it?")).toBe(false);
    expect(NEGATION.test('the broker is not itself the bottleneck')).toBe(false);
    expect(
      assessMention(
        matcher,
        "Writes were steady for a week, and it wasn't until Redis ran out of memory that they failed",
        'Redis',
        'summary',
      ).context,
    ).toBeNull();
  });

  it('does not make the cleared suspect a cause', () => {
    // Prepare: the cleared cache is named twice, the second time as "not it".
    const source = `Login failures

## Summary

login reads the session from Memcached first, maybe Memcached is stale?
checked: Memcached is not it
`;
    expect(causesOf(source)).not.toContain('Memcached');
  });
});

describe('attribution round 11: a rule of the technology after a leading "when" clause', () => {
  it('reads the name as the subject of a rule with an edge after a leading condition', () => {
    // Prepare / Act / Assess: the condition before the name does not hide the rule's subject.
    const clause = 'When two updates hit the same row, CockroachDB does not wait for the older one';
    const start = clause.indexOf('CockroachDB');
    expect(generalRule(clause, start, start + 'CockroachDB'.length)).toBe(true);
  });

  it('does not read a name after a lead-in with another subject, or a rule with no edge', () => {
    // Trap: another subject opens the clause before the name; the condition leads to a plain event.
    const otherSubject = 'When the job ran, our workers and Redis never agreed on the order';
    const start = otherSubject.indexOf('Redis');
    expect(generalRule(otherSubject, start, start + 5)).toBe(false);
    const noEdge = 'When the job ran, Redis evicts keys';
    expect(generalRule(noEdge, noEdge.indexOf('Redis'), noEdge.indexOf('Redis') + 5)).toBe(false);
  });

  it('makes the named technology the cause when its rule is told after a condition', () => {
    // Prepare: the only strong statement of the store is a rule after a "when" clause.
    const source = `Reassignments lost

## Summary

Crew assignments live in a Cassandra table keyed by crew.
When two writes touch the same cell, Cassandra does not keep the one that arrived last; it keeps the higher timestamp.
One dispatcher host ran six minutes fast, so its older reassignments won over newer ones.
`;
    // Act / Assess: the same facts told without the rule leave the store a place the data lived.
    expect(causesOf(source)).toContain('Cassandra');
    expect(
      causesOf(
        source.replace(
          'When two writes touch the same cell, Cassandra does not keep the one that arrived last; it keeps the higher timestamp.',
          'Both writes reached Cassandra.',
        ),
      ),
    ).not.toContain('Cassandra');
  });
});
