/**
 * The report download endpoint (context `downloadEndpoint: true`): a reviewer sends a request
 * signed with their own AWS credentials to an IAM-authenticated Lambda Function URL, and gets back
 * a link to one report file that works for 5 minutes. Nothing long-lived travels by e-mail: the
 * "report ready" message names the endpoint and the file, and the link is minted on request.
 *
 * The link is a presigned GetObject signed with the endpoint function's role, which may read
 * report files only (`report/*` and `runs/*\/report/*`), so the link cannot reach anything else
 * whatever the request asks for. Requests are checked here as well, for a clear answer:
 *
 * | query             | file |
 * |-------------------|------|
 * | (none)            | `report/report.html`, the latest report of the whole corpus |
 * | `file=report.md`  | that file of the latest report (any key under `report/`) |
 * | `run=<runId>`     | `runs/<runId>/report/report.html`, the report a run wrote (kept 30 days) |
 * | `run=<runId>&file=digests.csv` | that file of the run's report |
 * | `key=<key>`       | the key itself, if it lies under `report/` or `runs/<runId>/report/` (the link in "report ready") |
 *
 * The answer is JSON `{ url, key, expiresAt, expiresInSeconds }`, or with `redirect=true` a 302
 * to the link. A presigned link is also bounded by the credentials that signed it: the function's
 * role session outlives 5 minutes, so the link lives its 5 minutes.
 */
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { PostmortemLensError } from '../errors.ts';
import { layout } from '../run/layout.ts';

/** How long a minted link works. */
export const DOWNLOAD_LINK_SECONDS = 300;

/** The report file sent when the request names none. */
export const DEFAULT_REPORT_FILE = 'report.html';

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const RUN_REPORT_KEY = /^runs\/([^/]+)\/report\/(.+)$/;

export interface DownloadQuery {
  key?: string;
  run?: string;
  file?: string;
  redirect?: string;
}

/** A request the endpoint refuses, with the HTTP status it answers. */
export class DownloadRequestError extends PostmortemLensError {
  override readonly name = 'DownloadRequestError';
  constructor(
    readonly statusCode: 400 | 404 | 405,
    message: string,
  ) {
    super(message);
  }
}

/** A relative path of report files: no empty, `.` or `..` segment, no backslash or control character. */
function isSafeRelativePath(path: string): boolean {
  return (
    path.length > 0 &&
    path.length <= 512 &&
    !path.includes('\\') &&
    ![...path].some((character) => character.charCodeAt(0) < 0x20) &&
    path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..')
  );
}

/** The report key a request asks for; throws DownloadRequestError (400) for anything outside the report folders. */
export function reportKeyFor(query: DownloadQuery): string {
  if (query.key !== undefined) {
    if (query.run !== undefined || query.file !== undefined)
      throw new DownloadRequestError(400, 'give either key, or run and/or file, not both');
    const runReport = RUN_REPORT_KEY.exec(query.key);
    const valid = runReport
      ? RUN_ID.test(runReport[1] ?? '') && isSafeRelativePath(runReport[2] ?? '')
      : query.key.startsWith(layout.latestReport) && isSafeRelativePath(query.key.slice(layout.latestReport.length));
    if (!valid)
      throw new DownloadRequestError(
        400,
        `only report files can be downloaded: a key under ${layout.latestReport} or runs/<runId>/report/`,
      );
    return query.key;
  }
  const file = query.file ?? DEFAULT_REPORT_FILE;
  if (!isSafeRelativePath(file))
    throw new DownloadRequestError(400, 'file must be a path inside the report folder, such as report.md');
  if (query.run === undefined) return `${layout.latestReport}${file}`;
  if (!RUN_ID.test(query.run)) throw new DownloadRequestError(400, 'run must be a run id');
  return `${layout.runReport(query.run)}${file}`;
}

export interface DownloadLink {
  url: string;
  key: string;
  /** ISO time after which the link no longer works. */
  expiresAt: string;
  expiresInSeconds: number;
}

export interface MintOptions {
  client: S3Client;
  bucket: string;
  /** @default DOWNLOAD_LINK_SECONDS (300) */
  expiresInSeconds?: number;
  /** The signing time (tests). @default now */
  now?: Date;
}

function isMissing(error: unknown): boolean {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  // Without s3:ListBucket (the endpoint has none), S3 answers a missing key with 403.
  return name === 'NotFound' || name === 'NoSuchKey' || [403, 404].includes($metadata?.httpStatusCode ?? 0);
}

/**
 * A presigned GET for a report file that exists: 404 (DownloadRequestError) when it does not, or
 * when the role may not read it.
 */
export async function mintDownloadLink(key: string, options: MintOptions): Promise<DownloadLink> {
  const expiresInSeconds = options.expiresInSeconds ?? DOWNLOAD_LINK_SECONDS;
  const now = options.now ?? new Date();
  try {
    await options.client.send(new HeadObjectCommand({ Bucket: options.bucket, Key: key }));
  } catch (error) {
    if (isMissing(error)) throw new DownloadRequestError(404, `no report file ${key} (a run's report is kept 30 days)`);
    throw error;
  }
  const url = await getSignedUrl(options.client, new GetObjectCommand({ Bucket: options.bucket, Key: key }), {
    expiresIn: expiresInSeconds,
    signingDate: now,
  });
  return {
    url,
    key,
    expiresAt: new Date(now.getTime() + expiresInSeconds * 1000).toISOString(),
    expiresInSeconds,
  };
}

/** The parts of a Lambda Function URL event (payload format 2.0) the endpoint reads. */
export interface FunctionUrlRequest {
  requestContext?: { http?: { method?: string } };
  queryStringParameters?: Record<string, string | undefined> | null;
}

export interface FunctionUrlResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };

/** One request to the endpoint: a link (JSON, or a redirect), or an error with its status. Never logs or returns report content. */
export async function answerDownloadRequest(
  request: FunctionUrlRequest,
  options: MintOptions,
): Promise<FunctionUrlResponse> {
  try {
    const method = request.requestContext?.http?.method ?? 'GET';
    if (method !== 'GET') throw new DownloadRequestError(405, 'only GET is answered');
    const query = request.queryStringParameters ?? {};
    const key = reportKeyFor({ key: query.key, run: query.run, file: query.file });
    const link = await mintDownloadLink(key, options);
    if (query.redirect === 'true' || query.redirect === '1')
      return { statusCode: 302, headers: { location: link.url, 'cache-control': 'no-store' }, body: '' };
    return { statusCode: 200, headers: JSON_HEADERS, body: JSON.stringify(link) };
  } catch (error) {
    if (error instanceof DownloadRequestError)
      return { statusCode: error.statusCode, headers: JSON_HEADERS, body: JSON.stringify({ error: error.message }) };
    throw error;
  }
}
