/**
 * A learned second reading of attribution: a binary logistic model over each named technology of a
 * document, trained by bench/train-attribution.ts from the development sets only (never golden/, a
 * holdout or a pattern golden set). It reads what the rules of evidence.ts found (the technology's
 * weighed evidence, every context its mentions were read in, how it stands against the other
 * technologies) and the words of the sentences that tell it, with each catalog name replaced by a
 * placeholder, so that what it learns is how postmortems speak of a cause, never a product.
 *
 * The rules stay the first reading (their verdict is the model's strongest feature); classify.ts
 * decides with the model's probability under ATTRIBUTION_POLICY, and only for a technology with a
 * mention read in a causal role.
 */
import { z } from 'zod';
import type { TechnologyMatcher } from '../../catalog/index.ts';
import type { MentionContext } from '../../schemas/index.ts';
import type { SourceSentence } from '../../text/sentences.ts';
import { stemOf } from '../../text/words.ts';
import { adamMoments, adamStep } from './adam.ts';
import type { TechnologyAssessment } from './evidence.ts';

export const AttributionModel = z.object({
  /** What the model was trained on and how it was measured (leave one set out), for people. */
  about: z.string(),
  bias: z.number(),
  weights: z.record(z.string(), z.number()),
});
export type AttributionModel = z.infer<typeof AttributionModel>;

/** A feature vector: feature name → value (absent features are 0). */
export type AttributionFeatures = Map<string, number>;

const CONTEXTS: readonly MentionContext[] = [
  'negated',
  'victim',
  'upstream-provider',
  'action-item',
  'background',
  'link',
  'resolution-only',
  'other',
  'title',
];

const WORD = /[a-z][a-z0-9]*|[#@]/g;
/** Words under three letters kept all the same: a negation, short verbs and prepositions, the placeholders. */
const KEPT_SHORT = new Set(['no', 'is', 'it', 'to', 'by', 'of', 'on', 'in', 'up', '#', '@']);

/** The tokens of a sentence with the technology's own names as "#" and every other catalog name as "@". */
function tokensOf(text: string, technology: string, matcher: TechnologyMatcher): string[] {
  let marked = '';
  let at = 0;
  for (const span of matcher.find(text)) {
    marked += `${text.slice(at, span.start)} ${span.technology === technology ? '#' : '@'} `;
    at = span.end;
  }
  marked += text.slice(at);
  const tokens: string[] = [];
  for (const word of marked.toLowerCase().match(WORD) ?? []) {
    if (word.length < 3 && !KEPT_SHORT.has(word)) continue;
    tokens.push(stemOf(word));
  }
  return tokens;
}

/** How many unnamed sentences after a naming one are read as going on about it. */
const FOLLOWING = 2;

/** How many tokens either side of the technology's name a window feature reads. */
const WINDOW = 4;

function addWords(features: AttributionFeatures, prefix: string, tokens: readonly string[]): void {
  for (const [position, token] of tokens.entries()) {
    const unigram = `${prefix}w:${token}`;
    features.set(unigram, 1);
    const next = tokens[position + 1];
    if (next !== undefined) {
      const bigram = `${prefix}b:${token}_${next}`;
      features.set(bigram, 1);
    }
  }
}

/**
 * The features of each assessed technology: rule evidence (scaled to about 0..1) and the words of
 * the sentences naming it (and of the words near each name), as presence.
 */
export function attributionFeatures(
  assessments: readonly TechnologyAssessment[],
  ruleCauses: ReadonlySet<string>,
  matcher: TechnologyMatcher,
  sentences: readonly SourceSentence[] = [],
  /** Only these technologies (the others' vectors are not built); all by default. */
  wanted?: ReadonlySet<string>,
): Map<string, AttributionFeatures> {
  const byIndex = new Map(sentences.map((sentence) => [sentence.index, sentence]));
  const best = Math.max(0, ...assessments.map((assessment) => assessment.score));
  const result = new Map<string, AttributionFeatures>();
  const ranked = [...assessments].sort((left, right) => right.score - left.score);
  for (const assessment of assessments) {
    if (wanted && !wanted.has(assessment.technology)) continue;
    const features: AttributionFeatures = new Map();
    const set = (name: string, value: number) => {
      if (value !== 0) features.set(name, value);
    };
    const weights = assessment.candidates.map((mention) => mention.weight);
    set('rule:cause', ruleCauses.has(assessment.technology) ? 1 : 0);
    set('rule:score', Math.max(-1, Math.min(3, assessment.score / 3)));
    set('rule:best', Math.min(2, Math.max(0, ...weights) / 3));
    set('rule:candidates', Math.min(5, assessment.candidates.length) / 5);
    set('rule:strong', Math.min(3, weights.filter((weight) => weight >= 1.5).length) / 3);
    set('rule:share', best > 0 ? Math.max(0, assessment.score) / best : 0);
    set('rule:top', ranked[0]?.technology === assessment.technology && assessment.score > 0 ? 1 : 0);
    set('rule:exonerated', assessment.exonerated ? 1 : 0);
    set('rule:inTitle', assessment.inTitle ? 1 : 0);
    set('doc:named', Math.min(6, assessments.length) / 6);
    set('doc:sole', assessments.length === 1 ? 1 : 0);
    set('doc:ruleCauses', Math.min(3, ruleCauses.size) / 3);
    set('doc:otherRuleCause', [...ruleCauses].some((technology) => technology !== assessment.technology) ? 1 : 0);
    for (const context of CONTEXTS) {
      const count = assessment.nonCausal.filter((mention) => mention.context === context).length;
      set(`ctx:${context}`, Math.min(3, count) / 3);
    }
    const roles = new Set(assessment.candidates.map((mention) => mention.sentence.role));
    for (const role of roles) set(`role:${role}`, 1);
    for (const mention of [...assessment.candidates, ...assessment.nonCausal]) {
      const tokens = tokensOf(mention.sentence.text, assessment.technology, matcher);
      const prefix = mention.context === null ? 'c' : 'n';
      addWords(features, prefix, tokens);
      for (const [position, token] of tokens.entries()) {
        if (token !== '#') continue;
        const near = tokens.slice(Math.max(0, position - WINDOW), position + WINDOW + 1);
        addWords(features, 'near', near);
      }
    }
    // The sentences right after a naming one, in its section, that name no technology: where a cause told
    // once by name goes on ("The table ... . Its TTL attribute was ...").
    const followers = new Set<number>();
    for (const mention of [...assessment.candidates, ...assessment.nonCausal]) {
      for (let step = 1; step <= FOLLOWING; step += 1) {
        const next = byIndex.get(mention.sentence.index + step);
        if (!next || next.sectionIndex !== mention.sentence.sectionIndex || matcher.find(next.text).length > 0) break;
        followers.add(next.index);
      }
    }
    for (const index of followers)
      addWords(features, 'f', tokensOf(byIndex.get(index)?.text ?? '', assessment.technology, matcher));
    result.set(assessment.technology, features);
  }
  return result;
}

/** Each model's weights as a Map, built once: a lookup in an 18,000-key object is slower. */
const weightMaps = new WeakMap<AttributionModel, Map<string, number>>();

/** The model's probability that the technology is a cause. */
export function attributionProbability(model: AttributionModel, features: AttributionFeatures): number {
  let weights = weightMaps.get(model);
  if (!weights) {
    weights = new Map(Object.entries(model.weights));
    weightMaps.set(model, weights);
  }
  let total = model.bias;
  for (const [name, value] of features) {
    const weight = weights.get(name);
    if (weight !== undefined) total += weight * value;
  }
  return 1 / (1 + Math.exp(-total));
}

export interface AttributionExample {
  features: AttributionFeatures;
  cause: boolean;
}

export interface AttributionTraining {
  /** L2 penalty on word weights. */
  penalty: number;
  /**
   * The rule features' penalty as a multiple of `penalty`. The rules were tuned on the very sets the
   * model trains on, so their verdicts look more reliable there than on a new author's text; a
   * heavier penalty keeps the model from leaning on them (bench/train-attribution.ts).
   */
  rulePenaltyScale: number;
  iterations: number;
  rate: number;
  /** A word feature enters the model when this many training examples have it. */
  minExamples: number;
}

/** Fits the model by full-batch Adam on the log-likelihood. Deterministic for the same examples in the same order. */
export function trainAttributionModel(
  examples: readonly AttributionExample[],
  options: AttributionTraining,
  about = '',
): AttributionModel {
  const frequency = new Map<string, number>();
  for (const example of examples)
    for (const name of example.features.keys()) frequency.set(name, (frequency.get(name) ?? 0) + 1);
  const names = [...frequency.entries()]
    .filter(([name, count]) => count >= options.minExamples || isRuleFeature(name))
    .map(([name]) => name)
    .sort();
  const index = new Map(names.map((name, position) => [name, position]));
  const rows = examples.map((example) => ({
    cells: [...example.features.entries()].flatMap(([name, value]) => {
      const position = index.get(name);
      return position === undefined ? [] : [[position, value] as const];
    }),
    target: example.cause ? 1 : 0,
  }));
  const penalties = Float64Array.from(names, (name) =>
    isRuleFeature(name) ? options.penalty * options.rulePenaltyScale : options.penalty,
  );
  const weights = new Float64Array(names.length + 1); // the last is the bias
  const moments = adamMoments(weights.length);
  const count = Math.max(1, rows.length);
  for (let iteration = 1; iteration <= options.iterations; iteration += 1) {
    const gradient = new Float64Array(weights.length);
    for (const row of rows) {
      let total = weights[names.length] ?? 0;
      for (const [position, value] of row.cells) total += (weights[position] ?? 0) * value;
      const delta = (1 / (1 + Math.exp(-total)) - row.target) / count;
      for (const [position, value] of row.cells) gradient[position] = (gradient[position] ?? 0) + delta * value;
      gradient[names.length] = (gradient[names.length] ?? 0) + delta;
    }
    for (let position = 0; position < names.length; position += 1)
      gradient[position] = (gradient[position] ?? 0) + (penalties[position] ?? 0) * (weights[position] ?? 0);
    adamStep(weights, gradient, moments, options.rate, iteration);
  }
  const round = (value: number) => Math.round(value * 1e4) / 1e4;
  const result: Record<string, number> = {};
  for (const [position, name] of names.entries()) {
    const weight = round(weights[position] ?? 0);
    if (weight !== 0) result[name] = weight;
  }
  return { about, bias: round(weights[names.length] ?? 0), weights: result };
}

function isRuleFeature(name: string): boolean {
  return /^(?:rule|doc|ctx|role):/.test(name);
}
