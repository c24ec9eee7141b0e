import { z } from 'zod';
import { REVIEWED_STAGES } from '../stages/registry.ts';
import { Summary } from './summary.ts';
import { Classification } from './classification.ts';
import { Digest } from './digest.ts';
import { Pattern, Opportunity } from './fold.ts';
import { SkippedDocument } from './postmortem.ts';
import { FailedDocument } from './run-record.ts';

/** A claim whose evidence is not verbatim in the source (or that cites none); its stage is one whose claims reviewers review. */
export const UnverifiedClaim = z.object({
  stage: z.enum(REVIEWED_STAGES),
  field: z.string(),
  quote: z.string().nullable(),
});
export type UnverifiedClaim = z.infer<typeof UnverifiedClaim>;

/** How much of a document's output is backed by verbatim quotes. */
export const VerificationSummary = z.object({
  claims: z.number().int().nonnegative(),
  verified: z.number().int().nonnegative(),
  share: z.number().min(0).max(1),
  unverified: z.array(UnverifiedClaim),
  /** Claims and verified claims per stage (summarize, classify, analyze). */
  byStage: z
    .record(z.string(), z.object({ claims: z.number().int().nonnegative(), verified: z.number().int().nonnegative() }))
    .optional(),
});
export type VerificationSummary = z.infer<typeof VerificationSummary>;

/** One analysed postmortem, as the report shows it. */
export const ReportDocument = z.object({
  docId: z.string(),
  title: z.string(),
  /** ISO date (YYYY-MM-DD) from front matter, the metadata file or the text; null when unknown. */
  date: z.string().nullable(),
  severity: z.string().nullable(),
  sourcePath: z.string(),
  summary: Summary,
  classification: Classification,
  digests: z.array(Digest),
  /** Evidence check of every claim; absent in reports written before verification existed. */
  verification: VerificationSummary.optional(),
});
export type ReportDocument = z.infer<typeof ReportDocument>;

/** Everything the report renderers need; also written verbatim as report.json. */
export const ReportData = z.object({
  generatedAt: z.string(),
  runId: z.string(),
  engine: z.object({ id: z.string(), model: z.string(), version: z.string() }),
  documents: z.array(ReportDocument),
  patterns: z.array(Pattern),
  opportunities: z.array(Opportunity),
  skipped: z.array(SkippedDocument),
  failed: z.array(FailedDocument),
  /** Problems with the run's inputs a reader should know of (e.g. metadata rows that match no document). */
  warnings: z.array(z.string()).optional(),
  /** Reviewers' approval per stage and prompt version (edits count as disapproval). */
  approval: z
    .array(
      z.object({
        stage: z.string(),
        promptVersion: z.string(),
        up: z.number().int(),
        down: z.number().int(),
        approval: z.number().nullable(),
      }),
    )
    .optional(),
});
export type ReportData = z.infer<typeof ReportData>;
