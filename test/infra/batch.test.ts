/**
 * Batch inference (issue 12, item 6) on the synthesized template: the rule that resumes a waiting
 * execution, the service role Bedrock assumes, the job permissions scoped to the configured model,
 * PassRole scoped to that role, the expiry of batch/, and nothing of it when the key is off.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { configFromContext, InfraConfigError } from '../../infra/config.ts';
import { resolveIntrinsics, resolvedDefinition } from '../../infra/definition.ts';
import { batchStateNames } from '../../infra/constructs/pipeline.ts';
import { synthesize } from './synth.ts';

type Json = Record<string, unknown>;
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Json;
}

const MODEL = 'us.anthropic.claude-sonnet-4-20250514-v1:0';
const asList = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

let template: Template;
let plain: Template;

function statementsOf(rolePrefix: string): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .map((policy) => policy.Properties as Json)
    .filter((properties) =>
      (properties.Roles as Array<{ Ref: string }>).some((role) => role.Ref.startsWith(rolePrefix)),
    )
    .flatMap((properties) => (properties.PolicyDocument as { Statement: Json[] }).Statement)
    .map((statement) => resolveIntrinsics(template, statement) as Statement);
}

const withAction = (statements: Statement[], action: string) =>
  statements.filter((statement) => asList(statement.Action).includes(action));

beforeAll(() => {
  template = Template.fromStack(synthesize({ batchInference: 500, models: MODEL }).stack);
  plain = Template.fromStack(synthesize().stack);
});

describe('batch inference context', () => {
  it('is off by default and refuses a threshold under Bedrock minimum of 100 records', () => {
    expect(configFromContext(() => undefined).batchInference).toEqual({ enabled: false, minimumRecords: 1000 });
    expect(configFromContext((key) => (key === 'batchInference' ? 'true' : undefined)).batchInference).toEqual({
      enabled: true,
      minimumRecords: 1000,
    });
    expect(() => configFromContext((key) => (key === 'batchInference' ? '50' : undefined))).toThrow(InfraConfigError);
  });

  it('adds nothing to the template when off', () => {
    const rules = Object.values(plain.findResources('AWS::Events::Rule'));
    expect(rules.some((rule) => JSON.stringify(rule).includes('aws.bedrock'))).toBe(false);
    expect(JSON.stringify(plain.toJSON())).not.toContain('CreateModelInvocationJob');
  });
});

describe('batch inference resources', () => {
  it('sends undeliverable job-ended events to a dead-letter queue that pages, and watches both batch functions', () => {
    const queues = Object.keys(template.findResources('AWS::SQS::Queue')).filter((id) =>
      id.startsWith('BatchJobEndedDeadLetterQueue'),
    );
    expect(queues).toHaveLength(1);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ source: ['aws.bedrock'] }),
      Targets: [
        Match.objectLike({
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queues[0], 'Arn'] } },
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 8 }),
        }),
      ],
    });
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (alarm) => alarm.Properties as Json,
    );
    const onQueue = alarms.filter((alarm) => JSON.stringify(alarm.Dimensions ?? []).includes(queues[0] as string));
    expect(onQueue).toHaveLength(1);
    expect(onQueue[0]?.AlarmActions).toBeDefined();
    const errorAlarms = alarms.filter((alarm) => alarm.MetricName === 'Errors');
    const watched = errorAlarms.flatMap((alarm) =>
      (alarm.Dimensions as Array<{ Value: { Ref: string } }>).map((dimension) => dimension.Value.Ref),
    );
    expect(watched.some((ref) => ref.startsWith('BatchResume'))).toBe(true);
    expect(watched.some((ref) => ref.startsWith('Batch') && !ref.startsWith('BatchResume'))).toBe(true);
  });

  it('resumes the waiting execution on the end of its own jobs', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.bedrock'],
        'detail-type': ['Batch Inference Job State Change'],
        detail: {
          batchJobName: [{ prefix: 'pmlens-' }],
          status: Match.arrayWith(['Completed', 'PartiallyCompleted', 'Failed', 'Stopped', 'Expired']),
        },
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BatchResume'), 'Arn'] } })],
    });
    const resume = statementsOf('BatchResumeRole');
    expect(withAction(resume, 'states:SendTaskSuccess')[0]?.Resource).toMatch(/:stateMachine:/);
    expect(asList(withAction(resume, 'states:SendTaskFailure')[0]?.Resource)).toHaveLength(1);
    expect(asList(withAction(resume, 'bedrock:GetModelInvocationJob')[0]?.Resource)).toEqual([
      'arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/*',
    ]);
  });

  it('gives Bedrock a service role that reads and writes batch/ only, for this account jobs', () => {
    const roles = template.findResources('AWS::IAM::Role');
    const [roleId, role] = Object.entries(roles).find(([id]) => id.startsWith('BatchServiceRole')) ?? [];
    expect(roleId).toBeDefined();
    const trust = resolveIntrinsics(template, (role?.Properties as Json).AssumeRolePolicyDocument) as {
      Statement: Statement[];
    };
    expect(trust.Statement[0]).toMatchObject({
      Principal: { Service: 'bedrock.amazonaws.com' },
      Condition: {
        StringEquals: { 'aws:SourceAccount': '123456789012' },
        ArnLike: { 'aws:SourceArn': 'arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/*' },
      },
    });
    const statements = statementsOf('BatchServiceRole');
    const objectResources = [...withAction(statements, 's3:GetObject'), ...withAction(statements, 's3:PutObject')]
      .flatMap((statement) => asList(statement.Resource))
      .filter((resource) => resource.startsWith('arn:aws:s3:::'));
    expect(objectResources.length).toBeGreaterThan(0);
    for (const resource of objectResources) expect(resource).toMatch(/^arn:aws:s3:::[a-z0-9]+\/batch\/\*$/);
    const invoke = withAction(statements, 'bedrock:InvokeModel').flatMap((statement) => asList(statement.Resource));
    expect(invoke).toContain(`arn:aws:bedrock:us-east-1:123456789012:inference-profile/${MODEL}`);
  });

  it('scopes CreateModelInvocationJob to the configured model and this account jobs, never "*"', () => {
    const create = withAction(statementsOf('BatchFunctionRole'), 'bedrock:CreateModelInvocationJob');
    expect(create).toHaveLength(1);
    expect(asList(create[0]?.Resource).sort()).toEqual(
      [
        'arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/*',
        `arn:aws:bedrock:us-east-1:123456789012:inference-profile/${MODEL}`,
      ].sort(),
    );
    // No other role may start a job.
    const others = Object.values(template.findResources('AWS::IAM::Policy')).filter(
      (policy) =>
        JSON.stringify(policy).includes('CreateModelInvocationJob') &&
        !JSON.stringify(policy).includes('BatchFunctionRole'),
    );
    expect(others).toHaveLength(0);
  });

  it('lets the batch function pass the service role, to Bedrock only', () => {
    const passRole = withAction(statementsOf('BatchFunctionRole'), 'iam:PassRole');
    expect(passRole).toHaveLength(1);
    expect(asList(passRole[0]?.Resource)).toEqual([
      expect.stringMatching(/^arn:aws:iam::123456789012:role\/BatchServiceRole/),
    ]);
    expect(passRole[0]?.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'bedrock.amazonaws.com' } });
  });

  it('expires batch/ in the artifacts bucket', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Id: 'ExpireBatchInferenceFiles',
            Prefix: 'batch/',
            Status: 'Enabled',
            ExpirationInDays: 14,
          }),
        ]),
      },
    });
    const withThreshold = Object.values(template.findResources('AWS::Lambda::Function')).filter((fn) =>
      JSON.stringify(fn).includes('"PMLENS_BATCH_MIN_RECORDS":"500"'),
    );
    expect(withThreshold).toHaveLength(1);
  });

  it('puts the batch states before each round of documents, the submit waiting on a task token', () => {
    const definition = resolvedDefinition(template) as { States: Json };
    const text = JSON.stringify(definition);
    for (const stage of ['summarize', 'classify', 'analyze'] as const) {
      const names = batchStateNames(stage);
      expect(text).toContain(`"${names.prepare}"`);
      expect(text).toContain(`"${names.collect}"`);
    }
    expect(text).toContain('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(text).toContain('"taskToken.$":"$$.Task.Token"');
  });
});
