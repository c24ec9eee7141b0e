/**
 * Attribution round 20: three more ways authors clear a technology they name ("it did what it is
 * supposed to do", "nothing had been wrong with it", "had nothing to do with it"), read as innocence
 * so that the name is no cause. Every sentence here is invented.
 */
import { describe, expect, it } from 'vitest';
import { EXONERATION } from '../../src/attribution/index.ts';
import { catalogMatcher, engineCausesOf } from '../support/attribution.ts';

// Read once, before any test of this file (top-level await).
const matcher = await catalogMatcher();

describe('attribution round 20: innocence statements', () => {
  it('reads doing what it is supposed to do as innocence, in the present as in the past', () => {
    expect(EXONERATION.test('The queue did what it is supposed to do.')).toBe(true);
    expect(EXONERATION.test('The queue did what it was supposed to do.')).toBe(true);
    // Trap: what it is supposed to hold is no verdict on what it did.
    expect(EXONERATION.test('The queue held far more than it is supposed to hold.')).toBe(false);
  });

  it('reads "nothing had been wrong with X" as innocence, in any tense', () => {
    expect(EXONERATION.test('Nothing had been wrong with the cache at all.')).toBe(true);
    expect(EXONERATION.test('there was nothing amiss with the brokers')).toBe(true);
    // Traps: something wrong with it is a finding; the servers "themselves" are set against another part of it.
    expect(EXONERATION.test('Something had been wrong with the cache for weeks.')).toBe(false);
    expect(EXONERATION.test('Nothing was wrong with the database servers themselves; the pooler setting was.')).toBe(
      false,
    );
  });

  it('reads "had nothing to do with it" as innocence, not "had nothing to do" (no work)', () => {
    expect(EXONERATION.test('the storage and the database had nothing to do with it')).toBe(true);
    expect(EXONERATION.test('The workers had nothing to do for an hour, so they scaled in.')).toBe(false);
    // Trap: a note about another subject ("the migration") beside the name.
    expect(EXONERATION.test('(the migration is planned for next year and had nothing to do with this incident)')).toBe(
      false,
    );
  });
});

describe('attribution round 20: the engine takes no cause a document clears', () => {
  it('does not take a store that failed over cleanly while a client cached the old address', () => {
    const source = `# Order writes failing after a failover

## Summary

During a maintenance window our PostgreSQL order database failed over to its standby in 30 seconds.
The order service kept writing to the old address for 40 minutes, because its runtime cached the DNS answer forever.

## What we checked

The standby was in sync and nothing was lost. The database did what it is supposed to do.
`;
    expect(engineCausesOf(matcher, source)).toEqual([]);
  });

  it('does not take a store whose monitoring said it was down when nothing had been wrong with it', () => {
    const source = `# Login errors after a needless failover

## Summary

An upgraded metrics exporter could not log in to the Memcached nodes and reported every one of them down.
Following the runbook, the on-call drained the pool and moved traffic to the standby pool, which was cold, and logins failed for eight minutes.
Nothing had been wrong with Memcached at all.
`;
    expect(engineCausesOf(matcher, source)).toEqual([]);
  });
});
