/**
 * The two models that put a stage's calls through a batch job without a second way of running
 * a stage: the stages run exactly as on demand (same engine, same prompts, same cache keys), only
 * the model behind them changes.
 *
 * - Collecting (before the job): every request is recorded and the call fails with BatchDeferral,
 *   so nothing is computed and nothing is cached; cache hits never reach the model at all.
 * - Answering (after the job): a request the job answered gets that answer; one the job failed, or
 *   one it answered invalidly (the repair request that structured output then sends), goes to the
 *   on-demand model, up to a bound; anything else is deferred again and left to the on-demand path
 *   of the Distributed Map.
 *
 * Both keep the wrapped model's provider and id: the engine's descriptor, and so every cache key,
 * is the on-demand one.
 */
import { PostmortemLensError } from '../errors.ts';
import type { LanguageModel, ModelRequest, ModelResponse } from '../models/language-model.ts';
import type { BatchAnswer, CollectedRequest } from './records.ts';
import { requestKeyOf } from './records.ts';

/** A call left to a batch job (or, after it, to the on-demand path): not a failure of the document. */
export class BatchDeferral extends PostmortemLensError {
  override readonly name = 'BatchDeferral';
}

/** Whether an error (or any error of its cause chain) is a deferral. */
export function isDeferral(error: unknown): boolean {
  for (let current: unknown = error; current instanceof Error; current = current.cause)
    if (current instanceof BatchDeferral) return true;
  return false;
}

export function collectingModel(inner: LanguageModel, collected: CollectedRequest[]): LanguageModel {
  return {
    provider: inner.provider,
    modelId: inner.modelId,
    generate(request: ModelRequest): Promise<ModelResponse> {
      collected.push({ modelId: inner.modelId, request });
      return Promise.reject(new BatchDeferral('left to a batch inference job'));
    },
  };
}

export interface AnsweringCounters {
  /** Requests answered from the job's output. */
  fromBatch: number;
  /** Calls made on demand: repairs of invalid answers and records the job failed. */
  onDemand: number;
  /** Requests deferred to the Distributed Map (not in the job, or over the on-demand bound). */
  deferred: number;
}

export function answeringModel(
  inner: LanguageModel,
  answers: ReadonlyMap<string, BatchAnswer>,
  options: { maxOnDemandCalls: number; counters: AnsweringCounters },
): LanguageModel {
  const { counters } = options;
  const sentToBatch = (request: ModelRequest) => answers.get(requestKeyOf({ modelId: inner.modelId, request }));
  return {
    provider: inner.provider,
    modelId: inner.modelId,
    async generate(request, signal) {
      const answer = sentToBatch(request);
      if (answer?.ok) {
        counters.fromBatch += 1;
        return answer.response;
      }
      // A repair of a batch answer (its request carries that answer), or a record the job failed.
      const repair = request.messages.length > 1;
      if ((answer !== undefined || repair) && counters.onDemand < options.maxOnDemandCalls) {
        counters.onDemand += 1;
        return inner.generate(request, signal);
      }
      counters.deferred += 1;
      throw new BatchDeferral('not answered by the batch inference job: left to the on-demand path');
    },
  };
}
