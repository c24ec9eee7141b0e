/** Classify one document: its causal technologies feed the inner map of analyze tasks. */
import { classifyTask, type DocumentTaskOutput } from '../src/aws/tasks.ts';
import { task } from './shared/powertools.ts';
import { taskContext } from './shared/runtime.ts';

export const handler = task('classify', async (event: DocumentTaskOutput) => classifyTask(await taskContext(), event), (event) => ({ runId: event.runId, docId: event.docId }));
