import { stat } from 'node:fs/promises';
import pLimit from 'p-limit';
import { ConfigurationError, messageOf } from '../errors.ts';
import { TechnologyMatcher } from '../catalog/index.ts';
import type { Engine } from '../engines/engine.ts';
import type { Catalog } from '../schemas/index.ts';
import { ingestFile } from '../ingest/index.ts';
import { analyze, classify, summarize, type StageContext } from '../stages/index.ts';
import { combine, verifyDocument, type Verification } from '../trust/verify.ts';
import { loadLabels, loadThresholds, type GoldenLabel, type Thresholds } from './labels.ts';
import { checkThresholds, scoreCases, type CasePrediction, type EvalMetrics, type ThresholdFailure } from './metrics.ts';

export interface EvalOptions {
  goldenDir: string;
  engine: Engine;
  catalog: Catalog;
  catalogHash: string;
  concurrency?: number;
}

export interface EvalResult {
  metrics: EvalMetrics & { verifiedClaimShare: number };
  thresholds: Thresholds | undefined;
  failures: ThresholdFailure[];
  /** Cases whose file could not be read or analysed, with the reason. */
  caseErrors: Array<{ id: string; reason: string }>;
  labels: GoldenLabel[];
}

/** Run summarize, classify and analyze over every labelled case and score the classification. */
export async function runEval(options: EvalOptions): Promise<EvalResult> {
  const info = await stat(options.goldenDir).catch(() => undefined);
  if (!info?.isDirectory()) throw new ConfigurationError(`the golden folder ${options.goldenDir} does not exist`);
  const labels = await loadLabels(options.goldenDir);
  const thresholds = await loadThresholds(options.goldenDir);
  const context: StageContext = { engine: options.engine, trust: { matcher: new TechnologyMatcher(options.catalog), crossCheck: options.engine.descriptor.id !== 'offline' } };
  const limit = pLimit(options.concurrency ?? 4);
  const predictions = new Map<string, CasePrediction>();
  const verifications: Verification[] = [];
  const caseErrors: EvalResult['caseErrors'] = [];
  await Promise.all(
    labels.map((label) =>
      limit(async () => {
        const outcome = await ingestFile(options.goldenDir, label.file, label.id);
        if (!outcome.ok) {
          caseErrors.push({ id: label.id, reason: `${outcome.skipped.path}: ${outcome.skipped.reason}` });
          return;
        }
        try {
          const postmortem = outcome.postmortem;
          const summary = await summarize(postmortem, context);
          const classification = await classify(postmortem, summary, options.catalogHash, context);
          const faultCategories: Record<string, string> = {};
          const digests = [];
          for (const cause of classification.causal) {
            const digest = await analyze(postmortem, summary, classification, cause.technology, context);
            faultCategories[cause.technology] = digest.faultCategory;
            digests.push(digest);
          }
          verifications.push(verifyDocument(postmortem, summary, classification, digests));
          predictions.set(label.id, { id: label.id, causal: classification.causal.map((cause) => cause.technology), faultCategories });
        } catch (error) {
          caseErrors.push({ id: label.id, reason: messageOf(error) });
        }
      }),
    ),
  );
  const metrics = { ...scoreCases(labels, predictions), verifiedClaimShare: combine(verifications).share };
  const failures = thresholds ? checkThresholds(metrics, thresholds) : [];
  return { metrics, thresholds, failures, caseErrors, labels };
}

