/**
 * Fold at scale: 10,000 generated digests over several technologies and fault categories fold
 * into patterns through the model engine's hierarchical fold, with a scripted model. Reports the
 * largest prompt against the input budget and the number of model calls against
 * digests / batch size.
 *
 *   npx tsx bench/fold-scale.ts [--digests 10000] [--budget 24000]
 */
import { parseArgs } from 'node:util';
import { loadCatalog } from '../src/catalog/index.ts';
import { createModelEngine } from '../src/engines/model/index.ts';
import { estimateRequestInputTokens } from '../src/models/governor.ts';
import type { LanguageModel } from '../src/models/language-model.ts';
import { loadPrompts, PROMPT_STAGES, type PromptStage } from '../src/prompts/index.ts';
import { FAULT_CATEGORIES, type Digest } from '../src/schemas/index.ts';
import { scriptedOpportunities, scriptedPatterns } from '../test/support/scripted-stages.ts';
import { round } from './support.ts';

const { values } = parseArgs({
  options: { digests: { type: 'string', default: '10000' }, budget: { type: 'string', default: '24000' } },
});
const count = Number(values.digests);
const budget = Number(values.budget);
const technologies = ['PostgreSQL', 'DynamoDB', 'Redis', 'S3', 'Elasticsearch', 'Kafka', 'MySQL', 'MongoDB'];
const factors = [
  'connection-pool-sizing',
  'missing-alerting',
  'hot-key-or-partition',
  'untested-change',
  'retry-storm',
  'disk-space',
  'memory-pressure',
];

const digests: Digest[] = Array.from({ length: count }, (_unused, index) => ({
  docId: `incident-${String(index).padStart(5, '0')}`,
  technology: technologies[index % technologies.length] as string,
  sentences: [
    `The ${technologies[index % technologies.length]} cluster of service ${index % 97} reached a limit during a traffic peak.`,
    `Requests queued behind the saturated component and clients retried without backoff.`,
    `An alert existed but its threshold was set above the level reached.`,
  ],
  faultCategory: FAULT_CATEGORIES[(index * 7) % 5] as Digest['faultCategory'],
  contributingFactors: [factors[index % factors.length] as string, factors[(index + 3) % factors.length] as string],
  evidence: [],
}));

const requests: Array<{ stage: string; inputTokens: number }> = [];
const model: LanguageModel = {
  provider: 'bench',
  modelId: 'scripted-fold',
  generate(request) {
    requests.push({ stage: request.label?.stage ?? '', inputTokens: estimateRequestInputTokens(request) });
    const userText = request.messages[0]?.content ?? '';
    const toolInput =
      request.tool.name === 'submit_patterns' ? scriptedPatterns(userText) : scriptedOpportunities(userText);
    return Promise.resolve({
      text: JSON.stringify(toolInput),
      toolInput,
      stopReason: 'tool',
      usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
      latencyMillis: 0,
      warnings: [],
    });
  },
};
const { catalog } = await loadCatalog();
const engine = createModelEngine({
  id: 'bench',
  models: Object.fromEntries(PROMPT_STAGES.map((stage) => [stage, model])) as Record<PromptStage, LanguageModel>,
  prompts: await loadPrompts(),
  catalog,
  foldInputBudgetTokens: budget,
});

const started = performance.now();
const { output: patterns } = await engine.foldPatterns({ digests });
const { output: opportunities } = await engine.describeOpportunities({ patterns });
const seconds = (performance.now() - started) / 1000;

const foldCalls = requests.filter((request) => request.stage === 'patterns');
const largest = Math.max(...requests.map((request) => request.inputTokens));
const covered = new Set(patterns.flatMap((pattern) => pattern.incidentIds));
const perDigestTokens = Math.ceil(
  digests.reduce((total, digest) => total + digest.sentences.join(' ').length / 4 + 30, 0) / digests.length,
);
const firstLevelBatch = Math.floor(budget / perDigestTokens);
const result = {
  digests: count,
  budgetTokens: budget,
  largestPromptTokens: largest,
  everyPromptUnderBudget: largest <= budget,
  foldCalls: foldCalls.length,
  opportunityCalls: requests.length - foldCalls.length,
  approximateBatchSize: firstLevelBatch,
  digestsOverBatchSize: round(count / firstLevelBatch, 1),
  patterns: patterns.length,
  opportunities: opportunities.length,
  incidentsCovered: covered.size,
  seconds: round(seconds, 2),
};
console.log(
  `${count} digests -> ${patterns.length} patterns in ${foldCalls.length} fold calls (digests / batch size = ${result.digestsOverBatchSize}); largest prompt ${largest} of ${budget} tokens; ${covered.size} incidents covered`,
);
console.log(JSON.stringify(result));
