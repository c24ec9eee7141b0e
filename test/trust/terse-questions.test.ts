/**
 * A quote from a terse line ("that's X throttling. did capacity change?") states a finding about X and
 * then asks about something else: the guard lets the finding stand. A question about X itself, asked
 * by name or by pointing back ("was it the cause?"), still stands for nothing. Every line is invented.
 */
import { describe, expect, it } from 'vitest';
import type { Classification, Postmortem } from '../../src/schemas/index.ts';
import { guardAttribution } from '../../src/trust/attribution-guard.ts';
import { catalogMatcher } from '../support/attribution.ts';
import { emptyClassification, parrotClassification } from '../support/classification.ts';
import { ingestInline } from '../support/postmortems.ts';

// Read once, before any test of this file (top-level await).
const matcher = await catalogMatcher();

const LINES = [
  'Tomás Ruiz, 15:12: checkout errors on the orders table since 14:50, conversion down 30%',
  "Ana Lindqvist, 15:13: that's DynamoDB throttling on the orders table. did capacity change?",
  'Tomás Ruiz, 15:14: we checked the Redis session cache. was it the cause?',
  'Ana Lindqvist, 15:15: is Kafka lagging on the order topic?',
];

function thread(): Postmortem {
  return ingestInline(['Incident room export', '', ...LINES, ''].join('\n'), 'thread.txt');
}

function citing(postmortem: Postmortem, technology: string, quote: string): Classification {
  const classification = emptyClassification(postmortem.id);
  // The role a careful model would write: the finding, in the quote's words.
  const role = quote.split(/[.?]/)[0] ?? quote;
  classification.causal.push({ technology, role, evidence: [quote], confidence: 0.9 });
  return classification;
}

const reasonFor = (technology: string, quote: string): string | undefined => {
  const postmortem = thread();
  const outcome = guardAttribution(citing(postmortem, technology, quote), postmortem, matcher);
  return outcome.classification.flags.find((flag) => flag.technology === technology)?.reason;
};

describe('questions in terse lines', () => {
  it('keeps a finding followed by a question about something else', () => {
    // Act
    const postmortem = thread();
    const quote = "that's DynamoDB throttling on the orders table. did capacity change?";
    const outcome = guardAttribution(citing(postmortem, 'DynamoDB', quote), postmortem, matcher);

    // Assess
    expect(outcome.classification.causal.map((cause) => cause.technology)).toEqual(['DynamoDB']);
    expect(outcome.demoted).toEqual([]);
  });

  it('demotes a question that points back at the name, or asks about it by name', () => {
    expect(reasonFor('Redis', 'we checked the Redis session cache. was it the cause?')).toMatch(/question/);
    expect(reasonFor('Kafka', 'is Kafka lagging on the order topic?')).toMatch(/question/);
  });

  it('with the parrot model, keeps only the cause a line states as a finding', () => {
    // Prepare: every name of the thread claimed as a cause, quoting its line, the line as its role.
    const postmortem = thread();

    // Act
    const outcome = guardAttribution(parrotClassification(postmortem, matcher), postmortem, matcher);

    // Assess
    expect(outcome.classification.causal.map((cause) => cause.technology)).toEqual(['DynamoDB']);
    expect(outcome.demoted.map((flag) => flag.technology).sort()).toEqual(['Kafka', 'Redis']);
  });
});
