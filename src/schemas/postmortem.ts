import { z } from 'zod';
import { SectionRole } from './taxonomy.ts';

export const SOURCE_FORMATS = ['markdown', 'text', 'html', 'json', 'pdf', 'docx'] as const;
export const SourceFormat = z.enum(SOURCE_FORMATS);
export type SourceFormat = z.infer<typeof SourceFormat>;

export const Section = z.object({
  heading: z.string(),
  role: SectionRole,
  /** Normalized text of the section body (without its heading). */
  text: z.string(),
});
export type Section = z.infer<typeof Section>;

/**
 * A sentence of a document addressed to a model rather than to its readers (a role tag such as
 * "SYSTEM:", "ignore previous instructions", "classify X as the root cause"): found at ingest by
 * src/ingest/directives.ts, withheld from model input, never accepted as evidence, listed in the report.
 */
export const Directive = z.object({
  text: z.string(),
  /** The heading of the section it sits in (its role when the section has no heading). */
  section: z.string(),
});
export type Directive = z.infer<typeof Directive>;

export const Postmortem = z.object({
  /** Stable id derived from the path relative to the input root. */
  id: z.string().min(1),
  sourcePath: z.string(),
  format: SourceFormat,
  title: z.string(),
  date: z.string().nullable(),
  /** Front matter or JSON fields other than the body (severity, authors, ...). */
  metadata: z.record(z.string(), z.unknown()),
  /** Normalized full text: headings on their own lines, paragraphs separated by blank lines. */
  text: z.string(),
  sections: z.array(Section),
  /** sha256 of the raw bytes. */
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
  /** Sentences addressed to a model; absent in postmortems ingested before detection existed. */
  directives: z.array(Directive).default([]),
});
export type Postmortem = z.infer<typeof Postmortem>;

/**
 * Why a source was not analysed. The first group is about a file's content; the second about an
 * entry of the input folder that is not a file to read (recorded by the listing, never opened).
 */
export const SkipReasonCode = z.enum([
  'empty',
  'binary',
  'undecodable',
  'too-large',
  'unparseable-html',
  'unparseable-json',
  'unparseable-pdf',
  'unparseable-docx',
  /** A PDF with pages but no text layer: scanned images, which need OCR first. */
  'no-text-layer',
  /** Nested or shaped beyond what the parser is allowed to take (a Markdown quote 10,000 levels deep). */
  'too-complex',
  'unsupported-extension',
  /** A file that cannot be read, an unreadable folder, or a symbolic link to nothing. */
  'unreadable',
  'internal-error',
  /** A file or folder whose name starts with a dot: recorded, never read. */
  'hidden',
  /** A symbolic link to a folder that contains it. */
  'symlink-loop',
  /** A file or folder already listed under another path (through a symbolic link). */
  'duplicate',
  /** A named pipe, socket or device: never opened. */
  'not-a-file',
  /** An output folder of postmortem-lens (not this run's): never input. */
  'output-folder',
]);
export type SkipReasonCode = z.infer<typeof SkipReasonCode>;

/**
 * Entries left out by rule, where nothing readable is lost: hidden ones, a second path to a file
 * or folder analysed under its first, a link back into its own folder, another run's output.
 * Recorded like every skip, they do not make `pmlens analyze` exit 1.
 */
export const SKIPPED_BY_RULE: ReadonlySet<SkipReasonCode> = new Set<SkipReasonCode>([
  'hidden',
  'duplicate',
  'symlink-loop',
  'output-folder',
]);

export const SkippedDocument = z.object({
  path: z.string(),
  code: SkipReasonCode,
  reason: z.string(),
});
export type SkippedDocument = z.infer<typeof SkippedDocument>;
