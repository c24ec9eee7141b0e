/** Summarize one document of the Distributed Map. */
import { summarizeTask, type DocumentTaskInput } from '../src/aws/tasks.ts';
import { task } from './shared/powertools.ts';
import { taskContext } from './shared/runtime.ts';

export const handler = task('summarize', async (event: DocumentTaskInput) => summarizeTask(await taskContext(), event), (event) => ({ runId: event.runId, key: event.item.key }));
