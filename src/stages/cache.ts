import { createHash } from 'node:crypto';
import { getJson, putJson, type ObjectStore } from '../store/object-store.ts';

/** sha256 of a JSON value with sorted keys, so equal values hash equally. */
export function hashOf(value: unknown): string {
  return createHash('sha256').update(stableStringify(value)).digest('hex');
}

/** JSON with object keys sorted (by UTF-16 code units) and undefined members left out. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    // One pass over sorted keys, without the intermediate entry arrays: cache keys hash whole documents.
    let body = '';
    for (const key of Object.keys(record).sort()) {
      const inner = record[key];
      if (inner === undefined) continue;
      body += `${body ? ',' : ''}${JSON.stringify(key)}:${stableStringify(inner)}`;
    }
    return `{${body}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Stage results addressed by content: the key chains stage, stage version, engine, model,
 * engine version and the input's hash. A missing, torn or unreadable entry is a miss; a lost
 * write only costs a recomputation.
 */
export interface StageCache {
  keyOf(stage: string, parts: unknown): string;
  get<T>(key: string): Promise<T | undefined>;
  /** Store a result without holding up the caller; `flush` reports a write that failed. */
  put(key: string, value: unknown): Promise<void>;
  /** Wait for every write so far; throws the first write error. */
  flush(): Promise<void>;
}

/** The key of a stage result: the same in every cache, so a key names a local entry or an S3 object alike. */
export function stageCacheKey(prefix: string, stage: string, parts: unknown): string {
  return `${prefix}/${stage}/${hashOf(parts)}.json`;
}

/** Stage results as objects of a store, one per key: the cache of the AWS path (S3). */
export class ResultCache implements StageCache {
  /** With an index, a key it lacks is a miss without a read: one listing replaces a failed read per stage call. */
  private index?: Promise<Set<string>>;

  constructor(
    private readonly store: ObjectStore,
    private readonly prefix = 'cache',
    options: { indexed?: boolean } = {},
  ) {
    if (options.indexed) this.index = store.list(`${prefix}/`).then((keys) => new Set(keys));
  }

  keyOf(stage: string, parts: unknown): string {
    return stageCacheKey(this.prefix, stage, parts);
  }

  /** A missing or unreadable (torn, corrupt) entry is a miss. */
  async get<T>(key: string): Promise<T | undefined> {
    if (this.index && !(await this.index).has(key)) return undefined;
    try {
      return await getJson<T>(this.store, key);
    } catch (error) {
      if (error instanceof SyntaxError) return undefined;
      throw error;
    }
  }

  private readonly pending = new Set<Promise<void>>();
  private failure: unknown;

  /**
   * Store a result without holding up the caller: the write is tracked, and `flush()` waits for
   * every write and reports the first that failed. A lost write only costs a recomputation.
   */
  put(key: string, value: unknown): Promise<void> {
    void this.index?.then((keys) => keys.add(key));
    const write = putJson(this.store, key, value).then(
      () => undefined,
      (error: unknown) => {
        this.failure ??= error;
      },
    );
    this.pending.add(write);
    void write.finally(() => this.pending.delete(write));
    return Promise.resolve();
  }

  /** Wait for every write so far; throws the first write error. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    if (this.failure !== undefined) throw this.failure;
  }
}
