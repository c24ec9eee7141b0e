/**
 * The offline engine's confidence in a cause: the observed precision of causes with that much
 * evidence, not a rescaled score. Raw evidence (the summed weight of a technology's candidate
 * mentions) is put in a band; each band's confidence was fitted on the development sets
 * (datasets/dev-a, datasets/dev-b) with `npx tsx bench/calibration.ts --fit`, shrunk toward a
 * prior precision of 0.85 with the strength of 10 causes: dev precision is measured on text the
 * engine was tuned on and overstates precision on text it has never seen.
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
 * Fitted on dev-a + dev-b (160 cases) with the engine of OFFLINE_ENGINE_VERSION 4: 76 causes, all
 * right. The bands from 6 and from 10 (33/33 and 27/27) are pooled into one so that confidence
 * never falls as evidence grows. A score under 4 is never a cause; its band is the prior.
 */
export const CONFIDENCE_BANDS: readonly ConfidenceBand[] = [
  { from: 0, causes: 0, correct: 0 },
  { from: 4, causes: 16, correct: 16 },
  { from: 6, causes: 60, correct: 60 },
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
