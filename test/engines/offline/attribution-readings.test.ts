/**
 * Readings of the offline attribution engine added for issue 13: a technology's own resource policy
 * refusing requests, a technology's designed behaviour told as the mechanism, and the part word
 * "master" shared by caches and search clusters. Every document here is invented.
 */
import { describe, expect, it } from 'vitest';
import { assessmentOf as assessmentIn, catalogMatcher, guardedCausesOf } from '../../support/attribution.ts';

// Read once, before any test of this file (top-level await).
const matcher = await catalogMatcher();

/** The causes that stand after the attribution guard. */
const causesOf = (source: string) => guardedCausesOf(matcher, source);
const assessmentOf = (source: string, technology: string) => assessmentIn(matcher, source, technology);

const POLICY = (sentence: string): string => `# Scanned invoices could not be stored

## Summary

For three hours on Thursday the invoice scanner could not store any scan, and clerks saw "upload failed".

## What went wrong

${sentence}
The scanner's upload library never sent that header, so every upload was refused with 403.
`;

describe('a resource policy of the technology refusing requests', () => {
  it('makes the bucket the cause when its own policy denies the requests', () => {
    expect(
      causesOf(
        POLICY(
          'The security team applied a new bucket policy to the invoices S3 bucket that denies any PutObject without an audit header.',
        ),
      ),
    ).toEqual(['S3']);
  });

  it('reads a policy that restricts access the same way', () => {
    expect(
      causesOf(POLICY('The S3 bucket policy on the invoices bucket restricts access to one network endpoint.')),
    ).toEqual(['S3']);
  });

  it('does not read a policy that allows, nor someone else’s policy', () => {
    expect(causesOf(POLICY('The S3 bucket policy on the invoices bucket allows every role of the account.'))).toEqual(
      [],
    );
    expect(
      causesOf(
        POLICY(
          "Uploads to the S3 bucket go through the proxy, and the proxy's access policy denies any unknown header.",
        ),
      ),
    ).toEqual([]);
  });

  it('does not read a denied policy', () => {
    expect(
      causesOf(
        POLICY(
          'The S3 bucket policy, which denies unencrypted uploads, was not the cause: the scans were encrypted all along.',
        ),
      ),
    ).toEqual([]);
  });

  it('gives a database no policy reading: its kind carries no resource policy', () => {
    const assessment = assessmentOf(
      POLICY('Our PostgreSQL database sits behind a proxy whose access policy denies unknown clients.'),
      'PostgreSQL',
    );
    expect(Math.max(0, ...(assessment?.candidates.map((mention) => mention.weight) ?? []))).toBeLessThan(1.5);
  });

  it('never makes a cause of a name found only in a host or tool name beside a policy', () => {
    expect(
      causesOf(
        POLICY(
          'The policy-sync job on host s3-sync-01 applied a bucket policy to the invoices bucket that denies any PutObject without an audit header.',
        ),
      ),
    ).toEqual([]);
  });
});

const DESIGN = (sentence: string): string => `# Search ingestion slowed during a restart

## Summary

Log ingestion slowed for two hours during a planned rolling restart of the search cluster.

## What happened

The restart script stopped one data node at a time and waited only for the process to come back.
${sentence}
The copies saturated the network between data nodes and ingestion fell behind.
`;

describe('the technology’s designed behaviour told as the mechanism', () => {
  it('reads "does what it is designed to do:" and the design told as a cause', () => {
    expect(
      causesOf(
        DESIGN(
          'Elasticsearch does what it is designed to do: after a short delay it starts copying the replica shards of an absent node to the remaining nodes.',
        ),
      ),
    ).toEqual(['Elasticsearch']);
  });

  it('reads "did precisely what it promises;" the same way', () => {
    expect(
      causesOf(
        DESIGN(
          'Elasticsearch did precisely what it promises; a replica shard that is missing for a minute is rebuilt on another node.',
        ),
      ),
    ).toEqual(['Elasticsearch']);
  });

  it('does not read a clearance ("did exactly what it should")', () => {
    expect(
      causesOf(
        DESIGN(
          'Elasticsearch did exactly what it should: after a short delay it starts copying that node’s replica shards to the remaining nodes.',
        ),
      ),
    ).toEqual([]);
  });

  it('does not read a telling that turns to us or to a third party', () => {
    expect(
      causesOf(
        DESIGN(
          'Elasticsearch does what it is designed to do: our script had disabled the allocation delay and forgot to restore it.',
        ),
      ),
    ).toEqual([]);
    expect(
      causesOf(
        DESIGN(
          'Elasticsearch does what it is designed to do: the cloud provider had a network outage between the zones that day.',
        ),
      ),
    ).toEqual([]);
  });
});

const MASTER = `# Site search slow and partly failing

## Summary

Site search was slow and partly failing for an hour; page fragments come from our Redis cache, which stayed fast.

## What happened

A logging change sent free-form keys to Elasticsearch, and its mapping grew by thousands of fields.
Each new field needs a cluster-state update; cluster-state updates began timing out, and two master elections happened in an hour.
`;

describe('"master" shared by a cache and a search cluster', () => {
  it('credits no cache with a failing master when a search cluster is also named', () => {
    const redis = assessmentOf(MASTER, 'Redis');
    expect(redis?.candidates.some((mention) => /master elections/.test(mention.sentence.text))).toBe(false);
  });

  it('still credits the one cache when only a cache is named', () => {
    const onlyCache = `# Cart writes failed

## Summary

Cart writes failed for ten minutes; carts are kept in Redis.

## What happened

A network partition isolated one node of the Redis cluster and its replica could not see the others.
The master was lost, and writes failed until a new one was promoted.
`;
    const redis = assessmentOf(onlyCache, 'Redis');
    expect(redis?.candidates.some((mention) => /^The master was lost/.test(mention.sentence.text))).toBe(true);
  });
});

describe('a bare denial of a name', () => {
  it('reads "X is not it" as a denial', () => {
    const notes = `# Login failures

## Summary

- 13:10 new users cannot log in, existing users fine
- 13:13 maybe the session cache is stale? Redis is not it
- 13:30 the MySQL replica had stopped replicating on a duplicate key, so new users were missing on the replica
`;
    const redis = assessmentOf(notes, 'Redis');
    expect(redis?.nonCausal.some((mention) => mention.context === 'negated')).toBe(true);
    expect(redis?.candidates ?? []).toEqual([]);
  });
});

const LATER_PART = (clause: string): string => `# Profile saves failing

## Summary

Profile saves failed for twenty minutes on Monday afternoon, and the support queue filled with complaints.

## What happened

- a one-off script changed forty million profiles in one statement from an operator's shell
- the MongoDB cluster replicated that single statement as forty million separate log entries; ${clause}
`;

describe('a later clause telling a part of the one named technology failing', () => {
  it('reads the part of the named technology failing in a later clause', () => {
    expect(causesOf(LATER_PART('the secondaries’ apply lag made every majority write time out'))).toEqual(['MongoDB']);
  });

  it('does not read a failure the clause denies', () => {
    expect(causesOf(LATER_PART('the primary kept its place and no failover was triggered'))).toEqual([]);
  });

  it('does not read a part failing for a third party', () => {
    expect(
      causesOf(LATER_PART('the secondaries timed out because of the cloud provider’s network outage in one zone')),
    ).toEqual([]);
  });

  it('does not read a later part when the sentence names another technology too', () => {
    const assessment = assessmentOf(
      LATER_PART('the secondaries’ apply lag made every majority write time out').replace(
        'the MongoDB cluster replicated',
        'the MongoDB cluster, fed by Kafka, replicated',
      ),
      'MongoDB',
    );
    expect(Math.max(0, ...(assessment?.candidates.map((mention) => mention.weight) ?? []))).toBeLessThan(1.5);
  });
});

describe('names inside identifiers never carry the new readings', () => {
  it('reads no design, policy or part of a name found only in a tool, a host or a link', () => {
    expect(
      causesOf(
        DESIGN(
          'The es-rollout tool does what it is designed to do: after a short delay it starts copying the absent node’s data to the remaining nodes.',
        ),
      ),
    ).toEqual([]);
    expect(
      causesOf(
        POLICY(
          'Per https://wiki.example.com/s3/bucket-policies the reports bucket policy denies any PutObject without an audit header.',
        ),
      ),
    ).toEqual([]);
    expect(
      causesOf(
        LATER_PART('the secondaries’ apply lag made every majority write time out').replace(
          'the MongoDB cluster replicated',
          'the cluster behind mongodb-prod-1.internal replicated',
        ),
      ),
    ).toEqual([]);
  });
});
