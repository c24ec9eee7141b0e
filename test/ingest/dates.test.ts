import { describe, expect, it } from 'vitest';
import { findDate, normalizeDate } from '../../src/ingest/dates.ts';

describe('findDate', () => {
  it.each([
    ['On March 14, 2025 checkout failed.', '2025-03-14'],
    ['Incident of 14 March 2025, written up later.', '2025-03-14'],
    ['Sept. 3rd, 2024: the broker filled its disk', '2024-09-03'],
    ['Started 2024-11-19T08:00Z and lasted an hour', '2024-11-19'],
    ['first 2023-01-05, then Feb 2, 2024', '2023-01-05'],
    ['first Feb 2, 2024, then 2023-01-05', '2024-02-02'],
  ])('finds the first date in %j', (text, expected) => {
    // Prepare
    const input = text;

    // Act
    const found = findDate(input);

    // Assess
    expect(found).toBe(expected);
  });

  it.each([
    ['no date here at all'],
    ['build 20250314 and version 1.2.3'],
    ['year 1890-01-01 is out of range'],
    ['2025-13-01 is not a month'],
  ])('returns null for %j', (text) => {
    // Prepare
    const input = text;

    // Act
    const found = findDate(input);

    // Assess
    expect(found).toBeNull();
  });
});

describe('normalizeDate', () => {
  it('accepts a Date, an ISO string or a written date and refuses other values', () => {
    // Prepare
    const values: unknown[] = [
      new Date('2025-03-14T12:00:00Z'),
      '2025-03-14',
      'March 14, 2025',
      20250314,
      undefined,
      'soon',
    ];

    // Act
    const normalized = values.map(normalizeDate);

    // Assess
    expect(normalized).toEqual(['2025-03-14', '2025-03-14', '2025-03-14', null, null, null]);
  });
});
