import { describe, expect, it } from 'vitest';
import { fittedToTask } from '../../src/aws/context.ts';
import { EngineConfig } from '../../src/config/engine-config.ts';
import { callBudget, TASK_TIMEOUT_VARIABLE } from '../../src/models/call-budget.ts';

describe('callBudget', () => {
  it('fits a generate and its repair, every attempt timing out and every backoff at its cap, in the task with room left', () => {
    for (const seconds of [30, 60, 300, 600, 900]) {
      // Act
      const budget = callBudget({ taskMillis: seconds * 1000, maxRetries: 4 });

      // Assess
      expect(budget.worstCaseMillis, `${seconds} s`).toBeLessThanOrEqual(seconds * 1000 * 0.9);
      expect(budget.maxRetries).toBeLessThanOrEqual(4);
    }
  });

  it('drops retries before the per-call timeout goes below a minute, and caps it at two minutes', () => {
    expect(callBudget({ taskMillis: 300_000, maxRetries: 4 })).toEqual({
      requestTimeoutMillis: 67_250,
      maxRetries: 1,
      worstCaseMillis: 270_000,
    });
    expect(callBudget({ taskMillis: 900_000, maxRetries: 4 })).toMatchObject({
      maxRetries: 4,
      requestTimeoutMillis: 79_500,
    });
    expect(callBudget({ taskMillis: 3_600_000, maxRetries: 4 })).toMatchObject({
      maxRetries: 4,
      requestTimeoutMillis: 120_000,
    });
  });

  it('keeps retries that were configured and fits only the timeout', () => {
    expect(callBudget({ taskMillis: 300_000, maxRetries: 4, retriesConfigured: true })).toMatchObject({
      maxRetries: 4,
      requestTimeoutMillis: 25_500,
    });
  });
});

describe('fittedToTask', () => {
  const bedrock = EngineConfig.parse({ engine: 'bedrock' });

  it("sets a Bedrock task's per-call timeout and retries from its timeout", () => {
    expect(fittedToTask(bedrock, { [TASK_TIMEOUT_VARIABLE]: '300' })).toMatchObject({
      requestTimeoutMillis: 67_250,
      quota: { maxRetries: 1 },
    });
  });

  it('leaves a configured timeout, the offline engine and a function without the variable alone', () => {
    const configured = EngineConfig.parse({ engine: 'bedrock', requestTimeoutMillis: 30_000 });
    expect(fittedToTask(configured, { [TASK_TIMEOUT_VARIABLE]: '300' })).toBe(configured);
    const offline = EngineConfig.parse({ engine: 'offline' });
    expect(fittedToTask(offline, { [TASK_TIMEOUT_VARIABLE]: '300' })).toBe(offline);
    expect(fittedToTask(bedrock, {})).toBe(bedrock);
  });
});
