import { ConfigurationError } from '../errors.ts';
import { estimateTokens, ModelCallError } from './language-model.ts';
import type { LanguageModel, ModelRequest, ModelResponse } from './language-model.ts';
import { InputTokenCalibration, RateLimiter } from './rate-limiter.ts';
import type { Grant, RateLimiterSettings, RateLimiterStats, TokenEstimate } from './rate-limiter.ts';
import { GovernorExhaustedError, recordAttempts, RetryPolicy } from './retry.ts';
import type { GovernedCall, RetrySettings } from './retry.ts';

/**
 * The quota governor: every model call of a run goes through one of these, so the run stays inside
 * the provider's quotas (Bedrock: requests/min and tokens/min per account and region) instead of
 * discovering them through 429s. It admits each attempt through a RateLimiter and retries failures
 * by a RetryPolicy; governModel puts a LanguageModel behind it.
 */

export interface QuotaGovernorOptions {
  /** Calls running at once. */
  maxInFlight: number;
  /** Requests started per window (per minute with the default window). */
  requestsPerMinute: number;
  /** Quota tokens per window (per minute with the default window). */
  tokensPerMinute: number;
  /** Quota tokens one output token burns (Bedrock Claude Sonnet 4: 5). Default 1. */
  outputTokenWeight?: number;
  /**
   * Weight of `maxTokens` in the reservation taken at request start. Default `outputTokenWeight`:
   * the worst case the request can end up costing. (Bedrock itself reserves `input + max_tokens`,
   * so 1 matches its reservation and admits more concurrent work, at the risk of being surprised
   * when long outputs settle at their 5x weight.)
   */
  reservedOutputWeight?: number;
  /** Retries after the first attempt. Default 4. */
  maxRetries?: number;
  /** Backoff base: retry n waits random() * min(maxDelay, base * 2^n). Default 500. */
  baseDelayMillis?: number;
  /** Backoff cap. Default 20000. */
  maxDelayMillis?: number;
  /** The quota window. Default 60000; tests and benchmarks shrink it to scale time. */
  windowMillis?: number;
  /**
   * How much of a window's quota may start back to back before pacing applies (0..1].
   * Default 0.1. 1 turns pacing off (pure sliding window, which allows a whole-quota burst).
   */
  burstFraction?: number;
  /** Multiplier applied to the effective rates on a throttle. Default 0.7. */
  decreaseFactor?: number;
  /** Floor of the effective rates, as a fraction of the configured ones. Default 0.1. */
  minRateFraction?: number;
  /** Consecutive successes that earn one recovery step. Default 10. */
  recoveryStreak?: number;
  /** Fraction of the configured rates one recovery step adds back. Default 0.1. */
  recoveryStep?: number;
  random?: () => number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface GovernedOutcome extends GovernedCall {
  response: ModelResponse;
}

export interface GovernorRunOptions {
  /** Aborts queued waits and backoff sleeps; handed to the call too. An aborted run is never retried. */
  signal?: AbortSignal;
}

export interface GovernorStats extends RateLimiterStats {
  /** Calls started (attempts, retries included). */
  requests: number;
  /** Attempts that were retries. */
  retries: number;
  /** Attempts answered with a 'throttled' error. */
  throttles: number;
  /** Runs that ended with an error. */
  failures: number;
}

function positive(name: string, value: number, allowInfinity = false): number {
  if (!(value > 0) || (!allowInfinity && !Number.isFinite(value))) {
    throw new ConfigurationError(`governor ${name} must be a positive number, got ${value}`);
  }
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!(value >= 0) || !Number.isFinite(value)) {
    throw new ConfigurationError(`governor ${name} must be a non-negative number, got ${value}`);
  }
  return value;
}

function fraction(name: string, value: number, allowZero: boolean): number {
  if (!(value <= 1) || !(allowZero ? value >= 0 : value > 0)) {
    throw new ConfigurationError(`governor ${name} must be within ${allowZero ? '[0, 1]' : '(0, 1]'}, got ${value}`);
  }
  return value;
}

/** Checks the options in their documented order and fills in the defaults. */
function settingsOf(options: QuotaGovernorOptions): { limiter: RateLimiterSettings; retry: RetrySettings } {
  const maxInFlight = positive('maxInFlight', options.maxInFlight, true);
  const requestsPerWindow = positive('requestsPerMinute', options.requestsPerMinute, true);
  const tokensPerWindow = positive('tokensPerMinute', options.tokensPerMinute, true);
  const outputTokenWeight = nonNegative('outputTokenWeight', options.outputTokenWeight ?? 1);
  const reservedOutputWeight = nonNegative('reservedOutputWeight', options.reservedOutputWeight ?? outputTokenWeight);
  const maxRetries = nonNegative('maxRetries', options.maxRetries ?? 4);
  const baseDelayMillis = nonNegative('baseDelayMillis', options.baseDelayMillis ?? 500);
  const maxDelayMillis = nonNegative('maxDelayMillis', options.maxDelayMillis ?? 20_000);
  const windowMillis = positive('windowMillis', options.windowMillis ?? 60_000);
  const burstMillis = fraction('burstFraction', options.burstFraction ?? 0.1, true) * windowMillis;
  const decreaseFactor = fraction('decreaseFactor', options.decreaseFactor ?? 0.7, false);
  const minRateFraction = fraction('minRateFraction', options.minRateFraction ?? 0.1, false);
  const recoveryStreak = positive('recoveryStreak', options.recoveryStreak ?? 10);
  const recoveryStep = fraction('recoveryStep', options.recoveryStep ?? 0.1, false);
  return {
    limiter: {
      maxInFlight,
      requestsPerWindow,
      tokensPerWindow,
      outputTokenWeight,
      reservedOutputWeight,
      windowMillis,
      burstMillis,
      decreaseFactor,
      minRateFraction,
      recoveryStreak,
      recoveryStep,
      now: options.now ?? (() => performance.now()),
      sleep: options.sleep,
    },
    retry: { maxRetries, baseDelayMillis, maxDelayMillis, random: options.random ?? Math.random, sleep: options.sleep },
  };
}

export class QuotaGovernor {
  private readonly limiter: RateLimiter;
  private readonly retry: RetryPolicy;
  private readonly now: () => number;
  private counters = { requests: 0, retries: 0, throttles: 0, failures: 0 };

  constructor(options: QuotaGovernorOptions) {
    const settings = settingsOf(options);
    this.limiter = new RateLimiter(settings.limiter);
    this.retry = new RetryPolicy(settings.retry);
    this.now = settings.limiter.now;
  }

  stats(): GovernorStats {
    return { ...this.counters, ...this.limiter.stats() };
  }

  /**
   * Runs `call` once admitted, retrying retryable failures. Resolves with the response and how it
   * went; rejects with a GovernorExhaustedError when retries ran out, or with the original error
   * when it is not retryable (see governedAttempts for its attempt count).
   */
  async run(
    estimate: TokenEstimate,
    call: (signal?: AbortSignal) => Promise<ModelResponse>,
    options: GovernorRunOptions = {},
  ): Promise<GovernedOutcome> {
    const { signal } = options;
    const reservation = this.limiter.reservation(estimate);
    const ticket = this.limiter.issueTicket();
    const outcome: GovernedCall & { callMillis: number } = {
      attempts: 0,
      throttles: 0,
      waitedMillis: 0,
      callMillis: 0,
    };
    for (;;) {
      let grant: Grant;
      try {
        const queuedAt = this.now();
        grant = await this.limiter.acquire(ticket, reservation, signal);
        outcome.waitedMillis += this.now() - queuedAt;
      } catch (error) {
        throw this.fail(error, outcome);
      }
      outcome.attempts += 1;
      this.counters.requests += 1;
      if (outcome.attempts > 1) this.counters.retries += 1;

      let response: ModelResponse;
      const calledAt = this.now();
      try {
        response = await call(signal);
        outcome.callMillis += this.now() - calledAt;
      } catch (error) {
        outcome.callMillis += this.now() - calledAt;
        const throttled = error instanceof ModelCallError && error.kind === 'throttled';
        this.limiter.settleFailure(grant, throttled);
        if (throttled) {
          outcome.throttles += 1;
          this.counters.throttles += 1;
        }
        if (!this.retry.shouldRetry(error, signal)) throw this.fail(error, outcome);
        if (this.retry.exhausted(outcome.attempts))
          throw this.fail(new GovernorExhaustedError(error, { ...outcome }), outcome);
        const delay = this.retry.delayMillis(outcome.attempts, error);
        const sleptAt = this.now();
        try {
          await this.retry.sleepUnlessAborted(delay, signal);
        } catch (abort) {
          throw this.fail(abort, outcome);
        }
        outcome.waitedMillis += this.now() - sleptAt;
        continue;
      }
      this.limiter.settleSuccess(grant, response.usage);
      return { response, ...outcome };
    }
  }

  private fail(error: unknown, outcome: GovernedCall): unknown {
    this.counters.failures += 1;
    recordAttempts(error, outcome.attempts, { ...outcome });
    return error;
  }
}

export interface GovernedResponse extends ModelResponse {
  attempts: number;
  throttles: number;
  waitedMillis: number;
  /** Time spent in calls, failed (timed-out) attempts included. */
  callMillis: number;
}

export interface GovernedModel extends LanguageModel {
  readonly governor: QuotaGovernor;
  generate(request: ModelRequest, signal?: AbortSignal): Promise<GovernedResponse>;
}

/** The input tokens a request will be charged, estimated: system prompt, messages and the output tool definition. */
export function estimateRequestInputTokens(request: ModelRequest): number {
  let tokens = estimateTokens(request.system);
  for (const message of request.messages) tokens += estimateTokens(message.content);
  const { tool } = request;
  tokens +=
    estimateTokens(tool.name) + estimateTokens(tool.description) + estimateTokens(JSON.stringify(tool.inputSchema));
  return tokens;
}

/**
 * A LanguageModel whose every generate() goes through `governor`, answering with the attempt counts.
 * Each reply's charged input tokens calibrate this model's later estimates.
 */
export function governModel(
  model: LanguageModel,
  governor: QuotaGovernor,
  estimateInput: (request: ModelRequest) => number = estimateRequestInputTokens,
): GovernedModel {
  const calibration = new InputTokenCalibration();
  return {
    provider: model.provider,
    modelId: model.modelId,
    governor,
    async generate(request: ModelRequest, signal?: AbortSignal): Promise<GovernedResponse> {
      const estimated = estimateInput(request);
      const estimate = { inputTokens: calibration.calibrate(estimated), maxTokens: request.maxTokens };
      const outcome = await governor.run(estimate, (callSignal) => model.generate(request, callSignal), { signal });
      const { usage } = outcome.response;
      calibration.observe(estimated, usage.inputTokens + usage.cacheWriteTokens);
      return {
        ...outcome.response,
        attempts: outcome.attempts,
        throttles: outcome.throttles,
        waitedMillis: outcome.waitedMillis,
        callMillis: Math.round(outcome.callMillis ?? outcome.response.latencyMillis),
      };
    },
  };
}
