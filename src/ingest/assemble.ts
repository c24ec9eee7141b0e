import type { Section } from '../schemas/index.ts';
import type { ParsedDocument } from './blocks.ts';
import { findDate, normalizeDate } from './dates.ts';
import { roleOfHeading } from './section-roles.ts';

export interface AssembledDocument {
  title: string;
  date: string | null;
  text: string;
  sections: Section[];
}

/**
 * Turn parsed blocks into normalized text and sections. A leading heading that names no
 * section role is the title; a sub-heading that names no role inherits its parent's role.
 */
export function assemble(parsed: ParsedDocument, fallbackTitle: string): AssembledDocument {
  const blocks = [...parsed.blocks];
  let title = typeof parsed.metadata.title === 'string' ? parsed.metadata.title.trim() : '';
  const first = blocks[0];
  const namesSection = first?.kind === 'heading' && roleOfHeading(first.text) !== 'other' && first.text.length <= 30;
  if (first?.kind === 'heading' && first.level <= 2 && !namesSection) {
    if (!title) title = first.text;
    blocks.shift();
  }
  const sections: Section[] = [];
  const lines: string[] = [];
  const roleStack: Array<{ level: number; role: Section['role'] }> = [];
  let current: { heading: string; role: Section['role']; parts: string[] } = {
    heading: '',
    role: 'summary',
    parts: [],
  };
  const close = (): void => {
    if (current.parts.length > 0 || current.heading) {
      sections.push({ heading: current.heading, role: current.role, text: current.parts.join('\n') });
    }
  };
  for (const block of blocks) {
    if (block.kind === 'heading') {
      close();
      while (roleStack.length > 0 && (roleStack[roleStack.length - 1]?.level ?? 0) >= block.level) roleStack.pop();
      let role = roleOfHeading(block.text);
      if (role === 'other' && roleStack.length > 0) role = roleStack[roleStack.length - 1]?.role ?? 'other';
      roleStack.push({ level: block.level, role });
      current = { heading: block.text, role, parts: [] };
      lines.push('', block.text, '');
    } else {
      const line = block.kind === 'list-item' ? `- ${block.text}` : block.text;
      current.parts.push(line);
      lines.push(line);
    }
  }
  close();
  const text = lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  if (!title)
    title =
      text
        .split('\n')
        .find((line) => line.trim())
        ?.slice(0, 120) ?? fallbackTitle;
  const date = normalizeDate(parsed.metadata.date) ?? findDate(`${title}\n${text.slice(0, 4000)}`);
  return { title, date, text, sections: sections.filter((section) => section.text.trim() || section.heading) };
}
