/**
 * The format-neutral shape every parser produces: a flat list of headings, paragraphs and
 * list items. `assemble` turns it into a Postmortem's text and sections.
 */
export type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list-item'; text: string };

export interface ParsedDocument {
  blocks: Block[];
  /** Fields from YAML front matter or a JSON export (title, date, severity, ...). */
  metadata: Record<string, unknown>;
  /**
   * The first line of the source's body, as inline text, for formats that join a paragraph's
   * hard-wrapped lines: a title candidate when it opens the first paragraph.
   */
  firstLine?: string;
}

/** What one of cleanInline's replacements would change; text without any only needs the trim. */
const UNCLEAN = /[\u200B-\u200D\uFEFF\u00A0\t]| {2}| \n|\n /;

/** Collapse runs of spaces and tabs, trim, and drop zero-width characters. */
export function cleanInline(text: string): string {
  if (!UNCLEAN.test(text)) return text.trim();
  return text
    .replace(/[\u200B-\u200D\uFEFF]/g, '')
    .replace(/\u00A0/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .trim();
}
