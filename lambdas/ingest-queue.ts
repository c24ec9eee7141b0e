/** SQS batch of S3 object-created notifications -> a manifest of new postmortems -> one execution. */
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { SQSEvent } from 'aws-lambda';
import { claimNewSources, newRunId, writeManifest } from '../src/aws/tasks.ts';
import { s3ObjectsOfSqsEvent } from '../src/aws/events.ts';
import { task } from './shared/powertools.ts';
import { taskContext } from './shared/runtime.ts';

const sfn = new SFNClient({ endpoint: process.env.SFN_ENDPOINT });

export const handler = task('ingest', async (event: SQSEvent) => {
  const context = await taskContext();
  const batchId = newRunId();
  const items = await claimNewSources(context, s3ObjectsOfSqsEvent(event), batchId);
  if (items.length === 0) return { started: false, items: 0 };
  const manifestKey = await writeManifest(context, batchId, items);
  const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: process.env.STATE_MACHINE_ARN, name: `batch-${batchId}`, input: JSON.stringify({ mode: 'incremental', manifestKey }) }));
  return { started: true, items: items.length, manifestKey, executionArn: started.executionArn };
}, (event) => ({ records: event.Records.length }));
