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
 * Fitted with OFFLINE_ENGINE_VERSION 18 on holdout-1 + patterns: 92 causes, 83 right. By band,
 * scores under 2 (causes the learned model added below the rules' threshold) 8 of 9, from 2 to 4
 * 12 of 13, from 4 to 6 14 of 18, from 6 49 of 52; the fit pools adjacent bands whose precision
 * falls as evidence grows, so the first three are one band. (Engine 12's fit, 12 of 18, 18 of 25,
 * 42 of 45, stated 0.744 in the 0.7 bin where engine 18 gives 0.85 on holdout-2 + patterns-holdout.)
 */
export const CONFIDENCE_BANDS: readonly ConfidenceBand[] = [
  { from: 0, causes: 40, correct: 34 },
  { from: 6, causes: 52, correct: 49 },
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
