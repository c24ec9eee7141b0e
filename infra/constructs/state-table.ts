/**
 * The state table: documents, runs, source claims and votes under generic pk/sk string keys.
 * DynamoDB TTL deletes run and lock items some time after their `expiresAt` (see
 * src/store/state-store.ts); the corpus index, the queue, votes and the redaction mapping carry no
 * `expiresAt` and never expire.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { EXPIRES_AT } from '../../src/store/state-store.ts';

export interface StateTableProps {
  /** @default true */
  readonly pointInTimeRecovery?: boolean;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** Encrypts the table (and its backups) with this customer-managed key. @default the AWS managed key of DynamoDB */
  readonly encryptionKey?: kms.IKey;
}

export class StateTable extends Construct {
  readonly table: dynamodb.ITable;

  constructor(scope: Construct, id: string, props: StateTableProps = {}) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      ...(props.encryptionKey
        ? { encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: props.encryptionKey }
        : { encryption: dynamodb.TableEncryption.AWS_MANAGED }),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: props.pointInTimeRecovery ?? true },
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      timeToLiveAttribute: EXPIRES_AT,
    });
  }
}
