import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  configFromEnvironment,
  ENGINE_IDS,
  readConfigFile,
  resolveEngineConfig,
  type EngineConfig,
} from '../config/engine-config.ts';
import { createEngine, type CreatedEngine } from '../engines/index.ts';
import { PROMPT_STAGES } from '../prompts/index.ts';
import type { Catalog } from '../schemas/index.ts';

function positiveNumber(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new InvalidArgumentError('expected a positive number');
  return number;
}

function stageModel(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const [stage, model] = value.split('=');
  if (!stage || !model || !(PROMPT_STAGES as readonly string[]).includes(stage)) {
    throw new InvalidArgumentError(`expected <stage>=<model id> with stage one of ${PROMPT_STAGES.join(', ')}`);
  }
  return { ...previous, [stage]: model };
}

/** The options every command that runs an engine shares. */
export function addEngineOptions(command: Command): Command {
  return command
    .addOption(new Option('-e, --engine <engine>', 'engine that fulfils the stages').choices([...ENGINE_IDS]))
    .option(
      '--config <file>',
      'engine configuration file (YAML): engine, model, stageModels, region, baseUrl, quota, ...',
    )
    .option(
      '-m, --model <id>',
      "model id for every stage (bedrock: model or inference-profile id; openai: the server's model name)",
    )
    .option('--stage-model <stage=id>', 'model id for one stage (repeatable)', stageModel)
    .option('--region <region>', 'AWS region for bedrock (default: the AWS chain)')
    .option('--endpoint <url>', 'bedrock endpoint override (a VPC endpoint or a local server)')
    .option('--base-url <url>', 'OpenAI-compatible base URL, e.g. http://localhost:1234/v1')
    .addOption(
      new Option('--structured-output <mode>', 'how the openai engine asks for JSON').choices([
        'json-schema',
        'json-object',
        'text',
      ]),
    )
    .option('--cassettes <dir>', 'recorded exchanges for --engine replay')
    .option('--record <dir>', 'record every model exchange into this folder while a real engine runs')
    .option('--prompts <dir>', 'prompt folder (default: prompts/)')
    .option('--max-in-flight <n>', 'model requests in flight at once', positiveNumber)
    .option('--rpm <n>', 'model requests per minute (quota)', positiveNumber)
    .option('--tpm <n>', 'model tokens per minute (quota: input + reserved maxTokens x output weight)', positiveNumber)
    .option('--output-weight <n>', 'how much an output token weighs against the token quota', positiveNumber)
    .option('--max-retries <n>', 'retries of a throttled, failed or timed-out call', (value) =>
      Math.floor(positiveNumber(value)),
    )
    .option('--fold-budget <tokens>', 'largest input of one pattern-fold call, in tokens', (value) =>
      Math.floor(positiveNumber(value)),
    )
    .option('--timeout <ms>', 'bound on one model call', (value) => Math.floor(positiveNumber(value)))
    .option('--prices <file>', 'price table (default: config/prices.yaml)');
}

export interface EngineCommandOptions {
  engine?: string;
  config?: string;
  model?: string;
  stageModel?: Record<string, string>;
  region?: string;
  endpoint?: string;
  baseUrl?: string;
  structuredOutput?: string;
  cassettes?: string;
  record?: string;
  prompts?: string;
  maxInFlight?: number;
  rpm?: number;
  tpm?: number;
  outputWeight?: number;
  maxRetries?: number;
  foldBudget?: number;
  timeout?: number;
  prices?: string;
}

export async function engineConfigFrom(options: EngineCommandOptions): Promise<EngineConfig> {
  const file = options.config ? await readConfigFile(options.config) : {};
  const quota = Object.fromEntries(
    Object.entries({
      maxInFlight: options.maxInFlight,
      requestsPerMinute: options.rpm,
      tokensPerMinute: options.tpm,
      outputTokenWeight: options.outputWeight,
      maxRetries: options.maxRetries,
    }).filter(([, value]) => value !== undefined),
  );
  const flags: Record<string, unknown> = {
    engine: options.engine,
    model: options.model,
    stageModels: options.stageModel,
    region: options.region,
    endpoint: options.endpoint,
    baseUrl: options.baseUrl,
    structuredOutput: options.structuredOutput,
    cassettes: options.cassettes,
    record: options.record,
    promptsDir: options.prompts,
    foldInputBudgetTokens: options.foldBudget,
    requestTimeoutMillis: options.timeout,
    quota: Object.keys(quota).length > 0 ? quota : undefined,
  };
  return resolveEngineConfig(file, configFromEnvironment(process.env), flags);
}

export interface ResolvedEngine extends CreatedEngine {
  config: EngineConfig;
}

/** `threads`: the offline engine's worker threads (0: inline); model engines ignore it. */
export async function engineFrom(
  options: EngineCommandOptions,
  catalog: Catalog,
  threads = 0,
): Promise<ResolvedEngine> {
  const config = await engineConfigFrom(options);
  return { ...(await createEngine(config, catalog, options.prices, { threads })), config };
}
