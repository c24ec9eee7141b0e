/**
 * The Lambda functions behind the state machine's tasks, one per handler in lambdas/, each with
 * the environment every handler reads and only the access its task needs.
 */
import { Annotations, Duration, Stack, Token } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { MODEL_ARN, modelRegionProblem, type ModelStage } from '../config.ts';
import type { PipelineTaskFunctions } from './pipeline.ts';
import {
  isInferenceProfileId,
  PipelineFunction,
  type ObjectAccess,
  type PipelineFunctionProps,
  type TableAction,
} from './pipeline-function.ts';

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

export type TaskFunctionName = keyof PipelineTaskFunctions;

/** Objects of one document's folder (src/run/layout.ts). */
const doc = (file: string) => `docs/*/${file}`;
/** A stage's content-addressed results (src/stages/cache.ts): read, and written on a miss. */
const cacheOf = (stage: ModelStage): ObjectAccess => ({
  read: [`cache/${stage}/*`],
  write: [`cache/${stage}/*`],
  list: [`cache/${stage}/`],
});
function merged(...parts: ObjectAccess[]): ObjectAccess {
  const join = (field: keyof ObjectAccess) => parts.flatMap((part) => part[field] ?? []);
  return { read: join('read'), write: join('write'), delete: join('delete'), list: join('list') };
}

/**
 * What each task does in the artifacts bucket, read from its step (src/aws/tasks.ts over
 * src/run/document-steps.ts and src/run/fold.ts), by key pattern of the layout. A function lists
 * the prefixes it reads, so that a read of a missing key (a cache miss, a document without
 * outputs) is a 404 rather than a 403. Configuration objects (catalog, metadata) are added
 * read-only to every function that builds a run context.
 */
export const ARTIFACT_ACCESS: Readonly<Record<TaskFunctionName, ObjectAccess>> = {
  // Prepare writes the round's manifest; a deleted source takes its outputs (docs/<id>/ and docs/<id>.md) with it.
  corpus: { write: ['runs/*/manifest-*.json'], delete: ['docs/*'], list: ['docs/'] },
  // Ingest writes the postmortem, summarize reads it back (a Lambda starts empty).
  summarize: merged(
    { read: [doc('postmortem.json')], write: [doc('postmortem.json'), doc('summary.json')], list: ['docs/'] },
    cacheOf('summarize'),
  ),
  classify: merged(
    { read: [doc('postmortem.json'), doc('summary.json')], write: [doc('classification.json')], list: ['docs/'] },
    cacheOf('classify'),
  ),
  analyze: merged(
    {
      read: [doc('postmortem.json'), doc('summary.json'), doc('classification.json')],
      write: [doc('digests/*')],
      list: ['docs/'],
    },
    cacheOf('analyze'),
  ),
  // Reads every output of the document, drops digests of technologies no longer causal, writes its report entry and page.
  finish: {
    read: ['docs/*'],
    write: [doc('document.json'), 'docs/*.md'],
    delete: [doc('digests/*')],
    list: ['docs/'],
  },
  recordFailure: {},
  patterns: merged(
    { read: [doc('document.json')], write: ['runs/*/patterns.json'], list: ['docs/'] },
    cacheOf('patterns'),
  ),
  opportunities: merged(
    { read: ['runs/*/patterns.json'], write: ['runs/*/opportunities.json'], list: ['runs/'] },
    cacheOf('opportunities'),
  ),
  // The report of the whole corpus under runs/<runId>/report/ and report/ (stale pages of a larger report go), the review queue, and the previous report for "what changed".
  report: {
    read: [doc('document.json'), 'runs/*/patterns.json', 'runs/*/opportunities.json', 'report/report.json'],
    write: ['runs/*/report/*', 'report/*', 'review/queue.json'],
    delete: ['runs/*/report/*', 'report/*'],
    list: ['docs/', 'runs/', 'report/'],
  },
  // The message carries links and a command, not the report: no object access.
  notify: {},
};

/** What each task does in the input bucket: only summarize reads a postmortem; the corpus function lists them for a full sweep. */
export function inputAccess(inputPrefix: string): Readonly<Record<TaskFunctionName, ObjectAccess>> {
  return {
    corpus: { list: [inputPrefix] },
    summarize: { read: [`${inputPrefix}*`], list: [inputPrefix] },
    classify: {},
    analyze: {},
    finish: {},
    recordFailure: {},
    patterns: {},
    opportunities: {},
    report: {},
    notify: {},
  };
}

/** The state-table actions of each task (src/store/state-store.ts): no Scan, no batch writes, DeleteItem only where a queued change, a lock or a corpus entry goes. */
export const TABLE_ACTIONS: Readonly<Record<TaskFunctionName, readonly TableAction[]>> = {
  // The lock, the run record, the queue of changes, the corpus index and the fold state.
  corpus: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query'],
  // Ingest: the corpus entry, the run's outcome, the placeholders of redacted personal data; settles the queued change of a skipped or unchanged source.
  summarize: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query'],
  classify: [],
  analyze: [],
  // The corpus entry and the run's outcome; settles the queued change.
  finish: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'],
  recordFailure: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'],
  // The corpus index.
  patterns: ['Query'],
  opportunities: ['Query'],
  // The corpus index and the votes; marks the fold and the run's report key.
  report: ['GetItem', 'Query', 'UpdateItem'],
  notify: [],
};

/**
 * Memory of each function, from a measurement: bench/lambda-memory.ts runs each task's work
 * in-process, one fresh process per function as a fresh Lambda environment, over 200 generated
 * documents (document functions, one after another as a warm environment takes them) and a
 * 10,000-document corpus (sweep, fold and report), and samples peak RSS. Figures of 2026-11-30
 * (Node 20 on x86-64 here; the functions run on arm64), peak RSS and peak heap used:
 *
 * | function      | batch                      | peak RSS | peak heap | memory: peak x 1.5, rounded up to 128 MB |
 * |---------------|----------------------------|----------|-----------|--------|
 * | corpus        | 200 new; full sweep of 10,000 | 176; 251 MB | 38; 101 MB | 384 |
 * | summarize     | 200 documents              | 185 MB   | 54 MB     | 768 (see below) |
 * | classify      | 200 documents              | 176 MB   | 53 MB     | 384 |
 * | analyze       | 137 causal technologies    | 178 MB   | 51 MB     | 384 |
 * | finish        | 200 documents              | 181 MB   | 50 MB     | 384 |
 * | recordFailure | 200 failures               | 183 MB   | 40 MB     | 384 |
 * | patterns      | fold of 10,000 documents   | 308 MB   | 165 MB    | 512 |
 * | opportunities | 10,000 documents' patterns | 202 MB   | 66 MB     | 384 |
 * | report        | report of 10,000 documents | 892 MB   | 576 MB    | 1408 |
 * | notify        | not measured (one SNS publish) | -    | -         | 256 |
 *
 * The measured processes run TypeScript through tsx with the benchmark's wider imports (about
 * 170-185 MB before any work, against roughly 100 MB for a bundled Lambda), and load the whole
 * state as one JSON file where DynamoDB would page it, so the figures are on the high side. The
 * generated corpus is Markdown, text, HTML and JSON: Summarize keeps room for a PDF or DOCX up to
 * the 5 MB input limit (unpdf, mammoth), which was not measured. Lambda gives CPU in proportion to
 * memory (1,769 MB is one vCPU); the report's 19 CPU seconds at 10,000 documents take under a
 * minute at 1,408 MB, far within its 15 minutes. Check against "Max Memory Used" in the REPORT
 * log lines after a backfill, and rerun the benchmark when a step changes what it holds.
 */
export const MEMORY_MB: Readonly<Record<TaskFunctionName, number>> = {
  corpus: 384,
  summarize: 768,
  classify: 384,
  analyze: 384,
  finish: 384,
  recordFailure: 384,
  patterns: 512,
  opportunities: 384,
  report: 1408,
  notify: 256,
};

/**
 * The models' Region: an error when the stack's Region is known and a model cannot be called from
 * it (a `us.` profile outside the US, an ARN of another Region), a warning when the stack is
 * environment-agnostic and a model is bound to a geography.
 */
function checkModelRegion(scope: Construct, modelIds: readonly string[]): void {
  const region = Stack.of(scope).region;
  const bound = modelIds.filter((model) => isInferenceProfileId(model) || MODEL_ARN.test(model));
  if (bound.length === 0) return;
  if (Token.isUnresolved(region)) {
    Annotations.of(scope).addWarningV2(
      'postmortem-lens:model-region',
      `The stack is environment-agnostic and its models are bound to a geography (${bound.join(', ')}): deploy it to a Region they can be called from, or pin the Region with -c region=<region> so that synthesis checks it.`,
    );
    return;
  }
  for (const model of bound) {
    const problem = modelRegionProblem(model, region);
    if (problem) Annotations.of(scope).addError(problem);
  }
}

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
    const input = inputAccess(environment.PMLENS_INPUT_PREFIX ?? 'postmortems/');
    const configurationKeys = [props.catalogKey, props.metadataKey].filter((key): key is string => key !== undefined);
    // maxConcurrency documents at once, each in one stage: summarize and classify run one Lambda per
    // document, analyze up to TECHNOLOGY_CONCURRENCY, so their shares add up to the quota at most.
    const documentQuota = quotaEnvironment(props.modelQuota, props.maxConcurrency ?? 10, 2);
    const analyzeQuota = quotaEnvironment(props.modelQuota, (props.maxConcurrency ?? 10) * TECHNOLOGY_CONCURRENCY, 2);
    const foldQuota = quotaEnvironment(props.modelQuota, 1, 8);
    if (engine === 'bedrock') checkModelRegion(this, [...new Set(Object.values(props.models))]);

    const make = (
      name: TaskFunctionName,
      entry: string,
      description: string,
      overrides: Partial<PipelineFunctionProps> = {},
    ) => {
      const created = new PipelineFunction(this, `${name[0]?.toUpperCase()}${name.slice(1)}`, {
        description: `postmortem-lens ${description}`,
        memorySize: MEMORY_MB[name],
        ...props.functionProps,
        ...overrides,
        entry,
        environment: { ...environment, ...overrides.environment },
      });
      created.bindObjects(inputBucket, input[name]).bindObjects(artifacts, ARTIFACT_ACCESS[name]);
      if (TABLE_ACTIONS[name].length > 0) created.bindTable(table, TABLE_ACTIONS[name]);
      // Every handler that builds a run context reads the catalog and metadata objects, when configured, as it starts: read-only.
      if (name !== 'notify') for (const key of configurationKeys) created.bindRead(artifacts, key);
      return created;
    };
    const models = (...stages: ModelStage[]) =>
      engine === 'bedrock' ? [...new Set(stages.map((stage) => props.models[stage]))] : [];

    this.corpus = make('corpus', 'lambdas/corpus.ts', 'corpus lock, rounds of queued changes, fold decision', {
      timeout: Duration.minutes(10),
      environment: { PMLENS_TOLERATED_FAILURE_PERCENTAGE: String(props.toleratedFailurePercentage ?? 10) },
    });
    this.summarize = make('summarize', 'lambdas/summarize.ts', 'ingest and summarize one postmortem', {
      environment: documentQuota,
    }).bindModels(models('summarize'));
    this.classify = make('classify', 'lambdas/classify.ts', 'classify the causal technologies of one postmortem', {
      environment: documentQuota,
    }).bindModels(models('classify'));
    this.analyze = make('analyze', 'lambdas/analyze.ts', 'analyze one causal technology of one postmortem', {
      environment: analyzeQuota,
    }).bindModels(models('analyze'));
    this.finish = make(
      'finish',
      'lambdas/finish.ts',
      'check the evidence of one postmortem and enter it in the corpus index',
      { timeout: Duration.minutes(1) },
    );
    this.recordFailure = make('recordFailure', 'lambdas/record-failure.ts', 'record a failed document', {
      timeout: Duration.seconds(30),
    });
    this.patterns = make('patterns', 'lambdas/patterns.ts', 'fold the corpus digests into recurring failure patterns', {
      timeout: Duration.minutes(15),
      environment: foldQuota,
    }).bindModels(models('patterns'));
    this.opportunities = make(
      'opportunities',
      'lambdas/opportunities.ts',
      'investment opportunities from the patterns',
      { timeout: Duration.minutes(15), environment: foldQuota },
    ).bindModels(models('opportunities'));
    this.report = make('report', 'lambdas/report.ts', 'render the report of the whole corpus', {
      timeout: Duration.minutes(15),
    });
    this.notify = make('notify', 'lambdas/notify.ts', 'publish "report ready"', {
      timeout: Duration.seconds(30),
      environment: { PMLENS_TOPIC_ARN: props.topic.topicArn },
    }).bindPublish(props.topic);
  }
}
