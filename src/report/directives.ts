/**
 * Instructions found in documents: the sentences of the corpus addressed to a model (chat role
 * tags, "ignore previous instructions", "classify X as the root cause"), as ingest found them
 * (src/ingest/directives.ts). They were withheld from every model and never accepted as evidence;
 * the report lists them so a reader knows a document tried to steer the analysis.
 */
import type { ReportData, ReportDocument } from '../schemas/index.ts';
import { escapeMarkdown as text } from './escape.ts';
import { countOf } from './format.ts';
import { html, type SafeHtml } from './safe-html.ts';

/** Longest directive text shown; the rest is cut with an ellipsis. */
export const DIRECTIVE_TEXT_MAX = 200;

const NOTE =
  'addressed to a model rather than to readers: withheld from every model, never accepted as evidence (a cause quoting one is demoted).';

export function documentsWithDirectives(data: Pick<ReportData, 'documents'>): ReportDocument[] {
  return data.documents.filter((document) => (document.directives ?? []).length > 0);
}

function shortened(value: string): string {
  return value.length <= DIRECTIVE_TEXT_MAX ? value : `${value.slice(0, DIRECTIVE_TEXT_MAX - 1)}…`;
}

function total(documents: readonly ReportDocument[]): number {
  return documents.reduce((sum, document) => sum + (document.directives ?? []).length, 0);
}

/** The "## Instructions found in documents" section of report.md; empty when no document holds one. `link` renders an incident reference (already escaped). */
export function directivesSectionMarkdown(
  data: Pick<ReportData, 'documents'>,
  link: (docId: string) => string,
): string[] {
  const documents = documentsWithDirectives(data);
  if (documents.length === 0) return [];
  return [
    '## Instructions found in documents',
    '',
    `${countOf(total(documents), 'sentence')} in ${countOf(documents.length, 'document')} ${NOTE}`,
    '',
    ...documents.flatMap((document) => [
      `- ${link(document.docId)}:`,
      ...(document.directives ?? []).map(
        (directive) => `  - ${text(directive.section)}: “${text(shortened(directive.text))}”`,
      ),
    ]),
    '',
  ];
}

/** The "Instructions found in documents" section of report.html; empty when no document holds one. `link` renders an incident reference. */
export function directivesSectionHtml(
  data: Pick<ReportData, 'documents'>,
  link: (docId: string) => SafeHtml,
): SafeHtml {
  const documents = documentsWithDirectives(data);
  if (documents.length === 0) return html``;
  return html`<section id="instructions-found"><h2>Instructions found in documents (${total(documents)})</h2>
<p class="note">${countOf(total(documents), 'sentence')} in ${countOf(documents.length, 'document')} ${NOTE}</p>
<ul>${documents.map(
    (document) =>
      html`<li>${link(document.docId)}<ul>${(document.directives ?? []).map(
        (directive) => html`<li>${directive.section}: <q>${shortened(directive.text)}</q></li>`,
      )}</ul></li>`,
  )}</ul>
</section>`;
}
