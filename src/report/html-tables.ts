/**
 * The sortable, filterable tables of report.html: their columns, their header row, and the phone
 * stylesheet that lays each row out as a small card (title first, the other cells labelled), so
 * nothing scrolls sideways at 400 px. The labels live in CSS, not in every cell, which keeps the
 * 10,000-row incidents table small.
 */
import { html, trusted, type SafeHtml } from './safe-html.ts';

export interface Column {
  label: string;
  /** Right-aligned and sorted as a number. */
  numeric?: boolean;
  /** Sorted as a number taken from each cell's data-sort (severity level), left-aligned. */
  sortKey?: boolean;
  /** Never wrapped (dates). */
  nowrap?: boolean;
  /** The row's title: first on a phone, with no label. */
  title?: boolean;
  /** The order the renderer already applied. */
  sorted?: 'ascending' | 'descending';
}

export interface TableDefinition {
  /** Also the filter's label ("Filter incidents"). */
  name: string;
  columns: Column[];
}

export const OPPORTUNITIES_TABLE: TableDefinition = {
  name: 'opportunities',
  columns: [
    { label: 'Rank', numeric: true, sorted: 'ascending' },
    { label: 'Opportunity', title: true },
    { label: 'Technologies' },
    { label: 'Score', numeric: true },
    { label: 'Confidence', numeric: true },
    { label: 'Incidents', numeric: true },
    { label: 'Needs review', numeric: true },
  ],
};

export const PATTERNS_TABLE: TableDefinition = {
  name: 'themes',
  columns: [
    { label: 'Theme', title: true },
    { label: 'Technologies' },
    { label: 'Fault category' },
    { label: 'Incidents', numeric: true, sorted: 'descending' },
    { label: 'Last seen', nowrap: true },
  ],
};

export const FACTORS_TABLE: TableDefinition = {
  name: 'contributing factors',
  columns: [
    { label: 'Factor', title: true },
    { label: 'Incidents', numeric: true, sorted: 'descending' },
    { label: 'Technologies', numeric: true },
    { label: 'Which technologies' },
  ],
};

export const OUTSIDE_THEMES_TABLE: TableDefinition = {
  name: 'incidents outside themes',
  columns: [
    { label: 'Incident', title: true },
    { label: 'Accounted as' },
    { label: 'Technologies' },
    { label: 'Fault category' },
  ],
};

export const NEEDS_REVIEW_TABLE: TableDefinition = {
  name: 'incidents that need review',
  columns: [
    { label: 'Incident', title: true },
    { label: 'Severity', sortKey: true, sorted: 'ascending' },
    { label: 'What to check' },
  ],
};

export const INCIDENTS_TABLE: TableDefinition = {
  name: 'incidents',
  columns: [
    { label: 'Severity', sortKey: true, sorted: 'ascending' },
    { label: 'Date', nowrap: true },
    { label: 'Incident', title: true },
    { label: 'Causal technologies' },
    { label: 'Needs review', numeric: true },
  ],
};

const TABLES = [
  OPPORTUNITIES_TABLE,
  PATTERNS_TABLE,
  FACTORS_TABLE,
  OUTSIDE_THEMES_TABLE,
  NEEDS_REVIEW_TABLE,
  INCIDENTS_TABLE,
];

/** `<table data-table=…><thead>…</thead>` with the rows inside, for the script to enhance. */
export function dataTable(definition: TableDefinition, rows: SafeHtml[]): SafeHtml {
  const head = definition.columns.map((column) => {
    const attributes = [
      column.numeric ? ' class="num"' : '',
      column.numeric || column.sortKey ? ' data-type="number"' : '',
      column.sorted === undefined ? '' : ` aria-sort="${column.sorted}"`,
    ].join('');
    return html`<th scope="col"${trusted(attributes)}>${column.label}</th>`;
  });
  return html`<table data-table="${definition.name}"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

function cssString(text: string): string {
  return `"${text.replace(/["\\]/g, '\\$&')}"`;
}

/** Phone layout of every data table: one card per row, the title first, other cells labelled. */
export function stackedTableStyle(): string {
  const cell = (definition: TableDefinition, index: number): string =>
    `table[data-table=${cssString(definition.name)}] td:nth-child(${index + 1})`;
  const nowrap = TABLES.flatMap((definition) =>
    definition.columns.flatMap((column, index) => (column.nowrap ? [cell(definition, index)] : [])),
  );
  const labels = TABLES.flatMap((definition) =>
    definition.columns.map((column, index) =>
      column.title
        ? `${cell(definition, index)} { order: -1; flex-basis: 100%; font-weight: 600; }`
        : `${cell(definition, index)}::before { content: ${cssString(`${column.label}: `)}; }`,
    ),
  );
  return `${nowrap.join(', ')} { white-space: nowrap; }
@media (max-width: 600px) {
  table[data-table], table[data-table] tbody, table[data-table] thead { display: block; }
  table[data-table] thead tr { display: flex; flex-wrap: wrap; gap: 0.2rem 0.9rem; margin-bottom: 0.3rem; }
  table[data-table] thead tr::before { content: "Sort by:"; color: var(--muted); }
  table[data-table] thead:not(:has(button)) { display: none; }
  table[data-table] thead th { border: 0; background: none; padding: 0; }
  table[data-table] tbody tr { display: flex; flex-wrap: wrap; gap: 0.1rem 0.9rem; border: 1px solid var(--border); border-radius: 6px;
    margin: 0 0 0.4rem; padding: 0.3rem 0.5rem; }
  table[data-table] tbody tr[hidden] { display: none; }
  table[data-table] td { display: block; border: 0; padding: 0; text-align: left; min-width: 0; max-width: 100%; }
  table[data-table] td::before { color: var(--muted); font-weight: 400; }
  ${labels.join('\n  ')}
}
`;
}
