import fs from 'node:fs';
import { readdir, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ObjectStore, StoredObject } from './object-store.ts';

// Objects are read and written with synchronous calls. A run writes about nine small files per
// document (docs/**, cache/**); through the thread pool each costs three hand-offs (open, write,
// close) and as many wake-ups, which a CPU profile of a 1,000-document run showed as the main
// thread's largest cost (about 4 s of open, write, close and mkdir). A synchronous write is one
// call and no hand-off; measured with bench/offline-throughput.ts on 2 cores it makes the run
// faster and cheaper in CPU time. The process runs one store; nothing else waits on its event loop
// for long (a small file takes well under a millisecond).
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
}

/**
 * Objects as files under a root folder. Folders are created once per store. Reports and run.json
 * are replaced atomically (temporary file and rename); results and cache entries are written in
 * place, and a torn one fails validation on read and is recomputed.
 */
export class LocalObjectStore implements ObjectStore {
  /** Folders made by this store: each is made once, however many files go into it. */
  private readonly createdFolders = new Set<string>();
  private readonly kept = new Map<string, Uint8Array>();
  private keptBytes = 0;

  constructor(
    readonly root: string,
    private readonly options: LocalObjectStoreOptions = {},
  ) {}

  private ensureFolder(folder: string): void {
    if (this.createdFolders.has(folder)) return;
    // A failed attempt throws and is not remembered: the next write tries again.
    fs.mkdirSync(folder, { recursive: true });
    this.createdFolders.add(folder);
  }

  private keep(key: string, body: Uint8Array): void {
    this.forget(key);
    const cache = this.options.readCache;
    if (!cache?.keys(key) || body.byteLength > cache.maxBytes) return;
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
    const kept = this.kept.get(key);
    // A copy: the caller may change what it is given.
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
    // Encoded once, for the file and for the read cache.
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    // The write is done when put returns: no other call on this store runs in between, so no
    // other write or delete of the key can race it for the read cache.
    this.forget(key);
    this.ensureFolder(path.dirname(target));
    if (isAtomic(key)) {
      const temporary = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      try {
        fs.writeFileSync(temporary, bytes);
        fs.renameSync(temporary, target);
      } catch (error) {
        fs.rmSync(temporary, { force: true });
        throw error;
      }
    } else {
      fs.writeFileSync(target, bytes);
    }
    // Kept as written: a caller's array is copied, since the caller may change it afterwards.
    this.keep(key, bytes === body ? Buffer.from(bytes) : bytes);
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
    for (const key of keys) this.forget(key);
    await Promise.all(keys.map((key) => rm(this.pathOf(key), { force: true })));
    const folders = new Set(keys.map((key) => path.dirname(this.pathOf(key))));
    const root = path.resolve(this.root);
    // Folders may go: the next write creates them again.
    this.createdFolders.clear();
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
