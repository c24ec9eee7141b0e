/** The batch states of a round: prepare a stage's batch job, submit it (and wait), collect its output (src/batch/). */
import { BatchTaskEvent, batchTask, openBatchRuntime, type BatchRuntime } from '../src/batch/index.ts';
import { task } from './shared/powertools.ts';
import { traceClients } from './shared/runtime.ts';

let runtime: Promise<BatchRuntime> | undefined;

function batchRuntime(): Promise<BatchRuntime> {
  runtime ??= openBatchRuntime(process.env)
    .then((opened) => ({ ...opened, context: traceClients(opened.context) }))
    .catch((error: unknown) => {
      runtime = undefined;
      throw error;
    });
  return runtime;
}

export const handler = task(
  'batch',
  BatchTaskEvent,
  async (event) => batchTask(await batchRuntime(), event),
  (event) => ({ action: event.action, runId: event.runId, stage: event.stage }),
);
