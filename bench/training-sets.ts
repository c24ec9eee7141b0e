/**
 * The development sets the shipped attribution model is trained on (bench/train-attribution.ts by
 * default): those through engine 19. Retrained on all twenty-five for engine 20, the model scored the
 * same left out on the older twenty-one (777 right, 35 false, 163 missed against 774, 34, 165) but lost
 * on every measure-only set (holdout-1, holdout-2, patterns, patterns-holdout pooled: 163 right and 7
 * false became 159 and 11), so it was not shipped. `--sets` trains on any development sets.
 */
export const ATTRIBUTION_MODEL_SETS = [
  'datasets/dev-a',
  'datasets/dev-b',
  'datasets/patterns-dev',
  'datasets/patterns-dev-2',
  'datasets/dev-c',
  'datasets/dev-d',
  'datasets/dev-e',
  'datasets/dev-f',
  'datasets/dev-g',
  'datasets/dev-h',
  'datasets/dev-i',
  'datasets/dev-j',
  'datasets/dev-k',
  'datasets/dev-l',
  'datasets/dev-m',
  'datasets/dev-n',
  'datasets/dev-o',
  'datasets/dev-p',
  'datasets/dev-q',
  'datasets/dev-r',
  'datasets/dev-s',
] as const;

/** The sets an engine may be trained or tuned on; every other labelled set measures it. */
export const DEVELOPMENT_SETS = [
  ...ATTRIBUTION_MODEL_SETS,
  // Engine 20's four authors (docs/offline-engine.md, "Engine 20").
  'datasets/dev-t',
  'datasets/dev-u',
  'datasets/dev-v',
  'datasets/dev-w',
  // Engine 22's two authors, themes that overlap: mechanisms and the factors that recur across them.
  'datasets/dev-x',
  'datasets/dev-y',
  // Engine 23's two authors: real-world voices (status pages, quarterly reviews, incident logs, ticket exports).
  'datasets/dev-z',
  'datasets/dev-aa',
  // Engine 24's two authors, in the same voices: handoffs, CAB follow-ups, vendor cases, ops reports, chat.
  'datasets/dev-ab',
  'datasets/dev-ac',
  // Engine 25's two authors: public-postmortem voices with causes named once (dev-ad); fault categories near
  // their boundaries and causal chains (dev-ae).
  'datasets/dev-ad',
  'datasets/dev-ae',
  // Engine 27's three authors: public narratives, multi-incident reports and two-technology chains (dev-af);
  // terse and non-native logs, tickets and chats where a setting or the product's own behaviour is the cause
  // (dev-ag); plain-language, customer and manager voices with non-catalog causes and one-name causes (dev-ah).
  'datasets/dev-af',
  'datasets/dev-ag',
  'datasets/dev-ah',
] as const;

/**
 * The sets the fault-category models are trained on (bench/train-fault-categories.ts): every
 * development set, since engine 15. The hand-weighted reading left dev-c, dev-d, dev-e and dev-f out
 * (trained on them its word model lost cases on dev-a, dev-b and patterns-dev: their authors file a
 * resource running out under the setting behind it more often, a different convention). The trained
 * combination learns how far to trust the word model from sets it was not trained on, and leave one
 * set out over all eight sets (trained on the other seven) rose from 0.771 (hand-weighted, word model
 * on seven sets) and 0.796 (hand-weighted, word model on the four older sets) to 0.811, the lowest set
 * from 0.707-0.713 to 0.776. dev-g (engine 15) scored 0.800 at first contact with the models trained on
 * the other eight sets, and 0.800 left out of nine; over nine sets the mean is 0.810, the lowest 0.776.
 * dev-h (engine 16) scored 0.733 at first contact with the nine-set models, dev-i 0.813 with the
 * ten-set models, dev-j 0.783 with the eleven-set models; over twelve sets the mean is 0.816, the
 * lowest 0.760 (dev-h). dev-k (0.843), dev-l (0.729), dev-m (0.871), dev-n (0.843) and dev-o (0.771)
 * scored those at first contact with the twelve-set models (engine 16); over seventeen sets (engine
 * 17) the mean is 0.830, the lowest 0.757 (dev-l). Over nineteen sets (engine 18, with dev-p and dev-q) the
 * mean is 0.833, the lowest 0.767 (dev-j); left out, dev-p scores 0.786 and dev-q 0.871. dev-r and
 * dev-s (engine 19) scored 0.843 each at first contact with the nineteen-set models; left out of
 * twenty-one (`--held-out`), dev-r 0.814, dev-s 0.843, dev-j 0.800, dev-l 0.800. dev-t, dev-u, dev-v and
 * dev-w (engine 20) scored 0.857, 0.771, 0.686 and 0.829 at first contact with the twenty-one-set models.
 * dev-x and dev-y (engine 22) scored 0.800 each at first contact with the twenty-five-set models; trained
 * on all twenty-seven (1,917 cases), the measure-only sets moved by +2 cases in all (holdout-2 +1,
 * patterns +2, patterns-holdout -1, golden and holdout-1 unchanged). dev-z and dev-aa (engine 23) scored
 * 0.778 and 0.889 at first contact with the twenty-seven-set models; trained on all twenty-nine (2,007
 * cases), golden gained a case (0.792 -> 0.811) and holdout-1 lost one (0.844 -> 0.822), the other
 * measure-only sets unchanged. dev-ab and dev-ac (engine 24) scored 0.978 and 0.956 at first contact
 * with the twenty-nine-set models; trained on all thirty-one (2,097 cases), golden lost the case again
 * (0.811 -> 0.792), the other measure-only sets unchanged. dev-ad and dev-ae (engine 25) scored 0.644 and 0.867
 * at first contact with the thirty-one-set models (dev-ad's author files a loss of data as the primary category
 * wherever data was lost, by the taxonomy's rule for manual deletions). Trained on all thirty-three (2,187 cases),
 * the measure-only sets lost a case in all (golden 0.792 -> 0.774, under its 0.79 limit; holdout-1 -1, patterns
 * -1, holdout-2 +1, patterns-holdout +1), so the shipped models stay the thirty-one-set ones and this list leaves
 * the two sets out: the script reproduces what ships.
 */
const NOT_IN_FAULT_MODELS: ReadonlySet<string> = new Set([
  'datasets/dev-ad',
  'datasets/dev-ae',
  // Engine 27's sets scored 0.733, 0.889 and 0.733 at first contact with the thirty-one-set models; the models
  // were not retrained on them (docs/offline-engine.md, "Engine 27").
  'datasets/dev-af',
  'datasets/dev-ag',
  'datasets/dev-ah',
]);
export const FAULT_MODEL_SETS: readonly string[] = DEVELOPMENT_SETS.filter((set) => !NOT_IN_FAULT_MODELS.has(set));

/** Throws for golden/, the holdouts and the pattern golden sets: they measure engines and must never train them. */
export function assertDevelopmentSet(set: string): void {
  if (/golden|holdout|datasets\/patterns(\/|$)/.test(set.replace(/\\/g, '/')))
    throw new Error(`${set} is an evaluation set: never train on it`);
}
