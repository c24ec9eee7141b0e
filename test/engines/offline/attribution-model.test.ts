/**
 * The learned reading of attribution (src/engines/offline/attribution-model.ts) and the policy that
 * lets it weigh the rules (classify.ts classifyWithModel). Every document here is invented.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  attributionFeatures,
  attributionProbability,
  trainAttributionModel,
  type AttributionExample,
} from '../../../src/engines/offline/attribution-model.ts';
import { classifyByRules, classifyWithModel } from '../../../src/engines/offline/classify.ts';
import { assessTechnologies } from '../../../src/engines/offline/evidence.ts';
import { sentencesOf } from '../../../src/text/sentences.ts';
import { catalogMatcher, engineCausesOf, offlineCausesOf } from '../../support/attribution.ts';
import { ingestInline } from '../../support/postmortems.ts';

// Read once, before any test of this file (top-level await).
const matcher = await catalogMatcher();

const featuresOf = (source: string) => {
  const postmortem = ingestInline(source, 'case.md');
  const assessments = assessTechnologies(postmortem, matcher);
  const rules = new Set(classifyByRules(postmortem, matcher, assessments).causal.map((cause) => cause.technology));
  return attributionFeatures(assessments, rules, matcher, sentencesOf(postmortem, { headings: true }));
};

describe('attribution model: features', () => {
  it('reads words with every catalog name replaced, so it learns how causes are told, not products', () => {
    // Prepare
    const features = featuresOf(`# Checkout errors

## Summary

The Kafka consumers fell behind because the PostgreSQL primary ran out of connections.
`);

    // Act
    const postgres = features.get('PostgreSQL');
    const kafka = features.get('Kafka');

    // Assess: its own name is "#", another catalog name "@", and no feature holds a product's name.
    expect(postgres?.get('cb:#_primary')).toBe(1);
    expect(postgres?.get('cb:@_consumer')).toBe(1);
    expect(kafka?.has('nw:#') || kafka?.has('cw:#')).toBe(true);
    for (const vector of [postgres, kafka])
      for (const name of vector?.keys() ?? []) expect(name).not.toMatch(/kafka|postgre/i);
  });

  it('reads the unnamed sentences that go on after a naming one, within its section', () => {
    const features = featuresOf(`# Orders failed

## What happened

Orders are written to a MySQL primary. It hit its connection ceiling within a minute.

## Follow-up

Capacity review booked.
`);
    const mysql = features.get('MySQL');
    expect(mysql?.get('fw:ceil')).toBe(1);
    expect(mysql?.has('fw:capac')).toBe(false);
  });
});

describe('attribution model: training', () => {
  const examples: AttributionExample[] = [
    ...Array.from({ length: 20 }, () => ({ features: new Map([['cw:ran', 1]]), cause: true })),
    ...Array.from({ length: 20 }, () => ({ features: new Map([['nw:fine', 1]]), cause: false })),
  ];
  const options = { penalty: 0.001, rulePenaltyScale: 3, iterations: 200, rate: 0.05, minExamples: 3 };

  it('learns which words tell a cause, and the same examples give the same model', () => {
    const model = trainAttributionModel(examples, options);
    expect(attributionProbability(model, new Map([['cw:ran', 1]]))).toBeGreaterThan(0.9);
    expect(attributionProbability(model, new Map([['nw:fine', 1]]))).toBeLessThan(0.1);
    expect(trainAttributionModel(examples, options)).toEqual(model);
  });

  it('leaves out a word seen in fewer than minExamples examples, but never a rule feature', () => {
    const rare: AttributionExample[] = [
      ...examples,
      { features: new Map([['cw:once', 1]]), cause: true },
      { features: new Map([['rule:cause', 1]]), cause: true },
    ];
    const model = trainAttributionModel(rare, options);
    expect(model.weights['cw:once']).toBeUndefined();
    expect(model.weights['rule:cause']).toBeDefined();
  });

  it("leans less on the rules' verdict the heavier its penalty, and not on the words'", () => {
    // The verdict and a word say the same thing on every example: the penalty decides which carries it.
    const both: AttributionExample[] = [
      ...Array.from({ length: 20 }, () => ({
        features: new Map([
          ['rule:cause', 1],
          ['cw:ran', 1],
        ]),
        cause: true,
      })),
      ...Array.from({ length: 20 }, () => ({ features: new Map([['nw:fine', 1]]), cause: false })),
    ];
    const light = trainAttributionModel(both, { ...options, iterations: 400, rulePenaltyScale: 0.1 });
    const heavy = trainAttributionModel(both, { ...options, iterations: 400, penalty: 0.05, rulePenaltyScale: 10 });
    const lightRule = light.weights['rule:cause'] ?? 0;
    const heavyRule = heavy.weights['rule:cause'] ?? 0;
    expect(heavyRule).toBeLessThan(lightRule);
    expect(heavyRule).toBeLessThan(heavy.weights['cw:ran'] ?? 0);
  });
});

describe('attribution model: the policy', () => {
  const source = `# Search outage

## Summary

Redis is named in our title-only runbook. The Elasticsearch cluster ran out of heap and rejected every query.
The Elasticsearch team says it was not the cause and behaved correctly throughout.
`;
  const decide = (probability: number, policy = { add: 0.75, drop: 0.75 }) => {
    const postmortem = ingestInline(source, 'case.md');
    const assessments = assessTechnologies(postmortem, matcher);
    const byRules = classifyByRules(postmortem, matcher, assessments);
    return classifyWithModel(postmortem, matcher, assessments, byRules, () => probability, policy).causal.map(
      (cause) => cause.technology,
    );
  };

  it('never makes a cause of a technology with no causal mention or declared innocent, however sure the model', () => {
    const postmortem = ingestInline(source, 'case.md');
    const assessments = assessTechnologies(postmortem, matcher);
    const ineligible = assessments.filter((assessment) => assessment.candidates.length === 0 || assessment.exonerated);
    expect(ineligible.length).toBeGreaterThan(0);
    const causes = decide(1);
    for (const assessment of ineligible) expect(causes).not.toContain(assessment.technology);
  });

  it('keeps a rule cause at or above drop and takes it back below it', () => {
    const plain = `# Orders failed

## Root cause

The MySQL primary ran out of connections because every worker opened its own pool.
`;
    const postmortem = ingestInline(plain, 'case.md');
    const assessments = assessTechnologies(postmortem, matcher);
    const byRules = classifyByRules(postmortem, matcher, assessments);
    expect(byRules.causal.map((cause) => cause.technology)).toEqual(['MySQL']);
    const at = (p: number) =>
      classifyWithModel(postmortem, matcher, assessments, byRules, () => p, { add: 0.9, drop: 0.3 }).causal.length;
    expect(at(0.3)).toBe(1);
    expect(at(0.29)).toBe(0);
  });
});

describe('attribution model: the shipped model', () => {
  it('was trained on development sets only and names no product among its features', async () => {
    const model = JSON.parse(
      await readFile(new URL('../../../src/engines/offline/models/attribution.json', import.meta.url), 'utf8'),
    ) as { about: string; weights: Record<string, number> };
    expect(model.about).toMatch(/dev-a/);
    expect(model.about).not.toMatch(/golden|holdout|patterns(?!-dev)/);
    const names = matcher.catalog.technologies.flatMap((entry) => [entry.name, ...entry.aliases]);
    const words = new Set(Object.keys(model.weights).flatMap((feature) => feature.split(/[:_]/)));
    for (const name of names)
      if (/^[a-z]+$/i.test(name) && name.length > 3) expect(words.has(name.toLowerCase())).toBe(false);
  });

  it('finds a cause told plainly that the rules leave under their threshold', () => {
    const source = `# Orders failed for 40 minutes

The order service writes to PostgreSQL. At 13:05 a migration added a column with a default to the 900M-row orders table, which rewrote the table under an exclusive lock. Every insert queued behind it until the migration was cancelled.
`;
    expect(offlineCausesOf(matcher, source)).toEqual([]);
    expect(engineCausesOf(matcher, source)).toEqual(['PostgreSQL']);
  });

  it('does not blame the store the network cut off', () => {
    const source = `# Login errors

Sessions are stored in Redis. At 10:02 the network team pushed a firewall rule that dropped traffic from the app subnet to the cache subnet. Redis itself stayed up and healthy; the app could not reach it until the rule was reverted at 10:40.
`;
    expect(engineCausesOf(matcher, source)).toEqual([]);
  });
});
