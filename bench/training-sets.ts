/** The sets an engine may be trained or tuned on; every other labelled set measures it. */
export const DEVELOPMENT_SETS = [
  'datasets/dev-a',
  'datasets/dev-b',
  'datasets/patterns-dev',
  'datasets/patterns-dev-2',
] as const;

/** Throws for golden/, the holdouts and the pattern golden sets: they measure engines and must never train them. */
export function assertDevelopmentSet(set: string): void {
  if (/golden|holdout|datasets\/patterns(\/|$)/.test(set.replace(/\\/g, '/')))
    throw new Error(`${set} is an evaluation set: never train on it`);
}
