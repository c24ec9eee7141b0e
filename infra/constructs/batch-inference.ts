/**
 * Bedrock batch inference for large rounds (backfills, recomputes after a prompt or model change):
 * the function behind the state machine's batch states, the service role Bedrock assumes to read
 * the JSONL input and write the output under `batch/`, the EventBridge rule that resumes the
 * waiting execution when a job ends, and the expiry of the batch files. Infrastructure only: the
 * logic is in src/batch/.
 */
import { Aws, Duration, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { TASK_TIMEOUT_VARIABLE } from '../../src/models/call-budget.ts';
import { BATCH_PREFIX, BATCH_STAGES, TERMINAL_STATUSES } from '../../src/batch/steps.ts';
import { BEDROCK_MINIMUM_BATCH_RECORDS, DEFAULT_BATCH_MINIMUM_RECORDS } from '../../src/batch/cost.ts';
import { MODEL_ARN } from '../config.ts';
import { acknowledge, objectsReason, REASONS, wildcardResource } from '../nag.ts';
import {
  bedrockInvokeStatements,
  isInferenceProfileId,
  PipelineFunction,
  type PipelineFunctionProps,
} from './pipeline-function.ts';

/** The prefix of every job name the pipeline submits (src/batch/steps.ts jobNameOf): the rule listens to these only. */
export const JOB_NAME_PREFIX = 'pmlens-';
export const BATCH_RULE_DETAIL_TYPE = 'Batch Inference Job State Change';

export interface BatchInferenceProps {
  readonly inputBucket: s3.IBucket;
  readonly inputPrefix: string;
  /** A bucket of this stack (not an imported one): the lifecycle rule for `batch/` is added to it. */
  readonly artifactsBucket: s3.IBucket;
  readonly table: dynamodb.ITable;
  /** The model of each batched stage (summarize, classify, analyze). */
  readonly models: Readonly<Record<(typeof BATCH_STAGES)[number], string>>;
  /** The environment of the task functions (src/aws/context.ts). */
  readonly environment: Readonly<Record<string, string>>;
  readonly configurationKeys?: readonly string[];
  /** Fewest distinct requests of a stage in a round for a job (at least Bedrock's 100). @default 1000 */
  readonly minimumRecords?: number;
  /** Days batch files are kept (input, record index, output). @default 14 */
  readonly retentionDays?: number;
  /** Overrides for both functions (a log encryption key, say). */
  readonly functionProps?: Partial<PipelineFunctionProps>;
}

/** The ARN of each model a job may name: the foundation model in this Region, the inference profile, or the ARN given. */
export function jobModelArns(stack: Stack, modelIds: readonly string[]): string[] {
  return [...new Set(modelIds)].map((modelId) => {
    if (MODEL_ARN.test(modelId)) return modelId;
    return isInferenceProfileId(modelId)
      ? `arn:${Aws.PARTITION}:bedrock:${stack.region}:${stack.account}:inference-profile/${modelId}`
      : `arn:${Aws.PARTITION}:bedrock:${stack.region}::foundation-model/${modelId}`;
  });
}

export class BatchInference extends Construct {
  /** The function of the batch states (prepare, submit and wait, collect). */
  readonly function: PipelineFunction;
  /** Resumes the waiting execution when a job ends. */
  readonly resume: PipelineFunction;
  /** The role Bedrock assumes to run a job. */
  readonly serviceRole: iam.Role;
  readonly rule: events.Rule;
  /** Job-ended events EventBridge could not deliver to the resume function (the operations construct alarms on it). */
  readonly deadLetterQueue: sqs.Queue;
  readonly minimumRecords: number;

  constructor(scope: Construct, id: string, props: BatchInferenceProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { artifactsBucket: artifacts } = props;
    if (!(artifacts instanceof s3.Bucket))
      throw new Error('BatchInference needs the artifacts bucket of this stack: it adds the expiry of batch/ to it');
    const minimumRecords = props.minimumRecords ?? DEFAULT_BATCH_MINIMUM_RECORDS;
    if (minimumRecords < BEDROCK_MINIMUM_BATCH_RECORDS)
      throw new Error(`batch inference needs at least ${BEDROCK_MINIMUM_BATCH_RECORDS} records per job`);
    this.minimumRecords = minimumRecords;
    const modelIds = [...new Set(BATCH_STAGES.map((stage) => props.models[stage]))];
    const jobArns = `arn:${Aws.PARTITION}:bedrock:${stack.region}:${stack.account}:model-invocation-job/*`;
    const batchObjects = artifacts.arnForObjects(`${BATCH_PREFIX}*`);

    // The service role: Bedrock reads the input and writes the output under batch/, and calls the models.
    this.serviceRole = new iam.Role(this, 'ServiceRole', {
      description: 'Assumed by Amazon Bedrock to run the batch inference jobs of postmortem-lens',
      assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': jobArns },
        },
      }),
    });
    this.serviceRole.addToPolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject'], resources: [batchObjects] }),
    );
    this.serviceRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [artifacts.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${BATCH_PREFIX}*`] } },
      }),
    );
    for (const statement of bedrockInvokeStatements(stack, modelIds)) this.serviceRole.addToPolicy(statement);
    // A bucket encrypted with a customer-managed key: the role reads and writes through that key.
    artifacts.encryptionKey?.grant(this.serviceRole, 'kms:Decrypt', 'kms:GenerateDataKey');
    acknowledge(this.serviceRole, objectsReason(`${BATCH_PREFIX}*`), wildcardResource(this, batchObjects));
    for (const statement of bedrockInvokeStatements(stack, modelIds))
      for (const resource of statement.resources.filter((value) => value.includes('*')))
        acknowledge(
          this.serviceRole,
          resource.endsWith('foundation-model/*') ? REASONS.applicationProfileModels : REASONS.crossRegionModel,
          wildcardResource(this, resource),
        );

    // The batch function: re-reads the round's sources and cached results, writes batch files and
    // stage results, submits jobs, and repairs invalid answers on demand.
    this.function = new PipelineFunction(this, 'Function', {
      ...props.functionProps,
      entry: 'lambdas/batch.ts',
      description: 'postmortem-lens batch inference: prepare, submit and collect a stage of a round',
      timeout: Duration.minutes(15),
      memorySize: 1024,
      environment: {
        ...props.environment,
        PMLENS_BATCH_ROLE_ARN: this.serviceRole.roleArn,
        PMLENS_BATCH_MIN_RECORDS: String(minimumRecords),
        [TASK_TIMEOUT_VARIABLE]: String(Duration.minutes(15).toSeconds()),
      },
    });
    this.function
      .bindObjects(props.inputBucket, { read: [`${props.inputPrefix}*`], list: [props.inputPrefix] })
      .bindObjects(artifacts, {
        read: ['runs/*/manifest-*.json', `${BATCH_PREFIX}*`, ...BATCH_STAGES.map((stage) => `cache/${stage}/*`)],
        write: [`${BATCH_PREFIX}*`, ...BATCH_STAGES.map((stage) => `cache/${stage}/*`)],
        list: [BATCH_PREFIX, 'cache/', 'docs/'],
      })
      // The corpus entries (unchanged documents), the redaction placeholders, the job items.
      .bindTable(props.table, ['GetItem', 'PutItem', 'UpdateItem', 'Query'])
      .bindModels(modelIds);
    for (const key of props.configurationKeys ?? []) this.function.bindRead(artifacts, key);
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['bedrock:CreateModelInvocationJob'],
        resources: [jobArns, ...jobModelArns(stack, modelIds)],
      }),
    );
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.serviceRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'bedrock.amazonaws.com' } },
      }),
    );

    // The resume function: the job item, the job's status, and the waiting task.
    this.resume = new PipelineFunction(this, 'Resume', {
      ...props.functionProps,
      entry: 'lambdas/batch-resume.ts',
      description: 'postmortem-lens: resume the execution waiting on a batch inference job',
      timeout: Duration.seconds(30),
      memorySize: 256,
      environment: { PMLENS_STATE_TABLE: props.table.tableName },
    });
    this.resume.bindTable(props.table, ['GetItem', 'PutItem']);
    this.resume.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['bedrock:GetModelInvocationJob'], resources: [jobArns] }),
    );
    const jobReason =
      'Batch inference jobs of this account and Region (model-invocation-job/*): Bedrock assigns the job id when the job is created, so no narrower ARN exists at deployment. The job itself may only name the configured models.';
    acknowledge(this.function.role, jobReason, wildcardResource(this, jobArns));
    acknowledge(this.resume.role, jobReason, wildcardResource(this, jobArns));

    this.deadLetterQueue = new sqs.Queue(this, 'JobEndedDeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.deadLetterQueue,
      "This queue is itself the dead-letter queue of the job-ended rule's target (EventBridge DeadLetterConfig): an undelivered event lands here and an alarm pages on it; a queue behind it would never be read.",
      'AwsSolutions-SQS3',
    );
    this.rule = new events.Rule(this, 'JobEnded', {
      description: 'A batch inference job of postmortem-lens ended: resume the execution waiting on it',
      eventPattern: {
        source: ['aws.bedrock'],
        detailType: [BATCH_RULE_DETAIL_TYPE],
        detail: {
          batchJobName: [{ prefix: JOB_NAME_PREFIX }],
          status: [...TERMINAL_STATUSES],
        },
      },
      targets: [
        new targets.LambdaFunction(this.resume, {
          retryAttempts: 8,
          maxEventAge: Duration.hours(6),
          deadLetterQueue: this.deadLetterQueue,
        }),
      ],
    });

    artifacts.addLifecycleRule({
      id: 'ExpireBatchInferenceFiles',
      prefix: BATCH_PREFIX,
      expiration: Duration.days(props.retentionDays ?? 14),
      abortIncompleteMultipartUploadAfter: Duration.days(1),
    });
  }

  /** The resume function may answer the waiting tasks of this state machine (SendTaskSuccess / SendTaskFailure). */
  allowResume(stateMachine: sfn.IStateMachine): void {
    iam.Grant.addToPrincipal({
      grantee: this.resume,
      actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
      resourceArns: [stateMachine.stateMachineArn],
    });
    this.resume.addEnvironment('PMLENS_STATE_MACHINE_ARN', stateMachine.stateMachineArn);
  }
}
