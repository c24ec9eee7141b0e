/**
 * Readings of the offline attribution engine for a single record outgrowing the technology's own
 * hard size limit, and for a new version of the technology changing one of its defaults. Every
 * document here is invented.
 */
import { describe, expect, it } from 'vitest';
import { assessmentOf as assessmentIn, catalogMatcher, guardedCausesOf } from '../../support/attribution.ts';

// Read once, before any test of this file (top-level await).
const matcher = await catalogMatcher();

/** The causes that stand after the attribution guard. */
const causesOf = (source: string) => guardedCausesOf(matcher, source);
const assessmentOf = (source: string, technology: string) => assessmentIn(matcher, source, technology);

const STORY = (body: string): string => `# Warehouse labels stopped printing

## What happened

For two hours on Tuesday the label printers in the north hall printed nothing, and pickers queued at the packing desks.
${body}
`;

describe('a record outgrowing the technology’s own size limit', () => {
  it('makes the technology the cause when it refuses a record larger than its size parameter', () => {
    expect(
      causesOf(
        STORY(
          'The print queue lives in ZooKeeper, and ZooKeeper refuses any response larger than jute.maxbuffer, which we never changed.',
        ),
      ),
    ).toEqual(['ZooKeeper']);
  });

  it('reads a record of the technology named just before crossing a size as its own', () => {
    expect(
      causesOf(
        STORY(
          'Each shipment manifest is stored as one DynamoDB item. At 300 bytes per parcel the item crosses 400 KB near 1,300 parcels, and every write to it failed.',
        ),
      ),
    ).toEqual(['DynamoDB']);
  });

  it('counts a denial turned by "but" to a packet over the limit as the technology failing', () => {
    const assessment = assessmentOf(
      STORY(
        'The ZooKeeper servers were fine with storing the labels but the reply packet was over the limit, so the printers got nothing.',
      ),
      'ZooKeeper',
    );
    expect(assessment?.candidates.length).toBe(1);
    expect(assessment?.nonCausal.some((mention) => mention.context === 'negated')).toBe(false);
  });

  it('does not read a size cap we propose as the technology’s limit', () => {
    const assessment = assessmentOf(
      STORY(
        'The printers read their jobs from Kafka. We will make the producer reject any message larger than 512 KB before it reaches the topic.',
      ),
      'Kafka',
    );
    expect(assessment?.candidates.every((mention) => mention.weight < 1.5)).toBe(true);
  });
});

const UPGRADE = (body: string): string => `# Nightly exports failed after the database upgrade

## Summary

The nightly exports failed for two nights in a row and finance had no morning figures.

## Root cause

${body}
The export job had always relied on that behaviour without ever setting it.
`;

describe('a new version of the technology changing a default', () => {
  it('makes the technology the cause when a bare version of it changed a default', () => {
    expect(
      causesOf(
        UPGRADE(
          'On Sunday we upgraded the reporting database from MySQL 5.7 to 8.0. 8.0 changed the default authentication plugin for new users.',
        ),
      ),
    ).toEqual(['MySQL']);
  });

  it('reads the name with its version as the agent of the default change', () => {
    expect(
      causesOf(UPGRADE('Since PostgreSQL 15 a new schema no longer lets every role create tables in it by default.')),
    ).toEqual(['PostgreSQL']);
  });

  it('does not guess an owner for the version when two technologies were upgraded', () => {
    const source = UPGRADE(
      'That weekend we upgraded Redis to 7.2 and we upgraded PostgreSQL to 16. 7.0 changed that default to deny.',
    );
    const versionSentence = (technology: string): boolean =>
      assessmentOf(source, technology)?.candidates.some((mention) => mention.sentence.text.startsWith('7.0')) ?? false;
    expect(versionSentence('Redis')).toBe(false);
    expect(versionSentence('PostgreSQL')).toBe(false);
  });
});
