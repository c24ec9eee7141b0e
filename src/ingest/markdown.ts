import { Lexer, type Token, type Tokens } from 'marked';
import { cleanInline, type Block, type ParsedDocument } from './blocks.ts';
import { splitFrontMatter } from './front-matter.ts';
import { splitInlineLabels } from './inline-labels.ts';

/** Inline Markdown to plain text; link targets are kept in parentheses so a URL stays visible. */
export function markdownInlineToText(text: string): string {
  return cleanInline(
    text
      .replace(/!\[([^\]]*)\]\(([^)]*)\)/g, '$1')
      .replace(/\[([^\]]+)\]\(([^)\s]+)[^)]*\)/g, (_all, label: string, url: string) => (label === url ? url : `${label} (${url})`))
      .replace(/<(https?:\/\/[^>]+)>/g, '$1')
      .replace(/(\*\*|__)(.+?)\1/g, '$2')
      .replace(/(^|[\s(])[*_]([^*_\n]+)[*_](?=[\s).,;:!?]|$)/g, '$1$2')
      .replace(/~~(.+?)~~/g, '$1')
      .replace(/`([^`]+)`/g, '$1')
      .replace(/<\/?[a-zA-Z][^>]*>/g, ''),
  );
}

function pushTokens(tokens: Token[], blocks: Block[]): void {
  for (const token of tokens) {
    switch (token.type) {
      case 'heading':
        blocks.push({ kind: 'heading', level: (token as Tokens.Heading).depth, text: markdownInlineToText(token.text) });
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

/** Hard-wrapped lines of one paragraph are one text; a line that starts a timestamped entry stays apart. */
export function joinSoftBreaks(text: string): string {
  return text.replace(/\n(?!\[?\d{1,2}:\d{2})/g, ' ');
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

export function parseMarkdown(source: string): ParsedDocument {
  const { metadata, body } = splitFrontMatter(source);
  const blocks: Block[] = [];
  pushTokens(new Lexer({ gfm: true }).lex(body), blocks);
  return { blocks: splitInlineLabels(blocks), metadata };
}
