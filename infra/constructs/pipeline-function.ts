/**
 * A Lambda function of the pipeline: a NodejsFunction with the project's defaults (esbuild ESM
 * bundle, arm64, current Node.js runtime, active tracing, its own log group with retention, its
 * own role with no managed policy) and bind helpers that grant access in one call.
 */
import path from 'node:path';
import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { acknowledge, REASONS, wildcardAction, wildcardResource } from '../nag.ts';

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
  /** @default the repository root */
  readonly projectRoot?: string;
}

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
      bundling,
      environment,
      ...functionProps
    } = props;
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: logRemovalPolicy ?? RemovalPolicy.DESTROY,
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
      environment: { NODE_OPTIONS: '--enable-source-maps', ...environment },
      bundling: {
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        // CommonJS dependencies bundled into an ES module still call require().
        banner:
          "import { createRequire as __pmlensCreateRequire } from 'node:module'; const require = __pmlensCreateRequire(import.meta.url);",
        bundleAwsSDK: true,
        minify: true,
        keepNames: true,
        sourceMap: true,
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

  /** Read the objects of a bucket (all of it, or the keys matching a pattern). */
  bindRead(bucket: s3.IBucket, keyPattern = '*'): this {
    bucket.grantRead(this, keyPattern);
    acknowledge(
      this.role,
      REASONS.s3ReadActions,
      ...['s3:GetObject*', 's3:GetBucket*', 's3:List*'].map(wildcardAction),
    );
    this.acknowledgeObjects(bucket, keyPattern);
    return this;
  }

  /** Read and write (never delete) the objects of a bucket. */
  bindReadWrite(bucket: s3.IBucket, keyPattern = '*'): this {
    this.bindRead(bucket, keyPattern);
    bucket.grantPut(this, keyPattern);
    acknowledge(this.role, REASONS.s3PutActions, wildcardAction('s3:Abort*'));
    return this;
  }

  /** Delete objects of a bucket under a key pattern (a document's outputs when its source goes). */
  bindDelete(bucket: s3.IBucket, keyPattern: string): this {
    bucket.grantDelete(this, keyPattern);
    acknowledge(this.role, REASONS.s3DeleteActions, wildcardAction('s3:DeleteObject*'));
    this.acknowledgeObjects(bucket, keyPattern);
    return this;
  }

  /** Read (and write) the items of a table. */
  bindTable(table: dynamodb.ITable, access: 'read' | 'readWrite'): this {
    if (access === 'read') table.grantReadData(this);
    else table.grantReadWriteData(this);
    return this;
  }

  /**
   * Publish to a topic. sns:Publish only: an AWS managed SNS key (alias/aws/sns) lets any principal
   * of the account use it through SNS, so the KMS grant of topic.grantPublish (on every key of the
   * account, for an imported alias) is not needed.
   */
  bindPublish(topic: sns.ITopic): this {
    iam.Grant.addToPrincipal({ grantee: this, actions: ['sns:Publish'], resourceArns: [topic.topicArn] });
    return this;
  }

  /** Call the Converse API (bedrock:InvokeModel) on these models only. */
  bindModels(modelIds: readonly string[]): this {
    for (const statement of bedrockInvokeStatements(Stack.of(this), modelIds)) {
      this.addToRolePolicy(statement);
      for (const resource of statement.resources.filter((value) => value.includes('*'))) {
        acknowledge(
          this.role,
          'Cross-Region inference routes a request to the model in any destination Region of the profile, so the foundation model is allowed in every Region, and only through the configured inference profile (condition bedrock:InferenceProfileArn).',
          wildcardResource(this, resource),
        );
      }
    }
    return this;
  }

  private acknowledgeObjects(bucket: s3.IBucket, keyPattern: string): void {
    if (keyPattern.includes('*'))
      acknowledge(this.role, REASONS.s3Objects, wildcardResource(this, bucket.arnForObjects(keyPattern)));
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
  const foundationModels = [...new Set(modelIds.filter((modelId) => !isInferenceProfileId(modelId)))];
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
  for (const profileId of new Set(modelIds.filter(isInferenceProfileId))) {
    const profileArn = `arn:${Aws.PARTITION}:bedrock:${stack.region}:${stack.account}:inference-profile/${profileId}`;
    statements.push(
      new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: [profileArn] }),
      new iam.PolicyStatement({
        actions: ['bedrock:InvokeModel'],
        resources: [
          `arn:${Aws.PARTITION}:bedrock:*::foundation-model/${profileId.replace(INFERENCE_PROFILE_PREFIX, '')}`,
        ],
        conditions: { StringEquals: { 'bedrock:InferenceProfileArn': profileArn } },
      }),
    );
  }
  return statements;
}
