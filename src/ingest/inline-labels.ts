import type { Block } from './blocks.ts';
import { isKnownLabel } from './section-roles.ts';

const LABEL_LINE =
  /^(?:\*\*|__)?([A-Za-z][A-Za-z0-9 /&'()-]{1,40}?)(?:\*\*|__)?\s*(?::|\u2014)(?:\*\*|__)?\s+(?:\*\*|__)?(.*)$/s;

/**
 * Many write-ups put a section on one line: "Root cause: the pool was too small". When a
 * paragraph starts with a known section label, split it into a heading and its text.
 */
export function splitInlineLabels(blocks: Block[]): Block[] {
  const result: Block[] = [];
  for (const block of blocks) {
    if (block.kind !== 'paragraph') {
      result.push(block);
      continue;
    }
    const match = LABEL_LINE.exec(block.text);
    const label = match?.[1]?.trim();
    if (match && label && isKnownLabel(label)) {
      result.push({ kind: 'heading', level: 6, text: label });
      const rest = (match[2] ?? '').trim();
      if (rest) result.push({ kind: 'paragraph', text: rest });
    } else {
      result.push(block);
    }
  }
  return result;
}
