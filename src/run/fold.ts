/**
 * The corpus fold: patterns -> opportunities -> report, always over the whole current corpus as
 * the index records it (never over one run's batch). On AWS each is a task of its own; the CLI
 * calls `foldCorpus`. Intermediates live under runs/<runId>/ in the layout.
 */
import pLimit from 'p-limit';
import { z } from 'zod';
import { applyOverrides } from '../review/overrides.ts';
import { approvalByStageAndPrompt, buildReviewQueue, trailingApproval } from '../review/queue.ts';
import { renderReport } from '../report/index.ts';
import {
  FoldResult,
  Opportunity,
  ReportData,
  ReportDocument,
  type CorpusEntry,
  type FailedDocument,
  type IncidentMetadata,
  type SkippedDocument,
} from '../schemas/index.ts';
import { compareReports } from '../report/changes.ts';
import { foldPatterns, proposeOpportunities, type CorpusIncident, type IncidentStanding } from '../stages/index.ts';
import { getJson, putJson } from '../store/object-store.ts';
import { metadataOf, type RunContext } from './context.ts';
import { layout } from './layout.ts';
import { writeReportFiles } from './report-output.ts';

/** Documents read at once from the artifacts store. */
const READ_CONCURRENCY = 32;

export interface CorpusView {
  entries: CorpusEntry[];
  /** The analysed documents, metadata applied (date and severity), ordered by id. */
  documents: ReportDocument[];
  skipped: SkippedDocument[];
  failed: FailedDocument[];
  /** Each analysed document's metadata row, by document id. */
  metadata: Map<string, IncidentMetadata>;
}

/** The current corpus: its index, and every analysed document's outputs read concurrently. */
export async function loadCorpus(context: RunContext): Promise<CorpusView> {
  const entries = (await context.state.listCorpus()).sort((left, right) => left.docId.localeCompare(right.docId));
  const limit = pLimit(READ_CONCURRENCY);
  const failed: FailedDocument[] = [];
  const skipped: SkippedDocument[] = [];
  const metadata = new Map<string, IncidentMetadata>();
  const read = await Promise.all(
    entries.map((entry) =>
      limit(async (): Promise<ReportDocument | undefined> => {
        if (entry.status === 'skipped') {
          skipped.push({
            path: entry.sourceKey,
            code: entry.code ?? 'unreadable',
            reason: entry.reason ?? 'not analysed',
          });
          return undefined;
        }
        if (entry.status === 'failed') {
          failed.push({
            docId: entry.docId,
            stage: entry.stage ?? 'summarize',
            reason: entry.reason ?? 'unknown failure',
          });
          return undefined;
        }
        const parsed = ReportDocument.safeParse(
          await getJson<unknown>(context.artifacts, layout.document(entry.docId)),
        );
        if (!parsed.success) {
          failed.push({
            docId: entry.docId,
            stage: 'report',
            reason: `its outputs (${layout.document(entry.docId)}) are missing or invalid`,
          });
          return undefined;
        }
        const row = metadataOf(context, entry.docId, entry.sourceKey);
        if (row) metadata.set(entry.docId, row);
        return {
          ...parsed.data,
          date: parsed.data.date ?? row?.date ?? null,
          severity: parsed.data.severity ?? row?.severity ?? null,
          faultCategory: parsed.data.classification.faultCategory,
        };
      }),
    ),
  );
  skipped.sort((left, right) => left.path.localeCompare(right.path));
  failed.sort((left, right) => left.docId.localeCompare(right.docId));
  return {
    entries,
    documents: read.filter((document): document is ReportDocument => document !== undefined),
    skipped,
    failed,
    metadata,
  };
}

/** Below this confidence a cause sends its incident's evidence to review in the ranking. */
const LOW_CONFIDENCE = 0.5;

/** A quarantined document's outputs are not facts: it stays out of themes and opportunities. */
function isQuarantined(document: ReportDocument): boolean {
  return document.quarantine !== undefined;
}

/**
 * What the fold reads of a document: its causes' sentences first (root causes, digests, the issue),
 * then its impact, resolution and preventive actions; never its whole text.
 */
export function foldIncidentOf(document: ReportDocument, contentHash: string | null): CorpusIncident {
  // Only verified outputs reach the fold (and, on a model engine, its prompts): a claim or digest
  // whose evidence did not verify, such as an instruction a model quoted back, stays out.
  const unverified = new Set((document.verification?.unverified ?? []).map((claim) => `${claim.stage}:${claim.field}`));
  const claimed = (field: string, claims: Array<{ text: string; evidence: string[] }>, indexed: boolean) =>
    claims
      .filter(
        (claim, index) =>
          claim.evidence.length > 0 && !unverified.has(`summarize:${indexed ? `${field}[${index}]` : field}`),
      )
      .flatMap((claim) => claim.evidence);
  const causes = [
    ...new Set([
      ...claimed('rootCauses', document.summary.rootCauses, true),
      ...document.digests
        .filter((digest) => !unverified.has(`analyze:digest:${digest.technology}`))
        .flatMap((digest) => digest.sentences),
      ...claimed('issue', [document.summary.issue], false),
    ]),
  ];
  // After the causes, what the document says around them: the impact, the resolution and the
  // preventive actions. They weigh least; many documents name their mechanism only there.
  const context = [
    ...new Set([
      ...claimed('impact', [document.summary.impact], false),
      ...claimed('resolution', [document.summary.resolution], false),
      ...claimed('preventiveActions', document.summary.preventiveActions, true),
    ]),
  ].filter((sentence) => !causes.includes(sentence));

  return {
    docId: document.docId,
    technologies: document.classification.causal.map((cause) => cause.technology).sort(),
    faultCategory: document.classification.faultCategory,
    faultSecondary: document.classification.faultSecondary,
    sentences: [...causes, ...context],
    causeSentences: causes.length,
    contributingFactors: [...new Set(document.digests.flatMap((digest) => digest.contributingFactors))].sort(),
    contentHash,
    date: document.date,
  };
}

function standingOf(document: ReportDocument): IncidentStanding {
  const confidences = document.classification.causal.map((cause) => cause.confidence);
  const confidence = confidences.length === 0 ? 1 : Math.min(...confidences);
  const unverifiedCauses = (document.verification?.unverified ?? []).some((claim) => claim.stage === 'classify');
  return {
    confidence,
    needsReview: document.classification.flags.length > 0 || unverifiedCauses || confidence < LOW_CONFIDENCE,
    // The severity the report shows for it (its own, else the metadata file's); ranking prefers the file's.
    ...(document.severity ? { severity: document.severity } : {}),
  };
}

/** What the patterns step leaves for the opportunities step: the fold, and each incident's standing. */
const PatternsOutput = z.object({
  fold: FoldResult,
  standing: z.record(
    z.string(),
    z.object({ confidence: z.number(), needsReview: z.boolean(), severity: z.string().optional() }),
  ),
});
type PatternsOutput = z.infer<typeof PatternsOutput>;

async function readPatterns(context: RunContext, runId: string): Promise<PatternsOutput> {
  const parsed = PatternsOutput.safeParse(await getJson<unknown>(context.artifacts, layout.patterns(runId)));
  return parsed.success
    ? parsed.data
    : { fold: { patterns: [], notRecurring: [], noCatalog: [], duplicates: [], dropped: [] }, standing: {} };
}

export async function patternsStep(context: RunContext, runId: string, corpus?: CorpusView): Promise<FoldResult> {
  const { documents, entries } = corpus ?? (await loadCorpus(context));
  const hashes = new Map(entries.map((entry) => [entry.docId, entry.contentHash]));
  const members = documents.filter((document) => !isQuarantined(document));
  const fold = await foldPatterns(
    members.map((document) => foldIncidentOf(document, hashes.get(document.docId) ?? null)),
    context.stages,
  );
  const standing = Object.fromEntries(members.map((document) => [document.docId, standingOf(document)]));
  await putJson(context.artifacts, layout.patterns(runId), { fold, standing } satisfies PatternsOutput);
  return fold;
}

/** Each analysed document's metadata row, by document id, from the index alone (no document is read). */
export async function corpusMetadata(context: RunContext): Promise<Map<string, IncidentMetadata>> {
  const metadata = new Map<string, IncidentMetadata>();
  for (const entry of await context.state.listCorpus()) {
    const row = entry.status === 'analysed' ? metadataOf(context, entry.docId, entry.sourceKey) : undefined;
    if (row) metadata.set(entry.docId, row);
  }
  return metadata;
}

export async function opportunitiesStep(
  context: RunContext,
  runId: string,
  corpus?: CorpusView,
): Promise<Opportunity[]> {
  const { fold, standing } = await readPatterns(context, runId);
  const metadata = corpus?.metadata ?? (await corpusMetadata(context));
  const opportunities = await proposeOpportunities(fold, new Map(Object.entries(standing)), metadata, context.stages);
  await putJson(context.artifacts, layout.opportunities(runId), opportunities);
  return opportunities;
}

export interface ReportOutcome {
  runId: string;
  /** The report files as this run wrote them; the latest report is also under report/. */
  reportKeys: string[];
  report: ReportData;
}

/**
 * The report of the whole corpus, with reviewers' edits applied and the review queue beside it.
 * `keepCopy` also keeps this run's report under runs/<runId>/report/ (AWS links point there).
 */
export async function reportStep(
  context: RunContext,
  runId: string,
  options: { keepCopy?: boolean; corpus?: CorpusView } = {},
): Promise<ReportOutcome> {
  const corpus = options.corpus ?? (await loadCorpus(context));
  const { fold } = await readPatterns(context, runId);
  const opportunities = z
    .array(Opportunity)
    .parse((await getJson<unknown>(context.artifacts, layout.opportunities(runId))) ?? []);
  const votes = await context.state.listVotes();
  const contentHashes = new Map(
    corpus.entries.flatMap((entry) => (entry.contentHash ? [[entry.docId, entry.contentHash] as const] : [])),
  );
  const unreviewed = ReportData.parse({
    generatedAt: new Date().toISOString(),
    runId,
    engine: context.engine.descriptor,
    documents: corpus.documents,
    patterns: fold.patterns,
    opportunities,
    notRecurring: fold.notRecurring,
    noCatalog: fold.noCatalog,
    duplicates: fold.duplicates,
    droppedMembers: fold.dropped,
    skipped: corpus.skipped,
    failed: corpus.failed,
    ...(context.warnings && context.warnings.length > 0 ? { warnings: context.warnings } : {}),
    approval: approvalByStageAndPrompt(votes),
  });
  // Sampling is keyed by item id, not by run: a rerun over unchanged documents samples the same items.
  const queue = buildReviewQueue(unreviewed, { trailingApproval: trailingApproval(votes), contentHashes });
  await putJson(context.artifacts, layout.reviewQueue, queue);
  const report = applyOverrides(unreviewed, votes, contentHashes);
  // The report before this one says what changed since (an unreadable one is no comparison).
  const previous = ReportData.safeParse(
    await getJson<unknown>(context.artifacts, `${layout.latestReport}report.json`).catch(() => undefined),
  );
  const changed: ReportData = previous.success ? { ...report, changes: compareReports(previous.data, report) } : report;
  const rendered = await renderReport(changed);
  const reportKeys: string[] = [];
  for (const prefix of options.keepCopy ? [layout.runReport(runId), layout.latestReport] : [layout.latestReport])
    reportKeys.push(...(await writeReportFiles(context.artifacts, prefix, rendered)));
  return {
    runId,
    reportKeys: options.keepCopy ? reportKeys.filter((key) => !key.startsWith(layout.latestReport)) : reportKeys,
    report: changed,
  };
}

/** Patterns, opportunities and the report in one process (the CLI); the corpus is read once. */
export async function foldCorpus(
  context: RunContext,
  runId: string,
  options: { keepCopy?: boolean } = {},
): Promise<ReportOutcome> {
  const corpus = await loadCorpus(context);
  await patternsStep(context, runId, corpus);
  await opportunitiesStep(context, runId, corpus);
  return reportStep(context, runId, { ...options, corpus });
}
