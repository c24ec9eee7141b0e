/**
 * The buckets: input (postmortems, versioned), artifacts (manifests, cache, results, reports) and
 * the server access log bucket both write to. All encrypted, TLS only, no public access.
 *
 * Lifecycle of the artifacts bucket (README, "Lifecycle"): what a run leaves behind expires, the
 * current corpus never does.
 *
 * | prefix     | holds                                                   | expires |
 * |------------|---------------------------------------------------------|---------|
 * | `runs/`    | a run's manifests, fold intermediates and report copy   | RUN_RETENTION_DAYS (30) after written, with the run's state items |
 * | `results/` | the Distributed Map's result files (read by nobody)     | 14 days |
 * | `cache/`   | content-addressed stage results (never rewritten on a hit) | 180 days: an expired entry only costs a recomputation |
 * | `docs/`, `report/`, `review/`, configuration objects | the current corpus, the latest report, the catalog and metadata | never |
 *
 * Every object: noncurrent versions after 30 days (should versioning be turned on), incomplete
 * multipart uploads after 7 days.
 *
 * Encryption: SSE-S3 by default; given a customer-managed key (context `customerManagedKey`), the
 * input and artifacts buckets use SSE-KMS with S3 Bucket Keys (S3 asks KMS for a bucket-level key
 * now and then, not for every object: fewer KMS calls and less cost). The access log bucket stays
 * SSE-S3, the only default encryption S3 server access logging delivers to.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { RUN_RETENTION_DAYS } from '../../src/store/state-store.ts';

/** Prefixes of the artifacts bucket whose objects expire (see the table above). */
export const EXPIRING_PREFIXES = ['runs/', 'results/', 'cache/'] as const;

export interface StorageProps {
  /** @default RemovalPolicy.RETAIN: postmortems and reports outlive the stack */
  readonly removalPolicy?: RemovalPolicy;
  /** @default 365 days */
  readonly accessLogRetention?: Duration;
  /** Noncurrent versions of input objects expire after this. @default 90 days */
  readonly noncurrentVersionRetention?: Duration;
  /** Objects under runs/ (manifests, fold intermediates, per-run report copies). @default RUN_RETENTION_DAYS (30 days), as the run records */
  readonly runRetention?: Duration;
  /** The Distributed Map's result files under results/. @default 14 days */
  readonly mapResultRetention?: Duration;
  /** Stage results under cache/, counted from their write (a cache hit does not rewrite them). @default 180 days */
  readonly cacheRetention?: Duration;
  /** Keys of the artifacts bucket that must never expire (the catalog and metadata objects): synthesis fails if one lies under an expiring prefix. */
  readonly keptKeys?: readonly string[];
  /** Encrypts the input and artifacts buckets (SSE-KMS with bucket keys). @default SSE-S3 */
  readonly encryptionKey?: kms.IKey;
}

export class Storage extends Construct {
  readonly inputBucket: s3.IBucket;
  readonly artifactsBucket: s3.IBucket;
  readonly accessLogsBucket: s3.IBucket;

  constructor(scope: Construct, id: string, props: StorageProps = {}) {
    super(scope, id);
    for (const key of props.keptKeys ?? []) {
      const prefix = EXPIRING_PREFIXES.find((expiring) => key.startsWith(expiring));
      if (prefix)
        throw new Error(
          `the artifacts key ${key} lies under ${prefix}, whose objects expire: keep configuration objects elsewhere`,
        );
    }
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
    const data: s3.BucketProps = props.encryptionKey
      ? { ...secure, encryption: s3.BucketEncryption.KMS, encryptionKey: props.encryptionKey, bucketKeyEnabled: true }
      : secure;
    this.inputBucket = new s3.Bucket(this, 'Input', {
      ...data,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'input/',
      lifecycleRules: [{ noncurrentVersionExpiration: props.noncurrentVersionRetention ?? Duration.days(90) }],
    });
    this.artifactsBucket = new s3.Bucket(this, 'Artifacts', {
      ...data,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'artifacts/',
      lifecycleRules: [
        {
          id: 'every-object',
          abortIncompleteMultipartUploadAfter: Duration.days(7),
          noncurrentVersionExpiration: Duration.days(30),
        },
        { id: 'run-objects', prefix: 'runs/', expiration: props.runRetention ?? Duration.days(RUN_RETENTION_DAYS) },
        { id: 'map-results', prefix: 'results/', expiration: props.mapResultRetention ?? Duration.days(14) },
        { id: 'stage-cache', prefix: 'cache/', expiration: props.cacheRetention ?? Duration.days(180) },
      ],
    });
  }
}
