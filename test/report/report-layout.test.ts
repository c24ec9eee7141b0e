import path from 'node:path';
import { parse as parseHtml } from 'node-html-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  compareReports,
  normaliseSeverity,
  orderIncidents,
  renderReport,
  type RenderedReport,
} from '../../src/report/index.ts';
import { HOSTILE_TEXT, LONG_TOKEN, largeReportFixture, reportFixture } from './report-fixture.ts';

/** Every href of every HTML file of a report folder resolves to a file of that folder (and its anchor). */
function brokenLinks(report: RenderedReport): string[] {
  const files = new Map<string, string>([
    ['report.html', report.html],
    ...report.extraFiles.map((file) => [file.name, file.body] as [string, string]),
  ]);
  const ids = new Map(
    [...files].map(([name, body]) => [
      name,
      new Set(
        parseHtml(body)
          .querySelectorAll('[id]')
          .map((element) => element.getAttribute('id')),
      ),
    ]),
  );
  const broken: string[] = [];
  for (const [name, body] of files) {
    for (const link of parseHtml(body).querySelectorAll('a[href]')) {
      const href = link.getAttribute('href') ?? '';
      const [target = '', fragment] = href.split('#');
      const resolved = target === '' ? name : path.posix.normalize(path.posix.join(path.posix.dirname(name), target));
      if (resolved.startsWith('..') || /^[a-z]+:/i.test(href) || !files.has(resolved))
        broken.push(`${name} -> ${href}`);
      else if (fragment !== undefined && !ids.get(resolved)?.has(fragment))
        broken.push(`${name} -> ${href} (no anchor)`);
    }
  }
  return broken;
}

describe('severity', () => {
  it('reads SEV1, P1, S1, "Sev 1" and critical as the same level', () => {
    // Act
    const levels = ['SEV1', 'P1', 'S1', 'Sev 1', 'sev-1', 'critical', 'Critical', '1', 'P1 (high)'].map(
      (text) => normaliseSeverity(text).level,
    );

    // Assess
    expect(new Set(levels)).toEqual(new Set([1]));
    expect(normaliseSeverity('SEV0')).toEqual({ level: 0, label: 'SEV0' });
    expect(normaliseSeverity('major').level).toBe(2);
    expect(normaliseSeverity('low').level).toBe(4);
    expect(normaliseSeverity('SEVERE')).toEqual({ level: null, label: 'unknown' });
    expect(normaliseSeverity('constructor').level).toBeNull();
    expect(normaliseSeverity(null).level).toBeNull();
  });

  it('orders incidents by severity, then the most recent first, undated and unknown last', () => {
    // Prepare
    const base = reportFixture().documents[0];
    if (base === undefined) throw new Error('fixture changed');
    const documents = [
      { ...base, docId: 'a', severity: 'P2', date: '2024-01-01' },
      { ...base, docId: 'b', severity: null, date: '2024-09-01' },
      { ...base, docId: 'c', severity: 'critical', date: '2023-01-01' },
      { ...base, docId: 'd', severity: 'SEV1', date: '2024-02-01' },
      { ...base, docId: 'e', severity: 'SEV1', date: null },
      { ...base, docId: 'f', severity: 'S2', date: '2024-03-01' },
    ];

    // Act
    const order = orderIncidents(documents).map((document) => document.docId);

    // Assess
    expect(order).toEqual(['d', 'c', 'e', 'f', 'a', 'b']);
  });
});

describe('report folder', () => {
  let small: RenderedReport;
  let paged: RenderedReport;

  beforeAll(async () => {
    small = await renderReport(largeReportFixture({ documents: 60, longTokens: true }));
    paged = await renderReport(largeReportFixture({ documents: 600, longTokens: true }), { inlineDetailsBudget: 0 });
  });

  it('keeps a small report in one file with collapsed details', () => {
    // Act
    const page = parseHtml(small.html);

    // Assess
    expect(small.extraFiles).toEqual([]);
    expect(page.querySelectorAll('#incidents details.item')).toHaveLength(60);
    expect(page.querySelectorAll('details[open]')).toHaveLength(0);
    expect(brokenLinks(small)).toEqual([]);
  });

  it('accounts for every generated incident once: in a theme, not recurring yet, or with no catalog technology', () => {
    // Prepare
    const data = largeReportFixture({ documents: 60, longTokens: true });
    const page = parseHtml(small.html);

    // Act
    const sentence = page.querySelector('#patterns p')?.text ?? '';
    const counts =
      /accounted for: (\d+) in a recurring theme, (\d+) not recurring yet, (\d+) with no catalog technology involved\.$/
        .exec(sentence)
        ?.slice(1)
        .map(Number);
    const outside = page.querySelectorAll('table[data-table="incidents outside themes"] tbody tr');
    const technologies = page
      .querySelectorAll('table[data-table="themes"] tbody tr td:nth-child(2)')
      .map((cell) => cell.text);

    // Assess
    const inThemes = data.patterns.flatMap((pattern) => pattern.incidentIds);
    expect(new Set(inThemes).size).toBe(inThemes.length);
    expect(counts).toEqual([inThemes.length, data.notRecurring.length, data.noCatalog.length]);
    expect(data.notRecurring.length).toBeGreaterThan(0);
    expect(data.noCatalog.length).toBeGreaterThan(0);
    expect((counts ?? []).reduce((total, count) => total + count, 0)).toBe(60);
    expect(outside).toHaveLength(data.notRecurring.length + data.noCatalog.length);
    // A theme is a mechanism shared across technologies.
    expect(technologies.some((text) => text.includes(', '))).toBe(true);
    for (const pattern of data.patterns) {
      expect(pattern.count).toBeGreaterThanOrEqual(2);
      expect(pattern.evidence.map((entry) => entry.incidentId)).toEqual(pattern.incidentIds);
    }
  });

  it('puts incident details and long incident lists on pages inside the report folder, every link resolving', () => {
    // Act
    const names = paged.extraFiles.map((file) => file.name);
    const page = parseHtml(paged.html);

    // Assess
    expect(names.filter((name) => name.startsWith('incidents/'))).toHaveLength(600);
    expect(names.some((name) => name.startsWith('patterns/'))).toBe(true);
    expect(names.some((name) => name.startsWith('opportunities/'))).toBe(true);
    for (const name of names) expect(name).toMatch(/^(incidents|patterns|opportunities)\/[a-z0-9_-]{1,80}\.html$/);
    expect(new Set(names.map((name) => name.toLowerCase())).size).toBe(names.length);
    expect(page.querySelectorAll('#incidents details.item')).toHaveLength(0);
    expect(page.querySelectorAll('#incidents tbody tr')).toHaveLength(600);
    expect(brokenLinks(paged)).toEqual([]);
  });

  it('writes pages that are offline, script-free and escaped', async () => {
    // Prepare
    const hostile = await renderReport(reportFixture(), { inlineDetailsBudget: 0 });

    // Act
    const files = [...paged.extraFiles, ...hostile.extraFiles];
    const policies = new Set(
      files.map((file) =>
        parseHtml(file.body).querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content'),
      ),
    );
    const hostilePage = hostile.extraFiles.find((file) => file.name === 'incidents/hostile-doc.html')?.body ?? '';

    // Assess
    expect(policies).toEqual(new Set(["default-src 'none'; style-src 'unsafe-inline'; img-src data:"]));
    for (const file of files) expect(file.body).not.toMatch(/<script|\son[a-z]+=|https?:/i);
    expect(files.every((file) => file.type === 'text/html')).toBe(true);
    expect(paged.extraFiles.some((file) => file.body.includes(LONG_TOKEN))).toBe(true);
    expect(hostilePage).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &quot;quotes&quot; &amp; ampersands');
    expect(parseHtml(hostilePage).text).toContain(HOSTILE_TEXT);
    expect(brokenLinks(hostile)).toEqual([]);
  });

  it('shows the recorded score breakdown when it adds up to the score', () => {
    // Prepare
    const data = largeReportFixture({ documents: 60, longTokens: true });
    const best = [...data.opportunities].sort((left, right) => right.score - left.score)[0];
    if (best === undefined) throw new Error('fixture changed');

    // Act
    const top = parseHtml(small.html).querySelector('#summary table.top tbody tr td.score')?.text ?? '';

    // Assess
    const terms = Object.entries(best.scoreBreakdown)
      .filter(([label, value]) => label === 'recurrence' || value !== 0)
      .map(([label, value]) => `${label} ${value}`);
    expect(terms.length).toBeGreaterThan(2);
    expect(top).toBe(`${best.score}\n= ${terms.join(' + ')}`);
  });

  it('says what changed since the previous report only when given one', async () => {
    // Prepare
    const previous = largeReportFixture({ documents: 40 });
    const current = largeReportFixture({ documents: 60 });

    // Act
    const changes = compareReports(previous, current);
    const report = await renderReport(current, { previous });
    const section = parseHtml(report.html).querySelector('#what-changed')?.parentNode.text ?? '';

    // Assess
    expect(changes.newIncidents).toHaveLength(20);
    expect(changes.removedIncidents).toEqual([]);
    expect(changes.changedPatterns.length).toBeGreaterThan(0);
    expect(changes.reclassified).toEqual([]);
    expect(section).toContain('20 new incidents, 0 no longer in the corpus.');
    expect(section).toContain('Themes that grew, shrank or were renamed: ');
    expect(section).not.toContain('Incidents whose causes or fault category changed');
    expect(report.markdown).toContain('### What changed since run run-scale');
    expect(small.html).not.toContain('what-changed');
  });

  it('names incidents whose causes or fault category changed, and renders changes the data carries', async () => {
    // Prepare
    const previous = largeReportFixture({ documents: 40 });
    const current = largeReportFixture({ documents: 40 });
    const moved = current.documents[1];
    if (moved === undefined || moved.classification.causal.length !== 1) throw new Error('fixture changed');
    const before = moved.classification.causal.map((cause) => cause.technology);
    const categoryBefore = moved.faultCategory ?? null;
    moved.classification.causal = [{ ...moved.classification.causal[0]!, technology: 'Consul' }];
    moved.faultCategory = 'data-loss-corruption';

    // Act
    const changes = compareReports(previous, current);
    const report = await renderReport({ ...current, changes });
    const section = parseHtml(report.html).querySelector('#what-changed')?.parentNode.text ?? '';

    // Assess
    expect(changes.reclassified).toEqual([
      {
        incidentId: moved.docId,
        causalBefore: before,
        causalNow: ['Consul'],
        categoryBefore,
        categoryNow: 'data-loss-corruption',
      },
    ]);
    expect(section).toContain(
      `Incidents whose causes or fault category changed: ${moved.docId} (${before.join(', ')} → Consul; ${categoryBefore} → data-loss-corruption).`,
    );
    expect(JSON.parse(report.json).changes).toEqual(changes);
  });

  it('keeps report.html bounded: a few hundred bytes per incident once details move to pages', async () => {
    // Act
    const report = await renderReport(largeReportFixture({ documents: 2000, longTokens: true }));

    // Assess: at this rate 10,000 documents stay under 5 MB (bench/report-scale.ts measures it).
    expect(report.extraFiles.filter((file) => file.name.startsWith('incidents/'))).toHaveLength(2000);
    expect(Buffer.byteLength(report.html)).toBeLessThan(2000 * 450 + 500_000);
  });
});

describe('empty report', () => {
  it('renders every section with a plain sentence instead of empty tables', async () => {
    // Prepare
    const data = {
      ...reportFixture(),
      documents: [],
      patterns: [],
      opportunities: [],
      notRecurring: [],
      noCatalog: [],
      skipped: [],
      failed: [],
    };

    // Act
    const report = await renderReport(data);
    const page = parseHtml(report.html);

    // Assess
    expect(page.querySelector('#summary')?.text).toContain('No opportunities were found.');
    expect(page.querySelector('#incidents')?.text).toContain('No documents were analysed.');
    expect(page.querySelector('#needs-review')?.text).toContain('Nothing needs review');
    expect(page.querySelector('#patterns')?.text).toContain(
      'Every analysed incident is accounted for: 0 in a recurring theme, 0 not recurring yet, 0 with no catalog technology involved.',
    );
    expect(page.querySelector('#patterns')?.text).toContain('No recurring failure themes were found.');
    expect(page.querySelector('#outside-themes')).toBeNull();
    expect(report.markdown).toContain('No recurring failure themes were found.');
    expect(report.markdown).not.toContain('patterns were found');
    expect(page.querySelectorAll('table[data-table]')).toHaveLength(0);
    expect(report.markdown).toContain('No documents were analysed.');
    expect(report.extraFiles).toEqual([]);
  });
});
