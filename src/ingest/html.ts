import { parse, NodeType, type HTMLElement, type Node } from 'node-html-parser';
import { cleanInline, type Block, type ParsedDocument } from './blocks.ts';
import { splitInlineLabels } from './inline-labels.ts';
import { messageOf } from '../errors.ts';

export class UnparseableHtmlError extends Error {}

const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'svg', 'head', 'iframe', 'object']);
const INLINE = new Set([
  'a',
  'b',
  'strong',
  'i',
  'em',
  'code',
  'span',
  'small',
  'sub',
  'sup',
  'mark',
  'u',
  's',
  'abbr',
  'time',
  'kbd',
  'var',
  'q',
  'cite',
  'font',
  'br',
  'img',
  'label',
]);

function tagOf(node: Node): string {
  return node.nodeType === NodeType.ELEMENT_NODE ? ((node as HTMLElement).tagName?.toLowerCase() ?? '') : '';
}

/** Text of a node with links written as "label (url)" so URLs remain visible. */
function nodeText(node: Node): string {
  if (node.nodeType === NodeType.TEXT_NODE) return node.text.replace(/\s+/g, ' ');
  if (node.nodeType !== NodeType.ELEMENT_NODE) return '';
  const element = node as HTMLElement;
  const tag = tagOf(element);
  if (SKIPPED.has(tag)) return '';
  if (tag === 'br') return '\n';
  const inner = element.childNodes.map(nodeText).join('');
  const href = tag === 'a' ? element.getAttribute('href') : undefined;
  if (href && /^(https?:|s3:|mailto:)/.test(href) && !inner.includes(href)) return `${inner} (${href})`;
  if (tag === 'td' || tag === 'th') return `${inner} | `;
  return INLINE.has(tag) ? inner : `${inner}\n`;
}

function pushParagraphs(text: string, blocks: Block[]): void {
  for (const paragraph of text.split(/\n{2,}/)) {
    const cleaned = cleanInline(paragraph);
    if (cleaned) blocks.push({ kind: 'paragraph', text: cleaned });
  }
}

/** Walk block-level structure: headings, list items and table rows become blocks of their own. */
function walk(element: HTMLElement, blocks: Block[]): void {
  let inlineRun = '';
  const flush = (): void => {
    pushParagraphs(inlineRun, blocks);
    inlineRun = '';
  };
  for (const child of element.childNodes) {
    const tag = tagOf(child);
    if (child.nodeType === NodeType.TEXT_NODE || INLINE.has(tag)) {
      inlineRun += nodeText(child);
      continue;
    }
    if (child.nodeType !== NodeType.ELEMENT_NODE || SKIPPED.has(tag)) continue;
    flush();
    const childElement = child as HTMLElement;
    const heading = /^h([1-6])$/.exec(tag);
    if (heading) {
      const text = cleanInline(nodeText(childElement)).replace(/\n+/g, ' ');
      if (text) blocks.push({ kind: 'heading', level: Number(heading[1]), text });
    } else if (tag === 'li') {
      const own = childElement.clone() as HTMLElement;
      for (const nested of own.querySelectorAll('ul, ol')) nested.remove();
      const text = cleanInline(nodeText(own)).replace(/\n+/g, ' ');
      if (text) blocks.push({ kind: 'list-item', text });
      for (const nested of childElement.querySelectorAll(':scope > ul, :scope > ol')) walk(nested, blocks);
    } else if (tag === 'tr') {
      const cells = childElement
        .querySelectorAll('td, th')
        .map((cell) => cleanInline(cell.childNodes.map(nodeText).join('')).replace(/\n+/g, ' '))
        .filter(Boolean);
      if (cells.length) blocks.push({ kind: 'list-item', text: cells.join(' | ') });
    } else if (tag === 'p' || tag === 'pre') {
      pushParagraphs(nodeText(childElement), blocks);
    } else {
      walk(childElement, blocks);
    }
  }
  flush();
}

export function parseHtml(source: string): ParsedDocument {
  if (!/<\s*[a-zA-Z][^>]*>/.test(source)) throw new UnparseableHtmlError('no HTML elements found');
  let root: HTMLElement;
  try {
    root = parse(source, {
      comment: false,
      blockTextElements: { script: false, style: false, noscript: false, pre: true },
    });
  } catch (error) {
    throw new UnparseableHtmlError(messageOf(error));
  }
  const metadata: Record<string, unknown> = {};
  const title = cleanInline(root.querySelector('title')?.text ?? '');
  if (title) metadata.title = title;
  for (const meta of root.querySelectorAll('meta[name]')) {
    const name = meta.getAttribute('name')?.toLowerCase();
    const content = meta.getAttribute('content');
    if (name && content && ['date', 'severity', 'author', 'description'].includes(name)) metadata[name] = content;
  }
  const blocks: Block[] = [];
  walk(root.querySelector('body') ?? root, blocks);
  if (blocks.length === 0) throw new UnparseableHtmlError('the HTML holds no readable text');
  return { blocks: splitInlineLabels(blocks), metadata };
}
