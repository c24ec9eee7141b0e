/**
 * A worker thread of the offline engine pool (worker-pool.ts): one ordinary offline engine (and
 * ingest's parser), answering each call with its result, or with what it threw.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Engine } from '../engine.ts';
import { createOfflineEngine } from './index.ts';
import { runCall, serializeError, type WorkerReply, type WorkerRequest, type WorkerSetup } from './worker-pool.ts';

const port = parentPort;
if (!port) throw new Error('the offline engine worker runs in a worker thread');
const engine: Engine = createOfflineEngine((workerData as WorkerSetup).catalog);

port.on('message', async ({ id, method, input }: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    reply = { id, ok: true, result: await runCall(method, input, engine) };
  } catch (error) {
    reply = { id, ok: false, error: serializeError(error) };
  }
  try {
    port.postMessage(reply);
  } catch (error) {
    // A result that cannot be cloned is the call's failure, not the worker's.
    port.postMessage({ id, ok: false, error: serializeError(error) } satisfies WorkerReply);
  }
});
// Calls may go to this worker from now on (until then the pool answers them inline).
port.postMessage('ready');
