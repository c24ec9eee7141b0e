/**
 * Deterministic checks of verbatim quotes against a document: whitespace, quote marks, dashes and
 * case are normalized; a quote may skip text with an ellipsis ("..." or "…"), its segments then
 * appearing in order.
 */
import { rememberRecent } from '../text/recent.ts';

/** Text reduced to what a quote must match: lower case, straight quotes, plain dashes, single spaces. */
export function normalizeForMatch(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u201A\u201B\u2032`]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\*\*|__/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const ELLIPSIS = /\s*(?:\.\.\.|\u2026|\[\.\.\.\])\s*/;

/** Shortest segment worth checking; shorter ones ("a", "of") would match anywhere. */
const MIN_SEGMENT_LENGTH = 3;

/** A quote's normalized segments, remembered for recent quotes: the guard and the verifier check the same ones. */
const segmentsOf = rememberRecent((quote: string): readonly string[] =>
  normalizeForMatch(quote)
    .split(ELLIPSIS)
    .map((segment) => segment.replace(/^["'([]+|["')\].,;:]+$/g, '').trim())
    .filter((segment) => segment.length > 0),
);

/** True when every ellipsis-separated segment of the quote occurs in the source, in order. */
export function quoteOccursIn(quote: string, normalizedSource: string): boolean {
  const segments = segmentsOf(quote);
  if (segments.length === 0) return false;
  if (segments.every((segment) => segment.length < MIN_SEGMENT_LENGTH)) return false;
  let from = 0;
  for (const segment of segments) {
    const at = normalizedSource.indexOf(segment, from);
    if (at < 0) return false;
    from = at + segment.length;
  }
  return true;
}

const normalizedDocuments = new WeakMap<object, { text: string; sentences: Map<string, string> }>();

/** The normalized text of a document, computed once per document object. */
export function normalizedTextOf(document: { text: string }): string {
  let entry = normalizedDocuments.get(document);
  if (!entry) {
    entry = { text: normalizeForMatch(document.text), sentences: new Map() };
    normalizedDocuments.set(document, entry);
  }
  return entry.text;
}

/** A sentence of a document, normalized, memoized per document. */
export function normalizedSentenceOf(document: { text: string }, sentence: string): string {
  normalizedTextOf(document);
  const sentences = (normalizedDocuments.get(document) as { sentences: Map<string, string> }).sentences;
  let normalized = sentences.get(sentence);
  if (normalized === undefined) {
    normalized = normalizeForMatch(sentence);
    sentences.set(sentence, normalized);
  }
  return normalized;
}
