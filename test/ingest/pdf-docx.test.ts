/**
 * PDF and DOCX ingestion on real files the tests generate: PDFs printed by headless Chromium
 * (with and without its running header and footer), and .docx archives written part by part.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatOf, ingestBytes, ingestFile, ingestSource, type IngestOutcome } from '../../src/ingest/index.ts';
import type { Postmortem } from '../../src/schemas/index.ts';
import { printPdfs } from './chromium-pdf.ts';
import { buildDocx, zipStored } from './docx-writer.ts';

const TIMELINE_ROWS = Array.from(
  { length: 60 },
  (_, index) =>
    `<li>${String(10 + Math.floor(index / 6)).padStart(2, '0')}:${String((index % 6) * 10).padStart(2, '0')} Step ${index + 1}: the on-call engineer checked PgBouncer pool saturation and replica lag again.</li>`,
).join('\n');

/** A postmortem as a Confluence page prints: title, sections as h2, lists, long enough for three pages. */
const POSTMORTEM_HTML = `<!doctype html><html><head><meta charset="utf-8"><title>INC-2291 Checkout outage</title>
<style>body { font-family: serif; font-size: 12pt; } h1 { font-size: 24pt; } h2 { font-size: 18pt; }</style></head><body>
<h1>Checkout outage on 2025-04-02</h1>
<h2>Summary</h2>
<p>Checkout requests failed for 40 minutes because the PostgreSQL connection pool was exhausted. This paragraph is long enough to wrap over more than one line of the printed page, as real postmortem paragraphs do.</p>
<h2>Root cause</h2>
<p>A deploy raised the worker count from 8 to 32 without raising max_connections, so PgBouncer queued clients until checkout timed out.</p>
<h2>Impact</h2>
<p>About 12,000 customers could not pay; 3,100 orders were lost.</p>
<h2>Timeline</h2>
<ul>${TIMELINE_ROWS}</ul>
<h2>Action items</h2>
<ol><li>Alert on pool saturation above 80 percent.</li><li>Load-test every change of pool size before it ships.</li></ol>
</body></html>`;

/** Text set at one size, with section names as short lines of their own, as plain exports print. */
const PLAIN_HTML = `<!doctype html><html><head><meta charset="utf-8"><title>notes</title><style>body { font-size: 12pt; } p { margin: 0 0 12pt 0; }</style></head><body>
<p>Search index went read-only on 29 July 2025</p>
<p>Summary</p>
<p>Six data nodes crossed the Elasticsearch flood-stage disk watermark and the live index was blocked.</p>
<p>Root cause</p>
<p>A reindex ran while an old index and an over-retained events index were still on the hot nodes.</p>
<p>Action items</p>
<p>Refuse to start a reindex without 25 percent disk headroom.</p>
</body></html>`;

/** No text at all: an image, as a scanner produces. */
const SCANNED_HTML = `<!doctype html><html><body style="margin:0">
<img alt="" width="600" height="800" src="data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="600" height="800"><rect width="600" height="800" fill="#eee"/><rect x="50" y="60" width="500" height="14" fill="#333"/><rect x="50" y="90" width="420" height="10" fill="#555"/></svg>').toString('base64')}">
</body></html>`;

function postmortemOf(outcome: IngestOutcome): Postmortem {
  if (!outcome.ok)
    throw new Error(`expected the file to be ingested, got ${outcome.skipped.code}: ${outcome.skipped.reason}`);
  return outcome.postmortem;
}

function sectionText(postmortem: Postmortem, role: string): string {
  return postmortem.sections
    .filter((section) => section.role === role)
    .map((section) => section.text)
    .join('\n');
}

describe('ingest: PDF printed by Chromium', () => {
  let folder: string;
  const files: Record<string, string> = {};

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'pmlens-pdf-'));
    Object.assign(
      files,
      await printPdfs(folder, [
        { name: 'postmortem', html: POSTMORTEM_HTML, headerFooter: true },
        { name: 'plain', html: PLAIN_HTML },
        { name: 'scanned', html: SCANNED_HTML },
      ]),
    );
  }, 120_000);

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('is recognised by its extension', () => {
    // Prepare
    const paths = ['a.pdf', 'B.PDF', 'c.docx', 'd.doc'];

    // Act
    const formats = paths.map(formatOf);

    // Assess
    expect(formats).toEqual(['pdf', 'pdf', 'docx', undefined]);
  });

  it('keeps the title, the date and every section heading with its role', async () => {
    // Prepare
    const bytes = new Uint8Array(await readFile(files.postmortem as string));

    // Act
    const postmortem = postmortemOf(await ingestSource(bytes, 'exports/checkout.pdf', 'checkout'));

    // Assess
    expect(postmortem.format).toBe('pdf');
    expect(postmortem.title).toBe('Checkout outage on 2025-04-02');
    expect(postmortem.date).toBe('2025-04-02');
    expect(postmortem.sections.map((section) => [section.heading, section.role])).toEqual([
      ['Summary', 'summary'],
      ['Root cause', 'root-cause'],
      ['Impact', 'impact'],
      ['Timeline', 'timeline'],
      ['Action items', 'action-items'],
    ]);
    expect(sectionText(postmortem, 'root-cause')).toContain(
      'raised the worker count from 8 to 32 without raising max_connections',
    );
    expect(sectionText(postmortem, 'action-items')).toContain(
      '- Alert on pool saturation above 80 percent.\n- Load-test every change of pool size before it ships.',
    );
  });

  it('joins wrapped lines into one paragraph and drops the running header and footer of every page', async () => {
    // Prepare
    const bytes = new Uint8Array(await readFile(files.postmortem as string));

    // Act
    const postmortem = postmortemOf(await ingestSource(bytes, 'checkout.pdf', 'checkout'));

    // Assess
    expect(sectionText(postmortem, 'summary')).toContain(
      'This paragraph is long enough to wrap over more than one line of the printed page, as real postmortem paragraphs do.',
    );
    expect(postmortem.text).not.toMatch(/file:\/\//);
    expect(postmortem.text).not.toMatch(/INC-2291 Checkout outage/);
    expect(sectionText(postmortem, 'timeline')).toContain('Step 60: the on-call engineer');
  });

  it('finds section headings set at body size by their names', async () => {
    // Prepare
    const bytes = new Uint8Array(await readFile(files.plain as string));

    // Act
    const postmortem = postmortemOf(await ingestSource(bytes, 'plain.pdf', 'plain'));

    // Assess
    expect(postmortem.date).toBe('2025-07-29');
    expect(postmortem.sections.map((section) => section.role)).toEqual(
      expect.arrayContaining(['summary', 'root-cause', 'action-items']),
    );
    expect(sectionText(postmortem, 'root-cause')).toBe(
      'A reindex ran while an old index and an over-retained events index were still on the hot nodes.',
    );
  });

  it('skips a scanned PDF (pages without a text layer) with no-text-layer and a reason that says what to do', async () => {
    // Prepare
    const bytes = new Uint8Array(await readFile(files.scanned as string));

    // Act
    const outcome = await ingestSource(bytes, 'scan.pdf', 'scan');

    // Assess
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.skipped).toMatchObject({ path: 'scan.pdf', code: 'no-text-layer' });
    expect(outcome.skipped.reason).toMatch(/1 page but no text layer/);
    expect(outcome.skipped.reason).toMatch(/OCR/);
  });

  it('skips a damaged PDF as unparseable-pdf, and reads a PDF from disk through ingestFile', async () => {
    // Prepare
    const good = await readFile(files.postmortem as string);
    await writeFile(path.join(folder, 'torn.pdf'), good.subarray(0, 400));

    // Act
    const torn = await ingestFile(folder, 'torn.pdf', 'torn');
    const fromDisk = await ingestFile(folder, 'postmortem.pdf', 'pm');

    // Assess
    expect(torn.ok).toBe(false);
    if (!torn.ok) expect(torn.skipped.code).toBe('unparseable-pdf');
    expect(postmortemOf(fromDisk).contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('says so when the synchronous ingestBytes is given a PDF', () => {
    // Prepare
    const bytes = new TextEncoder().encode('%PDF-1.4\n');

    // Act
    const outcome = ingestBytes(bytes, 'a.pdf', 'a');

    // Assess
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.skipped.reason).toMatch(/ingestSource/);
  });
});

describe('ingest: DOCX', () => {
  it('reads Title, Heading 1 and Heading 2 styles as the title and sections, and tables as rows', async () => {
    // Prepare
    const bytes = buildDocx([
      { style: 'Title', text: 'Payments API brownout – 14 March 2025' },
      { style: 'Heading1', text: 'Summary' },
      { text: 'Card payments failed for 25 minutes after a certificate on the payment gateway expired.' },
      { style: 'Heading1', text: 'Root cause' },
      { text: 'The certificate was renewed by hand every year and the reminder went to a former employee.' },
      { style: 'Heading2', text: 'Why it was not caught' },
      { text: 'No alert watched certificate expiry.' },
      { style: 'Heading1', text: 'Timeline' },
      {
        table: [
          ['Time', 'Event'],
          ['09:02', 'Gateway starts refusing TLS handshakes'],
          ['09:27', 'New certificate installed'],
        ],
      },
      { style: 'Heading1', text: 'Action items' },
      { style: 'ListParagraph', text: 'Automate renewal with ACME.' },
    ]);

    // Act
    const postmortem = postmortemOf(await ingestSource(bytes, 'gdocs/payments.docx', 'payments'));

    // Assess
    expect(postmortem.format).toBe('docx');
    expect(postmortem.title).toBe('Payments API brownout – 14 March 2025');
    expect(postmortem.date).toBe('2025-03-14');
    expect(postmortem.sections.map((section) => [section.heading, section.role])).toEqual([
      ['Summary', 'summary'],
      ['Root cause', 'root-cause'],
      ['Why it was not caught', 'detection'],
      ['Timeline', 'timeline'],
      ['Action items', 'action-items'],
    ]);
    expect(sectionText(postmortem, 'root-cause')).toContain('renewed by hand every year');
    expect(sectionText(postmortem, 'timeline')).toContain('09:02 | Gateway starts refusing TLS handshakes');
    expect(sectionText(postmortem, 'action-items')).toContain('Automate renewal with ACME.');
  });

  it.each([
    ['not a ZIP at all', new TextEncoder().encode('this is an old binary .doc, honestly'), 'unparseable-docx'],
    ['a ZIP without word/document.xml', zipStored([['hello.txt', 'hi']]), 'unparseable-docx'],
    ['a document with no text', buildDocx([{ text: '   ' }]), 'empty'],
  ])('skips %s with code %s', async (_name, bytes, code) => {
    // Prepare
    const file = 'broken.docx';

    // Act
    const outcome = await ingestSource(bytes, file, 'broken');

    // Assess
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.skipped.code).toBe(code);
    expect(outcome.skipped.reason.length).toBeGreaterThan(10);
  });
});
