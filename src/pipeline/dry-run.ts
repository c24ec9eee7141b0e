import pLimit from 'p-limit';
import type { LoadedCatalog } from '../catalog/index.ts';
import { batchCostOf, DEFAULT_BATCH_MINIMUM_RECORDS, goesToBatch } from '../batch/cost.ts';
import { costOf, type Price } from '../config/prices.ts';
import { createOfflineEngine } from '../engines/offline/index.ts';
import { ingestFile } from '../ingest/index.ts';
import { documentIdOf, FolderSources, needsWork } from '../run/index.ts';
import { openLocalStateStore } from '../store/open-state.ts';
import { estimateTokens } from '../models/language-model.ts';
import type { PromptSet, PromptStage } from '../prompts/index.ts';
import type { StageName } from '../schemas/index.ts';

export interface StageEstimate {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  estimatedCostUsd: number | null;
}

export interface DryRunEstimate {
  documents: number;
  skipped: number;
  /** Causal technologies the offline engine predicts: the number of analyze calls expected. */
  expectedDigests: number;
  stages: Record<PromptStage, StageEstimate>;
  total: StageEstimate;
  /**
   * The same run on AWS with batch inference (context key batchInference): summarize, classify and
   * analyze go through a Bedrock batch job when their calls reach the threshold, at 50% of the
   * on-demand token price (stated assumption, src/batch/cost.ts); the fold stays on demand.
   */
  batch: { minimumRecords: number; batchedStages: PromptStage[]; estimatedCostUsd: number | null };
}

/** Share of an output budget a structured answer typically uses; stated, not measured per model. */
const OUTPUT_SHARE = 0.5;

/**
 * Estimate the calls, tokens and cost of a model run before anything is spent: documents are
 * ingested and the offline engine predicts how many digests there will be; token counts use
 * the same rough 4-characters-a-token rule as the budgets.
 */
export async function estimateRun(
  inputDir: string,
  catalog: LoadedCatalog,
  prompts: PromptSet,
  priceOfStage: (stage: StageName) => Price | undefined,
  foldBudgetTokens: number,
  options: { outDir?: string; batchMinimumRecords?: number } = {},
): Promise<DryRunEstimate> {
  // Only what a run into outDir would compute: documents new or changed since its corpus index saw them.
  const sources = await new FolderSources(inputDir, { exclude: options.outDir ? [options.outDir] : [] }).list();
  const entries = options.outDir ? await (await openLocalStateStore(options.outDir)).listCorpus() : [];
  const known = new Map(entries.map((entry) => [entry.docId, entry]));
  const files = sources
    .filter((source) => {
      const entry = known.get(documentIdOf(source.key));
      return needsWork(entry, source, entry?.fingerprint ?? '');
    })
    .map((source) => source.key);
  const offline = createOfflineEngine(catalog.catalog);
  const limit = pLimit(4);
  const stages: Record<PromptStage, StageEstimate> = {
    summarize: { calls: 0, inputTokens: 0, outputTokens: 0, estimatedCostUsd: 0 },
    classify: { calls: 0, inputTokens: 0, outputTokens: 0, estimatedCostUsd: 0 },
    analyze: { calls: 0, inputTokens: 0, outputTokens: 0, estimatedCostUsd: 0 },
    patterns: { calls: 0, inputTokens: 0, outputTokens: 0, estimatedCostUsd: 0 },
    opportunities: { calls: 0, inputTokens: 0, outputTokens: 0, estimatedCostUsd: 0 },
  };
  const add = (stage: PromptStage, calls: number, input: number): void => {
    stages[stage].calls += calls;
    stages[stage].inputTokens += input + calls * estimateTokens(prompts[stage].system);
    stages[stage].outputTokens += Math.round(calls * prompts[stage].maxTokens * OUTPUT_SHARE);
  };
  let documents = 0;
  let skipped = 0;
  let expectedDigests = 0;
  let digestTokens = 0;
  await Promise.all(
    files.map((file) =>
      limit(async () => {
        const outcome = await ingestFile(inputDir, file, documentIdOf(file));
        if (!outcome.ok) {
          skipped += 1;
          return;
        }
        documents += 1;
        const tokens = estimateTokens(outcome.postmortem.text);
        const summary = (await offline.summarize(outcome.postmortem)).output;
        const classification = (await offline.classify({ postmortem: outcome.postmortem, summary })).output;
        const causes = classification.causal.length;
        expectedDigests += causes;
        digestTokens += causes * 150;
        add('summarize', 1, tokens);
        add('classify', 1, Math.round(tokens * 0.4));
        add('analyze', causes, Math.round(causes * tokens * 0.25));
      }),
    ),
  );
  const foldCalls = expectedDigests === 0 ? 0 : Math.max(1, Math.ceil(digestTokens / foldBudgetTokens));
  add('patterns', foldCalls + (foldCalls > 1 ? Math.ceil(foldCalls / 4) : 0), digestTokens);
  add('opportunities', expectedDigests === 0 ? 0 : Math.max(1, Math.ceil(foldCalls / 2)), Math.round(digestTokens / 3));
  const total: StageEstimate = { calls: 0, inputTokens: 0, outputTokens: 0, estimatedCostUsd: 0 };
  for (const stage of Object.keys(stages) as PromptStage[]) {
    const estimate = stages[stage];
    estimate.estimatedCostUsd = costOf(priceOfStage(stage), {
      inputTokens: estimate.inputTokens,
      outputTokens: estimate.outputTokens,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
    });
    total.calls += estimate.calls;
    total.inputTokens += estimate.inputTokens;
    total.outputTokens += estimate.outputTokens;
    total.estimatedCostUsd =
      total.estimatedCostUsd === null || estimate.estimatedCostUsd === null
        ? null
        : Math.round((total.estimatedCostUsd + estimate.estimatedCostUsd) * 10_000) / 10_000;
  }
  const minimumRecords = options.batchMinimumRecords ?? DEFAULT_BATCH_MINIMUM_RECORDS;
  const batchedStages = (['summarize', 'classify', 'analyze'] as const).filter((stage) =>
    goesToBatch(stages[stage].calls, minimumRecords),
  );
  let batchUsd: number | null = 0;
  for (const stage of Object.keys(stages) as PromptStage[]) {
    const estimate = stages[stage];
    const tokens = {
      inputTokens: estimate.inputTokens,
      outputTokens: estimate.outputTokens,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
    };
    const cost = (batchedStages as PromptStage[]).includes(stage)
      ? batchCostOf(priceOfStage(stage), tokens)
      : estimate.estimatedCostUsd;
    batchUsd = batchUsd === null || cost === null ? null : Math.round((batchUsd + cost) * 10_000) / 10_000;
  }
  return {
    documents,
    skipped,
    expectedDigests,
    stages,
    total,
    batch: { minimumRecords, batchedStages, estimatedCostUsd: batchUsd },
  };
}
