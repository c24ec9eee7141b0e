import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ObjectStore } from './object-store.ts';

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error as { code: string }).code === 'ENOENT';
}

/** Objects as files under a root folder; writes go through a temporary file and a rename. */
export class LocalObjectStore implements ObjectStore {
  constructor(readonly root: string) {}

  private pathOf(key: string): string {
    const normalized = path.posix.normalize(key);
    if (normalized.startsWith('..') || path.posix.isAbsolute(normalized)) throw new Error(`object key escapes the store: ${key}`);
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
    await mkdir(path.dirname(target), { recursive: true });
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
}
