/**
 * Operations: what pages someone when the pipeline fails, and a dashboard of how it runs.
 *
 * Every alarm and the execution-failure rule publish to one operations topic, encrypted with a
 * customer-managed key whose policy admits CloudWatch and EventBridge (neither can publish to a
 * topic under the AWS managed SNS key).
 *
 * | alarm                                   | fires when                                                       |
 * |-----------------------------------------|------------------------------------------------------------------|
 * | ingest dead-letter queue                | a message is visible in it (a batch failed maxReceiveCount times) |
 * | schedule dead-letter queue              | a scheduled start failed after Scheduler's retries               |
 * | RunEnded dead-letter queue              | the failure rule could not invoke RunEnded after its retries     |
 * | ingest queue age                        | its oldest message is older than `queueAgeThreshold` (1 hour)     |
 * | `<function>` errors                     | 5 or more errors in 5 minutes (retried throttles included)       |
 * | `<function>` throttles                  | throttled in each of three consecutive 5-minute periods          |
 * | `<function>` near its timeout           | its longest run in 5 minutes exceeds 80% of its timeout           |
 * | Bedrock throttles / server errors       | per model id: 10 throttles, or 5 server errors, in 5 minutes     |
 *
 * Bedrock publishes its runtime metrics (AWS/Bedrock) with the `ModelId` dimension set to the
 * identifier the caller invoked: a foundation-model id, a cross-Region profile id (`us.anthropic...`),
 * or, for a model configured by ARN (an application inference profile, the way to tag cost per
 * stage), that ARN. The stages invoke the configured string unchanged (src/models/bedrock.ts), so
 * the alarms use it unchanged as the dimension: no prefix stripped, no ARN shortened to its id.
 *
 * The rule: a "Step Functions Execution Status Change" of this state machine to FAILED, TIMED_OUT
 * or ABORTED publishes one readable line (execution, status, error, times) to the topic, and (given
 * the state table) invokes the RunEnded function: a timed-out or aborted execution never reaches its
 * own failure path, so that function marks its run failed and releases the corpus lock it held
 * (lambdas/run-ended.ts), rather than leaving the run `running` and the lock held until its lease ends.
 * An invocation EventBridge could not deliver after its retries lands in a dead-letter queue that
 * alarms, with the event, so that the run can be marked by hand (or the event replayed).
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ENDED_EXECUTION_STATUSES } from '../../src/aws/events.ts';
import { acknowledge } from '../nag.ts';
import { PipelineFunction, type PipelineFunctionProps, type TableAction } from './pipeline-function.ts';

/** The execution statuses that page: every end of an execution but SUCCEEDED. */
export const FAILED_EXECUTION_STATUSES = ENDED_EXECUTION_STATUSES;

/** What the RunEnded function does in the state table: reads the run record, updates it, deletes the lock (conditionally). */
export const RUN_ENDED_TABLE_ACTIONS: readonly TableAction[] = ['GetItem', 'UpdateItem', 'DeleteItem'];

/** The share of a function's timeout above which its longest run alarms. */
export const NEAR_TIMEOUT_SHARE = 0.8;

export interface OperationsThresholds {
  /** @default 1 hour */
  readonly queueAge?: Duration;
  /** Lambda errors of one function in 5 minutes. @default 5 */
  readonly functionErrors?: number;
  /** Bedrock throttles of one model in 5 minutes (the governor retries them; many mean the quota is too small). @default 10 */
  readonly modelThrottles?: number;
  /** Bedrock server errors of one model in 5 minutes. @default 5 */
  readonly modelServerErrors?: number;
}

export interface OperationsProps {
  readonly stateMachine: sfn.IStateMachine;
  readonly ingestQueue: sqs.IQueue;
  readonly ingestDeadLetterQueue: sqs.IQueue;
  /** The dead-letter queue of the schedule's target. @default none watched */
  readonly scheduleDeadLetterQueue?: sqs.IQueue;
  /** The functions whose errors and throttles alarm, by a readable name (e.g. "Summarize"). */
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  /** The functions whose duration near their timeout alarms (the fold and the report), by name, each with its timeout. */
  readonly longRunning: Readonly<Record<string, { readonly function: lambda.IFunction; readonly timeout: Duration }>>;
  /** Bedrock model or inference-profile ids the stages call (AWS/Bedrock's ModelId dimension); none for the offline engine. */
  readonly modelIds: readonly string[];
  /** Subscribed to the operations topic (the address confirms by e-mail). @default no subscription */
  readonly email?: string;
  readonly thresholds?: OperationsThresholds;
  /**
   * The state table: given, the failure rule also invokes a RunEnded function that marks the run of
   * an execution that ended FAILED, TIMED_OUT or ABORTED failed and releases its corpus lock.
   * @default no such function
   */
  readonly stateTable?: dynamodb.ITable;
  /** Overrides for the RunEnded function (log retention, log encryption key, bundling). */
  readonly runEndedProps?: Partial<PipelineFunctionProps>;
  /**
   * The customer-managed key of the deployment: the operations topic is encrypted with it (its
   * policy then also admits CloudWatch and EventBridge). @default a key of the topic's own
   */
  readonly key?: kms.IKey;
  /** Further dead-letter queues that page when a message lands, by name, with what a message there means. */
  readonly deadLetterQueues?: Readonly<Record<string, { readonly queue: sqs.IQueue; readonly meaning: string }>>;
}

/** How EventBridge delivers the RunEnded invocation: retries within the event's age, then the dead-letter queue. */
export const RUN_ENDED_DELIVERY = { retryAttempts: 8, maxEventAge: Duration.hours(2) } as const;

const PERIOD = Duration.minutes(5);

export class Operations extends Construct {
  readonly key: kms.IKey;
  readonly topic: sns.ITopic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly failureRule: events.Rule;
  readonly dashboard: cloudwatch.Dashboard;
  /** Marks the run of an execution that ended other than SUCCEEDED failed and releases its lock. */
  readonly runEnded?: PipelineFunction;
  /** Invocations of RunEnded that EventBridge could not deliver after its retries (with the event). */
  readonly runEndedDeadLetterQueue?: sqs.IQueue;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const { stateMachine, thresholds = {} } = props;
    const stack = Stack.of(this);

    const key =
      props.key ??
      new kms.Key(this, 'TopicKey', {
        description: 'postmortem-lens: encrypts the operations topic (alarms and failed executions)',
        enableKeyRotation: true,
      });
    // CloudWatch alarms and EventBridge rules publish to the topic as their service principals:
    // SNS then needs them to be able to make and read data keys under this key.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAndEventBridgeToPublishToTheEncryptedTopic',
        principals: [
          new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
          new iam.ServicePrincipal('events.amazonaws.com'),
        ],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.key = key;
    const topic = new sns.Topic(this, 'Topic', {
      displayName: 'postmortem-lens: operations',
      masterKey: key,
      enforceSSL: true,
    });
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowThisAccountsAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm:*' }) },
          StringEquals: { 'aws:SourceAccount': stack.account },
        },
      }),
    );
    if (props.email) topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    this.topic = topic;
    const notify = new actions.SnsAction(topic);
    const alarm = (name: string, alarmProps: cloudwatch.AlarmProps): cloudwatch.Alarm => {
      const created = new cloudwatch.Alarm(this, name, {
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        ...alarmProps,
      });
      created.addAlarmAction(notify);
      this.alarms.push(created);
      return created;
    };

    // Queues.
    const deadLetters = (name: string, queue: sqs.IQueue, what: string) =>
      alarm(name, {
        alarmDescription: `postmortem-lens: ${what}`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
      });
    deadLetters(
      'IngestDeadLetters',
      props.ingestDeadLetterQueue,
      'S3 notifications that the ingest function failed to queue or start, after every receive: those postmortems are not in the corpus until redriven',
    );
    if (props.scheduleDeadLetterQueue)
      deadLetters(
        'ScheduleDeadLetters',
        props.scheduleDeadLetterQueue,
        'the weekly full run could not be started after the scheduler retried',
      );
    for (const [name, { queue, meaning }] of Object.entries(props.deadLetterQueues ?? {}))
      deadLetters(name, queue, meaning);
    const queueAge = thresholds.queueAge ?? Duration.hours(1);
    alarm('IngestQueueAge', {
      alarmDescription: `postmortem-lens: the oldest S3 notification in the ingest queue is older than ${queueAge.toHumanString()}`,
      metric: props.ingestQueue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: 'Maximum' }),
      threshold: queueAge.toSeconds(),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });

    // The run of an execution that ended without its own failure path (TIMED_OUT, ABORTED).
    if (props.stateTable) {
      this.runEnded = new PipelineFunction(this, 'RunEnded', {
        entry: 'lambdas/run-ended.ts',
        description:
          'postmortem-lens: marks the run of a failed, timed-out or aborted execution failed and releases its lock',
        memorySize: 256,
        timeout: Duration.seconds(30),
        ...props.runEndedProps,
        environment: { PMLENS_STATE_TABLE: props.stateTable.tableName, ...props.runEndedProps?.environment },
      }).bindTable(props.stateTable, RUN_ENDED_TABLE_ACTIONS);
      const runEndedDeadLetters = new sqs.Queue(this, 'RunEndedDeadLetterQueue', {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      acknowledge(
        runEndedDeadLetters,
        "This queue is itself the dead-letter queue of the failure rule's RunEnded target (EventBridge DeadLetterConfig): an undelivered invocation lands here and an alarm pages on it; a queue behind it would never be read.",
        'AwsSolutions-SQS3',
      );
      this.runEndedDeadLetterQueue = runEndedDeadLetters;
      deadLetters(
        'RunEndedDeadLetters',
        runEndedDeadLetters,
        'EventBridge could not invoke RunEnded for an execution that failed, timed out or was aborted: its run may still say running and hold the corpus lock until the lease ends (the message holds the event)',
      );
    }

    // Functions.
    const watched = { ...props.functions, ...(this.runEnded ? { RunEnded: this.runEnded } : {}) };
    for (const [name, handler] of Object.entries(watched)) {
      alarm(`${name}Errors`, {
        alarmDescription: `postmortem-lens: the ${name} function keeps failing (the state machine retries, then records the failure)`,
        metric: handler.metricErrors({ period: PERIOD, statistic: 'Sum' }),
        threshold: thresholds.functionErrors ?? 5,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
      alarm(`${name}Throttles`, {
        alarmDescription: `postmortem-lens: the ${name} function has been throttled for 15 minutes (account concurrency)`,
        metric: handler.metricThrottles({ period: PERIOD, statistic: 'Sum' }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 3,
      });
    }
    for (const [name, { function: handler, timeout }] of Object.entries(props.longRunning)) {
      alarm(`${name}NearTimeout`, {
        alarmDescription: `postmortem-lens: a ${name} run took more than ${NEAR_TIMEOUT_SHARE * 100}% of its ${timeout.toHumanString()} timeout: the corpus is outgrowing it`,
        metric: handler.metricDuration({ period: PERIOD, statistic: 'Maximum' }),
        threshold: timeout.toMilliseconds() * NEAR_TIMEOUT_SHARE,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
      });
    }

    // Bedrock, per model id.
    const bedrock = (metricName: string, modelId: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/Bedrock',
        metricName,
        dimensionsMap: { ModelId: modelId },
        period: PERIOD,
        statistic: 'Sum',
      });
    for (const [index, modelId] of props.modelIds.entries()) {
      alarm(`Model${index}Throttles`, {
        alarmDescription: `postmortem-lens: Bedrock throttles ${modelId} (raise the quota or lower modelRequestsPerMinute / modelTokensPerMinute)`,
        metric: bedrock('InvocationThrottles', modelId),
        threshold: thresholds.modelThrottles ?? 10,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
      alarm(`Model${index}ServerErrors`, {
        alarmDescription: `postmortem-lens: Bedrock answers ${modelId} with server errors`,
        metric: bedrock('InvocationServerErrors', modelId),
        threshold: thresholds.modelServerErrors ?? 5,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
    }

    // Executions that end other than SUCCEEDED.
    this.failureRule = new events.Rule(this, 'FailedExecutions', {
      description: 'postmortem-lens: an execution of the state machine failed, timed out or was aborted',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { status: [...FAILED_EXECUTION_STATUSES], stateMachineArn: [stateMachine.stateMachineArn] },
      },
      targets: [
        new eventTargets.SnsTopic(topic, {
          message: events.RuleTargetInput.fromText(
            `postmortem-lens: execution ${events.EventField.fromPath('$.detail.name')} ended ${events.EventField.fromPath('$.detail.status')} ` +
              `(error: ${events.EventField.fromPath('$.detail.error')}), started ${events.EventField.fromPath('$.detail.startDate')}, ` +
              `stopped ${events.EventField.fromPath('$.detail.stopDate')} (epoch milliseconds). ` +
              `Execution ARN: ${events.EventField.fromPath('$.detail.executionArn')}. Region: ${events.EventField.fromPath('$.region')}.`,
          ),
        }),
        ...(this.runEnded
          ? [
              new eventTargets.LambdaFunction(this.runEnded, {
                event: events.RuleTargetInput.fromObject({
                  name: events.EventField.fromPath('$.detail.name'),
                  executionArn: events.EventField.fromPath('$.detail.executionArn'),
                  status: events.EventField.fromPath('$.detail.status'),
                }),
                // EventBridge retries a failed delivery, then puts the event in the dead-letter queue
                // (which alarms); Lambda retries a failed invocation twice, and the RunEnded errors
                // alarm pages if it still fails (the lease then frees the lock).
                ...RUN_ENDED_DELIVERY,
                deadLetterQueue: this.runEndedDeadLetterQueue,
              }),
            ]
          : []),
      ],
    });

    // The dashboard.
    const functions = Object.entries(props.functions);
    const graph = (title: string, left: cloudwatch.IMetric[], width = 12) =>
      new cloudwatch.GraphWidget({ title, left, width, height: 6 });
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${stack.stackName}-operations`,
      defaultInterval: Duration.days(7),
    });
    this.dashboard.addWidgets(
      graph('Ingest queue depth', [
        props.ingestQueue.metricApproximateNumberOfMessagesVisible({ label: 'queue', period: PERIOD }),
        props.ingestDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ label: 'dead letters', period: PERIOD }),
        ...(props.scheduleDeadLetterQueue
          ? [
              props.scheduleDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
                label: 'schedule dead letters',
                period: PERIOD,
              }),
            ]
          : []),
        ...(this.runEndedDeadLetterQueue
          ? [
              this.runEndedDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
                label: 'RunEnded dead letters',
                period: PERIOD,
              }),
            ]
          : []),
      ]),
      graph('Ingest queue: age of the oldest message (s)', [
        props.ingestQueue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: 'Maximum' }),
      ]),
    );
    this.dashboard.addWidgets(
      graph('Executions', [
        stateMachine.metricStarted({ label: 'started', period: PERIOD }),
        stateMachine.metricSucceeded({ label: 'succeeded', period: PERIOD }),
        stateMachine.metricFailed({ label: 'failed', period: PERIOD }),
        stateMachine.metricTimedOut({ label: 'timed out', period: PERIOD }),
        stateMachine.metricAborted({ label: 'aborted', period: PERIOD }),
      ]),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 12, height: 6 }),
    );
    this.dashboard.addWidgets(
      graph(
        'Lambda errors per stage',
        functions.map(([name, handler]) => handler.metricErrors({ label: name, period: PERIOD, statistic: 'Sum' })),
      ),
      graph(
        'Lambda duration per stage (max, ms)',
        functions.map(([name, handler]) =>
          handler.metricDuration({ label: name, period: PERIOD, statistic: 'Maximum' }),
        ),
      ),
    );
    if (props.modelIds.length > 0)
      this.dashboard.addWidgets(
        graph(
          'Bedrock invocations per model',
          props.modelIds.map((modelId) => bedrock('Invocations', modelId).with({ label: modelId })),
        ),
        graph(
          'Bedrock throttles and server errors per model',
          props.modelIds.flatMap((modelId) => [
            bedrock('InvocationThrottles', modelId).with({ label: `${modelId} throttles` }),
            bedrock('InvocationServerErrors', modelId).with({ label: `${modelId} server errors` }),
          ]),
        ),
      );
  }
}
