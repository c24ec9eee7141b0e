/**
 * `pmlens analyze` (the real CLI, spawned) over golden/ with the openai engine against a local
 * OpenAI-compatible server whose scripted model answers from the golden labels.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { temporaryFolder } from '../support/temporary-folder.ts';
import type { Classification, RunRecord } from '../../src/schemas/index.ts';
import { FakeOpenAIServer, type ChatCompletionRequestBody } from '../support/fake-openai-server.ts';
import { documentIdOf } from '../../src/run/identity.ts';
import { createGoldenScript, loadGoldenLabels } from '../support/golden-script.ts';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const goldenDir = path.join(root, 'golden');
const labels = loadGoldenLabels(goldenDir);
/** A golden case's document id: its file relative to cases/. */
const docIdOf = (label: { file: string }): string => documentIdOf(label.file.replace(/^cases\//, ''));
const script = createGoldenScript(goldenDir);
const closers: Array<() => Promise<void>> = [];

afterEach(async () => {
  while (closers.length > 0) await closers.pop()?.();
});

function toolNameOf(body: ChatCompletionRequestBody): string {
  const fromFormat = body.response_format?.json_schema?.name;
  if (fromFormat) return fromFormat;
  const system = body.messages?.find((message) => message.role === 'system')?.content ?? '';
  return /submit_[a-z]+/.exec(system)?.[0] ?? '';
}

async function startServer(rejectResponseFormat: boolean): Promise<{ server: FakeOpenAIServer; url: string }> {
  const server = new FakeOpenAIServer({
    apiKey: 'local-key',
    rejectResponseFormat,
    respond: async (body) => {
      const userText = body.messages?.filter((message) => message.role === 'user').pop()?.content ?? '';
      return { content: JSON.stringify(await script(toolNameOf(body), userText)) };
    },
  });
  const { url, close } = await server.start();
  closers.push(close);
  return { server, url };
}

async function analyze(url: string): Promise<{ out: string; record: RunRecord; code: number }> {
  const out = temporaryFolder('pmlens-openai-');
  const args = [
    'bin/pmlens.js',
    'analyze',
    'golden/cases',
    '--out',
    out,
    '--engine',
    'openai',
    '--base-url',
    url,
    '--model',
    'fake-model',
    '--quiet',
  ];
  let code = 0;
  try {
    await run(process.execPath, args, { cwd: root, env: { ...process.env, PMLENS_API_KEY: 'local-key' } });
  } catch (error) {
    code = (error as { code?: number }).code ?? -1;
  }
  const record = JSON.parse(await readFile(path.join(out, 'run.json'), 'utf8')) as RunRecord;
  return { out, record, code };
}

describe('the openai engine through the CLI', () => {
  it('asks for JSON-schema output and produces the labelled causes', async () => {
    // Prepare
    const { server, url } = await startServer(false);

    // Act
    const { out, record, code } = await analyze(url);

    // Assess
    expect(code).toBe(0);
    expect(record.engine.id).toBe('openai');
    expect(record.counts.succeeded).toBe(labels.size);
    expect(
      server.chatRequests.every(
        (request) => request.response_format?.type === 'json_schema' && request.model === 'fake-model',
      ),
    ).toBe(true);
    for (const label of labels.values()) {
      const classification = JSON.parse(
        await readFile(path.join(out, 'docs', docIdOf(label), 'classification.json'), 'utf8'),
      ) as Classification;
      expect(classification.causal.map((cause) => cause.technology).sort(), label.id).toEqual([...label.causal].sort());
    }
    expect(record.usage.total.calls).toBe(server.chatRequests.length);
    expect(record.usage.total.estimatedCostUsd).toBe(0);
  });

  it('falls back to JSON in text when the server rejects response_format, and says so', async () => {
    // Prepare
    const { url } = await startServer(true);

    // Act
    const { record, code } = await analyze(url);

    // Assess
    expect(code).toBe(0);
    expect(record.counts.succeeded).toBe(labels.size);
    expect(record.warnings.some((warning) => /response_format|text mode|schema/i.test(warning))).toBe(true);
  });
});
