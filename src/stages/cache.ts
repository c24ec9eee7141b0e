import { createHash } from 'node:crypto';
import { getJson, putJson, type ObjectStore } from '../store/object-store.ts';

/** sha256 of a JSON value with sorted keys, so equal values hash equally. */
export function hashOf(value: unknown): string {
  return createHash('sha256').update(stableStringify(value)).digest('hex');
}

export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, inner]) => inner !== undefined)
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${stableStringify(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Stage results addressed by content: the key chains stage, stage version, engine, model,
 * engine version and the input's hash. The same key names a local file or an S3 object.
 */
export class ResultCache {
  constructor(
    private readonly store: ObjectStore,
    private readonly prefix = 'cache',
  ) {}

  keyOf(stage: string, parts: unknown): string {
    return `${this.prefix}/${stage}/${hashOf(parts)}.json`;
  }

  get<T>(key: string): Promise<T | undefined> {
    return getJson<T>(this.store, key);
  }

  put(key: string, value: unknown): Promise<void> {
    return putJson(this.store, key, value);
  }
}
