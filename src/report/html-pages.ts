/**
 * The pages beside report.html, inside the report folder: one per incident when the details do
 * not fit in report.html, and one per pattern or opportunity whose incident list is long. Every
 * link is relative and stays inside the report folder, so a downloaded copy works as is.
 */
import type { Opportunity, Pattern, ReportData, ReportDocument } from '../schemas/index.ts';
import { REPORT_TITLE, faultCategoryLabel, formatNumber, incidentLabel, technologiesText } from './format.ts';
import { CONTENT_SECURITY_POLICY_NO_SCRIPT } from './html-script.ts';
import { BASE_STYLE } from './html-style.ts';
import { MAIN_PAGE, ReportLinks, severityOrder, type ReportLayout } from './html-links.ts';
import { incidentDetails, incidentList, severityText } from './html-parts.ts';
import type { ReportContext } from './report-context.ts';
import { html, trusted, type SafeHtml } from './safe-html.ts';

/** A file the report writes beside report.html; `name` is relative to the report folder. */
export interface ReportFile {
  name: string;
  body: string;
  type: string;
}

function page(data: ReportData, title: string, back: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY_NO_SCRIPT}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${REPORT_TITLE}</title>
<style>${trusted(BASE_STYLE)}</style>
</head>
<body>
<nav aria-label="Report"><ul><li><a href="${back}">Back to the report</a></li><li><a href="../${MAIN_PAGE}#summary">Executive summary</a></li></ul></nav>
<main>
<h1>${title}</h1>
<p class="meta">From run <code>${data.runId}</code>, generated at ${data.generatedAt}</p>
${body}
</main>
</body>
</html>
`.value;
}

function incidentPage(data: ReportData, document: ReportDocument, context: ReportContext, links: ReportLinks): string {
  const body = html`<p>${severityText(document.severity)}</p>${incidentDetails(document, context, links, 2)}`;
  return page(data, incidentLabel(document.docId, document), links.section('incidents'), body);
}

function patternPage(
  data: ReportData,
  pattern: Pattern,
  context: ReportContext,
  links: ReportLinks,
  order: ReadonlyMap<string, number>,
): string {
  const body = html`<p class="meta">${technologiesText(pattern.technologies)} · ${faultCategoryLabel(pattern.faultCategory)} · ${pattern.count} incidents</p>
<p>${pattern.description}</p>
<h2>All supporting incidents, most severe first</h2>
${incidentList(pattern.incidentIds, context, links, { order })}`;
  return page(data, pattern.theme, links.pattern(pattern.id) ?? links.section('patterns'), body);
}

function opportunityPage(
  data: ReportData,
  opportunity: Opportunity,
  context: ReportContext,
  links: ReportLinks,
  order: ReadonlyMap<string, number>,
): string {
  const body = html`<p class="meta">Score ${formatNumber(opportunity.score)} · technologies: ${technologiesText(opportunity.technologies)}</p>
<p>${opportunity.rationale}</p>
<h2>All incidents, most severe first</h2>
${incidentList(opportunity.incidentIds, context, links, { order })}`;
  return page(data, opportunity.title, links.opportunity(opportunity.id) ?? links.section('opportunities'), body);
}

/** The extra pages of a report, for the given layout. */
export function renderExtraPages(data: ReportData, context: ReportContext, layout: ReportLayout): ReportFile[] {
  const links = new ReportLinks(context, layout, 1);
  const order = severityOrder(context);
  const files: ReportFile[] = [];
  if (layout.incidentPages !== null) {
    for (const document of context.orderedDocuments) {
      const name = links.incidentFile(document.docId);
      if (name !== undefined)
        files.push({ name, body: incidentPage(data, document, context, links), type: 'text/html' });
    }
  }
  for (const pattern of data.patterns) {
    const name = links.patternFile(pattern);
    if (name !== undefined)
      files.push({ name, body: patternPage(data, pattern, context, links, order), type: 'text/html' });
  }
  for (const opportunity of data.opportunities) {
    const name = links.opportunityFile(opportunity);
    if (name !== undefined)
      files.push({ name, body: opportunityPage(data, opportunity, context, links, order), type: 'text/html' });
  }
  return files;
}
