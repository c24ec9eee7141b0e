import type { ReportData } from '../schemas/index.ts';
import { compareReports } from './changes.ts';
import { renderCharts } from './charts.ts';
import { renderDigestsCsv } from './csv.ts';
import { renderHtml } from './html.ts';
import type { ReportFile } from './html-pages.ts';
import { renderMarkdown } from './markdown.ts';

export interface RenderedReport {
  /** report.md: self-contained; its links point inside the file. */
  markdown: string;
  /** report.html: self-contained, offline, with inline SVG charts. */
  html: string;
  /** report.json: the input data, verbatim. */
  json: string;
  /** digests.csv */
  digestsCsv: string;
  /**
   * Pages report.html links to, to be written inside the same report folder under their `name`
   * (e.g. "incidents/<name>.html", "patterns/<name>.html"). Empty for a small corpus. The set
   * changes from run to run, so a writer replaces these folders rather than adding to them.
   */
  extraFiles: ReportFile[];
}

export interface RenderOptions {
  /** The previous report (its report.json): the summary then says what changed since. */
  previous?: ReportData;
  /** Bytes of incident details kept inline in report.html (tests; default INLINE_DETAILS_BUDGET). */
  inlineDetailsBudget?: number;
}

/** Renders every report format from the same data; writes nothing to disk. */
export async function renderReport(data: ReportData, options: RenderOptions = {}): Promise<RenderedReport> {
  const charts = await renderCharts(data);
  // The fold records the changes in the data (report.json carries them); a caller may pass the previous report instead.
  const changes = data.changes ?? (options.previous === undefined ? undefined : compareReports(options.previous, data));
  const withChanges: ReportData = changes === undefined ? data : { ...data, changes };
  const rendered = renderHtml(data, charts, { changes, inlineDetailsBudget: options.inlineDetailsBudget });
  return {
    markdown: renderMarkdown(data, { changes }),
    html: rendered.html,
    json: JSON.stringify(withChanges, null, 2),
    digestsCsv: renderDigestsCsv(data),
    extraFiles: rendered.files,
  };
}

export type { RenderedChart } from './charts.ts';
export type { ReportFile } from './html-pages.ts';
export type { ReportChanges } from './changes.ts';
export { compareReports } from './changes.ts';
export { normaliseSeverity, orderIncidents } from './severity.ts';
export { renderDocumentMarkdown } from './markdown.ts';
