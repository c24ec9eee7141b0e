import { describe, expect, it } from 'vitest';
import { normalizeSeverity, severityLevelOf, statedSeverity } from '../../src/metadata/index.ts';

describe('severityLevelOf', () => {
  it.each([
    ['SEV1', 'SEV1'],
    ['sev-1', 'SEV1'],
    ['Sev 2', 'SEV2'],
    ['SEV_3', 'SEV3'],
    ['S1', 'SEV1'],
    ['P0', 'SEV0'],
    ['p2', 'SEV2'],
    ['Priority 3', 'SEV3'],
    ['Severity: 4', 'SEV4'],
    ['Severity:   SEV2', 'SEV2'],
    ['Level 1', 'SEV1'],
    ['1', 'SEV1'],
    ['2 - high', 'SEV2'],
    ['critical', 'SEV1'],
    ['Critical (SEV1)', 'SEV1'],
    ['High', 'SEV2'],
    ['Major', 'SEV2'],
    ['medium', 'SEV3'],
    ['Minor', 'SEV4'],
    ['low', 'SEV4'],
    ['customer-facing P2', 'SEV2'],
  ])('reads %s as %s', (written, level) => {
    // Prepare
    const value = written;

    // Act
    const read = severityLevelOf(value);

    // Assess
    expect(read).toBe(level);
  });

  it.each(['SEVERE', 'bad', '', '2025-03-14', 'SEV9', '12', 'P10'])('finds no level in %j', (written) => {
    // Prepare
    const value = written;

    // Act
    const read = severityLevelOf(value);

    // Assess
    expect(read).toBeUndefined();
  });

  it('never takes a name of the object prototype for a severity word', () => {
    for (const text of ['constructor', 'toString', '__proto__', 'hasOwnProperty'])
      expect(severityLevelOf(text), text).toBeUndefined();
  });

  it('reads a number 0-5 as a level and nothing else', () => {
    // Prepare
    const values = [0, 3, 5, 6, 1.5, null, undefined, {}];

    // Act
    const read = values.map(severityLevelOf);

    // Assess
    expect(read).toEqual(['SEV0', 'SEV3', 'SEV5', undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('normalizeSeverity', () => {
  it('gives the level, or the text as written marked unknown, or nothing for a blank', () => {
    // Prepare
    const values = ['Sev 2', '  SEVERE ', '   ', null];

    // Act
    const normalized = values.map(normalizeSeverity);

    // Assess
    expect(normalized).toEqual([
      { value: 'SEV2', known: true },
      { value: 'SEVERE', known: false },
      undefined,
      undefined,
    ]);
  });
});

describe('statedSeverity', () => {
  it.each([
    ['INCIDENT 311\nSeverity: SEV-2\nStatus: resolved\n\nThe queue stalled.', 'SEV2'],
    ['date: 2025-06-02   severity: Sev 1   writer: R. Okafor\n\nLogins failed.', 'SEV1'],
    ['Project: Payments   Priority: P2   Status: Resolved\n\nCard declines rose.', 'SEV2'],
    ['ACME - incident log - 2025-04-09 - sev: P1\n\n16:07 alerts fired.', 'SEV1'],
    ['| Field | Value |\n| Severity | High |\n| Owner | search |\n\nSearch was slow.', 'SEV2'],
    ['Severity: Sev 3\n\nWe paged the on-call.', 'SEV3'],
  ])('reads the labelled level in the opening of %j', (text, expected) => {
    expect(statedSeverity(text)).toBe(expected);
  });

  it.each([
    ['16:07 A P1 was declared and the bridge opened.\nCheckout failed for 40 minutes.'],
    ['Severity: to be decided at the review\n\nThe cache flushed.'],
    ['Our severity matrix says a sev 2 needs a postmortem.'],
    [`${'The import ran long. '.repeat(100)}\nSeverity: SEV1`],
  ])('reads no level from prose, an undecided label or past the opening: %j', (text) => {
    expect(statedSeverity(text)).toBeUndefined();
  });
});
