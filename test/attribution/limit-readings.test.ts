import { describe, expect, it } from 'vitest';
import { limitReached, PROPOSAL } from '../../src/attribution/index.ts';
import type { SourceSentence } from '../../src/text/sentences.ts';
import { assessMention, catalogMatcher, offlineCausesOf } from '../support/attribution.ts';

// Read once, before any test of this file (top-level await).
const matcher = await catalogMatcher();

const assessed = (text: string, technology: string, role: SourceSentence['role'] = 'summary') =>
  assessMention(matcher, text, technology, role);
const causesOf = (source: string) => offlineCausesOf(matcher, source);

describe('attribution: a limit of the technology reached', () => {
  it('reads a limit reached in a clause, whoever sent the load', () => {
    expect(limitReached('the nightly rollup used nearly all of the read capacity the table had')).toBe(true);
    expect(limitReached('because the cluster was already at its scaling maximum')).toBe(true);
    expect(limitReached('the store began throttling the checkout writes')).toBe(true);
    expect(limitReached('it ran out of connection slots within a minute')).toBe(true);
  });

  it('does not read a limit when the infrastructure under the technology is in the clause', () => {
    // Trap: the network, not the technology, ran out of something.
    expect(limitReached('the network links between the hosts hit their bandwidth ceiling')).toBe(false);
    expect(limitReached('we expanded the capacity of the cluster last quarter')).toBe(false);
  });

  it('counts an anaphor that holds the limit as plainly as the name', () => {
    const source = `Ledger writes failing

The ledger lives in an Amazon DynamoDB table in provisioned mode.

A migration script started at 10:02 and wrote as fast as its forty workers could. Because the table was already at its scaling maximum, the script used every write unit it had and customer writes were rejected. We stopped the script at 10:40.
`;
    expect(causesOf(source)).toEqual(['DynamoDB']);
  });

  it('does not take an anaphor for a victim of another failing technology', () => {
    // Trap: two kinds are named, the cache failed and the database only took the load.
    const source = `Slow product pages

Product pages are cached in Redis in front of a MySQL database.

At 14:10 Redis evicted every product key after a maxmemory change and the cache emptied. The database then received all reads and slowed down for twenty minutes.
`;
    expect(causesOf(source)).not.toContain('MySQL');
  });

  it('reads a named technology as the holder of a limit even after a preposition', () => {
    const holder = assessed(
      'At 22:03 the batch reported "Too many connections" from the billing MariaDB primary.',
      'MySQL',
    );
    expect(holder.context).toBeNull();
    expect(holder.weight).toBeGreaterThanOrEqual(3);
    // Trap: another technology shares the sentence; the name is where the failure of the other landed.
    const victim = assessed(
      'Memcached evictions sent every read to the MySQL primary, which ran out of connections.',
      'MySQL',
    );
    expect(victim.weight).toBeLessThan(3);
  });

  it('reads a third party that only sent the load as a sender, not the owner of the table', () => {
    const sent = assessed(
      'A burst of partner updates exceeded the write capacity of the inventory DynamoDB table.',
      'DynamoDB',
    );
    expect(sent.context).toBeNull();
    // Trap: the table belongs to the vendor.
    expect(assessed("The vendor's DynamoDB table ran out of write capacity.", 'DynamoDB').context).toBe(
      'upstream-provider',
    );
  });

  it('does not take a tool for the technology hitting its own limit', () => {
    // Trap: the exporter for Kafka hit the limit, not Kafka.
    expect(assessed('The Kafka exporter ran out of memory and stopped scraping.', 'Kafka').context).toBe('other');
  });

  it('does not take a ruled-out suspect that a limit sentence names', () => {
    const source = `Search outage

The search API times out. We first suspected Elasticsearch, but it was ruled out: its queues were empty.

The API's own thread pool was exhausted by a retry loop in our code, and the pods were restarted.
`;
    expect(causesOf(source)).toEqual([]);
  });

  it('reads "well" as a word, not as "we\'ll"', () => {
    expect(PROPOSAL.test('the job read the table well past what it was sized for')).toBe(false);
    expect(PROPOSAL.test("we'll cap the job at a fifth of the capacity")).toBe(true);
  });
});
