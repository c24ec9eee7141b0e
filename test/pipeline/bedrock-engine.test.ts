/**
 * `pmlens analyze` over golden/ with the bedrock engine, through the real SDK client, against a
 * local Converse server whose scripted model answers from the golden labels.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { temporaryFolder } from '../support/temporary-folder.ts';
import { loadCatalog, type LoadedCatalog } from '../../src/catalog/index.ts';
import { EngineConfig } from '../../src/config/engine-config.ts';
import { createEngine } from '../../src/engines/index.ts';
import { runLocal } from '../../src/pipeline/run-local.ts';
import type { Classification, Digest } from '../../src/schemas/index.ts';
import { startFakeBedrock, type FakeBedrockServer, type Reply } from '../support/fake-bedrock-server.ts';
import { documentIdOf } from '../../src/run/identity.ts';
import { createGoldenScript, loadGoldenLabels } from '../support/golden-script.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const goldenDir = path.join(root, 'golden');
const casesDir = path.join(goldenDir, 'cases');
const labels = loadGoldenLabels(goldenDir);
/** A golden case's document id: its file relative to cases/. */
const docIdOf = (label: { file: string }): string => documentIdOf(label.file.replace(/^cases\//, ''));
const script = createGoldenScript(goldenDir);

let server: FakeBedrockServer;
let url: string;
let close: () => Promise<void>;
let catalog: LoadedCatalog;
/** Per-test fault injection in front of the scripted model. */
let fault: ((toolName: string, userText: string) => Reply | undefined) | undefined;

function toolNameOf(body: { toolConfig?: { tools?: Array<{ toolSpec?: { name: string } }> } }): string {
  return body.toolConfig?.tools?.[0]?.toolSpec?.name ?? '';
}

function userTextOf(body: { messages?: Array<{ role: string; content: Array<{ text?: string }> }> }): string {
  return body.messages?.[0]?.content.map((block) => block.text ?? '').join('') ?? '';
}

beforeAll(async () => {
  process.env.AWS_ACCESS_KEY_ID = 'AKIDTEST';
  process.env.AWS_SECRET_ACCESS_KEY = 'secret';
  process.env.AWS_REGION = 'us-east-1';
  delete process.env.AWS_BEARER_TOKEN_BEDROCK;
  catalog = await loadCatalog();
  ({ server, url, close } = await startFakeBedrock({
    respond: async (request) => {
      const toolName = toolNameOf(request.body);
      const userText = userTextOf(request.body);
      const injected = fault?.(toolName, userText);
      if (injected) return injected;
      return {
        toolInput: await script(toolName, userText),
        usage: { inputTokens: Math.ceil(userText.length / 4), outputTokens: 200 },
      };
    },
  }));
});

afterAll(async () => {
  await close();
});

async function engineFor(extra: Partial<EngineConfig> = {}) {
  const config = EngineConfig.parse({
    engine: 'bedrock',
    endpoint: url,
    quota: {
      maxInFlight: 8,
      requestsPerMinute: 100_000,
      tokensPerMinute: 100_000_000,
      outputTokenWeight: 5,
      maxRetries: 4,
    },
    ...extra,
  });
  return createEngine(config, catalog.catalog);
}

async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, 'utf8')) as T;
}

describe('the bedrock engine over golden/', () => {
  it('produces the labelled causes and fault categories, accounts tokens, and a rerun calls no model', async () => {
    // Prepare
    fault = undefined;
    const out = temporaryFolder('pmlens-bedrock-');
    const { engine, governor, priceOfStage } = await engineFor();

    // Act
    const first = await runLocal({ inputDir: casesDir, outDir: out, engine, catalog, concurrency: 8, priceOfStage });
    const requestsAfterFirst = server.requests.length;
    const second = await runLocal({ inputDir: casesDir, outDir: out, engine, catalog, concurrency: 8 });

    // Assess
    expect(first.record.counts.failed).toBe(0);
    expect(first.record.counts.succeeded).toBe(labels.size);
    for (const label of labels.values()) {
      const classification = await readJson<Classification>(
        path.join(out, 'docs', docIdOf(label), 'classification.json'),
      );
      expect(classification.causal.map((cause) => cause.technology).sort(), label.id).toEqual([...label.causal].sort());
      const { digests } = await readJson<{ digests: Digest[] }>(
        path.join(out, 'docs', docIdOf(label), 'document.json'),
      );
      for (const digest of digests) expect(digest.faultCategory, label.id).toBe(label.faultCategory);
    }
    const usage = first.record.usage.total;
    expect(usage.calls).toBe(requestsAfterFirst);
    expect(usage.inputTokens).toBeGreaterThan(0);
    expect(usage.estimatedCostUsd).not.toBeNull();
    expect(first.record.usage.byStage.summarize?.calls).toBe(labels.size);
    expect(server.requests.every((request) => request.modelId === 'us.anthropic.claude-sonnet-4-20250514-v1:0')).toBe(
      true,
    );
    expect(second.record.cache.computations).toBe(0);
    expect(server.requests.length).toBe(requestsAfterFirst);
    expect(governor?.stats().requests).toBe(requestsAfterFirst);
  });

  it('retries throttling and 5xx, repairs malformed output once, and records a document that stays truncated', async () => {
    // Prepare
    const out = temporaryFolder('pmlens-bedrock-faults-');
    const truncatedId = docIdOf([...labels.values()][0] as { file: string });
    const malformedId = docIdOf([...labels.values()][1] as { file: string });
    let throttleBudget = 6;
    let serverErrors = 2;
    let malformedOnce = true;
    fault = (toolName, userText) => {
      if (throttleBudget > 0) {
        throttleBudget -= 1;
        return { fault: 'throttle' };
      }
      if (serverErrors > 0) {
        serverErrors -= 1;
        return { fault: 'server' };
      }
      if (toolName === 'submit_summary' && userText.includes(`id="${truncatedId}"`))
        return { fault: 'truncated', partialText: '{"issue": {"text": "Checkout fai' };
      if (toolName === 'submit_summary' && userText.includes(`id="${malformedId}"`) && malformedOnce) {
        malformedOnce = false;
        return { toolInput: { issue: 'not an object' } };
      }
      return undefined;
    };
    const { engine } = await engineFor({
      quota: {
        maxInFlight: 4,
        requestsPerMinute: 100_000,
        tokensPerMinute: 100_000_000,
        outputTokenWeight: 5,
        maxRetries: 8,
      },
    } as Partial<EngineConfig>);

    // Act
    const faulty = await runLocal({ inputDir: casesDir, outDir: out, engine, catalog, concurrency: 4 });
    fault = undefined;
    const requestsBefore = server.requests.length;
    const healed = await runLocal({ inputDir: casesDir, outDir: out, engine, catalog, concurrency: 4 });

    // Assess
    expect(faulty.record.usage.total.throttles).toBeGreaterThanOrEqual(6);
    expect(faulty.record.usage.total.retries).toBeGreaterThanOrEqual(8);
    expect(faulty.record.failed).toEqual([
      expect.objectContaining({ docId: truncatedId, stage: 'summarize', reason: expect.stringContaining('maxTokens') }),
    ]);
    expect(faulty.record.counts.succeeded).toBe(labels.size - 1);
    expect(
      faulty.record.warnings.some((warning) => warning.includes(malformedId) && warning.includes('repaired')),
    ).toBe(true);
    expect(healed.record.counts.failed).toBe(0);
    expect(healed.record.stages.summarize?.computed).toBe(1);
    // Only the failed document is work again: the others are unchanged in the corpus index and not even looked up.
    expect(healed.record.changes).toEqual({ work: 1, unchanged: labels.size - 1, deleted: 0 });
    expect(healed.record.counts.succeeded).toBe(labels.size);
    const summarizeCallsOnRerun = server.requests
      .slice(requestsBefore)
      .filter((request) => toolNameOf(request.body) === 'submit_summary');
    expect(summarizeCallsOnRerun).toHaveLength(1);
  });

  it('records every exchange and replays it offline with identical outputs', async () => {
    // Prepare: a recording and its replay into a fresh folder share the redaction key, so both redact
    // a value to the same keyed placeholder and the replayed prompts match the recorded ones.
    fault = undefined;
    vi.stubEnv('PMLENS_REDACTION_KEY', 'record-and-replay-share-this-key');
    const recorded = temporaryFolder('pmlens-record-');
    const replayed = temporaryFolder('pmlens-replay-');
    const cassettes = temporaryFolder('pmlens-cassettes-');
    const recording = await engineFor({ record: cassettes });
    const replaying = await createEngine(EngineConfig.parse({ engine: 'replay', cassettes }), catalog.catalog);

    // Act
    await runLocal({ inputDir: casesDir, outDir: recorded, engine: recording.engine, catalog, concurrency: 8 });
    const requestsBefore = server.requests.length;
    const replay = await runLocal({
      inputDir: casesDir,
      outDir: replayed,
      engine: replaying.engine,
      catalog,
      concurrency: 8,
    });

    vi.unstubAllEnvs();

    // Assess
    expect(server.requests.length).toBe(requestsBefore);
    expect(replay.record.counts.failed).toBe(0);
    for (const id of [...labels.values()].map(docIdOf)) {
      for (const file of ['summary.json', 'classification.json', 'postmortem.json']) {
        expect(await readFile(path.join(replayed, 'docs', id, file), 'utf8'), `${id}/${file}`).toBe(
          await readFile(path.join(recorded, 'docs', id, file), 'utf8'),
        );
      }
    }
    expect(
      await readFile(path.join(replayed, 'report', 'report.json'), 'utf8').then((text) => JSON.parse(text).patterns),
    ).toEqual(
      await readFile(path.join(recorded, 'report', 'report.json'), 'utf8').then((text) => JSON.parse(text).patterns),
    );
    expect((await readdir(path.join(cassettes, 'summarize'))).length).toBe(labels.size);
  });

  it('fails clearly on a replay miss, naming stage and document', async () => {
    // Prepare
    const empty = temporaryFolder('pmlens-empty-cassettes-');
    const out = temporaryFolder('pmlens-replay-miss-');
    const { engine } = await createEngine(EngineConfig.parse({ engine: 'replay', cassettes: empty }), catalog.catalog);

    // Act
    const { record } = await runLocal({ inputDir: casesDir, outDir: out, engine, catalog, concurrency: 8 });

    // Assess
    expect(record.counts.failed).toBe(labels.size);
    const first = record.failed[0];
    expect(first?.stage).toBe('summarize');
    expect(first?.reason).toMatch(new RegExp(`no recorded reply for stage summarize, document ${first?.docId}`));
  });
});
