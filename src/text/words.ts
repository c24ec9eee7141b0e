/**
 * Content words of a sentence as crude stems: what the fold groups incidents by, what a theme
 * member's evidence must share with its theme (src/stages/themes.ts), and what the fault-category
 * word model reads. (src/trust/claims.ts keeps its own, shorter stems for claim support.)
 */
/** Words that carry no mechanism: function words, postmortem boilerplate, and time words. */
const STOPWORDS = new Set(
  `a about above after again against all also am an and any are as at be because been before being below between both
but by can could did do does doing down during each few for from further had has have having he her here hers him his
how i if in into is it its itself just me more most my no nor not now of off on once only or other our ours out over own
same she should so some such than that the their theirs them then there these they this those through to too under
until up very was we were what when where which while who whom why will with would you your yours yet via per
incident incidents outage root cause causes caused causing issue issues impact team teams service services customer
customers user users minutes minute hours hour seconds day days week weeks time times today yesterday morning night
around approximately about because since still later first second third one two three four five several many much
system systems production prod were was got get gets getting made make makes which whose into onto also then than`
    .split(/\s+/)
    .filter(Boolean),
);

/** Suffixes stemOf takes off, the first that fits. */
const SUFFIXES = ['ations', 'ation', 'ings', 'ing', 'ions', 'ion', 'ies', 'ied', 'ed', 'es', 's', 'ly'];

/** Crude stem: lower case, common suffixes off, so "exhausted" and "exhaustion" meet. */
export function stemOf(word: string): string {
  const lower = word.toLowerCase();
  for (const suffix of SUFFIXES)
    if (lower.length - suffix.length >= 4 && lower.endsWith(suffix)) return lower.slice(0, -suffix.length);
  return lower;
}

const WORD = /[a-z][a-z0-9]*/g;

/** The stems of a sentence's content words (no stopwords, no numbers, at least 3 letters). */
export function contentWordsOf(sentence: string): Set<string> {
  const words = new Set<string>();
  for (const word of sentence.toLowerCase().match(WORD) ?? []) {
    if (word.length < 3 || STOPWORDS.has(word)) continue;
    words.add(stemOf(word));
  }
  return words;
}

/**
 * The word a reader would see for each stem: the spelling the sentences use most often (the
 * shorter, then the first alphabetically, on a tie); a stem no sentence spells stays as it is.
 * Themes are grouped by stems but named in words ("scaling", not "scal").
 */
export function spellingsOf(stems: readonly string[], sentences: readonly string[]): string[] {
  const wanted = new Set(stems);
  const counts = new Map<string, Map<string, number>>();
  for (const sentence of sentences)
    for (const word of sentence.toLowerCase().match(WORD) ?? []) {
      const stem = stemOf(word);
      if (!wanted.has(stem)) continue;
      const spellings = counts.get(stem) ?? new Map<string, number>();
      spellings.set(word, (spellings.get(word) ?? 0) + 1);
      counts.set(stem, spellings);
    }
  return stems.map((stem) => {
    const spellings = [...(counts.get(stem) ?? [])];
    spellings.sort(
      (left, right) => right[1] - left[1] || left[0].length - right[0].length || left[0].localeCompare(right[0]),
    );
    return spellings[0]?.[0] ?? stem;
  });
}
