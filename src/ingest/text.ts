import { cleanInline, type Block, type ParsedDocument } from './blocks.ts';
import { splitFrontMatter } from './front-matter.ts';
import { joinSoftBreaks } from './markdown.ts';
import { splitInlineLabels } from './inline-labels.ts';
import { isKnownLabel } from './section-roles.ts';

/** A line that opens a list item: a bullet, a number, a checkbox. */
export const LIST_MARKER = /^\s*(?:[-*\u2022+]|\d{1,2}[.)]|\[[ xX]\])\s+/;
const UNDERLINE = /^\s*(={3,}|-{3,})\s*$/;
/** "cause: the pool was too small" on a line of its own starts a section in chat-style notes. */
const INLINE_LABEL = /^([A-Za-z][A-Za-z /&-]{1,30}?)\s*:\s+(\S.*)$/;
/**
 * "cause     Kafka topic under-partitioned ...": a terse record's short label in a column of its own, the value
 * after two or more spaces. Each such line is an entry of its own, not part of the lines around it.
 */
const COLUMN_LABEL = /^([A-Za-z][A-Za-z ]{0,14}?)\s{2,}(\S.*)$/;

/** A short line standing alone that reads like a heading: "ROOT CAUSE", "Impact:", "== Timeline ==". */
function headingText(line: string): string | null {
  const trimmed = line
    .trim()
    .replace(/^=+\s*|\s*=+$/g, '')
    .replace(/^#+\s*/, '');
  if (!trimmed || trimmed.length > 60) return null;
  if (/^#+\s/.test(line.trim()) || /^=+.*=+$/.test(line.trim())) return trimmed;
  const withoutColon = trimmed.replace(/:$/, '').trim();
  const isUpper =
    /[A-Z]/.test(withoutColon) &&
    withoutColon === withoutColon.toUpperCase() &&
    /^[A-Z0-9 /&'()-]+$/.test(withoutColon);
  if (isUpper && withoutColon.length >= 3) return withoutColon;
  if (trimmed.endsWith(':') && isKnownLabel(withoutColon)) return withoutColon;
  return null;
}

/** Words a title does not end on, but a line cut by a hard wrap often does. */
const OPEN_ENDING =
  /\b(?:the|a|an|of|on|in|at|to|for|by|with|from|and|or|but|that|which|who|is|was|were|are|has|had|have|put|after|before|about|into|than|as)$/i;
/** A first line this long that runs on into the next is a wrapped sentence, not a title. */
const WRAPPED_LINE_LENGTH = 90;

/**
 * Whether a line is cut mid-sentence by a hard wrap and goes on in the next line ("This is the
 * account of how the search index stopped updating on 10 November, put" / "together by ..."): no
 * end punctuation, a next line that is no list item, label or stamped entry, and the next line
 * opening in lower case, the line ending on a word a title would not end on, or a line as long as a
 * wrapped paragraph's.
 */
function wrapsOnto(line: string, next: string): boolean {
  const text = line.trim();
  const following = next.trim();
  if (!following || /[.!?:;]["')\]]?$/.test(text)) return false;
  if (LIST_MARKER.test(next) || INLINE_LABEL.test(following) || /^\[?\d{1,2}:\d{2}/.test(following)) return false;
  return /^[a-z]/.test(following) || OPEN_ENDING.test(text) || text.length >= WRAPPED_LINE_LENGTH;
}

/** Plain text: paragraphs split on blank lines; headings recognised by shape; list items by marker. */
export function parseText(source: string): ParsedDocument {
  const { metadata, body } = splitFrontMatter(source);
  const blocks: Block[] = [];
  const lines = body.replace(/\r\n?/g, '\n').split('\n');
  let paragraph: string[] = [];
  const flush = (): void => {
    const text = cleanInline(joinSoftBreaks(paragraph.join('\n')));
    if (text) blocks.push({ kind: 'paragraph', text });
    paragraph = [];
  };
  /** A line that opens with a known label starts that section, its text the section's first paragraph. */
  const openLabelled = (label: string, text: string): void => {
    flush();
    blocks.push({ kind: 'heading', level: 3, text: label });
    paragraph.push(text);
  };
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    const next = lines[index + 1] ?? '';
    if (!line.trim()) {
      flush();
      continue;
    }
    if (UNDERLINE.test(next) && line.trim().length <= 60 && !LIST_MARKER.test(line)) {
      flush();
      blocks.push({ kind: 'heading', level: next.trim().startsWith('=') ? 1 : 2, text: cleanInline(line) });
      index += 1;
      continue;
    }
    if (UNDERLINE.test(line)) continue;
    const heading = paragraph.length === 0 ? headingText(line) : null;
    if (heading) {
      flush();
      blocks.push({ kind: 'heading', level: 2, text: heading });
      continue;
    }
    const labelled = INLINE_LABEL.exec(line.replace(LIST_MARKER, '').trim());
    if (labelled?.[1] && labelled[2] && isKnownLabel(labelled[1])) {
      openLabelled(labelled[1], labelled[2]);
      continue;
    }
    // The lazy label stops before the first run of spaces, so it never ends in one.
    const column = /^\S/.test(line) ? COLUMN_LABEL.exec(line.trimEnd()) : null;
    if (column?.[1] && column[2]) {
      if (isKnownLabel(column[1])) openLabelled(column[1], column[2]);
      else {
        flush();
        paragraph.push(`${column[1]} ${column[2]}`);
      }
      continue;
    }
    if (LIST_MARKER.test(line)) {
      flush();
      blocks.push({ kind: 'list-item', text: cleanInline(line.replace(LIST_MARKER, '')) });
      continue;
    }
    const previous = blocks[blocks.length - 1];
    if (paragraph.length === 0 && previous?.kind === 'list-item' && /^\s{2,}\S/.test(line)) {
      previous.text = cleanInline(`${previous.text} ${line}`);
      continue;
    }
    paragraph.push(line);
  }
  flush();
  const at = lines.findIndex((line) => line.trim());
  const firstLine = at >= 0 && !wrapsOnto(lines[at] ?? '', lines[at + 1] ?? '') ? cleanInline(lines[at] ?? '') : '';
  return { blocks: splitInlineLabels(blocks), metadata, ...(firstLine ? { firstLine } : {}) };
}
