/** Catch target of the document tasks: the failure is recorded with the stage that failed and its reason. */
import { FailureTaskEvent } from '../src/aws/events.ts';
import { recordFailureTask } from '../src/aws/tasks.ts';
import { task } from './shared/powertools.ts';
import { taskContext } from './shared/runtime.ts';

export const handler = task(
  'recordFailure',
  FailureTaskEvent,
  async (event) => recordFailureTask(await taskContext(), event),
  (event) => ({ runId: event.runId, docId: event.item.docId, stage: event.stage }),
);
