import type { ModelUsage } from './language-model.ts';

/**
 * The rate limiter: admits model calls so that a run stays inside the provider's quotas.
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
 * Adaptation (AIMD): a throttle multiplies the effective rates by `decreaseFactor` (once per
 * congestion event), a streak of successes adds `recoveryStep` of the configured rates back.
 */

/** The validated settings of a RateLimiter (QuotaGovernor checks them and fills in the defaults). */
export interface RateLimiterSettings {
  maxInFlight: number;
  requestsPerWindow: number;
  tokensPerWindow: number;
  outputTokenWeight: number;
  reservedOutputWeight: number;
  windowMillis: number;
  /** How long a pacer may run ahead of the clock: a window's burst fraction, in milliseconds. */
  burstMillis: number;
  decreaseFactor: number;
  minRateFraction: number;
  recoveryStreak: number;
  recoveryStep: number;
  now: () => number;
  /** Schedules wake-ups; undefined: the built-in timers, which can be cleared. */
  sleep: ((ms: number) => Promise<void>) | undefined;
}

export interface TokenEstimate {
  inputTokens: number;
  maxTokens: number;
}

export interface RateLimiterStats {
  inFlight: number;
  /** Runs waiting for admission (not counting those sleeping in backoff). */
  queued: number;
  effectiveRequestsPerMinute: number;
  effectiveTokensPerMinute: number;
}

interface TokenEntry {
  at: number;
  tokens: number;
}

/** An admitted request, handed back at settlement. */
export interface Grant {
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

function finiteOr(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

export class RateLimiter {
  private readonly settings: RateLimiterSettings;

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

  constructor(settings: RateLimiterSettings) {
    this.settings = { ...settings };
  }

  stats(): RateLimiterStats {
    return {
      inFlight: this.inFlight,
      queued: this.queue.length,
      effectiveRequestsPerMinute: this.effectiveRequests,
      effectiveTokensPerMinute: this.effectiveTokens,
    };
  }

  /** A place in the admission order; a request keeps its ticket across retries. */
  issueTicket(): number {
    return this.nextTicket++;
  }

  /** The tokens a request reserves at start: its input plus `maxTokens` at the reserved output weight. */
  reservation(estimate: TokenEstimate): number {
    const { inputTokens, maxTokens } = estimate;
    if (!(inputTokens >= 0 && maxTokens >= 0 && Number.isFinite(inputTokens + maxTokens))) {
      throw new RangeError(`governor estimate must be non-negative token counts, got ${JSON.stringify(estimate)}`);
    }
    return inputTokens + maxTokens * this.settings.reservedOutputWeight;
  }

  /** Resolves once the request may start; rejects with the signal's reason if it aborts first. */
  acquire(ticket: number, tokens: number, signal: AbortSignal | undefined): Promise<Grant> {
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

  /** Frees the slot, corrects the reservation to the charged usage and counts towards recovery. */
  settleSuccess(grant: Grant, usage: ModelUsage | undefined): void {
    this.inFlight -= 1;
    if (usage) {
      const actual =
        finiteOr(usage.inputTokens, 0) +
        finiteOr(usage.cacheWriteTokens, 0) +
        finiteOr(usage.outputTokens, 0) * this.settings.outputTokenWeight;
      this.correct(grant, actual);
    }
    if (this.rateFraction < 1) {
      this.successStreak += 1;
      if (this.successStreak >= this.settings.recoveryStreak) {
        this.successStreak = 0;
        this.rateFraction = Math.min(1, this.rateFraction + this.settings.recoveryStep);
        if (1 - this.rateFraction < 1e-9) this.rateFraction = 1; // 0.7 + 3 * 0.1 is 0.9999999999999999
      }
    }
    this.pump();
  }

  /** Frees the slot; a throttle releases the reservation and lowers the rates. */
  settleFailure(grant: Grant, throttled: boolean): void {
    this.inFlight -= 1;
    if (throttled) {
      // Turned away at the door: it consumed no tokens (its request still counts, conservatively).
      this.correct(grant, 0);
      this.successStreak = 0;
      // One decrease per congestion event: attempts sent before the last decrease say nothing new.
      if (grant.seq > this.lastDecreaseSeq) {
        this.rateFraction = Math.max(this.settings.minRateFraction, this.rateFraction * this.settings.decreaseFactor);
        this.lastDecreaseSeq = this.admissions;
      }
    }
    // Other failures keep their reservation: the provider may well have done (and counted) the work.
    this.pump();
  }

  /** Admits waiters from the head of the queue while the budgets allow; otherwise arranges a wake-up. */
  private pump(): void {
    while (this.queue.length > 0) {
      const head = this.queue[0] as Waiter;
      const now = this.settings.now();
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
    const { sleep } = this.settings;
    if (sleep === undefined) {
      const handle = setTimeout(fire, ms);
      this.wake = { due, cancel: () => clearTimeout(handle) };
    } else {
      let cancelled = false;
      sleep(ms).then(
        () => {
          if (!cancelled) fire();
        },
        () => undefined,
      );
      this.wake = { due, cancel: () => (cancelled = true) };
    }
  }

  private get effectiveRequests(): number {
    return this.settings.requestsPerWindow * this.rateFraction;
  }

  private get effectiveTokens(): number {
    return this.settings.tokensPerWindow * this.rateFraction;
  }

  private prune(now: number): void {
    const horizon = now - this.settings.windowMillis;
    while (this.requestLog.length > 0 && (this.requestLog[0] as number) <= horizon) this.requestLog.shift();
    while (this.tokenLog.length > 0 && (this.tokenLog[0] as TokenEntry).at <= horizon) this.tokenLog.shift();
  }

  /** 0 when a request reserving `tokens` may start now; else how long until it may (Infinity: until a slot frees). */
  private admissionDelay(tokens: number, now: number): number {
    if (this.inFlight >= this.settings.maxInFlight) return Infinity;
    this.prune(now);
    const { windowMillis: window, burstMillis } = this.settings;
    let wait = 0;

    // Requests: hard sliding-window cap...
    const requestLimit = Math.max(1, Math.floor(this.effectiveRequests));
    if (this.requestLog.length >= requestLimit) {
      const releasing = this.requestLog[this.requestLog.length - requestLimit] as number;
      wait = Math.max(wait, releasing + window - now);
    }
    // ...and pacing.
    wait = Math.max(wait, this.requestTat - burstMillis - now);

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
    wait = Math.max(wait, this.tokenTat - burstMillis - now);
    return wait;
  }

  private admit(tokens: number, now: number): Grant {
    this.inFlight += 1;
    this.admissions += 1;
    this.requestLog.push(now);
    this.requestTat = Math.max(this.requestTat, now) + this.settings.windowMillis / this.effectiveRequests;
    const entry: TokenEntry = { at: now, tokens };
    this.tokenLog.push(entry);
    const paced = Math.min(tokens, this.effectiveTokens);
    this.tokenTat = Math.max(this.tokenTat, now) + paced * this.tokenPace();
    return { seq: this.admissions, entry, paced };
  }

  /** Milliseconds of pacing one quota token costs at the current effective rate. */
  private tokenPace(): number {
    return this.settings.windowMillis / this.effectiveTokens;
  }

  /** Moves a grant's token charge to `tokens` (what the provider ends up counting). */
  private correct(grant: Grant, tokens: number): void {
    grant.entry.tokens = tokens;
    const paced = Math.min(tokens, this.effectiveTokens);
    this.tokenTat += (paced - grant.paced) * this.tokenPace();
    grant.paced = paced;
  }
}

/** Weight of the running calibration against the newest reply. */
const CALIBRATION_KEEP = 0.8;

/**
 * Token-estimate calibration: the provider's tokenizer and its prompt cache decide what a request
 * is charged; a running ratio of charged to estimated input tokens corrects the estimate from the
 * replies seen so far.
 */
export class InputTokenCalibration {
  private ratio = 1;

  /** The estimate corrected by the ratio so far, in whole tokens. */
  calibrate(estimated: number): number {
    return Math.ceil(estimated * this.ratio);
  }

  /** Folds in one reply: `estimated` (uncalibrated) input tokens were charged as `charged`. */
  observe(estimated: number, charged: number): void {
    if (estimated > 0 && charged > 0)
      this.ratio = CALIBRATION_KEEP * this.ratio + (1 - CALIBRATION_KEEP) * (charged / estimated);
  }
}
