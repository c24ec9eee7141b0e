/**
 * The quota governor's public surface. The work is split three ways: rate-limiter.ts (admission,
 * pacing, adaptation), retry.ts (which errors are retried, backoff, attempt counts) and
 * governed-model.ts (QuotaGovernor, which runs calls through both, and the governModel wrapper).
 */

export { estimateRequestInputTokens, governModel, QuotaGovernor } from './governed-model.ts';
export type {
  GovernedModel,
  GovernedOutcome,
  GovernedResponse,
  GovernorRunOptions,
  GovernorStats,
  QuotaGovernorOptions,
} from './governed-model.ts';
export type { TokenEstimate } from './rate-limiter.ts';
export { governedAttempts, governedCallOf, GovernorExhaustedError } from './retry.ts';
export type { GovernedCall } from './retry.ts';
