/**
 * Chat exports pasted as plain lines: each message stays a line of its own, so a sentence never runs
 * from one speaker into the next. Every line here is invented.
 */
import { describe, expect, it } from 'vitest';
import { joinSoftBreaks } from '../../src/ingest/markdown.ts';
import { sentencesOf } from '../../src/text/sentences.ts';
import { ingestInline } from '../support/postmortems.ts';

const linesOf = (text: string): string[] => joinSoftBreaks(text).split('\n');

describe('chat lines stay apart', () => {
  it('keeps a message apart after a name in any script with a comma before the time', () => {
    expect(linesOf('Tomás Ruiz, 15:12: writes failing\nPiotr Wiśniewski, 15:18: that might be me')).toHaveLength(2);
    expect(linesOf('Ana, 09:01: paging\nÉlodie Brun, 09:02: on it')).toHaveLength(2);
  });

  it('keeps a message apart after a lower-case nick', () => {
    expect(linesOf('mira 16:02  api timing out\njonas 16:03  that is my change')).toHaveLength(2);
    expect(linesOf('mira 16:02: api timing out\njonas 16:03: that is my change')).toHaveLength(2);
  });

  it('still joins a wrapped line of prose that opens on a word before a time', () => {
    expect(joinSoftBreaks('We restarted the workers\nat 16:03 and the backlog cleared')).toBe(
      'We restarted the workers at 16:03 and the backlog cleared',
    );
    expect(joinSoftBreaks('The window ran from 15:45\nuntil 16:30 on Tuesday')).toBe(
      'The window ran from 15:45 until 16:30 on Tuesday',
    );
  });

  it('gives each message of a pasted thread its own sentence', () => {
    // Prepare
    const source = [
      'Incident room export',
      '',
      'Tomás Ruiz, 15:12: checkout errors on the orders table, started 14:50',
      'Ana Lindqvist, 15:13: that is write throttling. did capacity change?',
      'Tomás Ruiz, 15:14: no, provisioned is flat',
      '',
    ].join('\n');

    // Act
    const texts = sentencesOf(ingestInline(source, 'thread.txt'), { headings: false }).map((sentence) => sentence.text);

    // Assess: no sentence runs from one speaker into the next.
    expect(texts.some((text) => text.includes('14:50') && text.includes('Ana Lindqvist'))).toBe(false);
    expect(texts.some((text) => text.startsWith('Ana Lindqvist, 15:13'))).toBe(true);
  });
});
