/**
 * Orchestration overhead: 2,000 documents through the model engine with an in-process model of
 * fixed 50 ms latency (no network), 32 documents at once. The ideal time is the model time alone
 * spread over 32 lanes: (per-document calls x 50 ms) / 32 + the fold's sequential levels.
 *
 *   npx tsx bench/orchestration-overhead.ts [--documents 2000] [--concurrency 32] [--latency 50] [--work-dir /dev/shm]
 *
 * Inputs and outputs go under --work-dir (default: the system temp folder, on disk). On a machine
 * whose disk is slow to create small files, a RAM-backed folder (/dev/shm) separates the
 * orchestration's own overhead from the disk's.
 *
 * The last line is one JSON object with at least ratio (wall time / ideal time).
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadCatalog } from '../src/catalog/index.ts';
import { createModelEngine } from '../src/engines/model/index.ts';
import { governModel, QuotaGovernor } from '../src/models/governor.ts';
import type { LanguageModel } from '../src/models/language-model.ts';
import { runLocal } from '../src/pipeline/run-local.ts';
import { loadPrompts, PROMPT_STAGES, type PromptStage } from '../src/prompts/index.ts';
import { cheapAnswer, round, peakRssBytes, toolResponse, writeCorpus } from './support.ts';

const { values } = parseArgs({
  options: {
    documents: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '32' },
    latency: { type: 'string', default: '50' },
    'work-dir': { type: 'string' },
  },
});
const documents = Number(values.documents);
const concurrency = Number(values.concurrency);
const latencyMillis = Number(values.latency);

const callsByStage = new Map<string, number>();
const model: LanguageModel = {
  provider: 'bench',
  modelId: 'fixed-latency',
  async generate(request) {
    const stage = request.label?.stage ?? 'unknown';
    callsByStage.set(stage, (callsByStage.get(stage) ?? 0) + 1);
    const userText = request.messages[0]?.content ?? '';
    const toolInput = cheapAnswer(request.tool.name, userText);
    await new Promise((resolve) => setTimeout(resolve, latencyMillis));
    return toolResponse(userText, toolInput, latencyMillis);
  },
};
const governor = new QuotaGovernor({
  maxInFlight: concurrency,
  requestsPerMinute: Number.POSITIVE_INFINITY,
  tokensPerMinute: Number.POSITIVE_INFINITY,
});
const governed = governModel(model, governor);
const { catalog, path: catalogPath } = await loadCatalog();
const models = Object.fromEntries(PROMPT_STAGES.map((stage) => [stage, governed as LanguageModel])) as Record<
  PromptStage,
  LanguageModel
>;
const engine = createModelEngine({ id: 'bench', models, prompts: await loadPrompts(), catalog });

const { root, input } = await writeCorpus(documents, 42, values['work-dir']);
const started = performance.now();
const { record } = await runLocal({
  inputDir: input,
  outDir: path.join(root, 'out'),
  engine,
  catalog: { catalog, path: catalogPath },
  concurrency,
});
const wallMillis = performance.now() - started;
const peakRss = peakRssBytes();
await rm(root, { recursive: true, force: true });

const documentCalls =
  (callsByStage.get('summarize') ?? 0) + (callsByStage.get('classify') ?? 0) + (callsByStage.get('analyze') ?? 0);
const foldCalls = (callsByStage.get('patterns') ?? 0) + (callsByStage.get('opportunities') ?? 0);
// The fold's calls run in parallel per level; its sequential depth is its levels plus the opportunities call.
const foldLevels = 2;
const idealMillis = (documentCalls * latencyMillis) / concurrency + foldLevels * latencyMillis;
const result = {
  documents,
  succeeded: record.counts.succeeded,
  failed: record.counts.failed,
  documentCalls,
  foldCalls,
  concurrency,
  latencyMillis,
  workDir: values['work-dir'] ?? 'system temp folder',
  wallSeconds: round(wallMillis / 1000, 2),
  idealSeconds: round(idealMillis / 1000, 2),
  ratio: round(wallMillis / idealMillis),
  peakRssMegabytes: Math.round(peakRss / 1024 / 1024),
  stages: Object.fromEntries(Object.entries(record.stages).map(([stage, stats]) => [stage, Math.round(stats.millis)])),
};
console.log(
  `${result.succeeded}/${documents} documents, ${documentCalls} document calls + ${foldCalls} fold calls at ${latencyMillis} ms, ${concurrency} at once`,
);
console.log(`wall ${result.wallSeconds} s vs ideal ${result.idealSeconds} s -> ratio ${result.ratio}`);
console.log(JSON.stringify(result));
