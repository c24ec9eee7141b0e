/**
 * Model calls that fit in a task's time: a Lambda that waits on a model call past its own timeout
 * dies mid-call (Sandbox.Timedout), losing the work of its earlier calls. Given the task's timeout,
 * the per-call timeout and the governor's retries are chosen so that the worst case of one stage
 * call (a generate and its schema repair, each with every attempt timing out and every backoff at
 * its cap) ends before the task does, with room left for the task's own reads and writes.
 *
 * Long waits belong to the state machine, not the Lambda: Step Functions retries a task that
 * failed on throttling with backoff of up to two minutes and is not billed while it waits, so
 * fewer attempts inside a short task lose nothing.
 */

/** The environment variable that tells a task function its own timeout (set by infra/constructs/pipeline.ts). */
export const TASK_TIMEOUT_VARIABLE = 'PMLENS_TASK_TIMEOUT_SECONDS';

export interface CallBudgetOptions {
  /** The task's timeout. */
  taskMillis: number;
  /** Retries the governor would make (its maxRetries). */
  maxRetries: number;
  /** Whether maxRetries was configured explicitly: then it is kept, and only the timeout is fitted. */
  retriesConfigured?: boolean;
  /** Governed generate() runs one stage call may make: the call and its one schema repair. Default 2. */
  generatesPerCall?: number;
  /** The governor's backoff (see QuotaGovernorOptions). Defaults 500 and 20,000. */
  baseDelayMillis?: number;
  maxDelayMillis?: number;
  /** The longest per-call timeout wanted. Default 120,000 (the providers' default). */
  preferredTimeoutMillis?: number;
  /** Retries are dropped before the per-call timeout goes below this. Default 60,000. */
  minTimeoutMillis?: number;
}

export interface CallBudget {
  requestTimeoutMillis: number;
  maxRetries: number;
  /** The worst case of one stage call under this budget, backoff included. */
  worstCaseMillis: number;
}

/** Time kept for the task's own work: a tenth of its timeout, at least 30 s (less for very short tasks). */
function reserveOf(taskMillis: number): number {
  return Math.min(Math.max(30_000, taskMillis * 0.1), taskMillis / 2);
}

/** The sum of the governor's backoff caps over `retries` retries (full jitter waits at most this much). */
function backoffCapMillis(retries: number, baseDelayMillis: number, maxDelayMillis: number): number {
  let total = 0;
  for (let index = 0; index < retries; index += 1) total += Math.min(maxDelayMillis, baseDelayMillis * 2 ** index);
  return total;
}

/**
 * The per-call timeout and retries for a task: the most retries (up to maxRetries) whose per-call
 * timeout stays at or above minTimeoutMillis, the timeout capped at preferredTimeoutMillis.
 */
export function callBudget(options: CallBudgetOptions): CallBudget {
  const generates = options.generatesPerCall ?? 2;
  const base = options.baseDelayMillis ?? 500;
  const cap = options.maxDelayMillis ?? 20_000;
  const preferred = options.preferredTimeoutMillis ?? 120_000;
  const minimum = options.minTimeoutMillis ?? 60_000;
  const available = options.taskMillis - reserveOf(options.taskMillis);
  const fit = (retries: number): CallBudget => {
    const backoff = generates * backoffCapMillis(retries, base, cap);
    const requestTimeoutMillis = Math.max(
      1000,
      Math.min(preferred, Math.floor((available - backoff) / (generates * (retries + 1)))),
    );
    return {
      requestTimeoutMillis,
      maxRetries: retries,
      worstCaseMillis: generates * (retries + 1) * requestTimeoutMillis + backoff,
    };
  };
  if (options.retriesConfigured) return fit(options.maxRetries);
  for (let retries = options.maxRetries; retries > 0; retries -= 1) {
    const budget = fit(retries);
    if (budget.requestTimeoutMillis >= minimum) return budget;
  }
  return fit(0);
}
