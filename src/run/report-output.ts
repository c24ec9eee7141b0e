/**
 * A rendered report written under a report folder: the report run, its copy under runs/, and the
 * restored report all write the same layout in the same order.
 */
import pLimit from 'p-limit';
import type { RenderedReport } from '../report/index.ts';
import type { ObjectStore } from '../store/object-store.ts';
import { REPORT_FILES } from './layout.ts';

const WRITE_CONCURRENCY = 32;

/**
 * Replace the report under `prefix`: pages of an earlier, larger report go, the pages of this one
 * are written first (so the report never links a page not yet written), then the four report
 * files, each replaced in place rather than deleted first. Returns the keys of the four files.
 */
export async function writeReportFiles(
  artifacts: ObjectStore,
  prefix: string,
  rendered: RenderedReport,
): Promise<string[]> {
  const bodies: Record<(typeof REPORT_FILES)[number][0], string> = {
    'report.html': rendered.html,
    'report.md': rendered.markdown,
    'report.json': rendered.json,
    'digests.csv': rendered.digestsCsv,
  };
  const stale = (await artifacts.list(prefix)).filter(
    (key) => !REPORT_FILES.some(([name]) => key === `${prefix}${name}`),
  );
  if (stale.length > 0) await artifacts.delete(stale);
  const limit = pLimit(WRITE_CONCURRENCY);
  await Promise.all(
    rendered.extraFiles.map((file) => limit(() => artifacts.put(`${prefix}${file.name}`, file.body, file.type))),
  );
  const keys: string[] = [];
  for (const [name, type] of REPORT_FILES) {
    await artifacts.put(`${prefix}${name}`, bodies[name], type);
    keys.push(`${prefix}${name}`);
  }
  return keys;
}
