/**
 * The offline engine's confidence in a cause: the observed precision of causes with that much
 * evidence, not a rescaled score. Raw evidence (the summed weight of a technology's candidate
 * mentions) is put in a band; each band's confidence was fitted on the development sets
 * (datasets/dev-a, datasets/dev-b, datasets/patterns-dev) with `npx tsx bench/calibration.ts --fit`, shrunk toward a
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
 * Fitted on dev-a + dev-b + patterns-dev (243 cases) with the engine of OFFLINE_ENGINE_VERSION 6:
 * 144 causes, 144 right. Scores from 2 to 4 are causes only when the technology leads the evidence
 * of its sections (19 of 19); from 4 to 6, 28 of 28; from 6, 97 of 97. A score under 2 is never a
 * cause; its band is the prior. Every dev cause is right after tuning on these sets, so the bands
 * differ only by how much data pulls them off the prior: on unseen text the 2-4 band is where
 * the errors are (before this round's fixes it held 6 of the 8 dev errors).
 */
export const CONFIDENCE_BANDS: readonly ConfidenceBand[] = [
  { from: 0, causes: 0, correct: 0 },
  { from: 2, causes: 19, correct: 19 },
  { from: 4, causes: 28, correct: 28 },
  { from: 6, causes: 97, correct: 97 },
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
