/** Investment opportunities from the run's patterns; numbers from the metadata object only. */
import { opportunitiesTask } from '../src/aws/tasks.ts';
import { task } from './shared/powertools.ts';
import { taskContext } from './shared/runtime.ts';

export const handler = task('opportunities', async (event: { runId: string }) => opportunitiesTask(await taskContext(), event), (event) => ({ runId: event.runId }));
