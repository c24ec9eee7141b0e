import { NodeHttpHandler } from '@smithy/node-http-handler';
import { governorOptionsFor, modelFor, priceOfStageFor, quotaFor, type EngineConfig } from '../config/engine-config.ts';
import { createBedrockModel } from '../models/bedrock.ts';
import { governModel, QuotaGovernor } from '../models/governor.ts';
import type { LanguageModel } from '../models/language-model.ts';
import { createOpenAICompatibleModel } from '../models/openai-compatible.ts';
import { createRecordingModel, createReplayModel } from '../models/replay.ts';
import { loadPrompts, PROMPT_STAGES, type PromptStage } from '../prompts/index.ts';
import type { Catalog, StageName } from '../schemas/index.ts';
import { loadPrices, type Price } from '../config/prices.ts';
import type { ingestSource } from '../ingest/index.ts';
import type { Engine } from './engine.ts';
import { createModelEngine } from './model/index.ts';
import { createOfflineEngine } from './offline/index.ts';
import { createOfflineWorkerPool } from './offline/worker-pool.ts';

export type { Engine, EngineDescriptor, EngineResult, Usage } from './engine.ts';
export { ENGINE_IDS } from '../config/engine-config.ts';

export interface CreatedEngine {
  engine: Engine;
  /** The model id per stage; empty for the offline engine. */
  stageModels: Partial<Record<PromptStage, string>>;
  /** The price of the model a stage uses, from the price table; undefined when unknown. */
  priceOfStage: (stage: StageName) => Price | undefined;
  governor?: QuotaGovernor;
  /** Ingest's parse of a source on the offline engine's worker threads, for the run context (RunContextParts.ingest). */
  ingest?: typeof ingestSource;
  /** Ends what the engine started (the offline engine's worker threads); call it once the run is over. */
  close?: () => Promise<void>;
}

function baseModel(config: EngineConfig, modelId: string): LanguageModel {
  switch (config.engine) {
    case 'bedrock':
      return createBedrockModel({
        modelId,
        region: config.region,
        endpoint: config.endpoint,
        // A plain-http endpoint (a local fake, a proxy) speaks HTTP/1.1; real Bedrock takes the SDK default.
        requestHandler: config.endpoint?.startsWith('http://') ? new NodeHttpHandler() : undefined,
        requestTimeoutMillis: config.requestTimeoutMillis,
      });
    case 'openai':
      return createOpenAICompatibleModel({
        baseUrl: config.baseUrl ?? '',
        modelId,
        apiKey: config.apiKey,
        structuredOutput: config.structuredOutput,
        requestTimeoutMillis: config.requestTimeoutMillis,
      });
    case 'replay':
      return createReplayModel(config.cassettes ?? '', modelId);
    default:
      throw new Error(`no model for engine ${config.engine}`);
  }
}

/** One factory for every engine the CLI and the Lambdas can name; configuration is validated before any call. */
export interface CreateEngineOptions {
  /** Wraps each stage's model, outermost (after recording and the governor): batch inference answers from a job's output this way (src/batch/). */
  wrapModel?: (model: LanguageModel, stage: PromptStage) => LanguageModel;
  /**
   * Worker threads for the offline engine (offline/worker-pool.ts): 0 or absent, the engine runs
   * inline (the Lambdas); more, each stage call, and ingest's parse of each source (`ingest`), goes
   * to one of that many workers. Model engines wait on the network and ignore it.
   */
  threads?: number;
}

export async function createEngine(
  config: EngineConfig,
  catalog: Catalog,
  pricesFile?: string,
  options: CreateEngineOptions = {},
): Promise<CreatedEngine> {
  if (config.engine === 'offline') {
    if (!options.threads || options.threads < 1)
      return { engine: createOfflineEngine(catalog), stageModels: {}, priceOfStage: () => undefined };
    const pool = createOfflineWorkerPool(catalog, { threads: options.threads });
    return {
      engine: pool,
      stageModels: {},
      priceOfStage: () => undefined,
      ingest: pool.ingest,
      close: () => pool.close(),
    };
  }
  const prompts = await loadPrompts(config.promptsDir);
  const governor = config.engine === 'replay' ? undefined : new QuotaGovernor(governorOptionsFor(quotaFor(config)));
  const cache = new Map<string, LanguageModel>();
  const stageModels: Partial<Record<PromptStage, string>> = {};
  const models = {} as Record<PromptStage, LanguageModel>;
  for (const stage of PROMPT_STAGES) {
    const modelId = modelFor(config, stage);
    stageModels[stage] = modelId;
    let model = cache.get(modelId);
    if (!model) {
      model = baseModel(config, modelId);
      if (config.record) model = createRecordingModel(model, config.record);
      if (governor) model = governModel(model, governor);
      cache.set(modelId, model);
    }
    models[stage] = options.wrapModel ? options.wrapModel(model, stage) : model;
  }
  const priceOfStage = priceOfStageFor(config, await loadPrices(pricesFile));
  return {
    engine: createModelEngine({
      id: config.engine,
      models,
      prompts,
      catalog,
      foldInputBudgetTokens: config.foldInputBudgetTokens,
    }),
    stageModels,
    priceOfStage,
    governor,
  };
}
