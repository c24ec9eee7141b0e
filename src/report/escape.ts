const HTML_SPECIAL = /[&<>"']/;
const HTML_SPECIALS = /[&<>"']/g;
const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for use in HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  // One pass, and none for the common text without a special character.
  if (!HTML_SPECIAL.test(text)) return text;
  return text.replace(HTML_SPECIALS, (character) => HTML_ENTITIES[character] ?? character);
}

/** Whitespace that `\s+` -> " " changes: a run of two, or one that is not a plain space. */
const MARKDOWN_SPACING = /\s\s|[^\S ]/;
/** A character one of the escapes below replaces. */
const MARKDOWN_SPECIAL = /[\\`*_[\]|~&<>]/;

/**
 * Makes untrusted text safe to place inline in Markdown: one line, no raw HTML,
 * no links, emphasis, code spans or table cell breaks.
 */
export function escapeMarkdown(text: string): string {
  // Each step is skipped when it would change nothing: most text is one plain line.
  const line = (MARKDOWN_SPACING.test(text) ? text.replace(/\s+/g, ' ') : text).trim();
  if (!MARKDOWN_SPECIAL.test(line)) return line;
  return line
    .replace(/[\\`*_[\]|~]/g, '\\$&')
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Like escapeMarkdown, for text that starts a line or a list item: it cannot open a heading or a list. */
export function escapeMarkdownLineStart(text: string): string {
  return escapeMarkdown(text)
    .replace(/^([#+-])/, '\\$1')
    .replace(/^(\d+)([.)])/, '$1\\$2');
}
