/** Comparing an eval run with a baseline run (an earlier `pmlens eval --json` output). */
import { isMaximum } from './metrics.ts';

/** Metrics a regression gate compares; error rates and the singleton share are better when lower. */
export const GATED_METRICS = [
  'microPrecision',
  'microRecall',
  'microF1',
  'attributionErrorRate',
  'negativeAccuracy',
  'trapAvoidance',
  'faultCategoryAccuracy',
  'verifiedClaimShare',
  'themeRecall',
  'themePrecision',
  'singletonShare',
  'accountedShare',
] as const;

export interface MetricDelta {
  metric: string;
  baseline: number | null;
  current: number | null;
  delta: number | null;
  regression: boolean;
}

/** Per-metric deltas; a metric regresses when it moved the wrong way by more than the tolerance. */
export function compareWithBaseline(
  current: Record<string, unknown>,
  baseline: Record<string, unknown>,
  tolerance: number,
): MetricDelta[] {
  return GATED_METRICS.map((metric) => {
    const now = typeof current[metric] === 'number' ? (current[metric] as number) : null;
    const before = typeof baseline[metric] === 'number' ? (baseline[metric] as number) : null;
    if (now === null || before === null)
      return { metric, baseline: before, current: now, delta: null, regression: false };
    const delta = Math.round((now - before) * 10_000) / 10_000;
    const worse = isMaximum(metric) ? delta > tolerance : -delta > tolerance;
    return { metric, baseline: before, current: now, delta, regression: worse };
  });
}
