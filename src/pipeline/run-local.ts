import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pLimit from 'p-limit';
import path from 'node:path';
import { TechnologyMatcher, type LoadedCatalog } from '../catalog/index.ts';
import { applyOverrides } from '../review/overrides.ts';
import { approvalByStageAndPrompt, buildReviewQueue, trailingApproval } from '../review/queue.ts';
import { LocalStateStore } from '../store/local-state-store.ts';
import { combine, verifyDocument, type Verification } from '../trust/verify.ts';
import type { Price } from '../config/prices.ts';
import type { Engine } from '../engines/engine.ts';
import { StageError, messageOf } from '../errors.ts';
import { assignDocumentIds, ingestFile, listFiles, type IngestOutcome } from '../ingest/index.ts';
import { renderDocumentMarkdown, renderReport } from '../report/index.ts';
import {
  ReportData,
  RunRecord,
  type Digest,
  type FailedDocument,
  type IncidentMetadata,
  type Postmortem,
  type ReportDocument,
  type SkippedDocument,
  type StageName,
} from '../schemas/index.ts';
import { analyze, classify, foldPatterns, hashOf, proposeOpportunities, ResultCache, summarize, type StageContext } from '../stages/index.ts';
import { LocalObjectStore } from '../store/local-object-store.ts';
import { putJson, type ObjectStore } from '../store/object-store.ts';
import { SILENT_PROGRESS, type ProgressReporter } from './progress.ts';
import { RunStats } from './run-stats.ts';

export interface LocalRunOptions {
  inputDir: string;
  outDir: string;
  engine: Engine;
  catalog: LoadedCatalog;
  metadata?: Map<string, IncidentMetadata>;
  metadataFile?: string | null;
  concurrency?: number;
  maxBytes?: number;
  progress?: ProgressReporter;
  /** Where the output goes; a local folder at outDir unless given. */
  store?: ObjectStore;
  /** The price of the model each stage uses, for cost estimates. */
  priceOfStage?: (stage: StageName) => Price | undefined;
}

export interface LocalRunResult {
  record: RunRecord;
  report: ReportData;
}

const TOOL_VERSION = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')).version as string;


function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
}

/** Summarize, classify and analyze one document. */
async function analyzeDocument(postmortem: Postmortem, catalogHash: string, context: StageContext): Promise<Omit<ReportDocument, 'date' | 'severity'>> {
  const summary = await summarize(postmortem, context);
  const classification = await classify(postmortem, summary, catalogHash, context);
  const digests: Digest[] = [];
  for (const cause of classification.causal) digests.push(await analyze(postmortem, summary, classification, cause.technology, context));
  return { docId: postmortem.id, title: postmortem.title, sourcePath: postmortem.sourcePath, summary, classification, digests };
}

/** docs/<docId>/{summary,classification,digests}.json and the readable docs/<docId>.md. */
async function writeDocumentOutputs(store: ObjectStore, document: ReportDocument): Promise<void> {
  const prefix = `docs/${document.docId}`;
  await putJson(store, `${prefix}/summary.json`, document.summary);
  await putJson(store, `${prefix}/classification.json`, document.classification);
  await putJson(store, `${prefix}/digests.json`, document.digests);
  if (document.verification) await putJson(store, `${prefix}/verification.json`, document.verification);
  await store.put(`${prefix}.md`, renderDocumentMarkdown(document));
}

/** The run's verified-claim share, overall and per stage, and how many causes the guard flagged. */
function trustSummary(verifications: ReadonlyArray<ReturnType<typeof verifyDocument>>, documents: readonly ReportDocument[]): RunRecord['trust'] {
  const all = combine(verifications);
  const byStage: Record<string, { claims: number; verified: number; share: number }> = {};
  for (const stage of ['summarize', 'classify', 'analyze'] as const) {
    const combined = combine(verifications.map((verification) => verification.byStage[stage] as Verification));
    byStage[stage] = { claims: combined.claims, verified: combined.verified, share: combined.share };
  }
  const flags = documents.flatMap((document) => document.classification.flags);
  return {
    claims: all.claims,
    verified: all.verified,
    share: all.share,
    byStage,
    demoted: flags.filter((flag) => flag.kind === 'demoted').length,
    disagreements: flags.filter((flag) => flag.kind === 'disagreement').length,
  };
}

/** Files read ahead of the documents being analysed, per analysis lane. */
const READ_AHEAD_PER_LANE = 2;

/**
 * The local pipeline: ingest a folder, run the per-document stages with bounded concurrency,
 * fold the digests into patterns and opportunities, and write the report and run.json.
 */
export async function runLocal(options: LocalRunOptions): Promise<LocalRunResult> {
  const started = new Date();
  const startedMillis = performance.now();
  const progress = options.progress ?? SILENT_PROGRESS;
  const store = options.store ?? new LocalObjectStore(options.outDir);
  const stats = new RunStats(options.priceOfStage);
  // The run's own output folder: one listing of its cache up front, no failed read per stage call.
  const cache = new ResultCache(store, 'cache', { indexed: true });
  const matcher = new TechnologyMatcher(options.catalog.catalog);
  const context: StageContext = { engine: options.engine, cache, observer: stats, trust: { matcher, crossCheck: options.engine.descriptor.id !== 'offline' } };
  const verifications: Array<ReturnType<typeof verifyDocument>> = [];
  const hashes = new Map<string, string>();
  const catalogHash = hashOf(options.catalog.catalog);
  const concurrency = options.concurrency ?? 4;
  // Lanes hold a document from its first model call to its last; reading and parsing happen ahead
  // of them and writing the outputs after them, so a lane waits on nothing but its stages.
  const lanes = pLimit(concurrency);
  const readers = pLimit(Math.min(8, concurrency));
  const writers = pLimit(8);
  const metadata = options.metadata ?? new Map<string, IncidentMetadata>();

  const files = await listFiles(options.inputDir);
  const ids = assignDocumentIds(files);
  const skipped: SkippedDocument[] = [];
  const failed: FailedDocument[] = [];
  const documents: ReportDocument[] = [];
  progress.phase('analyze', files.length);
  let ingested = 0;
  let ingestMillis = 0;
  const reads: Array<Promise<IngestOutcome> | undefined> = [];
  let nextRead = 0;
  const readAhead = (upTo: number): void => {
    for (; nextRead < files.length && nextRead <= upTo; nextRead += 1) {
      const file = files[nextRead] as string;
      reads[nextRead] = readers(async () => {
        const readStarted = performance.now();
        const outcome = await ingestFile(options.inputDir, file, ids.get(file) ?? file, { maxBytes: options.maxBytes });
        ingestMillis += performance.now() - readStarted;
        return outcome;
      });
    }
  };
  readAhead(concurrency * READ_AHEAD_PER_LANE);
  const writes: Array<Promise<void>> = [];
  await Promise.all(
    files.map((file, index) =>
      lanes(async () => {
        readAhead(index + concurrency * READ_AHEAD_PER_LANE);
        const outcome = await (reads[index] as Promise<IngestOutcome>);
        reads[index] = undefined;
        if (!outcome.ok) {
          skipped.push(outcome.skipped);
          progress.note(`skipped ${outcome.skipped.path}: ${outcome.skipped.reason}`);
          progress.tick(file);
          return;
        }
        ingested += 1;
        const postmortem = outcome.postmortem;
        try {
          const analysed = await analyzeDocument(postmortem, catalogHash, context);
          const row = metadata.get(postmortem.id);
          const verification = verifyDocument(postmortem, analysed.summary, analysed.classification, analysed.digests);
          hashes.set(postmortem.id, postmortem.contentHash);
          verifications.push(verification);
          const document: ReportDocument = {
            ...analysed,
            verification: { claims: verification.claims, verified: verification.verified, share: verification.share, unverified: verification.unverified },
            date: postmortem.date ?? row?.date ?? null,
            severity: stringOrNull(postmortem.metadata.severity) ?? row?.severity ?? null,
          };
          documents.push(document);
          writes.push(writers(() => writeDocumentOutputs(store, document)));
        } catch (error) {
          const stage = error instanceof StageError ? error.stage : 'summarize';
          failed.push({ docId: postmortem.id, stage, reason: error instanceof StageError ? error.reason : messageOf(error) });
          progress.note(`failed ${postmortem.id}: ${messageOf(error)}`);
        }
        progress.tick(file);
      }),
    ),
  );
  await Promise.all(writes);
  progress.done();
  documents.sort((left, right) => left.docId.localeCompare(right.docId));
  skipped.sort((left, right) => left.path.localeCompare(right.path));
  failed.sort((left, right) => left.docId.localeCompare(right.docId));

  const digests = documents.flatMap((document) => document.digests);
  const patterns = await foldPatterns(digests, context);
  const opportunities = await proposeOpportunities(patterns, metadata, context);

  // Reviewers' edits replace the engine's text until the source changes; their votes set the review sample.
  const state = new LocalStateStore(path.join(options.outDir, 'state'));
  const votes = options.store ? [] : await state.listVotes();
  const contentHashes = new Map(documents.map((document) => [document.docId, hashes.get(document.docId) ?? '']));
  const runId = `${started.toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomUUID().slice(0, 8)}`;
  const unreviewed = ReportData.parse({
    generatedAt: new Date().toISOString(),
    runId,
    engine: options.engine.descriptor,
    documents,
    patterns,
    opportunities,
    skipped,
    failed,
    approval: approvalByStageAndPrompt(votes),
  });
  // Sampling is keyed by item id, not by run: a rerun over unchanged documents samples the same items.
  const queue = buildReviewQueue(unreviewed, { trailingApproval: trailingApproval(votes), contentHashes });
  await putJson(store, 'review/queue.json', queue);
  const report = applyOverrides(unreviewed, votes, contentHashes);
  const reportStarted = performance.now();
  await cache.flush();
  const cacheCounts = { hits: stats.cacheHits, computations: stats.computations };
  const rendered = await renderReport(report);
  await store.put('report/report.md', rendered.markdown);
  await store.put('report/report.html', rendered.html);
  await store.put('report/report.json', rendered.json);
  await store.put('report/digests.csv', rendered.digestsCsv);
  stats.stages.ingest = { computed: ingested, cached: 0, failed: skipped.length, millis: Math.round(ingestMillis) };
  stats.stages.report = { computed: 1, cached: 0, failed: 0, millis: Math.round(performance.now() - reportStarted) };

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
    concurrency: options.concurrency ?? 4,
    counts: {
      discovered: files.length,
      ingested,
      skipped: skipped.length,
      failed: failed.length,
      succeeded: documents.length,
      causalTechnologies: documents.reduce((total, document) => total + document.classification.causal.length, 0),
      digests: digests.length,
      patterns: patterns.length,
      opportunities: opportunities.length,
    },
    cache: cacheCounts,
    stages: stats.stages,
    usage: stats.usageRecord(),
    warnings: stats.warnings,
    trust: trustSummary(verifications, documents),
    durationMillis: Math.round(performance.now() - startedMillis),
    skipped,
    failed,
  });
  await putJson(store, 'run.json', record);
  return { record, report };
}
