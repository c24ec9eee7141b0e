import { z } from 'zod';
import { SectionRole } from './taxonomy.ts';

export const SOURCE_FORMATS = ['markdown', 'text', 'html', 'json'] as const;
export const SourceFormat = z.enum(SOURCE_FORMATS);
export type SourceFormat = z.infer<typeof SourceFormat>;

export const Section = z.object({
  heading: z.string(),
  role: SectionRole,
  /** Normalized text of the section body (without its heading). */
  text: z.string(),
});
export type Section = z.infer<typeof Section>;

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
});
export type Postmortem = z.infer<typeof Postmortem>;

export const SkipReasonCode = z.enum([
  'empty',
  'binary',
  'undecodable',
  'too-large',
  'unparseable-html',
  'unparseable-json',
  'unsupported-extension',
  'unreadable',
  'internal-error',
]);
export type SkipReasonCode = z.infer<typeof SkipReasonCode>;

export const SkippedDocument = z.object({
  path: z.string(),
  code: SkipReasonCode,
  reason: z.string(),
});
export type SkippedDocument = z.infer<typeof SkippedDocument>;
