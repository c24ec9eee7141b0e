/** The quarantine rule: a verified share below 0.5 with 4 or more claims, or a summary field without text. */
import { describe, expect, it } from 'vitest';
import { notStated, type Summary } from '../../src/schemas/index.ts';
import {
  isGarbageText,
  QUARANTINE_MIN_CLAIMS,
  QUARANTINE_MIN_SHARE,
  quarantineOf,
} from '../../src/trust/quarantine.ts';

function summary(overrides: Partial<Summary> = {}): Summary {
  const claim = (text: string) => ({ text, evidence: [text] });
  return {
    docId: 'doc',
    issue: claim('Checkout requests failed for 40 minutes.'),
    rootCauses: [claim('The connection pool was exhausted.')],
    impact: claim('30% of requests failed.'),
    resolution: notStated(),
    preventiveActions: [],
    ...overrides,
  };
}

const verification = (claims: number, verified: number) => ({
  claims,
  verified,
  share: claims === 0 ? 1 : verified / claims,
});

describe('quarantineOf', () => {
  it('quarantines a document with enough claims whose verified share is below the threshold, and only then', () => {
    // Act
    const below = quarantineOf(verification(4, 1), summary());
    const atThreshold = quarantineOf(verification(4, 2), summary());
    const tooFew = quarantineOf(verification(QUARANTINE_MIN_CLAIMS - 1, 1), summary());
    const noneVerified = quarantineOf(verification(QUARANTINE_MIN_CLAIMS - 1, 0), summary());
    const noClaims = quarantineOf(verification(0, 0), summary());

    // Assess
    expect(QUARANTINE_MIN_SHARE).toBe(0.5);
    expect(below).toEqual({
      reason: 'unverified',
      verifiedShare: 0.25,
      detail: expect.stringContaining('1 of 4 claims verified'),
    });
    expect(atThreshold).toBeUndefined();
    expect(tooFew).toBeUndefined();
    // A document that makes claims and backs none of them is quarantined whatever its count.
    expect(noneVerified).toEqual({
      reason: 'unverified',
      verifiedShare: 0,
      detail: 'none of 3 claims verified',
    });
    expect(noClaims).toBeUndefined();
  });

  it('quarantines a garbage summary whatever its verified share, naming the fields', () => {
    // Act
    const garbage = quarantineOf(
      verification(2, 2),
      summary({ issue: { text: '}', evidence: ['}'] }, preventiveActions: [{ text: ' ,} ', evidence: [] }] }),
    );

    // Assess
    expect(garbage).toEqual({
      reason: 'garbage',
      verifiedShare: 1,
      detail: 'summary fields without text: issue, preventiveActions[0]',
    });
    expect(quarantineOf(verification(3, 3), summary())).toBeUndefined();
  });

  it('tells garbage from short statements', () => {
    expect(['}', ',}', '', ' ', '{"a"}', '--'].map(isGarbageText)).toEqual([true, true, true, true, true, true]);
    expect(['Yes', 'DNS', '503s', 'Redis OOM'].map(isGarbageText)).toEqual([false, false, false, false]);
  });
});
