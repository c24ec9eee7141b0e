import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_ID } from '../../infra/config.ts';
import { MAP_RUN_LABEL, RETRIED_ERRORS } from '../../infra/constructs/pipeline.ts';
import {
  FAKE_ACCOUNT,
  FAKE_REGION,
  outputLogicalIds,
  resolvedDefinition,
  resolvedOutputs,
  resolveIntrinsics,
} from '../../infra/definition.ts';
import { RESULT_WRITER_V2_FLAG } from '../../infra/stack.ts';
import { StageName } from '../../src/schemas/run-record.ts';
import { synthesize, type Synthesized } from './synth.ts';

type Json = Record<string, unknown>;
type State = Json & { Type: string };
interface Machine {
  StartAt: string;
  States: Record<string, State>;
}

const HAIKU = 'anthropic.claude-3-5-haiku-20241022-v1:0';
const CONTEXT = {
  inputPrefix: 'incoming/',
  // As `cdk synth -c` passes them: strings.
  maxConcurrency: '7',
  toleratedFailurePercentage: '15',
  batchSize: '50',
  batchingWindowSeconds: '30',
  models: JSON.stringify({ classify: HAIKU }),
  notificationEmail: 'oncall@example.com',
  catalogKey: 'config/catalog.yaml',
};

/** The Lambda function behind each Task state: the corpus function serves the lock, the rounds and the fold decision. */
const FUNCTION_OF_TASK: Record<string, string> = {
  AcquireLock: 'Corpus',
  Prepare: 'Corpus',
  BeginFold: 'Corpus',
  ReleaseLock: 'Corpus',
  ReleaseLockAfterFailure: 'Corpus',
  Summarize: 'Summarize',
  Classify: 'Classify',
  Analyze: 'Analyze',
  Finish: 'Finish',
  RecordFailure: 'RecordFailure',
  Patterns: 'Patterns',
  Opportunities: 'Opportunities',
  Report: 'Report',
  Notify: 'Notify',
};

/** The payload every corpus task gets: the execution's name holds the lock. */
const HOLDER = { 'holder.$': '$$.Execution.Name' };
/** The payload of the per-document tasks: ids and keys only. */
const DOCUMENT_EVENT = { 'runId.$': '$.runId', 'item.$': '$.item' };

let synthesized: Synthesized;
let template: Template;
let definition: Machine & Json;

function resourcesOf(type: string, from: Template = template): Array<[string, Json]> {
  return Object.entries(from.findResources(type)) as Array<[string, Json]>;
}

function properties(resource: Json): Json {
  return resource.Properties as Json;
}

/** A logical id without the hash CDK appends (FunctionsCorpusRole8744127E -> FunctionsCorpusRole). */
function withoutHash(logicalId: string): string {
  return logicalId.replace(/[0-9A-F]{8}$/, '');
}

/** The ARN the definition resolves for a function of the Functions construct. */
function functionArn(name: string): unknown {
  return expect.stringMatching(
    new RegExp(`^arn:aws:lambda:${FAKE_REGION}:${FAKE_ACCOUNT}:function:Functions${name}[0-9A-F]{8}$`),
  );
}

/** Every state of the definition, by name: Parallel branches and item processors included. */
function allStates(states: Record<string, State>): Record<string, State> {
  const found: Record<string, State> = {};
  for (const [name, state] of Object.entries(states)) {
    found[name] = state;
    const processor = state.ItemProcessor as Machine | undefined;
    if (processor) Object.assign(found, allStates(processor.States));
    for (const branch of (state.Branches as Machine[] | undefined) ?? [])
      Object.assign(found, allStates(branch.States));
  }
  return found;
}

/** The states met from `start` by following Next, each once (a Choice ends the walk). */
function nextChain(states: Record<string, State>, start: string): string[] {
  const chain: string[] = [];
  for (
    let name: string | undefined = start;
    name && !chain.includes(name);
    name = states[name]?.Next as string | undefined
  )
    chain.push(name);
  return chain;
}

/** The one branch of the Parallel that holds the corpus lock. */
function lockedBranch(): Machine {
  return (definition.States.WithLock?.Branches as Machine[])[0] as Machine;
}

/** The per-document item processor of the Distributed Map. */
function documentProcessor(): Machine {
  return lockedBranch().States.ProcessDocuments?.ItemProcessor as Machine;
}

/** IAM statements of the policies attached to a role (by the role's logical id prefix). */
function statementsOfRole(rolePrefix: string, from: Template = template): Json[] {
  return resourcesOf('AWS::IAM::Policy', from)
    .filter(([, policy]) =>
      (properties(policy).Roles as Array<{ Ref: string }>).some((role) => role.Ref.startsWith(rolePrefix)),
    )
    .flatMap(([, policy]) => (properties(policy).PolicyDocument as { Statement: Json[] }).Statement);
}

function asList<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

/** The ingest queue: the one of the two queues with a redrive policy. */
function ingestQueueId(): string {
  return resourcesOf('AWS::SQS::Queue').find(([, queue]) => properties(queue).RedrivePolicy)?.[0] as string;
}

beforeAll(() => {
  synthesized = synthesize(CONTEXT);
  template = Template.fromStack(synthesized.stack);
  definition = resolvedDefinition(template) as typeof definition;
});

describe('storage', () => {
  it('encrypts every bucket, blocks public access and denies requests without TLS', () => {
    const buckets = resourcesOf('AWS::S3::Bucket');
    expect(buckets).toHaveLength(3);
    for (const [, bucket] of buckets) {
      expect(properties(bucket).BucketEncryption).toEqual({
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      });
      expect(properties(bucket).PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
    const policies = resourcesOf('AWS::S3::BucketPolicy');
    for (const [logicalId] of buckets) {
      const policy = policies.find(
        ([, candidate]) => (properties(candidate).Bucket as { Ref: string }).Ref === logicalId,
      );
      expect(policy, `bucket policy of ${logicalId}`).toBeDefined();
      expect((properties(policy![1]).PolicyDocument as { Statement: Json[] }).Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Principal: { AWS: '*' },
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  it('versions the input bucket and logs access to both data buckets', () => {
    const outputs = resolvedOutputs(template);
    const byName = Object.fromEntries(
      resourcesOf('AWS::S3::Bucket').map(([logicalId, bucket]) => [
        String(resolveIntrinsics(template, { Ref: logicalId })),
        properties(bucket),
      ]),
    );
    const input = byName[outputs.InputBucketName as string] as Json;
    const artifacts = byName[outputs.ArtifactsBucketName as string] as Json;
    expect(input.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(input.LoggingConfiguration).toMatchObject({ LogFilePrefix: 'input/' });
    expect(artifacts.LoggingConfiguration).toMatchObject({ LogFilePrefix: 'artifacts/' });
  });
});

describe('state table', () => {
  it('is on-demand with point-in-time recovery, encryption and pk/sk string keys', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ]),
    });
  });
});

describe('ingest', () => {
  it('sends object-created and object-removed events under the prefix to an encrypted queue with a dead-letter queue', () => {
    // Prepare
    // The schedule's dead-letter queue is the third queue (see test/infra/operations.test.ts).
    const queues = resourcesOf('AWS::SQS::Queue').filter(([logicalId]) => logicalId.startsWith('Ingest'));
    const queueId = ingestQueueId();
    const deadLetterId = queues.find(([logicalId]) => logicalId !== queueId)?.[0];
    const notifications = resourcesOf('Custom::S3BucketNotifications');
    const queueConfiguration = (event: string) => ({
      Events: [event],
      Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'incoming/' }] } },
      QueueArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
    });

    // Act
    const [[, notification]] = notifications as [[string, Json]];
    const configuration = properties(notification).NotificationConfiguration as { QueueConfigurations: Json[] };

    // Assess
    expect(queues).toHaveLength(2);
    for (const [, queue] of queues) expect(properties(queue).SqsManagedSseEnabled).toBe(true);
    expect(properties(queues.find(([logicalId]) => logicalId === queueId)?.[1] as Json).RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterId, 'Arn'] },
      maxReceiveCount: 5,
    });
    expect(notifications).toHaveLength(1);
    expect(properties(notification).BucketName).toEqual({ Ref: outputLogicalIds(template).InputBucketName });
    // A deleted postmortem changes the corpus as much as a new one: both reach the queue, nothing else does.
    expect(Object.keys(configuration)).toEqual(['QueueConfigurations']);
    expect(configuration.QueueConfigurations).toHaveLength(2);
    expect(configuration.QueueConfigurations).toEqual(
      expect.arrayContaining([queueConfiguration('s3:ObjectCreated:*'), queueConfiguration('s3:ObjectRemoved:*')]),
    );
  });

  it('batches notifications into the ingest function, which reports failed messages one by one and may start the state machine', () => {
    // Prepare
    const queueArn = { 'Fn::GetAtt': [ingestQueueId(), 'Arn'] };

    // Act
    const mappings = resourcesOf('AWS::Lambda::EventSourceMapping');

    // Assess
    expect(mappings).toHaveLength(1);
    expect(properties(mappings[0]?.[1] as Json)).toEqual({
      BatchSize: 50,
      MaximumBatchingWindowInSeconds: 30,
      // Only the messages the handler names come back: the rest of the batch is not delivered again.
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      EventSourceArn: queueArn,
      FunctionName: { Ref: expect.stringMatching(/^IngestHandler/) },
    });
    expect(statementsOfRole('IngestHandlerRole')).toContainEqual(
      expect.objectContaining({
        Action: 'states:StartExecution',
        Resource: { Ref: expect.stringMatching(/^PipelineStateMachine/) },
      }),
    );
  });
});

describe('state machine', () => {
  it('logs every event without execution data, traces with X-Ray and lets an execution run for 7 days', () => {
    // Prepare
    const sevenDays = 7 * 24 * 3600;

    // Act
    const flag = synthesized.stack.node.tryGetContext(RESULT_WRITER_V2_FLAG);

    // Assess
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
      TracingConfiguration: { Enabled: true },
    });
    expect(flag).toBe(true);
    expect(definition.TimeoutSeconds).toBe(sevenDays);
  });

  it('takes the corpus lock first, waiting and asking again while another execution holds it', () => {
    // Prepare
    const { States } = definition;

    // Act
    const topLevel = Object.keys(States).sort();

    // Assess
    expect(definition.StartAt).toBe('AcquireLock');
    expect(topLevel).toEqual([
      'AcquireLock',
      'LockAcquired',
      'PublishRunFailed',
      'ReleaseLock',
      'ReleaseLockAfterFailure',
      'RunFailed',
      'WaitForLock',
      'WithLock',
    ]);
    expect(States.AcquireLock).toMatchObject({
      Type: 'Task',
      Resource: functionArn('Corpus'),
      ResultPath: '$.lock',
      Next: 'LockAcquired',
    });
    expect(States.AcquireLock?.Parameters).toEqual({ action: 'acquire', ...HOLDER, 'mode.$': '$.mode' });
    expect(States.LockAcquired).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.lock.acquired', BooleanEquals: true, Next: 'WithLock' }],
      Default: 'WaitForLock',
    });
    expect(States.WaitForLock).toEqual({ Type: 'Wait', Seconds: 60, Next: 'AcquireLock' });
  });

  it('works under the lock in a Parallel, releases the lock after it, and on any failure in it releases the lock and fails the run', () => {
    // Prepare
    const { WithLock, ReleaseLock, ReleaseLockAfterFailure, RunFailed } = definition.States;

    // Act
    const branches = WithLock?.Branches as Machine[];

    // Assess
    expect(branches).toHaveLength(1);
    // The Parallel's result and the caught error go beside the input, so $.lock.runId reaches both releases.
    expect(WithLock).toMatchObject({
      Type: 'Parallel',
      ResultSelector: { 'runId.$': '$[0].runId' },
      ResultPath: '$.done',
      Next: 'ReleaseLock',
    });
    expect(WithLock?.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'ReleaseLockAfterFailure' },
    ]);
    expect(ReleaseLock).toMatchObject({ Type: 'Task', Resource: functionArn('Corpus'), ResultPath: null, End: true });
    expect(ReleaseLock?.Parameters).toEqual({ action: 'release', ...HOLDER, 'runId.$': '$.lock.runId', failed: false });
    // It says so on the report topic before failing (test/infra/operations.test.ts), also when the release failed.
    expect(ReleaseLockAfterFailure).toMatchObject({
      Type: 'Task',
      Resource: functionArn('Corpus'),
      ResultPath: null,
      Next: 'PublishRunFailed',
    });
    expect(ReleaseLockAfterFailure?.Parameters).toEqual({
      action: 'release',
      ...HOLDER,
      'runId.$': '$.lock.runId',
      failed: true,
      'error.$': '$.error',
    });
    expect(RunFailed).toEqual({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
  });

  it('drains the queued changes in rounds: StartRounds -> Prepare -> HasWork -> ProcessDocuments -> NextRound -> Prepare, until a round has no work', () => {
    // Prepare
    const branch = lockedBranch();
    const { StartRounds, Prepare, HasWork, NextRound } = branch.States;

    // Act
    const round = nextChain(branch.States, 'ProcessDocuments');

    // Assess
    expect(branch.StartAt).toBe('StartRounds');
    expect(Object.keys(branch.States).sort()).toEqual([
      'BeginFold',
      'Folded',
      'HasWork',
      'NextRound',
      'Notify',
      'Opportunities',
      'Patterns',
      'Prepare',
      'ProcessDocuments',
      'Report',
      'ShouldFold',
      'StartRounds',
    ]);
    expect(StartRounds).toEqual({
      Type: 'Pass',
      Parameters: { 'runId.$': '$.lock.runId', 'mode.$': '$.mode', round: 0 },
      Next: 'Prepare',
    });
    expect(Prepare).toMatchObject({
      Type: 'Task',
      Resource: functionArn('Corpus'),
      ResultPath: '$.prepared',
      Next: 'HasWork',
    });
    expect(Prepare?.Parameters).toEqual({
      action: 'prepare',
      ...HOLDER,
      'runId.$': '$.runId',
      'mode.$': '$.mode',
      'round.$': '$.round',
    });
    expect(HasWork).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.prepared.count', NumericGreaterThan: 0, Next: 'ProcessDocuments' }],
      Default: 'BeginFold',
    });
    expect(round).toEqual(['ProcessDocuments', 'NextRound', 'Prepare', 'HasWork']);
    expect(NextRound).toEqual({
      Type: 'Pass',
      Parameters: { 'runId.$': '$.runId', 'mode.$': '$.mode', 'round.$': 'States.MathAdd($.prepared.round, 1)' },
      Next: 'Prepare',
    });
  });

  it('then folds the whole corpus once, if it changed: BeginFold -> ShouldFold -> Patterns -> Opportunities -> Report -> Notify -> Folded', () => {
    // Prepare
    const { BeginFold, ShouldFold, Patterns, Opportunities, Report, Notify, Folded } = lockedBranch().States;

    // Act
    const fold = nextChain(lockedBranch().States, 'Patterns');

    // Assess
    expect(BeginFold).toMatchObject({
      Type: 'Task',
      Resource: functionArn('Corpus'),
      ResultPath: '$.fold',
      Next: 'ShouldFold',
    });
    expect(BeginFold?.Parameters).toEqual({ action: 'beginFold', ...HOLDER, 'runId.$': '$.runId', 'mode.$': '$.mode' });
    expect(ShouldFold).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.fold.fold', BooleanEquals: true, Next: 'Patterns' }],
      Default: 'Folded',
    });
    expect(fold).toEqual(['Patterns', 'Opportunities', 'Report', 'Notify', 'Folded']);
    expect(Patterns).toMatchObject({
      Type: 'Task',
      Resource: functionArn('Patterns'),
      Parameters: { 'runId.$': '$.runId' },
      ResultPath: null,
    });
    expect(Opportunities).toMatchObject({
      Type: 'Task',
      Resource: functionArn('Opportunities'),
      Parameters: { 'runId.$': '$.runId' },
      ResultPath: null,
    });
    expect(Report?.Parameters).toEqual({ 'runId.$': '$.runId', 'generation.$': '$.fold.generation' });
    expect(Report).toMatchObject({ Type: 'Task', Resource: functionArn('Report'), ResultPath: '$.report' });
    expect(Notify).toMatchObject({ Type: 'Task', Resource: functionArn('Notify'), ResultPath: null });
    // Notify gets the report's fields as an object (a bare "$.report" would reach the handler as that literal string).
    expect(Notify?.Parameters).toEqual({
      'runId.$': '$.report.runId',
      'reportKeys.$': '$.report.reportKeys',
      'documents.$': '$.report.documents',
      'failed.$': '$.report.failed',
    });
    expect(Folded).toEqual({ Type: 'Succeed' });
  });

  it("reads the round's manifest with an ItemReader and writes results, with the configured concurrency and tolerance", () => {
    // Prepare
    const { ArtifactsBucketName } = resolvedOutputs(template);

    // Act
    const map = lockedBranch().States.ProcessDocuments as State;

    // Assess
    expect(map.Type).toBe('Map');
    expect(map.Label).toBe(MAP_RUN_LABEL);
    expect(map.ItemProcessor).toMatchObject({ ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } });
    expect(map.ItemReader).toEqual({
      Resource: 'arn:aws:states:::s3:getObject',
      ReaderConfig: { InputType: 'JSON' },
      Parameters: { Bucket: ArtifactsBucketName, 'Key.$': '$.prepared.manifestKey' },
    });
    expect(map.ResultWriter).toEqual({
      Resource: 'arn:aws:states:::s3:putObject',
      Parameters: { Bucket: ArtifactsBucketName, Prefix: 'results/' },
    });
    // Prepare writes the manifest as [{ "item": ... }]: each document gets the run id and its item.
    expect(map.ItemSelector).toEqual({ 'runId.$': '$.runId', 'item.$': '$$.Map.Item.Value.item' });
    expect(map.MaxConcurrency).toBe(7);
    expect(map.ToleratedFailurePercentage).toBe(15);
    expect(map.ResultPath).toBeNull();
  });

  it('resolves with given physical names (a local S3 server bucket, say)', () => {
    // Prepare
    const { ArtifactsBucketName, StateMachineArn } = outputLogicalIds(template);

    // Act
    const renamed = resolvedDefinition(template, {
      names: { [ArtifactsBucketName as string]: 'artifacts' },
    }) as unknown as Machine;

    // Assess
    const map = allStates(renamed.States).ProcessDocuments;
    expect((map?.ItemReader as { Parameters: Json }).Parameters.Bucket).toBe('artifacts');
    expect((map?.ResultWriter as { Parameters: Json }).Parameters.Bucket).toBe('artifacts');
    expect(resolvedOutputs(template).StateMachineArn).toBe(
      `arn:aws:states:${FAKE_REGION}:${FAKE_ACCOUNT}:stateMachine:${StateMachineArn}`,
    );
  });

  it('summarizes, classifies, analyzes each technology and finishes each document, catching each failure into a Pass that sets its stage, then RecordFailure', () => {
    // Prepare
    const processor = documentProcessor();
    const { Summarize, Proceed, Classify, AnalyzeTechnologies, Finish, DocumentDone, RecordFailure, FailureRecorded } =
      processor.States;
    const caughtInto: Record<string, [pass: string, stage: string]> = {
      Summarize: ['SummarizeFailed', 'summarize'],
      Classify: ['ClassifyFailed', 'classify'],
      AnalyzeTechnologies: ['AnalyzeFailed', 'analyze'],
      Finish: ['ReportFailed', 'report'],
    };

    // Act
    const analyze = AnalyzeTechnologies?.ItemProcessor as Machine;

    // Assess
    expect(processor.StartAt).toBe('Summarize');
    expect(Object.keys(processor.States).sort()).toEqual([
      'AnalyzeFailed',
      'AnalyzeTechnologies',
      'Classify',
      'ClassifyFailed',
      'DocumentDone',
      'FailureRecorded',
      'Finish',
      'Proceed',
      'RecordFailure',
      'ReportFailed',
      'Summarize',
      'SummarizeFailed',
    ]);
    // Summarize and Classify hand on their whole output: Proceed reads $.proceed, the inner Map $.technologies.
    expect(Summarize).toMatchObject({
      Type: 'Task',
      Resource: functionArn('Summarize'),
      Parameters: DOCUMENT_EVENT,
      Next: 'Proceed',
    });
    expect(Summarize?.ResultPath).toBeUndefined();
    expect(Proceed).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.proceed', BooleanEquals: true, Next: 'Classify' }],
      Default: 'DocumentDone',
    });
    expect(Classify).toMatchObject({
      Type: 'Task',
      Resource: functionArn('Classify'),
      Parameters: DOCUMENT_EVENT,
      Next: 'AnalyzeTechnologies',
    });
    expect(Classify?.ResultPath).toBeUndefined();
    expect(AnalyzeTechnologies).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.technologies',
      MaxConcurrency: 2,
      ResultPath: null,
      Next: 'Finish',
    });
    expect(analyze).toMatchObject({ ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Analyze' });
    expect(Object.keys(analyze.States)).toEqual(['Analyze']);
    expect(analyze.States.Analyze).toMatchObject({ Type: 'Task', Resource: functionArn('Analyze'), End: true });
    // Each technology's event goes to Analyze as Classify built it; a failure is caught by the Map around it.
    expect(analyze.States.Analyze?.Parameters).toBeUndefined();
    expect(analyze.States.Analyze?.Catch).toBeUndefined();
    expect(Finish).toMatchObject({
      Type: 'Task',
      Resource: functionArn('Finish'),
      Parameters: DOCUMENT_EVENT,
      ResultPath: null,
      Next: 'DocumentDone',
    });
    expect(DocumentDone).toEqual({ Type: 'Succeed' });
    for (const [name, [pass, stage]] of Object.entries(caughtInto)) {
      expect(processor.States[name]?.Catch, name).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: pass },
      ]);
      expect(processor.States[pass], pass).toEqual({
        Type: 'Pass',
        Parameters: { ...DOCUMENT_EVENT, stage, 'error.$': '$.error' },
        Next: 'RecordFailure',
      });
      // The stage comes from the state that failed, and RecordFailure's event schema accepts it.
      expect(StageName.safeParse(stage).success, stage).toBe(true);
    }
    expect(RecordFailure).toMatchObject({
      Type: 'Task',
      Resource: functionArn('RecordFailure'),
      ResultPath: null,
      Next: 'FailureRecorded',
    });
    expect(RecordFailure?.Parameters).toBeUndefined();
    // No Catch on RecordFailure: a failure that could not be recorded fails the item, and counts against ToleratedFailurePercentage.
    expect(RecordFailure?.Catch).toBeUndefined();
    // A recorded failure ends the item: the report lists it, and BeginFold weighs failed documents against the tolerance.
    expect(FailureRecorded).toEqual({ Type: 'Succeed' });
  });

  it('retries every Lambda task on throttling and service errors with full jitter', () => {
    // Prepare
    const states = allStates(definition.States);

    // Act
    const tasks = Object.entries(states).filter(
      ([name, state]) => state.Type === 'Task' && name !== 'PublishRunFailed',
    );

    // Assess
    expect(tasks.map(([name]) => name).sort()).toEqual(Object.keys(FUNCTION_OF_TASK).sort());
    for (const [name, task] of tasks) {
      expect(task.Resource, name).toEqual(functionArn(FUNCTION_OF_TASK[name] as string));
      expect(task.Retry, name).toEqual([
        {
          ErrorEquals: RETRIED_ERRORS,
          IntervalSeconds: 5,
          MaxAttempts: 4,
          BackoffRate: 2,
          MaxDelaySeconds: 120,
          JitterStrategy: 'FULL',
        },
        { ErrorEquals: ['Sandbox.Timedout'], IntervalSeconds: 10, MaxAttempts: 1 },
      ]);
    }
    expect(RETRIED_ERRORS).toEqual([
      'Lambda.TooManyRequestsException',
      'Lambda.ServiceException',
      'Lambda.AWSLambdaException',
      'Lambda.SdkClientException',
      'Lambda.ClientExecutionTimeoutException',
      'ThrottlingError',
      'ModelUnavailableError',
    ]);
  });
});

describe('schedule', () => {
  it('starts a full run every Monday at 06:00 UTC', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 6 ? * MON *)',
      ScheduleExpressionTimezone: 'Etc/UTC',
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: { Ref: Match.stringLikeRegexp('^PipelineStateMachine') },
        Input: '{"mode":"full"}',
      }),
    });
  });
});

describe('notifications', () => {
  it('encrypts the topic, enforces TLS and subscribes the configured address', () => {
    const [[, topic]] = resourcesOf('AWS::SNS::Topic') as [[string, Json]];
    expect(resolveIntrinsics(template, properties(topic).KmsMasterKeyId)).toBe(
      `arn:aws:kms:${FAKE_REGION}:${FAKE_ACCOUNT}:alias/aws/sns`,
    );
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
    expect(statementsOfRole('FunctionsNotifyRole')).toContainEqual(
      expect.objectContaining({
        Action: 'sns:Publish',
        Resource: { Ref: expect.stringMatching(/^NotificationsReportReady/) },
      }),
    );
  });
});

describe('functions', () => {
  const functionsOf = () =>
    resourcesOf('AWS::Lambda::Function').filter(([logicalId]) => !logicalId.startsWith('BucketNotificationsHandler'));
  const variablesOf = (resource: Json) => (properties(resource).Environment as { Variables: Json }).Variables;

  it('are arm64 on a current Node.js runtime, traced, with their own log group', () => {
    // Prepare
    const functions = functionsOf();

    // Act
    const names = functions.map(([logicalId]) => withoutHash(logicalId)).sort();

    // Assess
    expect(names).toEqual([
      'FunctionsAnalyze',
      'FunctionsClassify',
      'FunctionsCorpus',
      'FunctionsFinish',
      'FunctionsNotify',
      'FunctionsOpportunities',
      'FunctionsPatterns',
      'FunctionsRecordFailure',
      'FunctionsReport',
      'FunctionsSummarize',
      'IngestHandler',
      'OperationsRunEnded',
    ]);
    for (const [logicalId, resource] of functions) {
      const props = properties(resource);
      expect(props.Architectures, logicalId).toEqual(['arm64']);
      expect(props.Runtime, logicalId).toMatch(/^nodejs(2[2-9]|[3-9]\d)\.x$/);
      expect(props.TracingConfig, logicalId).toEqual({ Mode: 'Active' });
      expect(props.LoggingConfig, logicalId).toEqual({ LogGroup: { Ref: expect.stringMatching(/Logs/) } });
      expect(props.Handler, logicalId).toBe('dist/handler/index.handler');
    }
    for (const [, group] of resourcesOf('AWS::Logs::LogGroup')) expect(properties(group).RetentionInDays).toBe(30);
  });

  it('read the PMLENS_* handler environment, and only their own function gets its extra variable', () => {
    // Prepare
    const outputs = resolvedOutputs(template);
    const functions = functionsOf();
    const holdersOf = (variable: string) =>
      functions
        .filter(([, resource]) => variable in variablesOf(resource))
        .map(([logicalId]) => withoutHash(logicalId));
    const variablesOfFunction = (name: string) =>
      resolveIntrinsics(
        template,
        variablesOf(functions.find(([logicalId]) => withoutHash(logicalId) === name)?.[1] as Json),
      ) as Json;

    // Act
    const environments = functions
      .filter(([logicalId]) => withoutHash(logicalId) !== 'OperationsRunEnded')
      .map(([logicalId, resource]) => [logicalId, variablesOf(resource)] as const);

    // Assess
    for (const [logicalId, variables] of environments) {
      // No variable of the old names is left: every handler reads PMLENS_* only (source maps are off by default).
      expect(
        Object.keys(variables).filter((name) => !name.startsWith('PMLENS_')),
        logicalId,
      ).toEqual([]);
      expect(resolveIntrinsics(template, variables), logicalId).toMatchObject({
        PMLENS_INPUT_BUCKET: outputs.InputBucketName,
        PMLENS_INPUT_PREFIX: 'incoming/',
        PMLENS_ARTIFACTS_BUCKET: outputs.ArtifactsBucketName,
        PMLENS_STATE_TABLE: outputs.StateTableName,
        PMLENS_ENGINE: 'bedrock',
        PMLENS_MODEL_SUMMARIZE: DEFAULT_MODEL_ID,
        PMLENS_MODEL_CLASSIFY: HAIKU,
        PMLENS_MODEL_ANALYZE: DEFAULT_MODEL_ID,
        PMLENS_MODEL_PATTERNS: DEFAULT_MODEL_ID,
        PMLENS_MODEL_OPPORTUNITIES: DEFAULT_MODEL_ID,
        PMLENS_CATALOG: 'config/catalog.yaml',
      });
      expect(variables.PMLENS_METADATA, logicalId).toBeUndefined();
    }
    // The RunEnded function touches the state table only, and builds no run context.
    expect(variablesOfFunction('OperationsRunEnded')).toEqual({ PMLENS_STATE_TABLE: outputs.StateTableName });
    expect(holdersOf('PMLENS_STATE_MACHINE_ARN')).toEqual(['IngestHandler']);
    expect(variablesOfFunction('IngestHandler').PMLENS_STATE_MACHINE_ARN).toBe(outputs.StateMachineArn);
    expect(holdersOf('PMLENS_TOPIC_ARN')).toEqual(['FunctionsNotify']);
    expect(variablesOfFunction('FunctionsNotify').PMLENS_TOPIC_ARN).toBe(outputs.ReportTopicArn);
    // BeginFold refuses to fold a corpus with more than the configured share of failed documents.
    expect(holdersOf('PMLENS_TOLERATED_FAILURE_PERCENTAGE')).toEqual(['FunctionsCorpus']);
    expect(variablesOfFunction('FunctionsCorpus').PMLENS_TOLERATED_FAILURE_PERCENTAGE).toBe('15');
  });

  it('read postmortems under the input prefix only, and delete only document outputs and stale report pages', () => {
    // Prepare
    const { InputBucketName, ArtifactsBucketName } = resolvedOutputs(template);
    const deletes = (action: string) => /^(\*|s3:\*|s3:Delete)/.test(action);
    const readers: string[] = [];
    const deleters: string[] = [];

    // Act
    for (const [logicalId] of resourcesOf('AWS::IAM::Role')) {
      const statements = statementsOfRole(logicalId).map(
        (statement) =>
          resolveIntrinsics(template, statement) as { Action: string | string[]; Resource: string | string[] },
      );
      const inputObjects = statements
        .flatMap((statement) => asList(statement.Resource))
        .filter((resource) => resource.startsWith(`arn:aws:s3:::${InputBucketName}/`));
      for (const resource of inputObjects)
        expect(resource, logicalId).toBe(`arn:aws:s3:::${InputBucketName}/incoming/*`);
      if (inputObjects.length > 0) readers.push(withoutHash(logicalId));
      const deleting = statements.filter((statement) => asList(statement.Action).some(deletes));
      for (const statement of deleting) {
        expect(asList(statement.Action).filter(deletes), logicalId).toEqual(['s3:DeleteObject']);
        for (const resource of asList(statement.Resource))
          expect(resource, logicalId).toMatch(
            new RegExp(
              `^arn:aws:s3:::${ArtifactsBucketName}/(docs/\\*|docs/\\*/digests/\\*|report/\\*|runs/\\*/report/\\*)$`,
            ),
          );
      }
      if (deleting.length > 0) deleters.push(withoutHash(logicalId));
    }

    // Assess
    // The corpus function only lists the input prefix (a full sweep); summarize reads the one source it ingests.
    expect(readers.sort()).toEqual(['FunctionsSummarizeRole']);
    // Corpus removes the outputs of a deleted postmortem, Finish the digests of technologies no longer causal, Report the pages of a larger earlier report.
    expect(deleters.sort()).toEqual(['FunctionsCorpusRole', 'FunctionsFinishRole', 'FunctionsReportRole']);
  });

  it('use roles without managed policies', () => {
    for (const [logicalId, role] of resourcesOf('AWS::IAM::Role')) {
      if (logicalId.startsWith('BucketNotificationsHandler')) continue;
      expect(properties(role).ManagedPolicyArns, logicalId).toBeUndefined();
    }
  });
});

describe('Bedrock permissions', () => {
  const profileArn = `arn:aws:bedrock:${FAKE_REGION}:${FAKE_ACCOUNT}:inference-profile/${DEFAULT_MODEL_ID}`;
  const routedModelArn = `arn:aws:bedrock:*::foundation-model/${DEFAULT_MODEL_ID.replace(/^us\./, '')}`;
  const haikuArn = `arn:aws:bedrock:${FAKE_REGION}::foundation-model/${HAIKU}`;

  /** bedrock:* statements of a role, resolved, resources as lists. */
  function bedrockStatements(
    rolePrefix: string,
    from: Template = template,
  ): Array<{ Action: string; Resource: string[]; Condition?: Json }> {
    return statementsOfRole(rolePrefix, from)
      .filter((statement) =>
        asList(statement.Action as string | string[]).some((action) => action.startsWith('bedrock:')),
      )
      .map(
        (statement) =>
          resolveIntrinsics(from, statement) as { Action: string; Resource: string | string[]; Condition?: Json },
      )
      .map((statement) => ({ ...statement, Resource: asList(statement.Resource) }));
  }

  it('allow InvokeModel on exactly the configured models, no model wildcard', () => {
    const everyStatement = resourcesOf('AWS::IAM::Role').flatMap(([logicalId]) => bedrockStatements(logicalId));
    expect(new Set(everyStatement.map((statement) => statement.Action))).toEqual(new Set(['bedrock:InvokeModel']));
    const resources = new Set(everyStatement.flatMap((statement) => statement.Resource));
    expect(resources).toEqual(new Set([profileArn, routedModelArn, haikuArn]));
    for (const resource of resources) expect(resource).not.toMatch(/foundation-model\/\*|inference-profile\/\*|^\*$/);
  });

  it('allow the foundation model in other Regions only through the inference profile', () => {
    const routed = resourcesOf('AWS::IAM::Role')
      .flatMap(([logicalId]) => bedrockStatements(logicalId))
      .filter((statement) => statement.Resource.includes(routedModelArn));
    expect(routed.length).toBeGreaterThan(0);
    for (const statement of routed)
      expect(statement.Condition).toEqual({ StringEquals: { 'bedrock:InferenceProfileArn': profileArn } });
  });

  it('give each model stage function the model of its own stage only, and none to the other functions', () => {
    // Prepare: a different model for every stage, so a function allowed another stage's model shows.
    const models = {
      summarize: DEFAULT_MODEL_ID,
      classify: HAIKU,
      analyze: 'anthropic.claude-3-7-sonnet-20250219-v1:0',
      patterns: 'us.anthropic.claude-opus-4-20250514-v1:0',
      opportunities: 'eu.anthropic.claude-3-5-sonnet-20240620-v1:0',
    };
    const distinct = Template.fromStack(synthesize({ ...CONTEXT, models: JSON.stringify(models) }).stack);
    const arnsOf = (modelId: string): string[] => {
      const profile = /^(us|eu)\.(.+)$/.exec(modelId);
      return profile
        ? [
            `arn:aws:bedrock:${FAKE_REGION}:${FAKE_ACCOUNT}:inference-profile/${modelId}`,
            `arn:aws:bedrock:*::foundation-model/${profile[2]}`,
          ]
        : [`arn:aws:bedrock:${FAKE_REGION}::foundation-model/${modelId}`];
    };

    // Act
    const granted = (from: Template) =>
      Object.fromEntries(
        resourcesOf('AWS::IAM::Role', from)
          .map(
            ([logicalId]) =>
              [
                withoutHash(logicalId),
                new Set(bedrockStatements(logicalId, from).flatMap((statement) => statement.Resource)),
              ] as const,
          )
          .filter(([, resources]) => resources.size > 0),
      );

    // Assess
    expect(granted(distinct)).toEqual({
      FunctionsSummarizeRole: new Set(arnsOf(models.summarize)),
      FunctionsClassifyRole: new Set(arnsOf(models.classify)),
      FunctionsAnalyzeRole: new Set(arnsOf(models.analyze)),
      FunctionsPatternsRole: new Set(arnsOf(models.patterns)),
      FunctionsOpportunitiesRole: new Set(arnsOf(models.opportunities)),
    });
    // With the deployment's models: Haiku for classify only, the default model for the other stages.
    expect(granted(template)).toEqual({
      FunctionsSummarizeRole: new Set([profileArn, routedModelArn]),
      FunctionsClassifyRole: new Set([haikuArn]),
      FunctionsAnalyzeRole: new Set([profileArn, routedModelArn]),
      FunctionsPatternsRole: new Set([profileArn, routedModelArn]),
      FunctionsOpportunitiesRole: new Set([profileArn, routedModelArn]),
    });
  });
});

describe('the model quota', () => {
  it('gives the document functions shares of the account quota that add up to it at most, and each fold function all of it', () => {
    // Prepare
    const { stack } = synthesize({ maxConcurrency: 20, modelRequestsPerMinute: 400, modelTokensPerMinute: 400_000 });
    const quotaTemplate = Template.fromStack(stack);

    // Act
    const quotas = Object.fromEntries(
      resourcesOf('AWS::Lambda::Function', quotaTemplate).flatMap(([logicalId, resource]) => {
        const quota = (properties(resource).Environment as { Variables?: Json } | undefined)?.Variables?.PMLENS_QUOTA;
        return typeof quota === 'string' ? [[withoutHash(logicalId), JSON.parse(quota) as unknown]] : [];
      }),
    );

    // Assess
    const share = { requestsPerMinute: 20, tokensPerMinute: 20_000, maxInFlight: 2 };
    // Analyze runs up to two Lambdas per document (the inner map), so each has half a document's share.
    const half = { requestsPerMinute: 10, tokensPerMinute: 10_000, maxInFlight: 2 };
    const whole = { requestsPerMinute: 400, tokensPerMinute: 400_000, maxInFlight: 8 };
    expect(quotas).toEqual({
      FunctionsSummarize: share,
      FunctionsClassify: share,
      FunctionsAnalyze: half,
      FunctionsPatterns: whole,
      FunctionsOpportunities: whole,
    });
    // The share is per document the Distributed Map runs at once.
    expect(
      allStates((resolvedDefinition(quotaTemplate) as unknown as Machine).States).ProcessDocuments?.MaxConcurrency,
    ).toBe(20);
  });
});
