import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, putJson } from '../../src/store/object-store.ts';
import { createS3Client, S3ObjectStore } from '../../src/store/s3-object-store.ts';
import { startS3rver, type LocalS3 } from '../support/aws-servers.ts';

const BUCKET = 'artifacts';

describe('S3ObjectStore on s3rver', () => {
  let s3: LocalS3;
  let client: S3Client;
  let runCounter = 0;
  /** A store under a prefix no other test uses. */
  const freshStore = (options: { listPageSize?: number } = {}) =>
    new S3ObjectStore({ client, bucket: BUCKET, prefix: `test-${(runCounter += 1)}`, ...options });

  beforeAll(async () => {
    s3 = await startS3rver({ buckets: [BUCKET] });
    client = createS3Client({ endpoint: s3.url, region: s3.region, credentials: s3.credentials });
  });

  afterAll(async () => {
    client?.destroy();
    await s3?.close();
  });

  it('round-trips text, JSON and every byte value', async () => {
    // Prepare
    const store = freshStore();
    const binary = Uint8Array.from({ length: 512 }, (_, index) => index % 256);

    // Act
    await store.put('docs/a/summary.txt', 'plain text, ünïcödé');
    await store.put('cache/blob.bin', binary);
    await putJson(store, 'runs/r1/patterns.json', { patterns: [1, 2, 3] });

    // Assess
    expect(new TextDecoder().decode(await store.get('docs/a/summary.txt'))).toBe('plain text, ünïcödé');
    expect(Array.from((await store.get('cache/blob.bin')) ?? [])).toEqual(Array.from(binary));
    expect(await getJson(store, 'runs/r1/patterns.json')).toEqual({ patterns: [1, 2, 3] });
  });

  it('stores the content type given, or one inferred from the extension', async () => {
    // Prepare
    const store = freshStore();

    // Act
    await store.put('reports/r1/digests.csv', 'a,b\n', 'text/csv');
    await store.put('reports/r1/report.html', '<p>hi</p>');
    const head = (key: string) => client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: store.keyOf(key) }));

    // Assess
    expect((await head('reports/r1/digests.csv')).ContentType).toBe('text/csv');
    expect((await head('reports/r1/report.html')).ContentType).toMatch(/^text\/html/);
  });

  it('answers undefined for a missing key', async () => {
    // Prepare
    const store = freshStore();
    await store.put('present.json', '{}');

    // Act
    const missing = await store.get('absent.json');

    // Assess
    expect(missing).toBeUndefined();
  });

  it('lists every key across ListObjectsV2 pages, relative to the store prefix and sorted', async () => {
    // Prepare
    const store = freshStore({ listPageSize: 7 });
    const keys = Array.from({ length: 45 }, (_, index) => `docs/doc-${String(index).padStart(3, '0')}.json`);
    await Promise.all(keys.map((key) => store.put(key, '{}')));
    await store.put('other/not-listed.json', '{}');

    // Act
    const listed = await store.list('docs/');

    // Assess
    expect(listed).toEqual(keys);
  });

  it('lists past the 1,000-key page limit of S3 with the default page size', async () => {
    // Prepare
    const store = freshStore();
    const keys = Array.from({ length: 1_005 }, (_, index) => `cache/${String(index).padStart(5, '0')}`);
    for (let start = 0; start < keys.length; start += 100)
      await Promise.all(keys.slice(start, start + 100).map((key) => store.put(key, 'x')));

    // Act
    const listed = await store.list('');

    // Assess
    expect(listed).toHaveLength(1_005);
    expect(listed).toEqual(keys);
  });

  it('isolates stores under different prefixes of one bucket', async () => {
    // Prepare
    const left = new S3ObjectStore({ client, bucket: BUCKET, prefix: 'isolation/team' });
    const right = new S3ObjectStore({ client, bucket: BUCKET, prefix: 'isolation/team-b/' });
    const root = new S3ObjectStore({ client, bucket: BUCKET });
    await left.put('run.json', '"left"');
    await right.put('run.json', '"right"');
    await right.put('docs/x.json', '{}');

    // Act
    const leftKeys = await left.list('');
    const rightKeys = await right.list('');
    const rootKeys = await root.list('isolation/');

    // Assess
    expect(leftKeys).toEqual(['run.json']);
    expect(rightKeys).toEqual(['docs/x.json', 'run.json']);
    expect(await getJson(left, 'run.json')).toBe('left');
    expect(await left.get('docs/x.json')).toBeUndefined();
    expect(rootKeys).toEqual(['isolation/team-b/docs/x.json', 'isolation/team-b/run.json', 'isolation/team/run.json']);
  });

  it('gives a presigned URL that downloads the object without credentials', async () => {
    // Prepare
    const store = freshStore();
    const key = 'reports/run 1/report ü+.html';
    await store.put(key, '<h1>Report</h1>', 'text/html');

    // Act
    const url = new URL(await store.presignedGetUrl(key, 300));
    const response = await fetch(url);

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(await response.text()).toBe('<h1>Report</h1>');
    // s3rver does not check SigV4 signatures (only the access key id): assert the URL's shape.
    expect(url.pathname).toBe(`/${BUCKET}/${store.prefix}reports/run%201/report%20%C3%BC%2B.html`);
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(
      new RegExp(`^${s3.credentials.accessKeyId}/\\d{8}/${s3.region}/s3/aws4_request$`),
    );
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('has s3rver announce each put as an S3 event-notification record', async () => {
    // Prepare
    const store = freshStore();
    const seen: string[] = [];
    const listener = (event: { Records: Array<{ eventName: string; s3: { object: { key: string } } }> }) =>
      seen.push(...event.Records.map((record) => `${record.eventName} ${record.s3.object.key}`));
    s3.events.on('event', listener);

    // Act
    await store.put('postmortems/a.md', '# A');
    s3.events.off('event', listener);

    // Assess
    expect(seen).toEqual([`ObjectCreated:Put ${store.keyOf('postmortems/a.md')}`]);
    const record = s3.notifications.at(-1)?.Records[0];
    expect(record?.s3.bucket.name).toBe(BUCKET);
    expect(record?.s3.object.eTag).toMatch(/^[0-9a-f]{32}$/);
  });
});
