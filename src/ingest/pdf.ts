/**
 * PDF through its text layer (unpdf, a maintained serverless build of PDF.js). PDF has no
 * paragraphs or headings, only positioned runs of text, so structure is recovered from layout:
 *
 * - runs on one baseline form a line; a larger vertical gap, a change of indentation, a list
 *   marker or a short line ending a sentence starts a new paragraph;
 * - a short line set in a larger font than the body is a heading (its level from its size rank);
 *   a short line standing alone that names a known section ("Root cause", "Action items") or is
 *   in capitals is a heading too, so section roles work for PDFs exported without heading sizes;
 * - lines repeated at the top or bottom of most pages (running headers, footers, page numbers)
 *   are dropped.
 *
 * A PDF with pages but (almost) no text is a scan: refused with `no-text-layer`, never guessed.
 */
import { extractTextItems, getDocumentProxy, getMeta, type StructuredTextItem } from 'unpdf';
import { messageOf } from '../errors.ts';
import { cleanInline, type Block, type ParsedDocument } from './blocks.ts';
import { splitInlineLabels } from './inline-labels.ts';
import { isKnownLabel } from './section-roles.ts';

export class PdfError extends Error {
  constructor(
    readonly code: 'unparseable-pdf' | 'no-text-layer',
    message: string,
  ) {
    super(message);
  }
}

/** Fewer non-space characters than this in the whole document: no text layer to speak of. */
const MIN_TEXT_CHARACTERS = 20;
const LIST_MARKER = /^(?:[-*\u2022\u25e6\u25aa\u25cf\u2023\u2043\u2219\u00b7+]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+/;
const TIMESTAMP = /^\[?\d{1,2}:\d{2}\b/;
const PAGE_NUMBER = /^(?:page\s*)?\d{1,4}(?:\s*(?:of|\/)\s*\d{1,4})?$/i;

interface Line {
  page: number;
  text: string;
  size: number;
  x: number;
  y: number;
  right: number;
}

function isTitleLike(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const title = value.trim();
  return (
    title.length > 0 &&
    title.length <= 200 &&
    !/\.(docx?|pdf|html?|md|txt|odt|pages)$/i.test(title) &&
    !/^(untitled|microsoft word)/i.test(title)
  );
}

/** Runs of one page into lines, top to bottom as the text layer gives them. */
function linesOf(items: readonly StructuredTextItem[], page: number): Line[] {
  const lines: Line[] = [];
  let current: Line | undefined;
  let breakNext = false;
  for (const item of items) {
    const text = item.str;
    if (text.trim() === '') {
      if (current && text.length > 0 && !current.text.endsWith(' ')) current.text += ' ';
      if (item.hasEOL) breakNext = true;
      continue;
    }
    const size = Math.abs(item.fontSize) || Math.abs(item.height) || 1;
    const sameBaseline = current !== undefined && Math.abs(current.y - item.y) <= 0.4 * Math.max(size, current.size);
    if (current && sameBaseline && !breakNext) {
      const gap = item.x - current.right;
      if (gap > 0.15 * size && !current.text.endsWith(' ') && !text.startsWith(' ')) current.text += ' ';
      current.text += text;
      current.size = Math.max(current.size, size);
      current.right = Math.max(current.right, item.x + item.width);
    } else {
      if (current) lines.push(current);
      current = { page, text, size, x: item.x, y: item.y, right: item.x + item.width };
    }
    breakNext = item.hasEOL;
  }
  if (current) lines.push(current);
  return lines.map((line) => ({ ...line, text: cleanInline(line.text) })).filter((line) => line.text);
}

/** Lines repeated near the top or bottom of most pages, and bare page numbers there. */
function withoutRunningLines(pages: Line[][]): Line[][] {
  // The two lines nearest the top and the bottom of the page (the text layer may give them last).
  const edge = (lines: Line[]): Line[] => {
    const byHeight = [...lines].sort((left, right) => right.y - left.y);
    return [...byHeight.slice(0, 2), ...byHeight.slice(-2)];
  };
  const shape = (text: string): string => text.toLowerCase().replace(/\d+/g, '#');
  const counts = new Map<string, number>();
  for (const lines of pages)
    for (const text of new Set(edge(lines).map((line) => shape(line.text))))
      counts.set(text, (counts.get(text) ?? 0) + 1);
  // On every page of a two-page document, on at least half the pages of a longer one.
  const repeated =
    pages.length >= 2
      ? new Set([...counts].filter(([, count]) => count >= Math.max(2, pages.length / 2)).map(([text]) => text))
      : new Set<string>();
  return pages.map((lines) => {
    const edges = new Set(edge(lines));
    return lines.filter(
      (line) => !(edges.has(line) && (repeated.has(shape(line.text)) || PAGE_NUMBER.test(line.text))),
    );
  });
}

/** The font size most characters are set in. */
function bodySizeOf(lines: readonly Line[]): number {
  const weight = new Map<number, number>();
  for (const line of lines) {
    const size = Math.round(line.size * 2) / 2;
    weight.set(size, (weight.get(size) ?? 0) + line.text.length);
  }
  return [...weight].sort((left, right) => right[1] - left[1] || left[0] - right[0])[0]?.[0] ?? 0;
}

function isShort(text: string): boolean {
  return text.length <= 100 && text.split(/\s+/).length <= 14 && !/[.,;]$/.test(text);
}

function labelOf(text: string): string {
  return text
    .replace(/^(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVX]{1,4}\.)\s+/, '')
    .replace(/:$/, '')
    .trim();
}

function isCapitals(text: string): boolean {
  const letters = text.replace(/[^A-Za-z]/g, '');
  return letters.length >= 3 && letters === letters.toUpperCase() && /^[A-Z0-9 /&'().:-]+$/.test(text);
}

/** Lines to blocks: headings by size or by name, paragraphs and list items by layout. */
function blocksOf(lines: readonly Line[]): Block[] {
  const body = bodySizeOf(lines);
  const headingSizes = [
    ...new Set(
      lines
        .filter((line) => line.size >= body * 1.15 && isShort(line.text))
        .map((line) => Math.round(line.size * 2) / 2),
    ),
  ].sort((left, right) => right - left);
  const levelOf = (size: number): number => Math.min(6, headingSizes.indexOf(Math.round(size * 2) / 2) + 1);
  const namedLevel = Math.min(6, headingSizes.length + 1);
  const blocks: Block[] = [];
  let paragraph: { kind: 'paragraph' | 'list-item'; parts: string[]; last: Line } | undefined;
  const flush = (): void => {
    if (!paragraph) return;
    const text = cleanInline(paragraph.parts.join(' ').replace(/(\p{L})- (\p{Ll})/gu, '$1-$2'));
    if (text) blocks.push({ kind: paragraph.kind, text });
    paragraph = undefined;
  };
  let previous: Line | undefined;
  for (const line of lines) {
    const spacing = previous && previous.page === line.page ? previous.y - line.y : undefined;
    const gapAbove = spacing === undefined ? true : spacing > 1.45 * Math.max(line.size, previous?.size ?? 0);
    const standsAlone =
      gapAbove || previous === undefined || (blocks[blocks.length - 1]?.kind === 'heading' && paragraph === undefined);
    const larger = body > 0 && line.size >= body * 1.15 && isShort(line.text);
    const named =
      isShort(line.text) &&
      line.text.length <= 60 &&
      (isKnownLabel(labelOf(line.text)) || isCapitals(line.text)) &&
      (standsAlone || previous?.text.endsWith('.') === true);
    if (larger || (named && !LIST_MARKER.test(line.text))) {
      flush();
      const last = blocks[blocks.length - 1];
      // A heading wrapped over two lines of the same size is one heading.
      if (
        larger &&
        last?.kind === 'heading' &&
        previous &&
        previous.page === line.page &&
        Math.abs(previous.size - line.size) < 0.5 &&
        !gapAbove &&
        last.level === levelOf(line.size)
      )
        last.text = `${last.text} ${line.text}`;
      else
        blocks.push({
          kind: 'heading',
          level: larger ? levelOf(line.size) : namedLevel,
          text: line.text.replace(/:$/, ''),
        });
      previous = line;
      continue;
    }
    const marker = LIST_MARKER.exec(line.text);
    const indentChanged =
      previous !== undefined &&
      previous.page === line.page &&
      Math.abs(line.x - (paragraph?.last.x ?? previous.x)) > 0.5 * line.size;
    const previousEnded =
      previous !== undefined &&
      /[.!?:]$/.test(previous.text) &&
      previous.right < (paragraph?.last.right ?? previous.right) * 0.8;
    const continues =
      paragraph !== undefined &&
      !gapAbove &&
      !marker &&
      !TIMESTAMP.test(line.text) &&
      !previousEnded &&
      (!indentChanged || (paragraph.kind === 'list-item' && line.x > paragraph.last.x - 0.5 * line.size));
    if (continues && paragraph) {
      paragraph.parts.push(line.text);
      paragraph.last = {
        ...line,
        x: paragraph.kind === 'list-item' ? paragraph.last.x : line.x,
        right: Math.max(paragraph.last.right, line.right),
      };
    } else {
      flush();
      paragraph = marker
        ? { kind: 'list-item', parts: [line.text.slice(marker[0].length)], last: line }
        : { kind: 'paragraph', parts: [line.text], last: line };
    }
    previous = line;
  }
  flush();
  return blocks;
}

/** The text layer of a PDF as blocks; throws PdfError for an unreadable PDF or one without text. */
export async function parsePdf(bytes: Uint8Array): Promise<ParsedDocument> {
  let document: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // PDF.js takes ownership of (detaches) the buffer it is given: hand it a copy.
    document = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0, stopAtErrors: false });
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'PasswordException')
      throw new PdfError('unparseable-pdf', 'the PDF is password-protected: export it without a password');
    throw new PdfError('unparseable-pdf', `not a readable PDF: ${messageOf(error)}`);
  }
  try {
    const { totalPages, items } = await extractTextItems(document);
    const pages = withoutRunningLines(items.map((pageItems, index) => linesOf(pageItems, index + 1)));
    const lines = pages.flat();
    const characters = lines.reduce((total, line) => total + line.text.replace(/\s/g, '').length, 0);
    if (characters < MIN_TEXT_CHARACTERS) {
      throw new PdfError(
        'no-text-layer',
        `the PDF has ${totalPages} page${totalPages === 1 ? '' : 's'} but no text layer (${characters} characters): it looks scanned; run it through OCR or export the postmortem as text, HTML or DOCX`,
      );
    }
    const blocks = splitInlineLabels(blocksOf(lines));
    const metadata: Record<string, unknown> = {};
    // The document's own first heading is its title when there is one; the PDF's Title entry otherwise.
    if (blocks[0]?.kind !== 'heading') {
      const meta = await getMeta(document).catch(() => undefined);
      const title: unknown = meta?.info?.Title;
      if (isTitleLike(title)) metadata.title = title.trim();
    }
    return { blocks, metadata };
  } catch (error) {
    if (error instanceof PdfError) throw error;
    throw new PdfError('unparseable-pdf', `the PDF's text could not be read: ${messageOf(error)}`);
  } finally {
    await document.loadingTask.destroy().catch(() => undefined);
  }
}
