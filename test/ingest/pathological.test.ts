/**
 * Inputs built to hurt the parsers: nesting deep enough to overflow the stack, 200,000-line
 * files, and single lines that make naive regular expressions backtrack for minutes. Each must
 * parse or be skipped with a reason, quickly, never crash.
 */
import { describe, expect, it } from 'vitest';
import { ingestBytes } from '../../src/ingest/index.ts';
import { markdownNestingDepth, MAX_MARKDOWN_NESTING } from '../../src/ingest/markdown.ts';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const NO_LIMIT = { maxBytes: Number.MAX_SAFE_INTEGER };

/**
 * What "quickly" means here. The failures these inputs guard against (a regular expression that
 * backtracks, a lexer that is quadratic in the lines) take minutes on them, while a sound parser takes
 * 0.4 to 3.2 s on an idle two-core machine, and 5.3 s was seen in CI with two test files running
 * side by side. The ceiling only has to tell seconds from minutes.
 */
const CEILING_MILLIS = 30_000;

function timed<T>(work: () => T): { value: T; millis: number } {
  const started = performance.now();
  const value = work();
  return { value, millis: performance.now() - started };
}

describe('ingest: pathological Markdown', () => {
  it('skips a quote nested 20,000 levels deep as too-complex instead of overflowing the stack', () => {
    // Prepare
    const bytes = encode(`# Incident\n\n${'>'.repeat(20_000)} the pool ran dry\n`);

    // Act
    const { value: outcome, millis } = timed(() => ingestBytes(bytes, 'deep.md', 'deep', NO_LIMIT));

    // Assess
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.skipped.code).toBe('too-complex');
    expect(outcome.skipped.reason).toMatch(/20000 levels deep \(the limit is 32\)/);
    expect(millis).toBeLessThan(CEILING_MILLIS);
  });

  it('skips a 200,000-line file of ever deeper list items as too-complex, fast', () => {
    // Prepare
    const source = Array.from({ length: 200_000 }, (_, index) => `${'  '.repeat(index % 80)}- step ${index}`).join(
      '\n',
    );

    // Act
    const { value: outcome, millis } = timed(() => ingestBytes(encode(source), 'lists.md', 'lists', NO_LIMIT));

    // Assess
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.skipped.code).toBe('too-complex');
    expect(millis).toBeLessThan(CEILING_MILLIS);
  });

  it('skips 200,000 lines alternating between a quote and its lazy continuation, which the lexer takes minutes over', () => {
    // Prepare
    const source = Array.from({ length: 200_000 }, (_, index) =>
      index % 2 ? `> quoted ${index}` : `reply ${index}`,
    ).join('\n');

    // Act
    const { value: outcome, millis } = timed(() => ingestBytes(encode(source), 'thread.md', 'thread', NO_LIMIT));

    // Assess
    expect(outcome.ok).toBe(false);
    if (!outcome.ok)
      expect(outcome.skipped).toMatchObject({
        code: 'too-complex',
        reason: expect.stringMatching(/continue a quote without its ">" marker/),
      });
    expect(millis).toBeLessThan(CEILING_MILLIS);
  });

  it('parses a 200,000-line postmortem of ordinary lines', () => {
    // Prepare
    const lines = Array.from({ length: 200_000 }, (_, index) =>
      index % 1000 === 0
        ? `\n## Timeline part ${index / 1000}\n`
        : `- 10:${String(index % 60).padStart(2, '0')} the queue grew to ${index} messages`,
    );
    const source = `# Queue backlog on 2025-02-03\n\n## Root cause\n\nThe consumer crashed.\n\n${lines.join('\n')}\n`;

    // Act
    const outcome = ingestBytes(encode(source), 'long.md', 'long', NO_LIMIT);

    // Assess
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.postmortem.date).toBe('2025-02-03');
    expect(outcome.postmortem.sections.some((section) => section.role === 'root-cause')).toBe(true);
  }, 30_000);

  it.each([
    ['100,000 "[a](b" with no closing parenthesis', '[a](b'.repeat(100_000)],
    ['200,000 opening brackets', '['.repeat(200_000)],
    ['50,000 unclosed tags', '<a'.repeat(50_000)],
  ])('reads a single line of %s in linear time', (_name, line) => {
    // Prepare
    const bytes = encode(`# Notes\n\n${line}\n`);

    // Act
    const { value: outcome, millis } = timed(() => ingestBytes(bytes, 'line.md', 'line', NO_LIMIT));

    // Assess
    expect(outcome.ok).toBe(true);
    expect(millis).toBeLessThan(CEILING_MILLIS);
  });

  it.each([
    [
      'HTML nested 100,000 elements deep',
      'deep.html',
      `<html><body>${'<div>'.repeat(100_000)}The cache fell over.${'</div>'.repeat(100_000)}</body></html>`,
    ],
    [
      'JSON nested 100,000 arrays deep',
      'deep.json',
      `{"title": "x", "body": ${'['.repeat(100_000)}"the cache fell over"${']'.repeat(100_000)}}`,
    ],
  ])('parses %s or skips it with a reason, never throws', (_name, file, source) => {
    // Prepare
    const bytes = encode(source);

    // Act
    const outcome = ingestBytes(bytes, file, 'deep', NO_LIMIT);

    // Assess
    if (!outcome.ok) expect(['too-complex', 'unparseable-html', 'unparseable-json']).toContain(outcome.skipped.code);
    else expect(outcome.postmortem.text.length).toBeGreaterThan(0);
  });

  it('counts nesting from quote markers, list markers and the indentation before a marker', () => {
    // Prepare
    const samples = [
      'plain text',
      '> quote',
      '> > quote',
      '- item',
      '    - nested item',
      '> - quoted item',
      '        indented code without a marker',
      `${'> '.repeat(40)}deep`,
    ];

    // Act
    const depths = samples.map(markdownNestingDepth);

    // Assess
    expect(depths).toEqual([0, 1, 2, 1, 3, 2, 0, 40]);
    expect(MAX_MARKDOWN_NESTING).toBe(32);
  });

  it('still turns links, images and emphasis into text', () => {
    // Prepare
    const source =
      '# T\n\nSee the [runbook](https://wiki/x "Runbook") and ![graph](g.png) and **bold** `code` <b>tag</b>.\n';

    // Act
    const outcome = ingestBytes(encode(source), 't.md', 't');

    // Assess
    expect(outcome.ok && outcome.postmortem.text).toContain(
      'See the runbook (https://wiki/x) and graph and bold code tag.',
    );
  });
});
