/**
 * Fold at scale: 10,000 generated incidents over several technologies and failure mechanisms fold
 * into themes through the model engine's hierarchical fold (batched over incidents, not per
 * technology), with a scripted model, and the stage settles the drafts. Reports the largest
 * prompt against the input budget, the number of model calls against incidents / batch size, and
 * whether every incident is accounted for.
 *
 *   npx tsx bench/fold-scale.ts [--incidents 10000] [--budget 24000]
 */
import { parseArgs } from 'node:util';
import { loadCatalog } from '../src/catalog/index.ts';
import type { FoldIncident, OpportunitySubject } from '../src/engines/engine.ts';
import { createModelEngine } from '../src/engines/model/index.ts';
import { estimateRequestInputTokens } from '../src/models/governor.ts';
import type { LanguageModel } from '../src/models/language-model.ts';
import { loadPrompts, PROMPT_STAGES, type PromptStage } from '../src/prompts/index.ts';
import { FAULT_CATEGORIES, type FaultCategory } from '../src/schemas/index.ts';
import { opportunitySubjectOf } from '../src/stages/index.ts';
import { settleThemes, type CorpusIncident } from '../src/stages/themes.ts';
import { scriptedOpportunities, scriptedThemes } from '../test/support/scripted-stages.ts';
import { round } from './support.ts';

const { values } = parseArgs({
  options: { incidents: { type: 'string', default: '10000' }, budget: { type: 'string', default: '24000' } },
});
const count = Number(values.incidents);
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
/** Cause sentences of a handful of failure mechanisms, in any technology, and one without a named mechanism. */
const causes: Array<(technology: string, service: number) => string> = [
  (technology, service) =>
    `The TLS certificate of the ${technology} cluster behind service ${service} expired and clients could not connect.`,
  (technology, service) =>
    `A DNS record change for ${technology} in service ${service} was cached by resolvers with a long TTL, so clients kept the stale address.`,
  (technology, service) =>
    `Replicas of ${technology} for service ${service} fell behind the primary and reads served stale data.`,
  (technology, service) =>
    `Service ${service} sent most writes to one hot partition of ${technology}, which throttled while the rest sat idle.`,
  (technology, service) =>
    `Reads of ${technology} in service ${service} scanned millions of tombstones left by deletes, and latency grew.`,
  (technology, service) =>
    `The account quota for ${technology} in service ${service} was reached and new calls were rejected.`,
  (technology, service) =>
    `Clocks on the ${technology} nodes of service ${service} drifted apart after NTP stopped, and leases expired early.`,
  (technology, service) =>
    `An engineer ran the cleanup script against the wrong cluster and removed the ${technology} tables of service ${service}.`,
  (technology, service) =>
    `Service ${service} ran on ${technology} version ${service % 7}.${service % 5} when the nightly ledger export stalled.`,
];

const incidents: FoldIncident[] = Array.from({ length: count }, (_unused, index) => {
  const technology = technologies[index % technologies.length] as string;
  const service = index % 97;
  const sentences = [
    (causes[index % causes.length] as (technology: string, service: number) => string)(technology, service),
    `The on-call engineer for service ${service} was paged and opened an incident bridge.`,
    `An alert existed but its threshold was set above the level reached.`,
  ];
  return {
    docId: `incident-${String(index).padStart(5, '0')}`,
    technologies: [technology],
    faultCategory: FAULT_CATEGORIES[(index * 7) % 5] as FaultCategory,
    faultSecondary: null,
    sentences,
    causeSentences: sentences.length,
    contributingFactors: [factors[index % factors.length] as string, factors[(index + 3) % factors.length] as string],
  };
});

const requests: Array<{ stage: string; id: string; inputTokens: number }> = [];
const model: LanguageModel = {
  provider: 'bench',
  modelId: 'scripted-fold',
  generate(request) {
    requests.push({
      stage: request.label?.stage ?? '',
      id: request.label?.subject ?? '',
      inputTokens: estimateRequestInputTokens(request),
    });
    const userText = request.messages[0]?.content ?? '';
    const toolInput =
      request.tool.name === 'submit_themes' ? scriptedThemes(userText) : scriptedOpportunities(userText);
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
const { output: drafts } = await engine.foldPatterns({ incidents });
const corpus: CorpusIncident[] = incidents.map((incident) => ({ ...incident, contentHash: null, date: null }));
const fold = settleThemes(drafts, corpus, []);
const subjects: OpportunitySubject[] = fold.patterns.map(opportunitySubjectOf);
const { output: opportunities } = await engine.describeOpportunities({ patterns: subjects });
const seconds = (performance.now() - started) / 1000;

const foldCalls = requests.filter((request) => request.stage === 'patterns');
const largest = Math.max(...requests.map((request) => request.inputTokens));
const inDrafts = new Set(drafts.flatMap((draft) => draft.incidentIds));
const accounted = [
  ...fold.patterns.flatMap((pattern) => pattern.incidentIds),
  ...fold.notRecurring.map((entry) => entry.incidentId),
  ...fold.noCatalog.map((entry) => entry.incidentId),
  ...fold.duplicates.map((entry) => entry.incidentId),
];
const perIncidentTokens = Math.ceil(
  incidents.reduce((total, incident) => total + incident.sentences.join(' ').length / 4 + 30, 0) / incidents.length,
);
const firstLevelBatch = Math.floor(budget / perIncidentTokens);
const result = {
  incidents: count,
  budgetTokens: budget,
  largestPromptTokens: largest,
  everyPromptUnderBudget: largest <= budget,
  foldCalls: foldCalls.length,
  foldLevels: new Set(foldCalls.map((request) => request.id)).size,
  opportunityCalls: requests.length - foldCalls.length,
  approximateBatchSize: firstLevelBatch,
  incidentsOverBatchSize: round(count / firstLevelBatch, 1),
  drafts: drafts.length,
  themes: fold.patterns.length,
  /** Below `themes` when one mechanism ended up in several themes (the fold could not merge them under the budget). */
  distinctThemeNames: new Set(fold.patterns.map((pattern) => pattern.theme)).size,
  largestTheme: fold.patterns[0]?.count ?? 0,
  notRecurring: fold.notRecurring.length,
  droppedMembers: fold.dropped.length,
  opportunities: opportunities.length,
  incidentsInDrafts: inDrafts.size,
  incidentsAccounted: accounted.length,
  everyIncidentAccountedOnce: accounted.length === count && new Set(accounted).size === count,
  seconds: round(seconds, 2),
};
console.log(
  `${count} incidents -> ${fold.patterns.length} themes in ${foldCalls.length} fold calls over ${result.foldLevels} level(s) (incidents / batch size = ${result.incidentsOverBatchSize}); largest prompt ${largest} of ${budget} tokens; ${accounted.length} of ${count} incidents accounted for`,
);
console.log(JSON.stringify(result));
if (process.env.FOLD_SCALE_THEMES) for (const pattern of fold.patterns) console.log(pattern.count, pattern.theme);
