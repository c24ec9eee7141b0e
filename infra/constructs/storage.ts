/**
 * The buckets: input (postmortems, versioned), artifacts (manifests, cache, results, reports) and
 * the server access log bucket both write to. All encrypted, TLS only, no public access.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface StorageProps {
  /** @default RemovalPolicy.RETAIN: postmortems and reports outlive the stack */
  readonly removalPolicy?: RemovalPolicy;
  /** @default 365 days */
  readonly accessLogRetention?: Duration;
  /** Noncurrent versions of input objects expire after this. @default 90 days */
  readonly noncurrentVersionRetention?: Duration;
}

export class Storage extends Construct {
  readonly inputBucket: s3.IBucket;
  readonly artifactsBucket: s3.IBucket;
  readonly accessLogsBucket: s3.IBucket;

  constructor(scope: Construct, id: string, props: StorageProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const secure = {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy,
    } satisfies s3.BucketProps;

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      ...secure,
      lifecycleRules: [{ expiration: props.accessLogRetention ?? Duration.days(365) }],
    });
    this.inputBucket = new s3.Bucket(this, 'Input', {
      ...secure,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'input/',
      lifecycleRules: [{ noncurrentVersionExpiration: props.noncurrentVersionRetention ?? Duration.days(90) }],
    });
    this.artifactsBucket = new s3.Bucket(this, 'Artifacts', {
      ...secure,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'artifacts/',
      lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(7) }],
    });
  }
}
