/**
 * Regular expressions assembled from lists, so that a long cue list reads a few entries a line.
 * Every piece is a regular-expression literal of its own; only its source text is used, so the
 * assembled pattern is exactly the one the pieces spell.
 */

/** The pieces one after another: a long alternative written over several lines. */
export function sequence(...pieces: readonly RegExp[]): RegExp {
  return new RegExp(pieces.map((piece) => piece.source).join(''));
}

/** The source of the alternatives joined by `|`. */
export function alternation(alternatives: readonly RegExp[]): string {
  return alternatives.map((alternative) => alternative.source).join('|');
}

/** Any of the alternatives, as they are. */
export function anyOf(alternatives: readonly RegExp[], flags: string): RegExp {
  return new RegExp(alternation(alternatives), flags);
}

/**
 * A case-insensitive cue: `\b(alternatives)\b`. With `endBoundary: false` the alternatives may
 * end inside a word (`\b(alternatives)`), as stems and phrases of the longer lexicons do.
 */
export function wordCue(alternatives: readonly RegExp[], options: { endBoundary?: boolean } = {}): RegExp {
  const end = options.endBoundary === false ? '' : String.raw`\b`;
  return new RegExp(String.raw`\b(${alternation(alternatives)})${end}`, 'i');
}
