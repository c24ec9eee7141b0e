/**
 * Debian's chromium driven by playwright-core, for the report's browser test and benchmark.
 * Nothing is downloaded: a missing browser is an error that says how to install it.
 */
import { access, constants } from 'node:fs/promises';
import { chromium, type Browser, type BrowserContext, type Request } from 'playwright-core';

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  try {
    await access(CHROMIUM_PATH, constants.X_OK);
  } catch {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}. Install Debian's package (apt-get update && apt-get install -y chromium; .ci/run does this) or set CHROMIUM_PATH.`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: FLAGS });
}

/** Where the report folder is served from: a host that does not exist, answered by the route below. */
export const REPORT_ORIGIN = 'http://report.invalid';
export const REPORT_BASE = `${REPORT_ORIGIN}/reports/run-1/report/`;

export interface ServedReport {
  /** Requests for files of the report folder, by path inside it. */
  served: string[];
  /** Requests inside the report folder for a file it does not have (a broken link). */
  missing: string[];
  /** Every request outside the report folder (should stay empty). */
  external: string[];
}

/**
 * Answers requests for the report folder from memory (`files`: path inside the folder → body), as
 * S3 or a local folder would, and records and aborts every other request.
 */
export async function serveReport(context: BrowserContext, files: ReadonlyMap<string, string>): Promise<ServedReport> {
  const record: ServedReport = { served: [], missing: [], external: [] };
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (!url.startsWith(REPORT_BASE)) {
      await route.abort('blockedbyclient');
      return;
    }
    const name = decodeURIComponent(new URL(url).pathname.slice(new URL(REPORT_BASE).pathname.length));
    const body = files.get(name);
    if (body === undefined) {
      record.missing.push(name);
      await route.fulfill({ status: 404, contentType: 'text/plain', body: 'not in the report folder' });
      return;
    }
    record.served.push(name);
    await route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body });
  });
  context.on('request', (request: Request) => {
    if (!request.url().startsWith(REPORT_BASE)) record.external.push(request.url());
  });
  return record;
}
