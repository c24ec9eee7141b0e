import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import { FAULT_CATEGORIES, type FaultCategory, type ReportData } from '../schemas/index.ts';
import { faultCategoryLabel } from './format.ts';

export const CHART_WIDTH = 600;
export const CHART_HEIGHT = 300;

/** A chart ready for the HTML report: inline SVG, or null with a "no data" note. */
export interface RenderedChart {
  id: string;
  title: string;
  svg: string | null;
  notes: string[];
  /** The chart's data as a table, for readers who cannot use the chart. */
  table: ChartTable;
}

export interface ChartTable {
  columns: string[];
  /** Which columns hold numbers (right-aligned, sorted as numbers). */
  numeric: boolean[];
  rows: Array<Array<string | number>>;
}

export interface TechnologyCategoryRow {
  technology: string;
  faultCategory: string;
  incidents: number;
}

export interface MonthRow {
  month: string;
  incidents: number;
}

/** Distinct incidents per (technology, fault category), from the digests. */
export function incidentsByTechnologyRows(data: ReportData): TechnologyCategoryRow[] {
  const incidents = new Map<string, { technology: string; category: FaultCategory; docIds: Set<string> }>();
  for (const document of data.documents) {
    for (const digest of document.digests) {
      const key = JSON.stringify([digest.technology, digest.faultCategory]);
      const entry = incidents.get(key) ?? {
        technology: digest.technology,
        category: digest.faultCategory,
        docIds: new Set<string>(),
      };
      entry.docIds.add(document.docId);
      incidents.set(key, entry);
    }
  }
  return [...incidents.values()].map((entry) => ({
    technology: entry.technology,
    faultCategory: faultCategoryLabel(entry.category),
    incidents: entry.docIds.size,
  }));
}

const MONTH_PATTERN = /^(\d{4})-(\d{2})/;

function monthOf(date: string | null): string | null {
  const match = date === null ? null : MONTH_PATTERN.exec(date);
  if (!match) return null;
  const month = Number(match[2]);
  return month >= 1 && month <= 12 ? `${match[1]}-${match[2]}` : null;
}

function nextMonth(month: string): string {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return monthNumber === 12 ? `${year + 1}-01` : `${year}-${String(monthNumber + 1).padStart(2, '0')}`;
}

/** Beyond this span (e.g. one stray date decades off), only months with incidents are shown. */
const MAX_FILLED_MONTHS = 240;

/** Incidents per month, including empty months between the first and the last one when the span is sane. */
export function incidentsByMonthRows(data: ReportData): { rows: MonthRow[]; undated: number } {
  const counts = new Map<string, number>();
  let undated = 0;
  for (const document of data.documents) {
    const month = monthOf(document.date);
    if (month === null) undated += 1;
    else counts.set(month, (counts.get(month) ?? 0) + 1);
  }
  const months = [...counts.keys()].sort();
  const first = months[0];
  const last = months.at(-1);
  const filled: string[] = [];
  if (first !== undefined && last !== undefined) {
    for (let month = first; month <= last && filled.length <= MAX_FILLED_MONTHS; month = nextMonth(month)) {
      filled.push(month);
    }
  }
  const axis = filled.length > MAX_FILLED_MONTHS ? months : filled;
  return { rows: axis.map((month) => ({ month, incidents: counts.get(month) ?? 0 })), undated };
}

const axisConfig = {
  labelFontSize: 14,
  titleFontSize: 14,
  labelLimit: 200,
  labelColor: '#1f2328',
  titleColor: '#1f2328',
};
const legendConfig = { labelFontSize: 14, titleFontSize: 14, labelColor: '#1f2328', titleColor: '#1f2328' };

/**
 * Eleven colours that stay apart for common colour-vision deficiencies (Okabe–Ito, then Tol's
 * wine, teal and grey, yellow last); no light/dark pairs of one hue. The data table under each chart
 * carries the same numbers without colour.
 */
export const CATEGORY_COLOURS = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#D55E00',
  '#56B4E9',
  '#CC79A7',
  '#000000',
  '#882255',
  '#44AA99',
  '#999999',
  '#F0E442',
];

export function incidentsByTechnologySpec(rows: TechnologyCategoryRow[]): TopLevelSpec {
  const present = new Set(rows.map((row) => row.faultCategory));
  const domain = FAULT_CATEGORIES.map(faultCategoryLabel).filter((label) => present.has(label));
  return {
    title: { text: 'Incidents per technology, by fault category', fontSize: 16, color: '#1f2328' },
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    background: 'white',
    data: { values: rows },
    mark: { type: 'bar', tooltip: false },
    encoding: {
      x: { field: 'technology', type: 'nominal', title: 'Technology', sort: '-y', axis: { labelAngle: -30 } },
      y: {
        field: 'incidents',
        type: 'quantitative',
        aggregate: 'sum',
        title: 'Incidents (distinct)',
        axis: { tickMinStep: 1, format: 'd' },
      },
      color: {
        field: 'faultCategory',
        type: 'nominal',
        title: 'Fault category',
        scale: { domain, range: CATEGORY_COLOURS.slice(0, Math.max(domain.length, 1)) },
        legend: { orient: 'bottom', direction: 'vertical', labelLimit: 480 },
      },
    },
    config: { axis: axisConfig, legend: legendConfig },
  };
}

export function incidentsOverTimeSpec(rows: MonthRow[]): TopLevelSpec {
  return {
    title: { text: 'Incidents per month', fontSize: 16, color: '#1f2328' },
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    background: 'white',
    data: { values: rows },
    mark: { type: 'bar', color: '#0072B2', tooltip: false },
    encoding: {
      x: {
        field: 'month',
        type: 'ordinal',
        title: 'Month (YYYY-MM)',
        sort: 'ascending',
        axis: { labelAngle: -45, labelOverlap: 'parity' },
      },
      y: {
        field: 'incidents',
        type: 'quantitative',
        title: 'Incidents',
        axis: { tickMinStep: 1, format: 'd' },
      },
    },
    config: { axis: axisConfig },
  };
}

function refuse(): Promise<never> {
  return Promise.reject(new Error('The report charts never load external resources.'));
}

/** A loader that refuses every request, so rendering can never touch the network or the disk. */
const offlineLoader: vega.Loader = { load: refuse, sanitize: refuse, http: refuse, file: refuse };

/** Compiles a Vega-Lite spec and renders it headlessly to an SVG string. */
export async function renderChartSvg(spec: TopLevelSpec): Promise<string> {
  const logger = vega.logger(vega.Error);
  const compiled = vegaLite.compile(spec, { logger }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', loader: offlineLoader, logger });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

function undatedNote(undated: number): string[] {
  if (undated === 0) return [];
  const documents = undated === 1 ? '1 document has' : `${undated} documents have`;
  return [`${documents} no known date and ${undated === 1 ? 'is' : 'are'} left out of this chart.`];
}

/** Renders both report charts. Takes a few hundred milliseconds on the first call (Vega warm-up). */
export async function renderCharts(data: ReportData): Promise<RenderedChart[]> {
  const technologyRows = incidentsByTechnologyRows(data);
  const { rows: monthRows, undated } = incidentsByMonthRows(data);
  const [technologySvg, monthSvg] = await Promise.all([
    technologyRows.length === 0 ? null : renderChartSvg(incidentsByTechnologySpec(technologyRows)),
    monthRows.length === 0 ? null : renderChartSvg(incidentsOverTimeSpec(monthRows)),
  ]);
  return [
    {
      id: 'chart-technologies',
      title: 'Incidents per technology, by fault category',
      svg: technologySvg,
      notes: technologySvg === null ? ['No data: no digests were produced.'] : [],
      table: {
        columns: ['Technology', 'Fault category', 'Incidents'],
        numeric: [false, false, true],
        rows: [...technologyRows]
          .sort((left, right) => right.incidents - left.incidents || left.technology.localeCompare(right.technology))
          .map((row) => [row.technology, row.faultCategory, row.incidents]),
      },
    },
    {
      id: 'chart-months',
      title: 'Incidents per month',
      svg: monthSvg,
      notes: [...(monthSvg === null ? ['No data: no document has a known date.'] : []), ...undatedNote(undated)],
      table: {
        columns: ['Month', 'Incidents'],
        numeric: [false, true],
        rows: monthRows.map((row) => [row.month, row.incidents]),
      },
    },
  ];
}
