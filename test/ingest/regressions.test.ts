import { describe, expect, it } from 'vitest';
import { ingestBytes } from '../../src/ingest/index.ts';
import { documentIdOf } from '../../src/run/identity.ts';
import { findDate } from '../../src/ingest/dates.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('ingest regressions', () => {
  it('reads one-sentence JSON fields named after sections as sections, not metadata', () => {
    // Prepare
    const source =
      '{"title":"Queue backlog","root_cause":"The consumer crashed because of a bug.","impact":"Orders were delayed by two hours."}';

    // Act
    const outcome = ingestBytes(bytes(source), 'queue.json', 'queue');

    // Assess
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.postmortem.sections.map((section) => section.role)).toEqual(['root-cause', 'impact']);
  });

  it('never gives two paths the same id, even when one name is another with its extension spelled out', () => {
    // Act
    const ids = new Map(['a-txt.md', 'a.md', 'a.txt'].map((name) => [name, documentIdOf(name)]));

    // Assess
    expect(new Set(ids.values()).size).toBe(3);
  });

  it('does not split a sentence at a clock time, and knows hyphenated labels', () => {
    // Act
    const timed = ingestBytes(bytes('# T\n\nDetected at 10:02 UTC by a latency alert.\n'), 't.md', 't');
    const followUps = ingestBytes(bytes('# T\n\nFollow-ups: add an alert on queue depth.\n'), 'f.md', 'f');

    // Assess
    expect(timed.ok && timed.postmortem.text).toContain('Detected at 10:02 UTC by a latency alert.');
    expect(followUps.ok && followUps.postmortem.sections.map((section) => section.role)).toEqual(['action-items']);
  });

  it('refuses impossible calendar days and looks past them', () => {
    // Act and Assess
    expect(findDate('on 2025-02-31')).toBeNull();
    expect(findDate('build 0000-00-00 then on 2025-03-14')).toBe('2025-03-14');
    expect(findDate('2024-02-29 was a leap day')).toBe('2024-02-29');
  });
});
