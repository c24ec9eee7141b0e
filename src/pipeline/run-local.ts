/**
 * The CLI's scheduler over the run core: list the input folder, diff it against the corpus index
 * in the output folder, run the document steps of new, changed and failed documents with bounded
 * concurrency, drop deleted ones, fold the whole corpus into the report, and write run.json.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pLimit from 'p-limit';
import type { LoadedCatalog } from '../catalog/index.ts';
import type { Price } from '../config/prices.ts';
import type { Engine } from '../engines/engine.ts';
import { ConfigurationError } from '../errors.ts';
import type { ingestSource } from '../ingest/index.ts';
import { throwIfStrict, unmatchedMetadataWarnings } from '../metadata/index.ts';
import {
  createRunContext,
  FolderSources,
  foldCorpus,
  isDocumentKey,
  layout,
  planRun,
  isOutdatedSkip,
  processDocument,
  recordSourceProblems,
  removeDocument,
  type RunContext,
  type SourceProblem,
} from '../run/index.ts';
import {
  RunRecord,
  type IncidentMetadata,
  type ReportData,
  type ReportDocument,
  type StageName,
} from '../schemas/index.ts';
import { PackedResultCache } from '../stages/packed-cache.ts';
import { REVIEWED_STAGES } from '../stages/registry.ts';
import { LocalItemTable } from '../store/local-item-table.ts';
import { sharedThreadFileWriter } from '../store/file-writer.ts';
import { LocalObjectStore } from '../store/local-object-store.ts';
import { MemoryItemTable } from '../store/item-table.ts';
import { deletePrefix, putJson, type ObjectStore } from '../store/object-store.ts';
import { StateStore } from '../store/state-store.ts';
import { loadMapping } from '../privacy/index.ts';
import { combine } from '../trust/verify.ts';
import { writeRestoredReport } from './restore-report.ts';
import { SILENT_PROGRESS, type ProgressReporter } from './progress.ts';
import { RunStats } from './run-stats.ts';

export interface LocalRunOptions {
  inputDir: string;
  outDir: string;
  engine: Engine;
  catalog: LoadedCatalog;
  metadata?: Map<string, IncidentMetadata>;
  metadataFile?: string | null;
  /** What was wrong in the metadata file's rows; the run adds ids that match no document. Warnings in run.json, or an error with `strict`. */
  metadataWarnings?: string[];
  /** Metadata warnings are a ConfigurationError, raised before anything is analysed. */
  strict?: boolean;
  concurrency?: number;
  maxBytes?: number;
  progress?: ProgressReporter;
  /** Where the output goes; a local folder at outDir unless given (then the state is kept in memory). */
  store?: ObjectStore;
  /**
   * Whether the local folder's files are written on the process's writer thread (the default) or
   * on the main thread. The thread overlaps the kernel's file work with the analysis.
   */
  writeOnThread?: boolean;
  /** The state store; `<outDir>/state.json` unless given (or in memory with `store`). */
  state?: StateStore;
  /** The price of the model each stage uses, for cost estimates. */
  priceOfStage?: (stage: StageName) => Price | undefined;
  /** Redact personal data before any model call; default on for a model engine, off for offline. */
  redact?: boolean;
  /** Also write the report with the personal data put back, under report-restored/ (internal use). */
  restorePii?: boolean;
  /** Where ingest parses each source: ingestSource on this thread unless given (the offline engine's worker threads: CreatedEngine.ingest). */
  ingest?: typeof ingestSource;
}

export interface LocalRunResult {
  record: RunRecord;
  report: ReportData;
  context: RunContext;
}

/**
 * The documents a run writes are kept in memory (up to this many bytes, about 15,000 documents) so
 * the report reads them back without opening each file again.
 */
const DOCUMENT_CACHE_BYTES = 64 * 1024 * 1024;

const TOOL_VERSION = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'))
  .version as string;

export function newRunId(now = new Date()): string {
  return `${now.toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomUUID().slice(0, 8)}`;
}

/** The report's verified-claim share, overall and per stage, and how many causes the guard flagged. */
function trustSummary(documents: readonly ReportDocument[]): RunRecord['trust'] {
  const verifications = documents.flatMap((document) => (document.verification ? [document.verification] : []));
  const all = combine(verifications);
  const byStage: Record<string, { claims: number; verified: number; share: number }> = {};
  for (const stage of REVIEWED_STAGES) {
    const claims = verifications.reduce(
      (total, verification) => total + (verification.byStage?.[stage]?.claims ?? 0),
      0,
    );
    const verified = verifications.reduce(
      (total, verification) => total + (verification.byStage?.[stage]?.verified ?? 0),
      0,
    );
    byStage[stage] = { claims, verified, share: claims === 0 ? 1 : Math.round((verified / claims) * 10_000) / 10_000 };
  }
  const flags = documents.flatMap((document) => document.classification.flags);
  const quarantined = documents.flatMap((document) =>
    document.quarantine
      ? [
          {
            docId: document.docId,
            reason: document.quarantine.reason,
            verifiedShare: document.quarantine.verifiedShare,
          },
        ]
      : [],
  );
  return {
    claims: all.claims,
    verified: all.verified,
    share: all.share,
    byStage,
    demoted: flags.filter((flag) => flag.kind === 'demoted').length,
    disagreements: flags.filter((flag) => flag.kind === 'disagreement').length,
    quarantined: quarantined.length,
    quarantinedDocuments: quarantined,
  };
}

/** Why there is nothing to analyse: an empty folder, or one whose every entry was left out. */
function emptyInputMessage(inputDir: string, problems: readonly SourceProblem[]): string {
  if (problems.length === 0) return `the input folder ${inputDir} holds no files to analyse`;
  const shown = problems.slice(0, 5).map((problem) => `${problem.key} (${problem.code})`);
  return `the input folder ${inputDir} holds no files to analyse: ${problems.length} entr${problems.length === 1 ? 'y was' : 'ies were'} left out: ${shown.join(', ')}${problems.length > shown.length ? ', ...' : ''}`;
}

export async function runLocal(options: LocalRunOptions): Promise<LocalRunResult> {
  const started = new Date();
  const startedMillis = performance.now();
  const progress = options.progress ?? SILENT_PROGRESS;
  const artifacts =
    options.store ??
    new LocalObjectStore(options.outDir, {
      readCache: { keys: isDocumentKey, maxBytes: DOCUMENT_CACHE_BYTES },
      writer: options.writeOnThread === false ? undefined : sharedThreadFileWriter(),
    });
  const table = options.state
    ? undefined
    : options.store
      ? new MemoryItemTable()
      : await LocalItemTable.open(path.join(options.outDir, 'state.json'));
  const state = options.state ?? new StateStore(table as MemoryItemTable);
  const stats = new RunStats(options.priceOfStage);
  const sources = new FolderSources(options.inputDir, { exclude: [options.outDir] });
  const context = createRunContext({
    sources,
    artifacts,
    state,
    engine: options.engine,
    catalog: options.catalog.catalog,
    metadata: options.metadata,
    maxBytes: options.maxBytes,
    observer: stats,
    indexedCache: true,
    // In an output folder of its own the cache is packed: a line per result, not a file (packed-cache.ts).
    ...(options.store ? {} : { cache: new PackedResultCache(path.join(options.outDir, layout.cache)) }),
    ...(options.ingest ? { ingest: options.ingest } : {}),
    ...(options.redact === undefined ? {} : { redact: options.redact }),
  });
  const runId = newRunId(started);
  const concurrency = options.concurrency ?? 4;

  const ingestStarted = performance.now();
  progress.note(`listing ${options.inputDir}`);
  const listing = await sources.survey();
  if (listing.objects.length === 0) throw new ConfigurationError(emptyInputMessage(options.inputDir, listing.problems));
  const metadataWarnings = [
    ...(options.metadataWarnings ?? []),
    ...(options.metadata
      ? unmatchedMetadataWarnings(
          options.metadataFile ?? 'metadata',
          options.metadata,
          listing.objects.map((object) => object.key),
        )
      : []),
  ];
  if (options.strict) throwIfStrict(options.metadataFile ?? 'metadata', metadataWarnings);
  context.warnings = metadataWarnings.map((warning) => `metadata ${warning}`);
  // Entries the listing could not hand out are skipped sources of the corpus, with their reasons.
  const problemIds = await recordSourceProblems(context, runId, listing.problems, (docId) =>
    removeDocument(context, docId),
  );
  const plan = planRun(
    listing.objects,
    (await state.listCorpus()).filter((entry) => !problemIds.has(entry.docId) && !isOutdatedSkip(entry)),
    context.fingerprint,
  );
  for (const entry of plan.deleted) await removeDocument(context, entry.docId);
  const listMillis = performance.now() - ingestStarted;

  progress.phase('analyze', plan.work.length);
  const lanes = pLimit(concurrency);
  let analysed = 0;
  await Promise.all(
    plan.work.map((item) =>
      lanes(async () => {
        const outcome = await processDocument(context, runId, item);
        if (outcome.status === 'analysed') analysed += 1;
        if (outcome.status === 'failed') progress.note(`failed ${item.key}: ${outcome.stage} (${outcome.reason})`);
        if (outcome.status === 'skipped') progress.note(`skipped ${item.key}`);
        progress.tick(item.key);
      }),
    ),
  );
  progress.done();

  const foldStarted = performance.now();
  if (plan.work.length > 0 || plan.deleted.length > 0) progress.note('writing the report');
  const { report } = await foldCorpus(context, runId);
  // The mapping stays local: it restores a copy of the report for internal use, never a model's input.
  const mapping = context.privacy ? await context.privacy.current() : await loadMapping(state);
  const restoredKeys = options.restorePii ? await writeRestoredReport(artifacts, report, mapping) : [];
  await deletePrefix(artifacts, `runs/${runId}/`);
  await context.cache.flush();
  if (table instanceof LocalItemTable) await table.flush();
  // Cache counts are of the model stages' cache; ingest (timed per document) is no cache lookup.
  const cache = {
    hits: stats.cacheHits - (stats.stages.ingest?.cached ?? 0),
    computations: stats.computations - (stats.stages.ingest?.computed ?? 0),
  };
  // Ingest is timed by the ingest step itself (RunStats.onStage); documents whose version is unchanged are not read at all.
  const ingested = stats.stages.ingest ?? { computed: 0, cached: 0, failed: 0, millis: 0 };
  stats.stages.ingest = { ...ingested, cached: ingested.cached + plan.unchanged };
  stats.stages.report = { computed: 1, cached: 0, failed: 0, millis: Math.round(performance.now() - foldStarted) };

  const digests = report.documents.reduce((total, document) => total + document.digests.length, 0);
  const record = RunRecord.parse({
    runId,
    tool: { name: 'postmortem-lens', version: TOOL_VERSION },
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    input: options.inputDir,
    output: options.outDir,
    engine: options.engine.descriptor,
    catalog: { path: options.catalog.path, technologies: options.catalog.catalog.technologies.length },
    metadataFile: options.metadataFile ?? null,
    ...(options.metadata ? { metadata: { rows: options.metadata.size, warnings: metadataWarnings } } : {}),
    concurrency,
    counts: {
      discovered: listing.objects.length,
      ingested: analysed,
      skipped: report.skipped.length,
      failed: report.failed.length,
      succeeded: report.documents.length,
      causalTechnologies: report.documents.reduce(
        (total, document) => total + document.classification.causal.length,
        0,
      ),
      digests,
      patterns: report.patterns.length,
      opportunities: report.opportunities.length,
    },
    changes: { work: plan.work.length, unchanged: plan.unchanged, deleted: plan.deleted.length },
    cache,
    // Listing the input folder and planning the run, apart from the ingest of each document.
    stages: { listing: { computed: 1, cached: 0, failed: 0, millis: Math.round(listMillis) }, ...stats.stages },
    usage: stats.usageRecord(),
    warnings: [...metadataWarnings.map((warning) => `metadata ${warning}`), ...stats.warnings],
    trust: trustSummary(report.documents),
    privacy: {
      redaction: context.privacy ? 'on' : 'off',
      placeholders: Object.keys(mapping.values).length,
      newPlaceholders: context.privacy?.newPlaceholders ?? 0,
      ...(restoredKeys.length > 0 ? { restoredReport: layout.restoredReport } : {}),
    },
    durationMillis: Math.round(performance.now() - startedMillis),
    skipped: report.skipped,
    failed: report.failed,
  });
  await putJson(artifacts, layout.runRecord, record);
  return { record, report, context };
}
