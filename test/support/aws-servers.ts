/**
 * In-process AWS protocol servers for tests: s3rver (S3 over HTTP, objects in a temporary folder)
 * and dynalite (DynamoDB in memory), each on 127.0.0.1 with a free port. Clients reach them through
 * the real SDK with `createS3Client` / `createDynamoDbClient` and the returned url and credentials.
 *
 * s3rver's continuation tokens (paginated ListObjectsV2) are DES-encrypted, a cipher OpenSSL 3
 * only offers in its legacy provider (`--openssl-legacy-provider`). Rather than a process flag,
 * `startS3rver` has this process's `crypto.createCipheriv`/`createDecipheriv` answer a request for
 * single DES with Triple DES under the key repeated three times (EDE with K1 = K2 = K3 is DES: the
 * bytes are identical), which the default provider has. Only the names 'des' / 'des-cbc' with an
 * 8-byte key are redirected; everything else reaches crypto untouched.
 */
import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import S3rver from 's3rver';

/** s3rver accepts signatures made with this key pair only; dynalite accepts any. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
export const LOCAL_REGION = 'us-east-1';

/** One S3 event-notification record as s3rver emits it (keys are not URL-encoded, unlike S3's). */
export interface S3EventRecord {
  eventVersion: string;
  eventSource: 'aws:s3';
  awsRegion: string;
  eventTime: string;
  eventName: string;
  s3: {
    s3SchemaVersion: string;
    configurationId: string;
    bucket: { name: string; arn: string };
    object: { key: string; size?: number; eTag?: string; sequencer: string };
  };
}

/** The body S3 sends to SQS or EventBridge: one notification with its records. */
export interface S3Event {
  Records: S3EventRecord[];
}

export interface LocalS3 {
  url: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Emits 'event' with each notification ({ Records }) synchronously, before the request is answered. */
  events: EventEmitter<{ event: [S3Event] }>;
  /** Every notification so far, in order. */
  notifications: S3Event[];
  close(): Promise<void>;
}

export interface LocalDynamoDb {
  url: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Creates a table with string keys `pk` (hash) and `sk` (range) and waits until it is active. */
  createTable(tableName: string): Promise<void>;
  close(): Promise<void>;
}

let desRedirected = false;

/** See the header: single DES through Triple DES, so s3rver's continuation tokens work on OpenSSL 3. */
export function redirectDesToTripleDes(): void {
  if (desRedirected) return;
  desRedirected = true;
  type Create = (algorithm: string, key: unknown, ...rest: unknown[]) => unknown;
  const redirect =
    (original: Create): Create =>
    (algorithm, key, ...rest) =>
      typeof algorithm === 'string' &&
      ['des', 'des-cbc'].includes(algorithm.toLowerCase()) &&
      Buffer.isBuffer(key) &&
      key.length === 8
        ? original('des-ede3-cbc', Buffer.concat([key, key, key]), ...rest)
        : original(algorithm, key, ...rest);
  const mutable = crypto as unknown as Record<'createCipheriv' | 'createDecipheriv', Create>;
  mutable.createCipheriv = redirect(mutable.createCipheriv.bind(crypto));
  mutable.createDecipheriv = redirect(mutable.createDecipheriv.bind(crypto));
}

/** Starts s3rver with the given buckets, storing objects in a temporary folder removed on close. */
export async function startS3rver(options: { buckets: string[] }): Promise<LocalS3> {
  redirectDesToTripleDes();
  const directory = await mkdtemp(path.join(os.tmpdir(), 's3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    vhostBuckets: false,
    configureBuckets: options.buckets.map((name) => ({ name, configs: [] })),
  });
  const events = new EventEmitter<{ event: [S3Event] }>();
  const notifications: S3Event[] = [];
  // S3rver is a Koa application, hence an EventEmitter; its typings leave that out.
  (server as unknown as EventEmitter).on('event', (event: S3Event) => {
    notifications.push(event);
    events.emit('event', event);
  });
  const address = await server.run();
  return {
    url: `http://127.0.0.1:${address.port}`,
    region: LOCAL_REGION,
    credentials: { ...LOCAL_CREDENTIALS },
    events,
    notifications,
    async close() {
      (server as unknown as { httpServer?: Server }).httpServer?.closeAllConnections();
      await server.close();
      events.removeAllListeners();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** Starts dynalite in memory; tables become active at once. */
export async function startDynalite(): Promise<LocalDynamoDb> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const admin = new DynamoDBClient({ endpoint: url, region: LOCAL_REGION, credentials: { ...LOCAL_CREDENTIALS } });
  return {
    url,
    region: LOCAL_REGION,
    credentials: { ...LOCAL_CREDENTIALS },
    async createTable(tableName: string) {
      await admin.send(
        new CreateTableCommand({
          TableName: tableName,
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      // CREATING lasts createTableMs (0): the table is active after the next turn of the event loop.
      for (;;) {
        const { Table } = await admin.send(new DescribeTableCommand({ TableName: tableName }));
        if (Table?.TableStatus === 'ACTIVE') return;
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
    async close() {
      admin.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
