/**
 * The run context of a Lambda environment, from its variables (the CLI's PMLENS_* names where the
 * two share a setting):
 *
 * | variable                  | meaning |
 * |---------------------------|---------|
 * | `PMLENS_INPUT_BUCKET`     | the bucket postmortems are dropped into |
 * | `PMLENS_INPUT_PREFIX`     | its folder of postmortems (e.g. `postmortems/`) |
 * | `PMLENS_ARTIFACTS_BUCKET` | outputs, cache and reports, in the layout of src/run/layout.ts |
 * | `PMLENS_STATE_TABLE`      | the DynamoDB table of the state store |
 * | `PMLENS_ENGINE`, `PMLENS_MODEL`, `PMLENS_MODEL_<STAGE>`, `PMLENS_QUOTA`, `PMLENS_BEDROCK_ENDPOINT`, `PMLENS_REGION` | the engine, as on the CLI |
 * | `PMLENS_CATALOG`, `PMLENS_METADATA` | optional keys of a catalog (YAML) and incident metadata (CSV) in the artifacts bucket |
 * | `PMLENS_TOLERATED_FAILURE_PERCENTAGE` | share of the corpus that may be failed for a report to be folded (default 10) |
 * | `PMLENS_REDACT`           | `on` or `off`: redact personal data before any model call (default on for a model engine, off for offline); the mapping stays in the state table |
 * | `PMLENS_REDACTION_KEY`    | optional secret of the keyed placeholders; default the one kept in the state table |
 * | `PMLENS_TASK_TIMEOUT_SECONDS` | the function's own timeout: the model per-call timeout and retries are fitted into it (src/models/call-budget.ts) |
 * | `S3_ENDPOINT`, `DYNAMODB_ENDPOINT` | local servers (tests) |
 */
import { parse as parseYaml } from 'yaml';
import { loadCatalog } from '../catalog/index.ts';
import { configFromEnvironment, quotaFor, resolveEngineConfig, type EngineConfig } from '../config/engine-config.ts';
import { createEngine, type CreateEngineOptions } from '../engines/index.ts';
import { ConfigurationError } from '../errors.ts';
import { loadIncidentMetadataFromText } from '../metadata/index.ts';
import { callBudget, TASK_TIMEOUT_VARIABLE } from '../models/call-budget.ts';
import { createRunContext, redactSetting, StoreSources, type RunContext } from '../run/index.ts';
import { Catalog } from '../schemas/index.ts';
import type { StageObserver } from '../stages/index.ts';
import { openDynamoDbStateStore } from '../store/open-state.ts';
import type { StateStore } from '../store/state-store.ts';
import { createS3Client, S3ObjectStore } from '../store/s3-object-store.ts';

export interface AwsRunContext extends RunContext {
  /** The input bucket's folder of postmortems; source keys are relative to it. */
  inputPrefix: string;
  input: S3ObjectStore;
  /** Share of the corpus that may be failed for a report to be folded (PMLENS_TOLERATED_FAILURE_PERCENTAGE, default 10). */
  toleratedFailurePercentage: number;
}

function required(environment: NodeJS.ProcessEnv, name: string): string {
  const value = environment[name];
  if (!value) throw new ConfigurationError(`the environment variable ${name} is not set`);
  return value;
}

/**
 * A task's model calls fit in its timeout (PMLENS_TASK_TIMEOUT_SECONDS, see src/models/call-budget.ts),
 * unless the per-call timeout is configured; retries configured in PMLENS_QUOTA are kept.
 */
export function fittedToTask(config: EngineConfig, environment: NodeJS.ProcessEnv): EngineConfig {
  const seconds = Number(environment[TASK_TIMEOUT_VARIABLE]);
  if (config.engine === 'offline' || config.engine === 'replay' || !(seconds > 0) || config.requestTimeoutMillis)
    return config;
  const budget = callBudget({
    taskMillis: seconds * 1000,
    maxRetries: quotaFor(config).maxRetries,
    retriesConfigured: config.quota.maxRetries !== undefined,
  });
  return {
    ...config,
    requestTimeoutMillis: budget.requestTimeoutMillis,
    quota: { ...config.quota, maxRetries: budget.maxRetries },
  };
}

/** The state store of this deployment (PMLENS_STATE_TABLE), for a task that needs nothing else. */
export function awsStateStore(environment: NodeJS.ProcessEnv): StateStore {
  return openDynamoDbStateStore({
    endpoint: environment.DYNAMODB_ENDPOINT,
    tableName: required(environment, 'PMLENS_STATE_TABLE'),
  });
}

export async function awsRunContext(
  environment: NodeJS.ProcessEnv,
  observer?: StageObserver,
  engineOptions: CreateEngineOptions = {},
): Promise<AwsRunContext> {
  const s3 = createS3Client({ endpoint: environment.S3_ENDPOINT });
  const inputPrefix = environment.PMLENS_INPUT_PREFIX ?? '';
  const input = new S3ObjectStore({
    client: s3,
    bucket: required(environment, 'PMLENS_INPUT_BUCKET'),
    prefix: inputPrefix,
  });
  const artifacts = new S3ObjectStore({ client: s3, bucket: required(environment, 'PMLENS_ARTIFACTS_BUCKET') });
  const state = awsStateStore(environment);
  let catalog = (await loadCatalog()).catalog;
  if (environment.PMLENS_CATALOG) {
    const body = await artifacts.get(environment.PMLENS_CATALOG);
    if (!body) throw new ConfigurationError(`no catalog at s3://${artifacts.bucket}/${environment.PMLENS_CATALOG}`);
    catalog = Catalog.parse(parseYaml(new TextDecoder().decode(body)));
  }
  const metadataBody = environment.PMLENS_METADATA ? await artifacts.get(environment.PMLENS_METADATA) : undefined;
  const metadata = metadataBody
    ? loadIncidentMetadataFromText(
        new TextDecoder().decode(metadataBody),
        environment.PMLENS_METADATA ?? 'metadata.csv',
      )
    : undefined;
  const redact = redactSetting(environment.PMLENS_REDACT, 'PMLENS_REDACT');
  const config = fittedToTask(resolveEngineConfig({}, configFromEnvironment(environment), {}), environment);
  const { engine } = await createEngine(config, catalog, undefined, engineOptions);
  const context = createRunContext({
    sources: new StoreSources(input),
    artifacts,
    state,
    engine,
    catalog,
    metadata,
    observer,
    ...(redact === undefined ? {} : { redact }),
  });
  const tolerated = Number(environment.PMLENS_TOLERATED_FAILURE_PERCENTAGE ?? 10);
  if (!Number.isFinite(tolerated) || tolerated < 0 || tolerated > 100)
    throw new ConfigurationError('PMLENS_TOLERATED_FAILURE_PERCENTAGE must be a number from 0 to 100');
  return { ...context, inputPrefix, input, toleratedFailurePercentage: tolerated };
}
