import { describe, expect, it } from 'vitest';
import { EXONERATION, limitReached, misconfiguredSetting, OWN_BEHAVIOUR } from '../../src/attribution/index.ts';
import { assessMention, catalogMatcher, offlineCausesOf } from '../support/attribution.ts';

// Read once, before any test of this file (top-level await).
const matcher = await catalogMatcher();

const causesOf = (source: string) => offlineCausesOf(matcher, source);

describe('attribution round 10: a setting in force at a default nobody chose', () => {
  it('reads a setting told at or with its default as a setting of the holder', () => {
    // Prepare / Act / Assess: told with a configuration word, not a named parameter.
    expect(misconfiguredSetting('The broker nodes run with the default segment size of 512 MB')).toBe(true);
    expect(misconfiguredSetting('Our stream has the default record retention of 24 hours.')).toBe(true);
    expect(misconfiguredSetting('The eviction window was still at its default')).toBe(true);
  });

  it('does not read a fix back to the default, a default of a non-setting, or a holder after it', () => {
    // Trap: a value put back to its default, a plain "default" noun, and a default of someone else's option.
    expect(misconfiguredSetting('After the review the shard limit is back at its default everywhere.')).toBe(false);
    expect(misconfiguredSetting('The service was deployed with the default VPC settings.')).toBe(false);
    const clause = 'with the default setting of a new option, it removes topics from the cluster';
    expect(misconfiguredSetting(clause, clause.indexOf('the cluster'))).toBe(false);
  });

  it('makes the one technology of the kind the cause when its generic noun holds the default', () => {
    // Prepare: the cache is named once; the setting at its default is told by the generic noun.
    const source = `Slow product pages

## Summary

Rendered product pages are cached in Memcached for an hour.
On Monday the marketing team added long descriptions and most pages grew past 1 MB.
The cache nodes run with the default maximum item size of 1 MB, so every set for those pages was refused.
`;
    // Act / Assess: the same refusal without the default says nothing of whose setting it was.
    expect(causesOf(source)).toContain('Memcached');
    expect(
      causesOf(source.replace(' run with the default maximum item size of 1 MB, so', ' were busy, and')),
    ).not.toContain('Memcached');
  });
});

describe('attribution round 10: the technology did what its arguments told it', () => {
  it('does not read "did what the queue arguments told it" as innocence', () => {
    // Prepare / Act / Assess: a setting noun with a modifier still names its own setting.
    expect(EXONERATION.test('The broker did exactly what the queue arguments told it to do.')).toBe(false);
    // Trap: told without a setting, the same words declare it innocent.
    expect(EXONERATION.test('The broker did exactly what it was told.')).toBe(true);
  });
});

describe('attribution round 10: a value past what its column type holds', () => {
  it('reads "integer out of range" as a limit reached', () => {
    // Prepare / Act / Assess
    expect(limitReached("inserts into the ledger failed with 'integer out of range' on the primary")).toBe(true);
    // Trap: a reading out of the range of a chart is not a limit of a store.
    expect(limitReached('the latency graph was out of range for the whole night')).toBe(false);
  });

  it('makes the named database the cause when its insert fails with the error', () => {
    // Prepare: one named mention, the error told in its clause.
    const source = `Checkout failures

## Summary

At 04:41 the order id sequence passed two billion.
Inserting the line items then failed with 'integer out of range' on PostgreSQL.
`;
    // Act / Assess: the same sentence with a plain failure is not a limit of the database.
    expect(causesOf(source)).toContain('PostgreSQL');
    expect(causesOf(source.replace("'integer out of range'", 'a validation error'))).not.toContain('PostgreSQL');
  });

  it('reads a part named with a quoted identifier as the subject of the failure', () => {
    // Prepare: the table (a part of the database) carries a quoted name before it.
    const source = `Feed writes failing

## Summary

Events are stored in our MySQL database and served by the feed API.
Short version: the \`feed_events\` table ran out of integer ids.
`;
    // Act / Assess: the same failure told of our API is not the database's.
    expect(causesOf(source)).toContain('MySQL');
    expect(causesOf(source.replace('the `feed_events` table', 'the `feed` API'))).not.toContain('MySQL');
  });
});

describe('attribution round 10: a share of the parts as the subject', () => {
  it('reads "a third of the partitions refused writes" as the parts failing', () => {
    // Prepare: the queue is named once; a share of its parts failed. PostgreSQL is only someone else's.
    const source = `Order events stalled

## Summary

The order topics on our Kafka cluster have a replication factor of 2.
Our payment provider had a failover of their PostgreSQL clusters the same week.
This month broker 3 took 40 minutes to restart, and for those 40 minutes a third of the partitions refused writes.
`;
    // Act / Assess: a share of something else failing says nothing of the queue.
    expect(causesOf(source)).toContain('Kafka');
    expect(
      causesOf(source.replace('a third of the partitions refused writes', 'a third of the users saw errors')),
    ).not.toContain('Kafka');
  });

  it('still leaves a shared part to no one when both kinds are in play', () => {
    // Trap: the table is a candidate too, so "partitions" is no one's.
    const source = `Slow orders

## Summary

Orders are written to a DynamoDB table, and each order is then sent to an SQS queue for the packers.
At 12:00 a flash sale started and the DynamoDB table was throttled.
For ten minutes a third of the partitions refused writes.
`;
    // Act / Assess
    expect(causesOf(source)).not.toContain('SQS');
  });
});

describe('attribution round 10: the named thing told going as it should', () => {
  it('reads the name as the subject of a clause going as it should as fine there', () => {
    // Prepare / Act / Assess
    const fine = assessMention(
      matcher,
      'The processes themselves are fine: each mongod starts, syncs and rejoins as they should.',
      'MongoDB',
      'summary',
    );
    expect(fine.context).toBe('negated');
  });

  it('does not deny a name that is only the object of a clause going as it should', () => {
    // Trap: the write went as it should; the name is where it landed.
    const reached = assessMention(matcher, 'Every write landed on the MySQL primary as it should.', 'MySQL', 'summary');
    expect(reached.context).not.toBe('negated');
    // Trap: "as it should have" says it did not.
    const missed = assessMention(
      matcher,
      'The MongoDB primary stalled for a minute instead of stepping down as it should have.',
      'MongoDB',
      'summary',
    );
    expect(missed.context).toBe(null);
  });
});

describe('attribution round 10: a documented limit told bare', () => {
  it('reads "has a ceiling" before a pause as its own behaviour', () => {
    // Prepare / Act / Assess
    expect(OWN_BEHAVIOUR.test("S3's request rate per prefix has a ceiling (it scales up slowly).")).toBe(true);
    expect(OWN_BEHAVIOUR.test('each partition has a hard ceiling, on the order of 1,000 writes a second')).toBe(true);
    // Trap: a limit in general talk, with no pause or scope after it, is not read.
    expect(OWN_BEHAVIOUR.test('The team has a limit we agreed on last year')).toBe(false);
  });
});

describe('attribution round 10: a later clause whose subject is the generic noun of the named kind', () => {
  it('reads the generic noun of the one named technology reaching a limit as its own', () => {
    // Prepare: the name sits in the first clause; the limit is told by "the six-broker cluster" after a semicolon.
    const source = `Onboarding stalled

## Summary

The cluster is Amazon MSK on small brokers; the six-broker cluster had grown for a year and hit the ceiling that morning.
New tenants could not be created until 16:00.
`;
    // Act / Assess: told without the limit, the same clause says nothing of the queue.
    expect(causesOf(source)).toContain('Kafka');
    expect(causesOf(source.replace('and hit the ceiling that morning', 'and was fine that morning'))).not.toContain(
      'Kafka',
    );
  });

  it('does not give a limit of a noun of another kind to the named technology', () => {
    // Trap: the cache is named; "the database" that ran out is not a cache noun.
    const source = `Slow logins

## Summary

Sessions are kept in Redis on three nodes; the main database hit its connection limit at 09:00.
Logins failed for twenty minutes.
`;
    // Act / Assess
    expect(causesOf(source)).not.toContain('Redis');
  });
});
