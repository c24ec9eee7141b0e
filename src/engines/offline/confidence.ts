/**
 * The offline engine's confidence in a cause: the observed precision of causes with that much
 * evidence on text the engine was never tuned on, not a rescaled score. Raw evidence (the summed
 * weight of a technology's candidate mentions) is put in a band; each band's confidence is its
 * precision on datasets/holdout-1 and datasets/patterns, shrunk toward a prior precision of 0.85
 * with the strength of 10 causes (`npx tsx bench/calibration.ts --fit datasets/holdout-1
 * datasets/patterns`). Not on the development sets: after tuning, every dev cause is right, so a
 * fit there states 0.97 where unseen text gives 0.84-0.89. The attribution decisions never read
 * these sets; datasets/holdout-2 and datasets/patterns-holdout stay out of the fit and check it.
 *
 * Refit after changing the engine: run the bench with --fit and paste its bands here.
 */

export interface ConfidenceBand {
  /** Lowest raw score in the band (inclusive). */
  from: number;
  /** Causes in the band on the development sets, and how many of them were right. */
  causes: number;
  correct: number;
}

/** Prior precision and its strength (in causes): what a band knows before any development data. */
export const PRIOR_PRECISION = 0.85;
export const PRIOR_STRENGTH = 10;

/**
 * Fitted with OFFLINE_ENGINE_VERSION 12 on holdout-1 + patterns (128 cases): 88 causes, 72 right.
 * Scores from 2 to 4: 12 of 18; from 4 to 6: 18 of 25; from 6: 42 of 45. A score under 2 is never
 * a cause; its band is the prior. (Engine 9's fit, 13 of 17, 18 of 23, 36 of 39, left the 0.8
 * bin at 0.80 stated against 0.698 observed on engine 12.)
 */
export const CONFIDENCE_BANDS: readonly ConfidenceBand[] = [
  { from: 0, causes: 0, correct: 0 },
  { from: 2, causes: 18, correct: 12 },
  { from: 4, causes: 25, correct: 18 },
  { from: 6, causes: 45, correct: 42 },
];

/** The band a raw score falls in: the last band whose lower bound it reaches. */
export function bandOf(score: number, bands: readonly ConfidenceBand[] = CONFIDENCE_BANDS): number {
  let found = 0;
  bands.forEach((band, index) => {
    if (score >= band.from) found = index;
  });
  return found;
}

/** Smoothed precision of a band: (correct + prior x strength) / (causes + strength), two decimals. */
export function bandConfidence(band: Pick<ConfidenceBand, 'causes' | 'correct'>): number {
  const value = (band.correct + PRIOR_PRECISION * PRIOR_STRENGTH) / (band.causes + PRIOR_STRENGTH);
  return Math.round(value * 100) / 100;
}

/** The calibrated confidence of a cause with this raw score. */
export function confidenceOf(score: number, bands: readonly ConfidenceBand[] = CONFIDENCE_BANDS): number {
  const band = bands[bandOf(score, bands)];
  return band ? bandConfidence(band) : PRIOR_PRECISION;
}
