/** Publish "report ready" once per fold: where the report is, never a link that works without signing in. */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { z } from 'zod';
import { reportReadyMessage } from '../src/aws/notify.ts';
import { ConfigurationError } from '../src/errors.ts';
import { task, tracer } from './shared/powertools.ts';

const sns = tracer.captureAWSv3Client(new SNSClient({ endpoint: process.env.SNS_ENDPOINT }));

const NotifyEvent = z.object({
  runId: z.string(),
  reportKeys: z.array(z.string()),
  documents: z.number().int(),
  failed: z.number().int(),
});

export const handler = task(
  'notify',
  NotifyEvent,
  async (event) => {
    const bucket = process.env.PMLENS_ARTIFACTS_BUCKET;
    if (!bucket) throw new ConfigurationError('the environment variable PMLENS_ARTIFACTS_BUCKET is not set');
    const message = reportReadyMessage(
      {
        bucket,
        region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
        downloadEndpoint: process.env.PMLENS_REPORT_DOWNLOAD_URL || undefined,
      },
      event,
    );
    await sns.send(
      new PublishCommand({ TopicArn: process.env.PMLENS_TOPIC_ARN, Subject: message.subject, Message: message.body }),
    );
    return { runId: event.runId, notified: true, consoleUrl: message.consoleUrl };
  },
  (event) => ({ runId: event.runId }),
);
