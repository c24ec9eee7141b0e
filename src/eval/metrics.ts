import type { GoldenLabel, Thresholds } from './labels.ts';

export interface CasePrediction {
  id: string;
  causal: string[];
  /** The document's primary fault category. */
  faultCategory: string | null;
}

export interface TechnologyScore {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

export interface EvalMetrics {
  cases: number;
  microPrecision: number;
  microRecall: number;
  microF1: number;
  /** False-positive causal technologies over all predicted causal technologies. */
  attributionErrorRate: number;
  /** Cases labelled with no causal technology where none was predicted. */
  negativeAccuracy: number | null;
  /** Trap mentions (mentionedOnly) that were not predicted causal. */
  trapAvoidance: number | null;
  /** Analysed cases whose predicted primary fault category is the labelled primary or secondary. */
  faultCategoryAccuracy: number | null;
  perTechnology: Record<string, TechnologyScore>;
  errors: Array<{ id: string; falsePositives: string[]; falseNegatives: string[] }>;
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : round(numerator / denominator);
}

function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}

function f1Of(precision: number | null, recall: number | null): number | null {
  if (precision === null || recall === null) return null;
  return precision + recall === 0 ? 0 : round((2 * precision * recall) / (precision + recall));
}

/**
 * Score predictions against labels. In a lenient case the labelled causal technologies count
 * as correct whether they were predicted or not.
 */
export function scoreCases(
  labels: readonly GoldenLabel[],
  predictions: ReadonlyMap<string, CasePrediction>,
): EvalMetrics {
  const perTechnology = new Map<string, { truePositives: number; falsePositives: number; falseNegatives: number }>();
  const tally = (technology: string) => {
    let entry = perTechnology.get(technology);
    if (!entry) {
      entry = { truePositives: 0, falsePositives: 0, falseNegatives: 0 };
      perTechnology.set(technology, entry);
    }
    return entry;
  };
  let negatives = 0;
  let negativesCorrect = 0;
  let traps = 0;
  let trapsAvoided = 0;
  let categoryChecks = 0;
  let categoryCorrect = 0;
  const errors: EvalMetrics['errors'] = [];
  for (const label of labels) {
    const prediction = predictions.get(label.id);
    const predicted = new Set(prediction?.causal ?? []);
    const expected = new Set(label.causal);
    const falsePositives: string[] = [];
    const falseNegatives: string[] = [];
    for (const technology of predicted) {
      if (expected.has(technology)) tally(technology).truePositives += 1;
      else {
        tally(technology).falsePositives += 1;
        falsePositives.push(technology);
      }
    }
    for (const technology of expected) {
      if (predicted.has(technology)) continue;
      if (label.lenient) continue;
      tally(technology).falseNegatives += 1;
      falseNegatives.push(technology);
    }
    if (label.causal.length === 0 && !label.lenient) {
      negatives += 1;
      if (predicted.size === 0) negativesCorrect += 1;
    }
    for (const trap of label.mentionedOnly) {
      traps += 1;
      if (!predicted.has(trap)) trapsAvoided += 1;
    }
    if (label.faultCategory && prediction) {
      categoryChecks += 1;
      const category = prediction.faultCategory;
      if (category === label.faultCategory || (label.faultSecondary && category === label.faultSecondary))
        categoryCorrect += 1;
    }
    if (falsePositives.length > 0 || falseNegatives.length > 0)
      errors.push({ id: label.id, falsePositives, falseNegatives });
  }
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  const scores: Record<string, TechnologyScore> = {};
  for (const [technology, entry] of [...perTechnology.entries()].sort(([left], [right]) => left.localeCompare(right))) {
    truePositives += entry.truePositives;
    falsePositives += entry.falsePositives;
    falseNegatives += entry.falseNegatives;
    const precision = ratio(entry.truePositives, entry.truePositives + entry.falsePositives);
    const recall = ratio(entry.truePositives, entry.truePositives + entry.falseNegatives);
    scores[technology] = { ...entry, precision, recall, f1: f1Of(precision, recall) };
  }
  const microPrecision = ratio(truePositives, truePositives + falsePositives) ?? 1;
  const microRecall = ratio(truePositives, truePositives + falseNegatives) ?? 1;
  return {
    cases: labels.length,
    microPrecision,
    microRecall,
    microF1: f1Of(microPrecision, microRecall) ?? 0,
    attributionErrorRate: ratio(falsePositives, truePositives + falsePositives) ?? 0,
    negativeAccuracy: ratio(negativesCorrect, negatives),
    trapAvoidance: ratio(trapsAvoided, traps),
    faultCategoryAccuracy: ratio(categoryCorrect, categoryChecks),
    perTechnology: scores,
    errors,
  };
}

export interface ThresholdFailure {
  metric: string;
  value: number | null;
  limit: number;
  kind: 'min' | 'max';
}

/** Metrics that must stay at or below their threshold: error rates, and the share of one-incident patterns. */
export function isMaximum(metric: string): boolean {
  return metric.endsWith('ErrorRate') || metric === 'singletonShare';
}

export function checkThresholds(metrics: EvalMetrics, thresholds: Thresholds): ThresholdFailure[] {
  const failures: ThresholdFailure[] = [];
  for (const [metric, limit] of Object.entries(thresholds)) {
    const value = (metrics as unknown as Record<string, unknown>)[metric];
    const numeric = typeof value === 'number' ? value : null;
    const kind = isMaximum(metric) ? 'max' : 'min';
    if (numeric === null && value !== null) {
      failures.push({ metric, value: null, limit, kind });
      continue;
    }
    if (numeric === null) continue;
    if (kind === 'max' ? numeric > limit : numeric < limit) failures.push({ metric, value: numeric, limit, kind });
  }
  return failures;
}

/** How well the fold's patterns recover the labelled themes; null where the labels name no theme. */
export interface ThemeMetrics {
  /** Labelled themes (two or more members) found: one pattern holds at least two of their members, and those are at least half of the pattern's incidents. */
  themeRecall: number | null;
  /** Reported patterns of two or more incidents whose members are mostly (at least half, at least two) of one labelled theme. */
  themePrecision: number | null;
  /** Reported patterns with a single incident, over all reported patterns. */
  singletonShare: number | null;
  /** Analysed documents accounted for: in a theme, not recurring yet, no catalog technology, a duplicate counted once, or quarantined. */
  accountedShare: number | null;
}

export interface FoldedPattern {
  incidentIds: readonly string[];
}

/** The parts of a fold the theme metrics read. */
export interface FoldedCorpus {
  patterns: readonly FoldedPattern[];
  notRecurring: ReadonlyArray<{ incidentId: string }>;
  noCatalog: ReadonlyArray<{ incidentId: string }>;
  duplicates: ReadonlyArray<{ incidentId: string }>;
}

/** The counts behind themeRecall and themePrecision, for pooling over several labelled sets. */
export interface ThemeCounts {
  /** Labelled themes with two or more members. */
  themes: number;
  /** Of those, the ones one pattern holds (see ThemeMetrics.themeRecall). */
  found: number;
  /** Reported patterns of two or more incidents. */
  recurring: number;
  /** Of those, the ones mostly of one labelled theme (see ThemeMetrics.themePrecision). */
  precise: number;
}

export function themeCounts(labels: readonly GoldenLabel[], patterns: readonly FoldedPattern[]): ThemeCounts {
  const members = new Map<string, Set<string>>();
  for (const label of labels)
    for (const theme of label.themes ?? [])
      (members.get(theme) ?? members.set(theme, new Set()).get(theme))?.add(label.id);
  const themes = [...members.values()].filter((set) => set.size >= 2);
  const holds = (pattern: FoldedPattern, theme: ReadonlySet<string>) => {
    const shared = pattern.incidentIds.filter((id) => theme.has(id)).length;
    return shared >= 2 && shared * 2 >= pattern.incidentIds.length;
  };
  const recurring = patterns.filter((pattern) => pattern.incidentIds.length >= 2);
  return {
    themes: themes.length,
    found: themes.filter((theme) => patterns.some((pattern) => holds(pattern, theme))).length,
    recurring: recurring.length,
    precise: recurring.filter((pattern) => themes.some((theme) => holds(pattern, theme))).length,
  };
}

/**
 * Theme metrics of a fold: `patterns` as the fold reported them, `analysed` the documents that were
 * analysed with their causal technologies (by label id).
 */
export function scoreThemes(
  labels: readonly GoldenLabel[],
  fold: FoldedCorpus,
  analysed: ReadonlySet<string>,
  quarantined: ReadonlySet<string> = new Set(),
): ThemeMetrics {
  const { patterns } = fold;
  const counts = themeCounts(labels, patterns);
  const listed = new Set([
    ...patterns.flatMap((pattern) => pattern.incidentIds),
    ...[...fold.notRecurring, ...fold.noCatalog, ...fold.duplicates].map((entry) => entry.incidentId),
    ...quarantined,
  ]);
  const accounted = [...analysed].filter((id) => listed.has(id)).length;
  return {
    themeRecall: counts.themes === 0 ? null : ratio(counts.found, counts.themes),
    themePrecision: counts.themes === 0 ? null : ratio(counts.precise, counts.recurring),
    singletonShare: ratio(patterns.length - counts.recurring, patterns.length),
    accountedShare: ratio(accounted, analysed.size),
  };
}
