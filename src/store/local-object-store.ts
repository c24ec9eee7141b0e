import fs from 'node:fs';
import { readdir, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { type FileWriter, InlineFileWriter } from './file-writer.ts';
import type { ObjectStore, StoredObject } from './object-store.ts';

// Objects are read with synchronous calls and written by a FileWriter: inline with synchronous
// calls by default, or on a writer thread (file-writer.ts). A run writes about six small files per
// document under docs/ (the stage cache of a local run is packed, src/stages/packed-cache.ts); through libuv's pool each costs three hand-offs (open, write,
// close), which a CPU profile of a 1,000-document run showed as the main thread's largest cost.
// A synchronous write is one call and no hand-off; the writer thread also takes the kernel's file
// work off the main thread (measured with bench/offline-throughput.ts, see run-local.ts).
/**
 * Keys replaced atomically (temporary file and rename): what people and programs open while a run
 * may be writing it, the run record and everything under report/, pages included. A page written in
 * place would save about 0.3 s per 1,000 pages when a run replaces an earlier report (nothing on a
 * fresh folder) at the price of a torn page for a reader, or after a crash: not worth it.
 */
function isAtomic(key: string): boolean {
  return key === 'run.json' || key.startsWith('report/');
}

function isMissing(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && 'code' in error && (error as { code: string }).code === 'ENOENT'
  );
}

export interface LocalObjectStoreOptions {
  /**
   * Keep the bytes of objects this process writes under these keys, to answer later reads of them
   * from memory (the CLI's report reads back every document it just wrote). Older entries go once
   * the kept bytes pass `maxBytes`. The process must own the folder: a file changed behind its
   * back is not seen while its bytes are kept.
   */
  readCache?: { keys: (key: string) => boolean; maxBytes: number };
  /** Who writes the files: by default this thread, with synchronous calls. */
  writer?: FileWriter;
}

/** A write asked for and not yet done: its body answers reads of the key meanwhile. */
interface PendingWrite {
  body: string | Uint8Array;
  done: Promise<void>;
}

/**
 * Objects as files under a root folder. Folders are created once per writer. Reports and run.json
 * are replaced atomically (temporary file and rename); results and cache entries are written in
 * place, and a torn one fails validation on read and is recomputed. A put is done when it
 * returns; while it is under way, reads of its key get the bytes being written.
 */
export class LocalObjectStore implements ObjectStore {
  private readonly kept = new Map<string, Uint8Array>();
  private keptBytes = 0;
  private readonly pending = new Map<string, PendingWrite>();
  private readonly writer: FileWriter;

  constructor(
    readonly root: string,
    private readonly options: LocalObjectStoreOptions = {},
  ) {
    this.writer = options.writer ?? new InlineFileWriter();
  }

  private keep(key: string, written: string | Uint8Array): void {
    this.forget(key);
    const cache = this.options.readCache;
    if (!cache?.keys(key)) return;
    const body = typeof written === 'string' ? Buffer.from(written) : written;
    if (body.byteLength > cache.maxBytes) return;
    this.kept.set(key, body);
    this.keptBytes += body.byteLength;
    // The oldest go first (a Map iterates in insertion order).
    for (const [oldest, bytes] of this.kept) {
      if (this.keptBytes <= cache.maxBytes) break;
      this.kept.delete(oldest);
      this.keptBytes -= bytes.byteLength;
    }
  }

  private forget(key: string): void {
    const bytes = this.kept.get(key);
    if (bytes === undefined) return;
    this.kept.delete(key);
    this.keptBytes -= bytes.byteLength;
  }

  private pathOf(key: string): string {
    const normalized = path.posix.normalize(key);
    if (normalized.startsWith('..') || path.posix.isAbsolute(normalized))
      throw new Error(`object key escapes the store: ${key}`);
    return path.join(this.root, ...normalized.split('/'));
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    // A copy: the caller may change what it is given.
    const pending = this.pending.get(key);
    if (pending !== undefined) return Buffer.from(pending.body);
    const kept = this.kept.get(key);
    if (kept !== undefined) return Buffer.from(kept);
    try {
      return fs.readFileSync(this.pathOf(key));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async put(key: string, body: Uint8Array | string): Promise<void> {
    const target = this.pathOf(key);
    this.forget(key);
    // The caller may change its array once put returns, or before the writer gets to it.
    const written = typeof body === 'string' ? body : Buffer.from(body);
    const done = this.writer.write(target, written, isAtomic(key));
    const pending: PendingWrite = { body: written, done };
    this.pending.set(key, pending);
    try {
      await done;
    } finally {
      // A later put of the same key may have taken the entry over.
      if (this.pending.get(key) === pending) this.pending.delete(key);
    }
    if (this.pending.has(key)) return;
    this.keep(key, written);
  }

  async list(prefix: string): Promise<string[]> {
    const directory = this.pathOf(prefix.replace(/\/?$/, '/') === '/' ? '.' : prefix);
    try {
      const entries = await readdir(directory, { recursive: true, withFileTypes: true });
      return entries
        .filter((entry) => entry.isFile() && !entry.name.endsWith('.tmp'))
        .map((entry) => path.relative(this.root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
        .sort();
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  }

  async listObjects(prefix: string): Promise<StoredObject[]> {
    const keys = await this.list(prefix);
    return Promise.all(
      keys.map(async (key) => {
        const info = await stat(this.pathOf(key));
        return { key, version: `${info.size}:${Math.round(info.mtimeMs)}` };
      }),
    );
  }

  /** Remove the files, then the folders they leave empty (a deleted document leaves no folder behind). */
  async delete(keys: readonly string[]): Promise<void> {
    // A write of a key under way finishes first, so the file it makes is the one removed.
    await Promise.allSettled(keys.flatMap((key) => this.pending.get(key)?.done ?? []));
    for (const key of keys) this.forget(key);
    await Promise.all(keys.map((key) => rm(this.pathOf(key), { force: true })));
    const folders = new Set(keys.map((key) => path.dirname(this.pathOf(key))));
    const root = path.resolve(this.root);
    // Folders may go: the next write creates them again.
    await this.writer.forgetFolders();
    for (const folder of [...folders].sort((left, right) => right.length - left.length)) {
      for (
        let current = path.resolve(folder);
        current.startsWith(`${root}${path.sep}`);
        current = path.dirname(current)
      ) {
        try {
          await rmdir(current);
        } catch {
          break;
        }
      }
    }
  }
}
