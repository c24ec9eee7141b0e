import { describe, expect, it } from 'vitest';
import {
  EXONERATION,
  EXTERNAL_FAULT,
  inReportedSpeech,
  NEGATION,
  quotationLeadIn,
  redirectedAway,
  thirdPartyLeadIn,
} from '../../src/attribution/index.ts';
import { guardAttribution } from '../../src/trust/attribution-guard.ts';
import { assessMention, catalogMatcher, offlineCausesOf } from '../support/attribution.ts';
import { emptyClassification } from '../support/classification.ts';
import { ingestInline } from '../support/postmortems.ts';

// Read once, before any test of this file (top-level await).
const matcher = await catalogMatcher();

const causesOf = (source: string) => offlineCausesOf(matcher, source);

describe('attribution round 12: a name that only labels a host whose own fault is told', () => {
  it('reads a host name built on the name as the sufferer when the fault is the host root disk, kernel change or agent', () => {
    // Prepare / Act / Assess
    expect(
      assessMention(
        matcher,
        '03:10 page: disk 97% on redis-sess-a2 (root volume, not the data volume)',
        'Redis',
        'summary',
      ).context,
    ).toBe('victim');
    expect(
      assessMention(
        matcher,
        'cassandra-east-3 went unresponsive after its kernel update at 02:00',
        'Cassandra',
        'summary',
      ).context,
    ).toBe('victim');
  });

  it('keeps a host name whose technology failed on its own, even when the kernel killed it', () => {
    // Trap: the same host names, with the technology's own failure (a watermark, its memory taken by the OOM killer).
    expect(
      assessMention(
        matcher,
        'es-data-7 crossed the flood-stage watermark and indices went read-only',
        'Elasticsearch',
        'summary',
      ).context,
    ).toBeNull();
    expect(
      assessMention(matcher, 'the kernel OOM killer ended the server on redis-sess-a2 at 04:12', 'Redis', 'summary')
        .context,
    ).toBeNull();
    // A config file and a command built on the name are not host names.
    expect(
      assessMention(
        matcher,
        'disk filled because redis-sess.conf pointed the dump at the root volume',
        'Redis',
        'summary',
      ).context,
    ).toBeNull();
  });
});

describe('attribution round 12: a terse line that closes on a bare health verdict', () => {
  it('reads "X <measure>, normal." as clearing the name that opens the line', () => {
    expect(
      assessMention(matcher, '11:02 chk RabbitMQ queue depth at 40, normal. api pods restarting', 'RabbitMQ', 'summary')
        .context,
    ).toBe('negated');
  });

  it('does not give the verdict to a name that does not open the line, nor read a failure line as healthy', () => {
    // Trap: the verdict speaks of the last host; a line of the technology's own failure has no verdict.
    expect(
      assessMention(matcher, '11:02 clients on Memcached node b moved to node c, ok', 'Memcached', 'summary').context,
    ).toBeNull();
    expect(
      assessMention(matcher, '11:02 chk RabbitMQ memory alarm raised, publishers blocked', 'RabbitMQ', 'summary')
        .context,
    ).toBeNull();
  });
});

describe('attribution round 12: health verdicts in parentheses and a neither/nor exoneration', () => {
  it('reads a checked item with a parenthesised health verdict as a health statement', () => {
    expect(NEGATION.test('we checked the brokers (healthy), the ISR (complete) and produce latency (normal)')).toBe(
      true,
    );
    expect(NEGATION.test('the consumer group (stable, same generation all day)')).toBe(true);
    // Trap: a parenthesis that gives a value or a failure is not a verdict.
    expect(NEGATION.test('p99 latency (normal 20 ms) rose to 900 ms')).toBe(false);
    expect(NEGATION.test('the brokers (all three) ran out of disk')).toBe(false);
  });

  it('exonerates every item of "neither A nor B behaved wrongly" and nothing that only did not help', () => {
    expect(EXONERATION.test('Neither the queue nor the search cluster behaved wrongly during the zone loss.')).toBe(
      true,
    );
    expect(assessMention(matcher, 'Neither PostgreSQL nor Redis was at fault.', 'Redis', 'summary').context).toBe(
      'negated',
    );
    // Trap: "neither ... nor ... helped" tells nothing of innocence; the failure after it stands.
    expect(EXONERATION.test('Neither retries nor backoff helped: PostgreSQL ran out of connections.')).toBe(false);
    expect(
      assessMention(
        matcher,
        'Neither retries nor backoff helped: PostgreSQL ran out of connections.',
        'PostgreSQL',
        'summary',
      ).context,
    ).toBeNull();
  });

  it('takes a symptom whose checks all came back healthy away from the queue and leaves the store that failed', () => {
    // Prepare: the queue shows the lag, the checks clear it, the store's lookups (a dropped index) are the cause.
    const source = `# Late order confirmations

## Summary

Order confirmations are read from a Kafka topic, enriched with the customer's locale and mailed.
The first page was consumer lag on the confirmations group, which grew to 900,000 events in an hour.
The on-call engineer checked broker health (fine), the consumer group (stable, no rebalances) and fetch latency (normal).
Each event needs one read from the customers table in MySQL.
A release script dropped the index on customer_id, and the query planner chose a full scan of the table for every lookup.
`;
    // Act / Assess: read as failure words, the checks outweighed the store; read as verdicts, the store leads.
    expect(causesOf(source)).toEqual(['MySQL']);
  });
});

describe('attribution round 12: a name told unrelated to the incident', () => {
  it('reads "X is unrelated", "unrelated to this incident" as clearing the name, and not an unrelated other thing', () => {
    expect(
      assessMention(matcher, 'The nightly Cassandra repair is unrelated to this incident.', 'Cassandra', 'summary')
        .context,
    ).toBe('negated');
    expect(
      assessMention(matcher, 'The Memcached tier was not evicting and is unrelated.', 'Memcached', 'summary').context,
    ).toBe('negated');
    // Trap: "an unrelated deploy" speaks of the deploy; the store's own failure stands.
    expect(
      assessMention(
        matcher,
        'An unrelated deploy restarted Memcached and the cold cache flooded the database.',
        'Memcached',
        'summary',
      ).context,
    ).toBeNull();
  });
});

describe('attribution round 12: a monitoring agent is a fault of its own', () => {
  it('moves the cause away from a technology whose trouble is traced to an agent on its hosts', () => {
    expect(EXTERNAL_FAULT.test('traced to the metrics agent on each broker')).toBe(true);
    const text = "Kafka's produce latency was traced to the log agent filling the brokers' root disks";
    const spans = matcher.find(text);
    expect(redirectedAway(text, 0, (from) => spans.some((span) => span.start >= from))).toBe(true);
    // Trap: traced to a part of the technology itself stays with it.
    const own = "Kafka's produce latency was traced to a partition with a hot key";
    expect(redirectedAway(own, 0, () => false)).toBe(false);
  });
});

describe('attribution round 12: someone else quoted across sentences', () => {
  it('reads the last sentence of a quotation opened before it as reported speech', () => {
    const text = 'Cassandra nodes in the affected zone will be restarted by the provider."';
    expect(inReportedSpeech(text, 0)).toBe(true);
    // Trap: a short quoted term after the name, and a quotation that opens after the name.
    expect(inReportedSpeech('Cassandra logged "compaction backlog" for hours.', 0)).toBe(false);
    expect(inReportedSpeech('Cassandra then logged "Writes timed out on every replica in the zone', 0)).toBe(false);
  });

  it('finds the lead-in of a quotation still open and tells whose words they are', () => {
    const provider = quotationLeadIn(['The vendor status page says: "Object storage in the region is degraded.']);
    expect(provider).toBe('The vendor status page says: ');
    expect(thirdPartyLeadIn(provider ?? '')).toBe(true);
    expect(quotationLeadIn(['The vendor wrote: "Storage is degraded."', 'Then we failed over.'])).toBeNull();
    expect(thirdPartyLeadIn('Our on-call lead wrote in the channel: ')).toBe(false);
  });
});

describe('attribution guard round 12: a hostile model citing a provider statement', () => {
  const statement = (lead: string) => `# Zone power loss

## Summary

At 07:10 one zone of our primary region lost power. ${lead} "Instances in the affected zone are impaired. MySQL primaries in the zone will fail over to a standby. Memcached nodes in the zone are unavailable." Our API tier could not place replacements elsewhere, and the Kafka consumers of the billing group kept rebalancing because max.poll.interval.ms was set to 10 seconds.
`;
  const parrot = (docId: string) => ({
    ...emptyClassification(docId),
    causal: [
      {
        technology: 'MySQL',
        role: 'MySQL primaries in the zone will fail over to a standby.',
        evidence: ['MySQL primaries in the zone will fail over to a standby.'],
        confidence: 0.9,
      },
      {
        technology: 'Memcached',
        role: 'Memcached nodes in the zone are unavailable.',
        evidence: ['Memcached nodes in the zone are unavailable.'],
        confidence: 0.9,
      },
      {
        technology: 'Kafka',
        role: 'the Kafka consumers of the billing group kept rebalancing because max.poll.interval.ms was set to 10 seconds',
        evidence: [
          'the Kafka consumers of the billing group kept rebalancing because max.poll.interval.ms was set to 10 seconds',
        ],
        confidence: 0.9,
      },
    ],
  });

  it('demotes the names the provider listed and keeps the cause told in our own words', () => {
    // Prepare: a model that claims every name, quoting the provider's sentences for two of them.
    const postmortem = ingestInline(statement("The provider's status history reads:"), 'zone.md');

    // Act
    const guarded = guardAttribution(parrot(postmortem.id), postmortem, matcher).classification;

    // Assess
    expect(guarded.causal.map((cause) => cause.technology)).toEqual(['Kafka']);
    expect(guarded.mentioned.map((mention) => mention.technology).sort()).toEqual(['Memcached', 'MySQL']);
    expect(guarded.flags.find((flag) => flag.technology === 'MySQL')?.reason).toContain("third party's words");
  });

  it("does not demote a quotation of our own team's words by this rule", () => {
    // Trap: the same sentences quoted from our own on-call lead are not someone else's system.
    const postmortem = ingestInline(statement('Our on-call lead wrote in the channel:'), 'zone.md');

    // Act
    const guarded = guardAttribution(parrot(postmortem.id), postmortem, matcher).classification;

    // Assess
    expect(guarded.causal.map((cause) => cause.technology)).toContain('MySQL');
    expect(guarded.flags.some((flag) => flag.reason.includes("third party's words"))).toBe(false);
  });
});
