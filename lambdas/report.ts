/** Render the run's report into the artifacts bucket (reports/<runId>/ and reports/latest/). */
import { reportTask } from '../src/aws/tasks.ts';
import { task } from './shared/powertools.ts';
import { taskContext } from './shared/runtime.ts';

export const handler = task('report', async (event: { runId: string }) => reportTask(await taskContext(), event), (event) => ({ runId: event.runId }));
