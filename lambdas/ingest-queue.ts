/**
 * SQS batch of S3 notifications -> the queue of source changes -> an execution that drains it.
 * A batch whose changes could not be queued, or whose execution could not be started, is reported
 * as failed (partial batch response): SQS delivers it again, and nothing is lost.
 */
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { objectChangesOf, SqsEvent } from '../src/aws/events.ts';
import { executionNameOf, queueChanges } from '../src/aws/tasks.ts';
import { logger, task, tracer } from './shared/powertools.ts';
import { taskContext } from './shared/runtime.ts';

const sfn = tracer.captureAWSv3Client(new SFNClient({ endpoint: process.env.SFN_ENDPOINT }));

export const handler = task(
  'ingest',
  SqsEvent,
  async (event) => {
    const context = await taskContext();
    const messageIds = event.Records.map((record) => record.messageId);
    const failAll = { batchItemFailures: messageIds.map((itemIdentifier) => ({ itemIdentifier })) };
    const queued = await queueChanges(context, objectChangesOf(event));
    if (queued === 0) return { batchItemFailures: [], queued, started: false };
    const name = executionNameOf(messageIds);
    try {
      await sfn.send(
        new StartExecutionCommand({
          stateMachineArn: process.env.PMLENS_STATE_MACHINE_ARN,
          name,
          input: JSON.stringify({ mode: 'incremental' }),
        }),
      );
    } catch (error) {
      // The same batch redelivered: its execution already started.
      if (
        !(error instanceof ExecutionAlreadyExists) &&
        (error as { name?: string }).name !== 'ExecutionAlreadyExists'
      ) {
        logger.warn('could not start an execution; the batch will be delivered again', {
          errorName: (error as { name?: string }).name ?? 'unknown',
        });
        return { ...failAll, queued, started: false };
      }
    }
    return { batchItemFailures: [], queued, started: true, executionName: name };
  },
  (event) => ({ records: event.Records.length }),
);
