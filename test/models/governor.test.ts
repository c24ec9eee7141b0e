import { describe, expect, it, vi } from 'vitest';
import {
  estimateRequestInputTokens,
  governedAttempts,
  GovernorExhaustedError,
  governModel,
  QuotaGovernor,
} from '../../src/models/governor.ts';
import type { QuotaGovernorOptions } from '../../src/models/governor.ts';
import { EMPTY_USAGE, estimateTokens, ModelCallError } from '../../src/models/language-model.ts';
import type { LanguageModel, ModelRequest, ModelResponse, ModelUsage } from '../../src/models/language-model.ts';

/**
 * Virtual time: `sleep` parks a timer, `run` advances the clock to the next timer whenever every
 * promise has settled as far as it can. Everything (governor waits, backoffs, fake call latencies)
 * runs on it, so the tests are deterministic and assert on counts, order and virtual times only.
 */
class VirtualClock {
  time = 0;
  readonly sleeps: number[] = [];
  private timers: { due: number; seq: number; resolve: () => void }[] = [];
  private seq = 0;

  readonly now = (): number => this.time;

  readonly sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      this.timers.push({ due: this.time + Math.max(0, ms), seq: this.seq++, resolve });
    });

  /** A sleep that also records its duration (for backoff assertions). */
  readonly recordingSleep = (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    return this.sleep(ms);
  };

  async run<T>(promise: Promise<T>): Promise<T> {
    let settled = false;
    promise.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      if (settled) return promise;
      if (this.timers.length === 0) throw new Error('deadlock: nothing settled and no timer pending');
      this.timers.sort((left, right) => left.due - right.due || left.seq - right.seq);
      const next = this.timers.shift() as { due: number; resolve: () => void };
      this.time = Math.max(this.time, next.due);
      next.resolve();
    }
  }
}

/** Deterministic PRNG (mulberry32). */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function response(usage: Partial<ModelUsage> = {}, text = '{}'): ModelResponse {
  return { text, stopReason: 'tool', usage: { ...EMPTY_USAGE, ...usage }, latencyMillis: 0, warnings: [] };
}

function governor(clock: VirtualClock, options: Partial<QuotaGovernorOptions> = {}): QuotaGovernor {
  return new QuotaGovernor({
    maxInFlight: 100,
    requestsPerMinute: 1_000_000,
    tokensPerMinute: 1_000_000_000,
    windowMillis: 1000,
    random: () => 0.5,
    now: clock.now,
    sleep: clock.sleep,
    ...options,
  });
}

function throttled(message = 'ThrottlingException: Too many requests'): ModelCallError {
  return new ModelCallError('throttled', message, 429);
}

/** A call that fails with the given errors, in order, then succeeds. */
function failingThen(
  errors: unknown[],
  clock: VirtualClock,
  latency = 10,
): { call: () => Promise<ModelResponse>; calls: () => number } {
  let calls = 0;
  return {
    calls: () => calls,
    call: async () => {
      const error = errors[calls];
      calls += 1;
      await clock.sleep(latency);
      if (error !== undefined) throw error;
      return response({ inputTokens: 10, outputTokens: 10 });
    },
  };
}

/** Largest number of `starts` inside any half-open window [s, s + window). */
function busiestWindow(starts: number[], window: number): number {
  return Math.max(
    0,
    ...starts.map((start) => starts.filter((other) => other >= start && other < start + window).length),
  );
}

const SMALL = { inputTokens: 10, maxTokens: 10 };

describe('QuotaGovernor admission', () => {
  it('never runs more than maxInFlight calls at once', async () => {
    // Prepare
    const clock = new VirtualClock();
    const gov = governor(clock, { maxInFlight: 3 });
    const random = seeded(1);
    let running = 0;
    let peak = 0;
    const call = async (): Promise<ModelResponse> => {
      running += 1;
      peak = Math.max(peak, running);
      await clock.sleep(10 + Math.floor(random() * 90));
      running -= 1;
      return response();
    };

    // Act
    const outcomes = await clock.run(Promise.all(Array.from({ length: 12 }, () => gov.run(SMALL, call))));

    // Assess
    expect(outcomes).toHaveLength(12);
    expect(peak).toBe(3);
    expect(gov.stats()).toMatchObject({ requests: 12, inFlight: 0, queued: 0 });
  });

  it('never starts more than requestsPerMinute requests in any window', async () => {
    // Prepare
    const clock = new VirtualClock();
    const gov = governor(clock, { requestsPerMinute: 5, windowMillis: 1000 });
    const random = seeded(2);
    const starts: number[] = [];
    const call = async (): Promise<ModelResponse> => {
      starts.push(clock.now());
      await clock.sleep(1 + Math.floor(random() * 300));
      return response();
    };

    // Act
    await clock.run(Promise.all(Array.from({ length: 23 }, () => gov.run(SMALL, call))));

    // Assess
    expect(starts).toHaveLength(23);
    expect(busiestWindow(starts, 1000)).toBeLessThanOrEqual(5);
    expect(busiestWindow(starts, 1000)).toBeGreaterThanOrEqual(4);
  });

  it('spreads starts over the window instead of bursting the whole quota, yet uses all of it', async () => {
    // Prepare
    const clock = new VirtualClock();
    const gov = governor(clock, { requestsPerMinute: 10, windowMillis: 1000, burstFraction: 0.1 });
    const starts: number[] = [];
    const call = async (): Promise<ModelResponse> => {
      starts.push(clock.now());
      await clock.sleep(1);
      return response();
    };

    // Act
    await clock.run(Promise.all(Array.from({ length: 10 }, () => gov.run(SMALL, call))));

    // Assess: at most burstFraction of the quota (+1) goes out at once; all 10 still start within one window.
    expect(starts.filter((start) => start < 100)).toHaveLength(2);
    expect(starts.filter((start) => start < 1000)).toHaveLength(10);
  });

  it('blocks on spent token reservations, and an actual usage below the reservation frees budget at settlement', async () => {
    // Prepare: each call reserves 400 + 100 = 500 of a 1000-token window.
    const runWith = async (usage: Partial<ModelUsage>): Promise<number[]> => {
      const clock = new VirtualClock();
      const gov = governor(clock, { tokensPerMinute: 1000, windowMillis: 1000, burstFraction: 1 });
      const starts: number[] = [];
      const call = async (): Promise<ModelResponse> => {
        starts.push(clock.now());
        await clock.sleep(50);
        return response(usage);
      };
      await clock.run(
        Promise.all(Array.from({ length: 4 }, () => gov.run({ inputTokens: 400, maxTokens: 100 }, call))),
      );
      return starts;
    };

    // Act
    const fullUsage = await runWith({ inputTokens: 400, outputTokens: 100 });
    const smallUsage = await runWith({ inputTokens: 80, outputTokens: 20, cacheReadTokens: 5000 });

    // Assess: at full usage only two fit in the first window; at 100 actual tokens (cache reads free) all four do.
    expect(fullUsage.filter((start) => start < 1000)).toHaveLength(2);
    expect(smallUsage.filter((start) => start < 1000)).toHaveLength(4);
  });

  it('reserves maxTokens at the output weight', async () => {
    // Prepare: weight 5 -> each call reserves 100 + 100 * 5 = 600 of 1000 (at weight 1, 200: both would fit at once).
    const clock = new VirtualClock();
    const gov = governor(clock, { tokensPerMinute: 1000, windowMillis: 1000, burstFraction: 1, outputTokenWeight: 5 });
    const events: string[] = [];
    const call = (name: string) => async (): Promise<ModelResponse> => {
      events.push(`start ${name}`);
      await clock.sleep(50);
      events.push(`end ${name}`);
      return response({ inputTokens: 100, outputTokens: 10 });
    };
    const estimate = { inputTokens: 100, maxTokens: 100 };

    // Act
    await clock.run(Promise.all([gov.run(estimate, call('a')), gov.run(estimate, call('b'))]));

    // Assess
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  it.each([
    ['cache reads are free', { inputTokens: 100, cacheReadTokens: 10_000, outputTokens: 20 }, true],
    ['cache writes count', { inputTokens: 100, cacheWriteTokens: 350, outputTokens: 20 }, false],
    ['output tokens count at their weight', { inputTokens: 100, outputTokens: 81 }, false],
  ])('corrects the reservation to what the provider counts: %s', async (_label, usage, secondFitsInFirstWindow) => {
    // Prepare: budget 1000, output weight 5; a reserves 600, b 500, so b fits after a settles iff a counted <= 500.
    const clock = new VirtualClock();
    const gov = governor(clock, { tokensPerMinute: 1000, windowMillis: 1000, burstFraction: 1, outputTokenWeight: 5 });
    const starts: number[] = [];
    const call = (answer: Partial<ModelUsage>) => async (): Promise<ModelResponse> => {
      starts.push(clock.now());
      await clock.sleep(50);
      return response(answer);
    };

    // Act
    await clock.run(
      Promise.all([
        gov.run({ inputTokens: 100, maxTokens: 100 }, call(usage)),
        gov.run({ inputTokens: 500, maxTokens: 0 }, call({ inputTokens: 500 })),
      ]),
    );

    // Assess
    expect(starts.filter((start) => start < 1000)).toHaveLength(secondFitsInFirstWindow ? 2 : 1);
  });

  it('serves waiters first in, first out, even when a later small request would fit', async () => {
    // Prepare: a and b reserve 600 of 1000 each, c only 100.
    const clock = new VirtualClock();
    const gov = governor(clock, { tokensPerMinute: 1000, windowMillis: 1000, burstFraction: 1 });
    const order: string[] = [];
    const call = (name: string, tokens: number) => async (): Promise<ModelResponse> => {
      order.push(name);
      await clock.sleep(100);
      return response({ inputTokens: tokens });
    };

    // Act
    await clock.run(
      Promise.all([
        gov.run({ inputTokens: 600, maxTokens: 0 }, call('a', 600)),
        gov.run({ inputTokens: 600, maxTokens: 0 }, call('b', 600)),
        gov.run({ inputTokens: 100, maxTokens: 0 }, call('c', 100)),
      ]),
    );

    // Assess
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('starts queued calls in submission order through a single slot', async () => {
    // Prepare
    const clock = new VirtualClock();
    const gov = governor(clock, { maxInFlight: 1 });
    const random = seeded(3);
    const order: number[] = [];
    const call = (index: number) => async (): Promise<ModelResponse> => {
      order.push(index);
      await clock.sleep(1 + Math.floor(random() * 50));
      return response();
    };

    // Act
    await clock.run(Promise.all(Array.from({ length: 8 }, (_, index) => gov.run(SMALL, call(index)))));

    // Assess
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('puts a retry back ahead of work that arrived after it', async () => {
    // Prepare
    const clock = new VirtualClock();
    const gov = governor(clock, { maxInFlight: 1, baseDelayMillis: 1 });
    const order: string[] = [];
    const named = (name: string, errors: unknown[]) => {
      const inner = failingThen(errors, clock);
      return async (): Promise<ModelResponse> => {
        order.push(name);
        return inner.call();
      };
    };

    // Act: a is throttled once; b takes the freed slot during a's short backoff; a's retry, queued behind c, goes first.
    await clock.run(
      Promise.all([
        gov.run(SMALL, named('a', [throttled()])),
        gov.run(SMALL, named('b', [])),
        gov.run(SMALL, named('c', [])),
      ]),
    );

    // Assess
    expect(order).toEqual(['a', 'b', 'a', 'c']);
  });

  it('runs a request bigger than the whole token budget instead of deadlocking', async () => {
    // Prepare
    const clock = new VirtualClock();
    const gov = governor(clock, { tokensPerMinute: 1000, windowMillis: 1000 });
    const big = failingThen([], clock);
    const small = failingThen([], clock);

    // Act
    const [bigOutcome, smallOutcome] = await clock.run(
      Promise.all([gov.run({ inputTokens: 5000, maxTokens: 1000 }, big.call), gov.run(SMALL, small.call)]),
    );

    // Assess
    expect(bigOutcome.attempts).toBe(1);
    expect(smallOutcome.attempts).toBe(1);
    expect(big.calls() + small.calls()).toBe(2);
  });

  it('drops a waiter whose signal aborts and serves the next one', async () => {
    // Prepare
    const clock = new VirtualClock();
    const gov = governor(clock, { maxInFlight: 1 });
    const first = failingThen([], clock, 100);
    const aborted = failingThen([], clock);
    const last = failingThen([], clock);
    const controller = new AbortController();

    // Act
    const runs = Promise.allSettled([
      gov.run(SMALL, first.call),
      gov.run(SMALL, aborted.call, { signal: controller.signal }),
      gov.run(SMALL, last.call),
    ]);
    controller.abort(new Error('cancelled'));
    const [firstResult, abortedResult, lastResult] = await clock.run(runs);

    // Assess
    expect(firstResult.status).toBe('fulfilled');
    expect(abortedResult).toMatchObject({ status: 'rejected', reason: { message: 'cancelled' } });
    expect(lastResult.status).toBe('fulfilled');
    expect(aborted.calls()).toBe(0);
    expect(gov.stats()).toMatchObject({ queued: 0, inFlight: 0, failures: 1 });
  });
});

describe('QuotaGovernor on the real clock', () => {
  it('paces and completes calls with the built-in now and sleep (window scaled down)', async () => {
    // Prepare: 2 requests per 40 ms window; 6 calls need three windows, no timing asserted.
    const gov = new QuotaGovernor({
      maxInFlight: 4,
      requestsPerMinute: 2,
      tokensPerMinute: 1_000_000,
      windowMillis: 40,
      baseDelayMillis: 1,
    });
    let calls = 0;
    const call = async (): Promise<ModelResponse> => {
      calls += 1;
      if (calls === 1) throw throttled();
      return response({ inputTokens: 1 });
    };

    // Act
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => gov.run(SMALL, call)));

    // Assess
    expect(outcomes.map((outcome) => outcome.attempts).sort()).toEqual([1, 1, 1, 1, 1, 2]);
    expect(gov.stats()).toMatchObject({ requests: 7, throttles: 1, inFlight: 0, queued: 0, failures: 0 });
  });

  it('stops a backoff on the built-in clock when the caller aborts', async () => {
    // Prepare: a 10-minute backoff that must not hold the process.
    const gov = new QuotaGovernor({
      maxInFlight: 1,
      requestsPerMinute: 100,
      tokensPerMinute: 100_000,
      baseDelayMillis: 600_000,
      random: () => 1,
    });
    const controller = new AbortController();
    const call = async (): Promise<ModelResponse> => {
      setImmediate(() => controller.abort(new Error('shutting down')));
      throw throttled();
    };

    // Act
    const result = gov.run(SMALL, call, { signal: controller.signal });

    // Assess
    await expect(result).rejects.toThrow('shutting down');
    expect(governedAttempts(await result.catch((error: unknown) => error))).toBe(1);
  });

  it('rejects an estimate that is not a token count', async () => {
    // Prepare
    const gov = new QuotaGovernor({ maxInFlight: 1, requestsPerMinute: 100, tokensPerMinute: 100_000 });

    // Act
    const result = gov.run({ inputTokens: Number.NaN, maxTokens: 10 }, async () => response());

    // Assess
    await expect(result).rejects.toBeInstanceOf(RangeError);
  });
});

describe('QuotaGovernor retries', () => {
  it('retries a throttled call with full-jitter exponential backoff and counts the throttles', async () => {
    // Prepare: random() = 0.5, base 100 -> backoffs 0.5 * 100 and 0.5 * 200.
    const clock = new VirtualClock();
    const gov = governor(clock, { baseDelayMillis: 100, sleep: clock.recordingSleep });
    const flaky = failingThen([throttled(), throttled()], clock);

    // Act
    const outcome = await clock.run(gov.run(SMALL, flaky.call));

    // Assess
    expect(outcome).toMatchObject({ attempts: 3, throttles: 2, waitedMillis: 150 });
    expect(clock.sleeps).toEqual([50, 100]);
    expect(gov.stats()).toMatchObject({ requests: 3, retries: 2, throttles: 2, failures: 0 });
  });

  it('caps the backoff at maxDelayMillis', async () => {
    // Prepare: random() = 1 -> delays min(300, 100 * 2^n).
    const clock = new VirtualClock();
    const gov = governor(clock, {
      baseDelayMillis: 100,
      maxDelayMillis: 300,
      random: () => 1,
      sleep: clock.recordingSleep,
    });
    const flaky = failingThen([throttled(), throttled(), throttled(), throttled()], clock);

    // Act
    await clock.run(gov.run(SMALL, flaky.call));

    // Assess
    expect(clock.sleeps).toEqual([100, 200, 300, 300]);
  });

  it('waits at least retryAfterMillis when the error carries it', async () => {
    // Prepare
    const clock = new VirtualClock();
    const gov = governor(clock, { baseDelayMillis: 100, sleep: clock.recordingSleep });
    const flaky = failingThen([Object.assign(throttled(), { retryAfterMillis: 5000 })], clock);

    // Act
    const outcome = await clock.run(gov.run(SMALL, flaky.call));

    // Assess
    expect(clock.sleeps).toEqual([5000]);
    expect(outcome.attempts).toBe(2);
  });

  it.each([
    ['a client ModelCallError', new ModelCallError('client', 'ValidationException: bad schema', 400)],
    ['a plain Error', new Error('bug in the call')],
  ])('does not retry %s and rethrows it unchanged', async (_label, error) => {
    // Prepare
    const clock = new VirtualClock();
    const gov = governor(clock);
    const failing = failingThen([error], clock);

    // Act
    const result = clock.run(gov.run(SMALL, failing.call));

    // Assess
    await expect(result).rejects.toBe(error);
    expect(failing.calls()).toBe(1);
    expect(governedAttempts(error)).toBe(1);
    expect(gov.stats()).toMatchObject({ requests: 1, retries: 0, failures: 1 });
  });

  it('reports the attempt count of a non-retryable error that follows throttles', async () => {
    // Prepare
    const clock = new VirtualClock();
    const gov = governor(clock);
    const client = new ModelCallError('client', 'AccessDeniedException', 403);
    const failing = failingThen([throttled(), client], clock);

    // Act
    const result = clock.run(gov.run(SMALL, failing.call));

    // Assess
    await expect(result).rejects.toBe(client);
    expect(governedAttempts(client)).toBe(2);
  });

  it('gives up after maxRetries + 1 attempts with the attempt count and the last error', async () => {
    // Prepare
    const clock = new VirtualClock();
    const gov = governor(clock, { maxRetries: 2 });
    const errors = [1, 2, 3].map((n) => new ModelCallError('server', `InternalServerException #${n}`, 500));
    const failing = failingThen([...errors, ...errors], clock);

    // Act
    const error: unknown = await clock.run(gov.run(SMALL, failing.call)).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(GovernorExhaustedError);
    const exhausted = error as GovernorExhaustedError;
    expect(exhausted).toBeInstanceOf(ModelCallError);
    expect(exhausted).toMatchObject({ attempts: 3, throttles: 0, kind: 'server', status: 500, retryable: false });
    expect(exhausted.message).toBe('failed after 3 attempts: InternalServerException #3');
    expect(exhausted.lastError).toBe(errors[2]);
    expect(governedAttempts(exhausted)).toBe(3);
    expect(failing.calls()).toBe(3);
    expect(gov.stats()).toMatchObject({ requests: 3, retries: 2, failures: 1 });
  });

  it('does not retry once the caller aborted', async () => {
    // Prepare
    const clock = new VirtualClock();
    const gov = governor(clock);
    const controller = new AbortController();
    const timeout = new ModelCallError('timeout', 'call aborted by the caller');
    const call = vi.fn(async () => {
      controller.abort();
      throw timeout;
    });

    // Act
    const result = clock.run(gov.run(SMALL, call, { signal: controller.signal }));

    // Assess
    await expect(result).rejects.toBe(timeout);
    expect(call).toHaveBeenCalledTimes(1);
    expect(call).toHaveBeenCalledWith(controller.signal);
  });
});

describe('QuotaGovernor adaptation', () => {
  it('lowers the effective rates on a throttle and raises them back after runs of successes', async () => {
    // Prepare
    const clock = new VirtualClock();
    const gov = governor(clock, {
      requestsPerMinute: 100,
      tokensPerMinute: 100_000,
      windowMillis: 60_000,
      recoveryStreak: 3,
      recoveryStep: 0.1,
    });
    const rates: number[] = [];

    // Act: one throttled-then-successful run, then eight plain runs, one after another.
    await clock.run(gov.run(SMALL, failingThen([throttled()], clock).call));
    rates.push(gov.stats().effectiveRequestsPerMinute);
    const tokensAfterThrottle = gov.stats().effectiveTokensPerMinute;
    for (let index = 0; index < 8; index += 1) {
      await clock.run(gov.run(SMALL, failingThen([], clock).call));
      rates.push(gov.stats().effectiveRequestsPerMinute);
    }

    // Assess: streak 1 at 70; every third success adds 10 back, up to the configured 100.
    expect(tokensAfterThrottle).toBeCloseTo(70_000);
    expect(rates.map((rate) => Math.round(rate))).toEqual([70, 70, 80, 80, 80, 90, 90, 90, 100]);
    expect(gov.stats().effectiveRequestsPerMinute).toBe(100);
  });

  it('lowers the rates once for throttles of calls sent before the decrease', async () => {
    // Prepare
    const clock = new VirtualClock();
    const gov = governor(clock, { requestsPerMinute: 100, windowMillis: 60_000 });

    // Act: two concurrent calls hit by the same congestion.
    await clock.run(
      Promise.all([
        gov.run(SMALL, failingThen([throttled()], clock).call),
        gov.run(SMALL, failingThen([throttled()], clock).call),
      ]),
    );

    // Assess
    expect(gov.stats().effectiveRequestsPerMinute).toBeCloseTo(70);
    expect(gov.stats().throttles).toBe(2);
  });

  it('floors the effective rates at minRateFraction of the configured ones', async () => {
    // Prepare
    const clock = new VirtualClock();
    const gov = governor(clock, {
      requestsPerMinute: 100,
      tokensPerMinute: 50_000,
      windowMillis: 60_000,
      maxRetries: 20,
      random: () => 0,
    });
    const flaky = failingThen(
      Array.from({ length: 10 }, () => throttled()),
      clock,
    );

    // Act
    const outcome = await clock.run(gov.run(SMALL, flaky.call));

    // Assess
    expect(outcome.throttles).toBe(10);
    expect(gov.stats().effectiveRequestsPerMinute).toBeCloseTo(10);
    expect(gov.stats().effectiveTokensPerMinute).toBeCloseTo(5000);
  });
});

describe('governModel', () => {
  const request: ModelRequest = {
    system: 'You summarize postmortems.'.repeat(10),
    messages: [{ role: 'user', content: 'The database failed over at 02:00.'.repeat(20) }],
    tool: { name: 'record_summary', description: 'Records the summary.', inputSchema: { type: 'object' } },
    maxTokens: 500,
  };

  it('goes through the governor and answers with the attempt counts', async () => {
    // Prepare
    const clock = new VirtualClock();
    const gov = governor(clock, { sleep: clock.recordingSleep });
    let calls = 0;
    const seen: (AbortSignal | undefined)[] = [];
    const model: LanguageModel = {
      provider: 'fake',
      modelId: 'fake-1',
      generate: async (_request, signal) => {
        seen.push(signal);
        calls += 1;
        if (calls === 1) throw throttled();
        return response({ inputTokens: 5 }, '{"ok":true}');
      },
    };
    const estimateInput = vi.fn(estimateRequestInputTokens);
    const governed = governModel(model, gov, estimateInput);
    const controller = new AbortController();

    // Act
    const answer = await clock.run(governed.generate(request, controller.signal));

    // Assess
    expect(answer).toMatchObject({ text: '{"ok":true}', attempts: 2, throttles: 1 });
    expect(answer.waitedMillis).toBe(clock.sleeps.reduce((sum, ms) => sum + ms, 0));
    expect([governed.provider, governed.modelId]).toEqual(['fake', 'fake-1']);
    expect(governed.governor).toBe(gov);
    expect(estimateInput).toHaveBeenCalledWith(request);
    expect(seen).toEqual([controller.signal, controller.signal]);
  });

  it('estimates input tokens over the system prompt, the messages and the output tool by default', () => {
    // Prepare
    const expected =
      estimateTokens(request.system) +
      estimateTokens(request.messages[0]?.content ?? '') +
      estimateTokens(request.tool.name) +
      estimateTokens(request.tool.description) +
      estimateTokens(JSON.stringify(request.tool.inputSchema));

    // Act
    const estimate = estimateRequestInputTokens(request);

    // Assess
    expect(estimate).toBe(expected);
  });
});

interface SimulatorQuota {
  requestsPerWindow: number;
  tokensPerWindow: number;
  windowMillis: number;
  outputTokenWeight: number;
  /** Chance that a call is throttled for provider capacity, whatever the quota. */
  capacityThrottleRate: number;
}

/**
 * A fake provider with Bedrock's accounting: its own sliding-window quotas, `input + max_tokens`
 * reserved at request start, `input + cache writes + output * weight` counted at the end, 429 when
 * a request would exceed a quota. It counts input tokens its own way (characters / 3.5), so the
 * governor's estimate (characters / 4) is off, as it is against a real tokenizer.
 */
class QuotaSimulator implements LanguageModel {
  readonly provider = 'simulator';
  readonly modelId = 'sim-sonnet';
  quotaThrottles = 0;
  capacityThrottles = 0;
  served = 0;
  tokensServed = 0;
  private readonly requests: number[] = [];
  private readonly tokens: { at: number; tokens: number }[] = [];

  constructor(
    private readonly clock: VirtualClock,
    private readonly quota: SimulatorQuota,
    private readonly random: () => number,
  ) {}

  async generate(request: ModelRequest): Promise<ModelResponse> {
    const now = this.clock.now();
    const horizon = now - this.quota.windowMillis;
    while (this.requests.length > 0 && (this.requests[0] as number) <= horizon) this.requests.shift();
    while (this.tokens.length > 0 && (this.tokens[0] as { at: number }).at <= horizon) this.tokens.shift();
    const characters =
      request.system.length + request.messages.reduce((sum, message) => sum + message.content.length, 0);
    const inputTokens = Math.ceil(characters / 3.5);
    const reserved = inputTokens + request.maxTokens;
    const used = this.tokens.reduce((sum, entry) => sum + entry.tokens, 0);
    if (this.requests.length + 1 > this.quota.requestsPerWindow || used + reserved > this.quota.tokensPerWindow) {
      this.quotaThrottles += 1;
      throw throttled('ThrottlingException: Too many tokens, please wait before trying again.');
    }
    if (this.random() < this.quota.capacityThrottleRate) {
      this.capacityThrottles += 1;
      throw throttled('ThrottlingException: insufficient capacity');
    }
    this.requests.push(now);
    const entry = { at: now, tokens: reserved };
    this.tokens.push(entry);
    const outputTokens = Math.min(request.maxTokens, 200 + Math.floor(this.random() * 1300));
    await this.clock.sleep(3000 + outputTokens * 20);
    entry.tokens = inputTokens + outputTokens * this.quota.outputTokenWeight;
    this.served += 1;
    this.tokensServed += entry.tokens;
    return response({ inputTokens, outputTokens }, request.messages[0]?.content.slice(0, 12));
  }
}

describe('QuotaGovernor against a quota simulator', () => {
  const quota: SimulatorQuota = {
    requestsPerWindow: 200,
    tokensPerWindow: 200_000,
    windowMillis: 60_000,
    outputTokenWeight: 5,
    capacityThrottleRate: 0.02,
  };

  function requests(count: number, random: () => number): ModelRequest[] {
    return Array.from({ length: count }, (_, index) => ({
      system: 'You read incident postmortems and record a structured summary. '.repeat(30),
      messages: [
        {
          role: 'user' as const,
          content: `doc-${String(index).padStart(4, '0')} ${'x'.repeat(4000 + Math.floor(random() * 16000))}`,
        },
      ],
      tool: { name: 'record_summary', description: 'Records the summary.', inputSchema: { type: 'object' } },
      maxTokens: 2000,
    }));
  }

  it('completes 200 calls with none lost and few throttles when configured to the same quota', async () => {
    // Prepare
    const clock = new VirtualClock();
    const random = seeded(42);
    const simulator = new QuotaSimulator(clock, quota, random);
    const gov = new QuotaGovernor({
      maxInFlight: 16,
      requestsPerMinute: quota.requestsPerWindow,
      tokensPerMinute: quota.tokensPerWindow,
      outputTokenWeight: quota.outputTokenWeight,
      windowMillis: quota.windowMillis,
      random,
      now: clock.now,
      sleep: clock.sleep,
    });
    const governed = governModel(simulator, gov);
    const batch = requests(200, random);

    // Act
    const results = await clock.run(Promise.allSettled(batch.map((request) => governed.generate(request))));

    // Assess
    const answered = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value.text] : []));
    expect(answered).toHaveLength(200);
    expect(new Set(answered).size).toBe(200);
    expect(simulator.served).toBe(200);
    expect(simulator.quotaThrottles).toBe(0);
    expect(gov.stats().throttles).toBe(simulator.capacityThrottles);
    expect(gov.stats().throttles).toBeLessThanOrEqual(10);
    expect(gov.stats()).toMatchObject({ failures: 0, inFlight: 0, queued: 0 });
  });

  it.each([
    ['the worst-case reservation (maxTokens at the output weight)', {}, 0.75, 0],
    ["Bedrock's own reservation (maxTokens at weight 1)", { reservedOutputWeight: 1 }, 0.9, 3],
  ])('keeps token throughput close to the quota with %s', async (_label, extra, minimumShare, maximumThrottles) => {
    // Prepare
    const clock = new VirtualClock();
    const random = seeded(42);
    const simulator = new QuotaSimulator(clock, { ...quota, capacityThrottleRate: 0 }, random);
    const gov = new QuotaGovernor({
      maxInFlight: 16,
      requestsPerMinute: quota.requestsPerWindow,
      tokensPerMinute: quota.tokensPerWindow,
      outputTokenWeight: quota.outputTokenWeight,
      windowMillis: quota.windowMillis,
      random,
      now: clock.now,
      sleep: clock.sleep,
      ...extra,
    });
    const governed = governModel(simulator, gov);

    // Act
    const results = await clock.run(
      Promise.allSettled(requests(200, random).map((request) => governed.generate(request))),
    );

    // Assess: quota tokens served per (virtual) window over the whole run, start-up and tail included.
    expect(results.every((result) => result.status === 'fulfilled')).toBe(true);
    expect(simulator.quotaThrottles).toBeLessThanOrEqual(maximumThrottles);
    const tokensPerWindow = (simulator.tokensServed / clock.time) * quota.windowMillis;
    expect(tokensPerWindow).toBeGreaterThan(minimumShare * quota.tokensPerWindow);
  });

  it('(baseline) the same calls with only a concurrency limit are throttled again and again', async () => {
    // Prepare
    const clock = new VirtualClock();
    const random = seeded(42);
    const simulator = new QuotaSimulator(clock, { ...quota, capacityThrottleRate: 0 }, random);
    const batch = requests(200, random);
    let next = 0;
    let throttledCalls = 0;
    const worker = async (): Promise<void> => {
      while (next < batch.length) {
        const request = batch[next++] as ModelRequest;
        await simulator.generate(request).catch(() => (throttledCalls += 1));
      }
    };

    // Act
    await clock.run(Promise.all(Array.from({ length: 16 }, worker)));

    // Assess
    expect(throttledCalls).toBe(simulator.quotaThrottles);
    expect(throttledCalls).toBeGreaterThan(50);
  });
});
