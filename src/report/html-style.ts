import { stackedTableStyle } from './html-tables.ts';

/**
 * The report's inline stylesheets: no fonts, images or URLs, so the files work offline. Text
 * colours keep WCAG AA contrast (4.5:1 or more) on every background used here; long tokens wrap
 * anywhere so nothing widens the page on a phone; print keeps the summary and the opportunities.
 */

/** Shared by report.html and the pages beside it (incidents/, patterns/, opportunities/). */
export const BASE_STYLE = `
:root { color-scheme: light; --text: #1f2328; --muted: #57606a; --border: #d0d7de; --subtle: #f6f8fa; --link: #0550ae; }
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
  margin: 0 auto; max-width: 1200px; padding: 0.75rem 1.25rem 3rem; line-height: 1.45; color: var(--text); background: #fff;
  overflow-wrap: anywhere; }
a { color: var(--link); }
a:focus-visible, button:focus-visible, summary:focus-visible, input:focus-visible { outline: 3px solid var(--link); outline-offset: 2px; }
h1 { font-size: 1.6rem; margin: 0.25rem 0; }
h2 { font-size: 1.35rem; border-bottom: 1px solid var(--border); padding-bottom: 0.2rem; margin: 2rem 0 0.5rem; }
h3 { font-size: 1.1rem; margin: 1.25rem 0 0.4rem; }
h4 { font-size: 1rem; margin: 0.9rem 0 0.25rem; }
p { margin: 0.4rem 0; }
.meta, .note { color: var(--muted); }
.note { font-size: 0.9em; }
.not-stated { color: var(--muted); font-style: italic; }
.unverified { color: var(--warn, #8a4b00); font-weight: 600; }
nav ul { display: flex; flex-wrap: wrap; gap: 0.1rem 1rem; list-style: none; padding: 0; margin: 0.25rem 0 0; }
.sev-0, .sev-1 { color: #a40e26; font-weight: 600; }
.sev-2 { color: #953800; font-weight: 600; }
blockquote { margin: 0.3rem 0; padding: 0.1rem 0.8rem; border-left: 4px solid var(--border); color: var(--muted); }
blockquote p { margin: 0.15rem 0; }
.review { background: #fff8c5; border: 1px solid #bf8700; border-radius: 6px; padding: 0.25rem 0.75rem; margin: 0.5rem 0; }
.review h2, .review h4 { margin-top: 0.25rem; border: 0; }
dl { margin: 0.25rem 0; }
dt { font-weight: 600; margin-top: 0.4rem; }
dd { margin-left: 1.25rem; }
ul { padding-left: 1.4rem; margin: 0.25rem 0; }
code { background: var(--subtle); padding: 0 0.25rem; border-radius: 4px; }
`;

/** report.html's stylesheet: the base, tables, the summary grid, the table tools and print. */
export const REPORT_STYLE = `${BASE_STYLE}#summary h2 { margin-top: 0.75rem; }
.summary-grid { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 1fr); gap: 0 2rem; }
@media (max-width: 900px) { .summary-grid { grid-template-columns: minmax(0, 1fr); } }
.summary-grid h3 { margin-top: 0.5rem; }
.table-scroll { overflow-x: auto; max-width: 100%; margin: 0.4rem 0 1rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--border); padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { overflow-wrap: normal; }
thead th { background: var(--subtle); }
tbody th { background: var(--subtle); font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
table.top td:nth-child(2), table[data-table="opportunities"] td:nth-child(2), table[data-table="themes"] td:nth-child(1),
table[data-table="incidents"] td:nth-child(3), table[data-table="incidents that need review"] td:nth-child(odd) { min-width: 9rem; }
td.score { min-width: 10rem; }
.term { white-space: nowrap; }
table.top td:nth-child(2) { width: 45%; }
@media (max-width: 600px) {
  body { padding: 0.5rem 0.6rem 2rem; }
  table { font-size: 0.8125rem; }
  th, td { padding: 0.2rem 0.25rem; }
  table.top, table.top tbody, table.top tr, table.top td { display: block; min-width: 0; }
  table.top thead { display: none; }
  table.top tr { border: 1px solid var(--border); border-radius: 6px; margin: 0 0 0.5rem; padding: 0.3rem 0.5rem; }
  table.top td { border: 0; padding: 0.05rem 0; text-align: left; white-space: normal; }
  table.top td:nth-child(1) { float: left; margin-right: 0.4rem; font-weight: 700; }
  table.top td:nth-child(1)::before { content: "#"; }
  table.top td:nth-child(2) { width: auto; }
  table.top td:nth-child(n+3) { display: inline-block; margin-right: 0.9rem; }
  table.top td:nth-child(3)::before { content: "Score "; }
  table.top td:nth-child(4)::before { content: "Confidence "; }
  table.top td:nth-child(5)::before { content: "Incidents "; }
  table.top td:nth-child(6)::before { content: "Needs review "; }
  table.top td:nth-child(n+3)::before { color: var(--muted); }
  table.top .breakdown { display: block; }
}
table.compact td, table.compact th { padding: 0.15rem 0.4rem; }
th button.sort { font: inherit; font-weight: 700; color: inherit; background: none; border: 0; padding: 0; margin: 0;
  cursor: pointer; text-align: inherit; }
th button.sort::after { content: " ↕"; color: var(--muted); }
th[aria-sort="ascending"] button.sort::after { content: " ▲"; color: var(--text); }
th[aria-sort="descending"] button.sort::after { content: " ▼"; color: var(--text); }
.table-tools { display: flex; flex-wrap: wrap; align-items: center; gap: 0.25rem 1rem; margin: 0.5rem 0 0; }
button.more { font: inherit; margin: 0 0 1rem; padding: 0.2rem 0.6rem; }
.table-tools input { font: inherit; padding: 0.2rem 0.4rem; border: 1px solid #6e7781; border-radius: 4px; max-width: 100%; }
.card { border: 1px solid var(--border); border-radius: 6px; padding: 0.25rem 1rem 0.75rem; margin: 0.75rem 0; }
.card h3 { margin-top: 0.5rem; }
details.item { border: 1px solid var(--border); border-radius: 6px; margin: 0.35rem 0; }
details.item > summary { cursor: pointer; padding: 0.35rem 0.75rem; }
details.item[open] > summary { border-bottom: 1px solid var(--border); background: var(--subtle); }
details.item > .body { padding: 0.25rem 0.75rem 0.75rem; }
details.data > summary { cursor: pointer; color: var(--link); }
figure { margin: 1rem 0; }
figure svg { display: block; max-width: 100%; height: auto; }
.print-only { display: none; }
${stackedTableStyle()}@media print {
  @page { margin: 14mm 12mm; }
  body { max-width: none; padding: 0; font-size: 9.5pt; line-height: 1.3; }
  nav, .table-tools, button.more, #patterns, #charts, #incidents, #needs-review, #skipped-failed, #approval { display: none !important; }
  .print-only { display: block; }
  h1 { font-size: 15pt; }
  h2 { font-size: 12.5pt; margin: 0.9rem 0 0.3rem; break-after: avoid; }
  h3 { font-size: 10.5pt; margin: 0.5rem 0 0.2rem; break-after: avoid; }
  h4 { font-size: 9.5pt; margin: 0.3rem 0 0.1rem; }
  .summary-grid { display: block; }
  .table-scroll { overflow: visible; margin: 0.2rem 0 0.5rem; }
  th, td { padding: 0.05rem 0.3rem; }
  tr, .card { break-inside: avoid; }
  .card { border: 0; border-top: 1px solid var(--border); border-radius: 0; padding: 0.1rem 0; margin: 0.3rem 0; }
  .card .incident-list, .card .pattern-list, .card h4, .card .note { display: none; }
  .card .impact table, .card .impact tbody { display: block; }
  .card .impact tbody { display: flex; flex-wrap: wrap; gap: 0 1rem; }
  .card .impact tr { display: flex; gap: 0.3rem; }
  .card .impact th, .card .impact td { border: 0; padding: 0; background: none; font-weight: 400; }
  .card .impact th { color: var(--muted); }
  #opportunities > .table-scroll, #opportunities > p.note { display: none; }
  a { color: inherit; text-decoration: none; }
  th button.sort::after { content: ""; }
}
`;
