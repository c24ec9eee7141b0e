import path from 'node:path';
import { loadCatalog, type LoadedCatalog } from '../../catalog/index.ts';
import type { Engine } from '../../engines/engine.ts';
import { DEFAULT_THREADS, threadsSetting } from '../../engines/offline/worker-pool.ts';
import { ConfigurationError } from '../../errors.ts';
import { DEFAULT_MAX_BYTES, type ingestSource } from '../../ingest/index.ts';
import { SKIPPED_BY_RULE, type RunRecord, type StageName } from '../../schemas/index.ts';
import { readIncidentMetadata, throwIfStrict, type MetadataFile } from '../../metadata/index.ts';
import { estimateRun } from '../../pipeline/dry-run.ts';
import { runLocal } from '../../pipeline/run-local.ts';
import { redactSetting } from '../../run/context.ts';
import { loadPrompts } from '../../prompts/index.ts';
import { DEFAULT_FOLD_INPUT_BUDGET_TOKENS } from '../../engines/model/index.ts';
import { engineConfigFrom, engineFrom, type EngineCommandOptions } from '../engine-options.ts';
import { EXIT_OK, EXIT_PARTIAL } from '../exit-codes.ts';
import {
  checkInputFolder,
  describeFileSystemError,
  isFileSystemError,
  prepareOutputFolder,
  removeIfEmpty,
} from '../output-folder.ts';
import { chooseProgress } from '../progress-reporters.ts';
import { loadPrices, type Price } from '../../config/prices.ts';
import { priceOfStageFor } from '../../config/engine-config.ts';

export interface AnalyzeCommandOptions extends EngineCommandOptions {
  out: string;
  catalog?: string;
  metadata?: string;
  concurrency: number;
  maxBytes?: number;
  quiet?: boolean;
  dryRun?: boolean;
  strict?: boolean;
  /** on | off; absent: on for a model engine, off for offline. */
  redact?: string;
  restorePii?: boolean;
  /** Worker threads of the offline engine; absent: PMLENS_THREADS, else none (inline). */
  threads?: number;
}

/** The offline engine's worker threads: --threads, else PMLENS_THREADS, else none (inline). */
export function threadsOf(options: { threads?: number }, env: NodeJS.ProcessEnv = process.env): number {
  return options.threads ?? threadsSetting(env.PMLENS_THREADS, 'PMLENS_THREADS') ?? DEFAULT_THREADS;
}

async function dryRun(inputDir: string, options: AnalyzeCommandOptions): Promise<number> {
  const catalog = await loadCatalog(options.catalog);
  const config = await engineConfigFrom(options);
  if (config.engine === 'offline') {
    process.stdout.write('dry run: the offline engine makes no model calls and costs nothing.\n');
    return EXIT_OK;
  }
  const prompts = await loadPrompts(config.promptsDir);
  const prices = await loadPrices(options.prices);
  const estimate = await estimateRun(
    inputDir,
    catalog,
    prompts,
    priceOfStageFor(config, prices),
    config.foldInputBudgetTokens ?? DEFAULT_FOLD_INPUT_BUDGET_TOKENS,
    { outDir: options.out },
  );
  const money = (value: number | null): string => (value === null ? 'no price' : `$${value.toFixed(2)}`);
  const lines = [
    `dry run: ${estimate.documents} documents new or changed since the last run into ${options.out} (${estimate.skipped} would be skipped), about ${estimate.expectedDigests} digests expected`,
    'stage          calls   input tokens  output tokens  estimated cost',
    ...Object.entries(estimate.stages).map(
      ([stage, value]) =>
        `${stage.padEnd(13)} ${String(value.calls).padStart(6)} ${String(value.inputTokens).padStart(14)} ${String(value.outputTokens).padStart(14)}  ${money(value.estimatedCostUsd)}`,
    ),
    `${'total'.padEnd(13)} ${String(estimate.total.calls).padStart(6)} ${String(estimate.total.inputTokens).padStart(14)} ${String(estimate.total.outputTokens).padStart(14)}  ${money(estimate.total.estimatedCostUsd)}`,
    `on AWS with batch inference (from ${estimate.batch.minimumRecords} requests a stage, at 50% of the on-demand price): ${estimate.batch.batchedStages.length > 0 ? `${estimate.batch.batchedStages.join(', ')} batched, ` : 'no stage batched, '}${money(estimate.batch.estimatedCostUsd)} instead of ${money(estimate.total.estimatedCostUsd)}`,
    "Estimates use about 4 characters a token and half of each stage's maxTokens as output; cached results and prompt caching would lower them.",
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT_OK;
}

/** The run's redaction setting from `--redact on|off`; absent: the engine's default. */
export function redactOf(options: { redact?: string }): { redact?: boolean } {
  const redact = redactSetting(options.redact, '--redact');
  return redact === undefined ? {} : { redact };
}

/** "hidden 2, unreadable 1": the skip codes of a run, most frequent first. */
function skipBreakdown(codes: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const code of codes) counts.set(code, (counts.get(code) ?? 0) + 1);
  return [...counts]
    .sort((left, right) => right[1] - left[1] || left[0].localeCompare(right[0]))
    .map(([code, count]) => `${code} ${count}`)
    .join(', ');
}

export async function analyzeCommand(inputDir: string, options: AnalyzeCommandOptions): Promise<number> {
  await checkInputFolder(inputDir, options.out);
  if (options.dryRun) return dryRun(inputDir, options);
  const catalog = await loadCatalog(options.catalog);
  const threads = threadsOf(options);
  const { engine, priceOfStage, ingest, close } = await engineFrom(options, catalog.catalog, threads);
  try {
    return await analyzeWith(inputDir, options, catalog, engine, priceOfStage, ingest);
  } finally {
    // The offline engine's worker threads end with the run.
    await close?.();
  }
}

async function analyzeWith(
  inputDir: string,
  options: AnalyzeCommandOptions,
  catalog: LoadedCatalog,
  engine: Engine,
  priceOfStage: (stage: StageName) => Price | undefined,
  ingest?: typeof ingestSource,
): Promise<number> {
  let metadataFile: MetadataFile | undefined;
  if (options.metadata) {
    metadataFile = await readIncidentMetadata(options.metadata);
    if (options.strict) throwIfStrict(options.metadata, metadataFile.warnings);
  }
  const { created } = await prepareOutputFolder(options.out);
  const progress = chooseProgress(Boolean(options.quiet));
  let record: RunRecord;
  try {
    ({ record } = await runLocal({
      inputDir,
      outDir: options.out,
      engine,
      catalog,
      metadata: metadataFile?.rows,
      metadataFile: options.metadata ?? null,
      metadataWarnings: metadataFile?.warnings ?? [],
      strict: Boolean(options.strict),
      concurrency: options.concurrency,
      maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
      progress,
      priceOfStage,
      ...redactOf(options),
      restorePii: Boolean(options.restorePii),
      ...(ingest ? { ingest } : {}),
    }));
  } catch (error) {
    // Refused before anything was written (an empty input, --strict): leave no empty output folder behind.
    if (created && error instanceof ConfigurationError) await removeIfEmpty(options.out);
    // A write that failed without naming its file (ENOSPC from write(2) carries no path): name the folder.
    if (isFileSystemError(error) && !error.path)
      throw new ConfigurationError(
        `cannot write to the output folder ${options.out}: ${describeFileSystemError(error)}`,
      );
    throw error;
  }
  if (!options.quiet) {
    const { counts, cache, usage } = record;
    const lines = [
      `corpus: ${counts.succeeded} of ${counts.discovered} files analysed, in ${(record.durationMillis / 1000).toFixed(1)} s with the ${record.engine.id} engine`,
      ...(record.changes
        ? [
            `  this run: ${record.changes.work} new or changed, ${record.changes.unchanged} unchanged, ${record.changes.deleted} deleted`,
          ]
        : []),
      `  causal technologies: ${counts.causalTechnologies}, digests: ${counts.digests}, recurring themes: ${counts.patterns}, opportunities: ${counts.opportunities}`,
      cache.computations === 0 && cache.hits > 0
        ? `  nothing recomputed: ${cache.hits} stage results came from the cache`
        : `  stage computations: ${cache.computations}, cache hits: ${cache.hits}`,
      ...(usage.total.calls > 0
        ? [
            `  model calls: ${usage.total.calls}, input tokens: ${usage.total.inputTokens}, output tokens: ${usage.total.outputTokens}, cache reads: ${usage.total.cacheReadTokens}, retries: ${usage.total.retries}, throttles: ${usage.total.throttles}, estimated cost: ${usage.total.estimatedCostUsd === null ? 'no price' : `$${usage.total.estimatedCostUsd.toFixed(4)}`}`,
          ]
        : []),
      ...((record.trust?.quarantined ?? 0) > 0
        ? [
            `  quarantined: ${record.trust?.quarantined} (claims largely unverified or a garbage summary: not shown as fact, sent to review; listed in run.json and the report)`,
          ]
        : []),
      `  skipped: ${counts.skipped}${counts.skipped > 0 ? ` (${skipBreakdown(record.skipped.map((skipped) => skipped.code))})` : ''}, failed: ${counts.failed}`,
      ...(record.metadata && record.metadata.warnings.length > 0
        ? [
            `  metadata: ${record.metadata.warnings.length} warning${record.metadata.warnings.length === 1 ? '' : 's'} (listed in run.json; --strict makes them errors), e.g. ${record.metadata.warnings[0]}`,
          ]
        : []),
      ...(record.privacy
        ? [
            `  redaction: ${record.privacy.redaction}${record.privacy.redaction === 'on' ? ` (${record.privacy.placeholders} placeholders in the corpus, ${record.privacy.newPlaceholders} new; the mapping stays in ${path.join(options.out, 'state.json')})` : ''}`,
          ]
        : []),
      `  report: ${path.join(options.out, 'report', 'report.html')} (also report.md, report.json, digests.csv)`,
      ...(record.privacy?.restoredReport
        ? [
            `  restored report (personal data put back, internal use only): ${path.join(options.out, record.privacy.restoredReport, 'report.html')}`,
          ]
        : []),
      `  run record: ${path.join(options.out, 'run.json')}`,
    ];
    process.stderr.write(`${lines.join('\n')}\n`);
  }
  const lost = record.skipped.filter((skipped) => !SKIPPED_BY_RULE.has(skipped.code));
  const quarantined = record.trust?.quarantined ?? 0;
  return lost.length > 0 || record.counts.failed > 0 || quarantined > 0 ? EXIT_PARTIAL : EXIT_OK;
}
