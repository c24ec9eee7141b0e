/**
 * The optional customer-managed key (context `customerManagedKey: true`): one KMS key, rotated
 * yearly, for the input and artifacts buckets (SSE-KMS with bucket keys), the state table, the SNS
 * topics and the CloudWatch log groups of the functions and the state machine.
 *
 * Its policy keeps CDK's default statement (the account may delegate use of the key through IAM)
 * and admits CloudWatch Logs of this Region, only for log groups of this account (the encryption
 * context `aws:logs:arn`), which encrypts log events as it stores them. Nothing else is in the key
 * policy: functions and the state machine get exactly the KMS actions their calls need through
 * IAM grants (`grantKeyUse`), each only through the service that uses the key (`kms:ViaService`).
 * The operations topic adds CloudWatch and EventBridge (infra/constructs/operations.ts).
 *
 * Not under this key: the server access log bucket (S3 delivers access logs only to SSE-S3
 * buckets) and the SQS queues (SQS-managed encryption: S3 notifications and EventBridge
 * dead letters would need this key's policy to admit those services as well).
 */
import { ArnFormat, CfnOutput, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** The services that use the key on a caller's behalf. */
export type KeyService = 's3' | 'dynamodb' | 'sns';

/**
 * KMS actions each kind of call needs, without wildcards:
 * - S3 (SSE-KMS): GetObject decrypts the object's data key; PutObject makes one.
 * - DynamoDB: reads decrypt the table key, writes also encrypt and make data keys.
 * - SNS: a publisher makes the message's data key, and SNS decrypts it for delivery.
 */
export const KEY_ACTIONS = {
  objectRead: ['kms:Decrypt'],
  objectWrite: ['kms:GenerateDataKey'],
  tableRead: ['kms:Decrypt', 'kms:DescribeKey'],
  tableWrite: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
  publish: ['kms:Decrypt', 'kms:GenerateDataKey'],
} as const satisfies Record<string, readonly string[]>;

/**
 * Let a principal use a key for these actions, only through one service of this Region.
 * A key that is not a customer-managed key of this app (an AWS managed key, an imported alias)
 * is left alone: its own policy decides.
 */
export function grantKeyUse(
  grantee: iam.IGrantable,
  key: kms.IKey | undefined,
  actions: readonly string[],
  service: KeyService,
): void {
  if (!(key instanceof kms.Key) || actions.length === 0) return;
  iam.Grant.addToPrincipal({
    grantee,
    actions: [...new Set(actions)],
    resourceArns: [key.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `${service}.${Stack.of(key).region}.amazonaws.com` } },
  });
}

export interface EncryptionKeyProps {
  /** @default "postmortem-lens: buckets, state table, topics and logs" */
  readonly description?: string;
}

export class EncryptionKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    // Retained (the KMS default): objects, items and backups encrypted under it outlive the stack.
    this.key = new kms.Key(this, 'Key', {
      description: props.description ?? 'postmortem-lens: buckets, state table, topics and logs',
      enableKeyRotation: true,
    });
    // CloudWatch Logs encrypts and decrypts log events of this account's log groups (the key policy
    // statement its documentation prescribes, scoped by the encryption context it always sends).
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogsOfThisAccountAndRegion',
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    new CfnOutput(this, 'Arn', {
      value: this.key.keyArn,
      description:
        'The customer-managed key: reviewers who read reports with their own credentials need kms:Decrypt on it',
    });
  }
}
