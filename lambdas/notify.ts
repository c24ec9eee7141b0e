/** Publish "report ready" once per fold, with the report keys and a download link. */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { z } from 'zod';
import { reportReadyMessage } from '../src/aws/notify.ts';
import { task } from './shared/powertools.ts';
import { taskContext } from './shared/runtime.ts';

const sns = new SNSClient({ endpoint: process.env.SNS_ENDPOINT });

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
    const context = await taskContext();
    const message = await reportReadyMessage(context.artifacts, event);
    await sns.send(
      new PublishCommand({ TopicArn: process.env.PMLENS_TOPIC_ARN, Subject: message.subject, Message: message.body }),
    );
    return { runId: event.runId, notified: true, downloadUrl: message.downloadUrl };
  },
  (event) => ({ runId: event.runId }),
);
