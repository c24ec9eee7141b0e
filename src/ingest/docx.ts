/**
 * DOCX (Word, and Google Docs' and Confluence's Word export) through mammoth, which maps the
 * document's paragraph styles to HTML (Title and Heading 1-6 to headings, lists to lists,
 * tables to tables); the HTML parser then gives the blocks every format shares. Images are
 * dropped (never inlined), and no file outside the document is ever read.
 */
import mammoth from 'mammoth';
import { messageOf } from '../errors.ts';
import type { ParsedDocument } from './blocks.ts';
import { parseHtml, UnparseableHtmlError } from './html.ts';

export class DocxError extends Error {
  constructor(
    readonly code: 'unparseable-docx' | 'empty',
    message: string,
  ) {
    super(message);
  }
}

/** Styles Word and Google Docs use for a document's title, besides mammoth's Heading 1-6 defaults. */
const STYLE_MAP = ["p[style-name='Title'] => h1:fresh", "p[style-name='Subtitle'] => h2:fresh"];

const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];

export async function parseDocx(bytes: Uint8Array): Promise<ParsedDocument> {
  if (!ZIP_SIGNATURE.every((byte, index) => bytes[index] === byte)) {
    throw new DocxError(
      'unparseable-docx',
      'not a DOCX file (a DOCX is a ZIP archive; an old binary .doc must be saved as .docx first)',
    );
  }
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      {
        styleMap: STYLE_MAP,
        convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })),
        externalFileAccess: false,
      },
    );
    html = result.value;
  } catch (error) {
    throw new DocxError('unparseable-docx', `not a readable DOCX: ${messageOf(error)}`);
  }
  if (!html.replace(/<[^>]{0,2000}>/g, '').trim()) throw new DocxError('empty', 'the document holds no readable text');
  try {
    return parseHtml(`<html><body>${html}</body></html>`);
  } catch (error) {
    if (error instanceof UnparseableHtmlError) throw new DocxError('empty', 'the document holds no readable text');
    throw error;
  }
}
