/** Ingest and summarize one document of a round (the one read of its source). */
import { DocumentTaskEvent } from '../src/aws/events.ts';
import { summarizeTask } from '../src/aws/tasks.ts';
import { task } from './shared/powertools.ts';
import { taskContext } from './shared/runtime.ts';

export const handler = task(
  'summarize',
  DocumentTaskEvent,
  async (event) => summarizeTask(await taskContext(), event),
  (event) => ({ runId: event.runId, docId: event.item.docId }),
);
