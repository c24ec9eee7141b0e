import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigurationError, messageOf } from '../errors.ts';

export const DEFAULT_PRICES_PATH = fileURLToPath(new URL('../../config/prices.yaml', import.meta.url));

const Price = z.object({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  cacheRead: z.number().nonnegative().default(0),
  cacheWrite: z.number().nonnegative().default(0),
});
export type Price = z.infer<typeof Price>;
export const PriceTable = z.object({ version: z.union([z.string(), z.number()]), models: z.record(z.string(), Price) });
export type PriceTable = z.infer<typeof PriceTable>;

export async function loadPrices(file: string = DEFAULT_PRICES_PATH): Promise<PriceTable> {
  try {
    return PriceTable.parse(parseYaml(await readFile(file, 'utf8')));
  } catch (error) {
    throw new ConfigurationError(`the price table ${file} is unreadable or invalid: ${messageOf(error)}`);
  }
}

/** The price of a model id: the longest table key contained in the id; undefined when none matches. */
export function priceOf(table: PriceTable, modelId: string): Price | undefined {
  const matches = Object.keys(table.models)
    .filter((key) => modelId.includes(key))
    .sort((left, right) => right.length - left.length);
  return matches[0] === undefined ? undefined : table.models[matches[0]];
}

export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

/** Dollars for the given tokens; null when the model has no price in the table. */
export function costOf(price: Price | undefined, tokens: TokenCounts): number | null {
  if (!price) return null;
  const dollars =
    (tokens.inputTokens * price.input +
      tokens.outputTokens * price.output +
      tokens.cacheReadTokens * price.cacheRead +
      tokens.cacheWriteTokens * price.cacheWrite) /
    1_000_000;
  return Math.round(dollars * 10_000) / 10_000;
}
