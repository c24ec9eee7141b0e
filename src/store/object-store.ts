/**
 * A small key-value store of bytes under slash-separated keys. The local folder implementation
 * serves the CLI; an S3 implementation with the same key layout serves the Lambdas.
 */
export interface ObjectStore {
  get(key: string): Promise<Uint8Array | undefined>;
  put(key: string, body: Uint8Array | string, contentType?: string): Promise<void>;
  list(prefix: string): Promise<string[]>;
}

export async function getJson<T>(store: ObjectStore, key: string): Promise<T | undefined> {
  const body = await store.get(key);
  return body === undefined ? undefined : (JSON.parse(new TextDecoder().decode(body)) as T);
}

export function putJson(store: ObjectStore, key: string, value: unknown): Promise<void> {
  return store.put(key, `${JSON.stringify(value, null, 2)}\n`, 'application/json');
}
