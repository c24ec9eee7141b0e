import fs from 'node:fs';
import { mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import path from 'node:path';
import type { ObjectStore, StoredObject } from './object-store.ts';

// The callback API, promisified: measured here, 6,000 small writes from 32 lanes take 0.4 s that
// way and 4 s through fs/promises, whose FileHandle adds round trips per file.
const readFile = promisify(fs.readFile);
const writeFile = promisify(fs.writeFile);

/** Keys replaced atomically: what people open while a run may be writing it. */
const ATOMIC_PREFIXES = ['report/', 'run.json'];

function isMissing(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && 'code' in error && (error as { code: string }).code === 'ENOENT'
  );
}

/**
 * Objects as files under a root folder. Folders are created once per store. Reports and run.json
 * are replaced atomically (temporary file and rename); results and cache entries are written in
 * place, and a torn one fails validation on read and is recomputed.
 */
export class LocalObjectStore implements ObjectStore {
  private readonly createdFolders = new Set<string>();

  constructor(readonly root: string) {}

  private async ensureFolder(folder: string): Promise<void> {
    if (this.createdFolders.has(folder)) return;
    await mkdir(folder, { recursive: true });
    this.createdFolders.add(folder);
  }

  private pathOf(key: string): string {
    const normalized = path.posix.normalize(key);
    if (normalized.startsWith('..') || path.posix.isAbsolute(normalized))
      throw new Error(`object key escapes the store: ${key}`);
    return path.join(this.root, ...normalized.split('/'));
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async put(key: string, body: Uint8Array | string): Promise<void> {
    const target = this.pathOf(key);
    await this.ensureFolder(path.dirname(target));
    if (!ATOMIC_PREFIXES.some((prefix) => key.startsWith(prefix))) {
      await writeFile(target, body);
      return;
    }
    const temporary = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(temporary, body);
    await rename(temporary, target);
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
