/**
 * The optional report download endpoint (context `downloadEndpoint: true`): a Lambda function
 * behind a Function URL with `AuthType: AWS_IAM`, so Lambda answers only requests signed with AWS
 * credentials that may invoke it; there is no public access. On such a request it mints a
 * 5-minute presigned GET for a report file (src/aws/download.ts); its role may read report files
 * only (`report/*`, `runs/*\/report/*`), so the links it signs can reach nothing else.
 *
 * Reviewers need `lambda:InvokeFunctionUrl` and (for function URLs created since October 2025)
 * `lambda:InvokeFunction` on the function: the managed policy `ReviewerPolicy` holds exactly those,
 * to attach to their role or group. The Notify function learns the endpoint and names it in
 * "report ready".
 */
import { CfnOutput, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DOWNLOAD_LINK_SECONDS } from '../../src/aws/download.ts';
import { PipelineFunction, type PipelineFunctionProps } from './pipeline-function.ts';

/** The only objects the endpoint may read: the latest report and the reports runs wrote. */
export const DOWNLOAD_READ_PATTERNS = ['report/*', 'runs/*/report/*'] as const;

/** The Notify function's variable that carries the endpoint. */
export const DOWNLOAD_URL_VARIABLE = 'PMLENS_REPORT_DOWNLOAD_URL';

export interface ReportDownloadProps {
  readonly artifactsBucket: s3.IBucket;
  /** Told the endpoint's URL, which it puts in "report ready". @default none */
  readonly notify?: lambda.Function;
  /** How long a minted link works. @default 5 minutes */
  readonly linkLifetime?: Duration;
  /** Overrides for the function (log retention, log encryption key, bundling). */
  readonly functionProps?: Partial<PipelineFunctionProps>;
}

export class ReportDownload extends Construct {
  readonly handler: PipelineFunction;
  readonly functionUrl: lambda.FunctionUrl;
  /** Attach to reviewers' roles or groups: invoke this endpoint, nothing else. */
  readonly reviewerPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: ReportDownloadProps) {
    super(scope, id);
    const linkSeconds = (props.linkLifetime ?? Duration.seconds(DOWNLOAD_LINK_SECONDS)).toSeconds();
    this.handler = new PipelineFunction(this, 'Handler', {
      entry: 'lambdas/download.ts',
      description: `postmortem-lens: mints a ${linkSeconds}-second link to a report file for a signed request`,
      // One HEAD request and one signature: the smallest size that loads the bundle quickly.
      memorySize: 256,
      timeout: Duration.seconds(10),
      ...props.functionProps,
      environment: {
        PMLENS_ARTIFACTS_BUCKET: props.artifactsBucket.bucketName,
        PMLENS_DOWNLOAD_LINK_SECONDS: String(linkSeconds),
        ...props.functionProps?.environment,
      },
    }).bindObjects(props.artifactsBucket, { read: [...DOWNLOAD_READ_PATTERNS] });
    this.functionUrl = this.handler.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });

    this.reviewerPolicy = new iam.ManagedPolicy(this, 'ReviewerPolicy', {
      description: 'postmortem-lens: call the report download endpoint (a 5-minute link to a report file)',
      statements: [
        new iam.PolicyStatement({
          actions: ['lambda:InvokeFunctionUrl'],
          resources: [this.handler.functionArn],
          conditions: { StringEquals: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' } },
        }),
        new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.handler.functionArn] }),
      ],
    });
    props.notify?.addEnvironment(DOWNLOAD_URL_VARIABLE, this.functionUrl.url);

    new CfnOutput(this, 'Url', {
      value: this.functionUrl.url,
      description:
        'Report download endpoint (sign requests with SigV4, service "lambda"); ?run=<runId>&file=report.html',
    });
    new CfnOutput(this, 'ReviewerPolicyArn', {
      value: this.reviewerPolicy.managedPolicyArn,
      description: "Attach to reviewers' roles: may call the report download endpoint",
    });
  }
}
