import type { z } from 'zod';
import { PostmortemLensError } from '../../errors.ts';
import { extractJsonObject } from '../../models/json-extraction.ts';
import type { LanguageModel, ModelRequest, ModelResponse } from '../../models/language-model.ts';
import { addUsage, NO_USAGE, type Usage } from '../engine.ts';

/** The model's output could not be made valid: carries the raw text and what was spent. */
export class StructuredOutputError extends PostmortemLensError {
  override readonly name = 'StructuredOutputError';
  constructor(
    message: string,
    readonly rawText: string,
    readonly usage: Usage,
    readonly stopReason: string,
  ) {
    super(message);
  }
}

function usageOf(response: ModelResponse): Usage {
  const governed = response as ModelResponse & { attempts?: number; throttles?: number };
  return {
    calls: 1,
    inputTokens: response.usage.inputTokens,
    outputTokens: response.usage.outputTokens,
    cacheReadTokens: response.usage.cacheReadTokens,
    cacheWriteTokens: response.usage.cacheWriteTokens,
    retries: Math.max(0, (governed.attempts ?? 1) - 1),
    throttles: governed.throttles ?? 0,
    latencyMillis: response.latencyMillis,
  };
}

type Check<T> = { ok: true; value: T } | { ok: false; problem: string };

function check<T>(response: ModelResponse, schema: z.ZodType<T>): Check<T> {
  if (response.stopReason === 'max-tokens') return { ok: false, problem: 'the answer was cut off at the maxTokens limit; answer more briefly' };
  const candidate = response.toolInput ?? extractJsonObject(response.text);
  if (candidate === undefined) return { ok: false, problem: 'the answer held no JSON object' };
  const parsed = schema.safeParse(candidate);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, problem: parsed.error.issues.slice(0, 8).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ') };
}

export interface StructuredResult<T> {
  value: T;
  usage: Usage;
  warnings: string[];
}

/**
 * Ask for structured output and validate it; an invalid or truncated answer gets exactly one
 * repair attempt that shows the model what was wrong, then fails with a typed error.
 */
export async function generateStructured<T>(model: LanguageModel, request: ModelRequest, schema: z.ZodType<T>): Promise<StructuredResult<T>> {
  const first = await model.generate(request);
  let usage = addUsage(NO_USAGE, usageOf(first));
  const warnings = [...first.warnings];
  const firstCheck = check(first, schema);
  if (firstCheck.ok) return { value: firstCheck.value, usage, warnings };
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
  const second = await model.generate(repairRequest);
  usage = addUsage(usage, { ...usageOf(second), retries: usageOf(second).retries + 1 });
  warnings.push(...second.warnings);
  const secondCheck = check(second, schema);
  if (secondCheck.ok) return { value: secondCheck.value, usage, warnings: [...warnings, `repaired after: ${firstCheck.problem}`] };
  throw new StructuredOutputError(`invalid output after one repair attempt: ${secondCheck.problem}`, second.text, usage, second.stopReason);
}
