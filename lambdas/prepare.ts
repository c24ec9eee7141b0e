/** Prepare: a run id and the manifest the Distributed Map reads (full listing, or the ingest batch's). */
import { prepareRun } from '../src/aws/tasks.ts';
import { task } from './shared/powertools.ts';
import { taskContext } from './shared/runtime.ts';

export const handler = task('prepare', async (event: { mode?: 'full' | 'incremental'; manifestKey?: string }) => prepareRun(await taskContext(), event), (event) => ({ mode: event.mode ?? 'auto' }));
