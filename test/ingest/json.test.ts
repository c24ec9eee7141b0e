import { describe, expect, it } from 'vitest';
import { sentencesOf } from '../../src/text/sentences.ts';
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

  it('reads the fields beside an "incident" header object, not the header alone', () => {
    // Prepare
    const source = JSON.stringify({
      incident: { key: 'OPS-12', summary: 'Uploads failed after the nightly job', severity: 'sev2' },
      log: [{ t: '01:02', who: 'system', msg: 'the nightly job filled the volume' }],
      cause: 'The upload volume filled because the cleanup job had been disabled.',
    });

    // Act
    const postmortem = ingestInline(source, 'uploads.json');

    // Assess
    const headings = postmortem.sections.map((section) => section.heading);
    expect(headings).toEqual(expect.arrayContaining(['Log', 'Cause']));
    expect(postmortem.sections.find((section) => section.heading === 'Cause')?.text).toMatch(/cleanup job/);
  });

  it('still reads an "incident" object alone when it holds everything', () => {
    // Prepare
    const source = JSON.stringify({
      incident: { title: 'Uploads failed', root_cause: 'The upload volume filled. The cleanup job was off.' },
    });

    // Act
    const postmortem = ingestInline(source, 'uploads.json');

    // Assess
    expect(postmortem.title).toBe('Uploads failed');
    expect(postmortem.sections.map((section) => section.heading)).toEqual(['Root cause']);
  });

  it('joins the hard-wrapped lines of a body into sentences, and keeps list items and log lines apart', () => {
    // Prepare: a body wrapped at 60 columns, as exports of wiki pages and e-mails are.
    const body = [
      'Clients began to fail when opening',
      'connections to the broker. The broker had',
      'run out of file handles.',
      '',
      'Follow-ups:',
      '- raise the limit in configuration,',
      '  not in the image',
      '- alert at 70% of the limit',
      '',
      '10:05 first refusals',
      '10:48 limit raised',
    ].join('\n');

    // Act
    const sentences = sentencesOf(ingestInline(JSON.stringify({ title: 'Refusals', body }), 'refusals.json')).map(
      (sentence) => sentence.text,
    );

    // Assess
    expect(sentences).toEqual([
      'Clients began to fail when opening connections to the broker.',
      'The broker had run out of file handles.',
      'Follow-ups:',
      'raise the limit in configuration, not in the image',
      'alert at 70% of the limit',
      '10:05 first refusals',
      '10:48 limit raised',
    ]);
  });
});
