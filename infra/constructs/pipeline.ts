/**
 * The state machine: Prepare -> a Distributed Map over the run's manifest (per document:
 * Summarize -> Classify -> an inner Map of Analyze over the causal technologies, with a Catch that
 * records the failure) -> Patterns -> Opportunities -> Report -> Notify.
 *
 * Payloads between states carry ids and keys only; results live in S3 and DynamoDB.
 */
import { Arn, ArnFormat, Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { acknowledge, REASONS, wildcardResource } from '../nag.ts';

/** The state names of the definition (the workflow test overrides the Task states by these names). */
export const STATE_NAMES = {
  prepare: 'Prepare',
  documents: 'ProcessDocuments',
  summarize: 'Summarize',
  classify: 'Classify',
  technologies: 'AnalyzeTechnologies',
  analyze: 'Analyze',
  documentDone: 'DocumentDone',
  recordFailure: 'RecordFailure',
  markFailed: 'MarkFailed',
  patterns: 'Patterns',
  opportunities: 'Opportunities',
  report: 'Report',
  notify: 'Notify',
} as const;

/** The Distributed Map's label: it names the Map Runs and their child executions. */
export const MAP_RUN_LABEL = 'Documents';

/** Errors retried with backoff on every Lambda task; handlers throw ThrottlingError when the model throttles. */
export const RETRIED_ERRORS = ['Lambda.TooManyRequestsException', 'Lambda.ServiceException', 'Lambda.SdkClientException', 'ThrottlingError'];

/** The Lambda function behind each task of the state machine. */
export interface PipelineTaskFunctions {
  readonly prepare: lambda.IFunction;
  readonly summarize: lambda.IFunction;
  readonly classify: lambda.IFunction;
  readonly analyze: lambda.IFunction;
  readonly recordFailure: lambda.IFunction;
  readonly patterns: lambda.IFunction;
  readonly opportunities: lambda.IFunction;
  readonly report: lambda.IFunction;
  readonly notify: lambda.IFunction;
}

const TASKS: ReadonlyArray<keyof PipelineTaskFunctions> = ['prepare', 'summarize', 'classify', 'analyze', 'recordFailure', 'patterns', 'opportunities', 'report', 'notify'];

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
  /** Holds the manifests (read by the Distributed Map) and the Map Run results. */
  readonly artifactsBucket: s3.IBucket;
  /** Documents processed at once. @default 10 */
  readonly maxConcurrency?: number;
  /** @default 10 */
  readonly toleratedFailurePercentage?: number;
  /** Technologies of one document analyzed at once. @default 2 */
  readonly technologyConcurrency?: number;
  /** Where the Distributed Map writes its results in the artifacts bucket. @default "results/" */
  readonly resultPrefix?: string;
  readonly retry?: PipelineRetryProps;
  /** @default one month */
  readonly logRetention?: logs.RetentionDays;
  /** @default 12 hours */
  readonly timeout?: Duration;
}

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
      }).addRetry(retry);
    const runIdOnly = sfn.TaskInput.fromObject({ runId: sfn.JsonPath.stringAt('$.runId') });

    // A failed document: recorded with its stage and reason, then the item fails, so it counts
    // against ToleratedFailurePercentage: within it the Map goes on and the report lists the
    // failure; beyond it the execution fails before anything is folded or reported.
    const recordFailure = invoke(STATE_NAMES.recordFailure, functions.recordFailure, {
      payload: sfn.TaskInput.fromObject({
        runId: sfn.JsonPath.stringAt('$.runId'),
        key: sfn.JsonPath.stringAt('$.key'),
        error: sfn.JsonPath.objectAt('$.error'),
      }),
      resultPath: sfn.JsonPath.DISCARD,
    }).next(
      new sfn.Fail(this, STATE_NAMES.markFailed, {
        error: 'DocumentFailed',
        causePath: sfn.JsonPath.stringAt('$.key'),
      }),
    );
    const catchAll: sfn.CatchProps = { errors: [sfn.Errors.ALL], resultPath: '$.error' };

    const summarize = invoke(STATE_NAMES.summarize, functions.summarize).addCatch(recordFailure, catchAll);
    const classify = invoke(STATE_NAMES.classify, functions.classify).addCatch(recordFailure, catchAll);
    const technologies = new sfn.Map(this, STATE_NAMES.technologies, {
      itemsPath: '$.technologies',
      maxConcurrency: props.technologyConcurrency ?? 2,
      resultPath: sfn.JsonPath.DISCARD,
    })
      .itemProcessor(invoke(STATE_NAMES.analyze, functions.analyze))
      // Analyze's failures (after its retries) surface here, inside the item processor.
      .addCatch(recordFailure, catchAll);
    const perDocument = summarize.next(classify).next(technologies).next(new sfn.Succeed(this, STATE_NAMES.documentDone));

    const documents = new sfn.DistributedMap(this, STATE_NAMES.documents, {
      label: MAP_RUN_LABEL,
      itemReader: new sfn.S3JsonItemReader({ bucket: props.artifactsBucket, key: sfn.JsonPath.stringAt('$.manifestKey') }),
      itemSelector: {
        runId: sfn.JsonPath.stringAt('$.runId'),
        key: sfn.JsonPath.stringAt('$$.Map.Item.Value.key'),
        item: sfn.JsonPath.objectAt('$$.Map.Item.Value'),
      },
      maxConcurrency: props.maxConcurrency ?? 10,
      toleratedFailurePercentage: props.toleratedFailurePercentage ?? 10,
      resultWriterV2: new sfn.ResultWriterV2({ bucket: props.artifactsBucket, prefix: props.resultPrefix ?? 'results/' }),
      resultPath: sfn.JsonPath.DISCARD,
      mapExecutionType: sfn.StateMachineType.STANDARD,
    }).itemProcessor(perDocument);

    const definition = invoke(STATE_NAMES.prepare, functions.prepare)
      .next(documents)
      .next(invoke(STATE_NAMES.patterns, functions.patterns, { payload: runIdOnly }))
      .next(invoke(STATE_NAMES.opportunities, functions.opportunities, { payload: runIdOnly }))
      .next(invoke(STATE_NAMES.report, functions.report, { payload: runIdOnly }))
      .next(invoke(STATE_NAMES.notify, functions.notify));

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: 'postmortem-lens: summarize, classify and analyze each postmortem, then fold patterns and opportunities into a report',
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      stateMachineType: sfn.StateMachineType.STANDARD,
      timeout: props.timeout ?? Duration.hours(12),
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    this.acknowledgeFindings(props);
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
      "The Distributed Map reads the run's manifest (ItemReader) and writes its Map Run results (ResultWriter) in this stack's artifacts bucket only: the manifest key and the result keys are known only at run time.",
      wildcardResource(this, `arn:${Aws.PARTITION}:s3:::${props.artifactsBucket.bucketName}/*`),
    );
    // The Distributed Map runs each document as a child execution of this state machine, named by Step Functions.
    const machineName = Arn.split(this.stateMachine.stateMachineArn, ArnFormat.COLON_RESOURCE_NAME).resourceName ?? '';
    const executions = (suffix: string) =>
      Stack.of(this).formatArn({ service: 'states', resource: 'execution', resourceName: `${machineName}${suffix}`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
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
