/**
 * Attribution round 17: a technology refusing work is a failure state, as rejecting it already was.
 * Every sentence here is invented.
 */
import { describe, expect, it } from 'vitest';
import { FAILURE_STATE } from '../../src/attribution/index.ts';
import { assessMention, catalogMatcher } from '../support/attribution.ts';

// Read once, before any test of this file (top-level await).
const matcher = await catalogMatcher();

describe('attribution round 17: refusing is failing', () => {
  it('reads "refused" and "refusing" as a failure state', () => {
    expect(FAILURE_STATE.test('the coordinator refused the write')).toBe(true);
    expect(FAILURE_STATE.test('brokers kept refusing produce requests')).toBe(true);
    expect(FAILURE_STATE.test('the brokers accepted every produce request')).toBe(false);
  });

  it('weighs a technology refusing in its own clause as a strong mention, and one refused to as reached', () => {
    const own = assessMention(
      matcher,
      'Then ZooKeeper refused the write and the config service stopped.',
      'ZooKeeper',
      'summary',
    );
    const reached = assessMention(
      matcher,
      'The proxy refused every connection to the Redis primary.',
      'Redis',
      'summary',
    );
    expect(own.context).toBeNull();
    expect(own.weight).toBeGreaterThanOrEqual(1.5);
    expect(reached.weight).toBeLessThan(own.weight);
  });
});
