/**
 * Quota saturation: the whole pipeline with the bedrock engine (real SDK client) against a local
 * Converse server that enforces a Bedrock-like quota — 300 requests/min, 200,000 tokens/min,
 * input + maxTokens reserved at request start, output weighing 5x at settlement, latency growing
 * with output tokens. Time is scaled down (a "minute" lasts 60 s / --scale).
 *
 * Achieved throughput is compared with the quota-bound maximum: the time the settled tokens and
 * the requests need at the quota, max(requests / rpm, tokens / tpm) windows.
 *
 *   npx tsx bench/quota-saturation.ts [--documents 500] [--scale 20]
 *
 * The last line is one JSON object with at least ratio, lost, throttled, documents.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadCatalog } from '../src/catalog/index.ts';
import { EngineConfig } from '../src/config/engine-config.ts';
import { createEngine } from '../src/engines/index.ts';
import { runLocal } from '../src/pipeline/run-local.ts';
import { startFakeBedrock } from '../test/support/fake-bedrock-server.ts';
import { createCorpusScript } from '../test/support/scripted-stages.ts';
import { round, writeCorpus } from './support.ts';

const { values } = parseArgs({
  options: { documents: { type: 'string', default: '500' }, scale: { type: 'string', default: '20' } },
});
const documents = Number(values.documents);
const scale = Number(values.scale);
const REQUESTS_PER_MINUTE = 300;
const TOKENS_PER_MINUTE = 200_000;
const OUTPUT_WEIGHT = 5;
const windowMillis = 60_000 / scale;

process.env.AWS_ACCESS_KEY_ID = 'AKIDBENCH';
process.env.AWS_SECRET_ACCESS_KEY = 'bench';
process.env.AWS_REGION = 'us-east-1';

const script = await createCorpusScript();
const { server, url, close } = await startFakeBedrock({
  respond: async (request) => {
    const toolName = request.body.toolConfig?.tools?.[0]?.toolSpec?.name ?? '';
    const userText = request.body.messages?.[0]?.content.map((block) => block.text ?? '').join('') ?? '';
    return { toolInput: await script(toolName, userText) };
  },
  quota: {
    requestsPerMinute: REQUESTS_PER_MINUTE,
    tokensPerMinute: TOKENS_PER_MINUTE,
    outputTokenWeight: OUTPUT_WEIGHT,
    reservedOutputWeight: 1,
    windowMillis,
    // Real Sonnet-like latency (about 400 ms + 15 ms per output token), scaled like the window.
    latency: (_input, output) => (400 + 15 * output) / scale,
  },
});

const { root, input } = await writeCorpus(documents);
const { catalog, path: catalogPath } = await loadCatalog();
const config = EngineConfig.parse({
  engine: 'bedrock',
  endpoint: url,
  // The governor paces in the same scaled minutes as the server.
  quota: {
    maxInFlight: 64,
    requestsPerMinute: REQUESTS_PER_MINUTE,
    tokensPerMinute: TOKENS_PER_MINUTE,
    outputTokenWeight: OUTPUT_WEIGHT,
    reservedOutputWeight: 1,
    maxRetries: 8,
    windowMillis,
  },
});
const { engine, governor } = await createEngine(config, catalog);

const started = performance.now();
const { record } = await runLocal({
  inputDir: input,
  outDir: path.join(root, 'out'),
  engine,
  catalog: { catalog, path: catalogPath },
  concurrency: 64,
});
const elapsedMillis = performance.now() - started;
await close();
await rm(root, { recursive: true, force: true });

const requests = server.counters.requests - server.counters.throttled;
const idealMillis = Math.max(requests / REQUESTS_PER_MINUTE, server.counters.tokens / TOKENS_PER_MINUTE) * windowMillis;
const lost = record.counts.discovered - record.counts.succeeded - record.counts.failed - record.counts.skipped;
const result = {
  documents,
  succeeded: record.counts.succeeded,
  failed: record.counts.failed,
  lost,
  requests,
  throttled: server.counters.throttled,
  settledTokens: server.counters.tokens,
  scale,
  elapsedSeconds: round(elapsedMillis / 1000, 2),
  idealSeconds: round(idealMillis / 1000, 2),
  ratio: round(idealMillis / elapsedMillis),
  bindingQuota: requests / REQUESTS_PER_MINUTE > server.counters.tokens / TOKENS_PER_MINUTE ? 'requests' : 'tokens',
  retries: record.usage.total.retries,
  governor: governor?.stats(),
};
console.log(
  `${result.succeeded}/${documents} documents, ${requests} admitted requests, ${result.throttled} throttled, ${result.settledTokens} quota tokens settled`,
);
console.log(
  `elapsed ${result.elapsedSeconds} s vs quota-bound ${result.idealSeconds} s (binding: ${result.bindingQuota}) -> ratio ${result.ratio}`,
);
console.log(JSON.stringify(result));
