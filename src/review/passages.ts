/** Where a cited quote sits in its source: the smallest run of consecutive sentences that holds it. */
import type { Postmortem } from '../schemas/index.ts';
import { sentencesOf } from '../text/sentences.ts';
import { normalizeForMatch, quoteOccursIn } from '../trust/quotes.ts';

export interface SourcePassage {
  /** Heading of the section the passage starts in ("" before the first heading). */
  heading: string;
  text: string;
}

/** Longest run of sentences tried before falling back to whole paragraphs. */
const MAX_SENTENCES = 8;

/**
 * The passage of `postmortem` that contains `quote` (matched as the trust checks match quotes:
 * case, whitespace, quote marks and dashes aside, ellipses skipping text); null when it is not there.
 */
export function findSourcePassage(postmortem: Postmortem, quote: string): SourcePassage | null {
  if (!quoteOccursIn(quote, normalizeForMatch(postmortem.text))) return null;
  const sentences = sentencesOf(postmortem, { headings: true });
  const normalized = sentences.map((sentence) => normalizeForMatch(sentence.text));
  for (let size = 1; size <= MAX_SENTENCES; size += 1) {
    for (let start = 0; start + size <= sentences.length; start += 1) {
      if (!quoteOccursIn(quote, normalized.slice(start, start + size).join(' '))) continue;
      const first = sentences[start];
      const run = sentences.slice(start, start + size);
      return { heading: first?.heading ?? '', text: run.map((sentence) => sentence.text).join(' ') };
    }
  }
  for (const section of postmortem.sections) {
    for (const paragraph of section.text.split(/\n\s*\n/)) {
      if (quoteOccursIn(quote, normalizeForMatch(paragraph)))
        return { heading: section.heading, text: paragraph.replace(/\s+/g, ' ').trim() };
    }
    if (quoteOccursIn(quote, normalizeForMatch(section.text)))
      return { heading: section.heading, text: section.text.replace(/\s+/g, ' ').trim() };
  }
  return { heading: '', text: quote };
}
