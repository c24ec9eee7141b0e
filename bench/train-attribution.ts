/**
 * Trains the offline engine's attribution model (src/engines/offline/models/attribution.json) from
 * the DEVELOPMENT sets only (by default ATTRIBUTION_MODEL_SETS, the sets the shipped model was
 * trained on; `--sets` for others), and measures it the only honest way: leave one set out. Each set is
 * scored by a model trained on the other sets, as a new author's postmortems would be, through the
 * engine's own path (classify.ts classifyWithModel, then the attribution guard); the rules alone
 * (classify + guard, as engine 17 shipped) are printed beside it on the same set. Rule figures on a
 * development set are in-sample (the rules were tuned on it); the model's are not.
 *
 *   npx tsx bench/train-attribution.ts [--sets datasets/dev-a,...] [--measure datasets/x,...]
 *                                      [--no-write] [--no-loso] [--penalty 0.001] [--rule-penalty-scale 3]
 *                                      [--errors file.json]
 *
 * `--errors` writes every leave-one-set-out error under the shipped policy (set, case, technology,
 * false or missed, the model's probability and the rules' verdict), to read the development sets'
 * errors by kind; never point it at an evaluation set.
 *
 * `--measure` scores sets with the model trained on every training set, never on them: a new
 * author's set at first contact, or a measure-only set. The last lines sweep the decision
 * threshold over the pooled leave-one-set-out probabilities.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadCatalog, TechnologyMatcher } from '../src/catalog/index.ts';
import {
  attributionFeatures,
  attributionProbability,
  trainAttributionModel,
  type AttributionExample,
  type AttributionFeatures,
  type AttributionModel,
  type AttributionTraining,
} from '../src/engines/offline/attribution-model.ts';
import {
  ATTRIBUTION_POLICY,
  classifyByRules,
  classifyWithModel,
  type AttributionPolicy,
} from '../src/engines/offline/classify.ts';
import { assessTechnologies, type TechnologyAssessment } from '../src/engines/offline/evidence.ts';
import { loadLabels } from '../src/eval/labels.ts';
import { ingestSource } from '../src/ingest/index.ts';
import type { Classification, Postmortem } from '../src/schemas/index.ts';
import { sentencesOf } from '../src/text/sentences.ts';
import { guardAttribution } from '../src/trust/attribution-guard.ts';
import { assertDevelopmentSet, ATTRIBUTION_MODEL_SETS } from './training-sets.ts';

const { values } = parseArgs({
  options: {
    sets: { type: 'string' },
    measure: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    'no-loso': { type: 'boolean', default: false },
    penalty: { type: 'string', default: '0.001' },
    'rule-penalty-scale': { type: 'string', default: '3' },
    iterations: { type: 'string', default: '300' },
    'min-examples': { type: 'string', default: '3' },
    errors: { type: 'string' },
  },
});
const sets = values.sets ? values.sets.split(',') : [...ATTRIBUTION_MODEL_SETS];
for (const set of sets) assertDevelopmentSet(set);
/** Sets scored by the model trained on every training set, never trained on. */
const measured = values.measure ? values.measure.split(',') : [];
const options: AttributionTraining = {
  penalty: Number(values.penalty),
  rulePenaltyScale: Number(values['rule-penalty-scale']),
  iterations: Number(values.iterations),
  rate: 0.05,
  minExamples: Number(values['min-examples']),
};

const matcher = new TechnologyMatcher((await loadCatalog()).catalog);

interface Case {
  set: string;
  label: { id: string; causal: string[]; lenient?: boolean };
  postmortem: Postmortem;
  assessments: TechnologyAssessment[];
  byRules: Classification;
  /** The rules' causes after the guard: what engine 17 gave. */
  rules: Set<string>;
  features: Map<string, AttributionFeatures>;
}

const cases: Case[] = [];
for (const set of [...sets, ...measured]) {
  const labels = await loadLabels(set);
  for (const label of labels) {
    const outcome = await ingestSource(await readFile(path.join(set, label.file)), label.file, label.id);
    if (!outcome.ok) throw new Error(`${set}/${label.file}: ${outcome.skipped.reason}`);
    const postmortem = outcome.postmortem;
    const assessments = assessTechnologies(postmortem, matcher);
    const byRules = classifyByRules(postmortem, matcher, assessments);
    const ruleCauses = new Set(byRules.causal.map((cause) => cause.technology));
    const guarded = guardAttribution(byRules, postmortem, matcher).classification;
    cases.push({
      set,
      label,
      postmortem,
      assessments,
      byRules,
      rules: new Set(guarded.causal.map((cause) => cause.technology)),
      features: attributionFeatures(assessments, ruleCauses, matcher, sentencesOf(postmortem, { headings: true })),
    });
  }
}

/** Training examples: every named technology of every case, but a lenient case's labelled causes. */
function examplesOf(training: readonly Case[]): AttributionExample[] {
  return training.flatMap((item) =>
    [...item.features.entries()]
      .filter(([technology]) => !(item.label.lenient && item.label.causal.includes(technology)))
      .map(([technology, features]) => ({ features, cause: item.label.causal.includes(technology) })),
  );
}

interface Tally {
  tp: number;
  fp: number;
  fn: number;
}
const none = (): Tally => ({ tp: 0, fp: 0, fn: 0 });
const sum = (left: Tally, right: Tally): Tally => ({
  tp: left.tp + right.tp,
  fp: left.fp + right.fp,
  fn: left.fn + right.fn,
});
const figures = ({ tp, fp, fn }: Tally) => {
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return `P ${precision.toFixed(3)} R ${recall.toFixed(3)} F1 ${f1.toFixed(3)} (${fp} fp, ${fn} fn)`;
};
/** What a prediction got wrong, as `pmlens eval` counts it: a lenient case's missing cause is no miss. */
function mistakes(item: Case, predicted: ReadonlySet<string>): { falseCauses: string[]; missed: string[] } {
  return {
    falseCauses: [...predicted].filter((technology) => !item.label.causal.includes(technology)),
    missed: item.label.lenient ? [] : item.label.causal.filter((technology) => !predicted.has(technology)),
  };
}
function score(item: Case, predicted: ReadonlySet<string>): Tally {
  const { falseCauses, missed } = mistakes(item, predicted);
  return { tp: predicted.size - falseCauses.length, fp: falseCauses.length, fn: missed.length };
}
/** The engine's causes with the model: classifyWithModel, then the guard, as the classify stage runs them. */
function predicted(item: Case, model: AttributionModel, policy: AttributionPolicy): Set<string> {
  const probability = (technology: string) => {
    const vector = item.features.get(technology);
    return vector ? attributionProbability(model, vector) : 0;
  };
  const decided = classifyWithModel(item.postmortem, matcher, item.assessments, item.byRules, probability, policy);
  return new Set(guardAttribution(decided, item.postmortem, matcher).classification.causal.map((c) => c.technology));
}

/** The policies the grid compares: one threshold for every technology, and rules kept below a higher add. */
const POLICIES: AttributionPolicy[] = [
  ...[0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85].map((threshold) => ({ add: threshold, drop: threshold })),
  ...[0.6, 0.7, 0.8, 0.9].flatMap((add) => [0.05, 0.2, 0.4].map((drop) => ({ add, drop }))),
];
const nameOf = (policy: AttributionPolicy) => `add ${policy.add} drop ${policy.drop}`;
const pooled = new Map<string, Tally>(POLICIES.map((policy) => [nameOf(policy), none()]));
/** Leave-one-set-out errors under the shipped policy, for --errors. */
const errors: Array<{
  set: string;
  id: string;
  technology: string;
  error: 'false' | 'missed';
  probability: number;
  rules: boolean;
}> = [];
let pooledRules = none();
if (!values['no-loso']) {
  console.log(
    `leave one set out over ${sets.length} sets (${cases.length} cases); policy ${nameOf(ATTRIBUTION_POLICY)}`,
  );
  for (const set of sets) {
    const model = trainAttributionModel(
      examplesOf(cases.filter((item) => item.set !== set && sets.includes(item.set))),
      options,
    );
    const members = cases.filter((item) => item.set === set);
    const rules = members.map((item) => score(item, item.rules)).reduce(sum, none());
    pooledRules = sum(pooledRules, rules);
    for (const policy of POLICIES)
      pooled.set(
        nameOf(policy),
        sum(
          pooled.get(nameOf(policy)) ?? none(),
          members.map((item) => score(item, predicted(item, model, policy))).reduce(sum, none()),
        ),
      );
    const found = members.map((item) => predicted(item, model, ATTRIBUTION_POLICY));
    const chosen = members.map((item, index) => score(item, found[index] ?? new Set())).reduce(sum, none());
    for (const [index, item] of members.entries()) {
      const { falseCauses, missed } = mistakes(item, found[index] ?? new Set());
      const wrong = [
        ...falseCauses.map((technology) => [technology, 'false'] as const),
        ...missed.map((technology) => [technology, 'missed'] as const),
      ];
      for (const [technology, error] of wrong) {
        const vector = item.features.get(technology);
        errors.push({
          set: path.basename(set),
          id: item.label.id,
          technology,
          error,
          probability: vector ? Math.round(attributionProbability(model, vector) * 1000) / 1000 : 0,
          rules: item.rules.has(technology),
        });
      }
    }
    console.log(`${path.basename(set).padEnd(15)} rules ${figures(rules)} | model ${figures(chosen)}`);
  }
  console.log(
    `${'all'.padEnd(15)} rules ${figures(pooledRules)} | model ${figures(pooled.get(nameOf(ATTRIBUTION_POLICY)) ?? none())}`,
  );
  if (values.errors) await writeFile(values.errors, `${JSON.stringify(errors, null, 1)}\n`);
  console.log('pooled, by policy:');
  for (const policy of POLICIES)
    console.log(`  ${nameOf(policy).padEnd(20)} ${figures(pooled.get(nameOf(policy)) ?? none())}`);
}

const trained = (about: string) =>
  trainAttributionModel(examplesOf(cases.filter((item) => sets.includes(item.set))), options, about);
if (measured.length > 0) {
  const model = trained('');
  console.log(`trained on all ${sets.length} sets, scored on sets it was not trained on:`);
  for (const set of measured) {
    const members = cases.filter((item) => item.set === set);
    const rules = members.map((item) => score(item, item.rules)).reduce(sum, none());
    const chosen = members.map((item) => score(item, predicted(item, model, ATTRIBUTION_POLICY))).reduce(sum, none());
    console.log(`${path.basename(set).padEnd(15)} rules ${figures(rules)} | model ${figures(chosen)}`);
  }
}

if (!values['no-write']) {
  const about =
    `Trained by bench/train-attribution.ts on ${sets.map((set) => path.basename(set)).join(', ')}` +
    (values['no-loso']
      ? '.'
      : `. Leave one set out with ${nameOf(ATTRIBUTION_POLICY)}: ${figures(pooled.get(nameOf(ATTRIBUTION_POLICY)) ?? none())}; the rules alone (in-sample): ${figures(pooledRules)}.`);
  const model = trained(about);
  const file = new URL('../src/engines/offline/models/attribution.json', import.meta.url);
  await writeFile(file, `${JSON.stringify(model)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), file.pathname)}: ${Object.keys(model.weights).length} weights`);
}
