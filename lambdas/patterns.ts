/** Fold every digest of the corpus into recurring failure patterns. */
import { FoldTaskEvent } from '../src/aws/events.ts';
import { patternsTask } from '../src/aws/tasks.ts';
import { task } from './shared/powertools.ts';
import { taskContext } from './shared/runtime.ts';

export const handler = task(
  'patterns',
  FoldTaskEvent,
  async (event) => patternsTask(await taskContext(), event),
  (event) => ({ runId: event.runId }),
);
