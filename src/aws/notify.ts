/**
 * The "report ready" message. It carries where the report is, never a credential to it: the S3
 * console link of each report file and the `aws s3 cp` command, which reviewers open with their
 * own sign-in, and, when the deployment has one, the IAM-authenticated download endpoint that
 * mints a short-lived link on request. (A presigned URL in an e-mail is a bearer credential to
 * incident data, and one signed with a Lambda's temporary credentials dies with them, in hours.)
 */

export interface ReportLocation {
  /** The artifacts bucket. */
  bucket: string;
  /** The bucket's Region (the console opens the object there). */
  region: string;
  /** The download endpoint (a Lambda Function URL), if deployed. */
  downloadEndpoint?: string;
}

export interface ReportRun {
  runId: string;
  reportKeys: string[];
  documents: number;
  failed: number;
}

export interface ReportReadyMessage {
  subject: string;
  body: string;
  /** The S3 console link of the HTML report, or null when the run wrote none. */
  consoleUrl: string | null;
  /** The command that copies the HTML report here, or null. */
  copyCommand: string | null;
}

/** The S3 console page of one object (the reviewer signs in with their own account and role). */
export function consoleUrlOf(location: Pick<ReportLocation, 'bucket' | 'region'>, key: string): string {
  const query = new URLSearchParams({ region: location.region, bucketType: 'general', prefix: key });
  return `https://console.aws.amazon.com/s3/object/${encodeURIComponent(location.bucket)}?${query.toString()}`;
}

/** The S3 console page of a folder. */
export function consoleFolderUrlOf(location: Pick<ReportLocation, 'bucket' | 'region'>, prefix: string): string {
  const query = new URLSearchParams({ region: location.region, bucketType: 'general', prefix });
  return `https://console.aws.amazon.com/s3/buckets/${encodeURIComponent(location.bucket)}?${query.toString()}`;
}

/** A shell word: quoted when it holds anything but safe characters. */
function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `aws s3 cp s3://<bucket>/<key> .` (with the Region, so it works from any profile). */
export function copyCommandOf(location: Pick<ReportLocation, 'bucket' | 'region'>, key: string): string {
  return `aws s3 cp ${shellWord(`s3://${location.bucket}/${key}`)} . --region ${shellWord(location.region)}`;
}

/**
 * The endpoint's link for one key. A request signed with the reviewer's credentials answers with JSON
 * holding a 5-minute link; add `redirect=true` to be sent to that link instead.
 */
export function downloadLinkOf(endpoint: string, key: string): string {
  const url = new URL(endpoint);
  url.searchParams.set('key', key);
  return url.toString();
}

export function reportReadyMessage(location: ReportLocation, run: ReportRun): ReportReadyMessage {
  const htmlKey = run.reportKeys.find((key) => key.endsWith('.html')) ?? null;
  const folder = htmlKey ? htmlKey.slice(0, htmlKey.lastIndexOf('/') + 1) : null;
  const consoleUrl = htmlKey ? consoleUrlOf(location, htmlKey) : null;
  const copyCommand = htmlKey ? copyCommandOf(location, htmlKey) : null;
  const lines = [
    `The postmortem-lens report of run ${run.runId} is ready: ${run.documents} documents analysed, ${run.failed} failed.`,
    '',
  ];
  if (htmlKey && consoleUrl && copyCommand) {
    lines.push(
      'Open it in the S3 console (sign in with your own AWS account and role):',
      consoleUrl,
      '',
      'Or copy it with the AWS CLI:',
      copyCommand,
    );
    if (folder)
      lines.push(
        `(the whole report, with its per-incident pages: aws s3 cp ${shellWord(`s3://${location.bucket}/${folder}`)} ./report --recursive --region ${shellWord(location.region)})`,
      );
    if (location.downloadEndpoint)
      lines.push(
        '',
        'Or download it through the IAM-authenticated endpoint (sign the request with your credentials, e.g. awscurl --service lambda; it answers with a link valid for 5 minutes):',
        downloadLinkOf(location.downloadEndpoint, htmlKey),
      );
  } else {
    lines.push('The run wrote no HTML report.');
  }
  lines.push(
    '',
    `Report objects in s3://${location.bucket}/:`,
    ...run.reportKeys.map((key) => `- ${key}`),
    '',
    'This message holds no link that works without signing in.',
  );
  return { subject: `postmortem-lens report ${run.runId} ready`, body: lines.join('\n'), consoleUrl, copyCommand };
}
