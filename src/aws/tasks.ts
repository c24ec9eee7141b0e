/**
 * The work of each state-machine task, on object and state stores: the Lambda handlers in
 * lambdas/ are adapters over these functions, and these call the same stage functions as the
 * CLI. Payloads between tasks carry keys and ids only; results live in the artifacts store.
 */
import { randomUUID } from 'node:crypto';
import type { Engine } from '../engines/engine.ts';
import { StageError, messageOf } from '../errors.ts';
import { ModelCallError } from '../models/language-model.ts';
import { documentIdOf, formatOf, ingestBytes } from '../ingest/index.ts';
import { renderDocumentMarkdown, renderReport } from '../report/index.ts';
import { ReportData, type Classification, type Digest, type IncidentMetadata, type Opportunity, type Pattern, type Postmortem, type ReportDocument, type StageName, type Summary } from '../schemas/index.ts';
import { analyze, classify, foldPatterns, proposeOpportunities, ResultCache, summarize, type StageContext, type StageObserver } from '../stages/index.ts';
import { getJson, putJson, type ObjectStore } from '../store/object-store.ts';
import { verifyDocument } from '../trust/verify.ts';
import type { StateStore } from '../store/state-store.ts';

export interface TaskContext {
  /** The input bucket, rooted at the postmortems prefix. */
  input: ObjectStore;
  inputPrefix: string;
  /** The artifacts bucket: manifests, cache, per-document results, reports. */
  artifacts: ObjectStore;
  state: StateStore;
  engine: Engine;
  catalogHash: string;
  metadata?: Map<string, IncidentMetadata>;
  /** Receives stage outcomes and model usage (the Lambdas turn them into metrics). */
  observer?: StageObserver;
  /** The attribution guard and cross-check, as in the CLI. */
  trust?: StageContext['trust'];
}

/** A manifest item: one source object. */
export interface ManifestItem {
  key: string;
}

export interface DocumentTaskInput {
  runId: string;
  item: ManifestItem;
}

export interface DocumentTaskOutput {
  runId: string;
  key: string;
  docId: string;
  /** Causal technologies, after classify: the inner map runs analyze once per entry. */
  technologies?: Array<{ runId: string; key: string; docId: string; technology: string }>;
  skipped?: boolean;
}

/** Model throttling that outlived the engine's own retries: the state machine retries it with backoff. */
export class ThrottlingError extends Error {
  override readonly name = 'ThrottlingError';
}

/** Run stage work with a cache over the artifacts store; its writes are flushed before the task returns (a frozen Lambda would lose them). */
async function withStages<T>(context: TaskContext, work: (stages: StageContext) => Promise<T>): Promise<T> {
  const cache = new ResultCache(context.artifacts);
  try {
    return await work({ engine: context.engine, cache, observer: context.observer, trust: context.trust });
  } finally {
    await cache.flush();
  }
}

export function newRunId(now = new Date()): string {
  return `${now.toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomUUID().slice(0, 8)}`;
}

/** The document id of a source key: its path under the input prefix, as the CLI derives it. */
export function documentIdOfKey(key: string, inputPrefix: string): string {
  return documentIdOf(relativeKey(key, inputPrefix));
}

/** A source key relative to the input prefix: the path the CLI would see in its input folder. */
function relativeKey(key: string, inputPrefix: string): string {
  return key.startsWith(inputPrefix) ? key.slice(inputPrefix.length) : key;
}

async function readPostmortem(context: TaskContext, key: string): Promise<{ postmortem?: Postmortem; reason?: string; docId: string }> {
  const relative = relativeKey(key, context.inputPrefix);
  const docId = documentIdOf(relative);
  const bytes = await context.input.get(relative);
  if (!bytes) return { docId, reason: `the object ${key} no longer exists` };
  const outcome = ingestBytes(bytes, relative, docId);
  return outcome.ok ? { docId, postmortem: outcome.postmortem } : { docId, reason: outcome.skipped.reason };
}

/** Whether an error (or what it wraps) is model throttling that outlived the engine's retries. */
function isThrottling(error: unknown): boolean {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    if (current instanceof ModelCallError && current.kind === 'throttled') return true;
  }
  return false;
}

/** Throttling that survived the engine's retries becomes a ThrottlingError the state machine retries with backoff. */
async function asTask<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isThrottling(error)) throw new ThrottlingError(messageOf(error));
    throw error;
  }
}

/** Which new S3 objects deserve a run: supported files under the prefix, each version once. */
export async function claimNewSources(context: TaskContext, objects: Array<{ key: string; etag: string }>, batchId: string): Promise<ManifestItem[]> {
  const claimed: ManifestItem[] = [];
  for (const object of objects) {
    if (!object.key.startsWith(context.inputPrefix) || object.key.endsWith('/')) continue;
    if (!formatOf(object.key)) continue;
    if (await context.state.claimSource(object.key, object.etag, batchId)) claimed.push({ key: object.key });
  }
  return claimed;
}

export async function writeManifest(context: TaskContext, name: string, items: ManifestItem[]): Promise<string> {
  const key = `manifests/${name}.json`;
  await putJson(context.artifacts, key, items);
  return key;
}

/** Prepare: a full run lists every postmortem under the prefix; an incremental run takes its manifest. */
export async function prepareRun(context: TaskContext, input: { mode?: 'full' | 'incremental'; manifestKey?: string }): Promise<{ runId: string; manifestKey: string; count: number; mode: 'full' | 'incremental' }> {
  const runId = newRunId();
  const mode = input.mode ?? (input.manifestKey ? 'incremental' : 'full');
  let manifestKey = input.manifestKey;
  let count: number;
  if (mode === 'full' || !manifestKey) {
    const keys = (await context.input.list('')).filter((relative) => formatOf(relative) !== undefined);
    manifestKey = await writeManifest(context, runId, keys.map((relative) => ({ key: `${context.inputPrefix}${relative}` })));
    count = keys.length;
  } else {
    count = ((await getJson<ManifestItem[]>(context.artifacts, manifestKey)) ?? []).length;
  }
  await context.state.putRun({ runId, mode, status: 'running', startedAt: new Date().toISOString(), manifestKey, documents: 0, failed: 0 });
  return { runId, manifestKey, count, mode };
}

export async function summarizeTask(context: TaskContext, input: DocumentTaskInput): Promise<DocumentTaskOutput> {
  const { postmortem, reason, docId } = await readPostmortem(context, input.item.key);
  const base = { runId: input.runId, key: input.item.key, docId };
  if (!postmortem) {
    await recordFailure(context, { ...base, stage: 'ingest', reason: reason ?? 'unreadable' });
    return { ...base, skipped: true, technologies: [] };
  }
  await withStages(context, (stages) => asTask(() => summarize(postmortem, stages)));
  return base;
}

export async function classifyTask(context: TaskContext, input: DocumentTaskOutput): Promise<DocumentTaskOutput> {
  if (input.skipped) return { ...input, technologies: [] };
  const { postmortem, reason } = await readPostmortem(context, input.key);
  if (!postmortem) throw new StageError('classify', input.docId, reason ?? 'unreadable');
  const { summary, classification } = await withStages(context, async (stages) => {
    const summary = await asTask(() => summarize(postmortem, stages));
    return { summary, classification: await asTask(() => classify(postmortem, summary, context.catalogHash, stages)) };
  });
  await putJson(context.artifacts, `docs/${postmortem.id}/summary.json`, summary);
  await putJson(context.artifacts, `docs/${postmortem.id}/classification.json`, classification);
  await context.state.putDocument({ runId: input.runId, docId: postmortem.id, sourceKey: input.key, contentHash: postmortem.contentHash, status: 'succeeded', updatedAt: new Date().toISOString() });
  return { ...input, technologies: classification.causal.map((cause) => ({ runId: input.runId, key: input.key, docId: postmortem.id, technology: cause.technology })) };
}

export async function analyzeTask(context: TaskContext, input: { runId: string; key: string; docId: string; technology: string }): Promise<{ docId: string; technology: string }> {
  const { postmortem, reason } = await readPostmortem(context, input.key);
  if (!postmortem) throw new StageError('analyze', input.docId, reason ?? 'unreadable');
  const digest = await withStages(context, async (stages) => {
    const summary = await asTask(() => summarize(postmortem, stages));
    const classification = await asTask(() => classify(postmortem, summary, context.catalogHash, stages));
    return asTask(() => analyze(postmortem, summary, classification, input.technology, stages));
  });
  await putJson(context.artifacts, `docs/${postmortem.id}/digests/${encodeURIComponent(input.technology)}.json`, digest);
  return { docId: postmortem.id, technology: input.technology };
}

/** Catch target: the document is recorded as failed with its stage and reason, counted once. */
export async function recordFailure(context: TaskContext, input: { runId: string; key: string; docId?: string; stage?: string; reason?: string; error?: { Error?: string; Cause?: string } }): Promise<{ failed: true; docId: string }> {
  const docId = input.docId ?? documentIdOfKey(input.key, context.inputPrefix);
  const cause = input.error?.Cause ? parseCause(input.error.Cause) : undefined;
  const stage = (input.stage ?? cause?.stage ?? 'summarize') as StageName;
  const reason = input.reason ?? cause?.message ?? input.error?.Error ?? 'unknown failure';
  await context.state.putDocument({ runId: input.runId, docId, sourceKey: input.key, contentHash: '', status: 'failed', stage, reason, updatedAt: new Date().toISOString() });
  return { failed: true, docId };
}

/** Step Functions puts a Lambda error's JSON ({errorType, errorMessage}) in Cause. */
function parseCause(cause: string): { stage?: string; message: string } {
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: string; errorType?: string };
    const message = parsed.errorMessage ?? cause;
    return { stage: /^(\w+) failed for /.exec(message)?.[1], message };
  } catch {
    return { message: cause };
  }
}

/** Every succeeded document of a run with its results, read back from the artifacts store. */
export async function collectDocuments(context: TaskContext, runId: string, options: { readSources?: boolean } = {}): Promise<{ documents: ReportDocument[]; failed: Array<{ docId: string; stage: StageName; reason: string }> }> {
  const records = await context.state.listDocuments(runId);
  const documents: ReportDocument[] = [];
  const failed: Array<{ docId: string; stage: StageName; reason: string }> = [];
  for (const record of records.sort((left, right) => left.docId.localeCompare(right.docId))) {
    if (record.status === 'failed') {
      failed.push({ docId: record.docId, stage: record.stage ?? 'summarize', reason: record.reason ?? 'unknown failure' });
      continue;
    }
    const summary = await getJson<Summary>(context.artifacts, `docs/${record.docId}/summary.json`);
    const classification = await getJson<Classification>(context.artifacts, `docs/${record.docId}/classification.json`);
    if (!summary || !classification) continue;
    const digests: Digest[] = [];
    for (const cause of classification.causal) {
      const digest = await getJson<Digest>(context.artifacts, `docs/${record.docId}/digests/${encodeURIComponent(cause.technology)}.json`);
      if (digest) digests.push(digest);
    }
    // The sources give titles, dates and the evidence check; the fold needs only the digests.
    const { postmortem } = options.readSources === false ? { postmortem: undefined } : await readPostmortem(context, record.sourceKey);
    const row = context.metadata?.get(record.docId);
    const verification = postmortem ? verifyDocument(postmortem, summary, classification, digests) : undefined;
    documents.push({
      docId: record.docId,
      title: postmortem?.title ?? record.docId,
      date: postmortem?.date ?? row?.date ?? null,
      severity: (typeof postmortem?.metadata.severity === 'string' ? postmortem.metadata.severity : undefined) ?? row?.severity ?? null,
      sourcePath: relativeKey(record.sourceKey, context.inputPrefix),
      summary,
      classification,
      digests,
      ...(verification ? { verification: { claims: verification.claims, verified: verification.verified, share: verification.share, unverified: verification.unverified } } : {}),
    });
  }
  return { documents, failed };
}

/** Patterns: every digest of the run folded; one invocation suffices (see README: bench/fold-scale.ts). */
export async function patternsTask(context: TaskContext, input: { runId: string }): Promise<{ runId: string; patterns: number }> {
  const { documents } = await collectDocuments(context, input.runId, { readSources: false });
  const patterns = await withStages(context, (stages) => asTask(() => foldPatterns(documents.flatMap((document) => document.digests), stages)));
  await putJson(context.artifacts, `runs/${input.runId}/patterns.json`, patterns);
  return { runId: input.runId, patterns: patterns.length };
}

export async function opportunitiesTask(context: TaskContext, input: { runId: string }): Promise<{ runId: string; opportunities: number }> {
  const patterns = (await getJson<Pattern[]>(context.artifacts, `runs/${input.runId}/patterns.json`)) ?? [];
  const opportunities = await withStages(context, (stages) => asTask(() => proposeOpportunities(patterns, context.metadata ?? new Map(), stages)));
  await putJson(context.artifacts, `runs/${input.runId}/opportunities.json`, opportunities);
  return { runId: input.runId, opportunities: opportunities.length };
}

/** The report of a run, under reports/<runId>/ and reports/latest/; the run is marked done. */
export async function reportTask(context: TaskContext, input: { runId: string }): Promise<{ runId: string; reportKeys: string[]; documents: number; failed: number }> {
  const { runId } = input;
  const { documents, failed } = await collectDocuments(context, runId);
  const patterns = (await getJson<Pattern[]>(context.artifacts, `runs/${runId}/patterns.json`)) ?? [];
  const opportunities = (await getJson<Opportunity[]>(context.artifacts, `runs/${runId}/opportunities.json`)) ?? [];
  const report = ReportData.parse({ generatedAt: new Date().toISOString(), runId, engine: context.engine.descriptor, documents, patterns, opportunities, skipped: [], failed });
  const rendered = await renderReport(report);
  const files: Array<[string, string, string]> = [
    ['report.html', rendered.html, 'text/html'],
    ['report.md', rendered.markdown, 'text/markdown'],
    ['report.json', rendered.json, 'application/json'],
    ['digests.csv', rendered.digestsCsv, 'text/csv'],
  ];
  const reportKeys: string[] = [];
  for (const prefix of [`reports/${runId}`, 'reports/latest']) {
    for (const [name, body, type] of files) {
      await context.artifacts.put(`${prefix}/${name}`, body, type);
      if (prefix !== 'reports/latest') reportKeys.push(`${prefix}/${name}`);
    }
  }
  for (const document of documents) await context.artifacts.put(`docs/${document.docId}.md`, renderDocumentMarkdown(document), 'text/markdown');
  const run = await context.state.getRun(runId);
  await context.state.putRun({ ...(run ?? { runId, mode: 'full', startedAt: new Date().toISOString() }), status: 'succeeded', finishedAt: new Date().toISOString(), reportKey: `reports/${runId}/report.html`, documents: documents.length, failed: failed.length });
  return { runId, reportKeys, documents: documents.length, failed: failed.length };
}
