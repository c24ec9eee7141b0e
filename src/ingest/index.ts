import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import { Postmortem, type SkippedDocument, type SourceFormat } from '../schemas/index.ts';
import { assemble } from './assemble.ts';
import type { ParsedDocument } from './blocks.ts';
import { decodeText, DecodeError } from './decode.ts';
import { FORMAT_BY_EXTENSION } from './discover.ts';
import { parseHtml, UnparseableHtmlError } from './html.ts';
import { parseJson, UnparseableJsonError } from './json.ts';
import { parseMarkdown } from './markdown.ts';
import { parseText } from './text.ts';
import { messageOf } from '../errors.ts';

export { listFiles, FORMAT_BY_EXTENSION } from './discover.ts';

export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

// The callback API, promisified: fewer thread-pool round trips per file than fs/promises' FileHandle.
const readFile = promisify(fs.readFile);
const stat = promisify(fs.stat);

export interface IngestOptions {
  maxBytes?: number;
}

export type IngestOutcome = { ok: true; postmortem: Postmortem } | { ok: false; skipped: SkippedDocument };

const PARSERS: Record<SourceFormat, (source: string) => ParsedDocument> = {
  markdown: parseMarkdown,
  text: parseText,
  html: parseHtml,
  json: parseJson,
};

export function formatOf(relativePath: string): SourceFormat | undefined {
  return FORMAT_BY_EXTENSION[path.extname(relativePath).toLowerCase()];
}

/** Parse bytes already in memory; deterministic, no I/O. */
export function ingestBytes(bytes: Uint8Array, relativePath: string, id: string, options: IngestOptions = {}): IngestOutcome {
  const skip = (code: SkippedDocument['code'], reason: string): IngestOutcome => ({ ok: false, skipped: { path: relativePath, code, reason } });
  const format = formatOf(relativePath);
  if (!format) return skip('unsupported-extension', `unsupported file type "${path.extname(relativePath) || '(none)'}"; expected ${Object.keys(FORMAT_BY_EXTENSION).join(', ')}`);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (bytes.length > maxBytes) return skip('too-large', `the file is ${bytes.length} bytes, over the ${maxBytes}-byte limit`);
  let source: string;
  try {
    source = decodeText(bytes);
  } catch (error) {
    if (error instanceof DecodeError) return skip(error.code, error.message);
    throw error;
  }
  let parsed: ParsedDocument;
  try {
    parsed = PARSERS[format](source);
  } catch (error) {
    if (error instanceof UnparseableHtmlError) return skip('unparseable-html', `unparseable HTML: ${error.message}`);
    if (error instanceof UnparseableJsonError) return skip('unparseable-json', `unparseable JSON: ${error.message}`);
    throw error;
  }
  const assembled = assemble(parsed, path.basename(relativePath));
  if (!assembled.text.trim()) return skip('empty', 'the document holds no readable text');
  const { title: _title, date: _date, ...otherMetadata } = parsed.metadata;
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
  });
  return { ok: true, postmortem };
}

/** Read and parse one file under root. Never throws for bad input: it returns a skip reason. */
export async function ingestFile(root: string, relativePath: string, id: string, options: IngestOptions = {}): Promise<IngestOutcome> {
  const absolute = path.join(root, relativePath);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  try {
    const info = await stat(absolute);
    if (info.size > maxBytes) {
      return { ok: false, skipped: { path: relativePath, code: 'too-large', reason: `the file is ${info.size} bytes, over the ${maxBytes}-byte limit` } };
    }
  } catch (error) {
    return { ok: false, skipped: { path: relativePath, code: 'unreadable', reason: `cannot read the file: ${messageOf(error)}` } };
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(absolute);
  } catch (error) {
    return { ok: false, skipped: { path: relativePath, code: 'unreadable', reason: `cannot read the file: ${messageOf(error)}` } };
  }
  try {
    return ingestBytes(bytes, relativePath, id, options);
  } catch (error) {
    return { ok: false, skipped: { path: relativePath, code: 'internal-error', reason: `the file could not be processed: ${messageOf(error)}` } };
  }
}

