/** Classify one document: its causal technologies feed the inner map of analyze tasks. */
import { DocumentTaskEvent } from '../src/aws/events.ts';
import { classifyTask } from '../src/aws/tasks.ts';
import { task } from './shared/powertools.ts';
import { taskContext } from './shared/runtime.ts';

export const handler = task(
  'classify',
  DocumentTaskEvent,
  async (event) => classifyTask(await taskContext(), event),
  (event) => ({ runId: event.runId, docId: event.item.docId }),
);
