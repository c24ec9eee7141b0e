/**
 * Attribution round 19: whom an "It" points at, two innocence statements read more exactly, and what the
 * attribution guard does not accept as a finding (an alert's line). Every sentence here is invented.
 */
import { describe, expect, it } from 'vitest';
import { EXONERATION, healthReadingIn } from '../../src/attribution/index.ts';
import { guardAttribution } from '../../src/trust/attribution-guard.ts';
import { assessMention, assessmentOf, catalogMatcher, guardedCausesOf } from '../support/attribution.ts';
import { parrotClassification } from '../support/classification.ts';
import { ingestInline } from '../support/postmortems.ts';

// Read once, before any test of this file (top-level await).
const matcher = await catalogMatcher();

/** The sentences that counted for a technology in a markdown document (empty when it is not assessed). */
function countedFor(source: string, technology: string): string[] {
  return (assessmentOf(matcher, source, technology)?.candidates ?? []).map((mention) => mention.sentence.text);
}

describe('attribution round 19: an "It" after a sentence whose subject is a thing', () => {
  const summary = (first: string, second: string) => `# Orders delayed\n\n## Summary\n\n${first} ${second}\n`;

  it('reads "It" as the subject of the sentence before, not a store named there only as a destination', () => {
    const source = summary(
      'A small fleet of loaders reads the order topic and writes hourly files to an S3 bucket.',
      'It had a bug that made it stop without an error on one malformed record.',
    );
    expect(countedFor(source, 'S3').some((text) => text.startsWith('It had a bug'))).toBe(false);
  });

  it('still reads "It" as the store when the sentence before has a person as its subject', () => {
    const source = summary(
      'We moved the session data to Redis on Monday.',
      'It ran out of memory at 14:00 and began to refuse writes.',
    );
    expect(countedFor(source, 'Redis').some((text) => text.startsWith('It ran out of memory'))).toBe(true);
  });

  it('still reads "It" as the store when the store is the subject', () => {
    const source = summary(
      'The Redis primary holds every cart in the region.',
      'It ran out of memory at 14:00 and began to refuse writes.',
    );
    expect(countedFor(source, 'Redis').some((text) => text.startsWith('It ran out of memory'))).toBe(true);
  });
});

describe('attribution round 19: innocence statements', () => {
  it('reads "was not broken" as innocence', () => {
    expect(EXONERATION.test("The database wasn't broken, just buried under retries")).toBe(true);
    expect(EXONERATION.test('the cluster was not broken at any point')).toBe(true);
  });

  it('does not read doing what we configured it to do as innocence: the setting is its own', () => {
    expect(EXONERATION.test('The brokers did exactly what we had configured them to do: they deleted them.')).toBe(
      false,
    );
    expect(EXONERATION.test('the queue did exactly what we set it to do')).toBe(false);
    // Trap: doing what it was told by a person or a client is still innocence.
    expect(EXONERATION.test('The broker did exactly what it was told.')).toBe(true);
  });

  it('reads serving what was asked of it as innocence, and doing what it is documented to do as its mechanism', () => {
    expect(EXONERATION.test('the database replicas did what was asked of them; they were never sized for it')).toBe(
      true,
    );
    expect(EXONERATION.test('Kafka did exactly what it is documented to do.')).toBe(false);
    expect(EXONERATION.test('Every component did exactly what it is specified to do.')).toBe(false);
  });
});

describe('attribution round 19: a check of the technology that found it healthy', () => {
  it('reads a zero lag, a volume under half full and no waiting locks as health readings', () => {
    expect(healthReadingIn('replication lag 0, its data volume at 41%')).toBe(true);
    expect(healthReadingIn('no locks waiting, evictions 0')).toBe(true);
    // Traps: a lag of 0.5 s is a figure, not a zero, and locks waiting is a failure.
    expect(healthReadingIn('replication lag 0.5 s and rising')).toBe(false);
    expect(healthReadingIn('40 locks waiting on the orders table')).toBe(false);
  });

  it('reads "Checked X: <healthy readings>" as clearing X, and a check that found a fault as no clearance', () => {
    const healthy = 'Checked the PostgreSQL primary: connections 140 of 500, no locks waiting, replication lag 0.';
    expect(assessMention(matcher, healthy, 'PostgreSQL', 'summary').context).toBe('negated');
    const faulty = 'Checked the PostgreSQL primary: 40 locks waiting behind one ALTER TABLE.';
    expect(assessMention(matcher, faulty, 'PostgreSQL', 'summary').context).toBeNull();
  });
});

describe('attribution round 19: the guard on an alert', () => {
  it("does not let a cause stand on a monitoring alert's line", () => {
    const source = [
      '# Reporting lag',
      '',
      '## Timeline',
      '',
      '- 10:02 TRIGGERED replication lag over 300 s on the MySQL reporting replica, which failed to keep up',
      '- 10:40 the provider confirmed a degraded volume under the host',
      '',
    ].join('\n');
    expect(guardedCausesOf(matcher, source)).toEqual([]);
  });
});

describe('attribution round 19: the guard against a model that parrots every name', () => {
  it("keeps out a cause quoted from an alert's line or from a check that found the technology healthy", () => {
    // Prepare
    const postmortem = ingestInline(
      [
        '# Reporting lag',
        '',
        '## Timeline',
        '',
        '- 10:02 TRIGGERED replication lag over 300 s on the MySQL reporting replica, which failed to keep up',
        '- 10:05 Checked the PostgreSQL primary: connections 140 of 500, no locks waiting, replication lag 0.',
        '',
        '## Root cause',
        '',
        'The Redis primary ran out of memory at 10:01 and began to refuse writes, because maxmemory was set to 1 GB.',
        '',
      ].join('\n'),
      'parrot.md',
    );

    // Act
    const outcome = guardAttribution(parrotClassification(postmortem, matcher), postmortem, matcher);

    // Assess
    expect(outcome.classification.causal.map((cause) => cause.technology)).toEqual(['Redis']);
    expect(outcome.demoted.map((flag) => flag.technology).sort()).toEqual(['MySQL', 'PostgreSQL']);
  });
});
