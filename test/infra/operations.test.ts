/**
 * Template assertions of issue 12's operations, retries and timeouts, and lifecycle: alarms and
 * their target, the failure rule, the schedule's dead-letter queue, the dashboard, the retry
 * lists, the failure path, the task timeouts, the artifacts lifecycle and the state table's TTL.
 */
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_ID } from '../../infra/config.ts';
import { MAP_IO_ERRORS, RETRIED_ERRORS, TASK_TIMEOUT_VARIABLE } from '../../infra/constructs/pipeline.ts';
import { FAILED_EXECUTION_STATUSES } from '../../infra/constructs/operations.ts';
import { Storage } from '../../infra/constructs/storage.ts';
import { resolvedDefinition, resolveIntrinsics } from '../../infra/definition.ts';
import { callBudget } from '../../src/models/call-budget.ts';
import { RUN_RETENTION_DAYS } from '../../src/store/state-store.ts';
import { scratchApp, synthesize } from './synth.ts';

type Json = Record<string, unknown>;
type State = Json & { Type: string };

const HAIKU = 'anthropic.claude-3-5-haiku-20241022-v1:0';
const CONTEXT = {
  models: JSON.stringify({ classify: HAIKU }),
  notificationEmail: 'oncall@example.com',
  catalogKey: 'config/catalog.yaml',
};
/** The functions whose errors and throttles alarm: every task function and the ingest function. */
const FUNCTIONS = [
  'Ingest',
  'Corpus',
  'Summarize',
  'Classify',
  'Analyze',
  'Finish',
  'RecordFailure',
  'Patterns',
  'Opportunities',
  'Report',
  'Notify',
];

let template: Template;
let definition: { States: Record<string, State> };

function resourcesOf(type: string): Array<[string, Json]> {
  return Object.entries(template.findResources(type)) as Array<[string, Json]>;
}

function properties(resource: Json | undefined): Json {
  return (resource?.Properties ?? {}) as Json;
}

function logicalIdOf(type: string, prefix: string): string {
  const ids = resourcesOf(type)
    .map(([logicalId]) => logicalId)
    .filter((logicalId) => logicalId.startsWith(prefix));
  expect(ids, `${type} ${prefix}`).toHaveLength(1);
  return ids[0] as string;
}

function alarms(): Json[] {
  return resourcesOf('AWS::CloudWatch::Alarm').map(([, alarm]) => properties(alarm));
}

function alarmOf(metricName: string, dimension: Json): Json | undefined {
  return alarms().find(
    (alarm) =>
      alarm.MetricName === metricName &&
      JSON.stringify(alarm.Dimensions) ===
        JSON.stringify(Object.entries(dimension).map(([Name, Value]) => ({ Name, Value }))),
  );
}

/** Every state of the definition by name, Parallel branches and item processors included. */
function allStates(states: Record<string, State>): Record<string, State> {
  const found: Record<string, State> = {};
  for (const [name, state] of Object.entries(states)) {
    found[name] = state;
    const processor = state.ItemProcessor as { States: Record<string, State> } | undefined;
    if (processor) Object.assign(found, allStates(processor.States));
    for (const branch of (state.Branches as Array<{ States: Record<string, State> }> | undefined) ?? [])
      Object.assign(found, allStates(branch.States));
  }
  return found;
}

function functionId(name: string): string {
  return name === 'Ingest'
    ? logicalIdOf('AWS::Lambda::Function', 'IngestHandler')
    : logicalIdOf('AWS::Lambda::Function', `Functions${name}`);
}

beforeAll(() => {
  template = Template.fromStack(synthesize(CONTEXT).stack);
  definition = resolvedDefinition(template) as typeof definition;
});

describe('the operations topic', () => {
  it('is encrypted with a rotated customer-managed key whose policy admits CloudWatch and EventBridge', () => {
    // Prepare
    const topicId = logicalIdOf('AWS::SNS::Topic', 'OperationsTopic');
    const keyId = logicalIdOf('AWS::KMS::Key', 'OperationsTopicKey');

    // Act
    const topic = properties(template.findResources('AWS::SNS::Topic')[topicId]);
    const key = properties(template.findResources('AWS::KMS::Key')[keyId]);

    // Assess
    expect(topic.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    expect(key.EnableKeyRotation).toBe(true);
    expect((key.KeyPolicy as { Statement: Json[] }).Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      }),
    );
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
          }),
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish' }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      TopicArn: { Ref: topicId },
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
    });
  });
});

describe('alarms', () => {
  it('every alarm publishes to the operations topic and no other', () => {
    const topicId = logicalIdOf('AWS::SNS::Topic', 'OperationsTopic');
    expect(alarms().length).toBeGreaterThan(0);
    for (const alarm of alarms()) expect(alarm.AlarmActions, String(alarm.MetricName)).toEqual([{ Ref: topicId }]);
  });

  it('page on any visible message in the ingest and the schedule dead-letter queues, and on an old ingest message', () => {
    // Prepare
    const queueName = (prefix: string) => ({ 'Fn::GetAtt': [logicalIdOf('AWS::SQS::Queue', prefix), 'QueueName'] });

    // Act
    const ingestDeadLetters = alarmOf('ApproximateNumberOfMessagesVisible', {
      QueueName: queueName('IngestDeadLetterQueue'),
    });
    const scheduleDeadLetters = alarmOf('ApproximateNumberOfMessagesVisible', {
      QueueName: queueName('ScheduleDeadLetterQueue'),
    });
    const age = alarmOf('ApproximateAgeOfOldestMessage', { QueueName: queueName('IngestQueue') });

    // Assess
    for (const alarm of [ingestDeadLetters, scheduleDeadLetters])
      expect(alarm).toMatchObject({
        Namespace: 'AWS/SQS',
        Statistic: 'Maximum',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      });
    expect(age).toMatchObject({ Threshold: 3600, ComparisonOperator: 'GreaterThanThreshold', Statistic: 'Maximum' });
  });

  it('watch errors and throttles of every function', () => {
    for (const name of FUNCTIONS) {
      const dimension = { FunctionName: { Ref: functionId(name) } };
      expect(alarmOf('Errors', dimension), name).toMatchObject({
        Namespace: 'AWS/Lambda',
        Statistic: 'Sum',
        Threshold: 5,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
      expect(alarmOf('Throttles', dimension), name).toMatchObject({
        Namespace: 'AWS/Lambda',
        Threshold: 1,
        EvaluationPeriods: 3,
      });
    }
  });

  it('page when the fold or the report runs longer than 80% of its timeout', () => {
    for (const name of ['Patterns', 'Opportunities', 'Report']) {
      const id = functionId(name);
      const timeoutSeconds = properties(template.findResources('AWS::Lambda::Function')[id]).Timeout as number;
      expect(alarmOf('Duration', { FunctionName: { Ref: id } }), name).toMatchObject({
        Statistic: 'Maximum',
        Threshold: timeoutSeconds * 1000 * 0.8,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    }
    expect(alarms().filter((alarm) => alarm.MetricName === 'Duration')).toHaveLength(3);
  });

  it('watch Bedrock throttles and server errors of each configured model id', () => {
    for (const modelId of [DEFAULT_MODEL_ID, HAIKU]) {
      expect(alarmOf('InvocationThrottles', { ModelId: modelId }), modelId).toMatchObject({
        Namespace: 'AWS/Bedrock',
        Statistic: 'Sum',
        Threshold: 10,
      });
      expect(alarmOf('InvocationServerErrors', { ModelId: modelId }), modelId).toMatchObject({
        Namespace: 'AWS/Bedrock',
        Statistic: 'Sum',
        Threshold: 5,
      });
    }
    expect(alarms().filter((alarm) => alarm.Namespace === 'AWS/Bedrock')).toHaveLength(4);
  });

  it('leave Bedrock alone for the offline engine', () => {
    const offline = Template.fromStack(synthesize({ engine: 'offline' }).stack);
    const namespaces = Object.values(offline.findResources('AWS::CloudWatch::Alarm')).map(
      (alarm) => properties(alarm).Namespace,
    );
    expect(namespaces).not.toContain('AWS/Bedrock');
  });
});

describe('the failure rule', () => {
  it('sends every execution of this state machine that fails, times out or aborts to the operations topic, readably', () => {
    // Prepare
    const [[, rule]] = resourcesOf('AWS::Events::Rule') as [[string, Json]];
    const stateMachineId = logicalIdOf('AWS::StepFunctions::StateMachine', 'PipelineStateMachine');

    // Act
    const { EventPattern, Targets } = properties(rule) as {
      EventPattern: Json;
      Targets: Array<{ Arn: unknown; InputTransformer: { InputPathsMap: Json; InputTemplate: string } }>;
    };

    // Assess
    expect(EventPattern).toEqual({
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: { status: [...FAILED_EXECUTION_STATUSES], stateMachineArn: [{ Ref: stateMachineId }] },
    });
    expect(FAILED_EXECUTION_STATUSES).toEqual(['FAILED', 'TIMED_OUT', 'ABORTED']);
    expect(Targets).toHaveLength(2);
    expect(Targets[0]?.Arn).toEqual({ Ref: logicalIdOf('AWS::SNS::Topic', 'OperationsTopic') });
    const { InputPathsMap, InputTemplate } = Targets[0]?.InputTransformer ?? { InputPathsMap: {}, InputTemplate: '' };
    expect(Object.values(InputPathsMap)).toEqual(
      expect.arrayContaining(['$.detail.name', '$.detail.status', '$.detail.error', '$.detail.executionArn']),
    );
    expect(InputTemplate).toMatch(
      /^"postmortem-lens: execution <detail-name> ended <detail-status> \(error: <detail-error>\)/,
    );
  });
});

describe('an execution that ended without its own failure path', () => {
  it('is handed to the RunEnded function by the failure rule: execution name, ARN and status, retried', () => {
    // Prepare
    const [[, rule]] = resourcesOf('AWS::Events::Rule') as [[string, Json]];
    const functionLogicalId = logicalIdOf('AWS::Lambda::Function', 'OperationsRunEnded');

    // Act
    const target = (
      properties(rule).Targets as Array<{
        Arn: unknown;
        InputTransformer: { InputPathsMap: Json; InputTemplate: string };
        RetryPolicy?: Json;
      }>
    ).find((candidate) => JSON.stringify(candidate.Arn).includes(functionLogicalId));
    const permissions = resourcesOf('AWS::Lambda::Permission')
      .map(([, permission]) => properties(permission))
      .filter((permission) => JSON.stringify(permission.FunctionName).includes(functionLogicalId));

    // Assess
    expect(target?.Arn).toEqual({ 'Fn::GetAtt': [functionLogicalId, 'Arn'] });
    const { InputPathsMap, InputTemplate } = target?.InputTransformer ?? { InputPathsMap: {}, InputTemplate: '' };
    const paths = InputPathsMap as Record<string, string>;
    const event = JSON.parse(
      InputTemplate.replace(/<([\w-]+)>/g, (_match, name: string) => JSON.stringify(paths[name])),
    ) as Json;
    expect(event).toEqual({ name: '$.detail.name', executionArn: '$.detail.executionArn', status: '$.detail.status' });
    expect(target?.RetryPolicy).toEqual({ MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 7200 });
    expect(permissions).toEqual([
      expect.objectContaining({
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': [resourcesOf('AWS::Events::Rule')[0]?.[0], 'Arn'] },
      }),
    ]);
  });

  it('lets the RunEnded function read and update run records and delete the lock in the state table, and nothing else', () => {
    // Prepare
    const roleId = logicalIdOf('AWS::IAM::Role', 'OperationsRunEndedRole');
    const tableId = logicalIdOf('AWS::DynamoDB::Table', 'State');

    // Act
    const statements = resourcesOf('AWS::IAM::Policy')
      .map(([, policy]) => properties(policy))
      .filter((policy) => (policy.Roles as Array<{ Ref: string }>).some((role) => role.Ref === roleId))
      .flatMap((policy) => (policy.PolicyDocument as { Statement: Json[] }).Statement);
    const actions = statements.flatMap((statement) => [statement.Action].flat() as string[]);

    // Assess
    // Besides tracing and its own log group.
    expect(actions.filter((action) => !/^(xray|logs):/.test(action)).sort()).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:UpdateItem',
    ]);
    expect(statements.find((statement) => [statement.Action].flat().includes('dynamodb:GetItem'))?.Resource).toEqual({
      'Fn::GetAtt': [tableId, 'Arn'],
    });
    expect(
      alarmOf('Errors', { FunctionName: { Ref: logicalIdOf('AWS::Lambda::Function', 'OperationsRunEnded') } }),
    ).toBeDefined();
  });
});

describe('the schedule', () => {
  it('retries a failed start, then leaves it in an encrypted dead-letter queue the scheduler may write', () => {
    const queueId = logicalIdOf('AWS::SQS::Queue', 'ScheduleDeadLetterQueue');
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Target: Match.objectLike({
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
      }),
    });
    expect(properties(template.findResources('AWS::SQS::Queue')[queueId])).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [queueId, 'Arn'] } }),
        ]),
      },
    });
  });
});

describe('the dashboard', () => {
  it('shows queue depth and age, executions, Lambda errors and duration per stage, and Bedrock invocations and throttles', () => {
    // Prepare
    const [[, dashboard]] = resourcesOf('AWS::CloudWatch::Dashboard') as [[string, Json]];

    // Act
    const body = JSON.stringify(resolveIntrinsics(template, properties(dashboard).DashboardBody));

    // Assess
    for (const shown of [
      'ApproximateNumberOfMessagesVisible',
      'ApproximateAgeOfOldestMessage',
      'ExecutionsStarted',
      'ExecutionsFailed',
      'ExecutionsTimedOut',
      'ExecutionsAborted',
      'AWS/Bedrock',
      'Invocations',
      'InvocationThrottles',
      'InvocationServerErrors',
      'Lambda errors per stage',
      'Lambda duration per stage',
    ])
      expect(body, shown).toContain(shown);
    for (const name of FUNCTIONS) expect(body, name).toContain(`\\"label\\":\\"${name}\\"`);
  });
});

describe('retries and timeouts', () => {
  it('retry every Lambda task on Lambda service errors and throttling, then once more after a Lambda timeout', () => {
    const tasks = Object.entries(allStates(definition.States)).filter(
      ([, state]) => state.Type === 'Task' && String(state.Resource).includes(':lambda:'),
    );
    expect(tasks.length).toBe(14);
    for (const [name, task] of tasks) {
      const [service, timedOut] = task.Retry as Json[];
      expect(service?.ErrorEquals, name).toEqual(
        expect.arrayContaining([
          'Lambda.AWSLambdaException',
          'Lambda.ClientExecutionTimeoutException',
          'Lambda.SdkClientException',
          'Lambda.TooManyRequestsException',
          'Lambda.ServiceException',
          'ThrottlingError',
          'ModelUnavailableError',
        ]),
      );
      expect(service?.ErrorEquals).toEqual(RETRIED_ERRORS);
      expect(timedOut, name).toEqual({ ErrorEquals: ['Sandbox.Timedout'], IntervalSeconds: 10, MaxAttempts: 1 });
    }
  });

  it("retry the Distributed Map's manifest reads and result writes", () => {
    const map = allStates(definition.States).ProcessDocuments;
    expect(map?.Retry).toEqual([
      {
        ErrorEquals: ['States.ItemReaderFailed', 'States.ResultWriterFailed'],
        IntervalSeconds: 10,
        MaxAttempts: 3,
        BackoffRate: 2,
        JitterStrategy: 'FULL',
      },
    ]);
    expect(MAP_IO_ERRORS).toEqual(['States.ItemReaderFailed', 'States.ResultWriterFailed']);
  });

  it('tell every task function its own timeout, and fit the model calls of each in it', () => {
    for (const name of FUNCTIONS.filter((function_) => function_ !== 'Ingest')) {
      const function_ = properties(template.findResources('AWS::Lambda::Function')[functionId(name)]);
      const timeoutSeconds = function_.Timeout as number;
      const variables = (function_.Environment as { Variables: Json }).Variables;
      expect(variables[TASK_TIMEOUT_VARIABLE], name).toBe(String(timeoutSeconds));
      // The default governor (4 retries): a generate and its repair, every attempt timing out, fit in the task.
      const budget = callBudget({ taskMillis: timeoutSeconds * 1000, maxRetries: 4 });
      expect(budget.worstCaseMillis, name).toBeLessThanOrEqual(timeoutSeconds * 1000 * 0.9);
      if (timeoutSeconds >= 300) expect(budget.requestTimeoutMillis, name).toBeGreaterThanOrEqual(60_000);
    }
    expect(variablesOfIngest()).not.toHaveProperty(TASK_TIMEOUT_VARIABLE);
  });
});

function variablesOfIngest(): Json {
  return (
    properties(template.findResources('AWS::Lambda::Function')[functionId('Ingest')]).Environment as {
      Variables: Json;
    }
  ).Variables;
}

describe('the failure path', () => {
  it('marks the run failed, says so on the report topic (also when the release failed), then fails with the original error', () => {
    // Prepare
    const { ReleaseLockAfterFailure, PublishRunFailed, RunFailed } = definition.States;
    const reportTopicId = logicalIdOf('AWS::SNS::Topic', 'NotificationsReportReady');

    // Act
    const parameters = PublishRunFailed?.Parameters as Json;

    // Assess
    expect(ReleaseLockAfterFailure?.Next).toBe('PublishRunFailed');
    expect(ReleaseLockAfterFailure?.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.releaseError', Next: 'PublishRunFailed' },
    ]);
    expect(PublishRunFailed).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::sns:publish',
      ResultPath: null,
      Next: 'RunFailed',
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.publishError', Next: 'RunFailed' }],
    });
    expect(parameters.Subject).toBe('postmortem-lens run failed');
    expect(parameters['Message.$']).toMatch(/^States\.Format\('The postmortem-lens run \{\} failed with \{\}\./);
    expect(parameters['Message.$']).toContain('$.lock.runId, $.error.Error, $$.Execution.Id');
    expect(parameters['Message.$']).not.toContain('Cause');
    expect(PublishRunFailed?.Retry).toEqual([expect.objectContaining({ MaxAttempts: 4 })]);
    expect(RunFailed).toEqual({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^PipelineStateMachineRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Action: 'sns:Publish', Resource: { Ref: reportTopicId } })]),
      },
    });
  });
});

describe('lifecycle', () => {
  it('expires run objects, map results and stale cache entries, never the corpus, the latest report or the configuration', () => {
    // Prepare
    const bucketId = logicalIdOf('AWS::S3::Bucket', 'StorageArtifacts');

    // Act
    const { Rules } = properties(template.findResources('AWS::S3::Bucket')[bucketId]).LifecycleConfiguration as {
      Rules: Json[];
    };

    // Assess
    expect(Rules).toEqual([
      {
        Id: 'every-object',
        Status: 'Enabled',
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
        NoncurrentVersionExpiration: { NoncurrentDays: 30 },
      },
      { Id: 'run-objects', Status: 'Enabled', Prefix: 'runs/', ExpirationInDays: RUN_RETENTION_DAYS },
      { Id: 'map-results', Status: 'Enabled', Prefix: 'results/', ExpirationInDays: 14 },
      { Id: 'stage-cache', Status: 'Enabled', Prefix: 'cache/', ExpirationInDays: 180 },
    ]);
    // Current objects expire only under a prefix, and never under the kept ones.
    for (const rule of Rules.filter((candidate) => candidate.ExpirationInDays !== undefined)) {
      expect(rule.Prefix).toMatch(/^(runs|results|cache)\/$/);
      for (const kept of ['docs/', 'report/', 'review/', CONTEXT.catalogKey])
        expect(kept.startsWith(String(rule.Prefix))).toBe(false);
    }
    // The Distributed Map writes where the results rule expires.
    expect(allStates(definition.States).ProcessDocuments?.ResultWriter).toMatchObject({
      Parameters: { Prefix: 'results/' },
    });
  });

  it('refuses a configuration object under an expiring prefix (infra/config.ts refuses it first)', () => {
    const stack = new Stack(scratchApp({ autoSynth: false }));
    expect(() => new Storage(stack, 'Storage', { keptKeys: ['config/catalog.yaml', 'cache/metadata.csv'] })).toThrow(
      /cache\/metadata\.csv lies under cache\//,
    );
    expect(() => synthesize({ metadataKey: 'runs/metadata.csv' })).toThrow(/metadataKey/);
  });

  it('lets DynamoDB expire run and lock items by their expiresAt', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });
});

describe('the RunEnded target of the failure rule', () => {
  it('leaves an invocation EventBridge could not deliver in an encrypted dead-letter queue that pages', () => {
    // Prepare
    const [[ruleId, rule]] = resourcesOf('AWS::Events::Rule') as [[string, Json]];
    const functionLogicalId = logicalIdOf('AWS::Lambda::Function', 'OperationsRunEnded');
    const queueId = logicalIdOf('AWS::SQS::Queue', 'OperationsRunEndedDeadLetterQueue');
    const topicId = logicalIdOf('AWS::SNS::Topic', 'OperationsTopic');

    // Act
    const target = (properties(rule).Targets as Json[]).find((candidate) =>
      JSON.stringify(candidate.Arn).includes(functionLogicalId),
    );
    const queue = properties(template.findResources('AWS::SQS::Queue')[queueId]);
    const queuePolicies = resourcesOf('AWS::SQS::QueuePolicy')
      .map(([, policy]) => properties(policy))
      .filter((policy) => JSON.stringify(policy.Queues).includes(queueId));
    const alarm = alarmOf('ApproximateNumberOfMessagesVisible', {
      QueueName: { 'Fn::GetAtt': [queueId, 'QueueName'] },
    });

    // Assess
    expect(target?.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } });
    expect(target?.RetryPolicy).toEqual({ MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 7200 });
    expect(queue.SqsManagedSseEnabled).toBe(true);
    expect(queue.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    const statements = queuePolicies.flatMap((policy) => (policy.PolicyDocument as { Statement: Json[] }).Statement);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Principal: { Service: 'events.amazonaws.com' },
        Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [ruleId, 'Arn'] } } },
      }),
    );
    expect(alarm).toMatchObject({
      Namespace: 'AWS/SQS',
      Statistic: 'Maximum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [{ Ref: topicId }],
    });
  });
});

describe('Bedrock alarms of a model given by ARN', () => {
  it('use the ARN as invoked as the ModelId dimension (an application inference profile)', () => {
    // Prepare
    const profile = 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/a1b2c3d4e5f6';
    const systemProfile = `arn:aws:bedrock:us-east-1:111122223333:inference-profile/${DEFAULT_MODEL_ID}`;
    const models = JSON.stringify({
      summarize: profile,
      classify: profile,
      analyze: profile,
      patterns: systemProfile,
      opportunities: systemProfile,
    });

    // Act
    const arnTemplate = Template.fromStack(synthesize({ models }).stack);
    const bedrockAlarms = Object.values(arnTemplate.findResources('AWS::CloudWatch::Alarm'))
      .map((alarm) => properties(alarm))
      .filter((alarm) => alarm.Namespace === 'AWS/Bedrock');

    // Assess
    const dimensions = (metricName: string) =>
      bedrockAlarms
        .filter((alarm) => alarm.MetricName === metricName)
        .map((alarm) => alarm.Dimensions)
        .sort((left, right) => JSON.stringify(left).localeCompare(JSON.stringify(right)));
    const expected = [profile, systemProfile]
      .map((value) => [{ Name: 'ModelId', Value: value }])
      .sort((left, right) => JSON.stringify(left).localeCompare(JSON.stringify(right)));
    expect(dimensions('InvocationThrottles')).toEqual(expected);
    expect(dimensions('InvocationServerErrors')).toEqual(expected);
    expect(bedrockAlarms).toHaveLength(4);
  });
});
