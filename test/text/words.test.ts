import { describe, expect, it } from 'vitest';
import { contentWordsOf, spellingsOf, stemOf } from '../../src/text/words.ts';

describe('spellingsOf', () => {
  it('names each stem with the spelling the sentences use most', () => {
    const sentences = [
      'Auto scaling stopped at the maximum the group was provisioned for.',
      'Scaling was capped; nobody had raised the maximum after the spring sale.',
      'The table stayed provisioned for last year and scaled too late.',
    ];
    const stems = [stemOf('scaling'), stemOf('provisioned'), stemOf('maximum')];
    expect(stems[0]).not.toBe('scaling'); // the stem itself is not a word a reader would see
    expect(spellingsOf(stems, sentences)).toEqual(['scaling', 'provisioned', 'maximum']);
  });

  it('prefers the shorter spelling on a tie and keeps a stem no sentence spells', () => {
    const [stem] = [...contentWordsOf('blocked')];
    expect(spellingsOf([stem as string, 'zzzq'], ['Writes blocked.', 'Blocks piled up.'])).toEqual(['blocks', 'zzzq']);
  });
});
