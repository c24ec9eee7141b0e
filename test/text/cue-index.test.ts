import { describe, expect, it } from 'vitest';
import { MECHANISMS } from '../../src/engines/offline/mechanisms.ts';
import { anchorsOf, CueIndex, wordsOf } from '../../src/text/cue-index.ts';
import { developmentSentences } from '../support/postmortems.ts';

const anchors = (source: string, flags = 'i') => {
  const found = anchorsOf(new RegExp(source, flags));
  return found === undefined ? undefined : [...found].sort();
};

describe('anchorsOf', () => {
  it('proves the words a match must start, choosing the tightest set', () => {
    expect(anchors(String.raw`\b(item|record)( \w+)? size`)).toEqual(['size']);
    expect(anchors(String.raw`no (canary|bake)`)).toEqual(['bake', 'canary']);
    expect(anchors(String.raw`\bmax(imum)?\b[^.]{0,30}\bsingle`)).toEqual(['single']);
    // Per alternative the longest certain words ("space" or "disk" over "out"), then their union.
    expect(anchors(String.raw`\b(disk|volume)s? (filled|full)|\bout of (space|disk)`)).toEqual([
      'disk',
      'space',
      'volume',
    ]);
  });

  it('lower-cases anchors whatever the flags: a lower-cased word is what the index looks up', () => {
    expect(anchors(String.raw`\bWAL\b`, '')).toEqual(['wal']);
  });

  it('proves nothing where no word start is certain', () => {
    // Optional text, or a word start only a lookbehind says (it lets "foo_bar" match "bar").
    expect(anchors(String.raw`(\S+\s+){0,2}foo`)).toBeUndefined();
    expect(anchors(String.raw`(?<![A-Za-z0-9])bar`)).toBeUndefined();
    expect(anchors(String.raw`\w*exception`)).toBeUndefined();
    // One alternative without an anchor leaves the whole pattern without one.
    expect(anchors(String.raw`\bcrash|\d+ ?x ?\d+`)).toBeUndefined();
    // Case folding with the u flag maps some non-ASCII letters to ASCII ones.
    expect(anchors(String.raw`\bkafka\b`, 'iu')).toBeUndefined();
  });

  it('takes a word start after a character that is never a word character, and not after one that may be', () => {
    expect(anchors(String.raw`[-\s]lag`)).toEqual(['lag']);
    expect(anchors(String.raw`[\s_]lag`)).toBeUndefined();
    expect(anchors(String.raw`[^.]lag`)).toBeUndefined();
  });
});

describe('CueIndex', () => {
  it('reads the words of a text as `\\b` sees them: ASCII word characters, underscores included', () => {
    expect([...wordsOf('The WAL_segment, réplica \u212Aredis')].sort()).toEqual(
      ['r', 'redis', 'plica', 'the', 'wal_segment'].sort(),
    );
  });

  it('never skips a cue that matches (glued words, non-ASCII neighbours, case)', () => {
    const patterns = [/\bredis\b/i, /\bsegment/i, /(?<![A-Za-z0-9])bar/i, /\bmax(imum)? size\b/i];
    const index = new CueIndex(patterns);
    const texts = ['foo_bar broke', '\u212Aredis fell over', 'WAL_SEGMENT gone', 'the MAXIMUM SIZE was hit'];
    for (const text of texts) {
      const possible = index.candidates(text);
      patterns.forEach((pattern, cue) => {
        if (pattern.test(text)) expect(possible[cue], `${pattern} on "${text}"`).toBe(1);
      });
    }
    expect(index.alwaysTested).toBe(1);
    expect([...index.candidates('nothing to see here')]).toEqual([0, 0, 1, 0]);
  });

  it('on real postmortems, leaves every matching mechanism cue and skips most of the others', () => {
    // Prepare: every sentence of five development sets, and every mechanism cue.
    const sentences = developmentSentences(['dev-a', 'dev-e', 'dev-k', 'dev-t', 'dev-u']);
    const patterns = MECHANISMS.flatMap((mechanism) => mechanism.cues.map(([pattern]) => pattern));
    const index = new CueIndex(patterns);

    // Act
    let matches = 0;
    let missed = 0;
    let tested = 0;
    for (const sentence of sentences) {
      const possible = index.candidates(sentence);
      patterns.forEach((pattern, cue) => {
        tested += possible[cue] ?? 0;
        if (!pattern.test(sentence)) return;
        matches += 1;
        if (possible[cue] !== 1) missed += 1;
      });
    }

    // Assess: sound, and worth having (under a tenth of the tests left).
    expect(sentences.length).toBeGreaterThan(5000);
    expect(matches).toBeGreaterThan(500);
    expect(missed).toBe(0);
    expect(tested / (sentences.length * patterns.length)).toBeLessThan(0.1);
  });
});
