import { describe, expect, it } from 'vitest';
import { kindRuleSubject, ownCertificateFault, upstreamIn } from '../../src/attribution/index.ts';
import { classifyOffline } from '../../src/engines/offline/classify.ts';
import { guardAttribution } from '../../src/trust/attribution-guard.ts';
import { assessMention, catalogMatcher, offlineCausesOf } from '../support/attribution.ts';
import { ingestInline } from '../support/postmortems.ts';

// Read once, before any test of this file (top-level await).
const matcher = await catalogMatcher();

const causesOf = (source: string) => offlineCausesOf(matcher, source);

describe('attribution round 6: the role of a cause is a finding, and a quote names it in prose', () => {
  it('does not state the role with a hedged sentence, so the guard keeps the cause', () => {
    const source = `Search outage

## Summary

Our catalogue search runs on Elasticsearch. Elasticsearch has a hard limit of 1,024 clauses per query by default. At 09:10 the Elasticsearch cluster rejected every faceted query (we think because the new filter panel adds a clause per brand, not sure) and the search page went blank.
`;
    const postmortem = ingestInline(source, 'case.md');
    const classification = classifyOffline(postmortem, matcher);
    const cause = classification.causal.find((entry) => entry.technology === 'Elasticsearch');
    expect(cause?.role).not.toMatch(/we think/);
    const guarded = guardAttribution(classification, postmortem, matcher).classification;
    expect(guarded.causal.map((entry) => entry.technology)).toEqual(['Elasticsearch']);
  });

  it('still uses the strongest sentence when it is a finding', () => {
    const source = `Search outage

## Root cause

The Elasticsearch cluster ran out of heap and rejected every bulk request for forty minutes.
`;
    const classification = classifyOffline(ingestInline(source, 'case.md'), matcher);
    expect(classification.causal[0]?.role).toMatch(/ran out of heap/);
  });
});

describe('attribution round 6: "their" after a quantified singular', () => {
  it('reads "each driver keeps their route" as pointing back, not at a third party', () => {
    expect(upstreamIn('jobs are pinned by depot so each driver keeps their route all day')).toBe(false);
  });

  it('still reads a plain "their" as someone else\'s', () => {
    // Trap: no noun of ours for "their" to point back at.
    expect(upstreamIn('their gateway dropped the callbacks')).toBe(true);
  });
});

describe('attribution round 6: the kind as the subject of a rule', () => {
  it('reads an indefinite kind noun that states a documented limit', () => {
    expect(kindRuleSubject('An ordered queue in its basic mode accepts at most 300 sends a second.', /queues?\b/)).toBe(
      true,
    );
    expect(kindRuleSubject('Ordered queues have a cap of 20 messages per batch.', /queues?\b/)).toBe(true);
  });

  it('does not read a measure or a definite noun as a rule', () => {
    // Traps: a bare singular measure, and "the queue" (a generic noun, read elsewhere).
    expect(kindRuleSubject('Queue depth rose to 40,000 at noon.', /queues?\b/)).toBe(false);
    expect(kindRuleSubject('A queue sits between the API and the mailer.', /queues?\b/)).toBe(false);
  });

  it('counts the rule for the one named technology of the kind', () => {
    const source = `Receipts late

## Summary

Receipt jobs go through an SQS FIFO queue. An ordered queue in its basic mode accepts at most 300 sends a second. At the sale peak we sent 700 a second and the sends were throttled for an hour.
`;
    expect(causesOf(source)).toEqual(['SQS']);
  });

  it('does not count it when two technologies of the kind are named', () => {
    // Trap: the rule fits both queues, so it points at neither.
    const source = `Receipts late

## Summary

Receipt jobs go through an SQS FIFO queue and audit events through RabbitMQ. An ordered queue accepts at most 300 sends a second.
`;
    expect(causesOf(source)).toEqual([]);
  });
});

describe("attribution round 6: a certificate of the technology's own servers", () => {
  it('finds the owner of a failed certificate of a broker, a listener or nodes', () => {
    expect(ownCertificateFault('the brokers\u2019 TLS certificate had expired overnight')).toBe('broker');
    expect(ownCertificateFault('The keystore installed on each broker expired at 04:00.')).toBe('broker');
    expect(ownCertificateFault('The actual cause was in the new nodes\u2019 certificates.')).toBe('node');
  });

  it('does not read a certificate of something else, or one that did not fail', () => {
    // Traps: a load balancer's certificate; an expiry date that was only checked.
    expect(ownCertificateFault('The certificate on the load balancer expired at 04:00.')).toBeNull();
    expect(ownCertificateFault('We checked the expiry dates of every broker certificate; all were valid.')).toBeNull();
  });

  it('makes the broker technology the cause when its listener certificate expired', () => {
    const source = `Order events stopped

## Summary

Order events travel through our RabbitMQ cluster. At 04:00 every publisher failed its TLS handshake.

## Root cause

The brokers' TLS certificate had expired; nobody renewed it after the hand install.
`;
    expect(causesOf(source)).toEqual(['RabbitMQ']);
  });

  it("keeps the redirection for a certificate that is not the technology's own", () => {
    const text = 'RabbitMQ refused connections because of an expired certificate on the corporate proxy.';
    expect(assessMention(matcher, text, 'RabbitMQ', 'root-cause').context).toBe('victim');
  });

  it("does not redirect away from a certificate on the technology's own listener", () => {
    const text = 'RabbitMQ refused publishers because of an expired certificate on its listener.';
    expect(assessMention(matcher, text, 'RabbitMQ', 'root-cause').context).toBeNull();
  });
});

describe('attribution round 6: a terse line kept whole by the splitter', () => {
  it('reads the part after a stop before a lower-case word as its own statement', () => {
    const source = `Ledger writes failed

## Summary

The billing database runs MariaDB 10.11 and stopped accepting writes at 10:02.

## Cause

InnoDB looked fine. the host kept all binlogs because a config change set the binlog purge age to 0.
`;
    expect(causesOf(source)).toEqual(['MySQL']);
  });

  it('reads nothing more when the tail tells no failure', () => {
    // Trap: the tail is a plain note.
    const source = `Ledger writes failed

## Summary

The billing database runs MariaDB 10.11 and stopped accepting writes at 10:02.

## Cause

InnoDB looked fine. the network team is looking at the switch logs with us.
`;
    expect(causesOf(source)).toEqual([]);
  });
});

describe('attribution round 6: a consumer noun followed by its protocol', () => {
  it('reads "the Kafka consumer\'s heartbeat protocol" as the technology, not a tool', () => {
    const text =
      'The stall came from the Kafka consumer\u2019s heartbeat protocol, which evicts a member that stays silent.';
    expect(assessMention(matcher, text, 'Kafka', 'root-cause').context).toBeNull();
  });

  it('still reads "the Kafka consumer process" as a tool', () => {
    const text = 'The Kafka consumer process crashed on a malformed record.';
    expect(assessMention(matcher, text, 'Kafka', 'root-cause').context).toBe('other');
  });
});

describe("attribution round 6: a rule told in the technology's own vocabulary", () => {
  it('counts a rule whose subject is a feature, in a sentence holding a signal', () => {
    const source = `Events lost

## Summary

The audit topic in Kafka keeps data for a day. Segments older than a day were deleted before the loader read them.

## Why the data is gone

Retention never waits for a lagging consumer group to catch up.
`;
    expect(causesOf(source)).toEqual(['Kafka']);
  });

  it('does not count a sentence whose subject is a pronoun or a person', () => {
    // Trap: "It does not matter" is no rule of a feature.
    const source = `Events lost

## Summary

The audit topic in Kafka keeps data for a day.

## Notes

It does not matter which consumer group reads first.
`;
    expect(causesOf(source)).toEqual([]);
  });
});

describe('attribution round 6: the replica and the primary of a cache; a limit passed', () => {
  it('reads "the replica passed its limit" as the cache\'s limit when the cache is the only one named', () => {
    const source = `Slow feed

## Summary

The feed keeps its lists in a Redis primary with one replica.

## What happened

The replica's backlog passed its 32 MB limit during the resync. The primary did what its config said and closed the link to the replica.
`;
    expect(causesOf(source)).toEqual(['Redis']);
  });

  it('does not read the primary as the cache when a database is named as well', () => {
    // Trap: "the primary" fits the database too, so it points at neither.
    const source = `Slow feed

## Summary

The feed keeps its lists in Redis and its accounts in PostgreSQL.

## What happened

The primary passed its connection limit during the sync.
`;
    expect(causesOf(source)).toEqual([]);
  });
});

describe('attribution round 6: the text of a status update is narrative', () => {
  it('weighs the story under a "Resolved" heading as narrative', () => {
    const source = `Unlocks failing

## Resolved

Here is the whole story. Our sessions live in a Redis cluster. It filled its memory at noon and started evicting session keys.

## Investigating

Riders cannot unlock bikes.
`;
    expect(causesOf(source)).toEqual(['Redis']);
  });

  it('keeps a resolution section under its own heading at resolution weight', () => {
    // Trap: "How we fixed it" is a resolution heading, not a status.
    const source = `Unlocks failing

## How we fixed it

Our sessions live in a Redis cluster. It filled its memory at noon and we moved it to larger nodes.
`;
    expect(causesOf(source)).toEqual([]);
  });
});
