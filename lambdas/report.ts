/** Render the report of the whole corpus (report/ and runs/<runId>/report/). */
import { FoldTaskEvent } from '../src/aws/events.ts';
import { reportTask } from '../src/aws/tasks.ts';
import { task } from './shared/powertools.ts';
import { taskContext } from './shared/runtime.ts';

export const handler = task(
  'report',
  FoldTaskEvent,
  async (event) => reportTask(await taskContext(), event),
  (event) => ({ runId: event.runId }),
);
