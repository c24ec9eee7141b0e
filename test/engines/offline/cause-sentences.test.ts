import { describe, expect, it } from 'vitest';
import {
  causeStrength,
  clearsInsteadOfCausing,
  isClosingStatus,
  isDebris,
  isHeaderLine,
  isLeadIn,
  isMetaSentence,
  ratesTheIncident,
} from '../../../src/engines/offline/cause-sentences.ts';
import { summarizeOffline } from '../../../src/engines/offline/summarize.ts';
import { ingestInline } from '../../support/postmortems.ts';

/** A narrative with no root-cause heading: meta-talk, a set-aside theory and the cause late in the text. */
const NARRATIVE = `# The afternoon our invoices stalled

I am writing this before the formal review because several of you asked what happened.
On Tuesday afternoon invoice generation failed for 90 minutes and 4,000 invoices were late.
Our first hypothesis was the message broker, because its dashboards turned red at the same time.
The broker was not the cause; it only queued what the workers could not take.
A summary of the cause is below.
The root cause was a schema change that dropped an index on the invoices table, so every lookup scanned the whole table.
We restored the index at 16:20 and the backlog drained within ten minutes.
`;

/** A status page: byline, a closing update first, the problem in an earlier update. */
const STATUS = `Gravelmoor Status · Incident · 4 March 2031 · SEV2

Resolved — 4 Mar 2031, 12:40 UTC Everything has been working normally since 12:31.

Identified — 4 Mar 2031, 11:58 UTC Image uploads are failing for every customer because the storage bucket policy denies writes.

A full post-incident review will follow.
`;

describe('what a sentence asserts', () => {
  it.each([
    ['I am writing this up now because the timeline is short.', true],
    ["We'll share a short summary below.", true],
    ['A few of you asked why the queue backed up.', true],
    ['The details are described in the next section.', true],
    ['We have identified the cause.', true],
    ['The cause was a stale DNS record on the edge proxies.', false],
    ['The report we had published last year named the same limit.', false],
    ['We are sorry for the confusion this caused, particularly to your teams.', true],
    ['We apologise for the trouble this caused.', true],
    ['Sorry to everyone who missed a delivery because of this.', true],
    ['Longer answer below, because the how matters more than the what.', true],
    ["As promised on yesterday's call, here is the short version of Thursday's outage.", true],
    ['The engineering write-up is linked at the bottom for anyone who wants the detail.', true],
    // A confession that goes on to say what was done is no apology to the readers.
    ['sorry, it is me. I clicked the admin search three times because it was slow.', false],
  ])('meta: %s -> %s', (sentence, expected) => {
    expect(isMetaSentence(sentence)).toBe(expected);
  });

  it.each([
    ['Two things grew the database:', true],
    ['Still open from my shift, please read before anything else:', true],
    ['What still needs deciding (not urgent but not forgotten):', true],
    // A sentence with its content before the colon is no lead-in.
    ['The disk filled because log rotation had been off since the March rebuild of all four hosts:', false],
  ])('lead-in: %s -> %s', (sentence, expected) => {
    expect(isLeadIn(sentence)).toBe(expected);
  });

  it.each([
    ['Our first hypothesis was the cache, because the errors named it.', true],
    ['The scheduler behaved normally throughout the window.', true],
    ['This was not a network problem; packet loss stayed at zero.', true],
    ['The disk filled because log rotation had been switched off.', false],
  ])('set aside: %s -> %s', (sentence, expected) => {
    expect(clearsInsteadOfCausing(sentence)).toBe(expected);
  });

  it('ranks a cause stated outright above a causal link, and either above a bare cause word', () => {
    // Prepare
    const outright = 'The root cause was an expired client certificate on the payment proxy.';
    const linked = 'Requests piled up because the pool had only eight connections.';
    const bare = 'That cause took a while to see on our side of things.';

    // Act
    const strengths = [outright, linked, bare].map(causeStrength);

    // Assess
    expect(strengths).toEqual([3, 2, 1]);
    expect(causeStrength('I want to be precise about the cause because we argued about it.')).toBe(0);
  });

  it.each([
    ['Acme Docs · Customer RCA · Reference 42 · Published 3 May 2031', true],
    ['Authors: Ada Writer, Bo Editor.', true],
    ['Date of incident: 3 May Published: 5 May Audience: all customers', true],
    ['The cache node ran out of memory at 14:02 and evicted every session.', false],
  ])('header: %s -> %s', (sentence, expected) => {
    expect(isHeaderLine(sentence)).toBe(expected);
  });

  it('tells a closing status update and a remediation label from a statement of the problem', () => {
    expect(isClosingStatus('Resolved — 4 Mar 2031, 12:40 UTC Everything is normal.')).toBe(true);
    expect(isClosingStatus('[Resolved] Uploads work again.')).toBe(true);
    expect(isClosingStatus('Identified — 4 Mar, 11:58 UTC Uploads are failing.')).toBe(false);
    expect(isDebris('Next time: lower the TTL a week before the move.')).toBe(true);
    expect(isDebris('Two things filled the disk:')).toBe(true);
    expect(isDebris('The disk filled with retained write-ahead log.')).toBe(false);
  });
});

/** A chat export whose rating of the incident gives a reason with "because" before the cause is told. */
const RATED_CHAT = `[09:02] mira: opening an incident, Sev1 because checkout is down in two regions
[09:05] tomas: impact for review: 35 min of failed payments, about 2,100 orders lost
[09:11] tomas: the payment workers crashed because the new release read a config key that was never set
[09:30] mira: rolled back, payments are flowing again
`;

describe('offline summary root causes and issue', () => {
  it.each([
    ['Sev1 because checkout is down in two regions', true],
    ['We rated it SEV-2 because the refunds took a day.', true],
    ['Severity stays Critical because of the exposure.', true],
    ['dana: impact for review: 40 min of stale prices', true],
    ['The workers crashed because the release read a missing key.', false],
    ['The impact was larger because retries doubled the load.', false],
  ])('rates the incident: %s -> %s', (sentence, expected) => {
    expect(ratesTheIncident(sentence)).toBe(expected);
  });

  it('does not offer the reason for a severity rating or an impact line as the cause', () => {
    // Prepare
    const postmortem = ingestInline(RATED_CHAT, 'payments-chat.txt');

    // Act
    const summary = summarizeOffline(postmortem);

    // Assess
    const causes = summary.rootCauses.map((claim) => claim.text);
    expect(causes.join(' ')).toContain('the new release read a config key that was never set');
    for (const cause of causes) expect(cause).not.toMatch(/Sev1 because|impact for review/);
  });

  it('takes the stated cause from a narrative, not the meta-talk, the set-aside theory or the pointer', () => {
    // Prepare
    const postmortem = ingestInline(NARRATIVE, 'invoices.md');

    // Act
    const summary = summarizeOffline(postmortem);

    // Assess
    const causes = summary.rootCauses.map((claim) => claim.text);
    expect(causes[0]).toBe(
      'The root cause was a schema change that dropped an index on the invoices table, so every lookup scanned the whole table.',
    );
    for (const cause of causes) expect(cause).not.toMatch(/writing this|first hypothesis|not the cause|is below/);
    expect(summary.issue.text).toContain('invoice generation failed for 90 minutes');
    expect(summary.issue.text).not.toMatch(/I am writing this|first hypothesis|not the cause/);
  });

  it('tells the issue from a status update that states the problem, not the byline or the closing update', () => {
    // Prepare
    const postmortem = ingestInline(STATUS, 'uploads-status.md');

    // Act
    const summary = summarizeOffline(postmortem);

    // Assess
    const quotes = [...summary.issue.evidence, ...summary.rootCauses.flatMap((claim) => claim.evidence)];
    expect(quotes.join(' ')).toContain('Image uploads are failing for every customer');
    for (const quote of quotes) expect(quote).not.toMatch(/\u00b7|^Resolved|will follow/);
  });
});
