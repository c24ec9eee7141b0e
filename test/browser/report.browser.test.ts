/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * report.html in a real browser (Debian's chromium, headless): the first screen, phone width,
 * sorting and filtering under the page's CSP, no network, accessibility (axe-core), print, and
 * links that stay inside the report folder. Fails, never skips, when chromium is missing.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport, type RenderedReport } from '../../src/report/index.ts';
import type { ReportData } from '../../src/schemas/index.ts';
import { LONG_TOKEN, largeReportFixture } from '../report/report-fixture.ts';
import { REPORT_BASE, launchChromium, serveReport, type ServedReport } from './chromium.ts';

const DOCUMENTS = 60;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

function folder(report: RenderedReport): Map<string, string> {
  return new Map([
    ['report.html', report.html],
    ...report.extraFiles.map((file) => [file.name, file.body] as [string, string]),
  ]);
}

describe('report.html in chromium', () => {
  /** Launched on first use, so a missing chromium fails every test with its message instead of skipping them. */
  let launched: Promise<Browser> | undefined;
  const browser = (): Promise<Browser> => (launched ??= launchChromium());
  let data: ReportData;
  let report: RenderedReport;
  let axeSource: string;

  /** A fresh page on the report, with its requests and CSP violations recorded. */
  async function open(
    width: number,
    height: number,
    rendered = report,
  ): Promise<{ context: BrowserContext; page: Page; requests: ServedReport; violations: string[] }> {
    const context = await (await browser()).newContext({ viewport: { width, height } });
    const requests = await serveReport(context, folder(rendered));
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') violations.push(message.text());
    });
    page.on('pageerror', (error) => violations.push(error.message));
    await page.goto(`${REPORT_BASE}report.html`, { waitUntil: 'load' });
    return { context, page, requests, violations };
  }

  beforeAll(async () => {
    data = largeReportFixture({ documents: DOCUMENTS, longTokens: true });
    report = await renderReport(data);
    axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  });

  afterAll(async () => {
    await launched?.then((opened) => opened.close()).catch(() => undefined);
  });

  it('renders a report of enough incidents with long tokens, inline', () => {
    // Assess
    expect(data.documents).toHaveLength(DOCUMENTS);
    expect(report.html).toContain(LONG_TOKEN);
    expect(report.extraFiles).toEqual([]);
  });

  it('shows the executive summary in the first viewport at 1400×900', async () => {
    // Prepare
    const { context, page } = await open(1400, 900);

    // Act
    const boxes = await page.evaluate(() => {
      const box = (selector: string): { top: number; bottom: number } | null => {
        const rect = document.querySelector(selector)?.getBoundingClientRect();
        return rect ? { top: rect.top, bottom: rect.bottom } : null;
      };
      return {
        heading: box('#summary h2'),
        heading1: document.querySelector('main section')?.id,
        table: box('#summary table.top'),
        firstRow: box('#summary table.top tbody tr'),
        themes: box('#summary-heading ~ .summary-grid h3:first-of-type'),
        scrollY: window.scrollY,
      };
    });
    await context.close();

    // Assess
    expect(boxes.heading1).toBe('summary');
    expect(boxes.scrollY).toBe(0);
    expect(boxes.heading?.top).toBeGreaterThanOrEqual(0);
    expect(boxes.heading?.bottom).toBeLessThan(300);
    expect(boxes.table?.top).toBeLessThan(400);
    expect(boxes.firstRow?.bottom).toBeLessThanOrEqual(900);
  });

  it('has no horizontal overflow at 400 px, even with every detail open', async () => {
    // Prepare
    const { context, page } = await open(400, 900);

    // Act
    const closed = await page.evaluate(() => document.documentElement.scrollWidth);
    const opened = await page.evaluate(() => {
      for (const details of document.querySelectorAll('details')) details.open = true;
      return document.documentElement.scrollWidth;
    });
    const widest = await page.evaluate(() =>
      Math.max(...[...document.querySelectorAll('main *')].map((element) => element.getBoundingClientRect().right)),
    );
    await context.close();

    // Assess
    expect(closed).toBeLessThanOrEqual(400);
    expect(opened).toBeLessThanOrEqual(400);
    expect(widest).toBeLessThanOrEqual(400);
  });

  it('gives a top opportunity card the width of the phone for its title at 400 px', async () => {
    // Prepare
    const { context, page } = await open(400, 900);

    // Act: the title cell against its card (the row) in the executive summary.
    const widths = await page.evaluate(() => {
      const row = document.querySelector('#summary table.top tbody tr');
      const title = row?.querySelector('td:nth-child(2)');
      return { row: row?.getBoundingClientRect().width ?? 0, title: title?.getBoundingClientRect().width ?? 0 };
    });
    await context.close();

    // Assess: the title is not squeezed into the desktop column share (45%).
    expect(widths.row).toBeGreaterThan(0);
    expect(widths.title / widths.row).toBeGreaterThan(0.8);
  });

  it('sorts a table by a clicked header and filters it by typed text, under its CSP', async () => {
    // Prepare
    const { context, page, violations } = await open(1400, 900);
    const table = page.locator('table[data-table="incidents"]');
    const dates = (): Promise<string[]> => table.locator('tbody tr td:nth-child(2)').allTextContents();
    const before = await dates();

    // Act
    await table.getByRole('button', { name: 'Date' }).click();
    const ascending = await dates();
    const ascendingSort = await table.locator('th', { hasText: 'Date' }).getAttribute('aria-sort');
    await table.getByRole('button', { name: 'Date' }).click();
    const descending = await dates();
    await page.getByLabel('Filter incidents', { exact: true }).fill('Cassandra');
    await page.waitForFunction(() => document.querySelector('table[data-table="incidents"] tbody tr[hidden]') !== null);
    const shown = await table.locator('tbody tr:not([hidden])').allTextContents();
    const status = await page.locator('#incidents [role="status"]').textContent();
    await page.getByLabel('Filter incidents', { exact: true }).fill('');
    await page.waitForFunction(() => document.querySelector('table[data-table="incidents"] tbody tr[hidden]') === null);
    const all = await table.locator('tbody tr:not([hidden])').count();
    await context.close();

    // Assess
    const dated = before.filter((date) => date !== 'unknown').sort();
    expect(ascending.slice(0, dated.length)).toEqual(dated);
    expect(ascending.slice(dated.length).every((date) => date === 'unknown')).toBe(true);
    expect(ascendingSort).toBe('ascending');
    expect(descending.slice(0, dated.length)).toEqual([...dated].reverse());
    const expected = data.documents.filter((document) =>
      document.classification.causal.some((finding) => finding.technology === 'Cassandra'),
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(shown).toHaveLength(expected.length);
    for (const row of shown) expect(row).toContain('Cassandra');
    expect(status).toBe(`${expected.length} of ${DOCUMENTS} match`);
    expect(all).toBe(DOCUMENTS);
    expect(violations).toEqual([]);
  });

  it('sorts the themes by their last sighting and filters the incidents outside themes, under its CSP', async () => {
    // Prepare
    const { context, page, violations } = await open(1400, 900);
    const themes = page.locator('table[data-table="themes"]');
    const outside = page.locator('table[data-table="incidents outside themes"]');

    // Act
    const countsBefore = await themes.locator('tbody tr td:nth-child(4)').allTextContents();
    await themes.getByRole('button', { name: 'Last seen' }).click();
    const lastSeen = await themes.locator('tbody tr td:nth-child(5)').allTextContents();
    const rows = await outside.locator('tbody tr').count();
    await page.getByLabel('Filter incidents outside themes', { exact: true }).fill('no catalog technology involved');
    await page.waitForFunction(
      () => document.querySelector('table[data-table="incidents outside themes"] tbody tr[hidden]') !== null,
    );
    const shown = await outside.locator('tbody tr:not([hidden]) td:nth-child(2)').allTextContents();
    await context.close();

    // Assess
    expect(countsBefore.map(Number)).toEqual([...countsBefore.map(Number)].sort((left, right) => right - left));
    expect(lastSeen).toHaveLength(data.patterns.length);
    expect(lastSeen).toEqual([...lastSeen].sort());
    expect(rows).toBe(data.notRecurring.length + data.noCatalog.length);
    expect(shown).toHaveLength(data.noCatalog.length);
    expect(new Set(shown)).toEqual(new Set(['no catalog technology involved']));
    expect(violations).toEqual([]);
  });

  it('opens a collapsed incident when a link points into it', async () => {
    // Prepare
    const { context, page } = await open(1400, 900);
    const link = page.locator('table[data-table="incidents"] tbody tr a').first();
    const target = ((await link.getAttribute('href')) ?? '').slice(1);

    // Act
    const closedBefore = await page.evaluate(
      (id) => (document.getElementById(id) as HTMLDetailsElement | null)?.open,
      target,
    );
    await link.click();
    // The page opens the target on hashchange, an event after the click: wait for it (up to 5 s).
    const openAfter = await page
      .waitForFunction((id) => (document.getElementById(id) as HTMLDetailsElement | null)?.open === true, target, {
        timeout: 5000,
      })
      .then(() => true)
      .catch(() => false);
    await context.close();

    // Assess
    expect(closedBefore).toBe(false);
    expect(openAfter).toBe(true);
  });

  it('makes no network request beyond the page itself', async () => {
    // Prepare
    const { context, page, requests } = await open(1400, 900);

    // Act
    await page.evaluate(() => {
      for (const details of document.querySelectorAll('details')) details.open = true;
    });
    await page.locator('table[data-table="themes"]').getByRole('button', { name: 'Theme' }).click();
    await page.waitForTimeout(200);
    await context.close();

    // Assess
    expect(requests.external).toEqual([]);
    expect(requests.missing).toEqual([]);
    expect(requests.served).toEqual(['report.html']);
  });

  it(
    'has no serious or critical axe-core violations, at 1400 px and at 400 px with every detail open',
    { timeout: 180_000 },
    async () => {
      // Prepare
      const results: AxeViolation[] = [];

      // Act
      for (const width of [1400, 400]) {
        const { context, page } = await open(width, 900);
        // Evaluated through the DevTools protocol, which the page's CSP does not govern (a <script> would be refused).
        await page.evaluate(axeSource);
        const violations = await page.evaluate(async (openAll) => {
          if (openAll) for (const details of document.querySelectorAll('details')) details.open = true;
          const axe = (
            window as unknown as {
              axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> };
            }
          ).axe;
          const result = await axe.run(document, { resultTypes: ['violations'] });
          return result.violations.map((violation) => ({
            id: violation.id,
            impact: violation.impact,
            help: violation.help,
            nodes: violation.nodes.slice(0, 3).map((node) => ({ target: node.target })),
          }));
        }, width === 400);
        results.push(...violations);
        await context.close();
      }

      // Assess
      const serious = results.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
      expect(serious).toEqual([]);
    },
  );

  it('prints the summary and the opportunities only, compactly', async () => {
    // Prepare
    const { context, page } = await open(1400, 900);

    // Act
    await page.emulateMedia({ media: 'print' });
    const visible = await page.evaluate(() =>
      Object.fromEntries(
        [
          'summary',
          'opportunities',
          'patterns',
          'charts',
          'needs-review',
          'incidents',
          'skipped-failed',
          'approval',
        ].map((id) => {
          const element = document.getElementById(id);
          return [id, element !== null && getComputedStyle(element).display !== 'none'];
        }),
      ),
    );
    const pdf = await page.pdf({ format: 'A4' });
    await context.close();

    // Assess
    expect(visible).toEqual({
      summary: true,
      opportunities: true,
      patterns: false,
      charts: false,
      'needs-review': false,
      incidents: false,
      'skipped-failed': false,
      approval: false,
    });
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
    expect(pages).toBeGreaterThan(0);
    expect(pages, 'summary and 30 opportunities').toBeLessThanOrEqual(10);
  });

  it('shows a long table 500 rows at a time, sorts and filters all of it', async () => {
    // Prepare
    const large = largeReportFixture({ documents: 1200 });
    const rendered = await renderReport(large);
    const { context, page, requests } = await open(1400, 900, rendered);
    const table = page.locator('table[data-table="incidents"]');
    const visible = (): Promise<number> => table.locator('tbody tr:not([hidden])').count();
    const status = page.locator('#incidents [role="status"]');

    // Act
    const initially = await visible();
    const initialStatus = await status.textContent();
    await page.locator('#incidents').getByRole('button', { name: 'Show 500 more' }).click();
    const afterMore = await visible();
    await table.getByRole('button', { name: 'Date' }).click();
    const afterSort = await visible();
    const firstDates = await table.locator('tbody tr:not([hidden]) td:nth-child(2)').allTextContents();
    await page.getByLabel('Filter incidents', { exact: true }).fill('etcd');
    await page.waitForFunction(() =>
      document.querySelector('#incidents [role="status"]')?.textContent?.includes('match'),
    );
    const filtered = await table.locator('tbody tr:not([hidden])').allTextContents();
    await context.close();

    // Assess
    expect(rendered.extraFiles.filter((file) => file.name.startsWith('incidents/'))).toHaveLength(1200);
    expect(initially).toBe(500);
    expect(initialStatus).toBe('showing the first 500 of 1200');
    expect(afterMore).toBe(1000);
    expect(afterSort).toBe(500);
    expect(firstDates).toEqual([...firstDates].sort());
    const etcd = large.documents.filter((document) =>
      document.classification.causal.some((finding) => finding.technology === 'etcd'),
    );
    expect(filtered).toHaveLength(Math.min(etcd.length, 500));
    for (const row of filtered) expect(row).toContain('etcd');
    expect(requests.external).toEqual([]);
  });

  it('follows links to incident pages inside the report folder when details are on pages of their own', async () => {
    // Prepare
    const paged = await renderReport(data, { inlineDetailsBudget: 0 });
    const { context, page, requests } = await open(1400, 900, paged);

    // Act
    const link = page.locator('table[data-table="incidents"] tbody tr a').first();
    const title = (await link.textContent()) ?? '';
    await link.click();
    await page.waitForURL(/\/incidents\/[a-z0-9_-]+\.html$/);
    const heading = await page.locator('h1').textContent();
    const pageWidth = await page
      .setViewportSize({ width: 400, height: 900 })
      .then(() => page.evaluate(() => document.documentElement.scrollWidth));
    await page.getByRole('link', { name: 'Back to the report' }).click();
    await page.waitForURL(/report\.html#incidents$/);
    await context.close();

    // Assess
    expect(title.length).toBeGreaterThan(0);
    expect(heading?.startsWith(title.replace(/…$/, ''))).toBe(true);
    expect(pageWidth).toBeLessThanOrEqual(400);
    expect(requests.missing).toEqual([]);
    expect(requests.external).toEqual([]);
    expect(requests.served[0]).toBe('report.html');
    expect(requests.served[1]).toMatch(/^incidents\/[a-z0-9_-]+\.html$/);
  });
});
