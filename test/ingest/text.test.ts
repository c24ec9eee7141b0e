import { describe, expect, it } from 'vitest';
import { ingestInline } from '../support/postmortems.ts';

const PLAIN = `CHECKOUT OUTAGE

On March 14, 2025 the checkout service returned errors for 40 minutes.

ROOT CAUSE
The orders database ran out of connections after a deploy.

Impact:
Customers could not pay.

ACTION ITEMS
- Alert on the connection count
* Lower the pool size per pod
1. Load test the next pool change
`;

describe('ingest: plain text', () => {
  it('recognises ALL-CAPS headings and "Label:" headings and maps them to roles', () => {
    // Prepare
    const source = PLAIN;

    // Act
    const postmortem = ingestInline(source, 'checkout.txt');

    // Assess
    expect(postmortem.format).toBe('text');
    expect(postmortem.title).toBe('CHECKOUT OUTAGE');
    expect(postmortem.sections.map((section) => [section.heading, section.role])).toEqual([
      ['', 'summary'],
      ['ROOT CAUSE', 'root-cause'],
      ['Impact', 'impact'],
      ['ACTION ITEMS', 'action-items'],
    ]);
  });

  it('turns "-", "*" and numbered lines into list items', () => {
    // Prepare
    const source = PLAIN;

    // Act
    const postmortem = ingestInline(source, 'checkout.txt');

    // Assess
    const actionItems = postmortem.sections.find((section) => section.role === 'action-items');
    expect(actionItems?.text).toBe(
      '- Alert on the connection count\n- Lower the pool size per pod\n- Load test the next pool change',
    );
  });

  it('finds a written-out date in the text ("March 14, 2025" -> 2025-03-14)', () => {
    // Prepare
    const source = PLAIN;

    // Act
    const postmortem = ingestInline(source, 'checkout.txt');

    // Assess
    expect(postmortem.date).toBe('2025-03-14');
  });

  it('recognises underlined headings and joins wrapped paragraph lines', () => {
    // Prepare
    const source = [
      'Search degradation',
      '==================',
      '',
      'Timeline',
      '--------',
      '09:12 the indexer started a full reindex',
      'that saturated the cluster.',
      '',
    ].join('\n');

    // Act
    const postmortem = ingestInline(source, 'search.txt');

    // Assess
    expect(postmortem.title).toBe('Search degradation');
    expect(postmortem.sections).toEqual([
      {
        heading: 'Timeline',
        role: 'timeline',
        text: '09:12 the indexer started a full reindex that saturated the cluster.',
      },
    ]);
  });

  it('takes the severity of a ticket header when the document has no severity field, never from prose', () => {
    // Prepare
    const ticket =
      'Queue stalled\nProject: Billing   Priority: P2   Status: Resolved\n\nThe invoice queue stopped for an hour.\n';
    const prose = 'Queue stalled\n\nAt 09:10 a P1 was declared and the invoice queue was drained by hand.\n';
    const both = '---\nseverity: SEV3\n---\nQueue stalled\nPriority: P1\n\nThe invoice queue stopped for an hour.\n';

    // Act
    const [fromHeader, fromProse, fromFrontMatter] = [
      ingestInline(ticket, 'ticket.txt'),
      ingestInline(prose, 'prose.txt'),
      ingestInline(both, 'both.txt'),
    ];

    // Assess
    expect(fromHeader.metadata).toEqual({ severity: 'SEV2' });
    expect(fromProse.metadata).toEqual({});
    expect(fromFrontMatter.metadata).toEqual({ severity: 'SEV3' });
  });

  it('reads YAML front matter in a text file too', () => {
    // Prepare
    const source =
      '---\ntitle: DNS outage\nseverity: SEV1\n---\nSUMMARY\nInternal DNS lookups failed for 15 minutes.\n';

    // Act
    const postmortem = ingestInline(source, 'dns.txt');

    // Assess
    expect(postmortem.title).toBe('DNS outage');
    expect(postmortem.metadata).toEqual({ severity: 'SEV1' });
    expect(postmortem.sections).toEqual([
      { heading: 'SUMMARY', role: 'summary', text: 'Internal DNS lookups failed for 15 minutes.' },
    ]);
  });
});
