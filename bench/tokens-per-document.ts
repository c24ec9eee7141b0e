/**
 * Model input tokens per document over golden/: every summarize, classify and analyze request of
 * the model engine (answers scripted from the golden labels) is measured the way Bedrock charges
 * it — the tool definition and system prompt are a cached prefix when they reach the 1,024-token
 * minimum, so a request is charged its messages; otherwise its whole prompt — and compared with
 * the document's own tokens (the same 4-characters-a-token estimate on both sides).
 *
 *   npx tsx bench/tokens-per-document.ts [--golden golden]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadCatalog } from '../src/catalog/index.ts';
import { createModelEngine } from '../src/engines/model/index.ts';
import { cachablePrefixTokens } from '../src/models/bedrock-mapping.ts';
import { DEFAULT_PROMPT_CACHE_MIN_TOKENS } from '../src/models/bedrock.ts';
import { estimateRequestInputTokens } from '../src/models/governor.ts';
import { estimateTokens, type LanguageModel } from '../src/models/language-model.ts';
import { runLocal } from '../src/pipeline/run-local.ts';
import { loadPrompts, PROMPT_STAGES, type PromptStage } from '../src/prompts/index.ts';
import { MemoryObjectStore } from '../src/store/memory-object-store.ts';
import { ingestFile, listFiles } from '../src/ingest/index.ts';
import { documentIdOf } from '../src/run/identity.ts';
import { createGoldenScript } from '../test/support/golden-script.ts';
import { round } from './support.ts';

const { values } = parseArgs({ options: { golden: { type: 'string', default: 'golden' } } });
const goldenDir = values.golden;
const casesDir = path.join(goldenDir, 'cases');
const script = createGoldenScript(goldenDir);
const charged = new Map<string, { cached: number; uncached: number }>();
const model: LanguageModel = {
  provider: 'bench',
  modelId: 'scripted',
  async generate(request) {
    const document = (request.label?.subject ?? '').split('#')[0] as string;
    const whole = estimateRequestInputTokens(request);
    const prefix = cachablePrefixTokens(request);
    const messages = whole - prefix;
    const entry = charged.get(document) ?? { cached: 0, uncached: 0 };
    entry.cached += prefix >= DEFAULT_PROMPT_CACHE_MIN_TOKENS ? messages : whole;
    entry.uncached += whole;
    if (['summarize', 'classify', 'analyze'].includes(request.label?.stage ?? '')) charged.set(document, entry);
    const toolInput = await script(request.tool.name, request.messages[0]?.content ?? '');
    return {
      text: JSON.stringify(toolInput),
      toolInput,
      stopReason: 'tool',
      usage: { inputTokens: whole, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
      latencyMillis: 0,
      warnings: [],
    };
  },
};
const catalog = await loadCatalog();
const prompts = await loadPrompts();
const engine = createModelEngine({
  id: 'bench',
  models: Object.fromEntries(PROMPT_STAGES.map((stage) => [stage, model])) as Record<PromptStage, LanguageModel>,
  prompts,
  catalog: catalog.catalog,
});
await runLocal({
  inputDir: casesDir,
  outDir: 'unused',
  store: new MemoryObjectStore(),
  engine,
  catalog,
  concurrency: 4,
});

const files = await listFiles(casesDir);
const ratios: number[] = [];
const uncachedRatios: number[] = [];
let documentTokens = 0;
let chargedTokens = 0;
for (const file of files) {
  const outcome = await ingestFile(casesDir, file, documentIdOf(file));
  if (!outcome.ok) continue;
  const tokens = estimateTokens(outcome.postmortem.text);
  const entry = charged.get(outcome.postmortem.id);
  if (!entry) continue;
  documentTokens += tokens;
  chargedTokens += entry.cached;
  ratios.push(entry.cached / tokens);
  uncachedRatios.push(entry.uncached / tokens);
}
ratios.sort((left, right) => left - right);
const mean = (list: number[]): number => list.reduce((total, value) => total + value, 0) / list.length;
const systemTokens = Object.fromEntries(PROMPT_STAGES.map((stage) => [stage, estimateTokens(prompts[stage].system)]));
const result = {
  documents: ratios.length,
  ratioOverall: round(chargedTokens / documentTokens),
  ratioMean: round(mean(ratios)),
  ratioMedian: round(ratios[Math.floor(ratios.length / 2)] ?? 0),
  ratioMax: round(ratios[ratios.length - 1] ?? 0),
  ratioMeanWithoutPromptCache: round(mean(uncachedRatios)),
  systemPromptTokens: systemTokens,
};
console.log(
  `model input tokens per document over ${ratios.length} golden documents: ${result.ratioOverall}x the documents' own tokens overall (mean ${result.ratioMean}, median ${result.ratioMedian}, max ${result.ratioMax}); without prompt caching ${result.ratioMeanWithoutPromptCache}x`,
);
console.log(JSON.stringify(result));
