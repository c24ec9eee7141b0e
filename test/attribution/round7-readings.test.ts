import { describe, expect, it } from 'vitest';
import { causeWeightOf, EXONERATION, misconfiguredSetting, ROLE_WEIGHT } from '../../src/attribution/index.ts';
import { assessTechnologies } from '../../src/engines/offline/evidence.ts';
import { catalogMatcher, offlineCausesOf, sentenceIn } from '../support/attribution.ts';
import { ingestInline } from '../support/postmortems.ts';

// Read once, before any test of this file (top-level await).
const matcher = await catalogMatcher();

const causesOf = (source: string) => offlineCausesOf(matcher, source);

describe('attribution round 7: an inline cause label weighs as a root-cause heading', () => {
  it('gives a sentence opening on "Root cause:" the weight of a root-cause section', () => {
    // Prepare: a summary sentence with an inline label, and one with a stamp and an author before it.
    const labelled = sentenceIn('Root cause: the retention window of the ledger table was set to one hour.', 'summary');
    const chat = sentenceIn('09:14 priya: cause: the bucket policy now denies reads from the image proxy', 'timeline');
    // Act / Assess
    expect(causeWeightOf(labelled)).toBe(ROLE_WEIGHT['root-cause']);
    expect(causeWeightOf(chat)).toBe(ROLE_WEIGHT['root-cause']);
  });

  it('does not read a label deep in a sentence, or in a section that cannot state a cause', () => {
    // Trap: "the cause:" late in the line is not an opening label; an action item stays an action item.
    const late = sentenceIn('We spent an hour arguing about the cause: nobody agreed on it.', 'summary');
    const action = sentenceIn('Root cause: add an alarm on the queue age.', 'action-items');
    expect(causeWeightOf(late)).toBe(ROLE_WEIGHT.summary);
    expect(causeWeightOf(action)).toBe(ROLE_WEIGHT['action-items']);
  });

  it('makes the technology in a labelled line of a short summary the cause', () => {
    // Prepare: the only cause statement is a labelled line inside the summary.
    const source = `Profile pictures missing

## Summary

Avatars and their edit history are kept together, one DynamoDB item per user.
Root cause: a per-user history attribute in DynamoDB that grew with every edit until writes to it were refused.
`;
    // Act / Assess: without the label the same line is too weak to state a cause.
    expect(causesOf(source)).toContain('DynamoDB');
    expect(causesOf(source.replace('Root cause: ', ''))).not.toContain('DynamoDB');
  });
});

describe('attribution round 7: the next incident told under the last one\'s "Actions" heading', () => {
  const digest = `Monthly reliability digest

## Summary

Two incidents this month.

- 3 May, SEV3, 20 minutes: slow dashboards

The reporting service timed out while a nightly job held a lock in our own scheduler.

## Actions

- the scheduler lock now has a timeout.
- 19 May, SEV2, 45 minutes: checkout sessions lost

The session Redis had maxmemory lowered from 12 GB to 2 GB by a template change, so Redis evicted live sessions all afternoon.
Users had to log in again.
`;

  it('reads the story after an incident title in an action-items section as narrative', () => {
    // Prepare / Act
    const assessments = assessTechnologies(ingestInline(digest, 'case.md'), matcher);
    const redis = assessments.find((assessment) => assessment.technology === 'Redis');
    // Assess: the mention is a candidate, not an action item.
    expect(redis?.candidates.length).toBeGreaterThan(0);
    expect(redis?.nonCausal.some((mention) => mention.context === 'action-item')).toBe(false);
    expect(causesOf(digest)).toEqual(['Redis']);
  });

  it('keeps plain action items as action items when no incident title opens a story', () => {
    // Trap: an action item that names the technology without an incident title before it.
    const source = `Checkout errors

## Root cause

A release of the cart service sent malformed requests and our own code threw on them.

## Actions

- 19 May: review the Redis maxmemory setting during the quarterly audit.
- add an alarm on cart error rates.
`;
    expect(causesOf(source)).toEqual([]);
  });

  it('still rejects a provider outage listed in an incident told under an actions heading', () => {
    // Trap: the story is read as narrative, but the outage of someone else's platform stays upstream.
    const source = `Operations review

## Summary

Two incidents.

## Actions

- rotate the webhook certificate automatically.
- 12 June, SEV3, 15 minutes: uploads failing

Our cloud provider had a regional event; its dashboard listed elevated errors for Amazon S3 and Amazon SQS in the region.
Nothing of ours was broken.
`;
    expect(causesOf(source)).toEqual([]);
  });
});

describe('attribution round 7: a technology doing what its configuration told it', () => {
  it('reads "did exactly what it was configured to do" as its own setting, not as innocence', () => {
    // Prepare / Act / Assess: the setting is the technology's own, so the clause tells a misconfiguration.
    const text = 'Redis did exactly what it was configured to do';
    expect(EXONERATION.test(text)).toBe(false);
    expect(misconfiguredSetting(text)).toBe(true);
  });

  it('still reads "did exactly what it was told" as innocence', () => {
    // Trap: told by someone else, not by its own setting.
    expect(EXONERATION.test('Kafka did exactly what it was told')).toBe(true);
    expect(misconfiguredSetting('Kafka did exactly what it was told')).toBe(false);
  });

  it('reads "the database did its part" as innocence', () => {
    expect(EXONERATION.test('The database did its part.')).toBe(true);
    // Trap: a part done badly is not innocence.
    expect(EXONERATION.test('The database did its part badly.')).toBe(false);
  });

  it('does not call the database a cause when it did its part and the fault was in the proxy layer', () => {
    // Prepare: a failover that worked, a stale proxy setting, and a plain statement of the database's innocence.
    const source = `Portal outage

## Summary

Our PostgreSQL pair sits behind two load balancer instances.
The health check on each database host answers 200 if that host is the primary and 503 otherwise.
After the failover the balancer kept asking a retired address and saw no primary.
The database did its part.
The fault was a stale address in the proxy configuration.
`;
    expect(causesOf(source)).not.toContain('PostgreSQL');
  });
});
