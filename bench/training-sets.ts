/** The sets an engine may be trained or tuned on; every other labelled set measures it. */
export const DEVELOPMENT_SETS = [
  'datasets/dev-a',
  'datasets/dev-b',
  'datasets/patterns-dev',
  'datasets/patterns-dev-2',
  'datasets/dev-c',
  'datasets/dev-d',
  'datasets/dev-e',
  'datasets/dev-f',
] as const;

/**
 * The sets the fault-category word model is trained on (bench/train-fault-categories.ts). dev-c is
 * left out: trained on all five sets, leave-one-set-out accuracy fell on three of the four older
 * sets (dev-a 0.762 -> 0.688, dev-b 0.850 -> 0.838, patterns-dev 0.867 -> 0.831) and rose on one
 * (patterns-dev-2 0.667 -> 0.694); its author files more incidents under the setting behind a
 * resource running out, a different convention from the other four. dev-d (added with engine 11)
 * dev-e (engine 12) and dev-f (engine 13) are left out until leave-one-set-out says training on them
 * helps.
 */
export const FAULT_MODEL_SETS = DEVELOPMENT_SETS.filter(
  (set) => !['datasets/dev-c', 'datasets/dev-d', 'datasets/dev-e', 'datasets/dev-f'].includes(set),
);

/** Throws for golden/, the holdouts and the pattern golden sets: they measure engines and must never train them. */
export function assertDevelopmentSet(set: string): void {
  if (/golden|holdout|datasets\/patterns(\/|$)/.test(set.replace(/\\/g, '/')))
    throw new Error(`${set} is an evaluation set: never train on it`);
}
