/** Analyze one causal technology of one document. */
import { analyzeTask } from '../src/aws/tasks.ts';
import { task } from './shared/powertools.ts';
import { taskContext } from './shared/runtime.ts';

export const handler = task(
  'analyze',
  async (event: { runId: string; key: string; docId: string; technology: string }) => analyzeTask(await taskContext(), event),
  (event) => ({ runId: event.runId, docId: event.docId, technology: event.technology }),
);
