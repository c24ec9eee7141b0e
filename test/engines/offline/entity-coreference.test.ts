import { describe, expect, it } from 'vitest';
import { assessmentOf, catalogMatcher, guardedCausesOf } from '../../support/attribution.ts';

// Read once, before any test of this file (top-level await).
const matcher = await catalogMatcher();

const causesOf = (source: string) => guardedCausesOf(matcher, source);

/** The heaviest evidence a technology gets from a sentence containing `fragment`, or 0. */
function weightOf(source: string, technology: string, fragment: string): number {
  const assessment = assessmentOf(matcher, source, technology);
  const weights = (assessment?.candidates ?? [])
    .filter((mention) => mention.sentence.text.includes(fragment))
    .map((mention) => mention.weight);
  return Math.max(0, ...weights);
}

describe('document-level coreference: a part of the technology, told across a heading', () => {
  it('reads "the instance" as the one named cache, a heading and several sentences after the name', () => {
    // Prepare: the name only sets the scene; the limit reached is told under another heading, by a part noun.
    const source = `# Login sessions dropped

## Summary

Login sessions are kept in a Redis deployment sized for last year's traffic.
On Monday users were logged out at random for two hours.
Support opened a ticket at 09:40.

## What went wrong

The marketing campaign doubled the number of active sessions overnight.
Nobody had looked at the session dashboards since spring.
By 09:30 the instance had run out of memory and refused every new session write.
`;
    // Act / Assess
    expect(causesOf(source)).toEqual(['Redis']);
  });

  it('does not read the part as the technology when its modifier makes it an outside thing or a client stands before it', () => {
    // Trap: the pool that ran out is our service's connection pool, not the store's.
    const connectionPool = `# Checkout slow

## Summary

Carts are kept in a Redis deployment in each region.
Checkout was slow for an hour on Friday.

## What went wrong

The new release opened a connection per request and never closed it.
By noon the connection pool had run out of free slots and every checkout waited for one.
`;
    // Trap: the technology is named only as the modifier of its client library, so "the pool" is the library's.
    const clientLibrary = `# Checkout slow

## Summary

The release upgraded the Redis client library by one major version.
Checkout was slow for an hour on Friday.

## What went wrong

The new version lowered the default size of the pool from 64 to 8.
By noon the pool had run out of free slots and every checkout waited for one.
`;
    // Act / Assess
    expect(causesOf(connectionPool)).toEqual([]);
    expect(causesOf(clientLibrary)).toEqual([]);
  });
});

describe('document-level coreference: a setting held by the entity', () => {
  it('counts a setting told "on the server" as the one named technology of the kind', () => {
    // Prepare: the setting is told in a later section, held by a part noun after a preposition.
    const source = `# Workers could not connect

## Summary

The job workers keep their locks in a Redis deployment shared with the web tier.
At 14:00 half of the new workers failed to start.

## Cause

The connection ceiling is a fixed setting on the server and it was set for a fleet half this size.
`;
    // Act / Assess
    expect(weightOf(source, 'Redis', 'fixed setting on the server')).toBeGreaterThanOrEqual(1.5);
  });

  it('does not count a setting of an outside thing that merely names the part', () => {
    // Trap: the setting changed is the network card's, which stands before the part noun as the subject.
    const source = `# Workers could not connect

## Summary

The job workers keep their locks in a Redis deployment shared with the web tier.
At 14:00 half of the new workers failed to start.

## Cause

The NIC of the server had its buffer setting lowered by the new image.
`;
    // Act / Assess
    expect(weightOf(source, 'Redis', 'NIC of the server')).toBe(0);
  });
});

describe('document-level coreference: who the entity is', () => {
  it('reads a rule told by the noun of the kind as the technology the document names alone of that kind', () => {
    // Prepare: the queue's own ordering rule, told by "the queue", sentences after a naming in a scene-setting line.
    const source = `# Orders processed late

## Summary

Order events go through an SQS FIFO queue to the fulfilment workers.
On Tuesday some orders waited two hours to be fulfilled.
We found it on Wednesday morning.

## Details

Every order event carried the same group id, the merchant's.
The queue only hands out the next message of a group after the one before it is deleted.
`;
    // Act / Assess
    expect(causesOf(source)).toEqual(['SQS']);
  });

  it('does not read the noun as a technology of the kind named only as an object after another one', () => {
    // Trap: two search technologies; the second is named only as what the first replaced, so "every shard" is
    // neither's to take from the first.
    const source = `# Log search slow

## Summary

Our log platform runs on Amazon OpenSearch Service.
It replaced a self-managed Elasticsearch cluster in 2023.
Log search was slow for an afternoon.

## Details

Every shard holds a fixed amount of memory on its node even when it is empty.
`;
    // Act
    const assessment = assessmentOf(matcher, source, 'Elasticsearch');
    // Assess: the unnamed sentence counts for neither technology through the entity.
    expect(assessment?.candidates.some((mention) => mention.sentence.text.startsWith('Every shard'))).toBe(false);
  });

  it('does not keep an entity once another technology of the kind is named', () => {
    // Trap: PostgreSQL is named after MySQL, so "the primary" that failed over is no longer MySQL's to claim.
    const source = `# Reports late

## Summary

The legacy reports still read from a MySQL replica that nobody has touched in years.
The new reporting service runs on PostgreSQL.

## Details

At 03:10 the primary failed over to its standby, and the reports job lost its connection for an hour.
`;
    // Act / Assess
    expect(weightOf(source, 'MySQL', 'the primary failed over')).toBe(0);
  });
});

describe('document-level coreference: an opening anaphor', () => {
  it('reads "It ..." as the technology the sentence before named alone as its subject', () => {
    // Prepare: the anaphor's sentence tells a rule of how the technology works.
    const source = `# Uploads refused

## Summary

On Thursday image uploads failed for forty minutes.
RabbitMQ holds the upload jobs in one quorum queue per region.
It only delivers the next job of a region after the one before it is acknowledged.
`;
    // Act / Assess: as much as a sentence naming it (the section's topic alone gives half of that).
    expect(weightOf(source, 'RabbitMQ', 'It only delivers')).toBeGreaterThan(1.5);
  });

  it('does not read "It ..." as a technology the sentence before named only as an object', () => {
    // Trap: "It" is the script, the subject of the sentence before; S3 is only where it writes. (The topic reading of
    // the section still gives the sentence its half weight; the entity must not raise it to a named mention's.)
    const source = `# Thumbnails deleted

## Summary

On Thursday the thumbnails of every product disappeared from the shop.
The cleanup script builds its target from a profile and writes its report to S3.
It listed and deleted every thumbnail in production.
`;
    // Act / Assess
    expect(weightOf(source, 'S3', 'It listed')).toBeLessThanOrEqual(1.5);
  });
});

describe('document-level coreference: a setting told by an anaphor, and a chat line', () => {
  it('reads "It was lowered from ..." after a sentence naming the technology as the subject with its setting', () => {
    // Prepare: the naming sentence shows the setting; the anaphor tells it changed.
    const source = `# Replica could not resume

## Summary

The replica of the billing database stopped for two hours on Sunday and could not resume.
The billing MySQL primary kept its binary logs for one hour only.
It was lowered from 7 days in April to save disk.
`;
    // Act / Assess
    expect(weightOf(source, 'MySQL', 'It was lowered')).toBeGreaterThanOrEqual(1.5);
  });

  it('does not read "It was lowered from ..." after a sentence naming the technology as an object', () => {
    // Trap: "It" is the batch size of the export job, the subject of the sentence before.
    const source = `# Export slow

## Summary

The export job's batch size decides how many rows it reads from MySQL at once.
It was lowered from 5,000 to 50 in April to save memory.
`;
    // Act / Assess
    expect(weightOf(source, 'MySQL', 'It was lowered')).toBeLessThan(1.5);
  });

  it('reads a chat line whose speaker and time stand before the noun as its subject', () => {
    // Prepare: a chat transcript; the failure is told by "the cluster" after the speaker's name and a time.
    const source = `# Events missing

## Summary

Ana K. 09:10 checked the topic settings in Kafka.
Ana K. 09:15 so the cluster deleted every segment older than an hour since Thursday.
`;
    // Act / Assess
    expect(weightOf(source, 'Kafka', 'so the cluster deleted')).toBeGreaterThanOrEqual(1.5);
  });
});

describe('document-level coreference: a fleet is not the entity', () => {
  it('does not read "every instance" or "the pool" of the application as the one named database', () => {
    // Trap: the database is named once; the instances that fail are the service's own, and so is its pool.
    const source = `# Account API timeouts

## Summary

Our account records live in PostgreSQL.
On Tuesday the account API started timing out for most users.
Within ten minutes every instance reported "Connection is not available, request timed out after 30000ms".
The pool had handed out all of its connections and none came back.

## Cause

A code path added in the release opened a transaction and never closed it on an error.
`;
    // Act / Assess
    expect(causesOf(source)).toEqual([]);
    expect(weightOf(source, 'PostgreSQL', 'every instance reported')).toBe(0);
    expect(weightOf(source, 'PostgreSQL', 'The pool had handed out')).toBe(0);
  });
});
