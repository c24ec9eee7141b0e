/**
 * A small key-value store of bytes under slash-separated keys. The local folder implementation
 * serves the CLI; an S3 implementation with the same key layout serves the Lambdas.
 */
export interface ObjectStore {
  get(key: string): Promise<Uint8Array | undefined>;
  put(key: string, body: Uint8Array | string, contentType?: string): Promise<void>;
  list(prefix: string): Promise<string[]>;
  /** Keys under a prefix with what identifies each object's version (S3 ETag; size and mtime of a file). */
  listObjects(prefix: string): Promise<StoredObject[]>;
  /** Remove objects; missing keys are no error. */
  delete(keys: readonly string[]): Promise<void>;
}

export interface StoredObject {
  key: string;
  version: string;
}

/** Every object under a prefix is removed (a document's folder of outputs, say). */
export async function deletePrefix(store: ObjectStore, prefix: string): Promise<void> {
  const keys = await store.list(prefix);
  if (keys.length > 0) await store.delete(keys);
}

export async function getJson<T>(store: ObjectStore, key: string): Promise<T | undefined> {
  const body = await store.get(key);
  return body === undefined ? undefined : (JSON.parse(new TextDecoder().decode(body)) as T);
}

export function putJson(store: ObjectStore, key: string, value: unknown): Promise<void> {
  return store.put(key, `${JSON.stringify(value, null, 2)}\n`, 'application/json');
}
