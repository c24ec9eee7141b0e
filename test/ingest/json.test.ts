import { describe, expect, it } from 'vitest';
import { ingestInline } from '../support/postmortems.ts';

describe('ingest: JSON', () => {
  it('reads the {title, date, sections: [{heading, body}]} shape', () => {
    // Prepare
    const source = JSON.stringify({
      title: 'Queue backlog',
      date: '2025-01-02T09:30:00Z',
      status: 'closed',
      sections: [
        { heading: 'Root cause', body: 'The consumer crashed on a malformed message. It restarted in a loop.' },
        { heading: 'Impact', body: 'Orders were confirmed two hours late.' },
      ],
    });

    // Act
    const postmortem = ingestInline(source, 'queue.json');

    // Assess
    expect(postmortem.format).toBe('json');
    expect(postmortem.title).toBe('Queue backlog');
    expect(postmortem.date).toBe('2025-01-02');
    expect(postmortem.metadata).toEqual({ status: 'closed' });
    expect(postmortem.sections).toEqual([
      {
        heading: 'Root cause',
        role: 'root-cause',
        text: 'The consumer crashed on a malformed message. It restarted in a loop.',
      },
      { heading: 'Impact', role: 'impact', text: 'Orders were confirmed two hours late.' },
    ]);
  });

  it('reads the flat {title, root_cause, impact, action_items: [...]} shape', () => {
    // Prepare
    const source = JSON.stringify({
      title: 'Cache eviction storm',
      severity: 'SEV2',
      root_cause: 'The cache hit its memory limit. It evicted hot keys and every miss went to the database.',
      impact: 'Product pages were slow for 30 minutes. About 4% of requests failed.',
      action_items: ['Alert on evictions', { text: 'Raise the memory limit', owner: 'platform' }],
    });

    // Act
    const postmortem = ingestInline(source, 'cache.json');

    // Assess
    expect(postmortem.title).toBe('Cache eviction storm');
    expect(postmortem.metadata).toEqual({ severity: 'SEV2' });
    expect(postmortem.sections).toEqual([
      {
        heading: 'Root cause',
        role: 'root-cause',
        text: 'The cache hit its memory limit. It evicted hot keys and every miss went to the database.',
      },
      {
        heading: 'Impact',
        role: 'impact',
        text: 'Product pages were slow for 30 minutes. About 4% of requests failed.',
      },
      {
        heading: 'Action items',
        role: 'action-items',
        text: '- Alert on evictions\n- Raise the memory limit \u2014 platform',
      },
    ]);
  });

  it('unwraps an "incident" envelope and a one-element array', () => {
    // Prepare
    const source = JSON.stringify([
      { incident: { name: 'Login failures', summary: 'Logins failed for ten minutes. A token service was down.' } },
    ]);

    // Act
    const postmortem = ingestInline(source, 'login.json');

    // Assess
    expect(postmortem.title).toBe('Login failures');
    expect(postmortem.sections).toEqual([
      { heading: 'Summary', role: 'summary', text: 'Logins failed for ten minutes. A token service was down.' },
    ]);
  });
});
