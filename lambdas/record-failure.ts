/** Catch target of the document tasks: the failure is recorded with its stage and reason. */
import { recordFailure } from '../src/aws/tasks.ts';
import { task } from './shared/powertools.ts';
import { taskContext } from './shared/runtime.ts';

interface FailureEvent {
  runId: string;
  item?: { key: string };
  key?: string;
  docId?: string;
  error?: { Error?: string; Cause?: string };
}

export const handler = task(
  'recordFailure',
  async (event: FailureEvent) => recordFailure(await taskContext(), { runId: event.runId, key: event.key ?? event.item?.key ?? '', docId: event.docId, error: event.error }),
  (event) => ({ runId: event.runId, key: event.key ?? event.item?.key }),
);
