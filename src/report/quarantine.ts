/**
 * Quarantined documents in the report: a "Quarantined" section (count and list, with why), and
 * what an incident shows in place of its summary, causes and digests: only "quarantined: not
 * shown as fact". The rule that quarantines a document is in src/trust/quarantine.ts; its claims
 * wait in the review queue.
 */
import type { ReportData, ReportDocument } from '../schemas/index.ts';
import { escapeMarkdown as text, escapeMarkdownLineStart as lineStart } from './escape.ts';
import { countOf } from './format.ts';
import { html, type SafeHtml } from './safe-html.ts';

/** What a quarantined document shows instead of its summary. */
export const QUARANTINE_NOTE = 'quarantined: not shown as fact';

export function quarantinedDocuments(data: Pick<ReportData, 'documents'>): ReportDocument[] {
  return data.documents.filter((document) => document.quarantine !== undefined);
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** One line of why: "garbage: summary field without text: issue (verified share 0%)". */
export function quarantineReason(document: ReportDocument): string {
  const quarantine = document.quarantine;
  if (!quarantine) return '';
  return `${quarantine.reason}: ${quarantine.detail} (verified share ${percent(quarantine.verifiedShare)})`;
}

/** The "## Quarantined" section of report.md; `link` renders an incident reference (already escaped). */
export function quarantineSectionMarkdown(
  data: Pick<ReportData, 'documents'>,
  link: (docId: string) => string,
): string[] {
  const quarantined = quarantinedDocuments(data);
  const lines = ['## Quarantined', ''];
  if (quarantined.length === 0) return [...lines, 'None: no document was quarantined.', ''];
  return [
    ...lines,
    `${countOf(quarantined.length, 'document')} quarantined: their claims are not shown as fact, left out of themes and opportunities, and queued for review (\`pmlens review\`).`,
    '',
    ...quarantined.map((document) => `- ${link(document.docId)}: ${text(quarantineReason(document))}`),
    '',
  ];
}

/** The lines an incident shows in place of its summary, causes and digests. */
export function quarantinedIncidentMarkdown(document: ReportDocument): string[] {
  return [`**${QUARANTINE_NOTE}**`, '', lineStart(`Why: ${quarantineReason(document)}.`), ''];
}

/** The "Quarantined" section of report.html; `link` renders an incident reference. */
export function quarantineSectionHtml(
  data: Pick<ReportData, 'documents'>,
  link: (docId: string) => SafeHtml,
): SafeHtml {
  const quarantined = quarantinedDocuments(data);
  if (quarantined.length === 0)
    return html`<section id="quarantined"><h2>Quarantined (0)</h2><p>None: no document was quarantined.</p></section>`;
  return html`<section id="quarantined"><h2>Quarantined (${quarantined.length})</h2>
<p class="note">${countOf(quarantined.length, 'document')} quarantined: their claims are not shown as fact, left out of themes and opportunities, and queued for review (<code>pmlens review</code>).</p>
<ul>${quarantined.map((document) => html`<li>${link(document.docId)}: ${quarantineReason(document)}</li>`)}</ul>
</section>`;
}

/** What an incident's details show in place of its summary, causes and digests. */
export function quarantinedIncidentHtml(document: ReportDocument): SafeHtml {
  return html`<p class="quarantined"><strong>${QUARANTINE_NOTE}</strong></p><p class="note">Why: ${quarantineReason(document)}.</p>`;
}
