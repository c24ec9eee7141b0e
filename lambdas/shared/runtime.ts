/**
 * Everything a handler needs, built once per Lambda environment from its variables:
 * INPUT_BUCKET, INPUT_PREFIX, ARTIFACTS_BUCKET, STATE_TABLE, ENGINE (bedrock | offline),
 * MODELS (JSON: stage -> model id) or MODEL_ID, CATALOG_KEY and METADATA_KEY (optional objects in
 * the artifacts bucket), MODEL_QUOTA (JSON: this environment's share of the account's model
 * quota — requestsPerMinute, tokensPerMinute, maxInFlight, ...), and for local runs S3_ENDPOINT,
 * DYNAMODB_ENDPOINT, BEDROCK_ENDPOINT.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { parse as parseYaml } from 'yaml';
import { Catalog } from '../../src/schemas/index.ts';
import { loadCatalog, TechnologyMatcher } from '../../src/catalog/index.ts';
import { EngineConfig } from '../../src/config/engine-config.ts';
import { createEngine } from '../../src/engines/index.ts';
import { ConfigurationError } from '../../src/errors.ts';
import { loadIncidentMetadataFromText } from '../../src/metadata/index.ts';
import { hashOf, type StageObserver } from '../../src/stages/index.ts';
import type { TaskContext } from '../../src/aws/tasks.ts';
import { createS3Client, S3ObjectStore } from '../../src/store/s3-object-store.ts';
import { createDynamoDbClient, DynamoDbStateStore } from '../../src/store/dynamodb-state-store.ts';
import { metrics } from './powertools.ts';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new ConfigurationError(`the environment variable ${name} is not set`);
  return value;
}

/** Model usage as metrics: tokens, calls, retries and throttles per stage. */
const usageMetrics: StageObserver = {
  onStage(stage, outcome) {
    metrics.addMetric(`${stage}${outcome === 'cached' ? 'CacheHits' : outcome === 'computed' ? 'Computations' : 'Failures'}`, MetricUnit.Count, 1);
  },
  onUsage(stage, _subject, usage) {
    if (usage.calls === 0) return;
    metrics.addMetric(`${stage}InputTokens`, MetricUnit.Count, usage.inputTokens);
    metrics.addMetric(`${stage}OutputTokens`, MetricUnit.Count, usage.outputTokens);
    metrics.addMetric(`${stage}CacheReadTokens`, MetricUnit.Count, usage.cacheReadTokens);
    metrics.addMetric(`${stage}ModelCalls`, MetricUnit.Count, usage.calls);
    metrics.addMetric(`${stage}Retries`, MetricUnit.Count, usage.retries);
    metrics.addMetric(`${stage}Throttles`, MetricUnit.Count, usage.throttles);
    metrics.addMetric(`${stage}ModelMillis`, MetricUnit.Milliseconds, usage.latencyMillis);
  },
};

async function build(): Promise<TaskContext> {
  const s3 = createS3Client({ endpoint: process.env.S3_ENDPOINT });
  const inputPrefix = process.env.INPUT_PREFIX ?? '';
  const input = new S3ObjectStore({ client: s3, bucket: required('INPUT_BUCKET'), prefix: inputPrefix });
  const artifacts = new S3ObjectStore({ client: s3, bucket: required('ARTIFACTS_BUCKET') });
  const state = new DynamoDbStateStore({ client: createDynamoDbClient({ endpoint: process.env.DYNAMODB_ENDPOINT }), tableName: required('STATE_TABLE') });
  let catalog = (await loadCatalog()).catalog;
  if (process.env.CATALOG_KEY) {
    const body = await artifacts.get(process.env.CATALOG_KEY);
    if (!body) throw new ConfigurationError(`no catalog at s3://${required('ARTIFACTS_BUCKET')}/${process.env.CATALOG_KEY}`);
    catalog = Catalog.parse(parseYaml(new TextDecoder().decode(body)));
  }
  const metadataBody = process.env.METADATA_KEY ? await artifacts.get(process.env.METADATA_KEY) : undefined;
  const metadata = metadataBody ? loadIncidentMetadataFromText(new TextDecoder().decode(metadataBody), process.env.METADATA_KEY ?? 'metadata.csv') : undefined;
  const config = EngineConfig.parse({
    engine: process.env.ENGINE ?? 'bedrock',
    model: process.env.MODEL_ID,
    stageModels: process.env.MODELS ? JSON.parse(process.env.MODELS) : {},
    endpoint: process.env.BEDROCK_ENDPOINT,
    quota: process.env.MODEL_QUOTA ? JSON.parse(process.env.MODEL_QUOTA) : {},
  });
  const { engine } = await createEngine(config, catalog);
  const trust = { matcher: new TechnologyMatcher(catalog), crossCheck: config.engine !== 'offline' };
  return { input, inputPrefix, artifacts, state, engine, catalogHash: hashOf(catalog), metadata, observer: usageMetrics, trust };
}

let context: Promise<TaskContext> | undefined;

/** The task context of this environment, built on first use and then reused across invocations. */
export function taskContext(): Promise<TaskContext> {
  context ??= build().catch((error: unknown) => {
    context = undefined;
    throw error;
  });
  return context;
}

/** For tests: forget the context so the next invocation reads the environment again. */
export function resetTaskContext(): void {
  context = undefined;
}
