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
  /** The account's model quota: the document functions share it (each gets quota / maxConcurrency), the fold functions have it whole. */
  readonly modelQuota?: { readonly requestsPerMinute: number; readonly tokensPerMinute: number };
  /** Documents processed at once by the Distributed Map. @default 10 */
  readonly maxConcurrency?: number;
  /** Share of the corpus that may be failed for a report to be folded. @default 10 */
  readonly toleratedFailurePercentage?: number;
  /** Overrides for every function (memory, log retention). */
  readonly functionProps?: Partial<PipelineFunctionProps>;
}

/** The environment every handler reads (see src/aws/context.ts). */
export interface HandlerEnvironmentProps {
  readonly inputBucket: s3.IBucket;
  readonly inputPrefix: string;
  readonly artifactsBucket: s3.IBucket;
  readonly table: dynamodb.ITable;
  readonly engine: 'bedrock' | 'offline';
  readonly models: Readonly<Record<ModelStage, string>>;
  readonly catalogKey?: string;
  readonly metadataKey?: string;
}

export function handlerEnvironment(props: HandlerEnvironmentProps): Record<string, string> {
  return {
    PMLENS_INPUT_BUCKET: props.inputBucket.bucketName,
    PMLENS_INPUT_PREFIX: props.inputPrefix,
    PMLENS_ARTIFACTS_BUCKET: props.artifactsBucket.bucketName,
    PMLENS_STATE_TABLE: props.table.tableName,
    PMLENS_ENGINE: props.engine,
    ...Object.fromEntries(
      Object.entries(props.models).map(([stage, model]) => [`PMLENS_MODEL_${stage.toUpperCase()}`, model]),
    ),
    ...(props.catalogKey ? { PMLENS_CATALOG: props.catalogKey } : {}),
    ...(props.metadataKey ? { PMLENS_METADATA: props.metadataKey } : {}),
  };
}

/** A Lambda environment's pacing: a share of the account's quota, with a bound on calls in flight. */
function quotaEnvironment(
  quota: { readonly requestsPerMinute: number; readonly tokensPerMinute: number } | undefined,
  share: number,
  maxInFlight: number,
): Record<string, string> {
  return quota
    ? {
        PMLENS_QUOTA: JSON.stringify({
          requestsPerMinute: quota.requestsPerMinute / share,
          tokensPerMinute: quota.tokensPerMinute / share,
          maxInFlight,
        }),
      }
    : {};
}

/** Causal technologies of one document analyzed at once (the inner Map's concurrency). */
export const TECHNOLOGY_CONCURRENCY = 2;

export class StageFunctions extends Construct implements PipelineTaskFunctions {
  readonly corpus: PipelineFunction;
  readonly summarize: PipelineFunction;
  readonly classify: PipelineFunction;
  readonly analyze: PipelineFunction;
  readonly finish: PipelineFunction;
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
    const inputPattern = `${environment.PMLENS_INPUT_PREFIX}*`;
    const configurationKeys = [props.catalogKey, props.metadataKey].filter((key): key is string => key !== undefined);
    // maxConcurrency documents at once, each in one stage: summarize and classify run one Lambda per
    // document, analyze up to TECHNOLOGY_CONCURRENCY, so their shares add up to the quota at most.
    const documentQuota = quotaEnvironment(props.modelQuota, props.maxConcurrency ?? 10, 2);
    const analyzeQuota = quotaEnvironment(props.modelQuota, (props.maxConcurrency ?? 10) * TECHNOLOGY_CONCURRENCY, 2);
    const foldQuota = quotaEnvironment(props.modelQuota, 1, 8);

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
    const models = (...stages: ModelStage[]) =>
      engine === 'bedrock' ? [...new Set(stages.map((stage) => props.models[stage]))] : [];

    this.corpus = make('Corpus', 'lambdas/corpus.ts', 'corpus lock, rounds of queued changes, fold decision', {
      timeout: Duration.minutes(10),
      memorySize: 1024,
      environment: { PMLENS_TOLERATED_FAILURE_PERCENTAGE: String(props.toleratedFailurePercentage ?? 10) },
    })
      .bindRead(inputBucket, inputPattern)
      .bindReadWrite(artifacts)
      .bindDelete(artifacts, 'docs/*')
      .bindTable(table, 'readWrite');

    this.summarize = make('Summarize', 'lambdas/summarize.ts', 'ingest and summarize one postmortem', {
      environment: documentQuota,
    })
      .bindRead(inputBucket, inputPattern)
      .bindReadWrite(artifacts)
      .bindModels(models('summarize'))
      .bindTable(table, 'readWrite');

    this.classify = make('Classify', 'lambdas/classify.ts', 'classify the causal technologies of one postmortem', {
      environment: documentQuota,
    })
      .bindReadWrite(artifacts)
      .bindModels(models('classify'));

    this.analyze = make('Analyze', 'lambdas/analyze.ts', 'analyze one causal technology of one postmortem', {
      environment: analyzeQuota,
    })
      .bindReadWrite(artifacts)
      .bindModels(models('analyze'));

    this.finish = make(
      'Finish',
      'lambdas/finish.ts',
      'check the evidence of one postmortem and enter it in the corpus index',
      { timeout: Duration.minutes(1), memorySize: 512 },
    )
      .bindReadWrite(artifacts, 'docs/*')
      .bindDelete(artifacts, 'docs/*')
      .bindTable(table, 'readWrite');

    this.recordFailure = make('RecordFailure', 'lambdas/record-failure.ts', 'record a failed document', {
      timeout: Duration.seconds(30),
      memorySize: 512,
    }).bindTable(table, 'readWrite');

    this.patterns = make('Patterns', 'lambdas/patterns.ts', 'fold the corpus digests into recurring failure patterns', {
      timeout: Duration.minutes(15),
      memorySize: 2048,
      environment: foldQuota,
    })
      .bindReadWrite(artifacts)
      .bindModels(models('patterns'))
      .bindTable(table, 'read');

    this.opportunities = make(
      'Opportunities',
      'lambdas/opportunities.ts',
      'investment opportunities from the patterns',
      { timeout: Duration.minutes(15), memorySize: 2048, environment: foldQuota },
    )
      .bindReadWrite(artifacts)
      .bindModels(models('opportunities'))
      .bindTable(table, 'read');

    this.report = make('Report', 'lambdas/report.ts', 'render the report of the whole corpus', {
      timeout: Duration.minutes(15),
      memorySize: 2048,
    })
      .bindReadWrite(artifacts)
      .bindTable(table, 'readWrite');

    this.notify = make('Notify', 'lambdas/notify.ts', 'publish "report ready"', {
      timeout: Duration.seconds(30),
      memorySize: 512,
      environment: { PMLENS_TOPIC_ARN: props.topic.topicArn },
    })
      .bindRead(artifacts, 'runs/*')
      .bindPublish(props.topic);
  }
}
