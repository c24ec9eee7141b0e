/**
 * The offline engine on worker threads: an Engine whose every call is answered by an ordinary
 * offline engine (createOfflineEngine) held by one of a few worker threads. Inputs and outputs
 * cross by structured clone, so the stage functions and document steps around it are the very
 * code they are with the inline engine (and in the Lambdas, which keep the inline engine); only
 * where the pure CPU work runs changes. The pool also parses sources for ingest (`ingest`, which
 * is ingestSource; the run context takes it): the local runner's main thread keeps reading the
 * sources, the validation, the trust checks and the writes, while parsing and the engine's reading
 * run on other cores.
 *
 * Workers load TypeScript through tsx's loader, registered in each worker (a worker does not
 * inherit the hooks `bin/pmlens.js` or vitest installed), so the pool works under `node
 * bin/pmlens.js`, `npx tsx` and vitest alike. An idle pool does not keep the process alive; close()
 * ends its workers.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { ConfigurationError, PostmortemLensError, StageError, type ErrorCode } from '../../errors.ts';
import type { Catalog, StageName } from '../../schemas/index.ts';
import type { Engine, EngineResult } from '../engine.ts';
import { ingestSource } from '../../ingest/index.ts';
import { createOfflineEngine, OFFLINE_ENGINE_DESCRIPTOR } from './index.ts';

/** The engine methods a worker answers: every stage method of the Engine interface. */
export const ENGINE_METHODS = ['summarize', 'classify', 'analyze', 'foldPatterns', 'describeOpportunities'] as const;
export type EngineMethod = (typeof ENGINE_METHODS)[number];

/** What a worker does: an engine call, or ingest's parse of a source (ingestSource; its input is its arguments). */
export type WorkerMethod = EngineMethod | 'ingest';

/** What a worker is sent: one call. */
export interface WorkerRequest {
  id: number;
  method: WorkerMethod;
  input: unknown;
}

/** What a worker answers: the call's result, or what it threw. */
export type WorkerReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: SerializedError };

/** One call, on this thread: what a worker does with a request, and the pool while no worker is ready. */
export function runCall(method: WorkerMethod, input: unknown, engine: Engine): Promise<unknown> {
  if (method === 'ingest') return ingestSource(...(input as Parameters<typeof ingestSource>));
  const run = engine[method] as (input: unknown) => Promise<EngineResult<unknown>>;
  return run.call(engine, input);
}

/** What the worker is started with. */
export interface WorkerSetup {
  catalog: Catalog;
}

/**
 * An engine whose work runs on worker threads, and ingest's parse of a source on the same threads:
 * close() ends them (idle, they never keep the process alive).
 */
export interface PooledEngine extends Engine {
  readonly threads: number;
  /** ingestSource, on a worker: give it to the run context (RunContextParts.ingest). */
  ingest: typeof ingestSource;
  /** How many calls the workers and the calling thread answered so far. */
  counts(): PoolCounts;
  close(): Promise<void>;
}

/**
 * An error as it crosses the thread boundary: its class (the standard ones and postmortem-lens's
 * own), message, stack, own properties (a `usage`, a `code`) and cause, so that runCached and
 * safeMessageOf see what they would see inline.
 */
export interface SerializedError {
  kind: string;
  name: string;
  message: string;
  stack?: string;
  properties: Record<string, unknown>;
  stage?: StageName;
  subject?: string;
  reason?: string;
  code?: ErrorCode;
  cause?: SerializedError | { value: unknown };
}

const STANDARD_ERRORS: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

function cloneable(value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch {
    return String(value);
  }
}

export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!(error instanceof Error)) return { kind: 'value', name: 'Error', message: String(error), properties: {} };
  const kind =
    error instanceof StageError
      ? 'StageError'
      : error instanceof ConfigurationError
        ? 'ConfigurationError'
        : error instanceof PostmortemLensError
          ? 'PostmortemLensError'
          : Object.values(STANDARD_ERRORS).find((type) => Object.getPrototypeOf(error) === type.prototype)
            ? error.constructor.name
            : 'Error';
  const skip = new Set(['name', 'message', 'stack', 'cause', 'stage', 'subject', 'reason', 'errorCode']);
  const properties = Object.fromEntries(
    Object.entries(error)
      .filter(([key]) => !skip.has(key))
      .map(([key, value]) => [key, cloneable(value)]),
  );
  const serialized: SerializedError = {
    kind,
    name: error.name,
    message: error.message,
    ...(error.stack === undefined ? {} : { stack: error.stack }),
    properties,
  };
  if (error instanceof StageError) {
    serialized.stage = error.stage;
    serialized.subject = error.subject;
    serialized.reason = error.reason;
    serialized.code = error.code;
  }
  if ('cause' in error && error.cause !== undefined)
    serialized.cause =
      error.cause instanceof Error && depth < 5
        ? serializeError(error.cause, depth + 1)
        : { value: cloneable(error.cause) };
  return serialized;
}

function isSerializedError(value: SerializedError | { value: unknown }): value is SerializedError {
  return 'kind' in value;
}

export function deserializeError(serialized: SerializedError): Error {
  if (serialized.kind === 'value') return new Error(serialized.message);
  const cause =
    serialized.cause === undefined
      ? undefined
      : isSerializedError(serialized.cause)
        ? deserializeError(serialized.cause)
        : serialized.cause.value;
  const options = cause === undefined ? undefined : { cause };
  let error: Error;
  switch (serialized.kind) {
    case 'StageError':
      error = new StageError(serialized.stage ?? 'summarize', serialized.subject ?? '', serialized.reason ?? '', {
        ...options,
        ...(serialized.code ? { code: serialized.code } : {}),
      });
      break;
    case 'ConfigurationError':
      error = new ConfigurationError(serialized.message, options);
      break;
    case 'PostmortemLensError':
      error = new PostmortemLensError(serialized.message, options);
      break;
    default: {
      const Type = STANDARD_ERRORS[serialized.kind] ?? Error;
      error = new Type(serialized.message, options);
      if (error.name !== serialized.name)
        Object.defineProperty(error, 'name', { value: serialized.name, configurable: true, writable: true });
    }
  }
  Object.assign(error, serialized.properties);
  if (serialized.stack !== undefined)
    Object.defineProperty(error, 'stack', { value: serialized.stack, configurable: true, writable: true });
  return error;
}

/**
 * Threads by default: none (the engine runs inline). On the 2-core machines this was measured on,
 * the pool was no faster than inline (bench/offline-throughput.ts, docs/offline-engine.md) and
 * spent more CPU, each worker loading and warming its own copy of the code; `--threads N` turns it on.
 */
export const DEFAULT_THREADS = 0;

/** One thread per core but the one the main thread keeps busy (0 on one core): what `--threads auto` means. */
export function threadsPerCore(cores = os.availableParallelism()): number {
  return Math.max(0, cores - 1);
}

/** `--threads <n>` or PMLENS_THREADS: a whole number >= 0, or `auto` (one per core but one); undefined when not given. */
export function threadsSetting(value: string | undefined, source: string): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (value.trim().toLowerCase() === 'auto') return threadsPerCore();
  const threads = Number(value.trim());
  if (!Number.isInteger(threads) || threads < 0 || threads > 64)
    throw new ConfigurationError(`${source} must be a whole number from 0 to 64, or auto`);
  return threads;
}

/**
 * The worker's options to start node with: the parent's, less tsx's own loader (registered in the
 * worker instead, once) and less what a worker may not be given (an --eval script).
 */
export function workerExecArgv(execArgv: readonly string[]): string[] {
  const kept: string[] = [];
  const takesValue = new Set(['--require', '-r', '--import', '--loader', '--experimental-loader']);
  const script = new Set(['--eval', '-e', '--print', '-p']);
  for (let index = 0; index < execArgv.length; index++) {
    const argument = execArgv[index] ?? '';
    const [flag = '', inline] = argument.split(/=(.*)/s, 2);
    if (script.has(flag)) {
      if (inline === undefined) index += 1;
      continue;
    }
    if (takesValue.has(flag)) {
      const value = inline ?? execArgv[index + 1] ?? '';
      if (inline === undefined) index += 1;
      if (/[\\/]tsx[\\/]|^tsx(?:\/|$)/.test(value)) continue;
      kept.push(flag, value);
      continue;
    }
    kept.push(argument);
  }
  return kept;
}

interface Pending {
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  /** The worker has built its engine and answers calls. */
  ready: boolean;
  pending: Map<number, Pending>;
}

export interface WorkerPoolOptions {
  /** Worker threads (>= 1). */
  threads: number;
  /**
   * Answer calls on the calling thread, with an ordinary offline engine, until a worker is ready
   * (starting one takes about half a second: tsx and the engine's modules load): a short run is
   * never slower than inline. Default true; false sends every call to a worker (tests).
   */
  inlineWhileStarting?: boolean;
  /**
   * Calls answered inline before the workers start (with inlineWhileStarting): a worker costs about
   * 0.7 s of CPU to start and warm up, more than a run of a few dozen documents gains. Default 256
   * (about 55 documents: ingest, summarize, classify and analyze each make one); 0 starts them on
   * the first call.
   */
  startAfterCalls?: number;
}

/** How many calls the workers and the calling thread answered. */
export interface PoolCounts {
  worker: number;
  inline: number;
}

/** The offline engine on `threads` worker threads, each holding its own offline engine over `catalog`. */
export function createOfflineWorkerPool(catalog: Catalog, options: WorkerPoolOptions): PooledEngine {
  const threads = Math.max(1, Math.floor(options.threads));
  const inlineWhileStarting = options.inlineWhileStarting ?? true;
  const startAfterCalls = inlineWhileStarting ? (options.startAfterCalls ?? 256) : 0;
  const workerData: WorkerSetup = { catalog };
  const execArgv = workerExecArgv(process.execArgv);
  const slots: Array<Slot | undefined> = Array.from({ length: threads }, () => undefined);
  const counts: PoolCounts = { worker: 0, inline: 0 };
  let inline: Engine | undefined;
  /** Why no worker could start: the pool then answers every call inline. */
  let broken: Error | undefined;
  let nextId = 0;
  let closed = false;

  function start(index: number): Slot {
    // The entry registers tsx's loader in the worker thread, then loads worker.ts.
    const worker = new Worker(new URL('./worker-bootstrap.js', import.meta.url), { workerData, execArgv });
    // Idle workers never keep the process alive; one with calls in flight does (see send()).
    worker.unref();
    const slot: Slot = { worker, ready: false, pending: new Map() };
    const fail = (error: Error) => {
      if (slots[index] !== slot) return;
      slots[index] = undefined;
      if (!slot.ready && !closed && !broken) {
        // A worker that cannot even start (no tsx, say) will not start next time either.
        broken = error;
        process.emitWarning(
          `the offline engine's worker threads could not start (${error.message}); the engine runs inline`,
        );
      }
      for (const pending of slot.pending.values()) pending.reject(error);
      slot.pending.clear();
    };
    worker.on('message', (reply: WorkerReply | 'ready') => {
      if (reply === 'ready') {
        slot.ready = true;
        return;
      }
      const pending = slot.pending.get(reply.id);
      if (!pending) return;
      slot.pending.delete(reply.id);
      if (slot.pending.size === 0) worker.unref();
      if (reply.ok) pending.resolve(reply.result);
      else pending.reject(deserializeError(reply.error));
    });
    worker.on('error', (error) => fail(error instanceof Error ? error : new Error(String(error))));
    worker.on('exit', (code) => fail(new Error(`an offline engine worker stopped (exit code ${code})`)));
    return slot;
  }

  /** The ready worker with the fewest calls in flight; undefined while none is ready (all are started on the first call). */
  function slotFor(): Slot | undefined {
    let best: Slot | undefined;
    let starting: Slot | undefined;
    for (let index = 0; index < threads; index++) {
      const slot = (slots[index] ??= start(index));
      if (!slot.ready) {
        if (!starting || slot.pending.size < starting.pending.size) starting = slot;
      } else if (!best || slot.pending.size < best.pending.size) best = slot;
    }
    // Calls sent before a worker is ready wait in its message queue.
    return best ?? (inlineWhileStarting ? undefined : starting);
  }

  function send(slot: Slot, method: WorkerMethod, input: unknown): Promise<unknown> {
    const id = nextId++;
    counts.worker += 1;
    return new Promise<unknown>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      if (slot.pending.size === 1) slot.worker.ref();
      slot.worker.postMessage({ id, method, input } satisfies WorkerRequest);
    });
  }

  function call<T>(method: WorkerMethod, input: unknown): Promise<T> {
    if (closed) return Promise.reject(new Error('the offline engine worker pool is closed'));
    const slot = broken || counts.inline < startAfterCalls ? undefined : slotFor();
    if (slot) return send(slot, method, input) as Promise<T>;
    counts.inline += 1;
    // A throw is a rejection, as from a worker.
    return Promise.resolve().then(() =>
      runCall(method, input, (inline ??= createOfflineEngine(catalog))),
    ) as Promise<T>;
  }

  return {
    descriptor: { ...OFFLINE_ENGINE_DESCRIPTOR },
    threads,
    summarize: (postmortem) => call('summarize', postmortem),
    classify: (input) => call('classify', input),
    analyze: (input) => call('analyze', input),
    foldPatterns: (input) => call('foldPatterns', input),
    describeOpportunities: (input) => call('describeOpportunities', input),
    ingest: (...args) => call('ingest', args),
    counts: () => ({ ...counts }),
    async close() {
      closed = true;
      const running = slots.filter((slot): slot is Slot => slot !== undefined);
      slots.fill(undefined);
      for (const slot of running)
        for (const pending of slot.pending.values()) pending.reject(new Error('the offline engine worker pool closed'));
      await Promise.all(running.map((slot) => slot.worker.terminate()));
    },
  };
}
