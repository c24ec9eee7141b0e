import { NOT_STATED, type Claim, type ReportData, type ReportDocument } from '../schemas/index.ts';
import type { RenderedChart } from './charts.ts';
import {
  NO_SINGLE_TECHNOLOGY,
  REPORT_TITLE,
  UNKNOWN,
  claimText,
  countOf,
  countRows,
  faultCategoryLabel,
  formatNumber,
  formatSeverities,
  incidentLabel,
  rankOpportunities,
  reportCounts,
  statedClaims,
} from './format.ts';
import { createReportContext, type ReportContext } from './report-context.ts';
import { REPORT_STYLE } from './html-style.ts';
import { html, trusted, type SafeHtml } from './safe-html.ts';

/** Blocks every network request even if a browser finds something to fetch; only inline styles and data: images. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";


function notStated(): SafeHtml {
  return html`<span class="not-stated">${NOT_STATED}</span>`;
}

function quotes(sentences: readonly string[]): SafeHtml {
  if (sentences.length === 0) return html``;
  return html`<blockquote>${sentences.map((sentence) => html`<p>“${sentence}”</p>`)}</blockquote>`;
}

function incidentLink(docId: string, context: ReportContext): SafeHtml {
  const label = incidentLabel(docId, context.documents.get(docId));
  const anchor = context.documentAnchors.of(docId);
  if (anchor === undefined) return html`${label} (<code>${docId}</code>, not in this report)`;
  return html`<a href="#${anchor}">${label}</a> (<code>${docId}</code>)`;
}

function incidentList(docIds: readonly string[], context: ReportContext): SafeHtml {
  return html`<ul>${docIds.map((docId) => html`<li>${incidentLink(docId, context)}</li>`)}</ul>`;
}

function header(data: ReportData): SafeHtml {
  const { engine } = data;
  const rows = countRows(reportCounts(data)).map(([label, value]) => html`<tr><th>${label}</th><td>${value}</td></tr>`);
  return html`<header>
<h1>${REPORT_TITLE}</h1>
<p class="meta">Generated at ${data.generatedAt} · run <code>${data.runId}</code> · engine ${engine.id} (model ${engine.model}, version ${engine.version})</p>
<nav><ul>
<li><a href="#charts">Charts</a></li><li><a href="#opportunities">Opportunities</a></li>
<li><a href="#patterns">Recurring failure patterns</a></li><li><a href="#incidents">Incidents</a></li>
<li><a href="#skipped">Skipped documents</a></li><li><a href="#failed">Failed documents</a></li>
</ul></nav>
<table><tbody>${rows}</tbody></table>
</header>`;
}

function charts(rendered: readonly RenderedChart[]): SafeHtml {
  const figures = rendered.map(
    (chart) => html`<figure id="${chart.id}" aria-label="${chart.title}">
${chart.svg === null ? html`<p class="note"><strong>${chart.title}:</strong> no data.</p>` : trusted(chart.svg)}
${chart.notes.map((note) => html`<figcaption class="note">${note}</figcaption>`)}
</figure>`,
  );
  return html`<section id="charts"><h2>Charts</h2>${figures}</section>`;
}

function opportunities(data: ReportData, context: ReportContext): SafeHtml {
  const cards = rankOpportunities(data.opportunities).map((opportunity, index) => {
    const { impact } = opportunity;
    const patternLinks = opportunity.patternIds.map((patternId) => {
      const anchor = context.patternAnchors.of(patternId);
      const theme = context.patterns.get(patternId)?.theme ?? patternId;
      return html`<li>${anchor === undefined ? html`${theme} (not in this report)` : html`<a href="#${anchor}">${theme}</a>`}</li>`;
    });
    return html`<article class="card">
<h3>${index + 1}. ${opportunity.title}</h3>
<p class="meta">Score ${formatNumber(opportunity.score)} · technology: ${opportunity.technology ?? NO_SINGLE_TECHNOLOGY}</p>
<p>${opportunity.rationale}</p>
<h4>Measured impact</h4>
<p class="note">From the incident-metadata file only; n/a means not measured.</p>
<table><tbody>
<tr><th>Incidents</th><td>${impact.incidents}</td></tr>
<tr><th>Incidents with metadata</th><td>${impact.incidentsWithMetadata}</td></tr>
<tr><th>Total duration (minutes)</th><td>${formatNumber(impact.totalDurationMinutes)}</td></tr>
<tr><th>Customers affected</th><td>${formatNumber(impact.totalCustomersAffected)}</td></tr>
<tr><th>Cost</th><td>${formatNumber(impact.totalCost)}</td></tr>
<tr><th>Severities</th><td>${formatSeverities(impact.severities)}</td></tr>
</tbody></table>
<h4>Patterns</h4><ul>${patternLinks}</ul>
<h4>Incidents</h4>${incidentList(opportunity.incidentIds, context)}
</article>`;
  });
  const body = cards.length === 0 ? html`<p>No opportunities were found.</p>` : cards;
  return html`<section id="opportunities"><h2>Opportunities</h2>${body}</section>`;
}

function patterns(data: ReportData, context: ReportContext): SafeHtml {
  const cards = data.patterns.map(
    (pattern) => html`<article class="card" id="${context.patternAnchors.of(pattern.id)}">
<h3>${pattern.theme}</h3>
<p class="meta">${pattern.technology} · ${faultCategoryLabel(pattern.faultCategory)} · ${countOf(pattern.count, 'incident')}</p>
<p>${pattern.description}</p>
<p><strong>Contributing factors:</strong> ${pattern.contributingFactors.length === 0 ? notStated() : pattern.contributingFactors.join('; ')}</p>
${pattern.evidence.length === 0 ? html`` : html`<h4>Evidence</h4>${quotes(pattern.evidence)}`}
<h4>Supporting incidents</h4>${incidentList(pattern.incidentIds, context)}
</article>`,
  );
  const body = cards.length === 0 ? html`<p>No recurring failure patterns were found.</p>` : cards;
  return html`<section id="patterns"><h2>Recurring failure patterns</h2>${body}</section>`;
}

function claimItem(label: string, claim: Claim): SafeHtml {
  return html`<dt>${label}</dt><dd>${claimText(claim) === NOT_STATED ? notStated() : claim.text}${quotes(claim.evidence)}</dd>`;
}

function claimListItem(label: string, claims: readonly Claim[]): SafeHtml {
  const stated = statedClaims(claims);
  if (stated.length === 0) return html`<dt>${label}</dt><dd>${notStated()}</dd>`;
  return html`<dt>${label}</dt><dd><ul>${stated.map((claim) => html`<li>${claim.text}${quotes(claim.evidence)}</li>`)}</ul></dd>`;
}

function incident(document: ReportDocument, context: ReportContext): SafeHtml {
  const { summary, classification } = document;
  const causal = classification.causal.map(
    (finding) => html`<li><strong>${finding.technology}</strong>: ${finding.role} (confidence ${formatNumber(finding.confidence)})${quotes(finding.evidence)}</li>`,
  );
  const unnamed = classification.unnamedCause === null ? html`` : html`<p>Unnamed datastore cause: ${classification.unnamedCause}</p>`;
  const mentioned = classification.mentioned.map(
    (mention) => html`<li><strong>${mention.technology}</strong> (${mention.context}): ${mention.reason}</li>`,
  );
  const digests = document.digests.map(
    (digest) => html`<li><strong>${digest.technology}</strong>, ${faultCategoryLabel(digest.faultCategory)}: ${digest.sentences.join(' ')}
<br><span class="note">Contributing factors: ${digest.contributingFactors.length === 0 ? notStated() : digest.contributingFactors.join('; ')}</span></li>`,
  );
  const flags = classification.flags.map((flag) => html`<li><strong>${flag.technology}</strong> (${flag.kind}): ${flag.reason}</li>`);
  const unverified = (document.verification?.unverified ?? []).map(
    (claim) => html`<li>${claim.stage} · ${claim.field}: ${claim.quote === null ? 'no evidence cited' : html`“${claim.quote}” is not in the document`}</li>`,
  );
  const trust = document.verification
    ? html`<p class="note">Verified claims: ${document.verification.verified} of ${document.verification.claims}</p>`
    : html``;
  const review =
    flags.length + unverified.length === 0
      ? html``
      : html`<h4>Needs review</h4><ul>${flags}${unverified}</ul>`;
  return html`<article class="card" id="${context.documentAnchors.of(document.docId)}">
<h3>${incidentLabel(document.docId, document)}</h3>
<p class="meta">Date ${document.date ?? UNKNOWN} · severity ${document.severity ?? UNKNOWN} · id <code>${document.docId}</code> · source <code>${document.sourcePath}</code></p>
<h4>Summary</h4>
<dl>
${claimItem('Issue', summary.issue)}
${claimListItem('Root causes', summary.rootCauses)}
${claimItem('Impact', summary.impact)}
${claimItem('Resolution', summary.resolution)}
${claimListItem('Preventive actions', summary.preventiveActions)}
</dl>
<h4>Causal technologies</h4>${causal.length === 0 ? html`<p>None found.</p>` : html`<ul>${causal}</ul>`}${unnamed}
<h4>Mentioned, not causal</h4>${mentioned.length === 0 ? html`<p>None.</p>` : html`<ul>${mentioned}</ul>`}
<h4>Digests</h4>${digests.length === 0 ? html`<p>None.</p>` : html`<ul>${digests}</ul>`}
${review}${trust}
</article>`;
}

function skippedAndFailed(data: ReportData): SafeHtml {
  const skipped = data.skipped.map(
    (document) => html`<tr><td><code>${document.path}</code></td><td>${document.reason} (${document.code})</td></tr>`,
  );
  const failed = data.failed.map(
    (document) => html`<tr><td><code>${document.docId}</code></td><td>${document.stage}</td><td>${document.reason}</td></tr>`,
  );
  return html`<section id="skipped"><h2>Skipped documents</h2>
${skipped.length === 0 ? html`<p>None.</p>` : html`<table><thead><tr><th>Path</th><th>Reason</th></tr></thead><tbody>${skipped}</tbody></table>`}
</section>
<section id="failed"><h2>Failed documents</h2>
${failed.length === 0 ? html`<p>None.</p>` : html`<table><thead><tr><th>Document</th><th>Stage</th><th>Reason</th></tr></thead><tbody>${failed}</tbody></table>`}
</section>`;
}

/** report.html: one self-contained, offline file; every text from the data is escaped. */
function approval(data: ReportData): SafeHtml {
  const rows = data.approval ?? [];
  if (rows.length === 0) return html`<section id="approval"><h2>Reviewer approval</h2><p>No reviews yet.</p></section>`;
  return html`<section id="approval"><h2>Reviewer approval</h2><table><thead><tr><th>Stage</th><th>Prompt version</th><th>Up</th><th>Down or edited</th><th>Approval</th></tr></thead><tbody>${rows.map(
    (row) => html`<tr><td>${row.stage}</td><td>${row.promptVersion}</td><td>${row.up}</td><td>${row.down}</td><td>${row.approval === null ? 'n/a' : `${Math.round(row.approval * 100)}%`}</td></tr>`,
  )}</tbody></table></section>`;
}

export function renderHtml(data: ReportData, renderedCharts: readonly RenderedChart[]): string {
  const context = createReportContext(data);
  const incidents = data.documents.map((document) => incident(document, context));
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
${charts(renderedCharts)}
${opportunities(data, context)}
${patterns(data, context)}
<section id="incidents"><h2>Incidents</h2>${incidents.length === 0 ? html`<p>No documents were analysed.</p>` : incidents}</section>
${skippedAndFailed(data)}
${approval(data)}
</main>
</body>
</html>
`;
  return page.value;
}
