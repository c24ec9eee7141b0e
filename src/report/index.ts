import type { ReportData } from '../schemas/index.ts';
import { renderCharts } from './charts.ts';
import { renderDigestsCsv } from './csv.ts';
import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';

export interface RenderedReport {
  /** report.md */
  markdown: string;
  /** report.html: self-contained, offline, with inline SVG charts. */
  html: string;
  /** report.json: the input data, verbatim. */
  json: string;
  /** digests.csv */
  digestsCsv: string;
}

/** Renders every report format from the same data; writes nothing to disk. */
export async function renderReport(data: ReportData): Promise<RenderedReport> {
  const charts = await renderCharts(data);
  return {
    markdown: renderMarkdown(data),
    html: renderHtml(data, charts),
    json: JSON.stringify(data, null, 2),
    digestsCsv: renderDigestsCsv(data),
  };
}

export type { RenderedChart } from './charts.ts';
export { incidentDocumentPath, renderDocumentMarkdown } from './markdown.ts';
