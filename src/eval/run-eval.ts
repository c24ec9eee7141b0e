import { stat } from 'node:fs/promises';
import pLimit from 'p-limit';
import { ConfigurationError } from '../errors.ts';
import type { Engine } from '../engines/engine.ts';
import type { Catalog } from '../schemas/index.ts';
import { createRunContext, FolderSources, patternsStep, processDocument } from '../run/index.ts';
import { MemoryItemTable } from '../store/item-table.ts';
import { MemoryObjectStore } from '../store/memory-object-store.ts';
import { StateStore } from '../store/state-store.ts';
import { combine, type Verification } from '../trust/verify.ts';
import { loadLabels, loadThresholds, type GoldenLabel, type Thresholds } from './labels.ts';
import {
  checkThresholds,
  scoreCases,
  scoreThemes,
  themeCounts,
  type CasePrediction,
  type EvalMetrics,
  type ThemeCounts,
  type ThemeMetrics,
  type ThresholdFailure,
} from './metrics.ts';

export interface EvalOptions {
  goldenDir: string;
  engine: Engine;
  catalog: Catalog;
  catalogHash: string;
  concurrency?: number;
  /** Redact personal data before any model call; default on for a model engine, off for offline. */
  redact?: boolean;
}

export interface EvalResult {
  metrics: EvalMetrics & ThemeMetrics & { verifiedClaimShare: number };
  /** The counts behind themeRecall and themePrecision, for pooling over several sets. */
  themeCounts: ThemeCounts;
  thresholds: Thresholds | undefined;
  failures: ThresholdFailure[];
  /** Cases whose file could not be read or analysed, with the reason. */
  caseErrors: Array<{ id: string; reason: string }>;
  labels: GoldenLabel[];
}

/**
 * Run every labelled case through the run core's document steps (in memory: nothing is written
 * next to the golden folder) and score the classification.
 */
export async function runEval(options: EvalOptions): Promise<EvalResult> {
  const info = await stat(options.goldenDir).catch(() => undefined);
  if (!info?.isDirectory()) throw new ConfigurationError(`the golden folder ${options.goldenDir} does not exist`);
  const labels = await loadLabels(options.goldenDir);
  const thresholds = await loadThresholds(options.goldenDir);
  const context = createRunContext({
    sources: new FolderSources(options.goldenDir),
    artifacts: new MemoryObjectStore(),
    state: new StateStore(new MemoryItemTable()),
    engine: options.engine,
    catalog: options.catalog,
    ...(options.redact === undefined ? {} : { redact: options.redact }),
  });
  const limit = pLimit(options.concurrency ?? 4);
  const predictions = new Map<string, CasePrediction>();
  const verifications: Verification[] = [];
  const caseErrors: EvalResult['caseErrors'] = [];
  const quarantined = new Set<string>();
  await Promise.all(
    labels.map((label) =>
      limit(async () => {
        const outcome = await processDocument(context, 'eval', { docId: label.id, key: label.file, version: '' });
        if (outcome.status === 'skipped') {
          const entry = await context.state.getCorpusEntry(label.id);
          caseErrors.push({ id: label.id, reason: `${label.file}: ${entry?.reason ?? 'not analysed'}` });
          return;
        }
        if (outcome.status === 'failed') {
          caseErrors.push({ id: label.id, reason: `${outcome.stage} failed: ${outcome.reason}` });
          return;
        }
        if (outcome.status !== 'analysed') return;
        const { document } = outcome;
        if (document.verification) verifications.push(document.verification);
        predictions.set(label.id, {
          id: label.id,
          causal: document.classification.causal.map((cause) => cause.technology),
          faultCategory: document.classification.faultCategory,
        });
        if (document.quarantine !== undefined) quarantined.add(label.id);
      }),
    ),
  );
  // The fold over the analysed cases: do its patterns recover the labelled themes?
  const fold = await patternsStep(context, 'eval');
  const metrics = {
    ...scoreCases(labels, predictions),
    ...scoreThemes(labels, fold, new Set(predictions.keys()), quarantined),
    verifiedClaimShare: combine(verifications).share,
  };
  const failures = thresholds ? checkThresholds(metrics, thresholds) : [];
  return { metrics, themeCounts: themeCounts(labels, fold.patterns), thresholds, failures, caseErrors, labels };
}
