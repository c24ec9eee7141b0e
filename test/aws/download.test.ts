/**
 * The download endpoint's link minting against a real S3 protocol server (s3rver): a request
 * becomes a report key (never one outside the report folders), the link is a presigned GET of
 * exactly that key that expires after 5 minutes, and a missing report is a 404.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answerDownloadRequest,
  DOWNLOAD_LINK_SECONDS,
  DownloadRequestError,
  mintDownloadLink,
  reportKeyFor,
} from '../../src/aws/download.ts';
import { createS3Client } from '../../src/store/s3-object-store.ts';
import { startS3rver, type LocalS3 } from '../support/aws-servers.ts';

const BUCKET = 'artifacts';
const HTML = '<!doctype html><title>report</title>';

let server: LocalS3;
let client: S3Client;

beforeAll(async () => {
  server = await startS3rver({ buckets: [BUCKET] });
  client = createS3Client({ endpoint: server.url, region: server.region, credentials: server.credentials });
  for (const key of ['report/report.html', 'runs/run-2024-05-01/report/digests.csv'])
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: HTML, ContentType: 'text/html' }));
});

afterAll(async () => {
  client?.destroy();
  await server?.close();
});

describe('reportKeyFor', () => {
  it('maps a request to a report key: the latest report by default, a run, a file, or a key as "report ready" names it', () => {
    expect(reportKeyFor({})).toBe('report/report.html');
    expect(reportKeyFor({ file: 'report.md' })).toBe('report/report.md');
    expect(reportKeyFor({ run: 'run-2024-05-01' })).toBe('runs/run-2024-05-01/report/report.html');
    expect(reportKeyFor({ run: 'run-2024-05-01', file: 'digests.csv' })).toBe('runs/run-2024-05-01/report/digests.csv');
    expect(reportKeyFor({ key: 'runs/r1/report/report.html' })).toBe('runs/r1/report/report.html');
  });

  it('refuses anything outside the report folders', () => {
    for (const query of [
      { key: 'docs/a/postmortem.json' },
      { key: 'report/../docs/a/postmortem.json' },
      { key: 'runs/r1/patterns.json' },
      { key: 'config/catalog.yaml' },
      { key: 'report/' },
      { file: '../docs/a/summary.json' },
      { run: '../docs', file: 'x' },
      { key: 'report/report.html', run: 'r1' },
    ])
      expect(() => reportKeyFor(query), JSON.stringify(query)).toThrow(DownloadRequestError);
  });
});

describe('mintDownloadLink against s3rver', () => {
  it('presigns a GET of exactly the key, valid for 5 minutes, that fetches the report', async () => {
    // Prepare
    const now = new Date();

    // Act
    const link = await mintDownloadLink('report/report.html', { client, bucket: BUCKET, now });
    const response = await fetch(link.url);

    // Assess
    const url = new URL(link.url);
    expect(url.pathname).toBe(`/${BUCKET}/report/report.html`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe(String(DOWNLOAD_LINK_SECONDS));
    expect(DOWNLOAD_LINK_SECONDS).toBe(300);
    expect(link.expiresAt).toBe(new Date(now.getTime() + 300_000).toISOString());
    expect(link.key).toBe('report/report.html');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(HTML);
  });

  it('gives a link that S3 refuses once its 5 minutes are over', async () => {
    // Prepare: a link signed six minutes ago.
    const signedAt = new Date(Date.now() - 6 * 60_000);

    // Act
    const link = await mintDownloadLink('report/report.html', { client, bucket: BUCKET, now: signedAt });
    const response = await fetch(link.url);

    // Assess
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Request has expired');
  });

  it('answers 404 for a report that is not there, and mints nothing', async () => {
    await expect(mintDownloadLink('runs/gone/report/report.html', { client, bucket: BUCKET })).rejects.toMatchObject({
      name: 'DownloadRequestError',
      statusCode: 404,
    });
  });
});

describe('answerDownloadRequest (the Function URL event)', () => {
  it('answers a GET with the link as JSON, and with a redirect when asked', async () => {
    // Act
    const json = await answerDownloadRequest(
      {
        requestContext: { http: { method: 'GET' } },
        queryStringParameters: { run: 'run-2024-05-01', file: 'digests.csv' },
      },
      { client, bucket: BUCKET },
    );
    const redirect = await answerDownloadRequest(
      { requestContext: { http: { method: 'GET' } }, queryStringParameters: { redirect: 'true' } },
      { client, bucket: BUCKET },
    );

    // Assess
    expect(json.statusCode).toBe(200);
    expect(json.headers['cache-control']).toBe('no-store');
    const body = JSON.parse(json.body) as { url: string; key: string; expiresInSeconds: number };
    expect(body.key).toBe('runs/run-2024-05-01/report/digests.csv');
    expect(body.expiresInSeconds).toBe(300);
    expect(new URL(body.url).pathname).toBe(`/${BUCKET}/runs/run-2024-05-01/report/digests.csv`);
    expect(redirect.statusCode).toBe(302);
    expect(new URL(redirect.headers.location ?? '').pathname).toBe(`/${BUCKET}/report/report.html`);
  });

  it('refuses other methods and keys outside the reports with their status, no link', async () => {
    const post = await answerDownloadRequest(
      { requestContext: { http: { method: 'POST' } } },
      { client, bucket: BUCKET },
    );
    const outside = await answerDownloadRequest(
      { requestContext: { http: { method: 'GET' } }, queryStringParameters: { key: 'docs/a/postmortem.json' } },
      { client, bucket: BUCKET },
    );
    expect(post.statusCode).toBe(405);
    expect(outside.statusCode).toBe(400);
    expect(outside.body).not.toContain('X-Amz-Signature');
  });
});
