/**
 * Where a quote sits in its document: the sentences that hold its span (not every sentence that
 * shares a word with it), and whether it overlaps a sentence addressed to a model.
 */
import { directiveSentencesOf } from '../ingest/directives.ts';
import type { Postmortem } from '../schemas/index.ts';
import { sentencesOf, type SourceSentence } from '../text/sentences.ts';
import { normalizedSentenceOf, normalizeForMatch } from './quotes.ts';

/** Most sentences a quote may run across. */
const MAX_SENTENCES_SPANNED = 8;

/** A quote segment as it is matched: normalized, without the quote marks and punctuation at its edges. */
export function segmentOf(text: string): string {
  return normalizeForMatch(text)
    .replace(/^["'([]+|["')\].,;:]+$/g, '')
    .trim();
}

/**
 * The sentences of a document that hold a quote segment: each sentence that contains all of it;
 * when none does (the quote runs across sentences), each shortest run of consecutive sentences
 * whose joined text contains it. A short sentence (a heading, a name) that the quote merely
 * contains is not selected on its own.
 */
export function sentencesHolding(postmortem: Postmortem, segment: string): SourceSentence[] {
  const wanted = segmentOf(segment);
  if (wanted.length === 0) return [];
  const all = sentencesOf(postmortem, { headings: true });
  const texts = all.map((sentence) => normalizedSentenceOf(postmortem, sentence.text));
  const whole = all.filter((_, index) => (texts[index] as string).includes(wanted));
  if (whole.length > 0) return whole;
  const held = new Set<SourceSentence>();
  for (let start = 0; start < all.length; start += 1) {
    let joined = texts[start] as string;
    for (let end = start + 1; end < Math.min(all.length, start + MAX_SENTENCES_SPANNED); end += 1) {
      joined = `${joined} ${texts[end] as string}`;
      if (!joined.includes(wanted)) continue;
      // Shortest runs only: the run holds the quote no more once its first sentence is dropped.
      if (
        !texts
          .slice(start + 1, end + 1)
          .join(' ')
          .includes(wanted)
      )
        for (let index = start; index <= end; index += 1) held.add(all[index] as SourceSentence);
      break;
    }
  }
  return [...held];
}

const directiveMemo = new WeakMap<Postmortem, string[]>();

/** The normalized directive sentences of a document: those ingest recorded, and those found again now. */
export function directiveTextsOf(postmortem: Postmortem): string[] {
  let found = directiveMemo.get(postmortem);
  if (!found) {
    found = [...directiveSentencesOf(postmortem)].map(segmentOf).filter((text) => text.length > 0);
    directiveMemo.set(postmortem, found);
  }
  return found;
}

/** Shortest shared edge (characters) that counts as a quote running into or out of a directive sentence. */
const MIN_EDGE_OVERLAP = 12;

function edgesOverlap(left: string, right: string): boolean {
  const limit = Math.min(left.length, right.length);
  for (let length = limit; length >= MIN_EDGE_OVERLAP; length -= 1)
    if (left.endsWith(right.slice(0, length)) || right.endsWith(left.slice(0, length))) return true;
  return false;
}

/** Whether a quote overlaps a sentence addressed to a model: it lies inside one, holds one, or runs into one. */
export function overlapsDirective(quote: string, postmortem: Postmortem): boolean {
  const directives = directiveTextsOf(postmortem);
  if (directives.length === 0) return false;
  const segments = normalizeForMatch(quote)
    .split(/\s*(?:\.\.\.|\u2026|\[\.\.\.\])\s*/)
    .map(segmentOf)
    .filter((segment) => segment.length >= 3);
  return segments.some((segment) =>
    directives.some(
      (directive) => directive.includes(segment) || segment.includes(directive) || edgesOverlap(segment, directive),
    ),
  );
}

/** The reason given for a quote that overlaps a directive sentence. */
export const DIRECTIVE_REASON = 'quote is an instruction addressed to a model';
