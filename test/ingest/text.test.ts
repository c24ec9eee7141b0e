import { describe, expect, it } from 'vitest';
import { sentencesOf } from '../../src/text/sentences.ts';
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

  it('keeps each line of a record with its labels in a column as an entry of its own, with the role its label names', () => {
    // Prepare: a terse record whose labels stand in a column, the values after two or more spaces.
    const source = `payments / incident 2026-02-11 / "refund lag"

symptom   refunds queued for up to 3 h from 06:00
checked   workers healthy, no restarts since the 05:40 deploy
cause     the refunds queue had one partition, so only one worker could take it
fix       08:10 raised partitions to 12
          08:40 backlog cleared
impact    1,900 refunds late
`;

    // Act
    const sentences = sentencesOf(ingestInline(source, 'refunds.txt'));

    // Assess: no line runs into the next, and the labelled lines take their section's role.
    const texts = sentences.map((sentence) => sentence.text);
    expect(texts).toContain('symptom refunds queued for up to 3 h from 06:00');
    expect(texts).toContain('checked workers healthy, no restarts since the 05:40 deploy');
    expect(sentences.find((sentence) => sentence.text.startsWith('the refunds queue'))?.role).toBe('root-cause');
    expect(sentences.find((sentence) => sentence.text.startsWith('08:10'))?.text).toContain('08:40 backlog cleared');
    expect(sentences.find((sentence) => sentence.text.startsWith('1,900'))?.role).toBe('impact');
  });
});
