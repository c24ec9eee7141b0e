/**
 * Target of the operations rule: an execution that ended FAILED, TIMED_OUT or ABORTED gets its run
 * record marked failed and the corpus lock released if it still holds it (src/aws/tasks.ts).
 * It needs the state table only, so it builds no run context (no catalog, no model engine).
 */
import { RunEndedEvent } from '../src/aws/events.ts';
import { markRunEndedTask } from '../src/aws/tasks.ts';
import { awsStateStore } from '../src/aws/context.ts';
import { DynamoDbItemTable } from '../src/store/dynamodb-item-table.ts';
import type { StateStore } from '../src/store/state-store.ts';
import { task, tracer } from './shared/powertools.ts';

let state: StateStore | undefined;

function stateStore(): StateStore {
  if (state) return state;
  const opened = awsStateStore(process.env);
  if (opened.table instanceof DynamoDbItemTable) tracer.captureAWSv3Client(opened.table.documentClient);
  state = opened;
  return opened;
}

export const handler = task(
  'runEnded',
  RunEndedEvent,
  async (event) => markRunEndedTask({ state: stateStore() }, event),
  (event) => ({ runId: event.name, status: event.status }),
);
