import { describe, expect, it } from 'vitest';
import { rememberRecent } from '../../src/text/recent.ts';

describe('rememberRecent', () => {
  it('computes a text once while it is remembered', () => {
    // Prepare
    const calls: string[] = [];
    const length = rememberRecent((text) => {
      calls.push(text);
      return text.length;
    });

    // Act
    const answers = [length('redis'), length('redis'), length('kafka')];

    // Assess
    expect(answers).toEqual([5, 5, 5]);
    expect(calls).toEqual(['redis', 'kafka']);
  });

  it('never holds more than its limit: it starts over when full', () => {
    // Prepare
    const calls: string[] = [];
    const upper = rememberRecent((text) => {
      calls.push(text);
      return text.toUpperCase();
    }, 2);

    // Act
    for (const text of ['a', 'b', 'c', 'a']) upper(text);

    // Assess: 'c' found the memo full and emptied it, so 'a' is computed again.
    expect(calls).toEqual(['a', 'b', 'c', 'a']);
  });

  it('remembers an undefined answer too', () => {
    // Prepare
    let calls = 0;
    const nothing = rememberRecent((): undefined => {
      calls += 1;
      return undefined;
    });

    // Act
    nothing('x');
    nothing('x');

    // Assess
    expect(calls).toBe(1);
  });
});
