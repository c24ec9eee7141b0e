import type { Section } from '../schemas/index.ts';
import type { Block, ParsedDocument } from './blocks.ts';
import { findDate, normalizeDate } from './dates.ts';
import { AFTERWORD_ROLES, qualifiesItsRole, roleOfHeading } from './section-roles.ts';
import { cleanTitle, mailSubject, titleFromFileName, titleOfLine, withoutPreamble } from './title.ts';

export interface AssembledDocument {
  title: string;
  date: string | null;
  text: string;
  sections: Section[];
}

/** A heading that names a section ("Summary", "Root cause") rather than the document. */
function namesSection(block: Block | undefined): boolean {
  return block?.kind === 'heading' && roleOfHeading(block.text) !== 'other' && block.text.length <= 30;
}

/** Blocks a preamble may take before the heading that titles the document. */
const MAX_PREAMBLE_BLOCKS = 2;

/**
 * The title a document's opening gives when it has no title field nor leading H1/H2: a deeper
 * heading that names no section, an e-mail's subject, a lone first line that reads as a title,
 * or a heading after a short opening (an H1, or an H2 after a preamble such as "pasted from
 * #inc-orders, cleaned up"). Never a sentence of the body.
 */
function openingTitle(blocks: readonly Block[], firstLine: string | undefined): string | undefined {
  const first = blocks[0];
  if (first?.kind === 'heading') return namesSection(first) ? undefined : withoutPreamble(first.text);
  if (first?.kind !== 'paragraph') return undefined;
  const subject = mailSubject(first.text);
  if (subject) return subject;
  const line = firstLine && first.text.startsWith(firstLine) ? firstLine : first.text;
  const lineTitle = titleOfLine(line);
  if (lineTitle) return lineTitle;
  const headingAt = blocks.findIndex((block) => block.kind !== 'paragraph');
  const heading = blocks[headingAt];
  if (heading?.kind !== 'heading' || headingAt > MAX_PREAMBLE_BLOCKS || namesSection(heading)) return undefined;
  const afterPreamble = heading.level <= 2 && withoutPreamble(line) === undefined;
  return heading.level === 1 || afterPreamble ? withoutPreamble(heading.text) : undefined;
}

/**
 * Turn parsed blocks into normalized text and sections. A sub-heading that names no role inherits
 * its parent's role. A leading heading that names no section role is dropped from the text; the
 * title is, in order: the metadata's title (front matter, JSON, HTML <title>), that heading, the
 * opening's title (`openingTitle`), or one made of the file name; never a preamble, at most
 * `MAX_TITLE_LENGTH` characters.
 */
export function assemble(parsed: ParsedDocument, fileName: string): AssembledDocument {
  const blocks = [...parsed.blocks];
  const metadataTitle = typeof parsed.metadata.title === 'string' ? withoutPreamble(parsed.metadata.title.trim()) : '';
  let headingTitle: string | undefined;
  const first = blocks[0];
  if (first?.kind === 'heading' && first.level <= 2 && !namesSection(first)) {
    headingTitle = withoutPreamble(first.text);
    blocks.shift();
  }
  const title = cleanTitle(
    metadataTitle || headingTitle || openingTitle(blocks, parsed.firstLine) || titleFromFileName(fileName),
  );
  // A document does not open with what came after its story: an opening heading that qualifies a
  // follow-up, lessons or references ("CAB follow-up", "Incident retrospective") names the kind of
  // document, and the text under it is the document's opening, not a list of follow-ups. A bare
  // label ("Follow-ups:", "Action items") is the section it names, even first in a terse note.
  const start = blocks[0];
  const opening =
    start?.kind === 'heading' && AFTERWORD_ROLES.has(roleOfHeading(start.text)) && qualifiesItsRole(start.text)
      ? start
      : undefined;
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
      let role = block === opening ? current.role : roleOfHeading(block.text);
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
  const date = normalizeDate(parsed.metadata.date) ?? findDate(`${title}\n${text.slice(0, 4000)}`);
  return { title, date, text, sections: sections.filter((section) => section.text.trim() || section.heading) };
}
