/**
 * When batch inference applies and what it saves.
 *
 * - Bedrock accepts a batch job of at least 100 records (the default quota "Minimum number of
 *   records per batch inference job"); fewer cannot be submitted at all.
 * - A stage of a round goes through a job only from `minimumRecords` distinct requests on
 *   (default 1,000, never under 100): a job may take hours to run (Bedrock queues it for up to
 *   its timeout, 24 h here), which a small or incremental drop should not wait for.
 * - Assumption: batch inference is priced at 50% of the on-demand input and output token prices
 *   of the same model (Bedrock's pricing for the models that support batch, Anthropic Claude
 *   included). Prompt-cache reads and writes have no batch price: cached tokens are counted as
 *   ordinary input in a batch estimate.
 */
import { costOf, type Price, type TokenCounts } from '../config/prices.ts';

export const BEDROCK_MINIMUM_BATCH_RECORDS = 100;
export const DEFAULT_BATCH_MINIMUM_RECORDS = 1000;
export const BATCH_PRICE_FACTOR = 0.5;

/** The batch price of a model: its on-demand input and output prices times BATCH_PRICE_FACTOR. */
export function batchPriceOf(price: Price | undefined): Price | undefined {
  if (!price) return undefined;
  return {
    input: price.input * BATCH_PRICE_FACTOR,
    output: price.output * BATCH_PRICE_FACTOR,
    cacheRead: price.input * BATCH_PRICE_FACTOR,
    cacheWrite: price.input * BATCH_PRICE_FACTOR,
  };
}

/** Whether a stage with this many requests in a round would go through a batch job. */
export function goesToBatch(requests: number, minimumRecords = DEFAULT_BATCH_MINIMUM_RECORDS): boolean {
  return requests >= Math.max(BEDROCK_MINIMUM_BATCH_RECORDS, minimumRecords);
}

/** Dollars for tokens at batch prices; null when the model has no price. */
export function batchCostOf(price: Price | undefined, tokens: TokenCounts): number | null {
  return costOf(batchPriceOf(price), tokens);
}
