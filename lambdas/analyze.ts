/** Analyze one causal technology of one document. */
import { AnalyzeTaskEvent } from '../src/aws/events.ts';
import { analyzeTask } from '../src/aws/tasks.ts';
import { task } from './shared/powertools.ts';
import { taskContext } from './shared/runtime.ts';

export const handler = task(
  'analyze',
  AnalyzeTaskEvent,
  async (event) => analyzeTask(await taskContext(), event),
  (event) => ({ runId: event.runId, docId: event.item.docId, technology: event.technology }),
);
