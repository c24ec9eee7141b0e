/**
 * Attribution round 18: an upstream word must be someone else's system to move a name there. A "their" that points
 * back at our own things, a partner that is only a business we serve, a name built on the word, a name we call ours,
 * and a provider's routine work on our hosts all leave the name ours. Every sentence here is invented.
 */
import { describe, expect, it } from 'vitest';
import { upstreamIn } from '../../src/attribution/index.ts';
import { assessMention, catalogMatcher, offlineCausesOf } from '../support/attribution.ts';

// Read once, before any test of this file (top-level await).
const matcher = await catalogMatcher();

describe('attribution round 18: "their" points back at a plural thing of ours', () => {
  it('reads "their" after a plural noun with a determiner or a number as an anaphor', () => {
    expect(upstreamIn('The 12 sorting lanes had their only buffer on one Redis node')).toBe(false);
    expect(upstreamIn('those badges lost their access when the LDAP sync ran')).toBe(false);
    expect(upstreamIn('all 9 lost their Consul session within a minute')).toBe(false);
    expect(upstreamIn('a rider who closed the app lost their cart')).toBe(false);
  });

  it('looks back across the clause break for the plural the "their" points at', () => {
    const before = 'by noon the four shards could not keep up; ';
    expect(upstreamIn('their merge queues filled', before)).toBe(false);
    // Trap: the sentence before the clause holds nothing for "their" to point at.
    expect(upstreamIn('their merge queues filled', 'by noon it was clear; ')).toBe(true);
  });

  it('still reads a sentence-opening or unattached "their" as someone else\'s', () => {
    expect(upstreamIn('Their incident report says a DynamoDB table in their billing service throttled')).toBe(true);
    expect(upstreamIn('According to their health dashboard, SQS and S3 were degraded')).toBe(true);
  });
});

describe('attribution round 18: a partner is someone else only as owner or actor', () => {
  it('does not read a partner we serve, or one counted, as a third party', () => {
    expect(upstreamIn('When a partner bakery confirms an order, we put a message on an SQS queue')).toBe(false);
    expect(upstreamIn('the exporter writes one object per partner to S3')).toBe(false);
  });

  it("reads the partner's system, or a partner that acted, as someone else's", () => {
    expect(upstreamIn("the partner's Kafka cluster rejected our records")).toBe(true);
    expect(upstreamIn('a partner endpoint went slow and the Redis queue grew')).toBe(true);
    expect(upstreamIn('the partner rotated the keys of the bucket')).toBe(true);
  });

  it('does not read an upstream word inside a hyphenated name, but reads who runs the thing', () => {
    expect(upstreamIn('the job uploads each file to the partner-uploads S3 bucket')).toBe(false);
    expect(upstreamIn('the vendor-managed Redis cluster failed over twice')).toBe(true);
  });
});

describe('attribution round 18: a provider working on our hosts', () => {
  it('does not move the name to the provider when the provider retired, replaced or patched a host of ours', () => {
    expect(upstreamIn("the Redis primary's host was retired by the cloud provider at 19:02")).toBe(false);
    expect(upstreamIn('Cloud provider retires VM es-data-3 with two minutes notice')).toBe(false);
  });

  it("still reads a provider's outage as the provider's", () => {
    expect(upstreamIn('the provider reported elevated errors for DynamoDB in the region')).toBe(true);
    expect(upstreamIn("the provider's maintenance window took the PostgreSQL standby down")).toBe(true);
  });
});

describe('attribution round 18: a name we call ours', () => {
  it('keeps "our RabbitMQ broker" ours though a partner stands in the clause', () => {
    const ours = assessMention(
      matcher,
      'Our RabbitMQ broker hit its memory high watermark after a partner endpoint went slow.',
      'RabbitMQ',
      'summary',
    );
    expect(ours.context).not.toBe('upstream-provider');
  });

  it('leaves a name the provider owns with the provider', () => {
    const theirs = assessMention(
      matcher,
      "Our provider's managed RabbitMQ broker hit its memory high watermark after a partner endpoint went slow.",
      'RabbitMQ',
      'summary',
    );
    expect(theirs.context).toBe('upstream-provider');
  });

  it('reads things that lost their sessions as having suffered what ended them', () => {
    const lost = assessMention(
      matcher,
      'With two of three down, the Kafka controller and our scheduler locks lost their sessions.',
      'Kafka',
      'summary',
    );
    expect(lost.context).toBe('victim');
  });
});

describe("attribution round 18: a technology's own settings and internals name it", () => {
  const withCause = (cause: string) => `Order events lost

## Summary

The orders service publishes every order event to Kafka, and the ledger reads them from there.

## Root cause

${cause}
`;

  it('reads a failure told in a setting or an exception only Kafka has as Kafka failing', () => {
    for (const cause of [
      'The producers hit RecordTooLargeException on every batch once the payload grew past 1 MB.',
      'unclean.leader.election was enabled, so an out-of-date replica became leader and 40 minutes of events were truncated.',
      'Segments were deleted by retention.ms before the ledger had read them.',
    ])
      expect(offlineCausesOf(matcher, withCause(cause))).toContain('Kafka');
  });

  it('reads the vocabulary only in a document that names the technology', () => {
    // Trap: the same sentence in a document that never names Kafka.
    const source = withCause('Segments were deleted by retention.ms before the ledger had read them.').replace(
      'to Kafka',
      'to the event log',
    );
    expect(offlineCausesOf(matcher, source)).not.toContain('Kafka');
  });

  it('does not read a list of what did not happen as a failure of the technology whose setting it names', () => {
    // Trap: the setting is named only in a list of things that did not happen.
    const source = `Nightly exports cut short

## Summary

The exports are long SQL queries that the export runner sends to our reporting replica (RDS PostgreSQL). On the database side there was no failover, no restart and no statement_timeout. The runner's pods were evicted by the autoscaler mid-run.
`;
    expect(offlineCausesOf(matcher, source)).not.toContain('PostgreSQL');
  });
});
