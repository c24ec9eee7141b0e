/**
 * Where postmortems come from: a local folder (the CLI) or a prefix of the input bucket (AWS).
 * Keys are relative to the folder or prefix, with forward slashes; a version says whether an
 * object changed since the corpus index saw it (S3 ETag; size and mtime of a file).
 */
import { stat } from 'node:fs/promises';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { listFiles } from '../ingest/discover.ts';
import type { ObjectStore, StoredObject } from '../store/object-store.ts';

const readFile = promisify(fs.readFile);

export interface SourceStore {
  list(): Promise<StoredObject[]>;
  /** The bytes of a source, or undefined when it no longer exists. */
  read(key: string): Promise<Uint8Array | undefined>;
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** The files of a folder, hidden files and the given folders (the run's own output) left out. */
export class FolderSources implements SourceStore {
  private readonly excluded: string[];

  constructor(
    readonly root: string,
    options: { exclude?: string[] } = {},
  ) {
    this.excluded = (options.exclude ?? []).map((folder) => path.relative(path.resolve(root), path.resolve(folder)).split(path.sep).join('/')).filter((relative) => relative && !relative.startsWith('..'));
  }

  async list(): Promise<StoredObject[]> {
    const files = (await listFiles(this.root)).filter((file) => !this.excluded.some((folder) => file === folder || file.startsWith(`${folder}/`)));
    return Promise.all(
      files.map(async (key) => {
        const info = await stat(path.join(this.root, key));
        return { key, version: `${info.size}:${Math.round(info.mtimeMs)}` };
      }),
    );
  }

  async read(key: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(path.join(this.root, key));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }
}

/** Sources in an object store (the input bucket under its prefix). */
export class StoreSources implements SourceStore {
  constructor(private readonly store: ObjectStore) {}

  async list(): Promise<StoredObject[]> {
    return (await this.store.listObjects('')).filter((object) => !object.key.endsWith('/'));
  }

  read(key: string): Promise<Uint8Array | undefined> {
    return this.store.get(key);
  }
}
