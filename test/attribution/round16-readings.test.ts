import { describe, expect, it } from 'vitest';
import { assessTechnologies } from '../../src/engines/offline/evidence.ts';
import { assessMention, catalogMatcher, offlineCausesOf } from '../support/attribution.ts';
import { ingestInline } from '../support/postmortems.ts';

// Read once, before any test of this file (top-level await).
const matcher = await catalogMatcher();

const causesOf = (source: string) => offlineCausesOf(matcher, source);

describe('attribution round 16: "nothing to do with X" denies X', () => {
  it('does not take the technology a chat line says the fault had nothing to do with', () => {
    // Trap: the resolver on some hosts failed; the team says so of the queue in as many words.
    const source = `#ops-payments (export)

[10:02] ana: payment events producer failing with "connection refused" on four hosts
[10:06] ana: the resolver sidecar on those four hosts is crash looping, lookups of the RabbitMQ hostname time out
[10:07] tom: so nothing to do with RabbitMQ itself, the apps just cannot resolve it
[10:15] ana: restarted the resolver sidecar with a larger cache, producers reconnected
`;
    // Act / Assess
    expect(causesOf(source)).toEqual([]);
  });

  it('still takes the technology when the denial is of another one', () => {
    // Prepare: the denial names the cache; the queue's own setting is the cause.
    const source = `# Order events lost

## Root cause

The RabbitMQ queue for order events had been declared without durability, so when the RabbitMQ broker restarted for patching, RabbitMQ dropped 4,000 order events held in memory.
RabbitMQ keeps the messages of a non-durable queue only in memory, and the restart lost them all.
This had nothing to do with Redis, which only holds the session data.

## Resolution

We redeclared the RabbitMQ queue as durable and replayed the events from the outbox.
`;
    // Act / Assess
    expect(causesOf(source)).toEqual(['RabbitMQ']);
  });
});

describe('attribution round 16: a technology checked first is where the search looked, not a finding', () => {
  it('does not take the database the retro notes say was checked first and was flat', () => {
    // Trap: a client-side connection pool leaked; the database is named only as the first suspect.
    const source = `RETRO NOTES 2026-03-02

WHAT HAPPENED
* search page timing out from 09:40
* our HTTP client pool (32 per pod) exhausted on every instance
* more replicas added at 10:05 -> no help, each new pod filled in minutes

WHY
* error path never released the connection back to the pool

RULED OUT
* MySQL: connection count flat all morning, checked first because of the word "pool"

FIX
* release the connection in a finally block, restart the pods
`;
    // Act
    const mysql = assessTechnologies(ingestInline(source, 'case.md'), matcher).find(
      (assessment) => assessment.technology === 'MySQL',
    );
    // Assess: the line that names it is where the search began, no evidence against it.
    expect(mysql?.candidates).toEqual([]);
    expect(causesOf(source)).toEqual([]);
  });
});

describe('attribution round 16: "the brokers were never under strain" clears the one queue named', () => {
  it('does not give a stalled partition to the queue the document calls unstrained', () => {
    // Trap: a lowered container memory limit killed every consumer pod; the queue only waited.
    const source = `# Late invoices

Invoices ran three hours late on 4 May. Invoice events go into a Kafka topic that a renderer service consumes.
A cost change had lowered the renderer's memory limit to 256 MB, and large invoices need more than that.
Every renderer pod that took the large invoice was killed by the kernel, and the partition stopped moving.
The brokers were never under strain; the container limit simply could not fit the work.
We restored the memory limit and the backlog drained in forty minutes.
`;
    // Act / Assess
    expect(causesOf(source)).toEqual([]);
  });

  it('does not read a compound "inter-broker" as the broker calling itself healthy', () => {
    // Prepare: a part of the queue that kept working is no verdict on the queue.
    const source = `# Client handshake failures

We added two brokers to the Kafka cluster, and their certificates carried a placeholder hostname, so every client connecting to them failed hostname verification.
Inter-broker replication did not break, because the brokers use a separate internal listener.
`;
    // Act
    const kafka = assessTechnologies(ingestInline(source, 'case.md'), matcher).find(
      (assessment) => assessment.technology === 'Kafka',
    );
    // Assess
    expect(kafka?.exonerated).toBe(false);
    expect(kafka?.nonCausal.filter((mention) => mention.context === 'negated')).toEqual([]);
  });
});

describe('attribution round 16: health told without the usual verbs', () => {
  it.each([
    [
      'answered normally throughout',
      'We confirmed that your origin, an Amazon S3 bucket behind our shield tier, served every request that reached it normally throughout.',
    ],
    ['lock waits were zero', 'Slow log empty. The longest query took 90 ms and InnoDB lock waits were zero.'],
    [
      'correctly rejecting',
      'DynamoDB was correctly rejecting requests from an identity that had no permission on the table.',
    ],
  ])('does not take the technology whose line reads "%s"', (_reading, line) => {
    // Trap: a vendor's edge proxies failed; the catalog technology is named only with its health.
    const source = `# Errors on the storefront

Between 15:31 and 16:19 UTC requests through the edge network got HTTP 503 responses, and every retry failed the same way.
${line}
A configuration push to the edge proxies carried a malformed rule, and the older proxy builds rejected their whole configuration.
We rolled the configuration back and the errors stopped.
`;
    // Act / Assess
    expect(causesOf(source)).toEqual([]);
  });

  it('does not give the queue a terse line of health readings in its own vocabulary', () => {
    // Trap: the hosts' NIC driver dropped packets; the broker line reads healthy item by item.
    const source = `incident log, orders queue

11:03 alert: RabbitMQ connection churn above 300/s
11:07 broker side: memory 38% of watermark, disk fine, no alarms, no flow control, queues short. nodes 1/2/3 up, cluster healthy.
11:20 host packet drops on all three hosts since the 10:55 kernel update; the NIC driver drops packets with the new offload default.
11:35 offload turned off on all hosts, churn gone.
`;
    // Act / Assess
    expect(causesOf(source)).toEqual([]);
  });

  it('still takes the technology when a terse health reading is turned by "but"', () => {
    // Prepare: the leader is healthy but takes all the writes: the skew is the queue's own partitioning.
    const source = `# Consumer lag on one partition

## Root cause

09:46 checked the Kafka brokers. partition 7 leader healthy but taking forty times the write rate of its peers, and its consumer fell hours behind.
Kafka hashes the message key to pick the partition, and the release set one constant key, so Kafka sent every event to partition 7.
`;
    // Act / Assess
    expect(causesOf(source)).toEqual(['Kafka']);
  });
});

describe('attribution round 16: the fault placed elsewhere', () => {
  it('does not take the technology a handover note says the cause was not in', () => {
    // Trap: a log agent's unbounded buffer filled the host's memory; the coordination service was its victim.
    const source = `ON-CALL HANDOVER

etcd alerts on coord-2 from 13:40 ("member down"). The other two members kept quorum and clients reconnected.
The cause was on the host, not in etcd. The log agent on coord-2 has a buffer that grows without bound when its output is slow, and it reached 7 GB of 8 GB.
The kernel OOM killer then picked the biggest other process, the etcd member, and killed it twice.
Done: capped the agent's buffer on every coordination host and restarted the etcd member.
`;
    // Act / Assess
    expect(causesOf(source)).toEqual([]);
  });

  it("keeps the search domain's own setting as the cause when the buffer and the metadata store are cleared", () => {
    // Prepare: the search domain's own setting is the cause; the buffer and the metadata store are cleared.
    const source = `# Search slow for most tenants

The cause was a setting on our OpenSearch domain: dynamic mapping was enabled on the shared index, so every new key a tenant sent became a new field, and the cluster-state updates overwhelmed the master.
Events are buffered in Kafka and tenant metadata lives in PostgreSQL. Neither the buffer nor the metadata store misbehaved; Kafka simply accumulated the backlog the domain could not accept.
We turned dynamic mapping off for tenant keys and the backlog drained.
`;
    // Act / Assess
    expect(causesOf(source)).toEqual(['OpenSearch']);
  });
});

describe('attribution round 16: what the pronoun after a semicolon says', () => {
  it('reads "; it played no part" as a denial of the technology named before the semicolon', () => {
    // Trap: the leak is in our own in-process cache, which the text calls "the cache".
    const source = `# Image service restarts

A small Redis instance holds per-image metadata lookups; it played no part here and its memory stayed flat.
Release 5.2 added an in-process frame cache keyed by image dimensions.
Because images come in thousands of different dimensions, the cache never got a hit, and nothing ever evicted it, so memory grew until the pods were killed.
We removed the frame cache in 5.2.1.
`;
    // Act / Assess
    expect(causesOf(source)).toEqual([]);
  });
});

describe('attribution round 16: one mention read in its sentence', () => {
  it.each([
    ['a numbered theory', 'Theory 1: the Redis cache evicted the session keys under memory pressure.'],
    ['a hypothesis in a chat line', '11:09 <vik> hypothesis B: Redis evicted the keys'],
    ['a first guess with an arrow', 'FIRST GUESS → Redis'],
    ['"; it played no part"', 'A small Redis instance holds the lookups; it played no part here.'],
    ['"which coped"', 'Checkout falls back to the cache (Redis) for price lookups, which coped.'],
    ['"neither ... misbehaved"', 'Neither the buffer nor Redis misbehaved during the incident.'],
    ['"nothing to do with"', 'so nothing to do with Redis itself, the apps could not resolve its name'],
  ])('reads %s as a denial', (_form, text) => {
    // Act
    const assessment = assessMention(matcher, text, 'Redis', 'summary');
    // Assess
    expect(assessment.context).toBe('negated');
  });

  it.each([
    ['a plain finding', 'Redis evicted the session keys under memory pressure.'],
    ['a confirmed theory', 'The theory that Redis evicted the keys was confirmed by its log.'],
  ])('still reads %s as a candidate cause', (_form, text) => {
    // Act
    const assessment = assessMention(matcher, text, 'Redis', 'summary');
    // Assess
    expect(assessment.context).toBeNull();
    expect(assessment.weight).toBeGreaterThan(1);
  });
});

describe('attribution round 16: the cause named as a setting', () => {
  it('weighs "the cause was a setting on our X" as a misconfiguration of X', () => {
    // Act
    const assessment = assessMention(
      matcher,
      'The cause was a setting on our OpenSearch domain: dynamic mapping was enabled on the shared events index.',
      'OpenSearch',
      'summary',
    );
    // Assess: a strong candidate, as a changed setting of the technology is.
    expect(assessment.context).toBeNull();
    expect(assessment.weight).toBeGreaterThanOrEqual(1.5);
  });
});

describe('attribution round 16: a component read as healthy, or as reacting to the fault', () => {
  it.each([
    ['its CPU was flat', "MySQL's slow log was empty and its CPU was flat."],
    ['an unchanged hit rate', 'The MySQL servers showed no latency change and an unchanged hit rate.'],
    ['never unreachable', 'MySQL and the app were never unreachable by IP; names failed to resolve.'],
    ['a share of its limit', 'MySQL memory peaked at 38% of the configured limit; disk free 700 GB.'],
    ['untouched', 'MySQL CPU 19%, replication lag 0, untouched.'],
    ['CPU at 8%', "The MySQL servers' own stats showed CPU at 8% and an unchanged hit rate."],
    ['never involved', 'our MySQL primary and the queue never involved'],
    ['bystanders', 'The load balancer failed its health checks; MySQL and the cache were bystanders.'],
    ['failed over correctly', 'MySQL failed over correctly and quickly within 30 seconds.'],
    ['as any store would', 'MySQL throttled because it got twenty times the reads, as any store would.'],
    ['did what it always does', 'MySQL did what it always does when a client holds a lock.'],
    ['stored every update correctly', 'MySQL stored every status update correctly.'],
    ['a normal reaction', "Replica churn in MySQL was the system's normal reaction to a lossy network."],
  ])('reads "%s" as no failure of the technology', (_form, text) => {
    // Act
    const assessment = assessMention(matcher, text, 'MySQL', 'root-cause');
    // Assess
    expect(assessment.context === 'negated' || assessment.context === 'victim').toBe(true);
  });

  it.each([
    ['a side effect', 'MySQL evicting rows from its buffer was a side effect of the oversized batch job.'],
    ['downstream of', 'MySQL lag and the queue of pending writes were downstream of the failed deploy.'],
    ['grew because the workers', 'The MySQL connection count grew because the workers were slow to return them.'],
  ])('reads "%s" as the technology suffering, not failing', (_form, text) => {
    // Act
    const assessment = assessMention(matcher, text, 'MySQL', 'root-cause');
    // Assess
    expect(assessment.context).toBe('victim');
  });

  it("weighs a readout of several components' figures far below a finding", () => {
    // Act
    const readout = assessMention(
      matcher,
      'Redis p99 0.9 ms, Kafka consumer lag under 2k, MySQL CPU 22%.',
      'Kafka',
      'timeline',
    );
    const finding = assessMention(
      matcher,
      'Kafka consumer lag climbed to 310k because the brokers ran out of disk.',
      'Kafka',
      'timeline',
    );
    // Assess
    expect(readout.weight).toBeLessThan(1);
    expect(finding.weight).toBeGreaterThan(readout.weight * 2);
  });

  it('does not take any of the components an incident review reads as healthy around a DNS fault', () => {
    // Trap: every component is named with its figures; the resolvers were overloaded by a sidecar.
    const source = `# Checkout errors

## Timeline

14:02 checkout errors rise to 30%.
14:05 Redis p99 0.8 ms, MySQL CPU 21%, Kafka produce latency 3 ms.
14:20 MySQL's slow log was empty and its CPU was flat.

## Root cause

Our cluster DNS resolvers were overloaded by lookup amplification from a new sidecar. MySQL and Redis were never unreachable by IP; names failed to resolve.
`;
    // Act / Assess
    expect(causesOf(source)).toEqual([]);
  });
});

describe('attribution round 16: what a section that clears things lists', () => {
  it('does not read a "Not causes:" line as the root cause', () => {
    // Trap: the disk watermark of the search nodes is the cause; the line after it lists what was cleared.
    const source = `Search indexing stopped

Root cause: two OpenSearch data nodes crossed the flood-stage disk watermark, and OpenSearch set every index on them read-only, so indexing stopped.

Not causes: Kafka (it held the backlog, which is why nothing was lost) and the S3 snapshots.
`;
    // Act / Assess
    expect(causesOf(source)).not.toContain('S3');
    expect(causesOf(source)).not.toContain('Kafka');
  });

  it('reads where the search began as a suspect ("the first assumption was", "spent 40 minutes looking for")', () => {
    // Act
    const assumed = assessMention(
      matcher,
      'Because the purge had just run, the first assumption was Cassandra tombstones.',
      'Cassandra',
      'summary',
    );
    const searched = assessMention(
      matcher,
      'The team spent 40 minutes looking for Cassandra tombstone warnings.',
      'Cassandra',
      'summary',
    );
    // Assess
    expect(assumed.context).toBe('negated');
    expect(searched.context).toBe('negated');
  });
});

describe('attribution round 16: health readings clear only a clause that tells no failure', () => {
  it('keeps a table row that reads healthy figures and the failure of the technology', () => {
    // Prepare: the search cluster's row holds healthy figures and the error it returned.
    const source = `# Audit search stopped indexing

| component | role | state |
|---|---|---|
| Elasticsearch, 9 data nodes | audit search | heap 55%, CPU normal, status green, illegal_argument_exception: Limit of total fields [1000] has been exceeded |
| Kafka | buffer | consumer lag grew to 11 M events; expected, since ingest was failing |

## Root cause

Dynamic field mapping in the Elasticsearch index template turned every user-defined key into a field until Elasticsearch exhausted the index's field limit and rejected every document.
`;
    // Act / Assess
    expect(causesOf(source)).toEqual(['Elasticsearch']);
  });

  it('reads "None of that was involved" as clearing the stack just described', () => {
    // Act
    const assessment = assessMention(matcher, 'None of that was involved here, MySQL included.', 'MySQL', 'summary');
    // Assess
    expect(assessment.context).toBe('negated');
  });
});
