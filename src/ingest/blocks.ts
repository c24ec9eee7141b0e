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
}

/** Collapse runs of spaces and tabs, trim, and drop zero-width characters. */
export function cleanInline(text: string): string {
  return text
    .replace(/[\u200B-\u200D\uFEFF]/g, '')
    .replace(/\u00A0/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .trim();
}
