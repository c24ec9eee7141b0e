import { describe, expect, it } from 'vitest';
import { roleOfHeading } from '../../src/ingest/section-roles.ts';

describe('roleOfHeading', () => {
  it('reads the role from the heading, not from a parenthesised aside', () => {
    expect(roleOfHeading('22 Sep - Search backups not being taken (no customer impact)')).toBe('other');
    expect(roleOfHeading('Timeline (UTC)')).toBe('timeline');
    expect(roleOfHeading('Impact (customers and partners)')).toBe('impact');
  });

  it('keeps an aside that is all the heading has', () => {
    expect(roleOfHeading('(Root cause)')).toBe('root-cause');
  });
});
