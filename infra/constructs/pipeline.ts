/**
 * The state machine: Prepare -> a Distributed Map over the run's manifest (per document:
 * Summarize -> Classify -> an inner Map of Analyze over the causal technologies, with a Catch that
 * records the failure) -> Patterns -> Opportunities -> Report -> Notify.
 *
 * Payloads between states carry ids and keys only; results live in S3 and DynamoDB.
 */
import { Arn, ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { TASK_TIMEOUT_VARIABLE } from '../../src/models/call-budget.ts';
import { acknowledge, REASONS, wildcardResource } from '../nag.ts';
import { grantKeyUse, KEY_ACTIONS } from './encryption.ts';
import { TECHNOLOGY_CONCURRENCY } from './stage-functions.ts';

/** The state names of the definition (the workflow test overrides the Task states by these names). */
export const STATE_NAMES = {
  acquire: 'AcquireLock',
  lockAcquired: 'LockAcquired',
  waitForLock: 'WaitForLock',
  locked: 'WithLock',
  start: 'StartRounds',
  prepare: 'Prepare',
  hasWork: 'HasWork',
  documents: 'ProcessDocuments',
  nextRound: 'NextRound',
  summarize: 'Summarize',
  proceed: 'Proceed',
  classify: 'Classify',
  technologies: 'AnalyzeTechnologies',
  analyze: 'Analyze',
  finish: 'Finish',
  documentDone: 'DocumentDone',
  recordFailure: 'RecordFailure',
  markFailed: 'FailureRecorded',
  beginFold: 'BeginFold',
  shouldFold: 'ShouldFold',
  patterns: 'Patterns',
  opportunities: 'Opportunities',
  report: 'Report',
  notify: 'Notify',
  folded: 'Folded',
  release: 'ReleaseLock',
  releaseAfterFailure: 'ReleaseLockAfterFailure',
  publishFailure: 'PublishRunFailed',
  failed: 'RunFailed',
} as const;

/** The Distributed Map's label: it names the Map Runs and their child executions. */
export const MAP_RUN_LABEL = 'Documents';

/** Errors retried with backoff on every Lambda task; handlers throw ThrottlingError when the model throttles and ModelUnavailableError on its 5xx, timeouts and network failures. */
export const RETRIED_ERRORS = [
  'Lambda.TooManyRequestsException',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.ClientExecutionTimeoutException',
  'ThrottlingError',
  'ModelUnavailableError',
];

/**
 * A task whose Lambda ran out of time (Sandbox.Timedout) is tried once more: stage results
 * already written are cache hits on the second try, so it resumes rather than restarts.
 */
export const TIMED_OUT_ERRORS = ['Sandbox.Timedout'];

/** The Distributed Map's own failures to read its manifest or write its results: transient S3 errors, retried. */
export const MAP_IO_ERRORS = ['States.ItemReaderFailed', 'States.ResultWriterFailed'];

/** The object keys the Distributed Map reads its items from: the round manifests (layout.manifest, src/run/layout.ts). */
export const MANIFEST_KEY_PATTERN = 'runs/*/manifest-*.json';

/**
 * What the Distributed Map's ResultWriter needs in the results prefix: it writes the Map Run's
 * manifest and result files, large ones by multipart upload (whose parts it lists, and aborts on
 * failure). The same four actions as CDK's own ResultWriterV2 grant and Step Functions' example
 * policy for writing Distributed Map results, scoped to the prefix instead of the whole bucket.
 */
export const RESULT_WRITER_ACTIONS = [
  's3:PutObject',
  's3:GetObject',
  's3:ListMultipartUploadParts',
  's3:AbortMultipartUpload',
] as const;

const objectArn = (bucket: s3.IBucket, pattern: string) => `${bucket.bucketArn}/${pattern}`;

/** An S3 JSON item reader that may read the round manifests only (CDK's own grants GetObject on the whole bucket). */
class ManifestItemReader extends sfn.S3JsonItemReader {
  constructor(
    private readonly manifestBucket: s3.IBucket,
    key: string,
  ) {
    super({ bucket: manifestBucket, key });
  }

  override providePolicyStatements(): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [objectArn(this.manifestBucket, MANIFEST_KEY_PATTERN)],
      }),
    ];
  }
}

/** A result writer that may write under its prefix only (CDK's own grants its actions on the whole bucket). */
class PrefixResultWriter extends sfn.ResultWriterV2 {
  constructor(
    private readonly resultBucket: s3.IBucket,
    private readonly resultPrefix: string,
  ) {
    super({ bucket: resultBucket, prefix: resultPrefix });
  }

  override providePolicyStatements(): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        actions: [...RESULT_WRITER_ACTIONS],
        resources: [objectArn(this.resultBucket, `${this.resultPrefix}*`)],
      }),
    ];
  }
}

/** The variable that tells a task function its own timeout, so that its model calls fit in it (src/aws/context.ts). */
export { TASK_TIMEOUT_VARIABLE };

/** The Lambda function behind each task of the state machine. */
export interface PipelineTaskFunctions {
  readonly corpus: lambda.IFunction;
  readonly summarize: lambda.IFunction;
  readonly classify: lambda.IFunction;
  readonly analyze: lambda.IFunction;
  readonly finish: lambda.IFunction;
  readonly recordFailure: lambda.IFunction;
  readonly patterns: lambda.IFunction;
  readonly opportunities: lambda.IFunction;
  readonly report: lambda.IFunction;
  readonly notify: lambda.IFunction;
}

const TASKS: ReadonlyArray<keyof PipelineTaskFunctions> = [
  'corpus',
  'summarize',
  'classify',
  'analyze',
  'finish',
  'recordFailure',
  'patterns',
  'opportunities',
  'report',
  'notify',
];

export interface PipelineRetryProps {
  /** @default 5 seconds */
  readonly interval?: Duration;
  /** @default 4 */
  readonly maxAttempts?: number;
  /** @default 2 */
  readonly backoffRate?: number;
  /** @default 2 minutes */
  readonly maxDelay?: Duration;
}

export interface PipelineProps {
  readonly functions: PipelineTaskFunctions;
  /** Holds the round manifests (read by the Distributed Map) and the Map Run results. */
  readonly artifactsBucket: s3.IBucket;
  /** Documents processed at once. @default 10 */
  readonly maxConcurrency?: number;
  /** Share of a round's documents whose failure may go unrecorded before the round fails. @default 10 */
  readonly toleratedFailurePercentage?: number;
  /** Technologies of one document analyzed at once. @default TECHNOLOGY_CONCURRENCY (2) */
  readonly technologyConcurrency?: number;
  /** Where the Distributed Map writes its results in the artifacts bucket. @default "results/" */
  readonly resultPrefix?: string;
  /**
   * How long an execution waits before asking for the corpus lock again. Each wait adds about nine
   * events to the execution's history (at most 25,000): at 60 s an execution can wait about 46 hours.
   * @default 60 seconds
   */
  readonly lockPollInterval?: Duration;
  readonly retry?: PipelineRetryProps;
  /** @default one month */
  readonly logRetention?: logs.RetentionDays;
  /** Encrypts the state machine's log group (the key's policy must admit CloudWatch Logs). @default CloudWatch Logs' own encryption */
  readonly logEncryptionKey?: kms.IKey;
  /** A backfill of 10,000 new documents takes about 7 hours at Claude Sonnet 4's default quota (bench/aws-scale.ts). @default 7 days */
  readonly timeout?: Duration;
  /**
   * Where a failed run says so ("run failed", with the run id and the error name), after its run
   * record is marked failed and the lock released. @default no message
   */
  readonly failureTopic?: sns.ITopic;
  /** Bedrock batch inference before each round's Distributed Map (infra/constructs/batch-inference.ts). @default none */
  readonly batch?: PipelineBatchProps;
}

export interface PipelineBatchProps {
  /** The batch function (lambdas/batch.ts): prepare, submit (waits for the task token), collect. */
  readonly function: lambda.IFunction;
  /** How long an execution waits for a job's end before its documents go on demand. @default 48 hours */
  readonly waitTimeout?: Duration;
}

/** The stages a round may send through a batch job, in order (src/batch/steps.ts BATCH_STAGES). */
export const BATCH_STATE_STAGES = ['summarize', 'classify', 'analyze'] as const;
/** The batch states of one stage, by the stage's capitalised name. */
export const batchStateNames = (stage: (typeof BATCH_STATE_STAGES)[number]) => {
  const name = `${stage[0]?.toUpperCase()}${stage.slice(1)}`;
  return {
    prepare: `BatchPrepare${name}`,
    needed: `Batch${name}Needed`,
    submit: `BatchWait${name}`,
    collect: `BatchCollect${name}`,
    skipped: `Batch${name}Done`,
  };
};

const resultPrefix = (props: PipelineProps) => props.resultPrefix ?? 'results/';

/**
 * The state machine: take the corpus lock (waiting while another execution holds it), then in
 * rounds drain the queue of source changes (Prepare -> a Distributed Map over the round's
 * documents: Summarize -> Classify -> Analyze per causal technology -> Finish, a failure recorded
 * with its stage), then fold the whole corpus once if it changed (Patterns -> Opportunities ->
 * Report -> Notify), and release the lock, also when anything failed.
 */
export class Pipeline extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.ILogGroup;

  constructor(scope: Construct, id: string, props: PipelineProps) {
    super(scope, id);
    const { functions } = props;
    const retry: sfn.RetryProps = {
      errors: RETRIED_ERRORS,
      interval: props.retry?.interval ?? Duration.seconds(5),
      maxAttempts: props.retry?.maxAttempts ?? 4,
      backoffRate: props.retry?.backoffRate ?? 2,
      maxDelay: props.retry?.maxDelay ?? Duration.minutes(2),
      jitterStrategy: sfn.JitterType.FULL,
    };
    const invoke = (name: string, lambdaFunction: lambda.IFunction, options: Partial<tasks.LambdaInvokeProps> = {}) =>
      new tasks.LambdaInvoke(this, name, {
        lambdaFunction,
        // The task's output is the handler's return value, as is; Retry below replaces the default one.
        payloadResponseOnly: true,
        retryOnServiceExceptions: false,
        ...options,
      })
        .addRetry(retry)
        .addRetry({ errors: TIMED_OUT_ERRORS, interval: Duration.seconds(10), maxAttempts: 1 });
    const holder = sfn.JsonPath.stringAt('$$.Execution.Name');
    const corpus = (name: string, payload: Record<string, unknown>, resultPath: string) =>
      invoke(name, functions.corpus, { payload: sfn.TaskInput.fromObject(payload), resultPath });

    // Per document. A failure after its retries is recorded in the corpus index with the stage of
    // the state that failed, and the item ends: the report lists it, and BeginFold refuses to fold
    // a corpus with more than the tolerated share of failed documents. Only an item whose failure
    // could not even be recorded fails in the Map (and counts against its tolerance).
    const recordFailure = invoke(STATE_NAMES.recordFailure, functions.recordFailure, {
      resultPath: sfn.JsonPath.DISCARD,
    }).next(new sfn.Succeed(this, STATE_NAMES.markFailed));
    const failedAt = (stage: string) =>
      new sfn.Pass(this, `${stage[0]?.toUpperCase()}${stage.slice(1)}Failed`, {
        parameters: {
          runId: sfn.JsonPath.stringAt('$.runId'),
          item: sfn.JsonPath.objectAt('$.item'),
          stage,
          error: sfn.JsonPath.objectAt('$.error'),
        },
      }).next(recordFailure);
    const catchAll: sfn.CatchProps = { errors: [sfn.Errors.ALL], resultPath: '$.error' };
    const documentEvent = sfn.TaskInput.fromObject({
      runId: sfn.JsonPath.stringAt('$.runId'),
      item: sfn.JsonPath.objectAt('$.item'),
    });

    const documentDone = new sfn.Succeed(this, STATE_NAMES.documentDone);
    const summarize = invoke(STATE_NAMES.summarize, functions.summarize, { payload: documentEvent }).addCatch(
      failedAt('summarize'),
      catchAll,
    );
    const classify = invoke(STATE_NAMES.classify, functions.classify, { payload: documentEvent }).addCatch(
      failedAt('classify'),
      catchAll,
    );
    const technologies = new sfn.Map(this, STATE_NAMES.technologies, {
      itemsPath: '$.technologies',
      maxConcurrency: props.technologyConcurrency ?? TECHNOLOGY_CONCURRENCY,
      resultPath: sfn.JsonPath.DISCARD,
    })
      .itemProcessor(invoke(STATE_NAMES.analyze, functions.analyze))
      .addCatch(failedAt('analyze'), catchAll);
    const finish = invoke(STATE_NAMES.finish, functions.finish, {
      payload: documentEvent,
      resultPath: sfn.JsonPath.DISCARD,
    }).addCatch(failedAt('report'), catchAll);
    const perDocument = summarize.next(
      new sfn.Choice(this, STATE_NAMES.proceed)
        .when(
          sfn.Condition.booleanEquals('$.proceed', true),
          classify.next(technologies).next(finish).next(documentDone),
        )
        .otherwise(documentDone),
    );

    const documents = new sfn.DistributedMap(this, STATE_NAMES.documents, {
      label: MAP_RUN_LABEL,
      itemReader: new ManifestItemReader(props.artifactsBucket, sfn.JsonPath.stringAt('$.prepared.manifestKey')),
      itemSelector: {
        runId: sfn.JsonPath.stringAt('$.runId'),
        item: sfn.JsonPath.objectAt('$$.Map.Item.Value.item'),
      },
      maxConcurrency: props.maxConcurrency ?? 10,
      toleratedFailurePercentage: props.toleratedFailurePercentage ?? 10,
      resultWriterV2: new PrefixResultWriter(props.artifactsBucket, resultPrefix(props)),
      resultPath: sfn.JsonPath.DISCARD,
      mapExecutionType: sfn.StateMachineType.STANDARD,
    })
      .itemProcessor(perDocument)
      .addRetry({
        errors: MAP_IO_ERRORS,
        interval: Duration.seconds(10),
        maxAttempts: 3,
        backoffRate: 2,
        jitterStrategy: sfn.JitterType.FULL,
      });

    // The locked part: rounds of document work, then one fold of the whole corpus.
    const round = { holder, runId: sfn.JsonPath.stringAt('$.runId'), mode: sfn.JsonPath.stringAt('$.mode') };
    const prepare = corpus(
      STATE_NAMES.prepare,
      { action: 'prepare', ...round, round: sfn.JsonPath.numberAt('$.round') },
      '$.prepared',
    );
    const nextRound = new sfn.Pass(this, STATE_NAMES.nextRound, {
      parameters: {
        runId: sfn.JsonPath.stringAt('$.runId'),
        mode: sfn.JsonPath.stringAt('$.mode'),
        round: sfn.JsonPath.mathAdd(sfn.JsonPath.numberAt('$.prepared.round'), 1),
      },
    }).next(prepare);
    const folded = new sfn.Succeed(this, STATE_NAMES.folded);
    const fold = invoke(STATE_NAMES.patterns, functions.patterns, {
      payload: sfn.TaskInput.fromObject({ runId: sfn.JsonPath.stringAt('$.runId') }),
      resultPath: sfn.JsonPath.DISCARD,
    })
      .next(
        invoke(STATE_NAMES.opportunities, functions.opportunities, {
          payload: sfn.TaskInput.fromObject({ runId: sfn.JsonPath.stringAt('$.runId') }),
          resultPath: sfn.JsonPath.DISCARD,
        }),
      )
      .next(
        invoke(STATE_NAMES.report, functions.report, {
          payload: sfn.TaskInput.fromObject({
            runId: sfn.JsonPath.stringAt('$.runId'),
            generation: sfn.JsonPath.numberAt('$.fold.generation'),
          }),
          resultPath: '$.report',
        }),
      )
      .next(
        invoke(STATE_NAMES.notify, functions.notify, {
          payload: sfn.TaskInput.fromObject({
            runId: sfn.JsonPath.stringAt('$.report.runId'),
            reportKeys: sfn.JsonPath.listAt('$.report.reportKeys'),
            documents: sfn.JsonPath.numberAt('$.report.documents'),
            failed: sfn.JsonPath.numberAt('$.report.failed'),
          }),
          resultPath: sfn.JsonPath.DISCARD,
        }),
      )
      .next(folded);
    const beginFold = corpus(STATE_NAMES.beginFold, { action: 'beginFold', ...round }, '$.fold').next(
      new sfn.Choice(this, STATE_NAMES.shouldFold)
        .when(sfn.Condition.booleanEquals('$.fold.fold', true), fold)
        .otherwise(folded),
    );
    const rounds = new sfn.Pass(this, STATE_NAMES.start, {
      parameters: { runId: sfn.JsonPath.stringAt('$.lock.runId'), mode: sfn.JsonPath.stringAt('$.mode'), round: 0 },
    })
      .next(prepare)
      .next(
        new sfn.Choice(this, STATE_NAMES.hasWork)
          .when(
            sfn.Condition.numberGreaterThan('$.prepared.count', 0),
            (props.batch ? this.batchStates(props.batch, retry).next(documents) : documents).next(nextRound),
          )
          .otherwise(beginFold),
      );

    const release = corpus(
      STATE_NAMES.release,
      { action: 'release', holder, runId: sfn.JsonPath.stringAt('$.lock.runId'), failed: false },
      sfn.JsonPath.DISCARD,
    );
    // Any failure under the lock: the run record is marked failed and the lock released, the run
    // says so on the failure topic (also when the release itself failed), and the execution fails
    // with the original error (the operations rule sees FAILED).
    const runFailed = new sfn.Fail(this, STATE_NAMES.failed, {
      errorPath: sfn.JsonPath.stringAt('$.error.Error'),
      causePath: sfn.JsonPath.stringAt('$.error.Cause'),
    });
    const afterRelease: sfn.IChainable = props.failureTopic
      ? new tasks.SnsPublish(this, STATE_NAMES.publishFailure, {
          topic: props.failureTopic,
          subject: 'postmortem-lens run failed',
          // The error name only: a Cause may carry a stack trace, and the message goes by e-mail.
          message: sfn.TaskInput.fromText(
            sfn.JsonPath.format(
              'The postmortem-lens run {} failed with {}. No new report was published: the last report stays under report/ in the artifacts bucket, and the run record says failed. The execution {} shows the failing state.',
              sfn.JsonPath.stringAt('$.lock.runId'),
              sfn.JsonPath.stringAt('$.error.Error'),
              sfn.JsonPath.stringAt('$$.Execution.Id'),
            ),
          ),
          resultPath: sfn.JsonPath.DISCARD,
        })
          .addRetry({ ...retry, errors: ['SNS.SnsException', 'SNS.ThrottledException', 'SNS.InternalErrorException'] })
          .addCatch(runFailed, { errors: [sfn.Errors.ALL], resultPath: '$.publishError' })
          .next(runFailed)
      : runFailed;
    const releaseAfterFailure = corpus(
      STATE_NAMES.releaseAfterFailure,
      {
        action: 'release',
        holder,
        runId: sfn.JsonPath.stringAt('$.lock.runId'),
        failed: true,
        error: sfn.JsonPath.objectAt('$.error'),
      },
      sfn.JsonPath.DISCARD,
    )
      .addCatch(afterRelease, { errors: [sfn.Errors.ALL], resultPath: '$.releaseError' })
      .next(afterRelease);
    const locked = new sfn.Parallel(this, STATE_NAMES.locked, {
      resultSelector: { 'runId.$': '$[0].runId' },
      resultPath: '$.done',
    })
      .branch(rounds)
      .addCatch(releaseAfterFailure, { errors: [sfn.Errors.ALL], resultPath: '$.error' });

    const acquire = corpus(
      STATE_NAMES.acquire,
      { action: 'acquire', holder, mode: sfn.JsonPath.stringAt('$.mode') },
      '$.lock',
    );
    // The input names the mode: {"mode": "incremental"} from ingest, {"mode": "full"} from the schedule.
    const definition = acquire.next(
      new sfn.Choice(this, STATE_NAMES.lockAcquired)
        .when(sfn.Condition.booleanEquals('$.lock.acquired', true), locked.next(release))
        .otherwise(
          new sfn.Wait(this, STATE_NAMES.waitForLock, {
            time: sfn.WaitTime.duration(props.lockPollInterval ?? Duration.seconds(60)),
          }).next(acquire),
        ),
    );

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
      encryptionKey: props.logEncryptionKey,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment:
        'postmortem-lens: summarize, classify and analyze each postmortem, then fold patterns and opportunities into a report',
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      stateMachineType: sfn.StateMachineType.STANDARD,
      timeout: props.timeout ?? Duration.days(7),
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    // Under a customer-managed key: the Distributed Map reads manifests and writes results, the failure path publishes.
    grantKeyUse(
      this.stateMachine,
      props.artifactsBucket.encryptionKey,
      [...KEY_ACTIONS.objectRead, ...KEY_ACTIONS.objectWrite],
      's3',
    );
    grantKeyUse(this.stateMachine, props.failureTopic?.masterKey, KEY_ACTIONS.publish, 'sns');
    this.acknowledgeFindings(props);
    if (props.batch)
      acknowledge(
        this.stateMachine.role,
        'LambdaInvoke grants lambda:InvokeFunction on the batch function and its versions and aliases (<function ARN>:*): a function of this pipeline only.',
        wildcardResource(this, `${props.batch.function.functionArn}:*`),
      );
    this.tellTaskTimeouts(props.functions);
  }

  /**
   * Before a round's documents: for summarize, classify and analyze in turn, prepare the stage's
   * batch job (below the minimum record count nothing is submitted), submit it and wait for the task
   * token the job's end resumes, then collect its output into the cache. A job that fails, or a
   * wait that times out, leaves the stage to the Distributed Map's on-demand calls.
   */
  private batchStates(batch: PipelineBatchProps, retry: sfn.RetryProps): sfn.Chain {
    const round = {
      runId: sfn.JsonPath.stringAt('$.runId'),
      round: sfn.JsonPath.numberAt('$.prepared.round'),
      manifestKey: sfn.JsonPath.stringAt('$.prepared.manifestKey'),
    };
    let chain: sfn.Chain | undefined;
    for (const stage of BATCH_STATE_STAGES) {
      const names = batchStateNames(stage);
      const done = new sfn.Pass(this, names.skipped);
      const prepare = new tasks.LambdaInvoke(this, names.prepare, {
        lambdaFunction: batch.function,
        payload: sfn.TaskInput.fromObject({ action: 'prepare', stage, ...round }),
        payloadResponseOnly: true,
        retryOnServiceExceptions: false,
        resultPath: '$.batch',
      }).addRetry(retry);
      const submit = new tasks.LambdaInvoke(this, names.submit, {
        lambdaFunction: batch.function,
        integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
        payload: sfn.TaskInput.fromObject({
          action: 'submit',
          taskToken: sfn.JsonPath.taskToken,
          runId: sfn.JsonPath.stringAt('$.runId'),
          round: sfn.JsonPath.numberAt('$.prepared.round'),
          stage,
          modelId: sfn.JsonPath.stringAt('$.batch.modelId'),
          inputKey: sfn.JsonPath.stringAt('$.batch.inputKey'),
          outputPrefix: sfn.JsonPath.stringAt('$.batch.outputPrefix'),
        }),
        retryOnServiceExceptions: false,
        taskTimeout: sfn.Timeout.duration(batch.waitTimeout ?? Duration.hours(48)),
        resultPath: '$.batchJob',
      })
        .addRetry(retry)
        .addCatch(done, { errors: [sfn.Errors.ALL], resultPath: '$.batchError' });
      const collect = new tasks.LambdaInvoke(this, names.collect, {
        lambdaFunction: batch.function,
        payload: sfn.TaskInput.fromObject({
          action: 'collect',
          stage,
          ...round,
          recordsKey: sfn.JsonPath.stringAt('$.batch.recordsKey'),
          outputPrefix: sfn.JsonPath.stringAt('$.batch.outputPrefix'),
        }),
        payloadResponseOnly: true,
        retryOnServiceExceptions: false,
        resultPath: sfn.JsonPath.DISCARD,
      })
        .addRetry(retry)
        .addCatch(done, { errors: [sfn.Errors.ALL], resultPath: '$.batchError' });
      prepare.next(
        new sfn.Choice(this, names.needed)
          .when(sfn.Condition.booleanEquals('$.batch.submit', true), submit.next(collect).next(done))
          .otherwise(done),
      );
      const step = sfn.Chain.custom(prepare, [done], done);
      chain = chain ? chain.next(step) : step;
    }
    return chain as sfn.Chain;
  }

  /** Each task function learns its own timeout: its model calls' timeout and attempts are fitted into it. */
  private tellTaskTimeouts(functions: PipelineTaskFunctions): void {
    for (const task of TASKS) {
      const handler = functions[task];
      if (handler instanceof lambda.Function && handler.timeout)
        handler.addEnvironment(TASK_TIMEOUT_VARIABLE, String(handler.timeout.toSeconds()));
    }
  }

  private acknowledgeFindings(props: PipelineProps): void {
    const role = this.stateMachine.role;
    acknowledge(
      role,
      `${REASONS.xray} CloudWatch Logs delivery for the state machine's log (logs:CreateLogDelivery and the other *LogDelivery / resource-policy actions) also supports only Resource "*".`,
      wildcardResource(this, '*'),
    );
    acknowledge(
      role,
      'LambdaInvoke grants lambda:InvokeFunction on each task function and its versions and aliases (<function ARN>:*): the functions of this pipeline only.',
      ...TASKS.map((task) => wildcardResource(this, `${props.functions[task].functionArn}:*`)),
    );
    acknowledge(
      role,
      `The Distributed Map reads a round's manifest (ItemReader, ${MANIFEST_KEY_PATTERN}): the run id and round are chosen at run time, and the pattern admits manifests only, not the run's other files.`,
      wildcardResource(this, objectArn(props.artifactsBucket, MANIFEST_KEY_PATTERN)),
    );
    acknowledge(
      role,
      `The Distributed Map writes its Map Run results (ResultWriter) under ${resultPrefix(props)} only: Step Functions names the files by the Map Run id at run time.`,
      wildcardResource(this, objectArn(props.artifactsBucket, `${resultPrefix(props)}*`)),
    );
    // The Distributed Map runs each document as a child execution of this state machine, named by Step Functions.
    const machineName = Arn.split(this.stateMachine.stateMachineArn, ArnFormat.COLON_RESOURCE_NAME).resourceName ?? '';
    const executions = (suffix: string) =>
      Stack.of(this).formatArn({
        service: 'states',
        resource: 'execution',
        resourceName: `${machineName}${suffix}`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
    const distributedMapPolicy = this.stateMachine.node.tryFindChild('DistributedMapPolicy');
    if (distributedMapPolicy) {
      acknowledge(
        distributedMapPolicy,
        "The Distributed Map starts, describes and stops the child executions of its Map Runs (states:DescribeExecution, states:StopExecution); their names are generated at run time, under this state machine's own execution ARNs.",
        wildcardResource(this, executions(':*')),
        wildcardResource(this, executions(`/${MAP_RUN_LABEL}:*`)),
      );
    }
  }
}
