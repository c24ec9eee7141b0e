/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The report at scale: builds a report of N generated documents (default 10,000; long unbreakable
 * tokens in a third of the ids and titles), writes report/ to a temporary folder, opens
 * report.html from disk in headless chromium and measures the time to first render.
 *
 *   npx tsx bench/report-scale.ts [--documents 10000] [--keep]
 *
 * Target (issue 11): report.html <= 5 MB for 10,000 documents. The last line is one JSON object.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { renderReport } from '../src/report/index.ts';
import { launchChromium } from '../test/browser/chromium.ts';
import { largeReportFixture } from '../test/report/report-fixture.ts';
import { round } from './support.ts';

const LIMIT_BYTES = 5 * 1024 * 1024;

const { values } = parseArgs({
  options: { documents: { type: 'string', default: '10000' }, keep: { type: 'boolean', default: false } },
});
const documents = Number(values.documents);

const data = largeReportFixture({ documents, longTokens: true });
const renderStarted = performance.now();
const report = await renderReport(data);
const renderMillis = performance.now() - renderStarted;

const root = await mkdtemp(path.join(os.tmpdir(), 'pmlens-report-scale-'));
const folder = path.join(root, 'report');
await mkdir(folder, { recursive: true });
await writeFile(path.join(folder, 'report.html'), report.html);
let extraBytes = 0;
for (const file of report.extraFiles) {
  await mkdir(path.dirname(path.join(folder, file.name)), { recursive: true });
  await writeFile(path.join(folder, file.name), file.body);
  extraBytes += Buffer.byteLength(file.body);
}

const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const external: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith('file:')) external.push(request.url());
  });
  const openStarted = performance.now();
  await page.goto(pathToFileURL(path.join(folder, 'report.html')).href, { waitUntil: 'load' });
  const loadWallMillis = performance.now() - openStarted;
  const timings = await page.evaluate(() => {
    const paint = performance.getEntriesByName('first-contentful-paint')[0];
    const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    return {
      firstContentfulPaint: paint?.startTime ?? null,
      domContentLoaded: navigation?.domContentLoadedEventEnd ?? null,
      load: navigation?.loadEventEnd ?? null,
      height: document.documentElement.scrollHeight,
      rows: document.querySelectorAll('table[data-table="incidents"] tbody tr').length,
    };
  });
  const interaction = await page.evaluate(() => {
    const button = [...document.querySelectorAll<HTMLButtonElement>('table[data-table="incidents"] th button')].find(
      (element) => element.textContent?.startsWith('Date'),
    );
    const sortStarted = performance.now();
    button?.click();
    void document.body.offsetHeight;
    return { sort: performance.now() - sortStarted };
  });

  const htmlBytes = Buffer.byteLength(report.html);
  const result = {
    documents,
    htmlBytes,
    htmlMegabytes: round(htmlBytes / 1024 / 1024, 2),
    withinLimit: htmlBytes <= LIMIT_BYTES,
    extraFiles: report.extraFiles.length,
    extraMegabytes: round(extraBytes / 1024 / 1024, 1),
    renderSeconds: round(renderMillis / 1000, 2),
    firstContentfulPaintMillis: timings.firstContentfulPaint === null ? null : Math.round(timings.firstContentfulPaint),
    domContentLoadedMillis: timings.domContentLoaded === null ? null : Math.round(timings.domContentLoaded),
    loadMillis: timings.load === null ? null : Math.round(timings.load),
    loadWallMillis: Math.round(loadWallMillis),
    sortIncidentsMillis: Math.round(interaction.sort),
    pageHeightPixels: timings.height,
    incidentRows: timings.rows,
    externalRequests: external.length,
  };
  console.log(
    `report.html for ${documents} documents: ${result.htmlMegabytes} MB (limit 5 MB: ${result.withinLimit ? 'ok' : 'EXCEEDED'}), ` +
      `${result.extraFiles} pages beside it (${result.extraMegabytes} MB); rendered in ${result.renderSeconds} s`,
  );
  console.log(
    `chromium: first contentful paint ${result.firstContentfulPaintMillis} ms, DOMContentLoaded ${result.domContentLoadedMillis} ms, ` +
      `load ${result.loadMillis} ms; sorting ${result.incidentRows} incident rows ${result.sortIncidentsMillis} ms; ${result.externalRequests} network requests`,
  );
  if (values.keep) console.log(`kept: ${folder}`);
  console.log(JSON.stringify(result));
  if (!result.withinLimit) process.exitCode = 1;
} finally {
  await browser.close();
  if (!values.keep) await rm(root, { recursive: true, force: true });
}
