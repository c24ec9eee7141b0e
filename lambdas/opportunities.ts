/** Investment opportunities from the corpus's patterns; numbers from the metadata object only. */
import { FoldTaskEvent } from '../src/aws/events.ts';
import { opportunitiesTask } from '../src/aws/tasks.ts';
import { task } from './shared/powertools.ts';
import { taskContext } from './shared/runtime.ts';

export const handler = task(
  'opportunities',
  FoldTaskEvent,
  async (event) => opportunitiesTask(await taskContext(), event),
  (event) => ({ runId: event.runId }),
);
