import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigurationError, messageOf } from '../errors.ts';
import type { QuotaGovernorOptions } from '../models/governor.ts';
import type { StageName } from '../schemas/index.ts';
import { priceOf, type Price, type PriceTable } from './prices.ts';
import { PROMPT_STAGES, type PromptStage } from '../prompts/index.ts';

export const ENGINE_IDS = ['offline', 'bedrock', 'openai', 'replay'] as const;
export type EngineId = (typeof ENGINE_IDS)[number];

export const DEFAULT_BEDROCK_MODEL = 'us.anthropic.claude-sonnet-4-20250514-v1:0';

/** Everything that selects and paces an engine. Flags override environment, which overrides the config file. */
export const EngineConfig = z
  .object({
    engine: z.enum(ENGINE_IDS).default('offline'),
    /** Model id for every stage, unless a stage has its own. */
    model: z.string().min(1).optional(),
    stageModels: z.partialRecord(z.enum(PROMPT_STAGES), z.string().min(1)).default({}),
    region: z.string().min(1).optional(),
    endpoint: z.string().url().optional(),
    baseUrl: z.string().url().optional(),
    apiKey: z.string().optional(),
    structuredOutput: z.enum(['json-schema', 'json-object', 'text']).default('json-schema'),
    cassettes: z.string().min(1).optional(),
    record: z.string().min(1).optional(),
    promptsDir: z.string().min(1).optional(),
    foldInputBudgetTokens: z.number().int().positive().optional(),
    /** Pacing of model calls; unset fields take the engine's defaults (see quotaFor). */
    quota: z
      .object({
        maxInFlight: z.number().int().positive(),
        requestsPerMinute: z.number().positive(),
        tokensPerMinute: z.number().positive(),
        outputTokenWeight: z.number().positive(),
        /** Weight of maxTokens in the reservation at request start: 1 is what Bedrock itself reserves. */
        reservedOutputWeight: z.number().positive(),
        maxRetries: z.number().int().nonnegative(),
        /** The quota window: 60,000 ms in production; benchmarks scale time down with it. */
        windowMillis: z.number().int().positive(),
      })
      .partial()
      .strict()
      .default({}),
    requestTimeoutMillis: z.number().int().positive().optional(),
  })
  .strict();
export type EngineConfig = z.infer<typeof EngineConfig>;

export interface Quota {
  maxInFlight: number;
  requestsPerMinute: number;
  tokensPerMinute: number;
  outputTokenWeight: number;
  reservedOutputWeight: number;
  maxRetries: number;
  windowMillis: number;
}

/**
 * Bedrock defaults are the default on-demand quotas of Claude Sonnet 4 (about 200 requests and
 * 200,000 tokens a minute, output weighing 5x); a local OpenAI-compatible server has no quota,
 * only a bound on requests in flight.
 */
export function quotaFor(config: EngineConfig): Quota {
  const defaults: Quota =
    config.engine === 'bedrock'
      ? {
          maxInFlight: 8,
          requestsPerMinute: 200,
          tokensPerMinute: 200_000,
          outputTokenWeight: 5,
          reservedOutputWeight: 1,
          maxRetries: 4,
          windowMillis: 60_000,
        }
      : {
          maxInFlight: 4,
          requestsPerMinute: Number.POSITIVE_INFINITY,
          tokensPerMinute: Number.POSITIVE_INFINITY,
          outputTokenWeight: 1,
          reservedOutputWeight: 1,
          maxRetries: 4,
          windowMillis: 60_000,
        };
  return { ...defaults, ...config.quota };
}

/** Share of the quota the governor aims at: token counts are estimates, and its window and the provider's are not aligned to the millisecond. */
export const QUOTA_HEADROOM = 0.975;

/** The governor's settings for a quota: aim just under it, and back off gently on a throttle. */
export function governorOptionsFor(quota: Quota): QuotaGovernorOptions {
  return {
    ...quota,
    requestsPerMinute: quota.requestsPerMinute * QUOTA_HEADROOM,
    tokensPerMinute: quota.tokensPerMinute * QUOTA_HEADROOM,
    decreaseFactor: 0.9,
    recoveryStreak: 5,
  };
}

/**
 * The price of the model each stage uses. Local OpenAI-compatible servers are priced as "local"
 * (free); a hosted OpenAI-compatible service needs its own entry in the table.
 */
export function priceOfStageFor(config: EngineConfig, prices: PriceTable): (stage: StageName) => Price | undefined {
  return (stage) => {
    if (config.engine === 'offline' || !(PROMPT_STAGES as readonly string[]).includes(stage)) return undefined;
    const modelId = modelFor(config, stage as PromptStage);
    return priceOf(prices, config.engine === 'openai' ? `local ${modelId}` : modelId);
  };
}

/** The model of one stage: its own, else the shared one, else the engine's default. */
export function modelFor(config: EngineConfig, stage: PromptStage): string {
  const model =
    config.stageModels[stage] ??
    config.model ??
    (config.engine === 'bedrock' || config.engine === 'replay' ? DEFAULT_BEDROCK_MODEL : undefined);
  if (!model)
    throw new ConfigurationError(
      `stage ${stage}: no model id for the ${config.engine} engine; give --model or PMLENS_MODEL`,
    );
  return model;
}

export async function readConfigFile(file: string): Promise<Record<string, unknown>> {
  try {
    const value: unknown = parseYaml(await readFile(file, 'utf8'));
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('expected a mapping');
    return value as Record<string, unknown>;
  } catch (error) {
    throw new ConfigurationError(`cannot use the config file ${file}: ${messageOf(error)}`);
  }
}

/**
 * Settings from PMLENS_* environment variables, the same names on the CLI and in every Lambda:
 * PMLENS_ENGINE, PMLENS_MODEL, PMLENS_MODEL_<STAGE>, PMLENS_BASE_URL, PMLENS_API_KEY,
 * PMLENS_BEDROCK_ENDPOINT, PMLENS_REGION, PMLENS_QUOTA (JSON: the quota fields of a config file).
 */
export function configFromEnvironment(environment: NodeJS.ProcessEnv): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  if (environment.PMLENS_ENGINE) result.engine = environment.PMLENS_ENGINE;
  if (environment.PMLENS_MODEL) result.model = environment.PMLENS_MODEL;
  const stageModels: Record<string, string> = {};
  for (const stage of PROMPT_STAGES) {
    const value = environment[`PMLENS_MODEL_${stage.toUpperCase()}`];
    if (value) stageModels[stage] = value;
  }
  if (Object.keys(stageModels).length > 0) result.stageModels = stageModels;
  if (environment.PMLENS_BASE_URL) result.baseUrl = environment.PMLENS_BASE_URL;
  if (environment.PMLENS_API_KEY ?? environment.OPENAI_API_KEY)
    result.apiKey = environment.PMLENS_API_KEY ?? environment.OPENAI_API_KEY;
  if (environment.PMLENS_BEDROCK_ENDPOINT) result.endpoint = environment.PMLENS_BEDROCK_ENDPOINT;
  if (environment.PMLENS_REGION) result.region = environment.PMLENS_REGION;
  if (environment.PMLENS_QUOTA) {
    try {
      result.quota = JSON.parse(environment.PMLENS_QUOTA) as unknown;
    } catch {
      throw new ConfigurationError(
        'PMLENS_QUOTA must be JSON, e.g. {"requestsPerMinute": 200, "tokensPerMinute": 200000}',
      );
    }
  }
  return result;
}

function merge(...layers: Array<Record<string, unknown>>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      if (value === undefined) continue;
      const previous = result[key];
      result[key] =
        previous &&
        typeof previous === 'object' &&
        !Array.isArray(previous) &&
        value &&
        typeof value === 'object' &&
        !Array.isArray(value)
          ? { ...(previous as object), ...(value as object) }
          : value;
    }
  }
  return result;
}

export function resolveEngineConfig(
  file: Record<string, unknown>,
  environment: Record<string, unknown>,
  flags: Record<string, unknown>,
): EngineConfig {
  const parsed = EngineConfig.safeParse(merge(file, environment, flags));
  if (!parsed.success) throw new ConfigurationError(`invalid engine configuration:\n${z.prettifyError(parsed.error)}`);
  const config = parsed.data;
  if (config.engine === 'openai' && !config.baseUrl)
    throw new ConfigurationError(
      'the openai engine needs --base-url (or PMLENS_BASE_URL), e.g. http://localhost:1234/v1',
    );
  if (config.engine === 'replay' && !config.cassettes)
    throw new ConfigurationError('the replay engine needs --cassettes <dir>');
  if (config.record && !['bedrock', 'openai'].includes(config.engine))
    throw new ConfigurationError('--record needs a real model engine (bedrock or openai)');
  return config;
}
