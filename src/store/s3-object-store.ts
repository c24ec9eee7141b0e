import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ObjectStore, StoredObject } from './object-store.ts';

export interface AwsClientOptions {
  /** A local or custom endpoint (s3rver, MinIO, a VPC endpoint); path-style addressing follows by default. */
  endpoint?: string;
  /** Defaults to the SDK's own resolution (AWS_REGION, profile), or us-east-1 with an endpoint. */
  region?: string;
  credentials?: S3ClientConfig['credentials'];
  forcePathStyle?: boolean;
}

/**
 * An S3 client for the object stores. Checksums are computed and validated only when an operation
 * requires them: with the SDK's default (WHEN_SUPPORTED), a streamed body is sent aws-chunked with a
 * trailing checksum, which S3-compatible servers (s3rver) store with the chunk framing.
 */
export function createS3Client(options: AwsClientOptions = {}): S3Client {
  const region = options.region ?? (options.endpoint ? 'us-east-1' : undefined);
  return new S3Client({
    ...(region ? { region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export interface S3ObjectStoreOptions {
  client: S3Client;
  bucket: string;
  /** A folder of the bucket the store is rooted at ("artifacts" or "artifacts/"); keys are relative to it. */
  prefix?: string;
  /** MaxKeys of each ListObjectsV2 page (S3 caps it at 1,000). */
  listPageSize?: number;
}

/** Content types by extension, for puts that give none (reports opened through presigned URLs). */
const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.jsonl': 'application/x-ndjson',
  '.html': 'text/html; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
};

function contentTypeOf(key: string): string | undefined {
  const extension = /\.[^./]+$/.exec(key)?.[0]?.toLowerCase();
  return extension ? CONTENT_TYPES[extension] : undefined;
}

function isNoSuchKey(error: unknown): boolean {
  return error instanceof NoSuchKey || (error instanceof Error && error.name === 'NoSuchKey');
}

/**
 * Objects in an S3 bucket, under an optional folder prefix, with the key layout of the local
 * folder store. `list(prefix)` matches keys that start with `prefix` (as S3 and the memory store
 * do) and returns them relative to the store's prefix, sorted.
 */
/** ETags arrive quoted in listings and bare in event records: both name one version. */
export function unquoteEtag(etag: string): string {
  return etag.replace(/^"(.*)"$/, '$1');
}

export class S3ObjectStore implements ObjectStore {
  readonly client: S3Client;
  readonly bucket: string;
  /** Empty, or a folder ending in "/". */
  readonly prefix: string;
  private readonly listPageSize: number | undefined;

  constructor(options: S3ObjectStoreOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    const folder = (options.prefix ?? '').replace(/^\/+|\/+$/g, '');
    this.prefix = folder ? `${folder}/` : '';
    this.listPageSize = options.listPageSize;
  }

  /** The bucket key of a store key. */
  keyOf(key: string): string {
    return `${this.prefix}${key}`;
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key) }));
      if (!response.Body) return new Uint8Array();
      return await response.Body.transformToByteArray();
    } catch (error) {
      if (isNoSuchKey(error)) return undefined;
      throw error;
    }
  }

  async put(key: string, body: Uint8Array | string, contentType?: string): Promise<void> {
    const type = contentType ?? contentTypeOf(key);
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.keyOf(key),
        Body: body,
        ...(type ? { ContentType: type } : {}),
      }),
    );
  }

  async list(prefix: string): Promise<string[]> {
    return (await this.listObjects(prefix)).map((object) => object.key);
  }

  async listObjects(prefix: string): Promise<StoredObject[]> {
    const objects: StoredObject[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.keyOf(prefix),
          ...(continuationToken ? { ContinuationToken: continuationToken } : {}),
          ...(this.listPageSize ? { MaxKeys: this.listPageSize } : {}),
        }),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key !== undefined && object.Key.startsWith(this.prefix))
          objects.push({ key: object.Key.slice(this.prefix.length), version: unquoteEtag(object.ETag ?? '') });
      }
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken);
    return objects.sort((left, right) => (left.key < right.key ? -1 : left.key > right.key ? 1 : 0));
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (let index = 0; index < keys.length; index += 1000) {
      const batch = keys.slice(index, index + 1000);
      await this.client.send(
        new DeleteObjectsCommand({
          Bucket: this.bucket,
          Delete: { Objects: batch.map((key) => ({ Key: this.keyOf(key) })), Quiet: true },
        }),
      );
    }
  }

  /** A URL that downloads the object without credentials until it expires (SigV4 caps it at 7 days). */
  presignedGetUrl(key: string, expiresInSeconds = 900): Promise<string> {
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key) }), {
      expiresIn: expiresInSeconds,
    });
  }
}
