import { describe, expect, it } from 'vitest';
import { roleOfHeading } from '../../src/ingest/section-roles.ts';
import { ingestInline } from '../support/postmortems.ts';

describe('roleOfHeading', () => {
  it('reads the role from the heading, not from a parenthesised aside', () => {
    expect(roleOfHeading('22 Sep - Search backups not being taken (no customer impact)')).toBe('other');
    expect(roleOfHeading('Timeline (UTC)')).toBe('timeline');
    expect(roleOfHeading('Impact (customers and partners)')).toBe('impact');
  });

  it('keeps an aside that is all the heading has', () => {
    expect(roleOfHeading('(Root cause)')).toBe('root-cause');
  });

  it('reads the plain-language labels of an e-mail summary', () => {
    // Act / Assess: what each label introduces, as a reader of the mail would take it.
    expect(roleOfHeading('What broke')).toBe('root-cause');
    expect(roleOfHeading('What failed:')).toBe('root-cause');
    expect(roleOfHeading('Why it happened')).toBe('root-cause');
    expect(roleOfHeading('What you saw')).toBe('impact');
    expect(roleOfHeading('What customers noticed')).toBe('impact');
    expect(roleOfHeading('What we did')).toBe('resolution');
    expect(roleOfHeading('What we will do')).toBe('action-items');
    expect(roleOfHeading("What we're going to do")).toBe('action-items');
  });

  it('reads references from whole words, not from inside another word', () => {
    expect(roleOfHeading('July: notification preferences reset for 12,600 customers')).not.toBe('references');
    expect(roleOfHeading('Unrelated hardware alarms')).not.toBe('references');
    expect(roleOfHeading('Related incidents')).toBe('references');
    expect(roleOfHeading('Links')).toBe('references');
    expect(roleOfHeading('References')).toBe('references');
  });

  it('reads a technical appendix as the technical account it is, a bare appendix as references', () => {
    // A public apology often tells the mechanism only in its "Technical appendix".
    expect(roleOfHeading('Technical appendix')).toBe('root-cause');
    expect(roleOfHeading('Appendix: technical details')).toBe('root-cause');
    expect(roleOfHeading('Appendix')).toBe('references');
  });

  it('keeps "what we did well" a lesson, not the resolution', () => {
    expect(roleOfHeading('What we did well')).toBe('lessons');
  });
});

describe('roleOfHeading: sections that clear things', () => {
  it.each(['Not causes', 'Non-causes', 'Not the cause', "What it wasn't", 'NOT IT'])(
    'gives "%s" no cause role',
    (heading) => {
      expect(roleOfHeading(heading)).toBe('other');
    },
  );

  it('still reads "Causes" and "Contributing causes" as cause sections', () => {
    expect(roleOfHeading('Causes')).toBe('root-cause');
    expect(roleOfHeading('Contributing causes')).not.toBe('other');
  });
});

describe('an opening heading that names what comes after a story', () => {
  const rolesOf = (source: string) =>
    ingestInline(source, 'review.md').sections.map((section) => [section.heading, section.role]);

  it('names the kind of document ("CAB follow-up", "Incident retrospective"): the text under it is the opening', () => {
    // Prepare: invented documents whose first line is such a label
    const followUp = `**CAB follow-up — CHG-4410 "Shorter commit waits"**\n\nThe change lowered a timeout on the ledger hosts, and the primary stopped waiting for its replicas.\n`;
    const retro = `## Incident retrospective\n\nThe nightly export filled the disk of the reporting host.\n\n## Follow-ups\n\n- Rotate the export files.\n`;

    // Act / Assess
    expect(rolesOf(followUp)).toEqual([['CAB follow-up', 'summary']]);
    expect(rolesOf(retro)).toEqual([
      ['Incident retrospective', 'summary'],
      ['Follow-ups', 'action-items'],
    ]);
  });

  it('keeps a bare label its role, first in a terse note or after the story has begun', () => {
    expect(rolesOf('Follow-ups: add an alert on queue depth.\n')).toEqual([['Follow-ups', 'action-items']]);
    const source = `The nightly export filled the disk of the reporting host.\n\n## Follow-ups\n\n- Rotate the export files.\n`;
    expect(rolesOf(source)).toEqual([
      ['', 'summary'],
      ['Follow-ups', 'action-items'],
    ]);
  });
});
