/**
 * `--restore-pii` and `pmlens restore`: the latest report with the placeholders of redaction
 * replaced by the values behind them, for internal use. The values come from the state store's
 * mapping (never from a model); the restored data is rendered again, so each format escapes the
 * values as it escapes any text. The redacted report under report/ is left as it is.
 */
import { ConfigurationError } from '../errors.ts';
import { loadMapping, restore, type RedactionMapping, type RedactionStore } from '../privacy/index.ts';
import { renderReport } from '../report/index.ts';
import { layout } from '../run/layout.ts';
import { writeReportFiles } from '../run/report-output.ts';
import { ReportData } from '../schemas/index.ts';
import { getJson, type ObjectStore } from '../store/object-store.ts';

/** Every string of a value with its placeholders restored. */
function restoreDeep<T>(value: T, mapping: RedactionMapping): T {
  if (typeof value === 'string') return restore(value, mapping) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => restoreDeep(item, mapping)) as T;
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([field, inner]) => [restore(field, mapping), restoreDeep(inner, mapping)]),
    ) as T;
  return value;
}

/** The report data with the values put back. */
export function restoreReportData(report: ReportData, mapping: RedactionMapping): ReportData {
  return ReportData.parse(restoreDeep(report, mapping));
}

/** Render the restored report under report-restored/; the keys written come back. */
export async function writeRestoredReport(
  artifacts: ObjectStore,
  report: ReportData,
  mapping: RedactionMapping,
): Promise<string[]> {
  const rendered = await renderReport(restoreReportData(report, mapping));
  return writeReportFiles(artifacts, layout.restoredReport, rendered);
}

/** Restore the latest report of an output folder (or bucket) from the mapping in its state store. */
export async function restoreLatestReport(artifacts: ObjectStore, state: RedactionStore): Promise<string[]> {
  const parsed = ReportData.safeParse(await getJson<unknown>(artifacts, `${layout.latestReport}report.json`));
  if (!parsed.success)
    throw new ConfigurationError(`no readable ${layout.latestReport}report.json: run \`pmlens analyze\` first`);
  return writeRestoredReport(artifacts, parsed.data, await loadMapping(state));
}
