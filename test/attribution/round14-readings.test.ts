import { describe, expect, it } from 'vitest';
import { catalogMatcher, offlineCausesOf } from '../support/attribution.ts';

// Read once, before any test of this file (top-level await).
const matcher = await catalogMatcher();

const causesOf = (source: string) => offlineCausesOf(matcher, source);

describe('attribution round 14: a limit told in the sentence right after the one naming the technology', () => {
  it('gives the limit reached to the technology the sentence before introduced alone, with no anaphor', () => {
    // Prepare: the naming sentence only places the store; the next one tells its connection limit reached.
    const source = `# Billing outage

## What happened

At 09:00 the nightly invoicing batch was scaled out from 20 to 120 workers for the quarter close.
Each worker holds a pool of 25 connections to the billing MySQL primary.
That is 3,000 connections against a max_connections of 2,000, and every new login failed with "Too many connections".
Invoicing stopped for 40 minutes until the batch was scaled back.
`;
    // Act / Assess
    expect(causesOf(source)).toEqual(['MySQL']);
  });

  it('does not give the limit to a technology whose naming sentence calls something healthy, nor one named two sentences back', () => {
    // Trap: the naming sentence clears the store; the limit that follows is the gateway's, told without a name.
    const cleared = `# Checkout errors

## What happened

Carts are kept in Redis, and the store was healthy throughout.
At 12:10 the payment gateway ran out of connections and every checkout failed for twenty minutes.
`;
    // Trap: a sentence between the naming one and the limit introduced the service whose limit it is.
    const later = `# Order sync errors

## What happened

The sync job writes each order update to a DynamoDB table.
For every update it then calls the pricing service for the current price.
At the peak the pricing service ran out of connections, and the sync stalled for an hour.
`;
    // Act / Assess
    expect(causesOf(cleared)).toEqual([]);
    expect(causesOf(later)).toEqual([]);
  });
});

describe('attribution round 14: a generic noun with a modifier', () => {
  it('reads "the other replicas", "the old primary" as the one named technology of the kind', () => {
    // Prepare: the cause is told only through the kind's nouns, each with a modifier.
    const source = `# Deleted messages came back

## Summary

Messages are stored in a Cassandra cluster of twelve nodes.

## Root cause

One node was down for eleven days for a disk replacement.
By the time it rejoined, the other replicas had compacted away the tombstones of the messages deleted meanwhile.
Repair then copied the old rows from the returning node back to the other replicas, and deleted messages reappeared.
`;
    // Act / Assess
    expect(causesOf(source)).toEqual(['Cassandra']);
  });

  it('does not read a modified noun that fits two named technologies of the kind', () => {
    // Trap: two databases are named; "the reporting database" is neither's by its noun alone.
    const source = `# Slow reports

## Summary

Orders are written to PostgreSQL and copied every hour to a MySQL instance for reporting.

## Root cause

The reporting database ran out of disk space during the monthly export and the copy stalled for six hours.
`;
    // Act / Assess
    expect(causesOf(source)).toEqual([]);
  });
});

describe('attribution round 14: a bare noun of one kind wins over a modified noun of another', () => {
  it('reads "the search cluster" as the search cluster, not as a queue\'s "cluster" with a modifier', () => {
    // Trap: RabbitMQ is named and has a queue's "cluster"; "the search cluster" is Elasticsearch's own noun.
    const source = `# Indexing backlog

## Summary

Product updates are published to RabbitMQ and an indexer writes them to Elasticsearch.

## Root cause

At 10:00 a full reindex started, and within minutes the search cluster ran out of heap and rejected bulk writes.
`;
    // Act / Assess
    expect(causesOf(source)).not.toContain('RabbitMQ');
  });

  it('reads "the fifth node" as neither of a named search cluster and a named queue: both have nodes', () => {
    // Trap: a node of the search cluster, told with a modifier; a queue's "node" would claim it for Kafka.
    const source = `Our catalogue search runs on an Elasticsearch cluster of five data nodes, fed by a Kafka sink.
We retired the oldest node at 13:00 and its shards moved onto the other four.
By 14:10 the third node was above its flood-stage watermark and every index on it went read-only.
The sink's writes were refused until 15:15; the topic itself was fine.
Once the fifth node took shards back and the disk was below the watermark, we lifted the block by hand.
`;
    // Act / Assess
    expect(causesOf(source)).not.toContain('Kafka');
  });
});

describe("attribution round 14: the database's own choice of plan", () => {
  it('reads "it chose a sequential scan", "the planner keeps the generic plan" as the named database failing', () => {
    // Prepare: the database is named once; its planner's choice is told with an anaphor and with the part.
    const source = `# Slow invoice search

## What happened

Invoice search runs a query against PostgreSQL that filters by account and by a date range.
After the weekly statistics refresh the row estimate for the date range dropped to a handful of rows.
From then on it chose a sequential scan over the 80-million-row invoices table instead of the account index.
Searches went from 40 ms to 30 seconds and the API's connection pool drained.
`;
    // Act / Assess
    expect(causesOf(source)).toEqual(['PostgreSQL']);
  });

  it('does not read our own choice of a scan, nor a plan that only would have been picked', () => {
    // Trap: the team chose the scan; a replica "would have picked the same plan" is a hypothesis.
    const ours = `# Late export

## What happened

The nightly export reads every row of the orders table in PostgreSQL.
We chose a full scan for the export because it runs off-peak, and it finished two hours late after the volume doubled.
`;
    const hypothetical = `# Slow dashboard

## What happened

The dashboard service had a bug that issued the same query 40 times per page, and pages took ten seconds to load.
Its queries go to MySQL.
Someone asked whether a read replica would have helped: a replica would have picked the same plan.
`;
    // Act / Assess
    expect(causesOf(ours)).toEqual([]);
    expect(causesOf(hypothetical)).toEqual([]);
  });
});

describe('attribution round 14: doing exactly what its design promises is the mechanism, not innocence', () => {
  it('reads "X did exactly what it is designed to do when ..." as X failing, as the form without "exactly" is', () => {
    // Prepare: the design is told as the mechanism of the outage, with an intensifier before it.
    const source = `# Search writes refused

## What happened

The upgrade script restarted the next search node before the previous one had recovered its replicas.
One shard was left with no started copy anywhere for twenty minutes.
Elasticsearch did exactly what it is designed to do when a shard has no started copy: it turned the index red and refused every write to it.
`;
    // Act / Assess
    expect(causesOf(source)).toEqual(['Elasticsearch']);
  });

  it('reads the kind noun doing exactly what one of its features promises as the named technology', () => {
    // Prepare: the queue is named once; its feature's promise, told by the kind noun, is the mechanism.
    const source = `# Repeated refunds dropped

## What happened

Refund requests go through an SQS FIFO queue with content-based deduplication turned on.
Last week's release removed the request id from the message body, so two refunds of the same amount had identical bodies.
So the queue was doing exactly what content-based deduplication promises, and the second refund within five minutes was never delivered.
`;
    // Act / Assess
    expect(causesOf(source)).toEqual(['SQS']);
  });

  it('keeps "did exactly what it should", "did exactly what it was told" as innocence, named or by its kind', () => {
    // Trap: the forms of a technology that only obeyed; the cause is our own job.
    const named = `# Deleted rows

## What happened

A cleanup job ran a DELETE without a WHERE clause against the orders table in PostgreSQL.
PostgreSQL did exactly what it was told, and the job's author has since added a review step.
`;
    const unnamed = `# Lost notifications

## What happened

Notifications are sent through an SQS queue to the mailer.
A bug in the mailer deleted every message before sending it.
The queue did exactly what it should, and the mailer fix shipped the same day.
`;
    // Act / Assess
    expect(causesOf(named)).toEqual([]);
    expect(causesOf(unnamed)).toEqual([]);
  });
});
