import { z } from 'zod';
import { STAGE_NAMES } from '../stages/registry.ts';
import { SkippedDocument } from './postmortem.ts';

/** Every stage name, from the stage registry. */
export { STAGE_NAMES };
export const StageName = z.enum(STAGE_NAMES);
export type StageName = z.infer<typeof StageName>;

export const StageStats = z.object({
  computed: z.number().int().nonnegative(),
  cached: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  /** The stage's time summed over its documents; documents run concurrently, so it may pass the run's duration. */
  millis: z.number().nonnegative(),
});
export type StageStats = z.infer<typeof StageStats>;

export const UsageTotals = z.object({
  calls: z.number().int().nonnegative(),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  cacheReadTokens: z.number().int().nonnegative(),
  cacheWriteTokens: z.number().int().nonnegative(),
  retries: z.number().int().nonnegative(),
  throttles: z.number().int().nonnegative(),
  latencyMillis: z.number().nonnegative(),
  /** Estimated US dollars from the price table; null when a model has no price. */
  estimatedCostUsd: z.number().nonnegative().nullable(),
});
export type UsageTotals = z.infer<typeof UsageTotals>;

export const FailedDocument = z.object({
  docId: z.string(),
  stage: StageName,
  reason: z.string(),
});
export type FailedDocument = z.infer<typeof FailedDocument>;

export const RunRecord = z.object({
  runId: z.string(),
  tool: z.object({ name: z.string(), version: z.string() }),
  startedAt: z.string(),
  finishedAt: z.string(),
  input: z.string(),
  output: z.string(),
  engine: z.object({ id: z.string(), model: z.string(), version: z.string() }),
  catalog: z.object({ path: z.string().nullable(), technologies: z.number().int() }),
  metadataFile: z.string().nullable(),
  /**
   * The metadata file as the run used it: its rows, and what was wrong with it (cells left out,
   * severities on no known scale, ids matching no document). Also in `warnings`, prefixed
   * "metadata"; `--strict` makes any of them an error before the run starts.
   */
  metadata: z.object({ rows: z.number().int().nonnegative(), warnings: z.array(z.string()) }).optional(),
  concurrency: z.number().int().positive(),
  counts: z.object({
    discovered: z.number().int().nonnegative(),
    ingested: z.number().int().nonnegative(),
    skipped: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    succeeded: z.number().int().nonnegative(),
    causalTechnologies: z.number().int().nonnegative(),
    digests: z.number().int().nonnegative(),
    patterns: z.number().int().nonnegative(),
    opportunities: z.number().int().nonnegative(),
  }),
  /** What this run found against the corpus index: documents to (re)analyse, unchanged ones, deleted ones. */
  changes: z
    .object({
      work: z.number().int().nonnegative(),
      unchanged: z.number().int().nonnegative(),
      deleted: z.number().int().nonnegative(),
    })
    .optional(),
  cache: z.object({
    hits: z.number().int().nonnegative(),
    computations: z.number().int().nonnegative(),
  }),
  stages: z.record(z.string(), StageStats),
  usage: z.object({
    total: UsageTotals,
    byStage: z.record(z.string(), UsageTotals),
    byDocument: z.record(z.string(), UsageTotals),
  }),
  warnings: z.array(z.string()),
  /** Redaction of personal data before any model call: whether it ran, and the placeholders of the corpus. */
  privacy: z
    .object({
      redaction: z.enum(['on', 'off']),
      /** Placeholders the corpus mapping holds (in the state store), and how many this run added. */
      placeholders: z.number().int().nonnegative(),
      newPlaceholders: z.number().int().nonnegative(),
      /** Where --restore-pii wrote the report with the values put back; absent when it did not. */
      restoredReport: z.string().optional(),
    })
    .optional(),
  /** Verified-claim share of the run, overall and per stage; demoted causes and engine disagreements. */
  trust: z
    .object({
      claims: z.number().int().nonnegative(),
      verified: z.number().int().nonnegative(),
      share: z.number().min(0).max(1),
      byStage: z.record(
        z.string(),
        z.object({ claims: z.number().int(), verified: z.number().int(), share: z.number() }),
      ),
      demoted: z.number().int().nonnegative(),
      disagreements: z.number().int().nonnegative(),
      /** Documents of the corpus whose claims are not shown as fact (src/trust/quarantine.ts); any makes analyze exit 1. */
      quarantined: z.number().int().nonnegative().optional(),
      quarantinedDocuments: z
        .array(
          z.object({
            docId: z.string(),
            reason: z.enum(['unverified', 'garbage']),
            verifiedShare: z.number().min(0).max(1),
          }),
        )
        .optional(),
    })
    .optional(),
  durationMillis: z.number().nonnegative(),
  skipped: z.array(SkippedDocument),
  failed: z.array(FailedDocument),
});
export type RunRecord = z.infer<typeof RunRecord>;
