/** Fold every digest of the run into recurring failure patterns. */
import { patternsTask } from '../src/aws/tasks.ts';
import { task } from './shared/powertools.ts';
import { taskContext } from './shared/runtime.ts';

export const handler = task('patterns', async (event: { runId: string }) => patternsTask(await taskContext(), event), (event) => ({ runId: event.runId }));
