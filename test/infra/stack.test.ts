import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_ID } from '../../infra/config.ts';
import { RETRIED_ERRORS, STATE_NAMES } from '../../infra/constructs/pipeline.ts';
import { FAKE_ACCOUNT, FAKE_REGION, outputLogicalIds, resolvedDefinition, resolvedOutputs, resolveIntrinsics } from '../../infra/definition.ts';
import { RESULT_WRITER_V2_FLAG } from '../../infra/stack.ts';
import { synthesize, type Synthesized } from './synth.ts';

type Json = Record<string, unknown>;
type State = Json & { Type: string };

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

let synthesized: Synthesized;
let template: Template;
let definition: { StartAt: string; States: Record<string, State> };

function resourcesOf(type: string): Array<[string, Json]> {
  return Object.entries(template.findResources(type)) as Array<[string, Json]>;
}

function properties(resource: Json): Json {
  return resource.Properties as Json;
}

/** Every state of the definition, nested item processors included, by name. */
function allStates(states: Record<string, State>): Record<string, State> {
  const found: Record<string, State> = {};
  for (const [name, state] of Object.entries(states)) {
    found[name] = state;
    const processor = state.ItemProcessor as { States: Record<string, State> } | undefined;
    if (processor) Object.assign(found, allStates(processor.States));
  }
  return found;
}

/** IAM statements of the policies attached to a role (by the role's logical id prefix). */
function statementsOfRole(rolePrefix: string): Json[] {
  return resourcesOf('AWS::IAM::Policy')
    .filter(([, policy]) => (properties(policy).Roles as Array<{ Ref: string }>).some((role) => role.Ref.startsWith(rolePrefix)))
    .flatMap(([, policy]) => (properties(policy).PolicyDocument as { Statement: Json[] }).Statement);
}

function asList<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
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
      expect(properties(bucket).BucketEncryption).toEqual({ ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] });
      expect(properties(bucket).PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    }
    const policies = resourcesOf('AWS::S3::BucketPolicy');
    for (const [logicalId] of buckets) {
      const policy = policies.find(([, candidate]) => (properties(candidate).Bucket as { Ref: string }).Ref === logicalId);
      expect(policy, `bucket policy of ${logicalId}`).toBeDefined();
      expect((properties(policy![1]).PolicyDocument as { Statement: Json[] }).Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('versions the input bucket and logs access to both data buckets', () => {
    const outputs = resolvedOutputs(template);
    const byName = Object.fromEntries(resourcesOf('AWS::S3::Bucket').map(([logicalId, bucket]) => [String(resolveIntrinsics(template, { Ref: logicalId })), properties(bucket)]));
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
      AttributeDefinitions: Match.arrayWith([{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }]),
    });
  });
});

describe('ingest', () => {
  it('sends object-created events under the prefix to an encrypted queue with a dead-letter queue', () => {
    const queues = resourcesOf('AWS::SQS::Queue');
    expect(queues).toHaveLength(2);
    for (const [, queue] of queues) expect(properties(queue).SqsManagedSseEnabled).toBe(true);
    const [queueId, queue] = queues.find(([, candidate]) => properties(candidate).RedrivePolicy) as [string, Json];
    const deadLetterId = queues.find(([logicalId]) => logicalId !== queueId)?.[0];
    expect(properties(queue).RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterId, 'Arn'] }, maxReceiveCount: 5 });

    template.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'incoming/' }] } },
            QueueArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
          },
        ],
      },
    });
  });

  it('batches notifications into the ingest function, which may start the state machine', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 50, MaximumBatchingWindowInSeconds: 30 });
    expect(statementsOfRole('IngestHandlerRole')).toContainEqual(expect.objectContaining({ Action: 'states:StartExecution', Resource: { Ref: expect.stringMatching(/^PipelineStateMachine/) } }));
  });
});

describe('state machine', () => {
  it('logs every event without execution data and traces with X-Ray', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
      TracingConfiguration: { Enabled: true },
    });
    expect(synthesized.stack.node.tryGetContext(RESULT_WRITER_V2_FLAG)).toBe(true);
  });

  it('runs Prepare, a Distributed Map over the manifest, then Patterns -> Opportunities -> Report -> Notify', () => {
    const order: string[] = [];
    for (let name: string | undefined = definition.StartAt; name; name = definition.States[name]?.Next as string | undefined) order.push(name);
    expect(order).toEqual(['Prepare', 'ProcessDocuments', 'Patterns', 'Opportunities', 'Report', 'Notify']);
    expect(definition.States.Notify?.End).toBe(true);
    expect(definition.States.Patterns?.Parameters).toEqual({ 'runId.$': '$.runId' });
  });

  it('reads the manifest with an ItemReader and writes results, with the configured concurrency and tolerance', () => {
    const map = definition.States[STATE_NAMES.documents] as State;
    const { ArtifactsBucketName } = resolvedOutputs(template);
    expect(map.Type).toBe('Map');
    expect(map.ItemProcessor).toMatchObject({ ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } });
    expect(map.ItemReader).toEqual({
      Resource: 'arn:aws:states:::s3:getObject',
      ReaderConfig: { InputType: 'JSON' },
      Parameters: { Bucket: ArtifactsBucketName, 'Key.$': '$.manifestKey' },
    });
    expect(map.ResultWriter).toEqual({ Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: ArtifactsBucketName, Prefix: 'results/' } });
    expect(map.ItemSelector).toEqual({ 'runId.$': '$.runId', 'key.$': '$$.Map.Item.Value.key', 'item.$': '$$.Map.Item.Value' });
    expect(map.MaxConcurrency).toBe(7);
    expect(map.ToleratedFailurePercentage).toBe(15);
    expect(map.ResultPath).toBeNull();
  });

  it('resolves with given physical names (a local S3 server bucket, say)', () => {
    const { ArtifactsBucketName, StateMachineArn } = outputLogicalIds(template);
    const renamed = resolvedDefinition(template, { names: { [ArtifactsBucketName as string]: 'artifacts' } }).States as Record<string, State>;
    expect((renamed[STATE_NAMES.documents]?.ItemReader as { Parameters: Json }).Parameters.Bucket).toBe('artifacts');
    expect(resolvedOutputs(template).StateMachineArn).toBe(`arn:aws:states:${FAKE_REGION}:${FAKE_ACCOUNT}:stateMachine:${StateMachineArn}`);
  });

  it('summarizes, classifies and analyzes each technology per document, catching failures into RecordFailure', () => {
    const processor = (definition.States[STATE_NAMES.documents] as State).ItemProcessor as { StartAt: string; States: Record<string, State> };
    expect(processor.StartAt).toBe('Summarize');
    expect(Object.keys(processor.States).sort()).toEqual(['AnalyzeTechnologies', 'Classify', 'DocumentDone', 'MarkFailed', 'RecordFailure', 'Summarize']);
    const { Summarize, Classify, AnalyzeTechnologies, RecordFailure, MarkFailed } = processor.States as Record<string, State>;
    expect(Summarize?.Next).toBe('Classify');
    expect(Classify?.Next).toBe('AnalyzeTechnologies');
    expect(AnalyzeTechnologies).toMatchObject({ ItemsPath: '$.technologies', MaxConcurrency: 2, Next: 'DocumentDone', ItemProcessor: { StartAt: 'Analyze' } });
    for (const state of [Summarize, Classify, AnalyzeTechnologies]) {
      expect(state?.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'RecordFailure' }]);
    }
    expect(RecordFailure).toMatchObject({ Type: 'Task', Next: 'MarkFailed', Parameters: { 'runId.$': '$.runId', 'key.$': '$.key', 'error.$': '$.error' } });
    // No Catch on RecordFailure: if recording fails, the item fails and counts against ToleratedFailurePercentage.
    expect(RecordFailure?.Catch).toBeUndefined();
    // The item fails after its failure is recorded, so it counts against ToleratedFailurePercentage.
    expect(MarkFailed).toMatchObject({ Type: 'Fail', Error: 'DocumentFailed', CausePath: '$.key' });
  });

  it('retries every Lambda task on throttling and service errors with full jitter', () => {
    const states = allStates(definition.States);
    const tasks = Object.entries(states).filter(([, state]) => state.Type === 'Task');
    expect(tasks.map(([name]) => name).sort()).toEqual(['Analyze', 'Classify', 'Notify', 'Opportunities', 'Patterns', 'Prepare', 'RecordFailure', 'Report', 'Summarize']);
    for (const [name, task] of tasks) {
      expect(task.Resource, name).toMatch(new RegExp(`^arn:aws:lambda:${FAKE_REGION}:${FAKE_ACCOUNT}:function:Functions${name}`));
      expect(task.Retry, name).toEqual([{ ErrorEquals: RETRIED_ERRORS, IntervalSeconds: 5, MaxAttempts: 4, BackoffRate: 2, MaxDelaySeconds: 120, JitterStrategy: 'FULL' }]);
    }
    expect(RETRIED_ERRORS).toEqual(['Lambda.TooManyRequestsException', 'Lambda.ServiceException', 'Lambda.SdkClientException', 'ThrottlingError']);
  });
});

describe('schedule', () => {
  it('starts a full run every Monday at 06:00 UTC', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 6 ? * MON *)',
      ScheduleExpressionTimezone: 'Etc/UTC',
      State: 'ENABLED',
      Target: Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^PipelineStateMachine') }, Input: '{"mode":"full"}' }),
    });
  });
});

describe('notifications', () => {
  it('encrypts the topic, enforces TLS and subscribes the configured address', () => {
    const [[, topic]] = resourcesOf('AWS::SNS::Topic') as [[string, Json]];
    expect(resolveIntrinsics(template, properties(topic).KmsMasterKeyId)).toBe(`arn:aws:kms:${FAKE_REGION}:${FAKE_ACCOUNT}:alias/aws/sns`);
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
    expect(statementsOfRole('FunctionsNotifyRole')).toContainEqual(expect.objectContaining({ Action: 'sns:Publish', Resource: { Ref: expect.stringMatching(/^NotificationsReportReady/) } }));
  });
});

describe('functions', () => {
  const functionsOf = () => resourcesOf('AWS::Lambda::Function').filter(([logicalId]) => !logicalId.startsWith('BucketNotificationsHandler'));

  it('are arm64 on a current Node.js runtime, traced, with their own log group and the handler environment', () => {
    const functions = functionsOf();
    expect(functions).toHaveLength(10);
    for (const [logicalId, resource] of functions) {
      const props = properties(resource);
      expect(props.Architectures, logicalId).toEqual(['arm64']);
      expect(props.Runtime, logicalId).toMatch(/^nodejs(2[2-9]|[3-9]\d)\.x$/);
      expect(props.TracingConfig, logicalId).toEqual({ Mode: 'Active' });
      expect(props.LoggingConfig, logicalId).toEqual({ LogGroup: { Ref: expect.stringMatching(/Logs/) } });
      expect(props.Handler, logicalId).toBe('dist/handler/index.handler');
      const variables = (props.Environment as { Variables: Json }).Variables;
      expect(Object.keys(variables), logicalId).toEqual(expect.arrayContaining(['INPUT_BUCKET', 'INPUT_PREFIX', 'ARTIFACTS_BUCKET', 'STATE_TABLE', 'ENGINE', 'MODELS', 'CATALOG_KEY']));
      expect(variables.INPUT_PREFIX).toBe('incoming/');
      expect(JSON.parse(variables.MODELS as string)).toEqual({ summarize: DEFAULT_MODEL_ID, classify: HAIKU, analyze: DEFAULT_MODEL_ID, patterns: DEFAULT_MODEL_ID, opportunities: DEFAULT_MODEL_ID });
    }
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ STATE_MACHINE_ARN: { Ref: Match.stringLikeRegexp('^PipelineStateMachine') } }) } });
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ TOPIC_ARN: { Ref: Match.stringLikeRegexp('^NotificationsReportReady') } }) } });
    for (const [, group] of resourcesOf('AWS::Logs::LogGroup')) expect(properties(group).RetentionInDays).toBe(30);
  });

  it('read postmortems under the input prefix only, and never delete', () => {
    const { InputBucketName } = resolvedOutputs(template);
    for (const [logicalId] of resourcesOf('AWS::IAM::Role')) {
      const statements = statementsOfRole(logicalId).map((statement) => resolveIntrinsics(template, statement) as { Action: string | string[]; Resource: string | string[] });
      const inputObjects = statements.flatMap((statement) => asList(statement.Resource)).filter((resource) => resource.startsWith(`arn:aws:s3:::${InputBucketName}/`));
      for (const resource of inputObjects) expect(resource, logicalId).toBe(`arn:aws:s3:::${InputBucketName}/incoming/*`);
      for (const statement of statements) expect(asList(statement.Action).filter((action) => /^s3:(Delete|\*)/.test(action)), logicalId).toEqual([]);
    }
    expect(statementsOfRole('FunctionsSummarizeRole').map((statement) => resolveIntrinsics(template, statement.Resource)).flat()).toContain(`arn:aws:s3:::${InputBucketName}/incoming/*`);
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
  function bedrockStatements(rolePrefix: string): Array<{ Action: string; Resource: string[]; Condition?: Json }> {
    return statementsOfRole(rolePrefix)
      .filter((statement) => asList(statement.Action as string | string[]).some((action) => action.startsWith('bedrock:')))
      .map((statement) => resolveIntrinsics(template, statement) as { Action: string; Resource: string | string[]; Condition?: Json })
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
    for (const statement of routed) expect(statement.Condition).toEqual({ StringEquals: { 'bedrock:InferenceProfileArn': profileArn } });
  });

  it('give each function the models of the stages it may run, and none to the others', () => {
    const resourcesOfRole = (rolePrefix: string) => new Set(bedrockStatements(rolePrefix).flatMap((statement) => statement.Resource));
    expect(resourcesOfRole('FunctionsSummarizeRole')).toEqual(new Set([profileArn, routedModelArn]));
    expect(resourcesOfRole('FunctionsClassifyRole')).toEqual(new Set([profileArn, routedModelArn, haikuArn]));
    expect(resourcesOfRole('FunctionsAnalyzeRole')).toEqual(new Set([profileArn, routedModelArn, haikuArn]));
    for (const role of ['FunctionsPrepareRole', 'FunctionsRecordFailureRole', 'FunctionsReportRole', 'FunctionsNotifyRole', 'IngestHandlerRole']) {
      expect(resourcesOfRole(role), role).toEqual(new Set());
    }
  });
});

describe('the model quota', () => {
  it('gives every pipeline function an equal share of the account quota across the documents run at once', () => {
    const { stack } = synthesize({ maxConcurrency: 20, modelRequestsPerMinute: 400, modelTokensPerMinute: 400_000 });
    const functions = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')) as Array<{ Properties: { Environment?: { Variables?: Record<string, unknown> } } }>;
    const quotas = functions.map((resource) => resource.Properties.Environment?.Variables?.MODEL_QUOTA).filter((value): value is string => typeof value === 'string');
    expect(quotas.length).toBeGreaterThanOrEqual(9);
    for (const quota of quotas) expect(JSON.parse(quota)).toEqual({ requestsPerMinute: 20, tokensPerMinute: 20_000, maxInFlight: 2 });
  });
});
