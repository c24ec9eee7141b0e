/**
 * The AWS side of the run core: what each state-machine task does, over the same steps the CLI
 * runs. The Lambda handlers in lambdas/ parse their event and call one of these.
 *
 * One execution at a time works on the corpus (a lock with a lease in the state table): it drains
 * the queue of source changes in rounds (a Distributed Map per round), then folds the whole corpus
 * once and notifies once. Executions that wait for the lock find the queue drained, and fold only
 * if the corpus changed since the last fold, so a drop split over many SQS batches gives one
 * report, and a weekly sweep and a drop never spend the model quota on the same document twice.
 */
import { createHash } from 'node:crypto';
import { messageOf, scrubDetail } from '../errors.ts';
import { ModelCallError } from '../models/language-model.ts';
import {
  analyzeStep,
  classifyStep,
  documentIdOf,
  finishStep,
  ingestStep,
  layout,
  needsWork,
  opportunitiesStep,
  patternsStep,
  planRun,
  recordDocumentFailure,
  removeDocument,
  reportStep,
  summarizeStep,
} from '../run/index.ts';
import type { StageName } from '../schemas/index.ts';
import { putJson } from '../store/object-store.ts';
import { unquoteEtag } from '../store/s3-object-store.ts';
import { paddedSequencer, type QueuedChange } from '../store/state-store.ts';
import type { AwsRunContext } from './context.ts';
import type { AnalyzeTaskEvent, DocumentTaskEvent, FailureTaskEvent, ObjectChange, RunEndedEvent } from './events.ts';

export const CORPUS_LOCK = 'corpus';
/** How long a holder keeps the lock without renewing it (each round renews it). */
export const LOCK_LEASE_SECONDS = 12 * 3600;
/** Documents in one round's Distributed Map; a backfill runs in several rounds, each renewing the lock. */
export const ROUND_ITEMS = 1000;
/** Longest failure reason kept (errors never carry more of a document or a model's text). */
const MAX_REASON = 300;

/** Model throttling that outlived the engine's own retries: the state machine retries it with backoff. */
export class ThrottlingError extends Error {
  override readonly name = 'ThrottlingError';
}

/** A model server error, timeout or network failure that outlived the engine's retries: retried by the state machine too. */
export class ModelUnavailableError extends Error {
  override readonly name = 'ModelUnavailableError';
}

/** The execution no longer holds the corpus lock (its lease ran out and another took it). */
export class LockLostError extends Error {
  override readonly name = 'LockLostError';
}

/** The kind of the model failure behind an error, if one is (a cause chain is followed). */
function modelFailureOf(error: unknown): ModelCallError['kind'] | undefined {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    if (current instanceof ModelCallError) return current.kind;
  }
  return undefined;
}

/** Throttling (ThrottlingError) or an unavailable model (ModelUnavailableError) that survived the engine's retries: the state machine retries both with backoff. */
async function asTask<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw taskErrorOf(error);
  }
}

/** The error a task ends with: a model failure the state machine retries by name, or the error itself. */
export function taskErrorOf(error: unknown): unknown {
  const kind = modelFailureOf(error);
  if (kind === 'throttled') return new ThrottlingError(messageOf(error));
  if (kind === 'server' || kind === 'timeout' || kind === 'network') return new ModelUnavailableError(messageOf(error));
  return error;
}

/** Stage results are written behind the caller; a frozen Lambda would lose them, so each task flushes. */
async function flushed<T>(context: AwsRunContext, work: () => Promise<T>): Promise<T> {
  try {
    return await asTask(work);
  } finally {
    await context.cache.flush();
  }
}

// Ingest: S3 notifications -> the queue of changes -> an execution.

/**
 * Queue every change under the input prefix (folder markers apart), except a version the corpus
 * index already holds (a duplicate notification); the count queued.
 */
export async function queueChanges(context: AwsRunContext, changes: readonly ObjectChange[]): Promise<number> {
  let queued = 0;
  for (const change of changes) {
    if (!change.key.startsWith(context.inputPrefix) || change.key.endsWith('/')) continue;
    const key = change.key.slice(context.inputPrefix.length);
    const entry = await context.state.getCorpusEntry(documentIdOf(key));
    if (!change.removed && entry && entry.status !== 'failed' && entry.sourceVersion === unquoteEtag(change.version))
      continue;
    const written = await context.state.enqueue({
      key,
      version: unquoteEtag(change.version),
      sequencer: paddedSequencer(change.sequencer),
      removed: change.removed,
      queuedAt: new Date().toISOString(),
    });
    if (written) queued += 1;
  }
  return queued;
}

/** The execution name of an SQS batch: the same batch, redelivered, starts (at most) the same execution. */
export function executionNameOf(messageIds: readonly string[]): string {
  return `drop-${createHash('sha256')
    .update([...messageIds].sort().join('\n'))
    .digest('hex')
    .slice(0, 40)}`;
}

// The corpus lock.

export async function acquireTask(
  context: AwsRunContext,
  input: { holder: string; mode: 'full' | 'incremental' },
): Promise<{ acquired: boolean; runId: string }> {
  const acquired = await context.state.acquireLock(CORPUS_LOCK, input.holder, LOCK_LEASE_SECONDS);
  if (acquired && !(await context.state.getRun(input.holder))) {
    await context.state.putRun({
      runId: input.holder,
      mode: input.mode,
      status: 'running',
      startedAt: new Date().toISOString(),
    });
  }
  return { acquired, runId: input.holder };
}

async function renew(context: AwsRunContext, holder: string): Promise<void> {
  if (!(await context.state.acquireLock(CORPUS_LOCK, holder, LOCK_LEASE_SECONDS)))
    throw new LockLostError(`execution ${holder} lost the corpus lock`);
}

export async function releaseTask(
  context: AwsRunContext,
  input: { holder: string; runId?: string; failed: boolean; error?: unknown },
): Promise<{ released: boolean }> {
  const released = await context.state.releaseLock(CORPUS_LOCK, input.holder);
  const run = input.runId ? await context.state.getRun(input.runId) : undefined;
  if (run)
    await context.state.putRun({
      ...run,
      status: input.failed ? 'failed' : 'succeeded',
      finishedAt: new Date().toISOString(),
    });
  return { released };
}

/**
 * An execution ended other than SUCCEEDED (the operations rule calls this on its status change).
 * A TIMED_OUT or ABORTED execution never reaches its own failure path, and a FAILED one may have
 * failed outside it: its run record, still running or waiting, is marked failed with the status as
 * its reason, and the corpus lock is released if this execution still holds it (the same
 * conditional delete as ReleaseLockAfterFailure, so a lock another execution took meanwhile stays).
 * The run id and the lock holder are the execution's name. Idempotent: a run that already ended
 * is left as it is, and a lock released once is not released again.
 */
export async function markRunEndedTask(
  context: Pick<AwsRunContext, 'state'>,
  input: RunEndedEvent,
): Promise<{ runId: string; marked: boolean; released: boolean }> {
  const runId = input.name;
  const run = await context.state.getRun(runId);
  const marked = run !== undefined && (run.status === 'running' || run.status === 'waiting');
  if (marked)
    await context.state.putRun({
      ...run,
      status: 'failed',
      reason: input.status,
      finishedAt: new Date().toISOString(),
    });
  const released = await context.state.releaseLock(CORPUS_LOCK, runId);
  return { runId, marked, released };
}

// Rounds of document work.

/**
 * A full sweep: the source listing diffed against the index; new, changed, failed and stale
 * documents are queued, and so are deletions. Unchanged documents cost one listing line each.
 */
export async function sweep(context: AwsRunContext): Promise<{ queued: number; unchanged: number }> {
  const plan = planRun(await context.sources.list(), await context.state.listCorpus(), context.fingerprint);
  const queuedAt = new Date().toISOString();
  const sequencer = paddedSequencer('');
  for (const item of plan.work)
    await context.state.enqueue({ key: item.key, version: item.version, sequencer, removed: false, queuedAt });
  for (const entry of plan.deleted)
    await context.state.enqueue({
      key: entry.sourceKey,
      version: entry.sourceVersion,
      sequencer,
      removed: true,
      queuedAt,
    });
  return { queued: plan.work.length + plan.deleted.length, unchanged: plan.unchanged };
}

/**
 * Prepare one round: (a full run sweeps first) take queued changes, apply deletions, drop changes
 * the index already reflects, and write the rest as the round's manifest. `count` 0 ends the rounds.
 */
export async function prepareTask(
  context: AwsRunContext,
  input: { holder: string; runId: string; mode: 'full' | 'incremental'; round: number },
): Promise<{ runId: string; round: number; manifestKey: string; count: number }> {
  await renew(context, input.holder);
  if (input.mode === 'full' && input.round === 0) await sweep(context);
  const entries = new Map((await context.state.listCorpus()).map((entry) => [entry.docId, entry]));
  const changes = (await context.state.listQueue()).sort(
    (left, right) => left.queuedAt.localeCompare(right.queuedAt) || left.key.localeCompare(right.key),
  );
  const items: Array<DocumentTaskEvent['item']> = [];
  for (const change of changes) {
    if (items.length >= ROUND_ITEMS) break;
    const docId = documentIdOf(change.key);
    const entry = entries.get(docId);
    if (change.removed) {
      if (entry) await removeDocument(context, docId);
      await context.state.dequeue(change);
      continue;
    }
    if (entry && !needsWork(entry, { key: change.key, version: change.version }, context.fingerprint)) {
      await context.state.dequeue(change);
      continue;
    }
    items.push({
      docId,
      key: change.key,
      version: change.version,
      sequencer: change.sequencer,
      removed: false,
      queuedAt: change.queuedAt,
    });
  }
  const manifestKey = layout.manifest(input.runId, input.round);
  await putJson(
    context.artifacts,
    manifestKey,
    items.map((item) => ({ item })),
  );
  return { runId: input.runId, round: input.round, manifestKey, count: items.length };
}

function queuedChangeOf(item: DocumentTaskEvent['item']): QueuedChange | undefined {
  return item.sequencer === undefined || item.queuedAt === undefined
    ? undefined
    : { key: item.key, version: item.version, sequencer: item.sequencer, removed: false, queuedAt: item.queuedAt };
}

/** A document's work is settled (done, skipped or failed): its queued change goes, unless a newer one arrived. */
async function settle(context: AwsRunContext, item: DocumentTaskEvent['item']): Promise<void> {
  const change = queuedChangeOf(item);
  if (change) await context.state.dequeue(change);
}

export async function summarizeTask(
  context: AwsRunContext,
  event: DocumentTaskEvent,
): Promise<DocumentTaskEvent & { proceed: boolean }> {
  const outcome = await ingestStep(context, event.runId, event.item);
  if (outcome !== 'ready') {
    await settle(context, event.item);
    return { ...event, proceed: false };
  }
  await flushed(context, () => summarizeStep(context, event.item.docId));
  return { ...event, proceed: true };
}

export async function classifyTask(
  context: AwsRunContext,
  event: DocumentTaskEvent,
): Promise<DocumentTaskEvent & { technologies: AnalyzeTaskEvent[] }> {
  const technologies = await flushed(context, () => classifyStep(context, event.item.docId));
  return { ...event, technologies: technologies.map((technology) => ({ ...event, technology })) };
}

export async function analyzeTask(context: AwsRunContext, event: AnalyzeTaskEvent): Promise<{ technology: string }> {
  await flushed(context, () => analyzeStep(context, event.item.docId, event.technology));
  return { technology: event.technology };
}

export async function finishTask(context: AwsRunContext, event: DocumentTaskEvent): Promise<{ docId: string }> {
  await finishStep(context, event.runId, event.item);
  await settle(context, event.item);
  return { docId: event.item.docId };
}

/**
 * Step Functions puts a Lambda error's JSON ({errorType, errorMessage}) in Cause; the reason is its
 * message, scrubbed and capped (the message is safe at its source, see src/errors.ts; this is the
 * last line for errors raised elsewhere, e.g. by the runtime). A Cause that is not that JSON is
 * never quoted: the reason is then the error name.
 */
export function reasonOf(error: FailureTaskEvent['error']): string {
  let reason = error?.Error ?? 'unknown failure';
  if (error?.Cause) {
    try {
      const parsed = JSON.parse(error.Cause) as { errorMessage?: unknown; errorType?: unknown };
      if (typeof parsed.errorMessage === 'string') reason = parsed.errorMessage;
    } catch {
      // Not the Lambda error JSON: keep the error name.
    }
  }
  return scrubDetail(reason, MAX_REASON);
}

/** Catch target: the failure is recorded with the stage of the state that failed, counted once, and settled. */
export async function recordFailureTask(
  context: AwsRunContext,
  event: FailureTaskEvent,
): Promise<{ failed: true; docId: string; stage: StageName }> {
  await recordDocumentFailure(context, event.runId, event.item, event.stage, reasonOf(event.error));
  await settle(context, event.item);
  return { failed: true, docId: event.item.docId, stage: event.stage };
}

// The fold.

/** More of the corpus failed than the deployment tolerates: no report is folded, the last one stays. */
export class TooManyDocumentsFailedError extends Error {
  override readonly name = 'TooManyDocumentsFailed';
}

/**
 * Fold when the corpus changed since the last fold (or on a full run, which refreshes the report),
 * unless more than the tolerated share of the corpus is failed (a model outage, say): then the run
 * fails and reports/ keeps the last good report.
 */
export async function beginFoldTask(
  context: AwsRunContext,
  input: { holder: string; runId: string; mode: 'full' | 'incremental' },
): Promise<{ fold: boolean; generation: number }> {
  await renew(context, input.holder);
  const entries = await context.state.listCorpus();
  const failed = entries.filter((entry) => entry.status === 'failed').length;
  if (entries.length > 0 && (failed / entries.length) * 100 > context.toleratedFailurePercentage) {
    throw new TooManyDocumentsFailedError(
      `${failed} of ${entries.length} documents of the corpus failed, over the tolerated ${context.toleratedFailurePercentage}%`,
    );
  }
  const { generation, folded } = await context.state.foldState();
  return { fold: input.mode === 'full' || generation > folded, generation };
}

export async function patternsTask(
  context: AwsRunContext,
  input: { runId: string },
): Promise<{ runId: string; patterns: number }> {
  const fold = await flushed(context, () => patternsStep(context, input.runId));
  return { runId: input.runId, patterns: fold.patterns.length };
}

export async function opportunitiesTask(
  context: AwsRunContext,
  input: { runId: string },
): Promise<{ runId: string; opportunities: number }> {
  const opportunities = await flushed(context, () => opportunitiesStep(context, input.runId));
  return { runId: input.runId, opportunities: opportunities.length };
}

/** The report of the whole corpus under report/ and runs/<runId>/report/; the fold's generation is recorded. */
export async function reportTask(
  context: AwsRunContext,
  input: { runId: string; generation?: number },
): Promise<{ runId: string; reportKeys: string[]; documents: number; failed: number; skipped: number }> {
  const { reportKeys, report } = await reportStep(context, input.runId, { keepCopy: true });
  if (input.generation !== undefined) await context.state.markFolded(input.generation);
  const run = await context.state.getRun(input.runId);
  if (run) await context.state.putRun({ ...run, reportKey: reportKeys.find((key) => key.endsWith('.html')) });
  return {
    runId: input.runId,
    reportKeys,
    documents: report.documents.length,
    failed: report.failed.length,
    skipped: report.skipped.length,
  };
}
