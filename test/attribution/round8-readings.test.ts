import { describe, expect, it } from 'vitest';
import { EXONERATION, FAILURE_STATE, NEGATION, terseSentenceAt } from '../../src/attribution/index.ts';
import { OWN_BEHAVIOUR, recoverySource, underSuspectHeading } from '../../src/attribution/structure.ts';
import { assessMention, catalogMatcher, offlineCausesOf } from '../support/attribution.ts';

// Read once, before any test of this file (top-level await).
const matcher = await catalogMatcher();

const causesOf = (source: string) => offlineCausesOf(matcher, source);

describe('attribution round 8: a heading that announces a suspect', () => {
  it('reads a section headed as the suspect the team blamed as suspicion, not a finding', () => {
    // Prepare: the only section naming Memcached is headed as the theory that was chased.
    const source = `Search pages hung

## Summary

On Monday every search page hung for twenty minutes.

## The cache we blamed first

Sessions sit in a Memcached pool whose locks once stuck after a crash.
Memcached latency climbed to two seconds during the whole window.

## What was really going on

Our ranking service ran out of threads waiting on a partner API with no read timeout.
`;
    // Act / Assess: the suspect is not a cause; the same text under a neutral heading would be read as one.
    expect(underSuspectHeading('The cache we blamed first')).toBe(true);
    expect(causesOf(source)).not.toContain('Memcached');
    expect(causesOf(source.replace('The cache we blamed first', 'The cache'))).toContain('Memcached');
  });

  it('does not read a heading that tells where the cause really was as a suspect', () => {
    // Trap: the heading names the suspicion and resolves it.
    expect(underSuspectHeading('What we suspected and what it actually was')).toBe(false);
    expect(underSuspectHeading('Timeline')).toBe(false);
  });
});

describe('attribution round 8: the source data was recovered from', () => {
  it('reads a name after "replayed ... from" as the source of the recovery', () => {
    // Prepare / Act
    const replay = assessMention(
      matcher,
      'At noon we backfilled the rejected basket events from MySQL.',
      'MySQL',
      'summary',
    );
    // Assess: the failure word belongs to what was recovered, not to the source.
    expect(recoverySource('At noon we backfilled the rejected basket events from ')).toBe(true);
    expect(replay.context).toBe('other');
  });

  it('keeps a technology that itself recovered from a failure, or failed while data was read from it', () => {
    // Trap: no object between the verb and "from"; and a plain read from a failing store.
    expect(recoverySource('The cluster recovered from ')).toBe(false);
    const read = assessMention(
      matcher,
      'Reads from MySQL were rejected because the primary had run out of connections.',
      'MySQL',
      'summary',
    );
    expect(read.context).toBeNull();
  });
});

describe('attribution round 8: denials a terse voice writes', () => {
  it('reads "did nothing wrong" and a verbless "itself fine" as innocence', () => {
    expect(EXONERATION.test('the error names the broker but the broker did nothing wrong')).toBe(true);
    expect(EXONERATION.test('Consul itself fine all along')).toBe(true);
    // Trap: a deed that was wrong is not innocence.
    expect(EXONERATION.test('the broker did something nobody expected')).toBe(false);
  });

  it('reads data called consistent as healthy, but not "consistent with" a theory', () => {
    expect(NEGATION.test('the balances table in DynamoDB stayed intact')).toBe(true);
    // Trap: "consistent with" compares, it does not say the data is intact.
    expect(NEGATION.test('the timing is consistent with a stalled compaction')).toBe(false);
  });

  it('confines a health word to its own uncapitalised sentence of a terse line', () => {
    // Prepare: a chat line calls the API fine, then tells the database saturated after a lower-case stop.
    const line = '[07:40] lee: web tier itself is fine, nothing in its logs. postgres disk full on the writer';
    const denied = assessMention(matcher, line, 'PostgreSQL', 'summary');
    // Assess: the health word speaks of the API, the database is a candidate.
    expect(terseSentenceAt(line, line.indexOf('postgres')).text).toBe('postgres disk full on the writer');
    expect(denied.context).toBeNull();
    expect(denied.weight).toBeGreaterThan(1.5);
    // Trap: when the health word is in the name's own terse sentence, the name is denied.
    const healthy = assessMention(
      matcher,
      '10:02 ana: api slow. postgres itself is fine, cpu 20%',
      'PostgreSQL',
      'summary',
    );
    expect(healthy.context).toBe('negated');
  });

  it('does not take an abbreviation for a sentence stop', () => {
    const text = 'approx. two hundred writes failed on Redis';
    expect(terseSentenceAt(text, text.indexOf('Redis')).start).toBe(0);
  });
});

describe('attribution round 8: failure states of a replicated store', () => {
  it('reads writes the store rolled back or discarded as lost data', () => {
    expect(FAILURE_STATE.test('When the old primary rejoined, Cassandra rolled back the writes it had taken')).toBe(
      true,
    );
    expect(FAILURE_STATE.test('everything written to the old master was discarded')).toBe(true);
    // Trap: rolling back our own release is a remediation, not lost data.
    expect(FAILURE_STATE.test('we rolled back the release at 10:40')).toBe(false);
  });

  it('reads a member with no primary and a replica far behind its source as failing', () => {
    expect(FAILURE_STATE.test('For twelve minutes the set had no primary')).toBe(true);
    expect(FAILURE_STATE.test('a replica that was 40 minutes behind the primary')).toBe(true);
    // Trap: a search index that is behind is a lag of a feed, not a replica behind its source; a primary that exists is fine.
    expect(FAILURE_STATE.test('the index is 20 minutes behind.')).toBe(false);
    expect(FAILURE_STATE.test('the set has a primary and two secondaries')).toBe(false);
  });

  it('makes the store with no primary the cause of a short story', () => {
    const source = `Imports failed

## What happened

A kernel update restarted two members of the set within a minute of each other.
Until the second one returned, MongoDB had no primary and the billing writes queued.
`;
    expect(causesOf(source)).toContain('MongoDB');
    // Trap: the same story with the primary present tells nothing of the store failing.
    expect(causesOf(source.replace('had no primary', 'had a primary'))).not.toContain('MongoDB');
  });

  it("reads a relative clause on a name in object position as the named thing's own state", () => {
    // Prepare: the read reached the replica, and the relative clause says the replica was far behind.
    const lagging = assessMention(
      matcher,
      'The check read its status from a PostgreSQL replica that was 25 minutes behind the primary.',
      'PostgreSQL',
      'summary',
    );
    // Trap: the same name reached by a failure told elsewhere in the clause is only an object.
    const reached = assessMention(
      matcher,
      'After the timeouts the misses went to the PostgreSQL replica.',
      'PostgreSQL',
      'summary',
    );
    expect(lagging.weight).toBeGreaterThan(reached.weight);
    expect(lagging.weight).toBeGreaterThanOrEqual(3);
  });
});

describe('attribution round 8: a documented limit told as the verb', () => {
  it('reads "X caps a single item at N" as the technology\'s own limit', () => {
    expect(OWN_BEHAVIOUR.test('Kinesis caps each record at 1 MB.')).toBe(true);
    expect(OWN_BEHAVIOUR.test('The broker limits each batch to 20 messages.')).toBe(true);
    // Trap: a cap as a noun in a sentence about our own plan.
    expect(OWN_BEHAVIOUR.test('We put a cap on retries next quarter.')).toBe(false);
  });
});
