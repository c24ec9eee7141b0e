/** The report download endpoint (IAM-authenticated Function URL): a signed request gets a 5-minute link to one report file. */
import { answerDownloadRequest, DOWNLOAD_LINK_SECONDS, type FunctionUrlRequest } from '../src/aws/download.ts';
import { ConfigurationError } from '../src/errors.ts';
import { createS3Client } from '../src/store/s3-object-store.ts';
import { logger, tracer } from './shared/powertools.ts';

const s3 = tracer.captureAWSv3Client(createS3Client({ endpoint: process.env.S3_ENDPOINT }));

export async function handler(event: FunctionUrlRequest) {
  const bucket = process.env.PMLENS_ARTIFACTS_BUCKET;
  if (!bucket) throw new ConfigurationError('the environment variable PMLENS_ARTIFACTS_BUCKET is not set');
  const response = await answerDownloadRequest(event, {
    client: s3,
    bucket,
    expiresInSeconds: Number(process.env.PMLENS_DOWNLOAD_LINK_SECONDS) || DOWNLOAD_LINK_SECONDS,
  });
  // The status only: no key, query or link in the logs.
  logger.info('download answered', { task: 'download', statusCode: response.statusCode });
  return response;
}
