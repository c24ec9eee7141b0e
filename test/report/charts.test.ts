import { describe, expect, it } from 'vitest';
import { incidentsByMonthRows, incidentsByTechnologyRows, renderCharts } from '../../src/report/charts.ts';
import type { ReportData } from '../../src/schemas/index.ts';
import { reportFixture } from './report-fixture.ts';

describe('charts', () => {
  it('counts distinct incidents per technology and fault category', () => {
    // Prepare
    const data = reportFixture();
    const first = data.documents[0];
    if (first?.digests[0] === undefined) throw new Error('fixture changed');
    first.digests.push({ ...first.digests[0], sentences: ['A second digest for the same incident.'] });

    // Act
    const rows = incidentsByTechnologyRows(data);

    // Assess
    expect(rows).toEqual([
      {
        technology: 'PostgreSQL',
        faultCategory: 'Resource exhaustion (CPU, memory, IOPS, disk, connections)',
        incidents: 1,
      },
      { technology: 'Redis', faultCategory: 'Capacity / scaling', incidents: 1 },
      { technology: 'PostgreSQL', faultCategory: 'Configuration change', incidents: 1 },
    ]);
  });

  it('counts incidents by month, fills empty months and leaves undated documents out', () => {
    // Act
    const { rows, undated } = incidentsByMonthRows(reportFixture());

    // Assess
    expect(rows).toEqual([
      { month: '2024-03', incidents: 1 },
      { month: '2024-04', incidents: 1 },
      { month: '2024-05', incidents: 1 },
    ]);
    expect(undated).toBe(1);
  });

  it('does not fill decades of empty months for a stray date', () => {
    // Prepare
    const data = reportFixture();
    const undated = data.documents[1];
    if (undated === undefined) throw new Error('fixture changed');
    undated.date = '1970-01-01';

    // Act
    const { rows } = incidentsByMonthRows(data);

    // Assess
    expect(rows.map((row) => row.month)).toEqual(['1970-01', '2024-03', '2024-04', '2024-05']);
  });

  it('shows a note instead of an empty chart when there is no data', async () => {
    // Prepare
    const data: ReportData = {
      ...reportFixture(),
      documents: reportFixture().documents.map((document) => ({ ...document, date: null, digests: [] })),
    };

    // Act
    const charts = await renderCharts(data);

    // Assess
    expect(charts.map((chart) => chart.svg)).toEqual([null, null]);
    expect(charts[0]?.notes).toEqual(['No data: no digests were produced.']);
    expect(charts[1]?.notes).toContain('4 documents have no known date and are left out of this chart.');
  });

  it('renders SVG with escaped technology names and no external references', async () => {
    // Prepare
    const data = reportFixture();
    const digest = data.documents[1]?.digests[0];
    if (digest === undefined) throw new Error('fixture changed');
    digest.technology = 'Mongo<script>&"x"';

    // Act
    const [technologies, months] = await renderCharts(data);

    // Assess
    expect(technologies?.svg).toMatch(/^<svg/);
    expect(months?.svg).toMatch(/^<svg/);
    expect(technologies?.svg).not.toContain('<script');
    expect(technologies?.svg).toContain('Mongo&lt;script&gt;&amp;');
    expect(technologies?.svg).toContain('Incidents per technology, by fault category');
    expect(months?.svg).toContain('2024-04');
    const urls = `${technologies?.svg}${months?.svg}`.match(/https?:\/\/[^"]*/g) ?? [];
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink']));
  });
});
