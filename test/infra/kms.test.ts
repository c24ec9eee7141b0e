/**
 * The optional customer-managed key (context customerManagedKey): one rotated key for the input
 * and artifacts buckets (SSE-KMS with bucket keys), the state table, the topics and the log groups;
 * a key policy that admits CloudWatch Logs of this Region for this account's log groups; KMS
 * actions granted to roles through IAM, exact and through one service each. Off, the template
 * keeps the AWS managed keys.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { configFromContext, InfraConfigError } from '../../infra/config.ts';
import { synthesize } from './synth.ts';

type Json = Record<string, unknown>;

let withKey: Template;
let withoutKey: Template;

function resourcesOf(template: Template, type: string): Array<[string, Json]> {
  return Object.entries(template.findResources(type)) as Array<[string, Json]>;
}

function properties(resource: Json | undefined): Json {
  return (resource?.Properties ?? {}) as Json;
}

function logicalIdOf(template: Template, type: string, prefix: string): string {
  const ids = resourcesOf(template, type)
    .map(([logicalId]) => logicalId)
    .filter((logicalId) => logicalId.startsWith(prefix));
  expect(ids, `${type} ${prefix}`).toHaveLength(1);
  return ids[0] as string;
}

/** Every statement of the identity policies attached to a role. */
function roleStatements(template: Template, roleId: string): Json[] {
  return resourcesOf(template, 'AWS::IAM::Policy')
    .map(([, policy]) => properties(policy))
    .filter((policy) => (policy.Roles as Array<{ Ref: string }>).some((role) => role.Ref === roleId))
    .flatMap((policy) => (policy.PolicyDocument as { Statement: Json[] }).Statement);
}

function kmsStatements(statements: Json[]): Json[] {
  return statements.filter((statement) =>
    ([statement.Action].flat() as string[]).some((action) => action.startsWith('kms:')),
  );
}

/** The service a KMS statement is limited to, e.g. "s3" from s3.<region>.amazonaws.com. */
function viaService(statement: Json): string {
  const condition = statement.Condition as { StringEquals?: { 'kms:ViaService'?: unknown } } | undefined;
  const value = JSON.stringify(condition?.StringEquals?.['kms:ViaService'] ?? '');
  return /"(s3|dynamodb|sns)\./.exec(value)?.[1] ?? 'none';
}

/** KMS actions of a role, by the service they are limited to. */
function keyActionsOf(template: Template, roleId: string): Record<string, string[]> {
  const byService: Record<string, string[]> = {};
  for (const statement of kmsStatements(roleStatements(template, roleId))) {
    const service = viaService(statement);
    byService[service] = [
      ...new Set([...(byService[service] ?? []), ...([statement.Action].flat() as string[])]),
    ].sort();
  }
  return byService;
}

beforeAll(() => {
  withKey = Template.fromStack(synthesize({ customerManagedKey: true }).stack);
  withoutKey = Template.fromStack(synthesize().stack);
});

describe('customerManagedKey: true', () => {
  it('creates one rotated key, which the operations topic shares', () => {
    const keys = resourcesOf(withKey, 'AWS::KMS::Key');
    expect(keys).toHaveLength(1);
    const [[keyId, key]] = keys as [[string, Json]];
    expect(keyId).toMatch(/^EncryptionKey/);
    expect(properties(key).EnableKeyRotation).toBe(true);
    expect(key.DeletionPolicy).toBe('Retain');
  });

  it('admits CloudWatch Logs of the Region for this account log groups only, and CloudWatch and EventBridge for the topic', () => {
    // Prepare
    const [[, key]] = resourcesOf(withKey, 'AWS::KMS::Key') as [[string, Json]];

    // Act
    const statements = (properties(key).KeyPolicy as { Statement: Json[] }).Statement;
    const logs = statements.find((statement) => JSON.stringify(statement.Principal).includes('logs.'));
    const publishers = statements.find((statement) => JSON.stringify(statement.Principal).includes('cloudwatch.'));

    // Assess
    expect(logs?.Principal).toEqual({
      Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
    });
    expect(logs?.Condition).toEqual({
      ArnLike: {
        'kms:EncryptionContext:aws:logs:arn': {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':logs:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':log-group:*',
            ],
          ],
        },
      },
    });
    expect(publishers?.Principal).toEqual({ Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] });
    // Nobody else is named in the key policy: the account root (IAM delegation), Logs, CloudWatch and
    // EventBridge (once more by aws-cdk-lib's SNS rule target).
    const principals = statements.map((statement) => JSON.stringify(statement.Principal));
    expect(principals).toHaveLength(4);
    for (const principal of principals)
      expect(principal).toMatch(/:root"|logs\.|cloudwatch\.amazonaws\.com|events\.amazonaws\.com/);
  });

  it('encrypts the input and artifacts buckets with it (SSE-KMS, bucket keys), the access log bucket with SSE-S3', () => {
    const keyId = logicalIdOf(withKey, 'AWS::KMS::Key', 'EncryptionKey');
    for (const prefix of ['StorageInput', 'StorageArtifacts']) {
      const bucket = properties(
        withKey.findResources('AWS::S3::Bucket')[logicalIdOf(withKey, 'AWS::S3::Bucket', prefix)],
      );
      expect(bucket.BucketEncryption, prefix).toEqual({
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] },
            },
          },
        ],
      });
    }
    const accessLogs = properties(
      withKey.findResources('AWS::S3::Bucket')[logicalIdOf(withKey, 'AWS::S3::Bucket', 'StorageAccessLogs')],
    );
    expect(accessLogs.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
  });

  it('encrypts the state table, every topic and every log group with it', () => {
    const keyArn = { 'Fn::GetAtt': [logicalIdOf(withKey, 'AWS::KMS::Key', 'EncryptionKey'), 'Arn'] };
    const [[, table]] = resourcesOf(withKey, 'AWS::DynamoDB::Table') as [[string, Json]];
    expect(properties(table).SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn });

    const topics = resourcesOf(withKey, 'AWS::SNS::Topic');
    expect(topics).toHaveLength(2);
    for (const [id, topic] of topics) expect(properties(topic).KmsMasterKeyId, id).toEqual(keyArn);

    const logGroups = resourcesOf(withKey, 'AWS::Logs::LogGroup');
    // Every function's (the ten tasks, ingest, RunEnded) and the state machine's.
    expect(logGroups.length).toBeGreaterThanOrEqual(13);
    for (const [id, logGroup] of logGroups) expect(properties(logGroup).KmsKeyId, id).toEqual(keyArn);
  });

  it('grants each role exact KMS actions on the key, each only through the service that uses it', () => {
    const keyArn = { 'Fn::GetAtt': [logicalIdOf(withKey, 'AWS::KMS::Key', 'EncryptionKey'), 'Arn'] };
    const statements = resourcesOf(withKey, 'AWS::IAM::Policy').flatMap(([, policy]) =>
      kmsStatements((properties(policy).PolicyDocument as { Statement: Json[] }).Statement),
    );
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(statement.Resource).toEqual(keyArn);
      expect([statement.Action].flat().join(' ')).not.toContain('*');
      expect(['s3', 'dynamodb', 'sns']).toContain(viaService(statement));
    }
  });

  it('gives readers Decrypt, writers GenerateDataKey, publishers both, by what each function does', () => {
    const role = (prefix: string) => logicalIdOf(withKey, 'AWS::IAM::Role', prefix);
    // Summarize reads and writes objects and items.
    expect(keyActionsOf(withKey, role('FunctionsSummarizeRole'))).toEqual({
      s3: ['kms:Decrypt', 'kms:GenerateDataKey'],
      dynamodb: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
    });
    // Patterns only queries the corpus index.
    expect(keyActionsOf(withKey, role('FunctionsPatternsRole')).dynamodb).toEqual(['kms:Decrypt', 'kms:DescribeKey']);
    // The corpus function writes manifests and deletes, never reads an object: no Decrypt through S3.
    expect(keyActionsOf(withKey, role('FunctionsCorpusRole')).s3).toEqual(['kms:GenerateDataKey']);
    // Notify publishes and touches no object or item.
    expect(keyActionsOf(withKey, role('FunctionsNotifyRole'))).toEqual({ sns: ['kms:Decrypt', 'kms:GenerateDataKey'] });
    // The state machine: the Distributed Map's manifests and results, and the "run failed" message.
    expect(keyActionsOf(withKey, role('PipelineStateMachineRole'))).toEqual({
      s3: ['kms:Decrypt', 'kms:GenerateDataKey'],
      sns: ['kms:Decrypt', 'kms:GenerateDataKey'],
    });
  });
});

describe('customerManagedKey: false (the default)', () => {
  it('keeps the AWS managed keys: SSE-S3 buckets, the DynamoDB key, alias/aws/sns, unencrypted log groups', () => {
    // The only customer-managed key is the operations topic's own.
    const keys = resourcesOf(withoutKey, 'AWS::KMS::Key');
    expect(keys.map(([id]) => id)).toEqual([expect.stringMatching(/^OperationsTopicKey/)]);
    for (const [id, bucket] of resourcesOf(withoutKey, 'AWS::S3::Bucket'))
      expect(properties(bucket).BucketEncryption, id).toEqual({
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      });
    const [[, table]] = resourcesOf(withoutKey, 'AWS::DynamoDB::Table') as [[string, Json]];
    expect(properties(table).SSESpecification).toEqual({ SSEEnabled: true });
    const reportTopic = properties(
      withoutKey.findResources('AWS::SNS::Topic')[
        logicalIdOf(withoutKey, 'AWS::SNS::Topic', 'NotificationsReportReady')
      ],
    );
    expect(JSON.stringify(reportTopic.KmsMasterKeyId)).toContain('alias/aws/sns');
    for (const [id, logGroup] of resourcesOf(withoutKey, 'AWS::Logs::LogGroup'))
      expect(properties(logGroup).KmsKeyId, id).toBeUndefined();
    const kms = resourcesOf(withoutKey, 'AWS::IAM::Policy').flatMap(([, policy]) =>
      kmsStatements((properties(policy).PolicyDocument as { Statement: Json[] }).Statement),
    );
    expect(kms).toEqual([]);
  });
});

describe('the customerManagedKey context key', () => {
  it('takes true or false (as -c passes them, or from cdk.json) and refuses anything else', () => {
    const config = (value: unknown) => configFromContext((key) => (key === 'customerManagedKey' ? value : undefined));
    expect(config('true').customerManagedKey).toBe(true);
    expect(config(false).customerManagedKey).toBe(false);
    expect(config(undefined).customerManagedKey).toBe(false);
    expect(() => config('yes')).toThrow(InfraConfigError);
  });
});
