/** Publish "report ready" with the report keys and a presigned download link. */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { reportReadyMessage } from '../src/aws/notify.ts';
import { task } from './shared/powertools.ts';
import { taskContext } from './shared/runtime.ts';

const sns = new SNSClient({ endpoint: process.env.SNS_ENDPOINT });

export const handler = task(
  'notify',
  async (event: { runId: string; reportKeys: string[]; documents: number; failed: number }) => {
    const context = await taskContext();
    const message = await reportReadyMessage(context.artifacts, event);
    await sns.send(new PublishCommand({ TopicArn: process.env.TOPIC_ARN, Subject: message.subject, Message: message.body }));
    return { runId: event.runId, notified: true, downloadUrl: message.downloadUrl };
  },
  (event) => ({ runId: event.runId }),
);
