import { describe, expect, it } from 'vitest';
import { ingestInline } from '../support/postmortems.ts';

const EXPORT = `<!doctype html>
<html>
<head>
  <title>Search outage</title>
  <meta name="date" content="2025-02-03">
  <meta name="severity" content="SEV3">
  <style>body { color: red; }</style>
  <script>window.tracking = "ignore me";</script>
</head>
<body>
  <h1>Search outage</h1>
  <h2>Summary</h2>
  <p>Search returned errors for <strong>20 minutes</strong>.</p>
  <h2>Root cause</h2>
  <p>The search cluster ran out of disk. The procedure is in <a href="https://wiki.example.com/search/disk">the disk runbook</a>.</p>
  <h2>Timeline</h2>
  <table>
    <tr><th>Time</th><th>Event</th></tr>
    <tr><td>10:00</td><td>Disk alert fired</td></tr>
  </table>
  <h2>Action items</h2>
  <ul>
    <li>Add a disk usage alert</li>
    <li>Raise the disk watermark</li>
  </ul>
</body>
</html>`;

describe('ingest: HTML', () => {
  it('takes the title and metadata from <title> and <meta>', () => {
    // Prepare
    const source = EXPORT;

    // Act
    const postmortem = ingestInline(source, 'search.html');

    // Assess
    expect(postmortem.format).toBe('html');
    expect(postmortem.title).toBe('Search outage');
    expect(postmortem.date).toBe('2025-02-03');
    expect(postmortem.metadata).toEqual({ severity: 'SEV3' });
  });

  it('maps h2 headings to roles, p to paragraphs, li and table rows to list items', () => {
    // Prepare
    const source = EXPORT;

    // Act
    const postmortem = ingestInline(source, 'search.html');

    // Assess
    expect(postmortem.sections).toEqual([
      { heading: 'Summary', role: 'summary', text: 'Search returned errors for 20 minutes.' },
      {
        heading: 'Root cause',
        role: 'root-cause',
        text: 'The search cluster ran out of disk. The procedure is in the disk runbook (https://wiki.example.com/search/disk).',
      },
      { heading: 'Timeline', role: 'timeline', text: '- Time | Event\n- 10:00 | Disk alert fired' },
      { heading: 'Action items', role: 'action-items', text: '- Add a disk usage alert\n- Raise the disk watermark' },
    ]);
  });

  it('keeps a link URL visible and leaves script and style content out', () => {
    // Prepare
    const source = EXPORT;

    // Act
    const postmortem = ingestInline(source, 'search.html');

    // Assess
    expect(postmortem.text).toContain('https://wiki.example.com/search/disk');
    expect(postmortem.text).not.toContain('tracking');
    expect(postmortem.text).not.toContain('color: red');
    expect(postmortem.text).not.toMatch(/<[a-z]/i);
  });

  it('uses the first h1 as title when there is no <title>', () => {
    // Prepare
    const source = '<body><h1>Broker disk alarm</h1><p>Publishers were blocked for 8 minutes.</p></body>';

    // Act
    const postmortem = ingestInline(source, 'broker.htm');

    // Assess
    expect(postmortem.title).toBe('Broker disk alarm');
    expect(postmortem.text).toBe('Publishers were blocked for 8 minutes.');
  });
});
