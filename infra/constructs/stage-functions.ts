/**
 * The Lambda functions behind the state machine's tasks, one per handler in lambdas/, each with
 * the environment every handler reads and only the access its task needs.
 */
import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { ModelStage } from '../config.ts';
import type { PipelineTaskFunctions } from './pipeline.ts';
import { PipelineFunction, type PipelineFunctionProps } from './pipeline-function.ts';

export interface StageFunctionsProps {
  readonly inputBucket: s3.IBucket;
  /** The folder of the input bucket holding the postmortems. @default "postmortems/" */
  readonly inputPrefix?: string;
  readonly artifactsBucket: s3.IBucket;
  readonly table: dynamodb.ITable;
  readonly topic: sns.ITopic;
  /** @default "bedrock" */
  readonly engine?: 'bedrock' | 'offline';
  /** The model id of each model stage; with the bedrock engine, the functions may invoke exactly these. */
  readonly models: Readonly<Record<ModelStage, string>>;
  /** A technology catalog (YAML) in the artifacts bucket. @default the catalog bundled with the code */
  readonly catalogKey?: string;
  /** The incident metadata (CSV) in the artifacts bucket. @default none */
  readonly metadataKey?: string;
  /** Each function's share of the account's model quota. @default the engine's defaults */
  readonly modelQuota?: { readonly requestsPerMinute: number; readonly tokensPerMinute: number };
  /** Overrides for every function (memory, log retention). */
  readonly functionProps?: Partial<PipelineFunctionProps>;
}

/** The environment every handler reads (see lambdas/shared/runtime.ts). */
export interface HandlerEnvironmentProps {
  readonly inputBucket: s3.IBucket;
  readonly inputPrefix: string;
  readonly artifactsBucket: s3.IBucket;
  readonly table: dynamodb.ITable;
  readonly engine: 'bedrock' | 'offline';
  readonly models: Readonly<Record<ModelStage, string>>;
  readonly catalogKey?: string;
  readonly metadataKey?: string;
  /** This function's share of the account's model quota (each Lambda environment paces itself). */
  readonly modelQuota?: { readonly requestsPerMinute: number; readonly tokensPerMinute: number };
}

export function handlerEnvironment(props: HandlerEnvironmentProps): Record<string, string> {
  return {
    INPUT_BUCKET: props.inputBucket.bucketName,
    INPUT_PREFIX: props.inputPrefix,
    ARTIFACTS_BUCKET: props.artifactsBucket.bucketName,
    STATE_TABLE: props.table.tableName,
    ENGINE: props.engine,
    MODELS: JSON.stringify(props.models),
    ...(props.catalogKey ? { CATALOG_KEY: props.catalogKey } : {}),
    ...(props.metadataKey ? { METADATA_KEY: props.metadataKey } : {}),
    ...(props.modelQuota ? { MODEL_QUOTA: JSON.stringify({ ...props.modelQuota, maxInFlight: 2 }) } : {}),
  };
}

export class StageFunctions extends Construct implements PipelineTaskFunctions {
  readonly prepare: PipelineFunction;
  readonly summarize: PipelineFunction;
  readonly classify: PipelineFunction;
  readonly analyze: PipelineFunction;
  readonly recordFailure: PipelineFunction;
  readonly patterns: PipelineFunction;
  readonly opportunities: PipelineFunction;
  readonly report: PipelineFunction;
  readonly notify: PipelineFunction;
  /** The environment given to every function here (the ingest function takes it too). */
  readonly environment: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: StageFunctionsProps) {
    super(scope, id);
    const engine = props.engine ?? 'bedrock';
    const environment = handlerEnvironment({ ...props, inputPrefix: props.inputPrefix ?? 'postmortems/', engine });
    this.environment = environment;
    const { inputBucket, artifactsBucket: artifacts, table } = props;
    /** The postmortems: only the input prefix of the input bucket is read. */
    const inputPattern = `${environment.INPUT_PREFIX}*`;
    const configurationKeys = [props.catalogKey, props.metadataKey].filter((key): key is string => key !== undefined);

    const make = (name: string, entry: string, description: string, overrides: Partial<PipelineFunctionProps> = {}) => {
      const created = new PipelineFunction(this, name, {
        description: `postmortem-lens ${description}`,
        ...props.functionProps,
        ...overrides,
        entry,
        environment: { ...environment, ...overrides.environment },
      });
      // Every handler reads the catalog and metadata objects, when configured, as it starts.
      for (const key of configurationKeys) created.bindRead(artifacts, key);
      return created;
    };
    /** Model stages a task may call: a later stage recomputes an earlier one's result on a cache miss. */
    const models = (...stages: ModelStage[]) => (engine === 'bedrock' ? [...new Set(stages.map((stage) => props.models[stage]))] : []);

    this.prepare = make('Prepare', 'lambdas/prepare.ts', 'prepare: a run id and its manifest')
      .bindRead(inputBucket, inputPattern)
      .bindReadWrite(artifacts, 'manifests/*')
      .bindTable(table, 'readWrite');

    this.summarize = make('Summarize', 'lambdas/summarize.ts', 'summarize one postmortem')
      .bindRead(inputBucket, inputPattern)
      .bindReadWrite(artifacts)
      .bindModels(models('summarize'))
      .bindTable(table, 'readWrite');

    this.classify = make('Classify', 'lambdas/classify.ts', 'classify the causal technologies of one postmortem')
      .bindRead(inputBucket, inputPattern)
      .bindReadWrite(artifacts)
      .bindModels(models('summarize', 'classify'))
      .bindTable(table, 'readWrite');

    this.analyze = make('Analyze', 'lambdas/analyze.ts', 'analyze one causal technology of one postmortem')
      .bindRead(inputBucket, inputPattern)
      .bindReadWrite(artifacts)
      .bindModels(models('summarize', 'classify', 'analyze'));

    this.recordFailure = make('RecordFailure', 'lambdas/record-failure.ts', 'record a failed document', { timeout: Duration.seconds(30), memorySize: 512 })
      .bindTable(table, 'readWrite');

    this.patterns = make('Patterns', 'lambdas/patterns.ts', 'fold digests into recurring failure patterns', { timeout: Duration.minutes(15), memorySize: 2048 })
      .bindRead(inputBucket, inputPattern)
      .bindReadWrite(artifacts)
      .bindModels(models('patterns'))
      .bindTable(table, 'read');

    this.opportunities = make('Opportunities', 'lambdas/opportunities.ts', 'investment opportunities from the patterns', { timeout: Duration.minutes(15) })
      .bindReadWrite(artifacts)
      .bindModels(models('opportunities'));

    this.report = make('Report', 'lambdas/report.ts', 'render the report of a run', { timeout: Duration.minutes(15), memorySize: 2048 })
      .bindRead(inputBucket, inputPattern)
      .bindReadWrite(artifacts)
      .bindTable(table, 'readWrite');

    this.notify = make('Notify', 'lambdas/notify.ts', 'publish "report ready"', { timeout: Duration.seconds(30), memorySize: 512, environment: { TOPIC_ARN: props.topic.topicArn } })
      .bindRead(artifacts, 'reports/*')
      .bindPublish(props.topic);
  }
}
