import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import { Postmortem, type SkippedDocument, type SourceFormat } from '../schemas/index.ts';
import { assemble } from './assemble.ts';
import { detectDirectives } from './directives.ts';
import type { ParsedDocument } from './blocks.ts';
import { decodeText, DecodeError } from './decode.ts';
import { FORMAT_BY_EXTENSION } from './discover.ts';
import { parseHtml, UnparseableHtmlError } from './html.ts';
import { parseJson, UnparseableJsonError } from './json.ts';
import { parseMarkdown, TooComplexMarkdownError } from './markdown.ts';
import { parseText } from './text.ts';
import { DocxError, parseDocx } from './docx.ts';
import { parsePdf, PdfError } from './pdf.ts';
import { messageOf } from '../errors.ts';
import { normalizeSeverity, statedSeverity } from '../metadata/severity.ts';

export {
  discoverFiles,
  listFiles,
  FORMAT_BY_EXTENSION,
  type DiscoveredFile,
  type Discovery,
  type DiscoveryFs,
  type DiscoveryProblem,
} from './discover.ts';

export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

// The callback API, promisified: fewer thread-pool round trips per file than fs/promises' FileHandle.
const readFile = promisify(fs.readFile);
const stat = promisify(fs.stat);

export interface IngestOptions {
  maxBytes?: number;
}

export type IngestOutcome = { ok: true; postmortem: Postmortem } | { ok: false; skipped: SkippedDocument };

type TextFormat = Exclude<SourceFormat, BinaryFormat>;
type BinaryFormat = 'pdf' | 'docx';

/** Formats read from decoded text, synchronously. */
const PARSERS: Record<TextFormat, (source: string) => ParsedDocument> = {
  markdown: parseMarkdown,
  text: parseText,
  html: parseHtml,
  json: parseJson,
};

/** Formats read from their bytes, by libraries that only work asynchronously. */
const BINARY_PARSERS: Record<BinaryFormat, (bytes: Uint8Array) => Promise<ParsedDocument>> = {
  pdf: parsePdf,
  docx: parseDocx,
};

function isBinaryFormat(format: SourceFormat): format is BinaryFormat {
  return format in BINARY_PARSERS;
}

export function formatOf(relativePath: string): SourceFormat | undefined {
  return FORMAT_BY_EXTENSION[path.extname(relativePath).toLowerCase()];
}

function skipOf(relativePath: string, code: SkippedDocument['code'], reason: string): IngestOutcome {
  return { ok: false, skipped: { path: relativePath, code, reason } };
}

/** The checks every format shares before parsing: a known extension and the size limit. */
function precheck(
  bytes: Uint8Array,
  relativePath: string,
  options: IngestOptions,
): { format: SourceFormat } | { outcome: IngestOutcome } {
  const format = formatOf(relativePath);
  if (!format)
    return {
      outcome: skipOf(
        relativePath,
        'unsupported-extension',
        `unsupported file type "${path.extname(relativePath) || '(none)'}"; expected ${Object.keys(FORMAT_BY_EXTENSION).join(', ')}`,
      ),
    };
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (bytes.length > maxBytes)
    return {
      outcome: skipOf(relativePath, 'too-large', `the file is ${bytes.length} bytes, over the ${maxBytes}-byte limit`),
    };
  if (bytes.length === 0) return { outcome: skipOf(relativePath, 'empty', 'the file is empty') };
  return { format };
}

/** A stack overflow or a parser's own limit while parsing: a skip, never a crash. */
function tooComplex(relativePath: string, error: unknown): IngestOutcome | undefined {
  if (error instanceof TooComplexMarkdownError) return skipOf(relativePath, 'too-complex', error.message);
  if (error instanceof RangeError)
    return skipOf(relativePath, 'too-complex', `the document is too deeply nested to parse (${error.message})`);
  return undefined;
}

/** Parsed blocks to a Postmortem: sections, title, date, severity on the common scale. */
function finish(
  parsed: ParsedDocument,
  bytes: Uint8Array,
  relativePath: string,
  id: string,
  format: SourceFormat,
): IngestOutcome {
  const assembled = assemble(parsed, path.basename(relativePath));
  if (!assembled.text.trim()) return skipOf(relativePath, 'empty', 'the document holds no readable text');
  const { title: _title, date: _date, ...otherMetadata } = parsed.metadata;
  const severity = normalizeSeverity(otherMetadata.severity);
  if (severity?.known) otherMetadata.severity = severity.value;
  // No severity field: a labelled one in the text's opening (a plain-text or ticket header).
  if (severity === undefined) {
    const stated = statedSeverity(assembled.text);
    if (stated) otherMetadata.severity = stated;
  }
  const postmortem = Postmortem.parse({
    id,
    sourcePath: relativePath,
    format,
    title: assembled.title,
    date: assembled.date,
    metadata: otherMetadata,
    text: assembled.text,
    sections: assembled.sections,
    contentHash: createHash('sha256').update(bytes).digest('hex'),
    bytes: bytes.length,
    directives: detectDirectives(assembled.sections),
  });
  return { ok: true, postmortem };
}

/**
 * Parse bytes already in memory; deterministic, no I/O. Text formats only (Markdown, text, HTML,
 * JSON): PDF and DOCX need `ingestSource`, and get an `internal-error` skip here.
 */
export function ingestBytes(
  bytes: Uint8Array,
  relativePath: string,
  id: string,
  options: IngestOptions = {},
): IngestOutcome {
  const checked = precheck(bytes, relativePath, options);
  if ('outcome' in checked) return checked.outcome;
  const { format } = checked;
  if (isBinaryFormat(format))
    return skipOf(
      relativePath,
      'internal-error',
      `${format.toUpperCase()} files are read asynchronously (ingestSource), not by ingestBytes`,
    );
  let source: string;
  try {
    source = decodeText(bytes);
  } catch (error) {
    if (error instanceof DecodeError) return skipOf(relativePath, error.code, error.message);
    throw error;
  }
  let parsed: ParsedDocument;
  try {
    parsed = PARSERS[format](source);
  } catch (error) {
    if (error instanceof UnparseableHtmlError)
      return skipOf(relativePath, 'unparseable-html', `unparseable HTML: ${error.message}`);
    if (error instanceof UnparseableJsonError)
      return skipOf(relativePath, 'unparseable-json', `unparseable JSON: ${error.message}`);
    const skipped = tooComplex(relativePath, error);
    if (skipped) return skipped;
    throw error;
  }
  try {
    return finish(parsed, bytes, relativePath, id, format);
  } catch (error) {
    const skipped = tooComplex(relativePath, error);
    if (skipped) return skipped;
    throw error;
  }
}

/** Parse bytes already in memory, every format (PDF and DOCX included); no I/O besides the parsers' own. */
export async function ingestSource(
  bytes: Uint8Array,
  relativePath: string,
  id: string,
  options: IngestOptions = {},
): Promise<IngestOutcome> {
  const checked = precheck(bytes, relativePath, options);
  if ('outcome' in checked) return checked.outcome;
  const { format } = checked;
  if (!isBinaryFormat(format)) return ingestBytes(bytes, relativePath, id, options);
  let parsed: ParsedDocument;
  try {
    parsed = await BINARY_PARSERS[format](bytes);
  } catch (error) {
    if (error instanceof PdfError || error instanceof DocxError) return skipOf(relativePath, error.code, error.message);
    const skipped = tooComplex(relativePath, error);
    if (skipped) return skipped;
    throw error;
  }
  return finish(parsed, bytes, relativePath, id, format);
}

/** Read and parse one file under root. Never throws for bad input: it returns a skip reason. */
export async function ingestFile(
  root: string,
  relativePath: string,
  id: string,
  options: IngestOptions = {},
): Promise<IngestOutcome> {
  const absolute = path.join(root, relativePath);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  try {
    const info = await stat(absolute);
    if (info.size > maxBytes) {
      return {
        ok: false,
        skipped: {
          path: relativePath,
          code: 'too-large',
          reason: `the file is ${info.size} bytes, over the ${maxBytes}-byte limit`,
        },
      };
    }
  } catch (error) {
    return {
      ok: false,
      skipped: { path: relativePath, code: 'unreadable', reason: `cannot read the file: ${messageOf(error)}` },
    };
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(absolute);
  } catch (error) {
    return {
      ok: false,
      skipped: { path: relativePath, code: 'unreadable', reason: `cannot read the file: ${messageOf(error)}` },
    };
  }
  try {
    return await ingestSource(bytes, relativePath, id, options);
  } catch (error) {
    return {
      ok: false,
      skipped: {
        path: relativePath,
        code: 'internal-error',
        reason: `the file could not be processed: ${messageOf(error)}`,
      },
    };
  }
}
