/**
 * Real PDF fixtures, printed by headless Chromium from HTML the tests write: the same engine
 * Confluence's and Google Docs' "export to PDF" rely on, so the text layer has real fonts,
 * sizes, wrapped lines, running headers and footers.
 */
import { access, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const CANDIDATES = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
].filter((candidate): candidate is string => Boolean(candidate));

/** The Chromium binary; the tests that need one fail with this message when there is none. */
export async function findChromium(): Promise<string> {
  for (const candidate of CANDIDATES) {
    if (
      await access(candidate).then(
        () => true,
        () => false,
      )
    )
      return candidate;
  }
  throw new Error(
    `no Chromium found (tried ${CANDIDATES.join(', ')}): install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`,
  );
}

export interface PdfSpec {
  name: string;
  html: string;
  /** Keep Chromium's running header (date, title) and footer (URL, page number). */
  headerFooter?: boolean;
}

/** Print each page of HTML to `<folder>/<name>.pdf` in one headless Chromium; returns the paths by name. */
export async function printPdfs(folder: string, specs: readonly PdfSpec[]): Promise<Record<string, string>> {
  const browser = await chromium.launch({
    executablePath: await findChromium(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    const paths: Record<string, string> = {};
    for (const spec of specs) {
      const page = await browser.newPage();
      const source = path.join(folder, `${spec.name}.html`);
      await writeFile(source, spec.html);
      await page.goto(pathToFileURL(source).href);
      const target = path.join(folder, `${spec.name}.pdf`);
      await page.pdf({
        path: target,
        format: 'Letter',
        displayHeaderFooter: Boolean(spec.headerFooter),
        printBackground: true,
      });
      await page.close();
      paths[spec.name] = target;
    }
    return paths;
  } finally {
    await browser.close();
  }
}
