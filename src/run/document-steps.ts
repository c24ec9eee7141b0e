/**
 * The per-document steps of a run: ingest -> summarize -> classify -> analyze (per causal
 * technology) -> finish. Each reads its inputs from the layout (or from the state the previous
 * step left in memory, when one process runs them all) and writes its outputs there: the CLI runs
 * them back to back with `processDocument`, each Lambda runs one. No step recomputes an earlier
 * one, and the source is read once, by ingest.
 */
import { StageError, messageOf } from '../errors.ts';
import { renderDocumentMarkdown } from '../report/index.ts';
import {
  Classification,
  Digest,
  Postmortem,
  Summary,
  type CorpusEntry,
  type ReportDocument,
  type StageName,
  type WorkItem,
} from '../schemas/index.ts';
import { analyze, classify, summarize } from '../stages/index.ts';
import { getJson, putJson } from '../store/object-store.ts';
import { quarantineOf } from '../trust/quarantine.ts';
import { verifyDocument } from '../trust/verify.ts';
import type { z } from 'zod';
import type { RunContext } from './context.ts';
import { layout } from './layout.ts';

/** What one process already holds of a document; a Lambda starts empty and reads from the layout. */
export interface DocumentState {
  /** Whether the corpus index had this document before (ingest knows; a Lambda that did not ingest assumes so). */
  known?: boolean;
  postmortem?: Postmortem;
  summary?: Summary;
  classification?: Classification;
  digests: Map<string, Digest>;
}

export function emptyDocumentState(): DocumentState {
  return { digests: new Map() };
}

export type IngestOutcome = 'ready' | 'unchanged' | 'skipped';

async function readOutput<T>(
  context: RunContext,
  key: string,
  schema: z.ZodType<T>,
  stage: StageName,
  docId: string,
): Promise<T> {
  const value = await getJson<unknown>(context.artifacts, key);
  const parsed = value === undefined ? undefined : schema.safeParse(value);
  if (!parsed?.success)
    throw new StageError(stage, docId, `its input ${key} is missing or invalid: the previous step did not complete`);
  return parsed.data;
}

async function postmortemOf(
  context: RunContext,
  docId: string,
  state: DocumentState,
  stage: StageName,
): Promise<Postmortem> {
  return (state.postmortem ??= await readOutput(context, layout.postmortem(docId), Postmortem, stage, docId));
}

async function summaryOf(context: RunContext, docId: string, state: DocumentState, stage: StageName): Promise<Summary> {
  return (state.summary ??= await readOutput(context, layout.summary(docId), Summary, stage, docId));
}

async function classificationOf(
  context: RunContext,
  docId: string,
  state: DocumentState,
  stage: StageName,
): Promise<Classification> {
  return (state.classification ??= await readOutput(
    context,
    layout.classification(docId),
    Classification,
    stage,
    docId,
  ));
}

function entryOf(
  context: RunContext,
  item: WorkItem,
  fields: Pick<CorpusEntry, 'status' | 'contentHash'> & Partial<CorpusEntry>,
): CorpusEntry {
  return {
    docId: item.docId,
    sourceKey: item.key,
    sourceVersion: item.version,
    fingerprint: context.fingerprint,
    updatedAt: new Date().toISOString(),
    ...fields,
  };
}

/**
 * Read the source once and parse it. A file that cannot be analysed is recorded as skipped with
 * its reason; a source whose content and configuration are those the index already holds is
 * recorded under its new version and needs nothing more.
 */
export async function ingestStep(
  context: RunContext,
  runId: string,
  item: WorkItem,
  state: DocumentState = emptyDocumentState(),
): Promise<IngestOutcome> {
  // The ingest entry of run.json is this step's own time: reading, parsing and recording one source.
  const started = performance.now();
  let outcome: IngestOutcome | undefined;
  try {
    outcome = await ingestOnce(context, runId, item, state);
    return outcome;
  } finally {
    context.observer?.onStage(
      'ingest',
      outcome === 'ready' ? 'computed' : outcome === 'unchanged' ? 'cached' : 'failed',
      performance.now() - started,
    );
  }
}

async function ingestOnce(
  context: RunContext,
  runId: string,
  item: WorkItem,
  state: DocumentState,
): Promise<IngestOutcome> {
  const bytes = await context.sources.read(item.key);
  const outcome =
    bytes === undefined
      ? ({ ok: false, skipped: { path: item.key, code: 'unreadable', reason: 'the source no longer exists' } } as const)
      : await context.ingest(bytes, item.key, item.docId, { maxBytes: context.maxBytes });
  if (!outcome.ok) {
    const { code, reason } = outcome.skipped;
    await context.state.putCorpusEntry(entryOf(context, item, { status: 'skipped', contentHash: null, code, reason }));
    await context.state.recordOutcome({ runId, docId: item.docId, status: 'skipped', reason });
    await context.state.markCorpusChanged();
    return 'skipped';
  }
  const previous = await context.state.getCorpusEntry(item.docId);
  if (
    previous?.status === 'analysed' &&
    previous.contentHash === outcome.postmortem.contentHash &&
    previous.fingerprint === context.fingerprint
  ) {
    await context.state.putCorpusEntry({
      ...previous,
      sourceVersion: item.version,
      updatedAt: new Date().toISOString(),
    });
    return 'unchanged';
  }
  // Personal data is replaced by corpus-wide placeholders here, before anything downstream (model
  // prompts, quote verification, the stored postmortem, the report) sees the document.
  const postmortem = context.privacy ? await context.privacy.redactPostmortem(outcome.postmortem) : outcome.postmortem;
  state.postmortem = postmortem;
  state.known = previous !== undefined;
  await putJson(context.artifacts, layout.postmortem(item.docId), postmortem);
  return 'ready';
}

export async function summarizeStep(
  context: RunContext,
  docId: string,
  state: DocumentState = emptyDocumentState(),
): Promise<Summary> {
  const postmortem = await postmortemOf(context, docId, state, 'summarize');
  const summary = await summarize(postmortem, context.stages);
  state.summary = summary;
  await putJson(context.artifacts, layout.summary(docId), summary);
  return summary;
}

/** Classify; the causal technologies it returns are the analyze steps to run. */
export async function classifyStep(
  context: RunContext,
  docId: string,
  state: DocumentState = emptyDocumentState(),
): Promise<string[]> {
  const postmortem = await postmortemOf(context, docId, state, 'classify');
  const summary = await summaryOf(context, docId, state, 'classify');
  const classification = await classify(postmortem, summary, context.catalogHash, context.stages);
  state.classification = classification;
  await putJson(context.artifacts, layout.classification(docId), classification);
  return classification.causal.map((cause) => cause.technology);
}

export async function analyzeStep(
  context: RunContext,
  docId: string,
  technology: string,
  state: DocumentState = emptyDocumentState(),
): Promise<Digest> {
  const postmortem = await postmortemOf(context, docId, state, 'analyze');
  const summary = await summaryOf(context, docId, state, 'analyze');
  const classification = await classificationOf(context, docId, state, 'analyze');
  const digest = await analyze(postmortem, summary, classification, technology, context.stages);
  state.digests.set(technology, digest);
  await putJson(context.artifacts, layout.digest(docId, technology), digest);
  return digest;
}

/** Check the evidence, write the document as the report shows it and its page, and enter it in the corpus index. */
export async function finishStep(
  context: RunContext,
  runId: string,
  item: WorkItem,
  state: DocumentState = emptyDocumentState(),
): Promise<ReportDocument> {
  const postmortem = await postmortemOf(context, item.docId, state, 'analyze');
  const summary = await summaryOf(context, item.docId, state, 'analyze');
  const classification = await classificationOf(context, item.docId, state, 'analyze');
  const digests: Digest[] = [];
  for (const cause of classification.causal) {
    digests.push(
      state.digests.get(cause.technology) ??
        (await readOutput(context, layout.digest(item.docId, cause.technology), Digest, 'analyze', item.docId)),
    );
  }
  // Digests of technologies no longer causal (a document analysed again) go.
  if (state.known !== false) {
    const current = new Set(classification.causal.map((cause) => layout.digest(item.docId, cause.technology)));
    const stale = (await context.artifacts.list(`${layout.documentFolder(item.docId)}digests/`)).filter(
      (key) => !current.has(key),
    );
    if (stale.length > 0) await context.artifacts.delete(stale);
  }
  const verification = verifyDocument(postmortem, summary, classification, digests);
  const severity = postmortem.metadata.severity;
  const document: ReportDocument = {
    docId: item.docId,
    title: postmortem.title,
    date: postmortem.date,
    severity: typeof severity === 'string' || typeof severity === 'number' ? String(severity) : null,
    sourcePath: item.key,
    summary,
    classification,
    digests,
    verification: {
      claims: verification.claims,
      verified: verification.verified,
      share: verification.share,
      unverified: verification.unverified,
      byStage: Object.fromEntries(
        Object.entries(verification.byStage).map(([stage, part]) => [
          stage,
          { claims: part.claims, verified: part.verified },
        ]),
      ),
    },
  };
  // Claims that largely fail verification, or a garbage summary: not shown as fact (src/trust/quarantine.ts).
  const quarantine = quarantineOf(verification, summary);
  if (quarantine) document.quarantine = quarantine;
  // Sentences addressed to a model, found at ingest: listed in the report (src/report/directives.ts).
  if (postmortem.directives.length > 0) document.directives = postmortem.directives;
  await putJson(context.artifacts, layout.document(item.docId), document);
  await context.artifacts.put(layout.page(item.docId), renderDocumentMarkdown(document), 'text/markdown');
  await context.state.putCorpusEntry(
    entryOf(context, item, { status: 'analysed', contentHash: postmortem.contentHash }),
  );
  await context.state.recordOutcome({ runId, docId: item.docId, status: 'analysed' });
  await context.state.markCorpusChanged();
  return document;
}

/** A document whose step failed (after its retries): recorded in the index with the stage, and counted once in the run. */
export async function recordDocumentFailure(
  context: RunContext,
  runId: string,
  item: WorkItem,
  stage: StageName,
  reason: string,
): Promise<void> {
  const previous = await context.state.getCorpusEntry(item.docId);
  await context.state.putCorpusEntry(
    entryOf(context, item, { status: 'failed', contentHash: previous?.contentHash ?? null, stage, reason }),
  );
  await context.state.recordOutcome({ runId, docId: item.docId, status: 'failed', stage, reason });
  await context.state.markCorpusChanged();
}

/** A source that is gone: its entry and every output of it leave the corpus. */
export async function removeDocument(context: RunContext, docId: string): Promise<void> {
  const keys = [...(await context.artifacts.list(layout.documentFolder(docId))), layout.page(docId)];
  await context.artifacts.delete(keys);
  await context.state.removeCorpusEntry(docId);
  await context.state.markCorpusChanged();
}

export type ProcessOutcome =
  | { status: 'analysed'; document: ReportDocument }
  | { status: 'unchanged' | 'skipped' }
  | { status: 'failed'; stage: StageName; reason: string };

/** Every step of one document in one process (the CLI and eval); a failure is recorded, never thrown. */
export async function processDocument(context: RunContext, runId: string, item: WorkItem): Promise<ProcessOutcome> {
  const state = emptyDocumentState();
  let stage: StageName = 'ingest';
  try {
    const ingested = await ingestStep(context, runId, item, state);
    if (ingested !== 'ready') return { status: ingested };
    stage = 'summarize';
    await summarizeStep(context, item.docId, state);
    stage = 'classify';
    const technologies = await classifyStep(context, item.docId, state);
    stage = 'analyze';
    for (const technology of technologies) await analyzeStep(context, item.docId, technology, state);
    return { status: 'analysed', document: await finishStep(context, runId, item, state) };
  } catch (error) {
    const failedStage = error instanceof StageError ? error.stage : stage;
    const reason = error instanceof StageError ? error.reason : messageOf(error);
    await recordDocumentFailure(context, runId, item, failedStage, reason);
    return { status: 'failed', stage: failedStage, reason };
  }
}
