import type { Pattern, ReportData, ReportDocument } from '../schemas/index.ts';
import { changeLines, type ReportChanges } from './changes.ts';
import type { ChartTable, RenderedChart } from './charts.ts';
import {
  technologiesText,
  quarterText,
  REPORT_TITLE,
  UNKNOWN,
  countOf,
  faultCategoryLabel,
  formatNumber,
  formatSeverities,
  incidentLabel,
  shorten,
} from './format.ts';
import { LIST_LIMIT, ReportLinks, createLayout, severityOrder, type ReportLayout } from './html-links.ts';
import { renderExtraPages, type ReportFile } from './html-pages.ts';
import { incidentDetails, incidentLink, incidentList, notStated, reviewList, severityText } from './html-parts.ts';
import { CONTENT_SECURITY_POLICY, REPORT_SCRIPT } from './html-script.ts';
import { REPORT_STYLE } from './html-style.ts';
import {
  INCIDENTS_TABLE,
  NEEDS_REVIEW_TABLE,
  OPPORTUNITIES_TABLE,
  FACTORS_TABLE,
  OUTSIDE_THEMES_TABLE,
  PATTERNS_TABLE,
  dataTable,
} from './html-tables.ts';
import {
  SCORE_EXPLANATION,
  coverageRows,
  formatBreakdown,
  formatConfidence,
  opportunityViews,
  scoreBreakdown,
  topThemes,
  type OpportunityView,
} from './insights.ts';
import { createReportContext, singleIncidentTheme, type ReportContext } from './report-context.ts';
import { factorAnchor, factorCountsText, factorsSectionHtml, SUMMARY_FACTORS } from './factors.ts';
import { quarantineSectionHtml } from './quarantine.ts';
import { directivesSectionHtml } from './directives.ts';
import { normaliseSeverity, severitySortKey } from './severity.ts';
import { html, trusted, type SafeHtml } from './safe-html.ts';

/** How many opportunities and themes the executive summary shows. */
export const SUMMARY_TOP = 5;
/** Incidents listed in the "Needs review" section; the incidents table has every one. */
export const NEEDS_REVIEW_LIMIT = 200;
/** Review items shown per incident in the "Needs review" section. */
const REVIEW_ITEMS_PER_INCIDENT = 5;
/** Skipped or failed documents listed; report.json has all of them. */
export const SKIPPED_LIMIT = 200;
/**
 * Incident details stay inline in report.html (collapsed) while they take at most this many
 * bytes; beyond it every incident gets a page of its own under incidents/ and report.html keeps
 * the table. Keeps report.html for 10,000 documents well under 5 MB.
 */
export const INLINE_DETAILS_BUDGET = 2_000_000;

export interface HtmlOptions {
  changes?: ReportChanges;
  /** Overrides INLINE_DETAILS_BUDGET (tests). */
  inlineDetailsBudget?: number;
}

export interface RenderedHtml {
  html: string;
  /** Pages beside report.html, named relative to the report folder. */
  files: ReportFile[];
}

interface PageParts {
  data: ReportData;
  context: ReportContext;
  layout: ReportLayout;
  links: ReportLinks;
  order: ReadonlyMap<string, number>;
  views: OpportunityView[];
}

/**
 * A table inside a box that scrolls sideways when the table cannot fit (a phone), so the page
 * itself never does. `label` names the box for screen readers; a labelled box is focusable so a
 * keyboard can scroll it.
 */
function scrollBox(table: SafeHtml, label?: string): SafeHtml {
  if (label === undefined) return html`<div class="table-scroll">${table}</div>`;
  return html`<div class="table-scroll" role="region" aria-label="${label}" tabindex="0">${table}</div>`;
}

function header(data: ReportData): SafeHtml {
  const { engine } = data;
  return html`<header>
<h1>${REPORT_TITLE}</h1>
<p class="meta">Generated at ${data.generatedAt} · run <code>${data.runId}</code> · engine ${engine.id} (model ${engine.model}, version ${engine.version})</p>
<nav aria-label="Sections"><ul>
<li><a href="#summary">Summary</a></li><li><a href="#opportunities">Opportunities</a></li>
<li><a href="#patterns">Themes</a></li><li><a href="#factors">Factors</a></li><li><a href="#charts">Charts</a></li>
<li><a href="#needs-review">Needs review</a></li><li><a href="#incidents">Incidents</a></li>
<li><a href="#skipped-failed">Skipped and failed</a></li><li><a href="#approval">Reviewer approval</a></li>
</ul></nav>
</header>`;
}

function reviewCount(view: OpportunityView): string {
  return view.incidents === 0 ? '0' : `${view.needsReview} of ${view.incidents}`;
}

function scoreCell(view: OpportunityView, withBreakdown: boolean): SafeHtml {
  const terms = withBreakdown ? scoreBreakdown(view.opportunity) : null;
  if (terms === null)
    return html`<td role="cell" class="num" data-sort="${view.opportunity.score}">${formatNumber(view.opportunity.score)}</td>`;
  const parts = terms.map(
    (term, index) =>
      html`${index === 0 ? '= ' : term.value < 0 ? ' − ' : ' + '}<span class="term">${term.label} ${formatNumber(Math.abs(term.value))}</span>`,
  );
  return html`<td role="cell" class="score" data-sort="${view.opportunity.score}"><strong>${formatNumber(view.opportunity.score)}</strong><br><span class="note breakdown">${parts}</span></td>`;
}

function opportunityLink(view: OpportunityView, parts: PageParts): SafeHtml {
  const href = parts.links.opportunity(view.opportunity.id);
  return href === undefined ? html`${view.opportunity.title}` : html`<a href="${href}">${view.opportunity.title}</a>`;
}

/**
 * The summary's table. Explicit ARIA table roles keep it a table for screen readers when a phone
 * stylesheet lays each row out as a block (see table.top in the stylesheet).
 */
function topOpportunitiesTable(top: readonly OpportunityView[], parts: PageParts): SafeHtml {
  const head = ['Rank', 'Opportunity', 'Score', 'Confidence', 'Incidents', 'Needs review'].map(
    (label, index) =>
      html`<th scope="col" role="columnheader"${trusted(index === 0 || index > 2 ? ' class="num"' : '')}>${label}</th>`,
  );
  const rows = top.map(
    (view) =>
      html`<tr role="row"><td role="cell" class="num">${view.rank}</td><td role="cell">${opportunityLink(view, parts)}<br><span class="note">${technologiesText(view.opportunity.technologies)}</span></td>${scoreCell(view, true)}<td role="cell" class="num">${formatConfidence(view.confidence)}</td><td role="cell" class="num">${view.incidents}</td><td role="cell" class="num">${reviewCount(view)}</td></tr>`,
  );
  return scrollBox(
    html`<table class="compact top" role="table" aria-label="Top opportunities"><thead role="rowgroup"><tr role="row">${head}</tr></thead><tbody role="rowgroup">${rows}</tbody></table>`,
  );
}

function summary(parts: PageParts, changes: ReportChanges | undefined): SafeHtml {
  const { data, context, views } = parts;
  const top = views.slice(0, SUMMARY_TOP);
  const opportunitiesTable =
    top.length === 0
      ? html`<p>No opportunities were found.</p>`
      : html`${topOpportunitiesTable(top, parts)}
${views.length > top.length ? html`<p class="note"><a href="#opportunities">All ${views.length} opportunities</a></p>` : html``}`;
  const themes = topThemes(data.patterns, SUMMARY_TOP);
  const themesTable =
    themes.length === 0
      ? html`<p>No recurring failure themes were found.</p>`
      : scrollBox(
          html`<table class="compact"><thead><tr><th scope="col">Theme</th><th scope="col" class="num">Incidents</th></tr></thead><tbody>${themes.map(
            (pattern) => {
              const href = parts.links.pattern(pattern.id);
              return html`<tr><td>${href === undefined ? pattern.theme : html`<a href="${href}">${pattern.theme}</a>`}<br><span class="note">${technologiesText(pattern.technologies)} · ${faultCategoryLabel(pattern.faultCategory)}</span></td><td class="num">${pattern.count}</td></tr>`;
            },
          )}</tbody></table>`,
        );
  const factors = context.factors.slice(0, SUMMARY_FACTORS);
  const factorsList =
    factors.length === 0
      ? html``
      : html`<h3>Most frequent contributing factors</h3>
<ul>${factors.map(
          (entry, index) =>
            html`<li><a href="#${factorAnchor(index + 1)}">${entry.factor}</a>: ${factorCountsText(entry)}</li>`,
        )}</ul>`;
  const coverage = coverageRows(data, context.review.size).map(
    ([label, value]) => html`<tr><th scope="row">${label}</th><td class="num">${value}</td></tr>`,
  );
  const changed =
    changes === undefined
      ? html``
      : html`<h3 id="what-changed">What changed since run <code>${changes.previousRunId}</code></h3>
<p class="note">Previous report generated at ${changes.previousGeneratedAt}.</p>
<ul>${changeLines(changes).map((line) => html`<li>${line}</li>`)}</ul>`;
  return html`<section id="summary" aria-labelledby="summary-heading">
<h2 id="summary-heading">Executive summary</h2>
<div class="summary-grid">
<div>
<h3>Top opportunities</h3>
${opportunitiesTable}
<p class="note">${SCORE_EXPLANATION}</p>
${changed}
</div>
<div>
<h3>Largest recurring themes</h3>
${themesTable}
${factorsList}
<h3>Coverage</h3>
${scrollBox(html`<table class="compact"><tbody>${coverage}</tbody></table>`)}
</div>
</div>
</section>`;
}

function opportunities(parts: PageParts): SafeHtml {
  const { views, context, links, order } = parts;
  if (views.length === 0)
    return html`<section id="opportunities"><h2>Opportunities</h2><p>No opportunities were found.</p></section>`;
  const table = scrollBox(
    dataTable(
      OPPORTUNITIES_TABLE,
      views.map(
        (view) =>
          html`<tr><td class="num">${view.rank}</td><td>${opportunityLink(view, parts)}</td><td>${technologiesText(view.opportunity.technologies)}</td>${scoreCell(view, false)}<td class="num" data-sort="${view.confidence === null ? '' : view.confidence}">${formatConfidence(view.confidence)}</td><td class="num">${view.incidents}</td><td class="num" data-sort="${view.needsReview}">${reviewCount(view)}</td></tr>`,
      ),
    ),
    'Opportunities table',
  );
  const cards = views.map((view) => {
    const { opportunity } = view;
    const { impact } = opportunity;
    const terms = scoreBreakdown(opportunity);
    const patternLinks = opportunity.patternIds.map((patternId) => {
      const href = links.pattern(patternId);
      const theme = context.patterns.get(patternId)?.theme ?? patternId;
      return html`<li>${href === undefined ? html`${theme} (not in this report)` : html`<a href="${href}">${theme}</a>`}</li>`;
    });
    const themes =
      patternLinks.length > 0
        ? html`<h4>Themes</h4><ul class="pattern-list">${patternLinks}</ul>`
        : html`<h4>Theme</h4><p>${singleIncidentTheme(opportunity, parts.data)}, one incident, not recurring yet (<a href="${links.section('outside-themes')}">incidents outside themes</a>).</p>`;
    const allPage = links.opportunityFile(opportunity);
    return html`<article class="card" id="${context.opportunityAnchors.of(opportunity.id)}">
<h3>${view.rank}. ${opportunity.title}</h3>
<p class="meta">Score ${formatNumber(opportunity.score)}${terms === null ? '' : ` = ${formatBreakdown(terms)}`} · technologies: ${technologiesText(opportunity.technologies)} · confidence ${formatConfidence(view.confidence)} · ${view.needsReview} of ${view.incidents} incidents need review</p>
<p>${opportunity.rationale}</p>
<h4>Measured impact</h4>
<p class="note">From the incident-metadata file (a severity the file lacks, from the document itself); n/a means not measured.</p>
<div class="table-scroll impact"><table class="compact"><tbody>
<tr><th scope="row">Incidents</th><td>${impact.incidents}</td></tr>
<tr><th scope="row">Incidents with metadata</th><td>${impact.incidentsWithMetadata}</td></tr>
<tr><th scope="row">Total duration (minutes)</th><td>${formatNumber(impact.totalDurationMinutes)}</td></tr>
<tr><th scope="row">Customers affected</th><td>${formatNumber(impact.totalCustomersAffected)}</td></tr>
<tr><th scope="row">Cost</th><td>${formatNumber(impact.totalCost)}</td></tr>
<tr><th scope="row">Severities</th><td>${formatSeverities(impact.severities)}</td></tr>
</tbody></table></div>
${themes}
<h4>Incidents</h4>${incidentList(opportunity.incidentIds, context, links, {
      order,
      limit: LIST_LIMIT,
      all:
        allPage === undefined
          ? undefined
          : { href: links.file(allPage), label: `All ${countOf(new Set(opportunity.incidentIds).size, 'incident')}` },
    })}
</article>`;
  });
  return html`<section id="opportunities"><h2>Opportunities</h2>
<p class="note">Ranked by score. Sort by any column; the filter matches any text in a row.</p>
${table}
${cards}
</section>`;
}

/** The three counts every analysed incident falls under. */
function accountingSentence(data: ReportData): string {
  const inThemes = new Set(data.patterns.flatMap((pattern) => pattern.incidentIds)).size;
  const duplicates =
    data.duplicates.length > 0 ? `, and ${countOf(data.duplicates.length, 'duplicate')} counted once` : '';
  const quarantined = data.documents.filter((document) => document.quarantine !== undefined).length;
  const held = quarantined > 0 ? `, ${quarantined} quarantined (not shown as fact)` : '';
  return `Every analysed incident is accounted for: ${inThemes} in a recurring theme, ${data.notRecurring.length} not recurring yet, ${data.noCatalog.length} with no catalog technology involved${held}${duplicates}.`;
}

/** One line per member: the incident and the sentence of its own outputs that puts it in the theme. */
function themeEvidence(
  pattern: Pattern,
  context: ReportContext,
  links: ReportLinks,
  order: ReadonlyMap<string, number>,
): SafeHtml {
  const sorted = [...pattern.evidence].sort(
    (left, right) => (order.get(left.incidentId) ?? 0) - (order.get(right.incidentId) ?? 0),
  );
  const shown = sorted.slice(0, LIST_LIMIT);
  return html`<ul class="evidence">${shown.map(
    (entry) => html`<li>${incidentLink(entry.incidentId, context, links)}: <q>${entry.quote}</q></li>`,
  )}</ul>${sorted.length > shown.length ? html`<p class="note">${sorted.length - shown.length} more incidents in this theme.</p>` : html``}`;
}

/** Incidents outside every theme: not recurring yet, no catalog technology, duplicates, dropped members. */
function outsideThemes(parts: PageParts): SafeHtml {
  const { data, context, links } = parts;
  const rows = [
    ...data.notRecurring.map(
      (entry) =>
        html`<tr><td>${incidentLink(entry.incidentId, context, links)}</td><td>not recurring yet</td><td>${technologiesText(entry.technologies)}</td><td>${faultCategoryLabel(entry.faultCategory)}</td></tr>`,
    ),
    ...data.noCatalog.map(
      (entry) =>
        html`<tr><td>${incidentLink(entry.incidentId, context, links)}</td><td>no catalog technology involved</td><td>${technologiesText([])}</td><td>${faultCategoryLabel(entry.faultCategory)}</td></tr>`,
    ),
    ...data.duplicates.map(
      (entry) =>
        html`<tr><td>${incidentLink(entry.incidentId, context, links)}</td><td>duplicate of <code>${entry.duplicateOf}</code>, counted once</td><td></td><td></td></tr>`,
    ),
  ];
  const dropped =
    data.droppedMembers.length === 0
      ? html``
      : html`<h4>Theme members dropped</h4><p class="note">The fold named these incidents as members, but their own outputs do not support it.</p><ul>${data.droppedMembers.map(
          (entry) =>
            html`<li>${incidentLink(entry.incidentId, context, links)} from “${entry.theme}”: ${entry.reason}</li>`,
        )}</ul>`;
  if (rows.length === 0) return dropped;
  return html`<h3 id="outside-themes">Incidents outside themes</h3>
${scrollBox(dataTable(OUTSIDE_THEMES_TABLE, rows), 'Incidents outside themes table')}
${dropped}`;
}

function patterns(parts: PageParts): SafeHtml {
  const { data, context, links, order } = parts;
  if (data.patterns.length === 0)
    return html`<section id="patterns"><h2>Recurring failure themes</h2><p>${accountingSentence(data)}</p><p>No recurring failure themes were found.</p>${outsideThemes(parts)}</section>`;
  const sorted = topThemes(data.patterns, data.patterns.length);
  const table = scrollBox(
    dataTable(
      PATTERNS_TABLE,
      sorted.map((pattern) => {
        const href = links.pattern(pattern.id);
        return html`<tr><td>${href === undefined ? pattern.theme : html`<a href="${href}">${pattern.theme}</a>`}</td><td>${technologiesText(pattern.technologies)}</td><td>${faultCategoryLabel(pattern.faultCategory)}</td><td class="num">${pattern.count}</td><td>${pattern.lastSeen ?? 'n/a'}</td></tr>`;
      }),
    ),
    'Themes table',
  );
  const details = sorted.map((pattern) => {
    const allPage = links.patternFile(pattern);
    return html`<details class="item" id="${context.patternAnchors.of(pattern.id)}"><summary><strong>${pattern.theme}</strong> · ${countOf(pattern.count, 'incident')}</summary><div class="body">
<p class="meta">${technologiesText(pattern.technologies)} · ${faultCategoryLabel(pattern.faultCategory)} · ${countOf(pattern.count, 'incident')} · first seen ${pattern.firstSeen ?? 'n/a'}, last seen ${pattern.lastSeen ?? 'n/a'}</p>
<p>${pattern.description}</p>
<p><strong>By quarter:</strong> ${quarterText(pattern.byQuarter)}</p>
<p><strong>Contributing factors:</strong> ${pattern.contributingFactors.length === 0 ? notStated() : pattern.contributingFactors.join('; ')}</p>
<h4>Evidence, one quote per incident</h4>${themeEvidence(pattern, context, links, order)}
${allPage === undefined ? html`` : html`<p><a href="${links.file(allPage)}">All ${countOf(new Set(pattern.incidentIds).size, 'incident')}</a></p>`}
</div></details>`;
  });
  return html`<section id="patterns"><h2>Recurring failure themes</h2>
<p>${accountingSentence(data)}</p>
<p class="note">A theme is one failure mechanism shared by two or more incidents, across one technology or several. Largest first; each theme's evidence (one quote per incident) is in its details below the table.</p>
${table}
<h3>Theme details</h3>
${details}
${outsideThemes(parts)}
</section>`;
}

function factors(parts: PageParts): SafeHtml {
  const { context, links, order } = parts;
  return factorsSectionHtml(context.factors, {
    table: (rows) => scrollBox(dataTable(FACTORS_TABLE, rows), 'Contributing factors table'),
    list: (docIds) => incidentList(docIds, context, links, { order }),
    limit: LIST_LIMIT,
  });
}

function chartTable(table: ChartTable, title: string): SafeHtml {
  return html`<details class="data"><summary>${title}: data as a table</summary>
<div class="table-scroll"><table class="compact"><thead><tr>${table.columns.map((column, index) => html`<th scope="col"${trusted(table.numeric[index] ? ' class="num"' : '')}>${column}</th>`)}</tr></thead>
<tbody>${table.rows.map((row) => html`<tr>${row.map((cell, index) => html`<td${trusted(table.numeric[index] ? ' class="num"' : '')}>${cell}</td>`)}</tr>`)}</tbody></table></div>
</details>`;
}

function charts(rendered: readonly RenderedChart[]): SafeHtml {
  const figures = rendered.map(
    (chart) => html`<figure id="${chart.id}" aria-label="${chart.title}">
${chart.svg === null ? html`<p class="note"><strong>${chart.title}:</strong> no data.</p>` : trusted(chart.svg)}
${chart.notes.map((note) => html`<figcaption class="note">${note}</figcaption>`)}
${chart.table.rows.length === 0 ? html`` : chartTable(chart.table, chart.title)}
</figure>`,
  );
  return html`<section id="charts"><h2>Charts</h2>${figures}</section>`;
}

function needsReview(parts: PageParts): SafeHtml {
  const { context, links } = parts;
  const flagged = context.orderedDocuments.filter((document) => context.review.has(document.docId));
  if (flagged.length === 0)
    return html`<section id="needs-review"><h2>Needs review</h2><p>Nothing needs review: no review flags and every claim is backed by a verbatim quote.</p></section>`;
  const shown = flagged.slice(0, NEEDS_REVIEW_LIMIT);
  const rows = shown.map((document) => {
    const href = links.incident(document.docId);
    const label = incidentLabel(document.docId, document);
    return html`<tr><td>${href === undefined ? label : html`<a href="${href}">${label}</a>`}</td><td data-sort="${severitySortKey(document.severity)}">${severityText(document.severity)}</td><td>${reviewList(context.review.get(document.docId) ?? [], REVIEW_ITEMS_PER_INCIDENT)}</td></tr>`;
  });
  const more =
    flagged.length > shown.length
      ? html`<p class="note">${flagged.length - shown.length} more incidents need review: sort the <a href="#incidents">incidents table</a> by its “Needs review” column.</p>`
      : html``;
  return html`<section id="needs-review"><h2>Needs review</h2>
<p class="note">${countOf(flagged.length, 'incident')} with review flags from the attribution guard or claims whose quote is not in the document, most severe first. <code>pmlens review</code> records a verdict.</p>
${scrollBox(dataTable(NEEDS_REVIEW_TABLE, rows), 'Incidents that need review')}
${more}
</section>`;
}

/** Longest title and severity a row of the incidents table shows; the details have the full text. */
const ROW_TITLE_MAX = 140;
const ROW_SEVERITY_MAX = 24;
const ROW_TECHNOLOGIES_MAX = 6;

/** One row per incident, kept small: with 10,000 incidents this table is most of report.html. */
function incidentRow(document: ReportDocument, parts: PageParts): SafeHtml {
  const href = parts.links.incident(document.docId);
  const label = shorten(incidentLabel(document.docId, document), ROW_TITLE_MAX);
  const technologies = [...new Set(document.classification.causal.map((finding) => finding.technology))];
  const shownTechnologies =
    technologies.slice(0, ROW_TECHNOLOGIES_MAX).join(', ') + (technologies.length > ROW_TECHNOLOGIES_MAX ? ', …' : '');
  const review = parts.context.review.get(document.docId)?.length ?? 0;
  const { level } = normaliseSeverity(document.severity);
  const severityClass = trusted(level === null ? '' : ` class="sev-${level}"`);
  return html`<tr><td data-sort="${severitySortKey(document.severity)}"${severityClass}>${shorten(document.severity ?? UNKNOWN, ROW_SEVERITY_MAX)}</td><td${trusted(document.date === null ? ' data-sort=""' : '')}>${document.date ?? UNKNOWN}</td><td>${href === undefined ? label : html`<a href="${href}">${label}</a>`}</td><td>${shownTechnologies}</td><td class="num">${review}</td></tr>`;
}

function inlineIncident(document: ReportDocument, parts: PageParts): SafeHtml {
  return html`<details class="item" id="${parts.context.documentAnchors.of(document.docId)}"><summary>${severityText(document.severity)} ${document.date ?? UNKNOWN} · <strong>${incidentLabel(document.docId, document)}</strong></summary><div class="body">
${incidentDetails(document, parts.context, parts.links, 4)}
</div></details>`;
}

function incidents(parts: PageParts, inline: SafeHtml[] | null): SafeHtml {
  const { context } = parts;
  if (context.orderedDocuments.length === 0)
    return html`<section id="incidents"><h2>Incidents</h2><p>No documents were analysed.</p></section>`;
  const where =
    inline === null
      ? html`Each incident's details (summary, causal technologies, digests, evidence) are on its own page under <code>incidents/</code> in this folder.`
      : html`Each incident's details (summary, causal technologies, digests, evidence) are below the table, collapsed.`;
  const table = scrollBox(
    dataTable(
      INCIDENTS_TABLE,
      context.orderedDocuments.map((document) => incidentRow(document, parts)),
    ),
    'Incidents table',
  );
  return html`<section id="incidents"><h2>Incidents</h2>
<p class="note">${countOf(context.orderedDocuments.length, 'incident')}, most severe first (SEV1, P1, S1 and “critical” read as the same level), then the most recent. ${where}</p>
${table}
${inline === null ? html`` : html`<h3>Incident details</h3>${inline}`}
</section>`;
}

function skippedAndFailed(data: ReportData): SafeHtml {
  const more = (total: number, shown: number): SafeHtml =>
    total > shown ? html`<p class="note">${total - shown} more are listed in report.json.</p>` : html``;
  const skipped = data.skipped
    .slice(0, SKIPPED_LIMIT)
    .map(
      (document) => html`<tr><td><code>${document.path}</code></td><td>${document.reason} (${document.code})</td></tr>`,
    );
  const failed = data.failed
    .slice(0, SKIPPED_LIMIT)
    .map(
      (document) =>
        html`<tr><td><code>${document.docId}</code></td><td>${document.stage}</td><td>${document.reason}</td></tr>`,
    );
  return html`<section id="skipped-failed"><h2>Skipped and failed documents</h2>
<h3 id="skipped">Skipped documents (${data.skipped.length})</h3>
${skipped.length === 0 ? html`<p>None.</p>` : scrollBox(html`<table class="compact"><thead><tr><th scope="col">Path</th><th scope="col">Reason</th></tr></thead><tbody>${skipped}</tbody></table>`)}
${more(data.skipped.length, skipped.length)}
<h3 id="failed">Failed documents (${data.failed.length})</h3>
${failed.length === 0 ? html`<p>None.</p>` : scrollBox(html`<table class="compact"><thead><tr><th scope="col">Document</th><th scope="col">Stage</th><th scope="col">Reason</th></tr></thead><tbody>${failed}</tbody></table>`)}
${more(data.failed.length, failed.length)}
${(data.warnings ?? []).length === 0 ? html`` : html`<h3 id="warnings">Warnings (${(data.warnings ?? []).length})</h3><ul>${(data.warnings ?? []).slice(0, SKIPPED_LIMIT).map((warning) => html`<li>${warning}</li>`)}</ul>${more((data.warnings ?? []).length, Math.min((data.warnings ?? []).length, SKIPPED_LIMIT))}`}
</section>`;
}

function approval(data: ReportData): SafeHtml {
  const rows = data.approval ?? [];
  if (rows.length === 0) return html`<section id="approval"><h2>Reviewer approval</h2><p>No reviews yet.</p></section>`;
  return html`<section id="approval"><h2>Reviewer approval</h2><div class="table-scroll"><table class="compact"><thead><tr><th scope="col">Stage</th><th scope="col">Prompt version</th><th scope="col" class="num">Up</th><th scope="col" class="num">Down or edited</th><th scope="col" class="num">Approval</th></tr></thead><tbody>${rows.map(
    (row) =>
      html`<tr><td>${row.stage}</td><td>${row.promptVersion}</td><td class="num">${row.up}</td><td class="num">${row.down}</td><td class="num">${row.approval === null ? 'n/a' : `${Math.round(row.approval * 100)}%`}</td></tr>`,
  )}</tbody></table></div></section>`;
}

/**
 * report.html: one offline file (no network, CSP-locked) whose first screen is the executive
 * summary; every text from the data is escaped. Incident details are inline and collapsed while
 * they fit the budget, otherwise on pages of their own returned in `files`.
 */
export function renderHtml(
  data: ReportData,
  renderedCharts: readonly RenderedChart[],
  options: HtmlOptions = {},
): RenderedHtml {
  const context = createReportContext(data);
  const budget = options.inlineDetailsBudget ?? INLINE_DETAILS_BUDGET;
  const inlineLayout = createLayout(context, data.opportunities, false);
  const inlineParts: PageParts = {
    data,
    context,
    layout: inlineLayout,
    links: new ReportLinks(context, inlineLayout, 0),
    order: severityOrder(context),
    views: opportunityViews(data, context.documents, context.review),
  };
  let inline: SafeHtml[] | null = [];
  let size = 0;
  for (const document of context.orderedDocuments) {
    const details = inlineIncident(document, inlineParts);
    size += Buffer.byteLength(details.value);
    if (size > budget) {
      inline = null;
      break;
    }
    inline.push(details);
  }
  const layout = inline === null ? createLayout(context, data.opportunities, true) : inlineLayout;
  const parts: PageParts =
    inline === null ? { ...inlineParts, layout, links: new ReportLinks(context, layout, 0) } : inlineParts;
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${REPORT_TITLE} · ${data.runId}</title>
<style>${trusted(REPORT_STYLE)}</style>
</head>
<body>
${header(data)}
<main>
${summary(parts, options.changes)}
<p class="print-only note">Printed: the executive summary and the opportunities. Patterns, charts, incidents and review items are in report.html.</p>
${opportunities(parts)}
${patterns(parts)}
${factors(parts)}
${charts(renderedCharts)}
${needsReview(parts)}
${quarantineSectionHtml(data, (docId) => incidentLink(docId, parts.context, parts.links))}
${directivesSectionHtml(data, (docId) => incidentLink(docId, parts.context, parts.links))}
${incidents(parts, inline)}
${skippedAndFailed(data)}
${approval(data)}
</main>
<script>${trusted(REPORT_SCRIPT)}</script>
</body>
</html>
`;
  return { html: page.value, files: renderExtraPages(data, context, layout) };
}
