/** The postmortem-lens stack: storage, state, ingest, the state machine, its schedule, the topic and operations. */
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { modelIdsOf, type InfraConfig } from './config.ts';
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

  constructor(scope: Construct, id: string, props: PostmortemLensStackProps) {
    super(scope, id, {
      description: 'postmortem-lens: incident postmortems into recurring failure patterns and investment opportunities',
      ...props,
    });
    // Before any child exists: the Distributed Map reads it when it is created.
    this.node.setContext(RESULT_WRITER_V2_FLAG, true);
    const { config } = props;

    this.storage = new Storage(this, 'Storage', {
      keptKeys: [config.catalogKey, config.metadataKey].filter((key): key is string => key !== undefined),
    });
    this.state = new StateTable(this, 'State');
    this.notifications = new Notifications(this, 'Notifications', { email: config.notificationEmail });
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
    });
    this.pipeline = new Pipeline(this, 'Pipeline', {
      functions: this.functions,
      artifactsBucket: this.storage.artifactsBucket,
      maxConcurrency: config.maxConcurrency,
      toleratedFailurePercentage: config.toleratedFailurePercentage,
      failureTopic: this.notifications.topic,
    });
    this.ingest = new Ingest(this, 'Ingest', {
      inputBucket: this.storage.inputBucket,
      prefix: config.inputPrefix,
      batchSize: config.batchSize,
      maxBatchingWindow: Duration.seconds(config.batchingWindowSeconds),
      handlerProps: {
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
    this.schedule = new Schedule(this, 'Schedule', {
      stateMachine: this.pipeline.stateMachine,
      expression: config.scheduleExpression,
      input: { mode: 'full' },
    });
    const { functions } = this;
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
