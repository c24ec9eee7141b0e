/**
 * Where postmortems come from: a local folder (the CLI) or a prefix of the input bucket (AWS).
 * Keys are relative to the folder or prefix, with forward slashes; a version says whether an
 * object changed since the corpus index saw it (S3 ETag; size and mtime of a file).
 *
 * Besides the objects to analyse, a store may report the entries it will not hand out (hidden
 * files, unreadable folders, symbolic-link loops, pipes...) through `survey()`: the scheduler
 * records each in the corpus index as skipped, with its code and reason, so they reach run.json
 * and the report like any other skipped source.
 */
import fs from 'node:fs';
import path from 'node:path';
import { discoverFiles, FORMAT_BY_EXTENSION, type DiscoveryFs, type DiscoveryProblem } from '../ingest/discover.ts';
import type { CorpusEntry } from '../schemas/index.ts';
import type { ObjectStore, StoredObject } from '../store/object-store.ts';
import type { RunContext } from './context.ts';
import { documentIdOf } from './identity.ts';

/** Opening a pipe this way returns at once (a blocking open would wait for a writer); a regular file ignores the flag. */
const READ_NONBLOCKING = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/** An entry of the source listing that is not analysed, and why. Folder keys end with a slash. */
export type SourceProblem = DiscoveryProblem;

export interface SourceListing {
  objects: StoredObject[];
  problems: SourceProblem[];
}

export interface SourceStore {
  list(): Promise<StoredObject[]>;
  /** The listing with the entries left out of it and why; a store without it leaves nothing out. */
  survey?(): Promise<SourceListing>;
  /** The bytes of a source, or undefined when it no longer exists. */
  read(key: string): Promise<Uint8Array | undefined>;
}

/** A store's listing with its problems, for stores with or without `survey`. */
export async function surveySources(store: SourceStore): Promise<SourceListing> {
  return store.survey ? store.survey() : { objects: await store.list(), problems: [] };
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * The files of a folder, walked as `discoverFiles` documents: symbolic links followed (loops and
 * second paths to one file recorded), hidden entries, unreadable folders and non-files recorded,
 * and the given folders (the run's own output, however reached) left out.
 */
export class FolderSources implements SourceStore {
  private readonly exclude: string[];
  private readonly fs: DiscoveryFs | undefined;

  constructor(
    readonly root: string,
    options: { exclude?: string[]; fs?: DiscoveryFs } = {},
  ) {
    this.exclude = (options.exclude ?? []).map((folder) => path.resolve(folder));
    this.fs = options.fs;
  }

  async survey(): Promise<SourceListing> {
    const { files, problems } = await discoverFiles(this.root, {
      exclude: this.exclude,
      ...(this.fs ? { fs: this.fs } : {}),
    });
    const objects = files.map((file) => ({ key: file.key, version: `${file.size}:${Math.round(file.mtimeMs)}` }));
    return { objects: objects.sort((left, right) => left.key.localeCompare(right.key)), problems };
  }

  async list(): Promise<StoredObject[]> {
    return (await this.survey()).objects;
  }

  /**
   * One source's bytes, read with synchronous calls: open, fstat, read, close, without the thread
   * pool's hand-off per call (see src/store/local-object-store.ts; a source is a small file).
   */
  async read(key: string): Promise<Uint8Array | undefined> {
    const file = path.join(this.root, key);
    let descriptor: number;
    try {
      descriptor = fs.openSync(file, READ_NONBLOCKING);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    try {
      // Never read what is not a regular file (a pipe put in place of a file since the listing would block the read).
      if (!fs.fstatSync(descriptor).isFile()) return undefined;
      return fs.readFileSync(descriptor);
    } finally {
      fs.closeSync(descriptor);
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

/** The version recorded for a listing problem: it changes when the reason does, so a fixed entry is planned again. */
export function problemVersion(problem: SourceProblem): string {
  return `problem:${problem.code}`;
}

/**
 * Record the listing's problems in the corpus index as skipped sources, and return their ids.
 * A problem at a key that had been analysed (a folder that became unreadable) replaces that
 * document and its outputs; an unchanged problem is left as it is.
 */
export async function recordSourceProblems(
  context: Pick<RunContext, 'state' | 'artifacts' | 'fingerprint'>,
  runId: string,
  problems: readonly SourceProblem[],
  remove: (docId: string) => Promise<void>,
): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const problem of problems) {
    const docId = documentIdOf(problem.key);
    ids.add(docId);
    const previous = await context.state.getCorpusEntry(docId);
    if (
      previous?.status === 'skipped' &&
      previous.code === problem.code &&
      previous.reason === problem.reason &&
      previous.sourceKey === problem.key
    )
      continue;
    if (previous && previous.status !== 'skipped') await remove(docId);
    const entry: CorpusEntry = {
      docId,
      sourceKey: problem.key,
      sourceVersion: problemVersion(problem),
      contentHash: null,
      fingerprint: context.fingerprint,
      status: 'skipped',
      code: problem.code,
      reason: problem.reason,
      updatedAt: new Date().toISOString(),
    };
    await context.state.putCorpusEntry(entry);
    await context.state.recordOutcome({ runId, docId, status: 'skipped', reason: problem.reason });
    await context.state.markCorpusChanged();
  }
  return ids;
}

/**
 * A skip an earlier version of the tool gave that this one may not: a file type it did not read
 * (PDF and DOCX before they were supported) or an internal error. Such entries are planned again
 * even though their source is unchanged; other skips stand until the source changes.
 */
export function isOutdatedSkip(entry: Pick<CorpusEntry, 'status' | 'code' | 'sourceKey'>): boolean {
  if (entry.status !== 'skipped') return false;
  if (entry.code === 'internal-error') return true;
  return entry.code === 'unsupported-extension' && path.extname(entry.sourceKey).toLowerCase() in FORMAT_BY_EXTENSION;
}
