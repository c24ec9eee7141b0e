import { describe, expect, it } from 'vitest';
import { MAX_TITLE_LENGTH, titleFromFileName } from '../../src/ingest/title.ts';
import { ingestInline } from '../support/postmortems.ts';

const BODY = 'The orders database refused connections for 20 minutes because its pool was exhausted.\n';

describe('document titles', () => {
  it.each([
    ['a leading H1', 'orders.md', `# Orders database outage\n\n## Summary\n\n${BODY}`, 'Orders database outage'],
    [
      'front matter',
      'orders.md',
      `---\ntitle: Orders database outage on a Friday\n---\n# Notes\n\n${BODY}`,
      'Orders database outage on a Friday',
    ],
    [
      'an H1 after a chat preamble',
      'orders.md',
      `pasted from #inc-orders, cleaned up a bit - raf\n\n# Orders database outage\n\n${BODY}`,
      'Orders database outage',
    ],
    [
      'the HTML <title>',
      'orders.html',
      `<html><head><title>INC-88 Orders database outage</title></head><body><h1>Notes</h1><p>${BODY}</p></body></html>`,
      'INC-88 Orders database outage',
    ],
    [
      'the first <h1> when there is no <title>',
      'orders.html',
      `<html><body><h1>Orders database outage</h1><p>${BODY}</p></body></html>`,
      'Orders database outage',
    ],
    [
      'a JSON title nested in a wrapper object',
      'orders.json',
      JSON.stringify({ postmortem: { id: 'PM-7', title: 'Orders database outage' }, summary: BODY }),
      'Orders database outage',
    ],
    [
      'a JSON "Title" key',
      'orders.json',
      JSON.stringify({ Title: 'Orders database outage', Summary: BODY }),
      'Orders database outage',
    ],
    [
      "an e-mail's subject, without Re:",
      'orders.txt',
      `From: Ana <ana@example.com>\nTo: eng@example.com\nSubject: RE: Orders database outage - summary\nDate: Tue, 2 Apr 2024 10:00:00 +0000\n\nHi all,\n\n${BODY}`,
      'Orders database outage - summary',
    ],
    [
      'the first line alone, not the lines joined to it',
      'orders.txt',
      `ORDERS PLATFORM — incident log — IR-41 "checkout hangs"\nscribe: T. Okafor\n\n${BODY}`,
      'ORDERS PLATFORM — incident log — IR-41 "checkout hangs"',
    ],
    [
      'a first line followed by a line of fields in lower case',
      'orders.txt',
      `2024-03-02 SEV2 orders database refusing writes, log by Tomas Okafor (UTC)\nchange window: orders-db maintenance\n\n${BODY}`,
      '2024-03-02 SEV2 orders database refusing writes, log by Tomas Okafor (UTC)',
    ],
    [
      'a first line without its preamble aside',
      'orders.txt',
      `Orders database outage notes (copied from the wiki, cleaned up)\n\n${BODY}`,
      'Orders database outage notes',
    ],
  ])('comes from %s', (_case, file, source, expected) => {
    expect(ingestInline(source, file).title).toBe(expected);
  });

  it.each([
    ['a chat preamble', 'pasted from #inc-orders-writes, cleaned up a bit — raf\n\n[10:02] ana: orders failing\n'],
    ['a forwarded-message banner', '---------- Forwarded message ---------\n\nThe orders database went down.\n'],
    [
      'a first sentence of the body',
      `writing this at 5am so forgive the state of it. full review on monday.\n\n${BODY}`,
    ],
    ['a first line that is a chat message', `[10:02] ana: orders failing for everyone\n[10:03] raf: looking\n`],
    [
      'the first line of a hard-wrapped sentence that goes on in lower case',
      'This is how the orders database stopped taking writes for an hour on Friday, told\nby the on-call engineer from the chat log.\n',
    ],
    [
      'the first line of a hard-wrapped sentence cut after a function word',
      'Written up by the payments team after the orders database refused writes on the\nmorning of 15 December.\n',
    ],
  ])('falls back to the file name instead of %s', (_case, source) => {
    expect(ingestInline(source, '2024-03-orders-db-outage.txt').title).toBe('2024-03 orders db outage');
  });

  it('keeps a title to at most 120 characters, cut at a word boundary', () => {
    // Prepare
    const long = `# ${'Orders database outage after the connection pool filled up '.repeat(4).trim()}\n\n${BODY}`;

    // Act
    const title = ingestInline(long, 'orders.md').title;

    // Assess
    expect(MAX_TITLE_LENGTH).toBe(120);
    expect(title.length).toBeLessThanOrEqual(120);
    expect(title).toMatch(/^Orders database outage after the connection pool filled up Orders/);
    expect(title).toMatch(/[a-z]…$/);
  });

  it.each([
    ['2024-03-orders-db-outage.txt', '2024-03 orders db outage'],
    ['payments_api_brownout.md', 'payments api brownout'],
    ['cases/2024-11-30-checkout.html', '2024-11-30 checkout'],
  ])('builds "%s" into "%s"', (file, expected) => {
    expect(titleFromFileName(file)).toBe(expected);
  });
});
