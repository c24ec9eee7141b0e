/**
 * One step of Adam (Kingma and Ba, 2015) with its usual constants (beta1 0.9, beta2 0.999, epsilon
 * 1e-8), in place: the offline engine's trained models (word-model.ts, attribution-model.ts) and
 * bench/theme-pairs.ts fit their weights with it, by full batch.
 */
export interface AdamMoments {
  first: Float64Array;
  second: Float64Array;
}

export function adamMoments(length: number): AdamMoments {
  return { first: new Float64Array(length), second: new Float64Array(length) };
}

/** Moves `parameters` one step against `gradient` (iteration counts from 1). */
export function adamStep(
  parameters: Float64Array,
  gradient: Float64Array,
  moments: AdamMoments,
  rate: number,
  iteration: number,
): void {
  for (let position = 0; position < parameters.length; position += 1) {
    const g = gradient[position] ?? 0;
    const first = 0.9 * (moments.first[position] ?? 0) + 0.1 * g;
    const second = 0.999 * (moments.second[position] ?? 0) + 0.001 * g * g;
    moments.first[position] = first;
    moments.second[position] = second;
    parameters[position] =
      (parameters[position] ?? 0) -
      (rate * (first / (1 - 0.9 ** iteration))) / (Math.sqrt(second / (1 - 0.999 ** iteration)) + 1e-8);
  }
}
