/**
 * The review queue: which claims of a run a reviewer should look at. Risk items come first (every claim
 * of a quarantined document, evidence that is not verbatim in the source, a cause the attribution guard demoted, the engines
 * disagreeing, a low-confidence cause, a technology new to the corpus), then a deterministic
 * random sample of every other claim. Pure functions: the pipeline and `pmlens review` both call them.
 *
 * An item is one reviewable claim of one document, named by a field:
 *
 *   summarize  issue, impact, resolution, rootCauses[i], preventiveActions[i]   (stated claims only)
 *   classify   causal:<technology>   (a cause, or a flagged technology that is not a cause)
 *   analyze    digest:<technology>
 *
 * Its id is a hash of document, stage, field and the source's content hash, so it is the same on
 * every rerun until the source document changes (then votes and overrides on it lapse).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { isStated, type Claim, type ReportData, type ReportDocument } from '../schemas/index.ts';
import { MODEL_STAGES, REVIEWED_STAGES } from '../stages/registry.ts';
import type { Vote } from '../store/state-store.ts';

/** The stages reviewers review (from the stage registry). */
export const REVIEW_STAGES = REVIEWED_STAGES;
export const ReviewStage = z.enum(REVIEW_STAGES);
export type ReviewStage = z.infer<typeof ReviewStage>;

export const REVIEW_REASONS = [
  'quarantined',
  'unverified-evidence',
  'attribution-flag',
  'engine-disagreement',
  'low-confidence',
  'new-technology',
  'random-sample',
] as const;
export const ReviewReason = z.enum(REVIEW_REASONS);
export type ReviewReason = z.infer<typeof ReviewReason>;

export const ReviewItem = z.object({
  /** Stable across reruns: see reviewItemId. */
  id: z.string().regex(/^[0-9a-f]{16}$/),
  docId: z.string(),
  /** The document's title, for the reviewer's header. */
  title: z.string(),
  stage: ReviewStage,
  field: z.string(),
  /** The text the reviewer judges. */
  text: z.string(),
  /** The verbatim quotes the claim cites. */
  evidence: z.array(z.string()),
  /** Empty for an item that is neither risky nor sampled (see reviewCandidates). */
  reasons: z.array(ReviewReason),
  promptVersion: z.string(),
  model: z.string(),
});
export type ReviewItem = z.infer<typeof ReviewItem>;

export const DEFAULT_SAMPLE_RATE = 0.2;
export const DEFAULT_HIGH_APPROVAL_SAMPLE_RATE = 0.1;
/** Trailing approval at or above which the sample rate drops. */
export const HIGH_APPROVAL = 0.95;
export const DEFAULT_LOW_CONFIDENCE = 0.6;
export const DEFAULT_APPROVAL_WINDOW = 200;

export interface ReviewQueueOptions {
  /** Share of the non-risk items sampled; default 0.2. */
  sampleRate?: number;
  /** trailingApproval of the votes so far; null or absent when there are none. */
  trailingApproval?: number | null;
  /** Sample rate once trailingApproval >= 0.95 (never above sampleRate); default 0.1. */
  highApprovalRate?: number;
  /** Causal technologies seen in earlier runs; absent: no item is flagged new-technology. */
  knownTechnologies?: ReadonlySet<string>;
  /** A cause with confidence below this is flagged low-confidence; default 0.6. */
  lowConfidence?: number;
  /** Sampling is sha256(seed + itemId) below the rate: the same seed samples the same items. Default "". */
  seed?: string;
  /** Each document's source content hash (sha256 of the raw bytes), for stable item ids. */
  contentHashes?: ReadonlyMap<string, string>;
}

/** sha256 of document, stage, field and content hash (empty when unknown), first 16 hex digits. */
export function reviewItemId(docId: string, stage: ReviewStage, field: string, contentHash?: string | null): string {
  return createHash('sha256')
    .update(`${docId}\n${stage}\n${field}\n${contentHash ?? ''}`)
    .digest('hex')
    .slice(0, 16);
}

/**
 * The prompt version behind a stage's output, from the engine descriptor: a model engine's version
 * lists `<promptId>@<version>` per model stage, in registry order (summarize, classify, analyze,
 * patterns, opportunities); any other engine (offline) is versioned as a whole: `<engine id>@<version>`.
 */
export function promptVersionOf(engine: ReportData['engine'], stage: ReviewStage): string {
  const parts = engine.version.split(',').map((part) => part.trim());
  if (parts.every((part) => /^[^@\s]+@[^@\s]+$/.test(part))) {
    const byId = parts.find((part) => part.startsWith(`${stage}@`));
    if (byId) return byId;
    const byPosition = parts[MODEL_STAGES.indexOf(stage)];
    if (parts.length >= MODEL_STAGES.length && byPosition) return byPosition;
  }
  return `${engine.id}@${engine.version}`;
}

function formatConfidence(value: number): string {
  return String(Math.round(value * 100) / 100);
}

interface Candidate {
  docId: string;
  stage: ReviewStage;
  field: string;
  text: string;
  evidence: string[];
}

function documentCandidates(document: ReportDocument): Candidate[] {
  const { docId, summary, classification } = document;
  const candidates: Candidate[] = [];
  const claim = (field: string, value: Claim): void => {
    if (isStated(value))
      candidates.push({ docId, stage: 'summarize', field, text: value.text, evidence: [...value.evidence] });
  };
  claim('issue', summary.issue);
  summary.rootCauses.forEach((value, index) => claim(`rootCauses[${index}]`, value));
  claim('impact', summary.impact);
  claim('resolution', summary.resolution);
  summary.preventiveActions.forEach((value, index) => claim(`preventiveActions[${index}]`, value));

  const causal = new Set<string>();
  for (const cause of classification.causal) {
    causal.add(cause.technology);
    candidates.push({
      docId,
      stage: 'classify',
      field: `causal:${cause.technology}`,
      text: `${cause.technology} caused the incident: ${cause.role} (confidence ${formatConfidence(cause.confidence)})`,
      evidence: [...cause.evidence],
    });
  }
  // A flagged technology that is not a cause (demoted by the guard, or causal only for the other engine).
  const flagged = new Map<string, string[]>();
  for (const flag of classification.flags) {
    if (causal.has(flag.technology)) continue;
    flagged.set(flag.technology, [...(flagged.get(flag.technology) ?? []), `${flag.kind}: ${flag.reason}`]);
  }
  for (const [technology, reasons] of flagged) {
    const mention = classification.mentioned.find((entry) => entry.technology === technology);
    candidates.push({
      docId,
      stage: 'classify',
      field: `causal:${technology}`,
      text: `${technology} is not listed as a cause (${reasons.join('; ')})`,
      evidence: [...(mention?.evidence ?? [])],
    });
  }

  for (const digest of document.digests) {
    candidates.push({
      docId,
      stage: 'analyze',
      field: `digest:${digest.technology}`,
      text: digest.sentences.join(' '),
      evidence: [...digest.evidence],
    });
  }
  return candidates;
}

/**
 * Every reviewable item of a report, in document order, without reasons. applyOverrides and
 * `pmlens review --promote` look items up here; buildReviewQueue picks from it.
 */
export function reviewCandidates(report: ReportData, contentHashes?: ReadonlyMap<string, string>): ReviewItem[] {
  return report.documents.flatMap((document) =>
    documentCandidates(document).map((candidate) => ({
      id: reviewItemId(candidate.docId, candidate.stage, candidate.field, contentHashes?.get(candidate.docId)),
      docId: candidate.docId,
      title: document.title,
      stage: candidate.stage,
      field: candidate.field,
      text: candidate.text,
      evidence: candidate.evidence,
      reasons: [],
      promptVersion: promptVersionOf(report.engine, candidate.stage),
      model: report.engine.model,
    })),
  );
}

/** The causal technologies of a report: what a later run's knownTechnologies holds. */
export function technologiesOf(report: ReportData): Set<string> {
  return new Set(
    report.documents.flatMap((document) => document.classification.causal.map((cause) => cause.technology)),
  );
}

/** The sample rate in force: sampleRate, dropping to highApprovalRate at a trailing approval of 95% or more. */
export function effectiveSampleRate(
  options: Pick<ReviewQueueOptions, 'sampleRate' | 'trailingApproval' | 'highApprovalRate'> = {},
): number {
  const base = options.sampleRate ?? DEFAULT_SAMPLE_RATE;
  const approval = options.trailingApproval;
  if (approval !== undefined && approval !== null && approval >= HIGH_APPROVAL)
    return Math.min(base, options.highApprovalRate ?? DEFAULT_HIGH_APPROVAL_SAMPLE_RATE);
  return base;
}

/** A uniform number in [0, 1) from sha256(seed + itemId). */
export function sampleDraw(seed: string, itemId: string): number {
  return createHash('sha256').update(`${seed}${itemId}`).digest().readUInt32BE(0) / 2 ** 32;
}

function riskReasons(document: ReportDocument, options: ReviewQueueOptions): Map<string, Set<ReviewReason>> {
  const reasons = new Map<string, Set<ReviewReason>>();
  const add = (field: string, reason: ReviewReason): void => {
    const set = reasons.get(field) ?? new Set<ReviewReason>();
    set.add(reason);
    reasons.set(field, set);
  };
  for (const claim of document.verification?.unverified ?? []) add(claim.field, 'unverified-evidence');
  // A guard flag (a demoted cause, a cause that needs review) is labelled by its kind, not as unverified
  // evidence: its quotes may all be verbatim; a quote that is not is flagged by the verification above.
  for (const flag of document.classification.flags)
    add(`causal:${flag.technology}`, flag.kind === 'disagreement' ? 'engine-disagreement' : 'attribution-flag');
  const threshold = options.lowConfidence ?? DEFAULT_LOW_CONFIDENCE;
  for (const cause of document.classification.causal) {
    if (cause.confidence < threshold) add(`causal:${cause.technology}`, 'low-confidence');
    if (options.knownTechnologies && !options.knownTechnologies.has(cause.technology))
      add(`causal:${cause.technology}`, 'new-technology');
  }
  return reasons;
}

/**
 * The sample rate of one item. A cause is sampled in proportion to its doubt: the rate is scaled by
 * (1 - confidence) / (1 - the low-confidence threshold), never below the base rate's share for a
 * cause the engine is sure of, capped at 1. A cause under the threshold is already a risk item and
 * always reviewed. Other items keep the base rate.
 */
export function sampleRateFor(
  item: Pick<ReviewItem, 'field'>,
  rate: number,
  confidences?: ReadonlyMap<string, number>,
  lowConfidence: number = DEFAULT_LOW_CONFIDENCE,
): number {
  const confidence = confidences?.get(item.field);
  if (confidence === undefined) return rate;
  const doubt = (1 - confidence) / Math.max(1e-6, 1 - lowConfidence);
  return Math.min(1, rate * Math.max(MIN_SAMPLE_WEIGHT, 2 * doubt));
}

/** The weight of a cause stated with full confidence: sampled at half the base rate, never not at all. */
export const MIN_SAMPLE_WEIGHT = 0.5;

/**
 * The queue of a run: risk items first (document order, then field order), then the random sample
 * of every other item. Deterministic for a given report, options and seed.
 */
export function buildReviewQueue(report: ReportData, options: ReviewQueueOptions = {}): ReviewItem[] {
  const byDocument = new Map(report.documents.map((document) => [document.docId, riskReasons(document, options)]));
  const confidences = new Map(
    report.documents.map((document) => [
      document.docId,
      new Map(document.classification.causal.map((cause) => [`causal:${cause.technology}`, cause.confidence])),
    ]),
  );
  const rate = effectiveSampleRate(options);
  const seed = options.seed ?? '';
  // Every claim of a quarantined document is a risk item: none of them is shown as fact.
  const quarantined = new Set(report.documents.flatMap((document) => (document.quarantine ? [document.docId] : [])));
  const risky: ReviewItem[] = [];
  const sampled: ReviewItem[] = [];
  for (const item of reviewCandidates(report, options.contentHashes)) {
    const reasons = new Set(byDocument.get(item.docId)?.get(item.field));
    if (quarantined.has(item.docId)) reasons.add('quarantined');
    if (reasons.size > 0) risky.push({ ...item, reasons: REVIEW_REASONS.filter((reason) => reasons.has(reason)) });
    else if (sampleDraw(seed, item.id) < sampleRateFor(item, rate, confidences.get(item.docId), options.lowConfidence))
      sampled.push({ ...item, reasons: ['random-sample'] });
  }
  return [...risky, ...sampled];
}

/** A vote that approves (up) or disapproves (down, or an edit: the model's text needed correcting); skips count for neither. */
export function judgementOf(vote: Pick<Vote, 'vote'>): 'up' | 'down' | null {
  if (vote.vote === 'up') return 'up';
  if (vote.vote === 'down' || vote.vote === 'edit') return 'down';
  return null;
}

function byTime(left: Vote, right: Vote): number {
  return left.at < right.at ? -1 : left.at > right.at ? 1 : 0;
}

/** Share of approvals among the last `window` judging votes (up, down, edit), by time; null when there are none. */
export function trailingApproval(votes: readonly Vote[], window: number = DEFAULT_APPROVAL_WINDOW): number | null {
  const judged = [...votes]
    .sort(byTime)
    .filter((vote) => judgementOf(vote) !== null)
    .slice(-window);
  if (judged.length === 0) return null;
  return judged.filter((vote) => judgementOf(vote) === 'up').length / judged.length;
}

export interface ApprovalRow {
  stage: string;
  promptVersion: string;
  up: number;
  /** Down votes and edits. */
  down: number;
  /** up / (up + down); null when nothing was judged. */
  approval: number | null;
}

/** Approval per stage and prompt version, for the report; rows in stage order (summarize, classify, analyze, others), then prompt version. */
export function approvalByStageAndPrompt(votes: readonly Vote[]): ApprovalRow[] {
  const rows = new Map<string, ApprovalRow>();
  for (const vote of votes) {
    const judgement = judgementOf(vote);
    if (judgement === null) continue;
    const key = `${vote.stage}\n${vote.promptVersion}`;
    const row = rows.get(key) ?? {
      stage: vote.stage,
      promptVersion: vote.promptVersion,
      up: 0,
      down: 0,
      approval: null,
    };
    row[judgement] += 1;
    rows.set(key, row);
  }
  const stageOrder = (stage: string): number => {
    const index = (REVIEW_STAGES as readonly string[]).indexOf(stage);
    return index < 0 ? REVIEW_STAGES.length : index;
  };
  return [...rows.values()]
    .map((row) => ({ ...row, approval: row.up + row.down === 0 ? null : row.up / (row.up + row.down) }))
    .sort(
      (left, right) =>
        stageOrder(left.stage) - stageOrder(right.stage) ||
        left.stage.localeCompare(right.stage) ||
        left.promptVersion.localeCompare(right.promptVersion),
    );
}
