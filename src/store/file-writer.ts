import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Writes whole files for a LocalObjectStore. A write is done (on disk, readable by anyone) when
 * its promise resolves. Writes of one writer happen in the order they were asked for.
 */
export interface FileWriter {
  /** Write `body` to `file`, making its folder if needed; `atomic` writes a temporary file and renames it. */
  write(file: string, body: string | Uint8Array, atomic: boolean): Promise<void>;
  /** Folders made so far may have been removed: the next write into one makes it again. */
  forgetFolders(): Promise<void>;
}

function writeNow(file: string, body: string | Uint8Array, atomic: boolean): void {
  if (!atomic) {
    fs.writeFileSync(file, body);
    return;
  }
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    fs.writeFileSync(temporary, body);
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * Writes on the calling thread with synchronous calls: one call per file and no hand-off (through
 * libuv's pool, open, write and close are three hand-offs and three wake-ups each).
 */
export class InlineFileWriter implements FileWriter {
  private readonly created = new Set<string>();

  async write(file: string, body: string | Uint8Array, atomic: boolean): Promise<void> {
    this.writeSync(file, body, atomic);
  }

  writeSync(file: string, body: string | Uint8Array, atomic: boolean): void {
    const folder = path.dirname(file);
    if (this.created.has(folder)) {
      try {
        writeNow(file, body, atomic);
        return;
      } catch (error) {
        // The folder was removed behind this writer's back: make it again, once.
        if ((error as { code?: string }).code !== 'ENOENT') throw error;
        this.created.delete(folder);
      }
    }
    // A failed attempt throws and is not remembered: the next write tries again.
    fs.mkdirSync(folder, { recursive: true });
    this.created.add(folder);
    writeNow(file, body, atomic);
  }

  async forgetFolders(): Promise<void> {
    this.forgetFoldersSync();
  }

  forgetFoldersSync(): void {
    this.created.clear();
  }
}

/** A message to the writer thread (file-writer-thread.ts). */
export interface WriterRequest {
  id: number;
  kind: 'write' | 'forget-folders';
  file?: string;
  body?: string | Uint8Array;
  atomic?: boolean;
}

interface Waiting {
  request: WriterRequest;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** The writer thread's answer to one request. */
export interface WriterReply {
  id: number;
  error?: { message: string; code?: string; errno?: number; syscall?: string; path?: string; dest?: string };
}

/**
 * Writes on a thread of its own, so a run's many small files (about five per document) are
 * created while the main thread goes on analysing: on a 2-core machine the kernel's file work and
 * the analysis then overlap. One message there and one back per file. The thread is started on
 * the first write; until it runs (loading its modules takes a few hundred milliseconds), writes
 * are done inline, so nobody waits for it to start. It holds the process open only while writes
 * are outstanding. If it dies, outstanding and later writes are done inline: nothing asked for is
 * lost.
 */
export class ThreadFileWriter implements FileWriter {
  private worker: Worker | undefined;
  private broken = false;
  /**
   * Set to 1 by the thread once it takes writes; until then writes are done inline. Shared memory,
   * not a message: a run that never turns the event loop (its reads and writes all synchronous)
   * would never see a message.
   */
  private readonly runningFlag = new Int32Array(new SharedArrayBuffer(4));
  private started: Promise<void> | undefined;
  private markStarted: (() => void) | undefined;
  private nextId = 0;
  private readonly waiting = new Map<number, Waiting>();
  private readonly inline = new InlineFileWriter();

  write(file: string, body: string | Uint8Array, atomic: boolean): Promise<void> {
    if (this.broken) return this.inline.write(file, body, atomic);
    if (!this.running) {
      this.thread();
      return this.inline.write(file, body, atomic);
    }
    // An array goes as an exact copy: the caller may change its own, and a small Buffer is a view
    // into a shared pool that a message would carry whole. The copy is kept until the thread
    // answers, to be written here if the thread dies first.
    const sent = typeof body === 'string' ? body : new Uint8Array(body);
    return this.send({ id: this.nextId++, kind: 'write', file, body: sent, atomic });
  }

  forgetFolders(): Promise<void> {
    // The thread's own memory of folders and, for writes done here, this one's.
    this.inline.forgetFoldersSync();
    if (this.broken || !this.running) return Promise.resolve();
    return this.send({ id: this.nextId++, kind: 'forget-folders' });
  }

  /** Whether the thread has started and takes writes (read from shared memory: no turn of the event loop needed). */
  get running(): boolean {
    return Atomics.load(this.runningFlag, 0) === 1;
  }

  /** Resolves once the thread runs and takes writes (or has died: they are then done inline). */
  ready(): Promise<void> {
    if (this.broken || this.running) return Promise.resolve();
    this.thread();
    return this.started as Promise<void>;
  }

  /** Whether writes go to the thread (false once it died or was stopped: they are then done inline). */
  get onThread(): boolean {
    return !this.broken;
  }

  /** Stops the thread (tests use it to stand for a thread that died); writes go on inline. */
  async stopThread(): Promise<void> {
    const worker = this.worker;
    if (worker === undefined) return;
    await worker.terminate();
    this.fallBack();
  }

  private send(request: WriterRequest): Promise<void> {
    const worker = this.thread();
    return new Promise<void>((resolve, reject) => {
      if (this.waiting.size === 0) worker.ref();
      this.waiting.set(request.id, { request, resolve, reject });
      worker.postMessage(request);
    });
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    // None of this process's flags (--input-type, say, would stop the thread): its entry registers
    // the loader it needs.
    const worker = new Worker(new URL('./file-writer-worker.js', import.meta.url), {
      execArgv: [],
      workerData: { running: this.runningFlag.buffer },
    });
    worker.unref();
    this.started = new Promise<void>((resolve) => (this.markStarted = resolve));
    worker.on('message', (reply: WriterReply | 'running') => {
      if (reply !== 'running') this.settle(reply);
      else {
        // An unref() before the thread has started does not hold (Node 20): say it again.
        if (this.waiting.size === 0) worker.unref();
        this.markStarted?.();
      }
    });
    worker.on('error', () => this.fallBack());
    worker.on('exit', () => this.fallBack());
    this.worker = worker;
    return worker;
  }

  private settle(reply: WriterReply): void {
    const waiting = this.waiting.get(reply.id);
    if (!waiting) return;
    this.waiting.delete(reply.id);
    if (this.waiting.size === 0) this.worker?.unref();
    if (reply.error === undefined) waiting.resolve();
    else {
      // The thread's error as the calling thread would have had it: message, code, syscall, path.
      const { message, ...details } = reply.error;
      const defined = Object.entries(details).filter(([, value]) => value !== undefined);
      waiting.reject(Object.assign(new Error(message), Object.fromEntries(defined)));
    }
  }

  /** The thread is gone: what it had not answered is done here, in the order it was asked. */
  private fallBack(): void {
    if (this.broken) return;
    this.broken = true;
    this.worker = undefined;
    this.markStarted?.();
    const outstanding = [...this.waiting.values()].sort((left, right) => left.request.id - right.request.id);
    this.waiting.clear();
    for (const { request, resolve, reject } of outstanding) {
      try {
        if (request.kind === 'write')
          this.inline.writeSync(request.file as string, request.body as string | Uint8Array, request.atomic ?? false);
        resolve();
      } catch (error) {
        reject(error as Error);
      }
    }
  }
}

let shared: ThreadFileWriter | undefined;

/** The process's one writer thread, shared by every store that asks for it. */
export function sharedThreadFileWriter(): FileWriter {
  shared ??= new ThreadFileWriter();
  return shared;
}
