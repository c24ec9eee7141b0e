/**
 * Errors never carry document or model text: a server whose error message echoes the prompt
 * (FastAPI's `detail`, OpenAI's `error.message`) must not put the document's personal data into
 * run.json's `failed[].reason`, whatever the error; the reason starts with an error code.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { temporaryFolder } from '../support/temporary-folder.ts';
import { loadCatalog } from '../../src/catalog/index.ts';
import { EngineConfig } from '../../src/config/engine-config.ts';
import { createEngine } from '../../src/engines/index.ts';
import { runLocal } from '../../src/pipeline/run-local.ts';
import { FakeOpenAIServer } from '../support/fake-openai-server.ts';

const PLANTED = ['jane.doe@example.com', '4111 1111 1111 1111', 'Kenji Watanabe', '+1 415 555 0134'];
const DOCUMENT = `# Checkout outage

## Summary
Customer jane.doe@example.com (card 4111 1111 1111 1111) could not pay while PostgreSQL refused connections.

## Root cause
PgBouncer exhausted its pool after Kenji Watanabe (on-call, +1 415 555 0134) raised max_connections.
`;

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()?.();
});

/** A FastAPI-style server: every completion is refused with a `detail` string that echoes the prompt. */
async function echoingFastApi(status: number): Promise<string> {
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { messages?: Array<{ content: string }> };
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ detail: `Prompt rejected: ${body.messages?.at(-1)?.content ?? ''}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

async function runAgainst(baseUrl: string): Promise<{ runJson: string; reasons: string[] }> {
  const input = temporaryFolder('pmlens-privacy-in-');
  const out = temporaryFolder('pmlens-privacy-out-');
  await mkdir(input, { recursive: true });
  await writeFile(path.join(input, 'checkout.md'), DOCUMENT);
  const catalog = await loadCatalog();
  const { engine } = await createEngine(
    EngineConfig.parse({ engine: 'openai', baseUrl, model: 'fake-model', quota: { maxRetries: 0 } }),
    catalog.catalog,
  );
  const { record } = await runLocal({ inputDir: input, outDir: out, engine, catalog, concurrency: 1 });
  const runJson = await readFile(path.join(out, 'run.json'), 'utf8');
  return { runJson, reasons: record.failed.map((failure) => failure.reason) };
}

describe('failure reasons carry no document text', () => {
  it.each([422, 400, 500])('a FastAPI detail echoing the prompt (HTTP %s) stays out of run.json', async (status) => {
    // Prepare
    const url = await echoingFastApi(status);

    // Act
    const { runJson, reasons } = await runAgainst(url);

    // Assess
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/^model-(client|server): /);
    expect(reasons[0]).toContain(`HTTP ${status}`);
    for (const value of PLANTED) expect(runJson).not.toContain(value);
    expect(runJson).not.toMatch(/PgBouncer exhausted|could not pay/);
  });

  it('an OpenAI-style error message echoing the prompt stays out of run.json', async () => {
    // Prepare
    const server = new FakeOpenAIServer({
      respond: (body) => {
        throw new Error(`cannot complete: ${body.messages?.at(-1)?.content ?? ''}`);
      },
    });
    const { url, close } = await server.start();
    closers.push(close);

    // Act
    const { runJson, reasons } = await runAgainst(url);

    // Assess
    expect(reasons[0]).toMatch(/^model-server: .*HTTP 500/);
    for (const value of PLANTED) expect(runJson).not.toContain(value);
  });
});
