/**
 * The ingest path: S3 object-created notifications under a prefix of the input bucket -> an
 * encrypted SQS queue (with a dead-letter queue) -> a Lambda that gathers them in batches.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.ts';
import { PipelineFunction, type PipelineFunctionProps } from './pipeline-function.ts';

export interface IngestProps {
  readonly inputBucket: s3.IBucket;
  /** Only objects created under this prefix are notified. @default "postmortems/" */
  readonly prefix?: string;
  /** Notifications per invocation. @default 100 */
  readonly batchSize?: number;
  /** How long notifications are gathered before an invocation. @default 60 seconds */
  readonly maxBatchingWindow?: Duration;
  /** Receives before a message moves to the dead-letter queue. @default 5 */
  readonly maxReceiveCount?: number;
  /** @default 1 minute */
  readonly handlerTimeout?: Duration;
  /** Settings of the ingest function (environment, memory). @default entry lambdas/ingest-queue.ts */
  readonly handlerProps?: Partial<PipelineFunctionProps>;
}

export class Ingest extends Construct {
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
  readonly handler: PipelineFunction;

  constructor(scope: Construct, id: string, props: IngestProps) {
    super(scope, id);
    const timeout = props.handlerTimeout ?? Duration.minutes(1);
    const maxBatchingWindow = props.maxBatchingWindow ?? Duration.seconds(60);
    const encryption = { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true } satisfies sqs.QueueProps;

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      ...encryption,
      retentionPeriod: Duration.days(14),
    });
    // Lambda's guidance: a visibility timeout of six times the function timeout, plus the batching window.
    this.queue = new sqs.Queue(this, 'Queue', {
      ...encryption,
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * 6 + maxBatchingWindow.toSeconds()),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });
    // Created and deleted objects both change the corpus.
    for (const type of [s3.EventType.OBJECT_CREATED, s3.EventType.OBJECT_REMOVED]) {
      props.inputBucket.addEventNotification(type, new s3n.SqsDestination(this.queue), {
        prefix: props.prefix ?? 'postmortems/',
      });
    }
    this.acknowledgeNotificationsHandler();

    this.handler = new PipelineFunction(this, 'Handler', {
      entry: 'lambdas/ingest-queue.ts',
      description: 'postmortem-lens ingest: queues changed postmortems and starts an execution that drains the queue',
      memorySize: 512,
      ...props.handlerProps,
      timeout,
    });
    this.handler.addEventSource(
      // The handler names the messages whose changes could not be queued or started: only they come back.
      new SqsEventSource(this.queue, {
        batchSize: props.batchSize ?? 100,
        maxBatchingWindow,
        reportBatchItemFailures: true,
      }),
    );
  }

  /** The stack-wide function of aws-cdk-lib that applies bucket notification configurations at deployment. */
  private acknowledgeNotificationsHandler(): void {
    const handler = Stack.of(this).node.children.find((child) =>
      child.node.id.startsWith('BucketNotificationsHandler'),
    );
    if (!handler) return;
    acknowledge(
      handler,
      "aws-cdk-lib's BucketNotificationsHandler (a deployment-time custom resource, not part of the pipeline) uses the AWS managed AWSLambdaBasicExecutionRole for its own logs.",
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    );
  }
}
