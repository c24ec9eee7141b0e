/** HTML pieces shared by report.html and the pages beside it. */
import { NOT_STATED, type Claim, type ReportDocument } from '../schemas/index.ts';
import {
  UNKNOWN,
  UNVERIFIED_MARK,
  claimText,
  faultCategoryLabel,
  formatNumber,
  incidentLabel,
  statedClaimsWithFields,
  unverifiedSummaryFields,
} from './format.ts';
import type { ReportLinks } from './html-links.ts';
import type { ReviewItem } from './insights.ts';
import type { ReportContext } from './report-context.ts';
import { normaliseSeverity } from './severity.ts';
import { html, trusted, type SafeHtml } from './safe-html.ts';
import { quarantinedIncidentHtml } from './quarantine.ts';

export function notStated(): SafeHtml {
  return html`<span class="not-stated">${NOT_STATED}</span>`;
}

export function quotes(sentences: readonly string[]): SafeHtml {
  if (sentences.length === 0) return html``;
  return html`<blockquote>${sentences.map((sentence) => html`<p>“${sentence}”</p>`)}</blockquote>`;
}

/** The severity as written, coloured by its normalised level. */
export function severityText(severity: string | null): SafeHtml {
  const { level } = normaliseSeverity(severity);
  if (severity === null) return html`${UNKNOWN}`;
  return level === null ? html`${severity}` : html`<span class="sev-${level}">${severity}</span>`;
}

export function incidentLink(docId: string, context: ReportContext, links: ReportLinks): SafeHtml {
  const label = incidentLabel(docId, context.documents.get(docId));
  const href = links.incident(docId);
  if (href === undefined) return html`${label} (<code>${docId}</code>, not in this report)`;
  return html`<a href="${href}">${label}</a> (<code>${docId}</code>)`;
}

/**
 * A list of incidents, most severe first. Beyond `limit` entries it ends with a link to the page
 * (or section) that lists all of them.
 */
export function incidentList(
  docIds: readonly string[],
  context: ReportContext,
  links: ReportLinks,
  options: { order: ReadonlyMap<string, number>; limit?: number; all?: { href: string; label: string } } = {
    order: new Map(),
  },
): SafeHtml {
  const unique = [...new Set(docIds)];
  const missing = unique.length;
  const sorted = unique.sort(
    (left, right) => (options.order.get(left) ?? missing) - (options.order.get(right) ?? missing),
  );
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const shown = sorted.slice(0, limit);
  const more =
    sorted.length > shown.length && options.all
      ? html`<li><a href="${options.all.href}">${options.all.label}</a> (${sorted.length - shown.length} more)</li>`
      : html``;
  return html`<ul class="incident-list">${shown.map((docId) => html`<li>${incidentLink(docId, context, links)}</li>`)}${more}</ul>`;
}

/** A claim's text, marked when its evidence did not verify: shown for review, never as fact. */
function claimBody(claim: Claim, unverified: boolean): SafeHtml {
  if (claimText(claim) === NOT_STATED) return notStated();
  return unverified ? html`<span class="unverified">${UNVERIFIED_MARK}</span> ${claim.text}` : html`${claim.text}`;
}

function claimItem(label: string, claim: Claim, unverified = false): SafeHtml {
  return html`<dt>${label}</dt><dd>${claimBody(claim, unverified)}${quotes(claim.evidence)}</dd>`;
}

function claimListItem(
  label: string,
  field: string,
  claims: readonly Claim[],
  unverified: ReadonlySet<string>,
): SafeHtml {
  const stated = statedClaimsWithFields(field, claims);
  if (stated.length === 0) return html`<dt>${label}</dt><dd>${notStated()}</dd>`;
  return html`<dt>${label}</dt><dd><ul>${stated.map(({ field: name, claim }) => html`<li>${claimBody(claim, unverified.has(name))}${quotes(claim.evidence)}</li>`)}</ul></dd>`;
}

export function reviewList(items: readonly ReviewItem[], limit = Number.POSITIVE_INFINITY): SafeHtml {
  const shown = items.slice(0, limit);
  const more =
    items.length > shown.length
      ? html`<li>and ${items.length - shown.length} more in the incident's details</li>`
      : html``;
  return html`<ul>${shown.map((item) => html`<li><strong>${item.subject}</strong>: ${item.reason}</li>`)}${more}</ul>`;
}

/**
 * Everything the report knows about one incident. `level` is the heading level of its parts
 * (4 inside report.html, 2 on the incident's own page).
 */
export function incidentDetails(
  document: ReportDocument,
  context: ReportContext,
  links: ReportLinks,
  level: 2 | 4,
): SafeHtml {
  const heading = (text: string): SafeHtml => html`${trusted(`<h${level}>`)}${text}${trusted(`</h${level}>`)}`;
  const { summary, classification } = document;
  const unverified = unverifiedSummaryFields(document);
  const causal = classification.causal.map(
    (finding) =>
      html`<li><strong>${finding.technology}</strong>: ${finding.role} (confidence ${formatNumber(finding.confidence)})${quotes(finding.evidence)}</li>`,
  );
  const unnamed =
    classification.unnamedCause === null
      ? html``
      : html`<p>Unnamed datastore cause: ${classification.unnamedCause}</p>`;
  const mentioned = classification.mentioned.map(
    (mention) => html`<li><strong>${mention.technology}</strong> (${mention.context}): ${mention.reason}</li>`,
  );
  const digests = document.digests.map(
    (
      digest,
    ) => html`<li><strong>${digest.technology}</strong>, ${faultCategoryLabel(digest.faultCategory)}: ${digest.sentences.join(' ')}
<br><span class="note">Contributing factors: ${digest.contributingFactors.length === 0 ? notStated() : digest.contributingFactors.join('; ')}</span></li>`,
  );
  const items = context.review.get(document.docId) ?? [];
  const review =
    items.length === 0 ? html`` : html`<div class="review">${heading('Needs review')}${reviewList(items)}</div>`;
  const patterns = context.patternsOfIncident.get(document.docId) ?? [];
  const patternLine =
    patterns.length === 0
      ? html``
      : html`<p>Part of ${patterns.length === 1 ? 'pattern' : 'patterns'}: ${patterns.map((pattern, index) => {
          const href = links.pattern(pattern.id);
          const link = href === undefined ? html`${pattern.theme}` : html`<a href="${href}">${pattern.theme}</a>`;
          return index === 0 ? link : html`, ${link}`;
        })}</p>`;
  const trust = document.verification
    ? html`<p class="note">Verified claims: ${document.verification.verified} of ${document.verification.claims}</p>`
    : html``;
  const normalised = normaliseSeverity(document.severity);
  const severityNote =
    document.severity !== null && normalised.label !== document.severity ? ` (${normalised.label})` : '';
  return html`<p class="meta">Severity ${document.severity ?? UNKNOWN}${severityNote} · date ${document.date ?? UNKNOWN} · id <code>${document.docId}</code> · source <code>${document.sourcePath}</code></p>
${patternLine}${review}
${heading('Summary')}
${
  document.quarantine
    ? html`${quarantinedIncidentHtml(document)}${trust}`
    : html`<dl>
${claimItem('Issue', summary.issue, unverified.has('issue'))}
${claimListItem('Root causes', 'rootCauses', summary.rootCauses, unverified)}
${claimItem('Impact', summary.impact, unverified.has('impact'))}
${claimItem('Resolution', summary.resolution, unverified.has('resolution'))}
${claimListItem('Preventive actions', 'preventiveActions', summary.preventiveActions, unverified)}
</dl>
${heading('Causal technologies')}${causal.length === 0 ? html`<p>None found.</p>` : html`<ul>${causal}</ul>`}${unnamed}
${heading('Mentioned, not causal')}${mentioned.length === 0 ? html`<p>None.</p>` : html`<ul>${mentioned}</ul>`}
${heading('Digests')}${digests.length === 0 ? html`<p>None.</p>` : html`<ul>${digests}</ul>`}
${trust}`
}`;
}
