import { z } from 'zod';
import { REVIEWED_STAGES } from '../stages/registry.ts';
import { Summary } from './summary.ts';
import { Classification } from './classification.ts';
import { Digest } from './digest.ts';
import { DroppedMember, DuplicateIncident, NoCatalogIncident, NotRecurring, Opportunity, Pattern } from './fold.ts';
import { FaultCategory } from './taxonomy.ts';
import { Directive, SkippedDocument } from './postmortem.ts';
import { FailedDocument } from './run-record.ts';

/** A claim whose evidence is not verbatim in the source (or that cites none); its stage is one whose claims reviewers review. */
export const UnverifiedClaim = z.object({
  stage: z.enum(REVIEWED_STAGES),
  field: z.string(),
  quote: z.string().nullable(),
  /** Why it is unverified (not in the document, a fragment, a theory, an instruction to a model...); absent in older reports. */
  reason: z.string().optional(),
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

/**
 * Why a document's outputs are not shown as fact (see src/trust/quarantine.ts): most of its claims
 * failed verification, or its summary is garbage. Its outputs go to review; the fold leaves it out.
 */
export const Quarantine = z.object({
  reason: z.enum(['unverified', 'garbage']),
  /** The document's verified-claim share when it was quarantined. */
  verifiedShare: z.number().min(0).max(1),
  /** What tripped the rule, in words (field names and counts; never document or model text). */
  detail: z.string(),
});
export type Quarantine = z.infer<typeof Quarantine>;

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
  /** The document's primary fault category (its classification's); the contract name other tools read. */
  faultCategory: FaultCategory.optional(),
  /** Evidence check of every claim; absent in reports written before verification existed. */
  verification: VerificationSummary.optional(),
  /** Set when the document's claims are not shown as fact; absent for a trusted document. */
  quarantine: Quarantine.optional(),
  /** Sentences of the document addressed to a model (src/ingest/directives.ts); absent when there are none. */
  directives: z.array(Directive).optional(),
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
  /** Incidents whose mechanism no other incident shares yet. */
  notRecurring: z.array(NotRecurring).default([]),
  /** Incidents with no catalog technology as cause, outside every theme. */
  noCatalog: z.array(NoCatalogIncident).default([]),
  /** Documents counted once because they repeat another incident. */
  duplicates: z.array(DuplicateIncident).default([]),
  /** Theme members the fold dropped because their outputs did not support the membership. */
  droppedMembers: z.array(DroppedMember).default([]),
  /** What changed since the previous report (absent for a first report). */
  changes: z.lazy(() => CorpusChanges).optional(),
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

/**
 * What changed since the previous report: the weekly rerun's question. Matched by id (themes also by
 * their members, see src/report/changes.ts); nothing is estimated.
 */
export const CorpusChanges = z.object({
  previousRunId: z.string(),
  previousGeneratedAt: z.string(),
  /** Documents in this report and not in the previous one (ids). */
  newIncidents: z.array(z.string()),
  /** Documents in the previous report and not in this one (ids). */
  removedIncidents: z.array(z.string()),
  /** Themes that are new. */
  newPatterns: z.array(z.string()),
  /**
   * Themes whose incident count or name changed, largest change first. `previousTheme` is
   * the theme's name in the previous report when it was matched by its members under another name.
   */
  changedPatterns: z.array(
    z.object({
      theme: z.string(),
      before: z.number().int(),
      after: z.number().int(),
      previousTheme: z.string().optional(),
    }),
  ),
  /** Themes no longer found. */
  removedPatterns: z.array(z.string()),
  /** This report's top opportunities with their previous rank (null when new). */
  topOpportunities: z.array(
    z.object({ title: z.string(), rank: z.number().int(), previousRank: z.number().int().nullable() }),
  ),
  /** Incidents in both reports whose causal technologies or primary fault category changed. */
  reclassified: z.array(
    z.object({
      incidentId: z.string(),
      causalBefore: z.array(z.string()),
      causalNow: z.array(z.string()),
      categoryBefore: z.string().nullable(),
      categoryNow: z.string().nullable(),
    }),
  ),
});
export type CorpusChanges = z.infer<typeof CorpusChanges>;
