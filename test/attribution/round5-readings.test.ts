import { describe, expect, it } from 'vitest';
import {
  clauseAt,
  clauseBefore,
  generalRule,
  limitReached,
  misconfiguredSetting,
  NEGATION,
  upstreamIn,
} from '../../src/attribution/index.ts';
import { assessMention, catalogMatcher, offlineCausesOf } from '../support/attribution.ts';

// Read once, before any test of this file (top-level await).
const matcher = await catalogMatcher();

const causesOf = (source: string) => offlineCausesOf(matcher, source);

/** The general-rule reading of the first occurrence of `name` in `text`. */
function ruleOf(text: string, name: string): boolean {
  const start = text.indexOf(name);
  const clause = clauseAt(text, start);
  const at = clauseBefore(text, start).length;
  return generalRule(clause, at, at + name.length);
}

describe('attribution round 5: a passage denied as a whole', () => {
  it('denies every technology the last sentences named when one sentence says none of it failed', () => {
    const source = `Ledger writes stopped

Some history. Until last spring the audit events went through an old Kafka cluster. That Kafka cluster was switched off and its disks wiped in April, after the move to the new audit store.

None of that setup broke on the day. The trouble was in the ledger's own scheduler.
`;
    expect(causesOf(source)).toEqual([]);
  });

  it('keeps the cause when the closing sentence denies no failure', () => {
    // Trap: "none of that helped" speaks of remedies, not of the technology failing.
    const source = `Ledger writes stopped

The Kafka brokers ran out of disk at 02:10 and rejected every produce request until the volume was grown.

None of that helped the on-call engineer find it sooner.
`;
    expect(causesOf(source)).toEqual(['Kafka']);
  });
});

describe('attribution round 5: the kind noun calls the named technology healthy later in the sentence', () => {
  it('reads "the queue worked exactly as designed" after the named queue as a denial', () => {
    const text =
      'Render jobs waited in the SQS queue for half an hour (the oldest message reached 31 minutes) while the bad build was rolled back; the queue worked as designed throughout.';
    expect(assessMention(matcher, text, 'SQS', 'summary').context).toBe('negated');
  });

  it('does not read a healthy statement about our own workers as one about the technology', () => {
    // Trap: the workers are ours, not a noun of the queue.
    const text =
      'Render jobs waited in the SQS queue until the visibility timeout expired; the workers worked as designed.';
    expect(assessMention(matcher, text, 'SQS', 'summary').context).toBeNull();
  });
});

describe('attribution round 5: a bare denial and an idle system', () => {
  it('reads "it smelled like a X fault, and it was not one" as a denial of X', () => {
    const text = "The checkout stall smelled like a Memcached fault for the first hour, and it wasn't.";
    expect(assessMention(matcher, text, 'Memcached', 'summary').context).toBe('negated');
  });

  it('keeps the reading when the clause confirms it', () => {
    // Trap: "and it was one" affirms.
    const text = 'The checkout stall smelled like a Memcached fault for the first hour, and it was one.';
    expect(assessMention(matcher, text, 'Memcached', 'summary').context).toBeNull();
  });

  it('reads an idle system as healthy, but not a session idle in a transaction', () => {
    expect(NEGATION.test('It was nearly idle the whole morning')).toBe(true);
    expect(NEGATION.test('forty sessions sat idle in transaction holding locks')).toBe(false);
  });
});

describe('attribution round 5: a setting applied to the technology is its own', () => {
  it('does not demote a setting whose name stands after "to every ... broker"', () => {
    const text = 'A baseline change set segment.bytes to 1048576 in the template rolled out to all Kafka brokers.';
    const setting = assessMention(matcher, text, 'Kafka', 'root-cause');
    // Full weight of a failure in the clause (3 x 2), not the 0.8 of an object the failure reached.
    expect(setting.weight).toBe(6);
  });

  it('still demotes a failure that only reached the technology as an object', () => {
    // Trap: the retries are the subject that overloaded; Kafka is the object.
    const text = 'The retry storm from the importers overloaded every Kafka broker for ten minutes.';
    expect(assessMention(matcher, text, 'Kafka', 'root-cause').weight).toBeLessThan(6);
  });

  it('reads a statement added to a policy and a value given to a setting as a setting changed', () => {
    expect(misconfiguredSetting('a hardening ticket added an explicit deny statement to the bucket policy')).toBe(true);
    expect(misconfiguredSetting('the new template set log expiry to 0 on every host')).toBe(true);
    // Traps: people added to a rota, growth that was "set to" continue.
    expect(misconfiguredSetting('we added two engineers to the on-call rota')).toBe(false);
    expect(misconfiguredSetting('traffic was set to double over the weekend')).toBe(false);
  });
});

describe('attribution round 5: "their" pointing back at our own things', () => {
  it('does not read a "their" that points back at our own plural noun as a third party', () => {
    expect(upstreamIn('the workers retried their Kafka calls for an hour')).toBe(false);
    expect(upstreamIn('the pods came back on their own')).toBe(false);
  });

  it('still reads a vendor, or a "their" with nothing of ours before it, as someone else', () => {
    expect(upstreamIn('their Redis cluster was degraded for an hour')).toBe(true);
    expect(upstreamIn('the vendor rotated their keys without notice')).toBe(true);
  });

  it('finds a limit the named nodes reached through "their"', () => {
    const source = `Cache refusals

Sessions are kept in Memcached.

At 10:40 the cache servers exhausted their connection slots, so every page load fell through to the database.
`;
    expect(causesOf(source)).toEqual(['Memcached']);
  });
});

describe('attribution round 5: a capacity that fell short', () => {
  it('reads "could not absorb" and "faster than X could apply" as a limit reached', () => {
    expect(limitReached('the table could not absorb the write burst')).toBe(true);
    expect(limitReached('the job wrote rows far faster than the standby could apply them')).toBe(true);
  });

  it('gives the shortfall to the subject only', () => {
    // Trap: our consumers fell short; the name after the phrase is the object.
    const clause = 'our consumers could not keep up with Kafka';
    expect(limitReached(clause, clause.indexOf('Kafka'))).toBe(false);
    expect(limitReached('Kafka could not keep up with the burst', 0)).toBe(true);
  });

  it('names a cause told by a wrote-faster-than-replay sentence', () => {
    const source = `Stale balances

A single UPDATE of 60 million rows ran on the primary at 09:12.

PostgreSQL generated WAL faster than the standby could apply it, and reports read from the standby were 25 minutes old.
`;
    expect(causesOf(source)).toEqual(['PostgreSQL']);
  });
});

describe('attribution round 5: two generic nouns of two kinds in one sentence', () => {
  it('gives each noun to the one named technology of its kind', () => {
    // SQS leads the evidence; the table's part is told once by name and once by its noun.
    const source = `Oversold stock

Orders are queued in SQS and stock counts live in DynamoDB.

At 09:03 DynamoDB started throttling writes to the stock table.

The SQS visibility timeout was 15 seconds, which the retried writes overran, so SQS delivered the same orders again.

SQS redelivered each order after the timeout expired, because the retries lasted longer than it.

Two faults met: the table could not absorb the flash-sale burst, and the queue handed the same order to a second worker.
`;
    expect(causesOf(source).sort()).toEqual(['DynamoDB', 'SQS']);
  });

  it('gives a noun that fits two named technologies to neither', () => {
    // Trap: "the cluster" may be the cache or the search engine.
    const source = `Slow pages

Pages read from Redis and search from Elasticsearch.

## Root cause

The cluster could not absorb the burst.
`;
    expect(causesOf(source)).toEqual([]);
  });
});

describe('attribution round 5: the technology behaviour told as a general rule', () => {
  it('reads a present-tense rule with an edge, the name opening the clause', () => {
    expect(
      ruleOf('Expiry rules never fire at once; Amazon S3 applies them asynchronously, about once a day.', 'Amazon S3'),
    ).toBe(true);
    expect(
      ruleOf(
        'priority 100. elasticsearch chooses the template with the highest priority, not the closest pattern',
        'elasticsearch',
      ),
    ).toBe(true);
    expect(ruleOf('Redis does not return freed pages to the allocator per key', 'Redis')).toBe(true);
  });

  it('does not read a plain description or a noun after the name as a rule', () => {
    // Traps: no edge; "nodes" is a noun, not a verb; the name is not the subject.
    expect(ruleOf('Redis stores the session tokens for the web tier', 'Redis')).toBe(false);
    expect(ruleOf('Redis nodes only hold sessions', 'Redis')).toBe(false);
    expect(ruleOf('The exporter reads Redis only once a minute', 'Redis')).toBe(false);
  });
});
