/**
 * A Lambda function of the pipeline: a NodejsFunction with the project's defaults (esbuild ESM
 * bundle, arm64, current Node.js runtime, active tracing, its own log group with retention, its
 * own role with no managed policy, no source maps unless asked) and bind helpers that grant
 * access in one call: S3 by key prefix and action, DynamoDB by action, Bedrock by model. When a
 * bucket, table or topic is encrypted with a customer-managed key, the same helpers grant the KMS
 * actions those calls need on that key, through that service only (infra/constructs/encryption.ts).
 */
import path from 'node:path';
import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { MODEL_ARN } from '../config.ts';
import { acknowledge, objectsReason, REASONS, wildcardResource } from '../nag.ts';
import { grantKeyUse, KEY_ACTIONS } from './encryption.ts';

/** The repository root: handlers live in lambdas/, their run-time files in prompts/ and config/. */
export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..', '..');

/** The newest Node.js Lambda runtime (nodejs20.x is deprecated). */
export const NODE_RUNTIME = lambda.Runtime.NODEJS_24_X;

/**
 * Where the bundle sits inside the asset. The library finds prompts/ and config/ two folders up
 * from its module (`new URL('../../prompts/', import.meta.url)`), so the bundle goes two folders
 * deep and those folders are copied to the asset's root, next to it.
 */
const BUNDLE_FOLDER = 'dist/handler';
const RUNTIME_FOLDERS = ['prompts', 'config'];

export interface PipelineFunctionProps extends Omit<
  NodejsFunctionProps,
  'entry' | 'handler' | 'role' | 'logGroup' | 'logRetention'
> {
  /** The handler file, relative to the project root (e.g. `lambdas/summarize.ts`); it exports `handler`. */
  readonly entry: string;
  /** @default one month */
  readonly logRetention?: logs.RetentionDays;
  /** @default RemovalPolicy.DESTROY (the logs hold ids and counts only) */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** Encrypts the function's log group (the key's policy must admit CloudWatch Logs). @default CloudWatch Logs' own encryption */
  readonly logEncryptionKey?: kms.IKey;
  /** @default the repository root */
  readonly projectRoot?: string;
  /**
   * Bundle a source map and run with `--enable-source-maps`: readable stack traces, at 2-4 MB more
   * per function and a slower cold start (Node.js parses the map when the first error is printed).
   * @default the context flag `sourceMaps` (`-c sourceMaps=true`), else false
   */
  readonly sourceMaps?: boolean;
}

/** What a function may do with the objects of one bucket, by key pattern (`docs/*`, `runs/*\/patterns.json`). */
export interface ObjectAccess {
  /** s3:GetObject on these key patterns. */
  readonly read?: readonly string[];
  /** s3:PutObject on these key patterns. */
  readonly write?: readonly string[];
  /** s3:DeleteObject (single deletes and DeleteObjects batches) on these key patterns. */
  readonly delete?: readonly string[];
  /**
   * s3:ListBucket for listings under these prefixes (`docs/`). Holding ListBucket is also what makes
   * S3 answer a read of a missing key with 404 (a cache miss) rather than 403, so a function whose
   * reads may miss lists the prefixes it reads.
   */
  readonly list?: readonly string[];
}

/** DynamoDB actions the state store uses (src/store/dynamodb-item-table.ts): no Scan, no batch writes. */
export type TableAction = 'GetItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'Query';
export const TABLE_ACCESS: Readonly<Record<'read' | 'readWrite', readonly TableAction[]>> = {
  read: ['GetItem', 'Query'],
  readWrite: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query'],
};

export class PipelineFunction extends NodejsFunction {
  /** The role of this function alone: no managed policy, only what the bind helpers grant. */
  declare readonly role: iam.IRole;
  readonly functionLogGroup: logs.ILogGroup;

  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    const {
      entry,
      projectRoot = PROJECT_ROOT,
      logRetention,
      logRemovalPolicy,
      logEncryptionKey,
      bundling,
      environment,
      sourceMaps = scope.node.tryGetContext('sourceMaps') === true || scope.node.tryGetContext('sourceMaps') === 'true',
      ...functionProps
    } = props;
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: logRemovalPolicy ?? RemovalPolicy.DESTROY,
      encryptionKey: logEncryptionKey,
    });
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${id} function of postmortem-lens`,
    });
    super(scope, id, {
      runtime: NODE_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      tracing: lambda.Tracing.ACTIVE,
      memorySize: 1024,
      timeout: Duration.minutes(5),
      ...functionProps,
      entry: path.join(projectRoot, entry),
      handler: `${BUNDLE_FOLDER}/index.handler`,
      projectRoot,
      depsLockFilePath: path.join(projectRoot, 'package-lock.json'),
      role,
      logGroup,
      environment: { ...(sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}), ...environment },
      bundling: {
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        // CommonJS dependencies bundled into an ES module still call require().
        banner:
          "import { createRequire as __pmlensCreateRequire } from 'node:module'; const require = __pmlensCreateRequire(import.meta.url);",
        bundleAwsSDK: true,
        minify: true,
        keepNames: true,
        sourceMap: sourceMaps,
        sourcesContent: false,
        tsconfig: path.join(projectRoot, 'tsconfig.json'),
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir: string, outputDir: string) => [
            `mkdir -p "${outputDir}/${BUNDLE_FOLDER}"`,
            `mv "${outputDir}/index.mjs" "${outputDir}/${BUNDLE_FOLDER}/"`,
            `if [ -f "${outputDir}/index.mjs.map" ]; then mv "${outputDir}/index.mjs.map" "${outputDir}/${BUNDLE_FOLDER}/"; fi`,
            ...RUNTIME_FOLDERS.map((folder) => `cp -R "${inputDir}/${folder}" "${outputDir}/${folder}"`),
          ],
        },
        ...bundling,
      },
    });
    this.functionLogGroup = logGroup;
    logGroup.grantWrite(role);
    acknowledge(role, REASONS.xray, wildcardResource(this, '*'));
  }

  /** Read objects of a bucket: the configuration objects (exact keys), or the keys matching a pattern. */
  bindRead(bucket: s3.IBucket, keyPattern: string): this {
    return this.bindObjects(bucket, { read: [keyPattern] });
  }

  /** Exactly the object actions of `access` on exactly its key patterns; no action wildcard. */
  bindObjects(bucket: s3.IBucket, access: ObjectAccess): this {
    const objects = (actions: string[], patterns: readonly string[] | undefined) => {
      if (!patterns || patterns.length === 0) return;
      const resourceArns = [...new Set(patterns)].map((pattern) => bucket.arnForObjects(pattern));
      iam.Grant.addToPrincipal({ grantee: this, actions, resourceArns });
      for (const pattern of new Set(patterns))
        if (pattern.includes('*'))
          acknowledge(this.role, objectsReason(pattern), wildcardResource(this, bucket.arnForObjects(pattern)));
    };
    objects(['s3:GetObject'], access.read);
    objects(['s3:PutObject'], access.write);
    objects(['s3:DeleteObject'], access.delete);
    grantKeyUse(
      this,
      bucket.encryptionKey,
      [
        ...(access.read?.length ? KEY_ACTIONS.objectRead : []),
        ...(access.write?.length ? KEY_ACTIONS.objectWrite : []),
      ],
      's3',
    );
    if (access.list && access.list.length > 0) {
      // IfExists: a listing must name one of these prefixes; the existence check S3 makes for a
      // missing key (404 rather than 403) carries no prefix and passes.
      this.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          conditions: { StringLikeIfExists: { 's3:prefix': [...new Set(access.list)].map((prefix) => `${prefix}*`) } },
        }),
      );
    }
    return this;
  }

  /** Items of a table, with only the actions named ('read': GetItem and Query; 'readWrite': those, PutItem, UpdateItem, DeleteItem). */
  bindTable(table: dynamodb.ITable, access: 'read' | 'readWrite' | readonly TableAction[]): this {
    const actions = typeof access === 'string' ? TABLE_ACCESS[access] : access;
    iam.Grant.addToPrincipal({
      grantee: this,
      actions: [...new Set(actions)].map((action) => `dynamodb:${action}`),
      resourceArns: [table.tableArn],
    });
    const writes = actions.some((action) => action !== 'GetItem' && action !== 'Query');
    grantKeyUse(this, table.encryptionKey, writes ? KEY_ACTIONS.tableWrite : KEY_ACTIONS.tableRead, 'dynamodb');
    return this;
  }

  /**
   * Publish to a topic. sns:Publish, and under a customer-managed key kms:GenerateDataKey and
   * kms:Decrypt on that key through SNS. An AWS managed SNS key (alias/aws/sns) lets any principal
   * of the account use it through SNS, so the KMS grant of topic.grantPublish (on every key of the
   * account, for an imported alias) is not needed.
   */
  bindPublish(topic: sns.ITopic): this {
    iam.Grant.addToPrincipal({ grantee: this, actions: ['sns:Publish'], resourceArns: [topic.topicArn] });
    grantKeyUse(this, topic.masterKey, KEY_ACTIONS.publish, 'sns');
    return this;
  }

  /** Call the Converse API (bedrock:InvokeModel) on these models only. */
  bindModels(modelIds: readonly string[]): this {
    for (const statement of bedrockInvokeStatements(Stack.of(this), modelIds)) {
      this.addToRolePolicy(statement);
      for (const resource of statement.resources.filter((value) => value.includes('*'))) {
        acknowledge(
          this.role,
          resource.endsWith('foundation-model/*') ? REASONS.applicationProfileModels : REASONS.crossRegionModel,
          wildcardResource(this, resource),
        );
      }
    }
    return this;
  }
}

/** Prefixes of cross-Region (system-defined) inference-profile ids. */
const INFERENCE_PROFILE_PREFIX = /^(us|us-gov|eu|apac|jp|au|ca|global)\./;

export function isInferenceProfileId(modelId: string): boolean {
  return INFERENCE_PROFILE_PREFIX.test(modelId);
}

/**
 * bedrock:InvokeModel (which the Converse API authorizes) on exactly the configured models.
 * A foundation-model id is allowed in this Region. A cross-Region inference-profile id needs the
 * profile in this account and Region, and the foundation model it routes to in every destination
 * Region (`arn:aws:bedrock:*::foundation-model/<model id>`), the latter only through that profile
 * (condition bedrock:InferenceProfileArn), as Bedrock's cross-Region inference documentation
 * prescribes.
 */
export function bedrockInvokeStatements(stack: Stack, modelIds: readonly string[]): iam.PolicyStatement[] {
  const statements: iam.PolicyStatement[] = [];
  const arns = [...new Set(modelIds.filter((modelId) => MODEL_ARN.test(modelId)))];
  for (const arn of arns) statements.push(...modelArnStatements(arn));
  const ids = modelIds.filter((modelId) => !MODEL_ARN.test(modelId));
  const foundationModels = [...new Set(ids.filter((modelId) => !isInferenceProfileId(modelId)))];
  if (foundationModels.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        actions: ['bedrock:InvokeModel'],
        resources: foundationModels.map(
          (modelId) => `arn:${Aws.PARTITION}:bedrock:${stack.region}::foundation-model/${modelId}`,
        ),
      }),
    );
  }
  for (const profileId of new Set(ids.filter(isInferenceProfileId))) {
    const profileArn = `arn:${Aws.PARTITION}:bedrock:${stack.region}:${stack.account}:inference-profile/${profileId}`;
    statements.push(...profileStatements(profileArn, profileId.replace(INFERENCE_PROFILE_PREFIX, '')));
  }
  return statements;
}

/** The profile itself, and the foundation model it routes to in any Region, only through that profile. */
function profileStatements(profileArn: string, foundationModel: string): iam.PolicyStatement[] {
  const partition = profileArn.split(':')[1] ?? Aws.PARTITION;
  return [
    new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: [profileArn] }),
    new iam.PolicyStatement({
      actions: ['bedrock:InvokeModel'],
      resources: [`arn:${partition}:bedrock:*::foundation-model/${foundationModel}`],
      conditions: { StringEquals: { 'bedrock:InferenceProfileArn': profileArn } },
    }),
  ];
}

/**
 * A model given by ARN. A foundation-model ARN is allowed as it is. A system inference-profile ARN
 * names its model (the id after the geography prefix). An application inference profile's ARN does
 * not name the model it wraps: the foundation models are allowed only through that profile
 * (condition bedrock:InferenceProfileArn), which is how cost is tagged per stage.
 */
function modelArnStatements(arn: string): iam.PolicyStatement[] {
  const [, , , kind, resourceId] = MODEL_ARN.exec(arn) ?? [];
  if (kind === 'foundation-model')
    return [new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: [arn] })];
  if (kind === 'inference-profile')
    return profileStatements(arn, (resourceId ?? '').replace(INFERENCE_PROFILE_PREFIX, ''));
  return profileStatements(arn, '*');
}
