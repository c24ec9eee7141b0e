/**
 * A learned "same mechanism" reading of two incidents, for the incidents no named mechanism takes:
 * features of the pair that do not depend on who wrote the documents (how much of their rare
 * vocabulary they share, in the causes and overall, in the language of mechanisms, in two-word
 * phrases, how near each is to the other among its neighbours, whether they fail the same way or in
 * the same technology), weighed by a logistic regression trained on the labelled themes of the
 * development sets, and grouped by average linkage, which does not chain: a group joins another only
 * when its members pair, on average, with the other's members.
 *
 * Not wired into the fold: bench/theme-transfer.ts measures it by leave one set out against the
 * similarity fallback, and it found more themes (recall 0.625 against 0.384 with the fallback's
 * threshold chosen per fold) but no purer patterns (precision 0.361 against 0.398).
 */
import type { FaultCategory } from '../src/schemas/index.ts';
import type { FoldIncident } from '../src/engines/engine.ts';
import { contentWordsOf } from '../src/text/words.ts';
import { MECHANISM_VOCABULARY, readMechanism } from '../src/engines/offline/mechanisms.ts';
import { adamMoments, adamStep } from '../src/engines/offline/adam.ts';

/** An incident the pair model reads: the incident, and its weighted words (fold.ts wordsOf). */
export interface PairIncident {
  incident: FoldIncident;
  words: ReadonlyMap<string, number>;
}

export const PAIR_FEATURES = [
  'cosine',
  'causeCosine',
  'vocabularyCosine',
  'sharedRareWords',
  'rarestShared',
  'samePrimary',
  'shareCategory',
  'cosineSameCategory',
  'sharedTechnology',
  'bothWithoutTechnology',
  'sameMechanism',
  'sharedFactors',
  'bestRank',
  'mutualRank',
  'causePhraseCosine',
] as const;
export type PairFeature = (typeof PAIR_FEATURES)[number];

export interface PairModel {
  /** The feature names, in the order of `weights`. */
  features: string[];
  /** Standardisation of each feature before its weight: (value - mean) / scale. */
  means: number[];
  scales: number[];
  weights: number[];
  bias: number;
  /** Average linkage joins two groups while their mean pair probability is at least this. */
  threshold: number;
}

/** Words shared by more than this share of the incidents say nothing about a mechanism. */
const COMMON_WORD_SHARE = 0.2;

/** What the pair features read of a corpus, computed once. */
export interface PairCorpus {
  items: readonly PairIncident[];
  /** Per incident, its rare words weighted by idf (all sentences). */
  rare: Array<Map<string, number>>;
  /** Per incident, its rare cause-sentence words weighted by idf. */
  causes: Array<Map<string, number>>;
  /** Per incident, its rare words in the language of mechanisms. */
  vocabulary: Array<Map<string, number>>;
  idf: (word: string) => number;
  maxIdf: number;
  mechanisms: Array<string | undefined>;
  /** Pairs [i, j] (i < j) sharing at least one rare word: the only pairs that may join. */
  candidates: Array<readonly [number, number]>;
  /** Per candidate pair (key i * n + j), the rank of j among i's candidates by cosine and of i among j's (1: nearest). */
  ranks: Map<number, readonly [number, number]>;
  /** Per incident, the rare two-word phrases of its cause sentences weighted by idf. */
  phrases: Array<Map<string, number>>;
}

/** Consecutive content-word stems of each sentence, as "left right". */
function phrasesOf(sentences: readonly string[], excluded: ReadonlySet<string>): Set<string> {
  const phrases = new Set<string>();
  for (const sentence of sentences) {
    const stems = [...contentWordsOf(sentence)].filter((word) => !excluded.has(word));
    for (let index = 1; index < stems.length; index += 1) phrases.add(`${stems[index - 1]} ${stems[index]}`);
  }
  return phrases;
}

function norm(vector: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const value of vector.values()) total += value * value;
  return Math.sqrt(total);
}

function cosine(left: ReadonlyMap<string, number>, right: ReadonlyMap<string, number>): number {
  const [small, large] = left.size <= right.size ? [left, right] : [right, left];
  let dot = 0;
  for (const [word, value] of small) {
    const other = large.get(word);
    if (other !== undefined) dot += value * other;
  }
  const denominator = norm(left) * norm(right);
  return denominator === 0 ? 0 : dot / denominator;
}

/** Reads the corpus once: document frequencies, each incident's rare words, mechanisms and candidate pairs. */
export function preparePairCorpus(items: readonly PairIncident[], excluded: ReadonlySet<string>): PairCorpus {
  const frequency = new Map<string, number>();
  for (const item of items) for (const word of item.words.keys()) frequency.set(word, (frequency.get(word) ?? 0) + 1);
  const ceiling = Math.max(3, Math.floor(items.length * COMMON_WORD_SHARE));
  const idf = (word: string) => Math.log((items.length + 1) / (frequency.get(word) ?? 1));
  const isRare = (word: string) => (frequency.get(word) ?? 0) <= ceiling;
  const rare = items.map(
    (item) =>
      new Map([...item.words].filter(([word]) => isRare(word)).map(([word, weight]) => [word, weight * idf(word)])),
  );
  const causes = items.map(({ incident }) => {
    const words = new Map<string, number>();
    for (const sentence of incident.sentences.slice(0, Math.max(1, incident.causeSentences)))
      for (const word of contentWordsOf(sentence))
        if (!excluded.has(word) && isRare(word) && frequency.has(word)) words.set(word, idf(word));
    return words;
  });
  const vocabulary = rare.map((words) => new Map([...words].filter(([word]) => MECHANISM_VOCABULARY.has(word))));
  const mechanisms = items.map(({ incident }) => readMechanism(incident.sentences, undefined, incident)?.mechanism.id);
  const postings = new Map<string, number[]>();
  const candidates: Array<readonly [number, number]> = [];
  for (const [index, words] of rare.entries()) {
    const seen = new Set<number>();
    for (const word of words.keys()) for (const other of postings.get(word) ?? []) seen.add(other);
    for (const other of [...seen].sort((left, right) => left - right)) candidates.push([other, index]);
    for (const word of words.keys()) (postings.get(word) ?? postings.set(word, []).get(word))?.push(index);
  }
  // Each incident's candidates ranked by cosine: how near a pair is, relative to what else each has.
  const near = items.map(() => [] as Array<[number, number]>);
  for (const [left, right] of candidates) {
    const similarity = cosine(rare[left] ?? new Map(), rare[right] ?? new Map());
    near[left]?.push([right, similarity]);
    near[right]?.push([left, similarity]);
  }
  const rankOf = near.map(
    (list) =>
      new Map(
        list
          .sort((first, second) => second[1] - first[1] || first[0] - second[0])
          .map(([other], position) => [other, position + 1]),
      ),
  );
  const ranks = new Map<number, readonly [number, number]>();
  for (const [left, right] of candidates)
    ranks.set(left * items.length + right, [
      rankOf[left]?.get(right) ?? Infinity,
      rankOf[right]?.get(left) ?? Infinity,
    ]);
  const causePhrases = items.map(({ incident }) =>
    phrasesOf(incident.sentences.slice(0, Math.max(1, incident.causeSentences)), excluded),
  );
  const phraseFrequency = new Map<string, number>();
  for (const phrases of causePhrases)
    for (const phrase of phrases) phraseFrequency.set(phrase, (phraseFrequency.get(phrase) ?? 0) + 1);
  const phrases = causePhrases.map(
    (own) =>
      new Map(
        [...own]
          .filter((phrase) => (phraseFrequency.get(phrase) ?? 0) <= ceiling)
          .map((phrase) => [phrase, Math.log((items.length + 1) / (phraseFrequency.get(phrase) ?? 1))]),
      ),
  );
  return {
    items,
    rare,
    causes,
    vocabulary,
    idf,
    maxIdf: Math.log(items.length + 1),
    mechanisms,
    candidates,
    ranks,
    phrases,
  };
}

/** The features of the pair (left, right) of a prepared corpus, in PAIR_FEATURES order. */
export function pairFeatures(corpus: PairCorpus, left: number, right: number): number[] {
  const a = corpus.items[left]?.incident as FoldIncident;
  const b = corpus.items[right]?.incident as FoldIncident;
  const rareA = corpus.rare[left] ?? new Map<string, number>();
  const rareB = corpus.rare[right] ?? new Map<string, number>();
  let shared = 0;
  let rarest = 0;
  for (const word of rareA.keys())
    if (rareB.has(word)) {
      shared += 1;
      rarest = Math.max(rarest, corpus.idf(word));
    }
  const all = cosine(rareA, rareB);
  const own = new Set<FaultCategory>(
    [a.faultCategory, a.faultSecondary].filter(
      (category): category is FaultCategory => category !== null && category !== 'unknown',
    ),
  );
  const shareCategory = [b.faultCategory, b.faultSecondary].some((category) => category !== null && own.has(category));
  const technologies = new Set(a.technologies);
  const factorsA = new Set(a.contributingFactors);
  const factorUnion = new Set([...a.contributingFactors, ...b.contributingFactors]);
  const mechanismA = corpus.mechanisms[left];
  const [rankA, rankB] = corpus.ranks.get(left * corpus.items.length + right) ?? [Infinity, Infinity];
  const values: Record<PairFeature, number> = {
    cosine: all,
    causeCosine: cosine(corpus.causes[left] ?? new Map(), corpus.causes[right] ?? new Map()),
    vocabularyCosine: cosine(corpus.vocabulary[left] ?? new Map(), corpus.vocabulary[right] ?? new Map()),
    sharedRareWords: Math.log1p(shared),
    rarestShared: corpus.maxIdf === 0 ? 0 : rarest / corpus.maxIdf,
    samePrimary: a.faultCategory === b.faultCategory && a.faultCategory !== 'unknown' ? 1 : 0,
    shareCategory: shareCategory ? 1 : 0,
    cosineSameCategory: shareCategory ? all : 0,
    sharedTechnology: b.technologies.some((technology) => technologies.has(technology)) ? 1 : 0,
    bothWithoutTechnology: a.technologies.length === 0 && b.technologies.length === 0 ? 1 : 0,
    sameMechanism: mechanismA !== undefined && mechanismA === corpus.mechanisms[right] ? 1 : 0,
    sharedFactors:
      factorUnion.size === 0
        ? 0
        : b.contributingFactors.filter((factor) => factorsA.has(factor)).length / factorUnion.size,
    bestRank: 1 / Math.min(rankA, rankB),
    mutualRank: 1 / Math.max(rankA, rankB),
    causePhraseCosine: cosine(corpus.phrases[left] ?? new Map(), corpus.phrases[right] ?? new Map()),
  };
  return PAIR_FEATURES.map((feature) => values[feature]);
}

/** The model's probability that a pair with these features shares a mechanism. */
export function pairProbability(model: PairModel, features: readonly number[]): number {
  let score = model.bias;
  for (const [index, weight] of model.weights.entries())
    score += (weight * ((features[index] ?? 0) - (model.means[index] ?? 0))) / (model.scales[index] || 1);
  return 1 / (1 + Math.exp(-score));
}

export interface PairExample {
  features: readonly number[];
  same: boolean;
}

export interface PairTrainingOptions {
  iterations: number;
  rate: number;
  /** L2 penalty on the (standardised) weights. */
  penalty: number;
  /** Weigh the positive pairs up to this share of the total weight (they are rare). */
  positiveShare: number;
}

export const PAIR_TRAINING: PairTrainingOptions = { iterations: 400, rate: 0.05, penalty: 0.01, positiveShare: 0.25 };

/**
 * Fits the logistic regression by full-batch Adam from zero weights: deterministic, the same
 * examples in the same order give the same model. `threshold` is stored as given.
 */
export function trainPairModel(
  examples: readonly PairExample[],
  threshold: number,
  options: PairTrainingOptions = PAIR_TRAINING,
): PairModel {
  const size = PAIR_FEATURES.length;
  const means = new Array<number>(size).fill(0);
  const scales = new Array<number>(size).fill(0);
  for (const example of examples)
    for (let index = 0; index < size; index += 1) means[index] = (means[index] ?? 0) + (example.features[index] ?? 0);
  for (let index = 0; index < size; index += 1) means[index] = (means[index] ?? 0) / Math.max(1, examples.length);
  for (const example of examples)
    for (let index = 0; index < size; index += 1)
      scales[index] = (scales[index] ?? 0) + ((example.features[index] ?? 0) - (means[index] ?? 0)) ** 2;
  for (let index = 0; index < size; index += 1)
    scales[index] = Math.sqrt((scales[index] ?? 0) / Math.max(1, examples.length)) || 1;
  const positives = examples.filter((example) => example.same).length;
  const negatives = examples.length - positives;
  const positiveWeight = positives === 0 ? 0 : options.positiveShare / positives;
  const negativeWeight = negatives === 0 ? 0 : (1 - options.positiveShare) / negatives;
  const rows = examples.map((example) => ({
    x: example.features.map((value, index) => (value - (means[index] ?? 0)) / (scales[index] ?? 1)),
    y: example.same ? 1 : 0,
    w: example.same ? positiveWeight : negativeWeight,
  }));
  const weights = new Float64Array(size + 1);
  const moments = adamMoments(size + 1);
  for (let iteration = 1; iteration <= options.iterations; iteration += 1) {
    const gradient = new Float64Array(size + 1);
    for (const row of rows) {
      let score = weights[size] ?? 0;
      for (let index = 0; index < size; index += 1) score += (weights[index] ?? 0) * (row.x[index] ?? 0);
      const delta = (1 / (1 + Math.exp(-score)) - row.y) * row.w;
      for (let index = 0; index < size; index += 1)
        gradient[index] = (gradient[index] ?? 0) + delta * (row.x[index] ?? 0);
      gradient[size] = (gradient[size] ?? 0) + delta;
    }
    for (let index = 0; index < size; index += 1)
      gradient[index] = (gradient[index] ?? 0) + options.penalty * (weights[index] ?? 0);
    adamStep(weights, gradient, moments, options.rate, iteration);
  }
  const round = (value: number) => Math.round(value * 1e5) / 1e5;
  return {
    features: [...PAIR_FEATURES],
    means: means.map(round),
    scales: scales.map(round),
    weights: Array.from(weights.subarray(0, size), round),
    bias: round(weights[size] ?? 0),
    threshold,
  };
}

/** Every candidate pair's probability, keyed by "i,j" (i < j). */
export function pairProbabilities(corpus: PairCorpus, model: PairModel): Map<number, Map<number, number>> {
  const links = new Map<number, Map<number, number>>();
  for (const [left, right] of corpus.candidates) {
    const probability = pairProbability(model, pairFeatures(corpus, left, right));
    (links.get(left) ?? links.set(left, new Map()).get(left))?.set(right, probability);
    (links.get(right) ?? links.set(right, new Map()).get(right))?.set(left, probability);
  }
  return links;
}

/**
 * Average linkage over the pair probabilities (a pair that is no candidate counts 0): the two
 * groups with the highest mean probability over their member pairs join while it is at least
 * `threshold`. Deterministic: ties go to the lower indices. Returns groups of indices.
 */
export function averageLinkage(
  count: number,
  links: ReadonlyMap<number, ReadonlyMap<number, number>>,
  threshold: number,
  linkage: 'average' | 'complete' = 'average',
): number[][] {
  if (linkage === 'complete') return completeLinkage(count, links, threshold);
  const members = new Map<number, number[]>();
  // Sum of pair probabilities between two live groups, keyed by group (the lowest member index).
  const sums = new Map<number, Map<number, number>>();
  for (let index = 0; index < count; index += 1) {
    members.set(index, [index]);
    sums.set(index, new Map(links.get(index) ?? []));
  }
  for (;;) {
    let best: [number, number] | undefined;
    let bestScore = threshold;
    for (const [left, row] of sums) {
      const size = members.get(left)?.length ?? 1;
      for (const [right, sum] of row) {
        if (right <= left) continue;
        const score = sum / (size * (members.get(right)?.length ?? 1));
        if (score > bestScore || (score === bestScore && best === undefined)) {
          best = [left, right];
          bestScore = score;
        }
      }
    }
    if (!best) break;
    const [keep, gone] = best;
    members.set(keep, [...(members.get(keep) ?? []), ...(members.get(gone) ?? [])]);
    members.delete(gone);
    const keptRow = sums.get(keep) ?? new Map<number, number>();
    const goneRow = sums.get(gone) ?? new Map<number, number>();
    sums.delete(gone);
    keptRow.delete(gone);
    for (const [other, sum] of goneRow) {
      if (other === keep) continue;
      keptRow.set(other, (keptRow.get(other) ?? 0) + sum);
      const otherRow = sums.get(other);
      if (!otherRow) continue;
      otherRow.delete(gone);
      otherRow.set(keep, (otherRow.get(keep) ?? 0) + sum);
    }
  }
  return [...members.values()].map((group) => group.sort((left, right) => left - right));
}

/** Complete linkage: two groups join while every pair across them has at least `threshold`. */
function completeLinkage(
  count: number,
  links: ReadonlyMap<number, ReadonlyMap<number, number>>,
  threshold: number,
): number[][] {
  const members = new Map<number, number[]>();
  const lows = new Map<number, Map<number, number>>();
  for (let index = 0; index < count; index += 1) {
    members.set(index, [index]);
    lows.set(index, new Map([...(links.get(index) ?? [])].filter(([, value]) => value >= threshold)));
  }
  for (;;) {
    let best: [number, number] | undefined;
    let bestScore = threshold;
    for (const [left, row] of lows)
      for (const [right, low] of row) {
        if (right <= left) continue;
        if (low > bestScore || (low === bestScore && best === undefined)) {
          best = [left, right];
          bestScore = low;
        }
      }
    if (!best) break;
    const [keep, gone] = best;
    members.set(keep, [...(members.get(keep) ?? []), ...(members.get(gone) ?? [])]);
    members.delete(gone);
    const keptRow = lows.get(keep) ?? new Map<number, number>();
    const goneRow = lows.get(gone) ?? new Map<number, number>();
    lows.delete(gone);
    keptRow.delete(gone);
    for (const [other, low] of [...keptRow]) {
      const theirs = goneRow.get(other);
      const otherRow = lows.get(other);
      otherRow?.delete(gone);
      if (theirs === undefined) {
        keptRow.delete(other);
        otherRow?.delete(keep);
      } else {
        keptRow.set(other, Math.min(low, theirs));
        otherRow?.set(keep, Math.min(low, theirs));
      }
    }
    for (const other of goneRow.keys()) lows.get(other)?.delete(gone);
  }
  return [...members.values()].map((group) => group.sort((left, right) => left - right));
}

/** The incidents grouped by the pair model: average linkage at the model's threshold. */
export function groupByPairModel<T extends PairIncident>(
  items: readonly T[],
  model: PairModel,
  excluded: ReadonlySet<string>,
): T[][] {
  const corpus = preparePairCorpus(items, excluded);
  return averageLinkage(items.length, pairProbabilities(corpus, model), model.threshold).map((group) =>
    group.map((index) => items[index] as T),
  );
}
