import { ConfigurationError } from '../errors.ts';
import { estimateTokens, ModelCallError } from './language-model.ts';
import type { LanguageModel, ModelRequest, ModelResponse, ModelUsage } from './language-model.ts';

/**
 * The quota governor: every model call of a run goes through one of these, so the run stays inside
 * the provider's quotas (Bedrock: requests/min and tokens/min per account and region) instead of
 * discovering them through 429s.
 *
 * Admission needs all of:
 * - a free slot (`maxInFlight`);
 * - request budget: a sliding-window log (never more than the effective requests/min started in
 *   any window) AND a pacer (GCRA, a continuously refilled bucket) that spreads starts over the
 *   window instead of firing the whole quota at once;
 * - token budget: the same pair over token reservations. A request reserves
 *   `inputTokens + maxTokens * reservedOutputWeight` when it starts; when it settles the
 *   reservation is corrected to what the provider counts
 *   (`inputTokens + cacheWriteTokens + outputTokens * outputTokenWeight`; cache reads are free).
 * Waiters are served strictly in ticket order (FIFO; a retry keeps its original ticket, so it goes
 * ahead of work that arrived after it). A request larger than the whole budget is clamped to it:
 * it runs alone once the window is empty instead of waiting forever.
 *
 * Retries: retryable ModelCallErrors are retried with full-jitter exponential backoff, at least
 * `retryAfterMillis` when the error carries one. Adaptation (AIMD): a throttle multiplies the
 * effective rates by `decreaseFactor` (once per congestion event), a streak of successes adds
 * `recoveryStep` of the configured rates back.
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

export interface TokenEstimate {
  inputTokens: number;
  maxTokens: number;
}

export interface GovernedCall {
  attempts: number;
  /** Attempts answered with a 'throttled' error. */
  throttles: number;
  /** Time spent queued for admission plus backoff sleeps (not time spent in calls). */
  waitedMillis: number;
}

export interface GovernedOutcome extends GovernedCall {
  response: ModelResponse;
}

export interface GovernorRunOptions {
  /** Aborts queued waits and backoff sleeps; handed to the call too. An aborted run is never retried. */
  signal?: AbortSignal;
}

export interface GovernorStats {
  /** Calls started (attempts, retries included). */
  requests: number;
  /** Attempts that were retries. */
  retries: number;
  /** Attempts answered with a 'throttled' error. */
  throttles: number;
  /** Runs that ended with an error. */
  failures: number;
  inFlight: number;
  /** Runs waiting for admission (not counting those sleeping in backoff). */
  queued: number;
  effectiveRequestsPerMinute: number;
  effectiveTokensPerMinute: number;
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

const attemptsOfErrors = new WeakMap<object, number>();

/**
 * How many attempts the governor made before it gave up with this error (any error a governed run
 * threw, including non-retryable ones, which pass through unchanged); undefined for other errors.
 */
export function governedAttempts(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null ? attemptsOfErrors.get(error) : undefined;
}

interface TokenEntry {
  at: number;
  tokens: number;
}

interface Grant {
  /** Admission sequence number: orders attempts against rate decreases. */
  seq: number;
  entry: TokenEntry;
  /** What the token pacer was charged (clamped), so settlement can correct it. */
  paced: number;
}

interface Waiter {
  ticket: number;
  tokens: number;
  resolve: (grant: Grant) => void;
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

function retryAfterOf(error: unknown): number {
  const value = (error as { retryAfterMillis?: unknown }).retryAfterMillis;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

function finiteOr(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class QuotaGovernor {
  private readonly maxInFlight: number;
  private readonly requestsPerWindow: number;
  private readonly tokensPerWindow: number;
  private readonly outputTokenWeight: number;
  private readonly reservedOutputWeight: number;
  private readonly maxRetries: number;
  private readonly baseDelayMillis: number;
  private readonly maxDelayMillis: number;
  private readonly windowMillis: number;
  private readonly burstMillis: number;
  private readonly decreaseFactor: number;
  private readonly minRateFraction: number;
  private readonly recoveryStreak: number;
  private readonly recoveryStep: number;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  /** Effective rates as a fraction of the configured ones (AIMD). */
  private rateFraction = 1;
  private successStreak = 0;
  /** Attempts admitted at or before this sequence number were sent before the last decrease. */
  private lastDecreaseSeq = 0;
  private admissions = 0;
  private nextTicket = 0;

  private inFlight = 0;
  private readonly queue: Waiter[] = [];
  /** Start times of the requests in the current window, oldest first. */
  private readonly requestLog: number[] = [];
  /** Token reservations (corrected to actuals on settlement) in the current window, oldest first. */
  private readonly tokenLog: TokenEntry[] = [];
  /** Pacers' theoretical arrival times (GCRA). */
  private requestTat = -Infinity;
  private tokenTat = -Infinity;
  /** The pending wake-up for a head waiter blocked on a rate budget. */
  private wake: { due: number; cancel: () => void } | undefined;
  /** Whether `sleep` is the built-in one, whose timers can be cleared (so none outlives the work). */
  private readonly ownTimers: boolean;

  private counters = { requests: 0, retries: 0, throttles: 0, failures: 0 };

  constructor(options: QuotaGovernorOptions) {
    this.maxInFlight = positive('maxInFlight', options.maxInFlight, true);
    this.requestsPerWindow = positive('requestsPerMinute', options.requestsPerMinute, true);
    this.tokensPerWindow = positive('tokensPerMinute', options.tokensPerMinute, true);
    this.outputTokenWeight = nonNegative('outputTokenWeight', options.outputTokenWeight ?? 1);
    this.reservedOutputWeight = nonNegative('reservedOutputWeight', options.reservedOutputWeight ?? this.outputTokenWeight);
    this.maxRetries = nonNegative('maxRetries', options.maxRetries ?? 4);
    this.baseDelayMillis = nonNegative('baseDelayMillis', options.baseDelayMillis ?? 500);
    this.maxDelayMillis = nonNegative('maxDelayMillis', options.maxDelayMillis ?? 20_000);
    this.windowMillis = positive('windowMillis', options.windowMillis ?? 60_000);
    this.burstMillis = fraction('burstFraction', options.burstFraction ?? 0.1, true) * this.windowMillis;
    this.decreaseFactor = fraction('decreaseFactor', options.decreaseFactor ?? 0.7, false);
    this.minRateFraction = fraction('minRateFraction', options.minRateFraction ?? 0.1, false);
    this.recoveryStreak = positive('recoveryStreak', options.recoveryStreak ?? 10);
    this.recoveryStep = fraction('recoveryStep', options.recoveryStep ?? 0.1, false);
    this.random = options.random ?? Math.random;
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? defaultSleep;
    this.ownTimers = options.sleep === undefined;
  }

  stats(): GovernorStats {
    return {
      ...this.counters,
      inFlight: this.inFlight,
      queued: this.queue.length,
      effectiveRequestsPerMinute: this.requestsPerWindow * this.rateFraction,
      effectiveTokensPerMinute: this.tokensPerWindow * this.rateFraction,
    };
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
    const { inputTokens, maxTokens } = estimate;
    if (!(inputTokens >= 0 && maxTokens >= 0 && Number.isFinite(inputTokens + maxTokens))) {
      throw new RangeError(`governor estimate must be non-negative token counts, got ${JSON.stringify(estimate)}`);
    }
    const reservation = inputTokens + maxTokens * this.reservedOutputWeight;
    const ticket = this.nextTicket++;
    const outcome: GovernedCall = { attempts: 0, throttles: 0, waitedMillis: 0 };
    for (;;) {
      let grant: Grant;
      try {
        const queuedAt = this.now();
        grant = await this.acquire(ticket, reservation, signal);
        outcome.waitedMillis += this.now() - queuedAt;
      } catch (error) {
        throw this.fail(error, outcome);
      }
      outcome.attempts += 1;
      this.counters.requests += 1;
      if (outcome.attempts > 1) this.counters.retries += 1;

      let response: ModelResponse;
      try {
        response = await call(signal);
      } catch (error) {
        const throttled = error instanceof ModelCallError && error.kind === 'throttled';
        this.settleFailure(grant, throttled);
        if (throttled) {
          outcome.throttles += 1;
          this.counters.throttles += 1;
        }
        if (!(error instanceof ModelCallError) || !error.retryable || signal?.aborted) throw this.fail(error, outcome);
        if (outcome.attempts > this.maxRetries) throw this.fail(new GovernorExhaustedError(error, { ...outcome }), outcome);
        const delay = Math.max(this.backoffMillis(outcome.attempts - 1), retryAfterOf(error));
        const sleptAt = this.now();
        try {
          await this.sleepUnlessAborted(delay, signal);
        } catch (abort) {
          throw this.fail(abort, outcome);
        }
        outcome.waitedMillis += this.now() - sleptAt;
        continue;
      }
      this.settleSuccess(grant, response.usage);
      return { response, ...outcome };
    }
  }

  /** Full jitter: random() * min(maxDelay, base * 2^retryIndex). */
  private backoffMillis(retryIndex: number): number {
    return this.random() * Math.min(this.maxDelayMillis, this.baseDelayMillis * 2 ** retryIndex);
  }

  private fail(error: unknown, outcome: GovernedCall): unknown {
    this.counters.failures += 1;
    if (typeof error === 'object' && error !== null) attemptsOfErrors.set(error, outcome.attempts);
    return error;
  }

  private sleepUnlessAborted(ms: number, signal: AbortSignal | undefined): Promise<void> {
    if (!signal) return this.sleep(ms);
    signal.throwIfAborted();
    return new Promise((resolve, reject) => {
      if (this.ownTimers) {
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

  private acquire(ticket: number, tokens: number, signal: AbortSignal | undefined): Promise<Grant> {
    signal?.throwIfAborted();
    return new Promise<Grant>((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.queue.indexOf(waiter);
        if (index >= 0) this.queue.splice(index, 1);
        reject(signal?.reason);
        this.pump();
      };
      const waiter: Waiter = {
        ticket,
        tokens,
        resolve: (grant) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(grant);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      // Ticket order: a retry goes back in at its original place, ahead of later arrivals.
      let index = this.queue.length;
      while (index > 0 && (this.queue[index - 1] as Waiter).ticket > ticket) index -= 1;
      this.queue.splice(index, 0, waiter);
      this.pump();
    });
  }

  /** Admits waiters from the head of the queue while the budgets allow; otherwise arranges a wake-up. */
  private pump(): void {
    while (this.queue.length > 0) {
      const head = this.queue[0] as Waiter;
      const now = this.now();
      const wait = this.admissionDelay(head.tokens, now);
      if (wait > 0) {
        // Infinity: waiting for a slot; the settlement that frees it pumps again.
        if (Number.isFinite(wait)) this.wakeAfter(now, wait);
        else this.cancelWake();
        return;
      }
      this.queue.shift();
      head.resolve(this.admit(head.tokens, now));
    }
    this.cancelWake();
  }

  private cancelWake(): void {
    this.wake?.cancel();
    this.wake = undefined;
  }

  private wakeAfter(now: number, wait: number): void {
    // Whole milliseconds, at least one: never early, and never a zero-length spin on rounding dust.
    const ms = Math.max(1, Math.ceil(wait));
    const due = now + ms;
    if (this.wake !== undefined && this.wake.due <= due) return;
    this.cancelWake();
    const fire = (): void => {
      this.wake = undefined;
      this.pump();
    };
    if (this.ownTimers) {
      const handle = setTimeout(fire, ms);
      this.wake = { due, cancel: () => clearTimeout(handle) };
    } else {
      let cancelled = false;
      this.sleep(ms).then(
        () => {
          if (!cancelled) fire();
        },
        () => undefined,
      );
      this.wake = { due, cancel: () => (cancelled = true) };
    }
  }

  private get effectiveRequests(): number {
    return this.requestsPerWindow * this.rateFraction;
  }

  private get effectiveTokens(): number {
    return this.tokensPerWindow * this.rateFraction;
  }

  private prune(now: number): void {
    const horizon = now - this.windowMillis;
    while (this.requestLog.length > 0 && (this.requestLog[0] as number) <= horizon) this.requestLog.shift();
    while (this.tokenLog.length > 0 && (this.tokenLog[0] as TokenEntry).at <= horizon) this.tokenLog.shift();
  }

  /** 0 when a request reserving `tokens` may start now; else how long until it may (Infinity: until a slot frees). */
  private admissionDelay(tokens: number, now: number): number {
    if (this.inFlight >= this.maxInFlight) return Infinity;
    this.prune(now);
    const window = this.windowMillis;
    let wait = 0;

    // Requests: hard sliding-window cap...
    const requestLimit = Math.max(1, Math.floor(this.effectiveRequests));
    if (this.requestLog.length >= requestLimit) {
      const releasing = this.requestLog[this.requestLog.length - requestLimit] as number;
      wait = Math.max(wait, releasing + window - now);
    }
    // ...and pacing.
    wait = Math.max(wait, this.requestTat - this.burstMillis - now);

    // Tokens: the same pair, with the request clamped to the whole budget.
    const budget = this.effectiveTokens;
    const charged = Math.min(tokens, budget);
    let used = 0;
    for (const entry of this.tokenLog) used += entry.tokens;
    for (const entry of this.tokenLog) {
      if (used + charged <= budget) break;
      used -= entry.tokens;
      wait = Math.max(wait, entry.at + window - now);
    }
    wait = Math.max(wait, this.tokenTat - this.burstMillis - now);
    return wait;
  }

  private admit(tokens: number, now: number): Grant {
    this.inFlight += 1;
    this.admissions += 1;
    this.requestLog.push(now);
    this.requestTat = Math.max(this.requestTat, now) + this.windowMillis / this.effectiveRequests;
    const entry: TokenEntry = { at: now, tokens };
    this.tokenLog.push(entry);
    const paced = Math.min(tokens, this.effectiveTokens);
    this.tokenTat = Math.max(this.tokenTat, now) + paced * this.tokenPace();
    return { seq: this.admissions, entry, paced };
  }

  /** Milliseconds of pacing one quota token costs at the current effective rate. */
  private tokenPace(): number {
    return this.windowMillis / this.effectiveTokens;
  }

  /** Moves a grant's token charge to `tokens` (what the provider ends up counting). */
  private correct(grant: Grant, tokens: number): void {
    grant.entry.tokens = tokens;
    const paced = Math.min(tokens, this.effectiveTokens);
    this.tokenTat += (paced - grant.paced) * this.tokenPace();
    grant.paced = paced;
  }

  private settleSuccess(grant: Grant, usage: ModelUsage | undefined): void {
    this.inFlight -= 1;
    if (usage) {
      const actual =
        finiteOr(usage.inputTokens, 0) +
        finiteOr(usage.cacheWriteTokens, 0) +
        finiteOr(usage.outputTokens, 0) * this.outputTokenWeight;
      this.correct(grant, actual);
    }
    if (this.rateFraction < 1) {
      this.successStreak += 1;
      if (this.successStreak >= this.recoveryStreak) {
        this.successStreak = 0;
        this.rateFraction = Math.min(1, this.rateFraction + this.recoveryStep);
        if (1 - this.rateFraction < 1e-9) this.rateFraction = 1; // 0.7 + 3 * 0.1 is 0.9999999999999999
      }
    }
    this.pump();
  }

  private settleFailure(grant: Grant, throttled: boolean): void {
    this.inFlight -= 1;
    if (throttled) {
      // Turned away at the door: it consumed no tokens (its request still counts, conservatively).
      this.correct(grant, 0);
      this.successStreak = 0;
      // One decrease per congestion event: attempts sent before the last decrease say nothing new.
      if (grant.seq > this.lastDecreaseSeq) {
        this.rateFraction = Math.max(this.minRateFraction, this.rateFraction * this.decreaseFactor);
        this.lastDecreaseSeq = this.admissions;
      }
    }
    // Other failures keep their reservation: the provider may well have done (and counted) the work.
    this.pump();
  }
}

export interface GovernedResponse extends ModelResponse {
  attempts: number;
  throttles: number;
  waitedMillis: number;
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
  tokens += estimateTokens(tool.name) + estimateTokens(tool.description) + estimateTokens(JSON.stringify(tool.inputSchema));
  return tokens;
}

/** Weight of the running calibration against the newest reply. */
const CALIBRATION_KEEP = 0.8;

/** A LanguageModel whose every generate() goes through `governor`, answering with the attempt counts. */
export function governModel(
  model: LanguageModel,
  governor: QuotaGovernor,
  estimateInput: (request: ModelRequest) => number = estimateRequestInputTokens,
): GovernedModel {
  // The provider's tokenizer and its prompt cache decide what a request is charged; a running
  // ratio of charged to estimated input tokens corrects the estimate from the replies seen so far.
  let calibration = 1;
  return {
    provider: model.provider,
    modelId: model.modelId,
    governor,
    async generate(request: ModelRequest, signal?: AbortSignal): Promise<GovernedResponse> {
      const raw = estimateInput(request);
      const estimate = { inputTokens: Math.ceil(raw * calibration), maxTokens: request.maxTokens };
      const outcome = await governor.run(estimate, (callSignal) => model.generate(request, callSignal), { signal });
      const charged = outcome.response.usage.inputTokens + outcome.response.usage.cacheWriteTokens;
      if (raw > 0 && charged > 0) calibration = CALIBRATION_KEEP * calibration + (1 - CALIBRATION_KEEP) * (charged / raw);
      return { ...outcome.response, attempts: outcome.attempts, throttles: outcome.throttles, waitedMillis: outcome.waitedMillis };
    },
  };
}
