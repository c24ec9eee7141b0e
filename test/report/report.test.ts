import { createHash } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseHtml } from 'node-html-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderReport, type RenderedReport } from '../../src/report/index.ts';
import { HOSTILE_TEXT, reportFixture } from './report-fixture.ts';

/** report.md links each incident to its own section, so the file is whole wherever report/ is copied. */
const DOCUMENT_PAGES: Record<string, string> = {
  'incidents/2024-03-pg-pool': '#doc-incidents-2024-03-pg-pool',
  'silent-doc': '#doc-silent-doc',
  'hostile (doc)': '#doc-hostile-doc',
  'runbook-typo': '#doc-runbook-typo',
};

const ACCOUNTING =
  'Every analysed incident is accounted for: 2 in a recurring theme, 1 not recurring yet, 1 with no catalog technology involved.';
const BREAKDOWN = 'recurrence 6 + severity 4 + duration 0.74 − review 0.5';

/** The text from a heading line up to the next heading of the same or a higher level. */
function markdownSection(markdown: string, heading: string): string {
  const start = markdown.indexOf(`${heading}\n`);
  expect(start, `heading ${heading}`).toBeGreaterThanOrEqual(0);
  const level = heading.split(' ')[0] ?? '';
  const rest = markdown.slice(start + heading.length);
  const end = rest.search(new RegExp(`\\n#{1,${level.length}} `));
  return end === -1 ? rest : rest.slice(0, end);
}

describe('renderReport', () => {
  const data = reportFixture();
  let report: RenderedReport;

  beforeAll(async () => {
    report = await renderReport(data);
  });

  describe('markdown', () => {
    it('lists every theme with one quote per member incident, each linked to its incident', () => {
      // Prepare
      const patterns = data.patterns;

      // Act
      const sections = patterns.map((pattern) => markdownSection(report.markdown, `### ${pattern.theme}`));
      const evidenceLines = sections.map((section) => section.split('\n').filter((line) => line.startsWith('- [')));

      // Assess
      patterns.forEach((pattern, index) => {
        expect(pattern.incidentIds.length).toBeGreaterThanOrEqual(2);
        expect(evidenceLines[index]).toHaveLength(pattern.incidentIds.length);
        for (const docId of pattern.incidentIds) {
          expect(evidenceLines[index]?.filter((line) => line.includes(`](${DOCUMENT_PAGES[docId]})`))).toHaveLength(1);
          expect(report.markdown).toContain(`<a id="${DOCUMENT_PAGES[docId]?.slice(1)}"></a>`);
        }
      });
      expect(evidenceLines[0]).toEqual([
        '- [Outage: Pool &lt;script&gt;alert(1)&lt;/script&gt; "quotes" & ampersands](#doc-hostile-doc) (hostile (doc)): “=HYPERLINK("x") Pool &lt;script&gt;alert(1)&lt;/script&gt; "quotes" & ampersands”',
        '- [Checkout outage](#doc-incidents-2024-03-pg-pool) (incidents/2024-03-pg-pool): “PostgreSQL ran out of connections.”',
      ]);
      expect(sections[0]).toContain('- Technologies: PostgreSQL');
      expect(sections[0]).toContain('- Incidents: 2; first seen 2024-03-05, last seen 2024-05-20');
      expect(sections[0]).toContain('- By quarter: 2024-Q1 1, 2024-Q2 1');
    });

    it('accounts for every incident: in a theme, not recurring yet, or with no catalog technology', () => {
      // Act
      const themes = markdownSection(report.markdown, '## Recurring failure themes');
      const notRecurring = markdownSection(report.markdown, '### Not recurring yet');
      const noCatalog = markdownSection(report.markdown, '### No catalog technology involved');

      // Assess
      expect(themes).toContain(ACCOUNTING);
      expect(notRecurring.trim()).toBe('- [Cache hiccup](#doc-silent-doc) (silent-doc): Redis · Capacity / scaling');
      expect(noCatalog.trim()).toBe(
        '- [Wrong flag in a runbook step](#doc-runbook-typo) (runbook-typo): Operational error',
      );
      expect(report.markdown).not.toContain('### Duplicates counted once');
      expect(report.markdown).not.toContain('Recurring failure patterns');
    });

    it('links only inside the file', () => {
      // Act
      const targets = [...report.markdown.matchAll(/\]\(([^)]*)\)/g)].map((match) => match[1] ?? '');
      const anchors = new Set([...report.markdown.matchAll(/<a id="([^"]+)"><\/a>/g)].map((match) => match[1]));

      // Assess
      expect(targets.length).toBeGreaterThan(0);
      for (const target of targets) {
        expect(target, target).toMatch(/^#/);
        expect(anchors.has(target.slice(1)), target).toBe(true);
      }
    });

    it('opens with an executive summary and orders incidents by severity then date', () => {
      // Act
      const summary = markdownSection(report.markdown, '## Executive summary');
      const incidents = markdownSection(report.markdown, '## Incidents');

      // Assess
      expect(report.markdown.indexOf('## Executive summary')).toBeLessThan(report.markdown.indexOf('## Opportunities'));
      expect(summary).toContain(
        `| 1 | [Right-size PostgreSQL connection pools](#opportunity-opportunity-pool) | 10.24 (${BREAKDOWN}) | 0.85 | 2 | 1 of 2 |`,
      );
      expect(summary).toContain(
        '| [Connection pool exhaustion under load](#pattern-pattern-pg-pool) | PostgreSQL | 2 |',
      );
      expect(summary).not.toContain('What changed');
      const order = ['### Checkout outage', '### Outage: ', '### Wrong flag in a runbook step', '### Cache hiccup'].map(
        (heading) => incidents.indexOf(heading),
      );
      expect(order).toEqual([...order].sort((left, right) => left - right));
      expect(order[0]).toBeGreaterThanOrEqual(0);
    });

    it('carries the header, counts, fault category labels and the opportunity with its lineage', () => {
      // Prepare
      const markdown = report.markdown;

      // Act
      const opportunity = markdownSection(markdown, '### 1. Right-size PostgreSQL connection pools');

      // Assess
      expect(markdown).toMatch(/^# postmortem-lens report\n/);
      expect(markdown).toContain('run-42');
      expect(markdown).toContain('offline (model rules, version 1.0.0)');
      expect(markdown).toContain('| Documents analysed | 4 |');
      expect(markdown).toContain('| Incidents that need review | 1 of 4 |');
      expect(markdown).toContain('| Causal technologies found | 3 (2 distinct) |');
      expect(markdown).toContain('| Recurring themes | 1 |');
      expect(markdown).toContain('| Incidents in a theme | 2 |');
      expect(markdown).toContain('| Incidents not recurring yet | 1 |');
      expect(markdown).toContain('| Incidents with no catalog technology involved | 1 |');
      expect(opportunity).toContain(`- Score: 10.24 = ${BREAKDOWN}`);
      expect(opportunity).toContain('- Technologies: PostgreSQL');
      expect(opportunity).toContain('- Incidents that need review: 1 of 2');
      expect(markdown).toContain('Fault category: Resource exhaustion (CPU, memory, IOPS, disk, connections)');
      expect(opportunity).toContain('(#pattern-pattern-pg-pool)');
      expect(markdown).toContain('<a id="pattern-pattern-pg-pool"></a>');
      expect(opportunity).toContain(`](${DOCUMENT_PAGES['hostile (doc)']})`);
    });

    it('shows n/a for unmeasured impact numbers and never invents them', () => {
      // Act
      const opportunity = markdownSection(report.markdown, '### 1. Right-size PostgreSQL connection pools');

      // Assess
      expect(opportunity).toContain('- Total duration (minutes): 40');
      expect(opportunity).toContain('- Customers affected: n/a');
      expect(opportunity).toContain('- Cost: n/a');
      expect(opportunity).toContain('- Severities: SEV1: 1');
    });

    it('prints "not stated" for silent summary fields', () => {
      // Act
      const silent = markdownSection(report.markdown, '### Cache hiccup');

      // Assess
      expect(silent).toContain('- **Impact:** not stated');
      expect(silent).toContain('- **Resolution:** not stated');
      expect(silent).toContain('- **Root causes:** not stated');
      expect(silent).toContain('- **Preventive actions:** not stated');
      expect(silent).toContain('- Date: unknown');
    });

    it('neutralizes raw HTML from documents', () => {
      // Assess
      expect(report.markdown).not.toContain('<script');
      expect(report.markdown).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    });

    it('lists skipped and failed documents', () => {
      // Assess
      expect(markdownSection(report.markdown, '## Skipped documents')).toContain('images/diagram.png: binary file');
      expect(markdownSection(report.markdown, '## Failed documents')).toContain(
        'broken-doc, stage summarize: model returned invalid JSON',
      );
    });
  });

  describe('html', () => {
    it('has an anchor for every document and every pattern incident link resolves to one', () => {
      // Prepare
      const page = parseHtml(report.html);
      const ids = new Set(page.querySelectorAll('[id]').map((element) => element.getAttribute('id')));

      // Act
      const documentAnchors = data.documents.map((document) =>
        page
          .querySelectorAll('#incidents details[id]')
          .find((details) => details.querySelector('code')?.text === document.docId),
      );
      const patternLinks = data.patterns.map((pattern) => {
        const details = page
          .querySelectorAll('#patterns details')
          .find((element) => element.querySelector('summary strong')?.text === pattern.theme);
        return (details?.querySelectorAll('a[href^="#doc-"]') ?? []).map((link) => link.getAttribute('href') ?? '');
      });
      const anchorOf = new Map(
        data.documents.map((document, index) => [document.docId, documentAnchors[index]?.getAttribute('id')]),
      );

      // Assess
      for (const anchor of documentAnchors) expect(anchor?.getAttribute('id')).toMatch(/^doc-[A-Za-z0-9_-]+$/);
      data.patterns.forEach((pattern, index) => {
        expect(patternLinks[index]).toHaveLength(pattern.incidentIds.length);
        expect(new Set(patternLinks[index])).toEqual(
          new Set(pattern.incidentIds.map((docId) => `#${anchorOf.get(docId)}`)),
        );
        for (const href of patternLinks[index] ?? []) expect(ids.has(href.slice(1)), href).toBe(true);
      });
      for (const link of page.querySelectorAll('a[href]')) {
        const href = link.getAttribute('href') ?? '';
        expect(href, 'small reports keep every link inside report.html').toMatch(/^#/);
        expect(ids.has(href.slice(1)), href).toBe(true);
      }
      expect(report.extraFiles).toEqual([]);
    });

    it('keeps incident details collapsed, ordered by severity then date', () => {
      // Prepare
      const page = parseHtml(report.html);

      // Act
      const details = page.querySelectorAll('#incidents details');
      const rows = page
        .querySelectorAll('#incidents table[data-table="incidents"] tbody tr')
        .map((row) => row.querySelectorAll('td').map((cell) => cell.text));

      // Assess
      expect(details).toHaveLength(4);
      for (const element of details) expect(element.hasAttribute('open')).toBe(false);
      expect(details.map((element) => element.querySelector('code')?.text)).toEqual([
        'incidents/2024-03-pg-pool',
        'hostile (doc)',
        'runbook-typo',
        'silent-doc',
      ]);
      expect(rows.map((cells) => cells.slice(0, 2))).toEqual([
        ['SEV1', '2024-03-05'],
        ['SEV2', '2024-05-20'],
        ['SEV3', '2024-04-10'],
        ['unknown', 'unknown'],
      ]);
    });

    it('opens with an executive summary: top opportunities, themes and coverage, no invented change log', () => {
      // Prepare
      const page = parseHtml(report.html);

      // Act
      const main = page.querySelector('main');
      const summary = page.querySelector('#summary');
      const top = summary
        ?.querySelectorAll('table.top tbody tr')
        .map((row) => row.querySelectorAll('td').map((cell) => cell.text));

      // Assess
      expect(main?.querySelector('section')?.getAttribute('id')).toBe('summary');
      expect(top).toEqual([
        ['1', 'Right-size PostgreSQL connection pools\nPostgreSQL', `10.24\n= ${BREAKDOWN}`, '0.85', '2', '1 of 2'],
      ]);
      expect(summary?.text).toContain('Connection pool exhaustion under load');
      expect(summary?.text).toContain('Documents analysed');
      expect(summary?.querySelector('#what-changed')).toBeNull();
    });

    it('accounts for every incident in the themes section and shows each theme with one quote per member', () => {
      // Prepare
      const page = parseHtml(report.html);
      const section = page.querySelector('#patterns');

      // Act
      const accounting = section?.querySelector('p')?.text;
      const themeRows = section
        ?.querySelectorAll('table[data-table="themes"] tbody tr')
        .map((row) => row.querySelectorAll('td').map((cell) => cell.text));
      const evidence = (section?.querySelectorAll('#pattern-pattern-pg-pool ul.evidence li') ?? []).map((item) => ({
        href: item.querySelector('a')?.getAttribute('href'),
        incidentId: item.querySelector('code')?.text,
        quote: item.querySelector('q')?.text,
      }));
      const outside = section
        ?.querySelectorAll('table[data-table="incidents outside themes"] tbody tr')
        .map((row) => row.querySelectorAll('td').map((cell) => cell.text));
      const outsideLinks = (
        section?.querySelectorAll('table[data-table="incidents outside themes"] tbody a') ?? []
      ).map((link) => link.getAttribute('href'));

      // Assess
      expect(section?.querySelector('h2')?.text).toBe('Recurring failure themes');
      expect(accounting).toBe(ACCOUNTING);
      const accounted = [
        ...data.patterns.flatMap((pattern) => pattern.incidentIds),
        ...data.notRecurring.map((entry) => entry.incidentId),
        ...data.noCatalog.map((entry) => entry.incidentId),
      ];
      expect([...accounted].sort()).toEqual(data.documents.map((document) => document.docId).sort());
      expect(themeRows).toEqual([
        [
          'Connection pool exhaustion under load',
          'PostgreSQL',
          'Resource exhaustion (CPU, memory, IOPS, disk, connections)',
          '2',
          '2024-05-20',
        ],
      ]);
      // Most severe member first, each quote beside the incident it comes from.
      expect(evidence).toEqual([
        {
          href: '#doc-incidents-2024-03-pg-pool',
          incidentId: 'incidents/2024-03-pg-pool',
          quote: 'PostgreSQL ran out of connections.',
        },
        { href: '#doc-hostile-doc', incidentId: 'hostile (doc)', quote: `=HYPERLINK("x") ${HOSTILE_TEXT}` },
      ]);
      expect(section?.querySelector('#pattern-pattern-pg-pool .meta')?.text).toBe(
        'PostgreSQL · Resource exhaustion (CPU, memory, IOPS, disk, connections) · 2 incidents · first seen 2024-03-05, last seen 2024-05-20',
      );
      expect(section?.querySelector('#outside-themes')?.text).toBe('Incidents outside themes');
      expect(outside).toEqual([
        ['Cache hiccup (silent-doc)', 'not recurring yet', 'Redis', 'Capacity / scaling'],
        [
          'Wrong flag in a runbook step (runbook-typo)',
          'no catalog technology involved',
          'no catalog technology',
          'Operational error',
        ],
      ]);
      expect(outsideLinks).toEqual(['#doc-silent-doc', '#doc-runbook-typo']);
      expect(report.html).not.toContain('Recurring failure patterns');
    });

    it("shows each opportunity's score as the sum of its recorded breakdown, with its review penalty", () => {
      // Prepare
      const page = parseHtml(report.html);
      const opportunity = data.opportunities[0];
      if (opportunity === undefined) throw new Error('fixture changed');

      // Act
      const meta = page.querySelector('#opportunity-opportunity-pool .meta')?.text;
      const terms = page.querySelectorAll('#summary table.top td.score .term').map((term) => term.text);

      // Assess
      const sum = Object.values(opportunity.scoreBreakdown).reduce((total, value) => total + value, 0);
      expect(Math.round(sum * 100) / 100).toBe(opportunity.score);
      expect(meta).toBe(
        `Score 10.24 = ${BREAKDOWN} · technologies: PostgreSQL · confidence 0.85 · 1 of 2 incidents need review`,
      );
      // Zero terms (customers, cost) are left out; the review penalty is shown as a negative term.
      expect(terms).toEqual(['recurrence 6', 'severity 4', 'duration 0.74', 'review 0.5']);
      expect(page.querySelector('#summary')?.text).toContain('− 0.5 per incident whose evidence needs review');
    });

    it('shows the score alone when the recorded breakdown does not add up to it', async () => {
      // Prepare
      const changed = reportFixture();
      const opportunity = changed.opportunities[0];
      if (opportunity === undefined) throw new Error('fixture changed');
      opportunity.score = 12;

      // Act
      const rendered = await renderReport(changed);
      const page = parseHtml(rendered.html);

      // Assess
      expect(page.querySelector('#summary table.top tbody tr td:nth-child(3)')?.text).toBe('12');
      expect(page.querySelector('#opportunity-opportunity-pool .meta')?.text).toMatch(/^Score 12 · technologies/);
      expect(rendered.markdown).toContain('- Score: 12\n');
      expect(rendered.html).not.toContain('recurrence 6');
    });

    it('lists duplicates and dropped theme members outside the themes and counts duplicates once', async () => {
      // Prepare
      const withDuplicate = reportFixture();
      const original = withDuplicate.documents[0];
      if (original === undefined) throw new Error('fixture changed');
      withDuplicate.documents.push({
        ...original,
        docId: 'incidents/2024-03-pg-pool-copy',
        sourcePath: 'incidents/2024-03-pg-pool-copy.md',
      });
      withDuplicate.duplicates = [
        { incidentId: 'incidents/2024-03-pg-pool-copy', duplicateOf: 'incidents/2024-03-pg-pool' },
      ];
      withDuplicate.droppedMembers = [
        {
          incidentId: 'silent-doc',
          theme: 'Connection pool exhaustion under load',
          reason: 'its quote shares no word with the theme',
        },
      ];

      // Act
      const rendered = await renderReport(withDuplicate);
      const section = parseHtml(rendered.html).querySelector('#patterns');
      const rows = section
        ?.querySelectorAll('table[data-table="incidents outside themes"] tbody tr')
        .map((row) => row.querySelectorAll('td').map((cell) => cell.text));
      const dropped = section?.querySelectorAll('h4 + p + ul li').map((item) => item.text);

      // Assess
      expect(section?.querySelector('p')?.text).toBe(
        'Every analysed incident is accounted for: 2 in a recurring theme, 1 not recurring yet, 1 with no catalog technology involved, and 1 duplicate counted once.',
      );
      expect(rows?.at(-1)).toEqual([
        'Checkout outage (incidents/2024-03-pg-pool-copy)',
        'duplicate of incidents/2024-03-pg-pool, counted once',
        '',
        '',
      ]);
      expect(dropped).toEqual([
        'Cache hiccup (silent-doc) from “Connection pool exhaustion under load”: its quote shares no word with the theme',
      ]);
      expect(markdownSection(rendered.markdown, '### Duplicates counted once').trim()).toBe(
        '- [Checkout outage](#doc-incidents-2024-03-pg-pool-copy) (incidents/2024-03-pg-pool-copy) repeats [Checkout outage](#doc-incidents-2024-03-pg-pool) (incidents/2024-03-pg-pool)',
      );
      expect(rendered.markdown).toContain(', and 1 duplicate counted once.');
      expect(markdownSection(rendered.markdown, '### Theme members dropped (unsupported)')).toContain(
        '(silent-doc) from “Connection pool exhaustion under load”: its quote shares no word with the theme',
      );
    });

    it('escapes all document text and runs only its own script, allowed by hash', () => {
      // Prepare
      const page = parseHtml(report.html);

      // Act
      const scripts = page.querySelectorAll('script');
      const policy = page.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '';
      const hash = createHash('sha256')
        .update(scripts[0]?.rawText ?? '')
        .digest('base64');

      // Assess
      expect(scripts).toHaveLength(1);
      expect(scripts[0]?.getAttribute('src')).toBeUndefined();
      expect(policy).toContain(`script-src 'sha256-${hash}'`);
      expect(policy).toMatch(/^default-src 'none';/);
      expect(report.html).not.toMatch(/\son[a-z]+=/i);
      expect(report.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &quot;quotes&quot; &amp; ampersands');
      expect(page.text).toContain(HOSTILE_TEXT);
    });

    it('embeds at least two SVG charts, names the technologies in them and gives their data as tables', () => {
      // Prepare
      const page = parseHtml(report.html);

      // Act
      const svgCount = report.html.match(/<svg\b/g)?.length ?? 0;
      const chartText = page.querySelectorAll('#chart-technologies svg text').map((element) => element.text);
      const monthTable = page.querySelectorAll('#chart-months details table tbody tr').map((row) => row.text);

      // Assess
      expect(svgCount).toBeGreaterThanOrEqual(2);
      expect(chartText).toContain('PostgreSQL');
      expect(chartText).toContain('Redis');
      expect(report.html).toContain('1 document has no known date and is left out of this chart.');
      expect(monthTable).toEqual(['2024-031', '2024-041', '2024-051']);
    });

    it('references nothing outside the file except the SVG namespaces', () => {
      // Act
      const withoutNamespaces = report.html
        .replaceAll('xmlns="http://www.w3.org/2000/svg"', '')
        .replaceAll('xmlns:xlink="http://www.w3.org/1999/xlink"', '');

      // Assess
      expect(withoutNamespaces).not.toMatch(/https?:/i);
      expect(withoutNamespaces).not.toMatch(/<(link|img|iframe|object|embed)\b/i);
      expect(withoutNamespaces).not.toMatch(/url\((?!#)|@import|@font-face/i);
    });

    it('shows n/a, not stated, and skipped and failed documents', () => {
      // Prepare
      const page = parseHtml(report.html);

      // Act
      const impactCells = Object.fromEntries(
        page
          .querySelectorAll('#opportunities article tr')
          .map((row) => [row.querySelector('th')?.text, row.querySelector('td')?.text]),
      );
      const silent = page
        .querySelectorAll('#incidents details')
        .find((details) => details.querySelector('summary strong')?.text === 'Cache hiccup');

      // Assess
      expect(impactCells['Customers affected']).toBe('n/a');
      expect(impactCells['Cost']).toBe('n/a');
      expect(impactCells['Total duration (minutes)']).toBe('40');
      const silentFields = Object.fromEntries(
        (silent?.querySelectorAll('dt') ?? []).map((term) => [term.text, term.nextElementSibling?.text]),
      );
      expect(silentFields).toEqual({
        Issue: 'Cache latency spiked“latency spiked”',
        'Root causes': 'not stated',
        Impact: 'not stated',
        Resolution: 'not stated',
        'Preventive actions': 'not stated',
      });
      expect(page.querySelector('#skipped')?.parentNode.text).toContain('images/diagram.png');
      expect(page.querySelector('#failed')?.parentNode.text).toContain('model returned invalid JSON');
    });
  });

  describe('json and csv', () => {
    it('writes the data verbatim as JSON', () => {
      // Assess
      expect(JSON.parse(report.json)).toEqual(data);
    });

    it('writes one CSV row per digest with the documented columns', () => {
      // Act
      const rows = parseCsv(report.digestsCsv, { columns: true }) as Array<Record<string, string>>;

      // Assess
      expect(report.digestsCsv.split('\n')[0]).toBe(
        'doc_id,title,date,technology,fault_category,contributing_factors,digest',
      );
      expect(rows).toHaveLength(3);
      expect(rows[0]).toEqual({
        doc_id: 'incidents/2024-03-pg-pool',
        title: 'Checkout outage',
        date: '2024-03-05',
        technology: 'PostgreSQL',
        fault_category: 'resource-exhaustion',
        contributing_factors: 'connection-pool; missing-alert',
        digest: 'PostgreSQL ran out of connections. The pool was capped at 20.',
      });
      expect(rows[1]?.date).toBe('');
      expect(rows[2]?.title).toBe(`Outage: ${HOSTILE_TEXT}`);
      expect(rows[2]?.contributing_factors).toBe('connection-pool; bad, config');
      expect(rows[2]?.digest).toBe(`'=HYPERLINK("x") ${HOSTILE_TEXT} Second, sentence.`);
    });
  });
});

describe('renderReport, an opportunity on one incident that does not recur yet', () => {
  const base = reportFixture();
  const [first] = base.opportunities;
  if (first === undefined) throw new Error('fixture changed');
  const single = {
    ...first,
    id: 'opportunity-incident-silent-doc',
    title: 'Memory headroom for Redis',
    patternIds: [],
    incidentIds: ['silent-doc'],
    needsReview: [],
  };
  const data = { ...base, opportunities: [first, single] };
  let report: RenderedReport;

  beforeAll(async () => {
    report = await renderReport(data);
  });

  it('names the theme the fold read for the incident in Markdown, not an internal id', () => {
    // Act
    const section = markdownSection(report.markdown, '### 2. Memory headroom for Redis');

    // Assess
    expect(section).toContain('**Theme:** “Redis memory pressure”, one incident, not recurring yet');
    expect(section).not.toContain('not in this report');
    expect(section).not.toContain('incident-silent-doc');
  });

  it('names the theme in HTML and links to the incidents outside themes, which the page holds', () => {
    // Act
    const page = parseHtml(report.html);
    const card = page.querySelector('#opportunity-opportunity-incident-silent-doc');

    // Assess
    expect(card?.text).toContain('“Redis memory pressure”, one incident, not recurring yet');
    expect(card?.text).not.toContain('not in this report');
    const link = card?.querySelectorAll('a').find((anchor) => anchor.text === 'incidents outside themes');
    expect(link?.getAttribute('href')).toBe('#outside-themes');
    expect(page.querySelector('#outside-themes')).not.toBeNull();
  });

  it('says so for an incident with no catalog technology', async () => {
    // Prepare
    const noCatalog = { ...single, incidentIds: ['runbook-typo'], technologies: [] };

    // Act
    const rendered = await renderReport({ ...data, opportunities: [first, noCatalog] });

    // Assess
    expect(rendered.markdown).toContain('**Theme:** no catalog technology involved, one incident, not recurring yet');
  });
});
