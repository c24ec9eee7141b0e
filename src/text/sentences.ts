import type { Postmortem, SectionRole } from '../schemas/index.ts';

/** One quotable unit of a postmortem: a sentence of a paragraph or a whole list item. */
export interface SourceSentence {
  text: string;
  role: SectionRole;
  heading: string;
  sectionIndex: number;
  /** Position in the whole document, for keeping document order. */
  index: number;
  isListItem: boolean;
  isHeading: boolean;
}

const ABBREVIATIONS = /\b(?:e\.g|i\.e|etc|vs|approx|incl|min|max|no|fig|cf|mr|ms|dr|inc|ltd|co|jr|sr|st|ave|est|v)\.$/i;

/** Split a paragraph into sentences without breaking abbreviations, decimals, versions or URLs. */
export function splitSentences(paragraph: string): string[] {
  const sentences: string[] = [];
  const boundary = /([.!?]["')\]]?)\s+(?=["'([]?[A-Z0-9])/g;
  let start = 0;
  let match: RegExpExecArray | null;
  while ((match = boundary.exec(paragraph)) !== null) {
    const end = match.index + (match[1]?.length ?? 0);
    const candidate = paragraph.slice(start, end);
    if (ABBREVIATIONS.test(candidate) || /\b[A-Z]\.$/.test(candidate)) continue;
    if (candidate.trim()) sentences.push(candidate.trim());
    start = boundary.lastIndex;
  }
  const rest = paragraph.slice(start).trim();
  if (rest) sentences.push(rest);
  return sentences;
}

export interface SentenceOptions {
  /** Also yield each section heading as a unit of its own section. */
  headings?: boolean;
}

const memo = new WeakMap<Postmortem, { plain?: SourceSentence[]; withHeadings?: SourceSentence[] }>();

/** Every sentence of a postmortem's paragraphs and list items, tagged with its section; computed once per postmortem object. */
export function sentencesOf(postmortem: Postmortem, options: SentenceOptions = {}): SourceSentence[] {
  const entry = memo.get(postmortem) ?? {};
  memo.set(postmortem, entry);
  const slot = options.headings ? 'withHeadings' : 'plain';
  return (entry[slot] ??= splitPostmortem(postmortem, options));
}

function splitPostmortem(postmortem: Postmortem, options: SentenceOptions): SourceSentence[] {
  const result: SourceSentence[] = [];
  postmortem.sections.forEach((section, sectionIndex) => {
    const base = { role: section.role, heading: section.heading, sectionIndex };
    if (options.headings && section.heading.trim()) {
      result.push({ ...base, text: section.heading.trim(), index: result.length, isListItem: false, isHeading: true });
    }
    for (const line of section.text.split('\n')) {
      const trimmed = line.trim();
      if (!trimmed) continue;
      const isListItem = trimmed.startsWith('- ');
      for (const text of splitSentences(isListItem ? trimmed.slice(2).trim() : trimmed)) {
        if (text.replace(/[^A-Za-z0-9]/g, '').length < 2) continue;
        result.push({ ...base, text, index: result.length, isListItem, isHeading: false });
      }
    }
  });
  return result;
}
