/**
 * The optional report download endpoint (context downloadEndpoint): an IAM-authenticated Function
 * URL, no public access, a role that may read report files only, its URL in "report ready", and a
 * managed policy for reviewers. Off, none of it is deployed.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DOWNLOAD_URL_VARIABLE } from '../../infra/constructs/download.ts';
import { synthesize } from './synth.ts';

type Json = Record<string, unknown>;

let template: Template;
let withoutEndpoint: Template;

function resourcesOf(from: Template, type: string): Array<[string, Json]> {
  return Object.entries(from.findResources(type)) as Array<[string, Json]>;
}

function properties(resource: Json | undefined): Json {
  return (resource?.Properties ?? {}) as Json;
}

function logicalIdOf(from: Template, type: string, prefix: string): string {
  const ids = resourcesOf(from, type)
    .map(([logicalId]) => logicalId)
    .filter((logicalId) => logicalId.startsWith(prefix));
  expect(ids, `${type} ${prefix}`).toHaveLength(1);
  return ids[0] as string;
}

function roleStatements(from: Template, roleId: string): Json[] {
  return resourcesOf(from, 'AWS::IAM::Policy')
    .map(([, policy]) => properties(policy))
    .filter((policy) => (policy.Roles as Array<{ Ref: string }>).some((role) => role.Ref === roleId))
    .flatMap((policy) => (policy.PolicyDocument as { Statement: Json[] }).Statement);
}

/** An object ARN of a bucket as the template writes it: the bucket's ARN joined with "/<pattern>". */
function objectArn(bucketId: string, pattern: string): Json {
  return { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, `/${pattern}`]] };
}

beforeAll(() => {
  template = Template.fromStack(synthesize({ downloadEndpoint: true, customerManagedKey: true }).stack);
  withoutEndpoint = Template.fromStack(synthesize({ downloadEndpoint: false }).stack);
});

describe('downloadEndpoint: true', () => {
  it('puts the download function behind a Function URL that only IAM-signed requests reach', () => {
    const functionId = logicalIdOf(template, 'AWS::Lambda::Function', 'DownloadHandler');
    const urls = resourcesOf(template, 'AWS::Lambda::Url').map(([, url]) => properties(url));
    expect(urls).toEqual([{ AuthType: 'AWS_IAM', TargetFunctionArn: { 'Fn::GetAtt': [functionId, 'Arn'] } }]);
    // No resource policy opens it: no permission names the function for anyone, let alone "*".
    const permissions = resourcesOf(template, 'AWS::Lambda::Permission')
      .map(([, permission]) => properties(permission))
      .filter((permission) => JSON.stringify(permission.FunctionName).includes(functionId));
    expect(permissions).toEqual([]);
  });

  it('lets the function read report files, with Decrypt through S3, and nothing else', () => {
    // Prepare
    const roleId = logicalIdOf(template, 'AWS::IAM::Role', 'DownloadHandlerRole');
    const artifactsId = logicalIdOf(template, 'AWS::S3::Bucket', 'StorageArtifacts');

    // Act
    const statements = roleStatements(template, roleId).filter(
      (statement) => !/^(xray|logs):/.test(([statement.Action].flat() as string[])[0] ?? ''),
    );

    // Assess
    const s3 = statements.filter((statement) => ([statement.Action].flat() as string[])[0]?.startsWith('s3:'));
    expect(s3).toEqual([
      expect.objectContaining({
        Action: 's3:GetObject',
        Resource: [objectArn(artifactsId, 'report/*'), objectArn(artifactsId, 'runs/*/report/*')],
      }),
    ]);
    const others = statements
      .filter((statement) => !s3.includes(statement))
      .flatMap((statement) => [statement.Action].flat());
    expect(others).toEqual(['kms:Decrypt']);
  });

  it('tells Notify the endpoint, so that "report ready" names it', () => {
    const notify = properties(
      template.findResources('AWS::Lambda::Function')[
        logicalIdOf(template, 'AWS::Lambda::Function', 'FunctionsNotify')
      ],
    );
    const urlId = logicalIdOf(template, 'AWS::Lambda::Url', 'DownloadHandlerFunctionUrl');
    expect((notify.Environment as { Variables: Json }).Variables[DOWNLOAD_URL_VARIABLE]).toEqual({
      'Fn::GetAtt': [urlId, 'FunctionUrl'],
    });
  });

  it('offers reviewers a managed policy that invokes this endpoint and nothing else', () => {
    const functionArn = { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::Lambda::Function', 'DownloadHandler'), 'Arn'] };
    const [[, policy]] = resourcesOf(template, 'AWS::IAM::ManagedPolicy') as [[string, Json]];
    expect((properties(policy).PolicyDocument as { Statement: Json[] }).Statement).toEqual([
      {
        Effect: 'Allow',
        Action: 'lambda:InvokeFunctionUrl',
        Resource: functionArn,
        Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' } },
      },
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: functionArn },
    ]);
  });
});

describe('the endpoint in operations', () => {
  it('pages on its errors and throttles like every other function', () => {
    const functionId = logicalIdOf(template, 'AWS::Lambda::Function', 'DownloadHandler');
    const watched = resourcesOf(template, 'AWS::CloudWatch::Alarm')
      .map(([, alarm]) => properties(alarm))
      .filter(
        (alarm) =>
          JSON.stringify(alarm.Dimensions) === JSON.stringify([{ Name: 'FunctionName', Value: { Ref: functionId } }]),
      )
      .map((alarm) => alarm.MetricName)
      .sort();
    expect(watched).toEqual(['Errors', 'Throttles']);
  });
});

describe('downloadEndpoint: false (the default)', () => {
  it('deploys no Function URL, no download function, and Notify names no endpoint', () => {
    expect(resourcesOf(withoutEndpoint, 'AWS::Lambda::Url')).toEqual([]);
    expect(resourcesOf(withoutEndpoint, 'AWS::Lambda::Function').map(([id]) => id)).not.toContainEqual(
      expect.stringMatching(/^Download/),
    );
    const notify = properties(
      withoutEndpoint.findResources('AWS::Lambda::Function')[
        logicalIdOf(withoutEndpoint, 'AWS::Lambda::Function', 'FunctionsNotify')
      ],
    );
    expect((notify.Environment as { Variables: Json }).Variables).not.toHaveProperty(DOWNLOAD_URL_VARIABLE);
  });
});
