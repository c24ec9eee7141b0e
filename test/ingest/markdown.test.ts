import { describe, expect, it } from 'vitest';
import { Postmortem } from '../../src/schemas/index.ts';
import { ingestInline } from '../support/postmortems.ts';

const WITH_FRONT_MATTER = `---
title: Checkout outage on a busy Friday
date: 2025-03-14
severity: SEV2
authors: [ana, bo]
---

# Checkout outage (draft heading)

## Summary

Checkout requests failed for 45 minutes.

## Impact

About 1,200 customers could not pay for their orders.

## Timeline

- 10:00 a deploy raised the pool size
- 10:45 the deploy was rolled back

## Root Cause

The connection pool of the orders service exceeded the database limit.

### Why the limit was hit

Every pod opened twice as many connections after the deploy.

## Action Items

- Alert on the connection count of the orders database.
- Review pool sizes in every service.
`;

describe('ingest: markdown', () => {
  it('takes title, date and other fields from YAML front matter', () => {
    // Prepare
    const source = WITH_FRONT_MATTER;

    // Act
    const postmortem = ingestInline(source, 'incidents/checkout.md');

    // Assess
    expect(postmortem.format).toBe('markdown');
    expect(postmortem.title).toBe('Checkout outage on a busy Friday');
    expect(postmortem.date).toBe('2025-03-14');
    expect(postmortem.metadata).toEqual({ severity: 'SEV2', authors: ['ana', 'bo'] });
    expect(Postmortem.safeParse(postmortem).success).toBe(true);
  });

  it('maps ATX headings to section roles, a role-less sub-heading inheriting its parent role', () => {
    // Prepare
    const source = WITH_FRONT_MATTER;

    // Act
    const postmortem = ingestInline(source, 'checkout.md');

    // Assess
    const roles = postmortem.sections.map((section) => [section.heading, section.role]);
    expect(roles).toEqual([
      ['Summary', 'summary'],
      ['Impact', 'impact'],
      ['Timeline', 'timeline'],
      ['Root Cause', 'root-cause'],
      ['Why the limit was hit', 'root-cause'],
      ['Action Items', 'action-items'],
    ]);
    const actionItems = postmortem.sections.find((section) => section.role === 'action-items');
    expect(actionItems?.text).toBe(
      '- Alert on the connection count of the orders database.\n- Review pool sizes in every service.',
    );
  });

  it('drops the front matter and the title heading from the text but keeps every section', () => {
    // Prepare
    const source = WITH_FRONT_MATTER;

    // Act
    const postmortem = ingestInline(source, 'checkout.md');

    // Assess
    expect(postmortem.text).not.toContain('severity: SEV2');
    expect(postmortem.text).not.toContain('draft heading');
    expect(postmortem.text.startsWith('Summary\n\nCheckout requests failed for 45 minutes.')).toBe(true);
    expect(postmortem.text).toContain('About 1,200 customers could not pay for their orders.');
  });

  it('uses a leading H1 as the title when there is no front matter', () => {
    // Prepare
    const source = '# Search latency spike\n\n## Summary\n\nSearch was slow for ten minutes.\n';

    // Act
    const postmortem = ingestInline(source, 'search.md');

    // Assess
    expect(postmortem.title).toBe('Search latency spike');
    expect(postmortem.date).toBeNull();
    expect(postmortem.metadata).toEqual({});
    expect(postmortem.sections[0]).toEqual({
      heading: 'Summary',
      role: 'summary',
      text: 'Search was slow for ten minutes.',
    });
  });

  it('splits inline "Root cause: ..." and "Impact: ..." labels into sections of their own', () => {
    // Prepare
    const source = [
      '# Queue backlog',
      '',
      'The order queue stopped draining on Tuesday.',
      '',
      'Root cause: a consumer deploy set the visibility timeout to one second.',
      '',
      'Impact: orders were confirmed two hours late.',
      '',
      '**Resolution:** we reverted the consumer deploy.',
      '',
    ].join('\n');

    // Act
    const postmortem = ingestInline(source, 'queue.md');

    // Assess
    expect(postmortem.sections).toEqual([
      { heading: '', role: 'summary', text: 'The order queue stopped draining on Tuesday.' },
      {
        heading: 'Root cause',
        role: 'root-cause',
        text: 'a consumer deploy set the visibility timeout to one second.',
      },
      { heading: 'Impact', role: 'impact', text: 'orders were confirmed two hours late.' },
      { heading: 'Resolution', role: 'resolution', text: 'we reverted the consumer deploy.' },
    ]);
  });

  it('keeps link targets visible and strips inline markup', () => {
    // Prepare
    const source =
      '# Cache miss storm\n\n## Root Cause\n\nThe **cache** was `flushed` by a job, see [the runbook](https://runbooks.example.com/cache) for details.\n';

    // Act
    const postmortem = ingestInline(source, 'cache.md');

    // Assess
    expect(postmortem.sections[0]?.text).toBe(
      'The cache was flushed by a job, see the runbook (https://runbooks.example.com/cache) for details.',
    );
  });

  it('finds the date in the text when the front matter has none', () => {
    // Prepare
    const source = '# Billing delay\n\nOn March 14, 2025 invoices were sent a day late.\n';

    // Act
    const postmortem = ingestInline(source, 'billing.md');

    // Assess
    expect(postmortem.date).toBe('2025-03-14');
  });
});
