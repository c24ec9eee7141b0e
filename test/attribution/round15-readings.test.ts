import { describe, expect, it } from 'vitest';
import { catalogMatcher, offlineCausesOf } from '../support/attribution.ts';

// Read once, before any test of this file (top-level await).
const matcher = await catalogMatcher();

const causesOf = (source: string) => offlineCausesOf(matcher, source);

describe('attribution round 15: where the investigation looked first is a suspicion, not a finding', () => {
  it.each([
    [
      'went straight to',
      'The on-call engineer went straight to the MongoDB cluster: elections, replication lag, rejected writes.',
    ],
    ['the first hour went into', 'The first hour went into the Kafka cluster: broker CPU, disk, partition leadership.'],
    ['spent minutes on', 'We spent forty minutes on the Redis instance, its memory and its evicted keys.'],
    [
      'spent the first minutes on',
      'The on-call engineer spent the first twenty minutes on the Redis tier, because the first alert was a burst of errors.',
    ],
    [
      'early on looked at',
      'Early in the response we looked at the Redis cache, because the service log was full of cache timeouts.',
    ],
  ])('does not call a technology the cause because the team "%s" it', (_phrase, looked) => {
    // Trap: the technology is where the team looked; the cause is an outside vendor.
    const source = `# Card payments declined

## What happened

Card payments were declined for a quarter of customers between 12:00 and 13:10.
${looked}
It looked ordinary: a few hundred open connections against a limit of several thousand.
At 13:02 the payment vendor posted that its authorisation service had been failing since noon.
Payments recovered when the vendor fixed its service.
`;
    // Act / Assess
    expect(causesOf(source)).toEqual([]);
  });

  it('still takes the technology when the document confirms what the team went straight to', () => {
    // Prepare: the first place the team looked was the cause, and the document says so.
    const source = `# Login failures

## What happened

Logins failed for every user between 09:10 and 09:40.
The on-call engineer went straight to the PostgreSQL primary, which had run out of disk and refused every write; this was confirmed in its log.
We freed disk space on the PostgreSQL primary and logins recovered.
`;
    // Act / Assess
    expect(causesOf(source)).toEqual(['PostgreSQL']);
  });
});

describe('attribution round 15: a store called fine by its noun tells no size limit after', () => {
  it('does not give an oversized record to the store once the document cleared it by its noun', () => {
    // Trap: the upload path ends in the bucket, which was checked and clean; the 1 MB limit is the proxy's.
    const source = `# Large uploads failing

## Timeline

Uploads go from the browser through our proxy to the documents API and then to S3.
Customers see "Request Entity Too Large" for any file above a megabyte.
Checked the bucket and the API: no errors, nothing reached them.
Anything over 1 MB rejected before the API.
The proxy's body-size setting had fallen back to its default after an upgrade.
`;
    // Act / Assess
    expect(causesOf(source)).toEqual([]);
  });
});
