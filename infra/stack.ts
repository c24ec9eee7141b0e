/** The postmortem-lens stack: storage, state, ingest, the state machine, its schedule, the topic and operations. */
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { modelIdsOf, type InfraConfig } from './config.ts';
import { ReportDownload } from './constructs/download.ts';
import { EncryptionKey } from './constructs/encryption.ts';
import { BatchInference } from './constructs/batch-inference.ts';
import { Ingest } from './constructs/ingest.ts';
import { Notifications } from './constructs/notifications.ts';
import { Operations } from './constructs/operations.ts';
import { Pipeline } from './constructs/pipeline.ts';
import { Schedule } from './constructs/schedule.ts';
import { StageFunctions } from './constructs/stage-functions.ts';
import { StateTable } from './constructs/state-table.ts';
import { Storage } from './constructs/storage.ts';

/** The feature flag without which a Distributed Map's resultWriterV2 is silently dropped. */
export const RESULT_WRITER_V2_FLAG = '@aws-cdk/aws-stepfunctions:useDistributedMapResultWriterV2';

export interface PostmortemLensStackProps extends StackProps {
  readonly config: InfraConfig;
}

export class PostmortemLensStack extends Stack {
  readonly storage: Storage;
  readonly state: StateTable;
  readonly notifications: Notifications;
  readonly functions: StageFunctions;
  readonly pipeline: Pipeline;
  readonly ingest: Ingest;
  readonly schedule: Schedule;
  readonly operations: Operations;
  /** Bedrock batch inference for large rounds, when the context key batchInference asks for it. */
  readonly batch?: BatchInference;
  /** The customer-managed key (context customerManagedKey). */
  readonly encryption?: EncryptionKey;
  /** The report download endpoint (context downloadEndpoint). */
  readonly download?: ReportDownload;

  constructor(scope: Construct, id: string, props: PostmortemLensStackProps) {
    super(scope, id, {
      description: 'postmortem-lens: incident postmortems into recurring failure patterns and investment opportunities',
      ...props,
    });
    // Before any child exists: the Distributed Map reads it when it is created.
    this.node.setContext(RESULT_WRITER_V2_FLAG, true);
    const { config } = props;
    // One customer-managed key for buckets, table, topics and logs, when asked (else AWS managed keys).
    this.encryption = config.customerManagedKey ? new EncryptionKey(this, 'Encryption') : undefined;
    const key = this.encryption?.key;
    const logKey = key ? { logEncryptionKey: key } : {};

    this.storage = new Storage(this, 'Storage', {
      keptKeys: [config.catalogKey, config.metadataKey].filter((key): key is string => key !== undefined),
      encryptionKey: key,
    });
    this.state = new StateTable(this, 'State', { encryptionKey: key });
    this.notifications = new Notifications(this, 'Notifications', { email: config.notificationEmail, masterKey: key });
    this.functions = new StageFunctions(this, 'Functions', {
      inputBucket: this.storage.inputBucket,
      inputPrefix: config.inputPrefix,
      artifactsBucket: this.storage.artifactsBucket,
      table: this.state.table,
      topic: this.notifications.topic,
      engine: config.engine,
      models: config.models,
      catalogKey: config.catalogKey,
      metadataKey: config.metadataKey,
      // One execution works on the corpus at a time: up to maxConcurrency document Lambdas share the
      // quota while its rounds run, and the fold, which runs after them, has it whole.
      modelQuota: { requestsPerMinute: config.modelRequestsPerMinute, tokensPerMinute: config.modelTokensPerMinute },
      maxConcurrency: config.maxConcurrency,
      toleratedFailurePercentage: config.toleratedFailurePercentage,
      functionProps: logKey,
    });
    this.batch =
      config.batchInference.enabled && config.engine === 'bedrock'
        ? new BatchInference(this, 'Batch', {
            inputBucket: this.storage.inputBucket,
            inputPrefix: config.inputPrefix,
            artifactsBucket: this.storage.artifactsBucket,
            table: this.state.table,
            models: config.models,
            environment: this.functions.environment,
            configurationKeys: [config.catalogKey, config.metadataKey].filter(
              (key): key is string => key !== undefined,
            ),
            minimumRecords: config.batchInference.minimumRecords,
            functionProps: logKey,
          })
        : undefined;
    this.pipeline = new Pipeline(this, 'Pipeline', {
      functions: this.functions,
      ...(this.batch ? { batch: { function: this.batch.function } } : {}),
      artifactsBucket: this.storage.artifactsBucket,
      maxConcurrency: config.maxConcurrency,
      toleratedFailurePercentage: config.toleratedFailurePercentage,
      failureTopic: this.notifications.topic,
      logEncryptionKey: key,
    });
    this.ingest = new Ingest(this, 'Ingest', {
      inputBucket: this.storage.inputBucket,
      prefix: config.inputPrefix,
      batchSize: config.batchSize,
      maxBatchingWindow: Duration.seconds(config.batchingWindowSeconds),
      handlerProps: {
        ...logKey,
        environment: {
          ...this.functions.environment,
          PMLENS_STATE_MACHINE_ARN: this.pipeline.stateMachine.stateMachineArn,
        },
      },
    });
    this.ingest.handler.bindTable(this.state.table, 'readWrite');
    for (const key of [config.catalogKey, config.metadataKey])
      if (key) this.ingest.handler.bindRead(this.storage.artifactsBucket, key);
    this.pipeline.stateMachine.grantStartExecution(this.ingest.handler);
    this.batch?.allowResume(this.pipeline.stateMachine);
    this.schedule = new Schedule(this, 'Schedule', {
      stateMachine: this.pipeline.stateMachine,
      expression: config.scheduleExpression,
      input: { mode: 'full' },
    });
    const { functions } = this;
    if (config.downloadEndpoint)
      this.download = new ReportDownload(this, 'Download', {
        artifactsBucket: this.storage.artifactsBucket,
        notify: functions.notify,
        functionProps: logKey,
      });
    this.operations = new Operations(this, 'Operations', {
      stateMachine: this.pipeline.stateMachine,
      ingestQueue: this.ingest.queue,
      ingestDeadLetterQueue: this.ingest.deadLetterQueue,
      scheduleDeadLetterQueue: this.schedule.deadLetterQueue,
      functions: {
        Ingest: this.ingest.handler,
        Corpus: functions.corpus,
        Summarize: functions.summarize,
        Classify: functions.classify,
        Analyze: functions.analyze,
        Finish: functions.finish,
        RecordFailure: functions.recordFailure,
        Patterns: functions.patterns,
        Opportunities: functions.opportunities,
        Report: functions.report,
        Notify: functions.notify,
        ...(this.download ? { Download: this.download.handler } : {}),
        ...(this.batch ? { Batch: this.batch.function, BatchResume: this.batch.resume } : {}),
      },
      longRunning: Object.fromEntries(
        (['patterns', 'opportunities', 'report'] as const).map((name) => [
          `${name[0]?.toUpperCase()}${name.slice(1)}`,
          { function: functions[name], timeout: functions[name].timeout ?? Duration.minutes(5) },
        ]),
      ),
      modelIds: modelIdsOf(config),
      email: config.notificationEmail,
      stateTable: this.state.table,
      key,
      runEndedProps: logKey,
      ...(this.batch
        ? {
            deadLetterQueues: {
              BatchJobEndedDeadLetters: {
                queue: this.batch.deadLetterQueue,
                meaning:
                  'EventBridge could not deliver a batch job-ended event to the resume function: the execution waiting on that job stays paused until its task timeout, then runs the stage on demand',
              },
            },
          }
        : {}),
    });

    new CfnOutput(this, 'InputBucketName', {
      value: this.storage.inputBucket.bucketName,
      description: `Drop postmortems under s3://<bucket>/${config.inputPrefix}`,
    });
    new CfnOutput(this, 'ArtifactsBucketName', {
      value: this.storage.artifactsBucket.bucketName,
      description: 'The latest report under report/',
    });
    new CfnOutput(this, 'StateTableName', { value: this.state.table.tableName });
    new CfnOutput(this, 'StateMachineArn', { value: this.pipeline.stateMachine.stateMachineArn });
    new CfnOutput(this, 'ReportTopicArn', { value: this.notifications.topic.topicArn });
    new CfnOutput(this, 'OperationsTopicArn', {
      value: this.operations.topic.topicArn,
      description: 'Alarms and failed executions: subscribe whoever is on call',
    });
  }
}
