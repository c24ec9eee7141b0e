import { z } from 'zod';
import { SkipReasonCode } from './postmortem.ts';
import { StageName } from './run-record.ts';

/**
 * One document of the corpus index: which source version it is, which configuration produced
 * its outputs, and its outcome. The index is the product's memory: a run diffs the sources
 * against it, and the fold and report cover exactly its entries.
 */
export const CorpusEntry = z.object({
  docId: z.string().min(1),
  /** The source's key relative to the input folder or prefix, with forward slashes. */
  sourceKey: z.string().min(1),
  /** What identifies the source version in a listing: the S3 ETag, or size and mtime locally. */
  sourceVersion: z.string(),
  /** sha256 of the source bytes; null when the source could not be read. */
  contentHash: z.string().nullable(),
  /** Hash of engine, model, prompt and stage versions and catalog that produced the outputs. */
  fingerprint: z.string(),
  status: z.enum(['analysed', 'skipped', 'failed']),
  /** For failures, the stage that failed; for skips, why the file was not analysed. */
  stage: StageName.optional(),
  code: SkipReasonCode.optional(),
  reason: z.string().optional(),
  updatedAt: z.string(),
});
export type CorpusEntry = z.infer<typeof CorpusEntry>;

/** A source object as a listing (or an S3 event) describes it. */
export const SourceObject = z.object({
  key: z.string().min(1),
  version: z.string(),
});
export type SourceObject = z.infer<typeof SourceObject>;

/** A unit of document work: a source to (re)analyse, with the identity assigned when it was planned. */
export const WorkItem = z.object({
  docId: z.string().min(1),
  key: z.string().min(1),
  version: z.string(),
});
export type WorkItem = z.infer<typeof WorkItem>;
