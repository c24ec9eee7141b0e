/** Finish one document: evidence check, its report entry and page, its corpus index entry. */
import { DocumentTaskEvent } from '../src/aws/events.ts';
import { finishTask } from '../src/aws/tasks.ts';
import { task } from './shared/powertools.ts';
import { taskContext } from './shared/runtime.ts';

export const handler = task(
  'finish',
  DocumentTaskEvent,
  async (event) => finishTask(await taskContext(), event),
  (event) => ({ runId: event.runId, docId: event.item.docId }),
);
