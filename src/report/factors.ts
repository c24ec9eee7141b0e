/**
 * Recurring contributing factors: the factors the digests name ("retries without backoff",
 * "connection-pool-sizing"), rolled up across the corpus, once per incident, whatever the
 * technology. A factor shared by two or more incidents is a finding of its own, beside the themes
 * (which group incidents by mechanism): a reliability lead reads "no canary: 14 incidents across 6
 * technologies" where each theme shows it only among its own members. Every count is traceable to
 * the incidents listed under it; quarantined documents are left out, as everywhere a fact is shown.
 */
import type { ReportDocument } from '../schemas/index.ts';
import { escapeMarkdown as text } from './escape.ts';
import { countOf, technologiesText } from './format.ts';
import { html, type SafeHtml } from './safe-html.ts';

/** How many recurring factors the executive summary names. */
export const SUMMARY_FACTORS = 3;

/** Incidents a factor needs to recur. */
export const FACTOR_MIN_INCIDENTS = 2;

export interface RecurringFactor {
  /** The factor as the first digest (in report order) that names it spells it. */
  factor: string;
  /** Member incidents, in report order (most severe first), each once. */
  incidentIds: string[];
  /** The causal technologies whose digests name the factor. */
  technologies: string[];
}

/** Spellings that differ only in case, spaces, hyphens or underscores are one factor. */
function factorKey(factor: string): string {
  return factor
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');
}

/**
 * The factors of two or more incidents, the most incidents first (then the most technologies, then by
 * name). `ordered` is the documents in report order; only a causal technology's digest counts.
 */
export function recurringFactors(ordered: readonly ReportDocument[]): RecurringFactor[] {
  const byKey = new Map<string, RecurringFactor>();
  for (const document of ordered) {
    if (document.quarantine !== undefined) continue;
    const causal = new Set(document.classification.causal.map((cause) => cause.technology));
    for (const digest of document.digests) {
      if (!causal.has(digest.technology)) continue;
      for (const factor of digest.contributingFactors) {
        const key = factorKey(factor);
        if (key === '') continue;
        const entry = byKey.get(key) ?? { factor: factor.trim(), incidentIds: [], technologies: [] };
        byKey.set(key, entry);
        if (entry.incidentIds.at(-1) !== document.docId) entry.incidentIds.push(document.docId);
        if (!entry.technologies.includes(digest.technology)) entry.technologies.push(digest.technology);
      }
    }
  }
  return [...byKey.values()]
    .filter((entry) => entry.incidentIds.length >= FACTOR_MIN_INCIDENTS)
    .map((entry) => ({ ...entry, technologies: [...entry.technologies].sort() }))
    .sort(
      (left, right) =>
        right.incidentIds.length - left.incidentIds.length ||
        right.technologies.length - left.technologies.length ||
        left.factor.localeCompare(right.factor),
    );
}

/** The id of a factor's details in report.html, by its rank (1 for the first). */
export function factorAnchor(rank: number): string {
  return `factor-${rank}`;
}

/** "9 incidents, 4 technologies": a factor's counts, as the executive summary gives them. */
export function factorCountsText(entry: RecurringFactor): string {
  return `${countOf(entry.incidentIds.length, 'incident')}, ${countOf(entry.technologies.length, 'technology', 'technologies')}`;
}

function acrossText(entry: RecurringFactor): string {
  return entry.technologies.length > 1
    ? `across ${countOf(entry.technologies.length, 'technology', 'technologies')}`
    : 'one technology';
}

function introText(factors: readonly RecurringFactor[]): string {
  const across = factors.filter((entry) => entry.technologies.length > 1).length;
  return `${countOf(factors.length, 'contributing factor recurs', 'contributing factors recur')} in two or more incidents, ${across} of them across technologies. Each incident counts once per factor; digests.csv lists every digest with its factors.`;
}

/** The "## Recurring contributing factors" section of report.md; `link` renders an incident reference. */
export function factorsSectionMarkdown(
  factors: readonly RecurringFactor[],
  link: (docId: string) => string,
  limit: number,
): string[] {
  const lines = ['## Recurring contributing factors', ''];
  if (factors.length === 0) return [...lines, 'No contributing factor recurs in two or more incidents.', ''];
  lines.push(introText(factors), '');
  for (const entry of factors) {
    const shown = entry.incidentIds.slice(0, limit);
    const more = entry.incidentIds.length - shown.length;
    lines.push(
      `### ${text(entry.factor)}`,
      '',
      `${countOf(entry.incidentIds.length, 'incident')}, ${acrossText(entry)}: ${text(technologiesText(entry.technologies))}.`,
      '',
      ...shown.map((docId) => `- ${link(docId)}`),
      ...(more > 0 ? [`- and ${countOf(more, 'more incident')} (digests.csv)`] : []),
      '',
    );
  }
  return lines;
}

/** The "Recurring contributing factors" section of report.html; `table` renders the summary table. */
export function factorsSectionHtml(
  factors: readonly RecurringFactor[],
  parts: {
    table: (rows: SafeHtml[]) => SafeHtml;
    list: (docIds: readonly string[]) => SafeHtml;
    limit: number;
  },
): SafeHtml {
  const heading = html`<h2>Recurring contributing factors</h2>`;
  if (factors.length === 0)
    return html`<section id="factors">${heading}<p>No contributing factor recurs in two or more incidents.</p></section>`;
  const rows = factors.map(
    (entry, index) =>
      html`<tr><td><a href="#${factorAnchor(index + 1)}">${entry.factor}</a></td><td class="num">${entry.incidentIds.length}</td><td class="num">${entry.technologies.length}</td><td>${technologiesText(entry.technologies)}</td></tr>`,
  );
  const details = factors.map((entry, index) => {
    const more = entry.incidentIds.length - Math.min(entry.incidentIds.length, parts.limit);
    return html`<details class="item" id="${factorAnchor(index + 1)}"><summary><strong>${entry.factor}</strong> · ${countOf(entry.incidentIds.length, 'incident')} · ${acrossText(entry)}</summary><div class="body">
<p class="meta">${technologiesText(entry.technologies)}</p>
${parts.list(entry.incidentIds.slice(0, parts.limit))}${more > 0 ? html`<p class="note">${countOf(more, 'more incident')} with this factor: digests.csv lists them.</p>` : html``}
</div></details>`;
  });
  return html`<section id="factors">${heading}
<p class="note">${introText(factors)}</p>
${parts.table(rows)}
${details}
</section>`;
}
