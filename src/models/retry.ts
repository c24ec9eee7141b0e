import { ModelCallError } from './language-model.ts';

/**
 * Retries: retryable ModelCallErrors are retried with full-jitter exponential backoff, at least
 * `retryAfterMillis` when the error carries one, until `maxRetries` retries are spent. An aborted
 * run is never retried.
 */

/** The validated settings of a RetryPolicy (QuotaGovernor checks them and fills in the defaults). */
export interface RetrySettings {
  maxRetries: number;
  baseDelayMillis: number;
  maxDelayMillis: number;
  random: () => number;
  /** Sleeps between attempts; undefined: the built-in timers, which can be cleared. */
  sleep: ((ms: number) => Promise<void>) | undefined;
}

export interface GovernedCall {
  attempts: number;
  /** Attempts answered with a 'throttled' error. */
  throttles: number;
  /** Time spent queued for admission plus backoff sleeps (not time spent in calls). */
  waitedMillis: number;
  /** Time spent in calls, every attempt included (a timed-out attempt counts its whole wait). */
  callMillis?: number;
}

/** Thrown when a retryable error persisted through every attempt. */
export class GovernorExhaustedError extends ModelCallError {
  readonly attempts: number;
  readonly throttles: number;
  readonly waitedMillis: number;
  constructor(
    readonly lastError: ModelCallError,
    call: GovernedCall,
  ) {
    super(lastError.kind, `failed after ${call.attempts} attempts: ${lastError.message}`, lastError.status);
    this.attempts = call.attempts;
    this.throttles = call.throttles;
    this.waitedMillis = call.waitedMillis;
  }

  /** Already retried as much as allowed: an outer layer must not retry it again. */
  override get retryable(): boolean {
    return false;
  }
}

const callsOfErrors = new WeakMap<object, GovernedCall>();

/** Remembers that a governed run gave up with `error` after `attempts` attempts (and how the call went). */
export function recordAttempts(error: unknown, attempts: number, call?: GovernedCall): void {
  if (typeof error === 'object' && error !== null)
    callsOfErrors.set(error, { throttles: 0, waitedMillis: 0, ...call, attempts });
}

/**
 * How many attempts the governor made before it gave up with this error (any error a governed run
 * threw, including non-retryable ones, which pass through unchanged); undefined for other errors.
 */
export function governedAttempts(error: unknown): number | undefined {
  return governedCallOf(error)?.attempts;
}

/** How the governed run that gave up with this error went: attempts, throttles, time in calls; undefined for other errors. */
export function governedCallOf(error: unknown): GovernedCall | undefined {
  return typeof error === 'object' && error !== null ? callsOfErrors.get(error) : undefined;
}

function retryAfterOf(error: unknown): number {
  const value = (error as { retryAfterMillis?: unknown }).retryAfterMillis;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class RetryPolicy {
  private readonly settings: RetrySettings;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(settings: RetrySettings) {
    this.settings = { ...settings };
    this.sleep = settings.sleep ?? defaultSleep;
  }

  /** Whether a failed attempt may be tried again: a retryable ModelCallError, and the caller has not aborted. */
  shouldRetry(error: unknown, signal: AbortSignal | undefined): error is ModelCallError {
    return error instanceof ModelCallError && error.retryable && !signal?.aborted;
  }

  /** Whether `attempts` attempts have used up every retry. */
  exhausted(attempts: number): boolean {
    return attempts > this.settings.maxRetries;
  }

  /** The wait before the next attempt, after `attempts` attempts failed with `error` the last. */
  delayMillis(attempts: number, error: unknown): number {
    return Math.max(this.backoffMillis(attempts - 1), retryAfterOf(error));
  }

  /** Sleeps `ms`; rejects with the signal's reason as soon as it aborts. */
  sleepUnlessAborted(ms: number, signal: AbortSignal | undefined): Promise<void> {
    if (!signal) return this.sleep(ms);
    signal.throwIfAborted();
    return new Promise((resolve, reject) => {
      if (this.settings.sleep === undefined) {
        // Clear the timer on abort so that no backoff outlives its run.
        const handle = setTimeout(() => {
          signal.removeEventListener('abort', onTimerAbort);
          resolve();
        }, ms);
        const onTimerAbort = (): void => {
          clearTimeout(handle);
          reject(signal.reason);
        };
        signal.addEventListener('abort', onTimerAbort, { once: true });
        return;
      }
      const onAbort = (): void => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      this.sleep(ms).then(
        () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  /** Full jitter: random() * min(maxDelay, base * 2^retryIndex). */
  private backoffMillis(retryIndex: number): number {
    const { maxDelayMillis, baseDelayMillis } = this.settings;
    return this.settings.random() * Math.min(maxDelayMillis, baseDelayMillis * 2 ** retryIndex);
  }
}
