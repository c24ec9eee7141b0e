import type { z } from 'zod';
import { describeIssues, PostmortemLensError, type ErrorCode } from '../../errors.ts';
import { governedCallOf } from '../../models/governor.ts';
import { extractJsonObject } from '../../models/json-extraction.ts';
import type { LanguageModel, ModelRequest, ModelResponse } from '../../models/language-model.ts';
import { addUsage, NO_USAGE, type Usage } from '../engine.ts';
import { checkRanges, describeRangeProblems } from './ranges.ts';

/**
 * The model's output could not be made valid: carries what was spent. The raw text is kept for
 * callers that inspect it in memory, as a non-enumerable property, so that serialising or
 * logging the error never writes it; the message never quotes it.
 */
export class StructuredOutputError extends PostmortemLensError {
  override readonly name = 'StructuredOutputError';
  declare readonly rawText: string;
  constructor(
    message: string,
    rawText: string,
    readonly usage: Usage,
    readonly stopReason: string,
  ) {
    super(message);
    Object.defineProperty(this, 'rawText', { value: rawText, enumerable: false });
  }

  override get code(): ErrorCode {
    return this.stopReason === 'max-tokens' ? 'model-output-truncated' : 'model-output-invalid';
  }
}

interface GovernedFields {
  attempts?: number;
  throttles?: number;
  callMillis?: number;
}

/** Every attempt is a call (a timed-out or throttled one too); attempts beyond the first are retries. */
function usageOf(response: ModelResponse): Usage {
  const governed = response as ModelResponse & GovernedFields;
  const attempts = Math.max(1, governed.attempts ?? 1);
  return {
    calls: attempts,
    inputTokens: response.usage.inputTokens,
    outputTokens: response.usage.outputTokens,
    cacheReadTokens: response.usage.cacheReadTokens,
    cacheWriteTokens: response.usage.cacheWriteTokens,
    retries: attempts - 1,
    throttles: governed.throttles ?? 0,
    latencyMillis: governed.callMillis ?? response.latencyMillis,
  };
}

/** What a failed generate() spent: its attempts (no tokens are known for them) and the time they took. */
function usageOfFailure(error: unknown, millis: number): Usage {
  const call = governedCallOf(error);
  const attempts = Math.max(1, call?.attempts ?? 1);
  return {
    ...NO_USAGE,
    calls: attempts,
    retries: attempts - 1,
    throttles: call?.throttles ?? 0,
    latencyMillis: Math.round(call?.callMillis ?? millis),
  };
}

/** Attaches what was spent to an error (non-enumerable `usage`, read by the stage runner); returns it. */
export function withSpentUsage(error: unknown, usage: Usage): unknown {
  if (typeof error === 'object' && error !== null && Object.isExtensible(error)) {
    Object.defineProperty(error, 'usage', { value: usage, enumerable: false, configurable: true, writable: true });
  }
  return error;
}

/** One generate(); a failure rethrows carrying `spent` plus the failed call's usage. */
async function generate(
  model: LanguageModel,
  request: ModelRequest,
  spent: Usage,
  extraRetry: number,
): Promise<ModelResponse> {
  const started = performance.now();
  try {
    return await model.generate(request);
  } catch (error) {
    const failed = usageOfFailure(error, performance.now() - started);
    throw withSpentUsage(error, addUsage(spent, { ...failed, retries: failed.retries + extraRetry }));
  }
}

type Check<T> = { ok: true; value: T; normalised: string[] } | { ok: false; problem: string };

function check<T>(response: ModelResponse, request: ModelRequest, schema: z.ZodType<T>): Check<T> {
  if (response.stopReason === 'max-tokens')
    return { ok: false, problem: 'the answer was cut off at the maxTokens limit; answer more briefly' };
  const candidate = response.toolInput ?? extractJsonObject(response.text);
  if (candidate === undefined) return { ok: false, problem: 'the answer held no JSON object' };
  const ranges = checkRanges(candidate, request.tool.inputSchema);
  if (ranges.problems.length > 0) return { ok: false, problem: describeRangeProblems(ranges.problems) };
  const parsed = schema.safeParse(ranges.value);
  if (parsed.success) return { ok: true, value: parsed.data, normalised: ranges.normalised };
  return { ok: false, problem: describeIssues(parsed.error.issues as Parameters<typeof describeIssues>[0]) };
}

function normalisedWarnings(normalised: string[]): string[] {
  return normalised.length === 0
    ? []
    : [
        `percentages normalised to fractions (value / 100): ${normalised.slice(0, 8).join(', ')}${normalised.length > 8 ? ', …' : ''}`,
      ];
}

export interface StructuredResult<T> {
  value: T;
  usage: Usage;
  warnings: string[];
}

/**
 * Ask for structured output and validate it; an invalid or truncated answer gets exactly one
 * repair attempt that shows the model what was wrong, then fails with a typed error. Numbers are
 * checked against the tool schema's ranges first (see ranges.ts): a percentage on a [0, 1] field
 * is normalised, any other out-of-range number gets a repair message naming the field and range.
 * Every attempt counts in the usage, failed and timed-out ones included.
 */
export async function generateStructured<T>(
  model: LanguageModel,
  request: ModelRequest,
  schema: z.ZodType<T>,
): Promise<StructuredResult<T>> {
  const first = await generate(model, request, NO_USAGE, 0);
  let usage = addUsage(NO_USAGE, usageOf(first));
  const warnings = [...first.warnings];
  const firstCheck = check(first, request, schema);
  if (firstCheck.ok)
    return { value: firstCheck.value, usage, warnings: [...warnings, ...normalisedWarnings(firstCheck.normalised)] };
  const repairRequest: ModelRequest = {
    ...request,
    messages: [
      ...request.messages,
      { role: 'assistant', content: first.text.slice(0, 20_000) || '(empty)' },
      {
        role: 'user',
        content: `Your previous answer could not be accepted: ${firstCheck.problem}. Call ${request.tool.name} again with one complete, valid answer that follows the schema.`,
      },
    ],
  };
  const second = await generate(model, repairRequest, usage, 1);
  usage = addUsage(usage, { ...usageOf(second), retries: usageOf(second).retries + 1 });
  warnings.push(...second.warnings);
  const secondCheck = check(second, repairRequest, schema);
  if (secondCheck.ok)
    return {
      value: secondCheck.value,
      usage,
      warnings: [...warnings, ...normalisedWarnings(secondCheck.normalised), `repaired after: ${firstCheck.problem}`],
    };
  throw new StructuredOutputError(
    `invalid output after one repair attempt: ${secondCheck.problem}`,
    second.text,
    usage,
    second.stopReason,
  );
}
