import { cleanInline, type Block, type ParsedDocument } from './blocks.ts';
import { isKnownLabel } from './section-roles.ts';
import { joinSoftBreaks } from './markdown.ts';
import { LIST_MARKER } from './text.ts';
import { messageOf } from '../errors.ts';

export class UnparseableJsonError extends Error {}

/** Keys of a title taken out of the body into the metadata. */
const TITLE_KEYS = ['title', 'name', 'headline', 'subject', 'incident_title', 'incidentTitle'];
/**
 * Keys of a title looked for anywhere in the record when TITLE_KEYS found none, compared by
 * `keyName` ("Title", "summary_title"); the field stays in the body.
 */
const ANY_TITLE_KEYS = ['title', 'name', 'headline', 'subject', 'incidenttitle', 'summarytitle'];
/** Keys whose value titles the document when it is a short line and no title key does. */
const SHORT_TITLE_KEYS = ['summary'];
const DATE_KEYS = [
  'date',
  'opened_at',
  'openedAt',
  'started_at',
  'startedAt',
  'created_at',
  'createdAt',
  'incident_date',
  'incidentDate',
  'detected_at',
  'start_time',
  'startTime',
];
const SECTION_LIST_KEYS = ['sections', 'body', 'content', 'blocks', 'fields'];
const HEADING_KEYS = ['heading', 'title', 'name', 'label', 'section'];
const BODY_KEYS = ['body', 'content', 'text', 'value', 'markdown', 'description'];

/** A key as compared with ANY_TITLE_KEYS: lower case, without separators. */
function keyName(key: string): string {
  return key.toLowerCase().replace(/[\s_-]+/g, '');
}

/**
 * The title among a record's fields: a title key's string, else a short one-line summary; looked
 * for in the record, then in the objects it holds ({"postmortem": {"title": ...}}).
 */
function titleIn(record: Record<string, unknown>, depth = 0): string | undefined {
  const entries = Object.entries(record);
  const byKey = (keys: readonly string[], short: boolean): string | undefined =>
    entries
      .filter(([key, field]) => keys.includes(keyName(key)) && typeof field === 'string' && field.trim())
      .map(([, field]) => cleanInline(String(field)))
      .find((field) => !short || !isProse(field));
  const own = byKey(ANY_TITLE_KEYS, false) ?? byKey(SHORT_TITLE_KEYS, true);
  if (own || depth > 0) return own;
  for (const [, field] of entries) {
    if (!field || typeof field !== 'object' || Array.isArray(field)) continue;
    const nested = titleIn(field as Record<string, unknown>, depth + 1);
    if (nested) return nested;
  }
  return undefined;
}

/** "root_cause" / "rootCause" -> "Root cause". */
export function keyToHeading(key: string): string {
  const words = key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** A short scalar without sentence punctuation is metadata (severity, status); prose is body. */
function isProse(value: string): boolean {
  return value.length > 80 || /[.!?]\s/.test(value) || value.includes('\n');
}

/**
 * A prose field, paragraph by paragraph (blank lines). A paragraph's hard-wrapped lines are joined
 * into one text, as in plain text (a line opening with a timestamp stays a line of its own), and a
 * line opening with a list marker starts a list item of its own.
 */
function pushProse(text: string, blocks: Block[], asListItem = false): void {
  for (const paragraph of text.replace(/\r\n?/g, '\n').split(/\n{2,}/)) {
    const parts: { item: boolean; lines: string[] }[] = [];
    for (const line of paragraph.split('\n')) {
      const item = LIST_MARKER.test(line);
      const last = parts.at(-1);
      if (item || last === undefined) parts.push({ item, lines: [line.replace(LIST_MARKER, '')] });
      else last.lines.push(line);
    }
    for (const { item, lines } of parts) {
      const cleaned = cleanInline(joinSoftBreaks(lines.join('\n')));
      if (cleaned) blocks.push({ kind: asListItem || item ? 'list-item' : 'paragraph', text: cleaned });
    }
  }
}

function itemText(item: unknown): string {
  if (isScalar(item)) return String(item);
  if (item && typeof item === 'object' && !Array.isArray(item)) {
    const values = Object.entries(item as Record<string, unknown>).filter(([, value]) => isScalar(value));
    return values.map(([, value]) => String(value)).join(' \u2014 ');
  }
  return '';
}

function pushValue(heading: string, value: unknown, level: number, blocks: Block[]): void {
  if (value === null || value === undefined || value === '') return;
  if (Array.isArray(value)) {
    const sectionLike = value.every(
      (item) =>
        item &&
        typeof item === 'object' &&
        !Array.isArray(item) &&
        HEADING_KEYS.some((key) => key in item) &&
        BODY_KEYS.some((key) => key in item),
    );
    blocks.push({ kind: 'heading', level, text: heading });
    if (sectionLike) pushSections(value as Record<string, unknown>[], level + 1, blocks);
    else for (const item of value) pushProse(itemText(item), blocks, true);
    return;
  }
  if (typeof value === 'object') {
    blocks.push({ kind: 'heading', level, text: heading });
    for (const [key, inner] of Object.entries(value as Record<string, unknown>))
      pushValue(keyToHeading(key), inner, level + 1, blocks);
    return;
  }
  blocks.push({ kind: 'heading', level, text: heading });
  pushProse(String(value), blocks);
}

function pushSections(sections: Record<string, unknown>[], level: number, blocks: Block[]): void {
  for (const section of sections) {
    const headingKey = HEADING_KEYS.find((key) => typeof section[key] === 'string');
    const bodyKey = BODY_KEYS.find((key) => key in section && key !== headingKey);
    const heading = headingKey ? String(section[headingKey]) : 'Section';
    pushValue(heading, bodyKey ? section[bodyKey] : '', level, blocks);
  }
}

/**
 * JSON exports from incident tools come in many shapes. Known title/date keys become metadata,
 * a list of {heading, body} objects becomes sections, other prose fields become sections named
 * after their keys, and short scalars (severity, status, ids) stay metadata.
 */
export function parseJson(source: string): ParsedDocument {
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    throw new UnparseableJsonError(messageOf(error));
  }
  if (Array.isArray(value) && value.length === 1) value = value[0];
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new UnparseableJsonError('expected a JSON object describing one postmortem');
  }
  // An export that wraps its header in "incident" may keep the story beside it ({"incident": {...},
  // "log": [...], "cause": "..."}): the header's fields come first, then every sibling field.
  const outer = value as Record<string, unknown>;
  const inner = outer.incident;
  const record: Record<string, unknown> =
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? {
          ...(inner as Record<string, unknown>),
          ...Object.fromEntries(
            Object.entries(outer).filter(([key]) => key !== 'incident' && !(key in (inner as object))),
          ),
        }
      : outer;
  const metadata: Record<string, unknown> = {};
  const blocks: Block[] = [];
  for (const [key, field] of Object.entries(record)) {
    if (TITLE_KEYS.includes(key) && typeof field === 'string' && metadata.title === undefined) {
      metadata.title = cleanInline(field);
    } else if (DATE_KEYS.includes(key) && isScalar(field) && metadata.date === undefined) {
      metadata.date = String(field);
    } else if (
      SECTION_LIST_KEYS.includes(key) &&
      Array.isArray(field) &&
      field.every((item) => item && typeof item === 'object')
    ) {
      pushSections(field as Record<string, unknown>[], 2, blocks);
    } else if (isScalar(field) && !(typeof field === 'string' && (isProse(field) || isKnownLabel(keyToHeading(key))))) {
      metadata[key] = field;
    } else {
      pushValue(keyToHeading(key), field, 2, blocks);
    }
  }
  if (blocks.length === 0) throw new UnparseableJsonError('the JSON holds no prose fields');
  if (metadata.title === undefined) {
    const title = titleIn(record);
    if (title) metadata.title = title;
  }
  return { blocks, metadata };
}
