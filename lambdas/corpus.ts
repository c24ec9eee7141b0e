/** The corpus coordination tasks: take the lock, prepare a round of work, decide on the fold, release the lock. */
import { CorpusTaskEvent } from '../src/aws/events.ts';
import { acquireTask, beginFoldTask, prepareTask, releaseTask } from '../src/aws/tasks.ts';
import { task } from './shared/powertools.ts';
import { taskContext } from './shared/runtime.ts';

export const handler = task(
  'corpus',
  CorpusTaskEvent,
  async (event) => {
    const context = await taskContext();
    switch (event.action) {
      case 'acquire':
        return acquireTask(context, event);
      case 'prepare':
        return prepareTask(context, event);
      case 'beginFold':
        return beginFoldTask(context, event);
      case 'release':
        return releaseTask(context, event);
    }
  },
  (event) => ({ action: event.action, holder: event.holder }),
);
