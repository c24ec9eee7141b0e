/**
 * Attribution round 27 (engine 27): readings that three new development authors' voices needed.
 * A dated history of moves between stores is background (an undated move's destination is the system
 * today), an upgrade of one store is not; a terse note
 * that leaves out an article ("did exactly what rule says") still blames the rule, not the store's
 * innocence; "doing exactly right thing" and "refused it correctly" are innocence; "Countermeasures"
 * and "Future plan" sections are action items. Every sentence here is invented.
 */
import { describe, expect, it } from 'vitest';
import { BACKGROUND_CLAUSE, EXONERATION } from '../../src/attribution/index.ts';
import { roleOfHeading } from '../../src/ingest/section-roles.ts';
import { assessMention, catalogMatcher, engineCausesOf } from '../support/attribution.ts';

// Read once, before any test of this file (top-level await).
const matcher = await catalogMatcher();

describe('attribution round 27: history is background, an upgrade is not', () => {
  it('reads a move of data away from a store, with words between verb and "from", as background', () => {
    expect(BACKGROUND_CLAUSE.test('in 2018 we moved our order history from MongoDB to PostgreSQL')).toBe(true);
    expect(BACKGROUND_CLAUSE.test('we moved the billing tables off MySQL')).toBe(true);
    // Trap: an upgrade of the same store from one version to the next may be the change that broke it.
    expect(BACKGROUND_CLAUSE.test('we moved the reporting database from MySQL 5.7 to 8.0')).toBe(false);
    expect(BACKGROUND_CLAUSE.test('we moved the cluster from v3.4 to v3.5')).toBe(false);
  });

  it('reads a dated move onto a store as history, not an undated one', () => {
    expect(BACKGROUND_CLAUSE.test('in 2020 the partner feeds moved onto Kafka')).toBe(true);
    expect(BACKGROUND_CLAUSE.test('In 2019, we migrated the sessions to Redis')).toBe(true);
    // Trap: a move told as this incident's change carries no year.
    expect(BACKGROUND_CLAUSE.test('on Tuesday the sessions moved to Redis and the pool ran dry')).toBe(false);
  });

  it('reads the store a move left as background, and the one it reached as the system today unless dated', () => {
    const undated = 'We moved log search off our own Elasticsearch cluster to an OpenSearch Service domain.';
    expect(assessMention(matcher, undated, 'Elasticsearch', 'summary').context).toBe('background');
    expect(assessMention(matcher, undated, 'OpenSearch', 'summary').context).not.toBe('background');
    const dated = 'In 2019 we moved our orders from MongoDB to PostgreSQL.';
    expect(assessMention(matcher, dated, 'MongoDB', 'summary').context).toBe('background');
    expect(assessMention(matcher, dated, 'PostgreSQL', 'summary').context).toBe('background');
  });

  it('takes no store named only in the history of the architecture', () => {
    const source = `# Checkout unavailable for 35 minutes

Some history first, because it shaped the response: in 2018 we moved our order history from MongoDB to PostgreSQL, and in 2020 the partner feeds moved onto Kafka.

On 3 March the primary load balancer pair in our Leeds site failed after a firmware update, and the DNS failover to the second site took 35 minutes because the record had a one-hour TTL. Nothing behind the balancers was touched.

We are shortening the TTL to 60 seconds and rehearsing the failover every quarter.
`;
    expect(engineCausesOf(matcher, source)).toEqual([]);
  });
});

describe('attribution round 27: innocence, and what is not', () => {
  it('does not read "did exactly what (the) rule says" as innocence: the rule is the store\'s own setting', () => {
    expect(EXONERATION.test('So the bucket did exactly what rule says, it deleted the files after a day.')).toBe(false);
    expect(EXONERATION.test('The bucket did exactly what the lifecycle rule told it to.')).toBe(false);
    // Still innocence: doing what it was told by someone else.
    expect(EXONERATION.test('The bucket did exactly what it was told.')).toBe(true);
  });

  it('reads "doing exactly right thing" and "refused it correctly" as innocence', () => {
    expect(EXONERATION.test('replicas refused it correctly. database is doing exactly right thing')).toBe(true);
    expect(EXONERATION.test('The standby did the right thing and stayed read-only.')).toBe(true);
    expect(EXONERATION.test('The read-only replicas rejected the writes correctly.')).toBe(true);
    // Traps: a wrong refusal is a fault; "right thing" as a thing it lacked is no verdict.
    expect(EXONERATION.test('The replicas refused it wrongly because of a stale flag.')).toBe(false);
    expect(EXONERATION.test('We never found the right thing to alert on.')).toBe(false);
  });
});

describe('attribution round 27: section headings', () => {
  it('files countermeasures and future plans as action items, "why we did not notice" as detection', () => {
    expect(roleOfHeading('Countermeasures')).toBe('action-items');
    expect(roleOfHeading('Future plans')).toBe('action-items');
    expect(roleOfHeading('Why we did not notice at night')).toBe('detection');
    expect(roleOfHeading("Why we didn't notice")).toBe('detection');
  });

  it('reads a store named in an idea under Countermeasures as an action item, not a cause', () => {
    const reading = assessMention(
      matcher,
      'One idea is SQS FIFO with a deduplication id per run, so one trigger cannot run two times.',
      'SQS',
      'action-items',
    );
    expect(reading.weight).toBeLessThanOrEqual(0);
    const source = `# Report: loyalty points granted two times

## What happened

At 03:04 the time sync on the batch host stepped the clock back by one hour, and cron started the monthly grant job a second time.

## Countermeasures

1. Time sync steps the clock only at boot.
2. Future plan: move batch triggers from cron to a queue. One idea is SQS FIFO with a deduplication id per month, so one trigger cannot run two times.
`;
    expect(engineCausesOf(matcher, source)).toEqual([]);
  });
});
