import { Lexer, type Token, type Tokens } from 'marked';
import { cleanInline, type Block, type ParsedDocument } from './blocks.ts';
import { splitFrontMatter } from './front-matter.ts';
import { splitInlineLabels } from './inline-labels.ts';

/** Inline Markdown to plain text; link targets are kept in parentheses so a URL stays visible. */
export function markdownInlineToText(text: string): string {
  return cleanInline(
    text
      // Bounded classes and lengths: a line of 100,000 "[a](b" must not backtrack for minutes.
      .replace(/!\[([^\][]{0,1000})\]\(([^)\n]{0,2048})\)/g, '$1')
      .replace(/\[([^\][]{1,1000})\]\(([^)\s]{1,2048})(?:\s[^)\n]{0,500})?\)/g, (_all, label: string, url: string) =>
        label === url ? url : `${label} (${url})`,
      )
      .replace(/<(https?:\/\/[^<>\s]{1,2048})>/g, '$1')
      .replace(/(\*\*|__)(.+?)\1/g, '$2')
      .replace(/(^|[\s(])[*_]([^*_\n]+)[*_](?=[\s).,;:!?]|$)/g, '$1$2')
      .replace(/~~(.+?)~~/g, '$1')
      .replace(/`([^`]+)`/g, '$1')
      .replace(/<\/?[a-zA-Z][^<>]{0,1000}>/g, ''),
  );
}

function pushTokens(tokens: Token[], blocks: Block[]): void {
  for (const token of tokens) {
    switch (token.type) {
      case 'heading':
        blocks.push({
          kind: 'heading',
          level: (token as Tokens.Heading).depth,
          text: markdownInlineToText(token.text),
        });
        break;
      case 'paragraph':
      case 'text':
        pushParagraph(joinSoftBreaks(markdownInlineToText((token as Tokens.Paragraph).text)), blocks);
        break;
      case 'list':
        for (const item of (token as Tokens.List).items) pushListItem(item, blocks);
        break;
      case 'blockquote':
        pushTokens((token as Tokens.Blockquote).tokens, blocks);
        break;
      case 'code': {
        const code = cleanInline((token as Tokens.Code).text);
        if (code) blocks.push({ kind: 'paragraph', text: code });
        break;
      }
      case 'table': {
        const table = token as Tokens.Table;
        for (const row of table.rows) {
          const cells = row.map((cell) => markdownInlineToText(cell.text)).filter(Boolean);
          if (cells.length) blocks.push({ kind: 'list-item', text: cells.join(' | ') });
        }
        break;
      }
      case 'html': {
        const text = markdownInlineToText((token as Tokens.HTML).text);
        if (text) pushParagraph(text, blocks);
        break;
      }
      default:
        break;
    }
  }
}

/**
 * Hard-wrapped lines of one paragraph are one text; a line that starts a timestamped entry stays
 * apart, whether the time comes first ("[14:05] ...", with its day: "[2024-03-05 14:05]", "[5/3
 * 14:05]") or after the speaker's name, as chat exports write it ("Dana Whitfield  14:05  ...",
 * "Dana Whitfield [14:05]: ...").
 */
export function joinSoftBreaks(text: string): string {
  return text.replace(
    /\n(?!\[?(?:\d{1,4}[/.-]\d{1,2}(?:[/.-]\d{2,4})?,?[ \t]+)?\d{1,2}:\d{2}|(?:\p{Lu}[\p{L}\p{M}\d_.'\u2019-]*,?[ \t]+){1,3}\[?\d{1,2}:\d{2}\b|(?!(?:at|by|until|till|from|to|around|about|after|before|since|between|and|or|on|of|in|approx|ca|then|til)\b)\p{Ll}[\p{L}\p{M}\d_.-]{0,30}[ \t]+\d{1,2}:\d{2}(?::\d{2})?[: \t])/gu,
    ' ',
  );
}

function pushParagraph(text: string, blocks: Block[]): void {
  if (text) blocks.push({ kind: 'paragraph', text });
}

function pushListItem(item: Tokens.ListItem, blocks: Block[]): void {
  const nestedLists = item.tokens.filter((token) => token.type === 'list');
  const ownText = item.tokens
    .filter((token) => token.type !== 'list')
    .map((token) => ('text' in token ? String(token.text) : ''))
    .join('\n');
  const checkbox = item.task ? (item.checked ? '[x] ' : '[ ] ') : '';
  const text = joinSoftBreaks(markdownInlineToText(ownText.replace(/^\[[ xX]\]\s*/, '')));
  if (text) blocks.push({ kind: 'list-item', text: checkbox + text });
  pushTokens(nestedLists, blocks);
}

/** Markdown the parser is not allowed to take: it would exhaust the stack or take minutes. */
export class TooComplexMarkdownError extends Error {}

/** Quote and list levels a line may open; real documents stay under ten. */
export const MAX_MARKDOWN_NESTING = 32;

/**
 * The deepest quote or list nesting any line opens: each '>' of a line's prefix and each list
 * marker in it is a level, and indentation in front of a marker counts a level per two spaces.
 * The Markdown lexer recurses once per level, so this bounds its stack and its time.
 */
export function markdownNestingDepth(source: string): number {
  let deepest = 0;
  const prefix = /^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+[ \t>]*)*/;
  for (const line of source.split('\n')) {
    const match = prefix.exec(line)?.[0];
    if (!match) continue;
    const quotes = match.split('>').length - 1;
    const markers = (match.match(/(?:^|[ \t>])(?:[-*+]|\d{1,9}[.)])(?=[ \t])/g) ?? []).length;
    const indent = markers > 0 ? Math.floor((/^[ \t]*/.exec(match)?.[0].replace(/\t/g, '    ').length ?? 0) / 2) : 0;
    deepest = Math.max(deepest, quotes + markers + indent);
  }
  return deepest;
}

/**
 * Lines that continue a quote without its '>' marker ("lazy" continuation). The Markdown lexer
 * lexes a quote again at each one, so its time grows with their number times the quote's length:
 * 30,000 alternating lines take minutes.
 */
export function lazyQuoteLines(source: string): number {
  let lazy = 0;
  let inQuote = false;
  for (const line of source.split('\n')) {
    if (!line.trim()) inQuote = false;
    else if (/^ {0,3}>/.test(line)) inQuote = true;
    else if (inQuote) lazy += 1;
  }
  return lazy;
}

/** Lazy quote lines times lines in the document the lexer may take (about a second of lexing). */
export const MAX_LAZY_QUOTE_WORK = 50_000_000;

export function parseMarkdown(source: string): ParsedDocument {
  const { metadata, body } = splitFrontMatter(source);
  const depth = markdownNestingDepth(body);
  if (depth > MAX_MARKDOWN_NESTING)
    throw new TooComplexMarkdownError(
      `the Markdown nests quotes or lists ${depth} levels deep (the limit is ${MAX_MARKDOWN_NESTING})`,
    );
  const lazy = lazyQuoteLines(body);
  const lines = body.split('\n').length;
  if (lazy * lines > MAX_LAZY_QUOTE_WORK) {
    throw new TooComplexMarkdownError(
      `the Markdown has ${lazy} lines that continue a quote without its ">" marker in ${lines} lines: too costly to parse (mark each quoted line with ">" or leave a blank line after a quote)`,
    );
  }
  const blocks: Block[] = [];
  let tokens: Token[];
  try {
    tokens = new Lexer({ gfm: true }).lex(body);
    pushTokens(tokens, blocks);
  } catch (error) {
    if (error instanceof RangeError)
      throw new TooComplexMarkdownError(`the Markdown is too deeply structured to parse (${error.message})`);
    throw error;
  }
  const firstLine = markdownInlineToText(body.split('\n').find((line) => line.trim()) ?? '');
  return { blocks: splitInlineLabels(blocks), metadata, ...(firstLine ? { firstLine } : {}) };
}
