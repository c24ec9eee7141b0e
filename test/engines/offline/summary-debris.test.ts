import { describe, expect, it } from 'vitest';
import { summarizeOffline } from '../../../src/engines/offline/summarize.ts';
import type { Postmortem, Summary } from '../../../src/schemas/index.ts';
import { proseOfLine, sentencesOf } from '../../../src/text/sentences.ts';
import { unsupported } from '../../../src/trust/claims.ts';
import { normalizedTextOf, quoteOccursIn } from '../../../src/trust/quotes.ts';
import { claimsOfSummary, ingestInline } from '../../support/postmortems.ts';

const EMAIL = `From: Priya Raman <priya@lanternpay.example>
To: engineering@lanternpay.example
Cc: support-leads@lanternpay.example
Subject: RE: Card payments failing on Thursday - summary
Date: Fri, 12 Apr 2024 09:14:02 +0100

Hi all,

On Thursday between 14:02 and 14:49 card payments failed for about 30% of customers.

Root cause: the payments database ran out of connections because a config push doubled the worker count.

Mitigation: we rolled back the config push and restarted the payment workers.

Follow-ups:
- [ ] Add an alert on database connection saturation
- [x] Cap the worker count in the deploy template

Happy to take questions in #payments.
Thanks,
Priya
`;

const CHAT = `pasted from #inc-ledger-writes, cleaned up a bit - raf

[10:02] pagerbot: ledger-api p99 latency above 4s for every region
[10:03] marcus: ack, looking at the ledger database dashboards now
[10:09] dana: root cause is the ledger database lock queue, because the migration waited behind a long report query
[10:15] marcus: we killed the report query and the migration finished, writes recovered right away
[10:20] dana: ping me if you see any more stuck writes
`;

const SRE_TEMPLATE = `# Search cluster outage

## Summary

Search requests failed for 40 minutes because the cluster rejected every write.

---

## Impact

| Metric | Value |
|---|---|
| Failed searches | About 12,000 customer searches returned errors during the outage window |

## Root cause

The cluster hit its disk flood stage because old indices were never deleted by the cleanup job.

## Resolution

We deleted the oldest indices and cleared the read-only block on every index.

https://grafana.example.com/d/search-cluster

## Action items

| Action | Owner | Status |
|---|---|---|
| Alert when any data node passes 80% disk usage | SRE | Open |
| Run the index cleanup job every night | Search | Done |
`;

const STATUS_PAGE = `Tollbridge Status — Checkout errors

**Resolved** — Mar 3, 2024, 16:40 UTC

Mar 3, 2024 16:40 UTC Checkout has worked normally since 16:12 UTC and every delayed order confirmation has been sent.

**Identified** — Mar 3, 2024, 15:55 UTC

Mar 3, 2024 15:55 UTC The checkout database failed over to its replica and the new primary is serving requests slowly.

**Investigating** — Mar 3, 2024, 15:31 UTC

Mar 3, 2024 15:31 UTC Customers are seeing errors when they place orders on the web and in the app.
`;

/** Root cause repeated in the summary, and the impact sentence repeated under its own heading. */
const REPEATED = `# Queue backlog

## Summary

Order emails were delayed for two hours for all customers.
The consumer crashed because a malformed message hit a null pointer in the parser.

## Impact

Order emails were delayed for two hours for all customers.

## Root cause

The consumer crashed because a malformed message hit a null pointer in the parser.

## Resolution

We skipped the malformed message and restarted the consumer, and the backlog drained.
`;

function quotesOf(summary: Summary): string[] {
  return claimsOfSummary(summary).flatMap((claim) => claim.evidence);
}

function expectVerbatim(summary: Summary, postmortem: Postmortem): void {
  const normalized = normalizedTextOf(postmortem);
  for (const quote of quotesOf(summary)) expect(quoteOccursIn(quote, normalized), `quote "${quote}"`).toBe(true);
}

describe('offline summaries carry no debris', () => {
  it('leaves e-mail headers, greetings and sign-offs out of an e-mail and keeps its claims', () => {
    // Prepare
    const postmortem = ingestInline(EMAIL, 'card-payments.txt');

    // Act
    const summary = summarizeOffline(postmortem);

    // Assess
    const quotes = quotesOf(summary);
    for (const quote of quotes) {
      expect(quote).not.toMatch(/^(?:From|To|Cc|Subject|Date):/);
      expect(quote).not.toMatch(/Hi all|Happy to take questions|Thanks|\[[ x]\]/);
    }
    expect(summary.rootCauses.map((claim) => claim.text)).toEqual([
      'the payments database ran out of connections because a config push doubled the worker count.',
    ]);
    expect(summary.issue.text).toContain('card payments failed for about 30% of customers');
    expect(summary.resolution.text).toContain('we rolled back the config push');
    expectVerbatim(summary, postmortem);
  });

  it('strips checkbox markers from preventive actions and keeps the action text', () => {
    // Prepare
    const postmortem = ingestInline(EMAIL, 'card-payments.txt');

    // Act
    const summary = summarizeOffline(postmortem);

    // Assess
    expect(summary.preventiveActions.map((claim) => claim.text)).toEqual([
      'Add an alert on database connection saturation',
      'Cap the worker count in the deploy template',
    ]);
  });

  it('cuts timestamps and nicknames off chat lines, keeps what was said and drops "ping me"', () => {
    // Prepare
    const postmortem = ingestInline(CHAT, 'ledger-writes.txt');

    // Act
    const summary = summarizeOffline(postmortem);

    // Assess
    const quotes = quotesOf(summary);
    expect(quotes.length).toBeGreaterThan(0);
    for (const quote of quotes) {
      expect(quote).not.toMatch(/^\[?\d{1,2}:\d{2}/);
      expect(quote).not.toMatch(/^(?:pagerbot|marcus|dana):/);
      expect(quote).not.toMatch(/ping me|pasted from/);
    }
    expect(summary.rootCauses.map((claim) => claim.text)).toEqual([
      'root cause is the ledger database lock queue, because the migration waited behind a long report query',
    ]);
    expect(summary.resolution.text).toContain('we killed the report query');
    expectVerbatim(summary, postmortem);
  });

  it('takes no table rows, separators, rules or bare links from an SRE template, only the prose cell of a row', () => {
    // Prepare
    const postmortem = ingestInline(SRE_TEMPLATE, 'search-cluster.md');

    // Act
    const summary = summarizeOffline(postmortem);

    // Assess
    for (const quote of quotesOf(summary)) {
      expect(quote).not.toContain('|');
      expect(quote).not.toMatch(/---|https?:/);
    }
    expect(summary.preventiveActions.map((claim) => claim.text)).toEqual([
      'Alert when any data node passes 80% disk usage',
      'Run the index cleanup job every night',
    ]);
    expect(summary.impact.text).toBe('About 12,000 customer searches returned errors during the outage window');
    expect(summary.resolution.text).toBe(
      'We deleted the oldest indices and cleared the read-only block on every index.',
    );
    expectVerbatim(summary, postmortem);
  });

  it('drops the date stamps of status-page updates and keeps the updates', () => {
    // Prepare
    const postmortem = ingestInline(STATUS_PAGE, 'checkout-status.md');

    // Act
    const summary = summarizeOffline(postmortem);

    // Assess
    const quotes = quotesOf(summary);
    expect(quotes.length).toBeGreaterThan(0);
    for (const quote of quotes) expect(quote).not.toMatch(/^(?:Mar 3|Resolved|Identified|Investigating)\b/);
    expect(quotes).toContain(
      'Checkout has worked normally since 16:12 UTC and every delayed order confirmation has been sent.',
    );
    expectVerbatim(summary, postmortem);
  });

  it('shows each claim once: a sentence one field used is not repeated by another', () => {
    // Prepare
    const postmortem = ingestInline(REPEATED, 'queue-backlog.md');

    // Act
    const summary = summarizeOffline(postmortem);

    // Assess
    const quotes = quotesOf(summary).map((quote) => quote.toLowerCase());
    expect(new Set(quotes).size).toBe(quotes.length);
    expect(summary.rootCauses.map((claim) => claim.text)).toEqual([
      'The consumer crashed because a malformed message hit a null pointer in the parser.',
    ]);
    expect(summary.issue.text).toBe('Order emails were delayed for two hours for all customers.');
    expect(summary.issue.text).not.toContain('malformed message');
    expect(summary.impact.text).not.toBe(summary.issue.text);
    expectVerbatim(summary, postmortem);
  });
  it('offers no claim the verifier would reject: no signature, apology fragment, settings line or empty sentence', () => {
    // Prepare: a root-cause sentence with no content word, fragments among the actions.
    const source = `# Thumbnail queue stalled

## Summary

Thumbnail jobs stopped for 50 minutes and sellers saw grey placeholders.

## Root cause

The worker pool leaked file handles until every worker hung on open.
It was all of that, again and again.

## Action items

- Close handles in the resize worker and add a leak check to CI.
- Pool min idle 5, max 15
- Daily rather than weekly canaries
- We're sorry for the disruption.

— The Media Platform Team
`;
    const postmortem = ingestInline(source, 'thumbnails.md');

    // Act
    const summary = summarizeOffline(postmortem);

    // Assess
    for (const claim of claimsOfSummary(summary).filter((candidate) => candidate.evidence.length > 0))
      expect(unsupported(claim.text, claim.evidence), claim.text).toBeNull();
    expect(summary.rootCauses.map((claim) => claim.text)).toEqual([
      'The worker pool leaked file handles until every worker hung on open.',
    ]);
    expect(summary.preventiveActions.map((claim) => claim.text)).toEqual([
      'Close handles in the resize worker and add a leak check to CI.',
    ]);
  });
});

describe('prose lines', () => {
  it.each([
    ['| Action | Owner | Status |', null],
    ['|---|:---:|---|', null],
    ['---', null],
    ['---------- Forwarded message ---------', null],
    ['Subject: Card payments failing', null],
    ['https://grafana.example.com/d/abc', null],
    ['Runbook: https://wiki.example.com/runbooks/db', null],
    ['Jun 12, 2024, 15:58 UTC', null],
    ['| 14:06 | Deploy starts the migration on the orders table |', 'Deploy starts the migration on the orders table'],
    ['[ ] Add an alert on replica lag', 'Add an alert on replica lag'],
    ['[08:51] yusuf: workers are throwing read timeouts', 'workers are throwing read timeouts'],
    ['2024-08-06T14:40:00Z — write capacity raised to 3,000 units.', 'write capacity raised to 3,000 units.'],
    [
      '14:02–14:49 UTC: card payments failed for 30% of customers',
      '14:02–14:49 UTC: card payments failed for 30% of customers',
    ],
    ['The pool was exhausted at 14:02.', 'The pool was exhausted at 14:02.'],
  ])('%s -> %s', (line, expected) => {
    expect(proseOfLine(line)).toBe(expected);
  });

  it('leaves the default sentences as they were: the prose filter is an option', () => {
    // Prepare
    const postmortem = ingestInline(SRE_TEMPLATE, 'search-cluster.md');

    // Act
    const plain = sentencesOf(postmortem).map((sentence) => sentence.text);
    const prose = sentencesOf(postmortem, { prose: true }).map((sentence) => sentence.text);

    // Assess
    expect(plain).toContain('Run the index cleanup job every night | Search | Done');
    expect(prose).not.toContain('Run the index cleanup job every night | Search | Done');
    expect(prose).toContain('Run the index cleanup job every night');
  });
});

/** A Teams-style export: the chat's name alone on the first line, each message under "Author  HH:MM". */
const TEAMS_CHAT = `Teams chat "Invoice exports stuck"

Ruth Okonkwo  09:12
Invoice exports for the finance team are three hours late and the export queue keeps growing.

Tariq M.  09:15
The export workers are idle because every worker waits on the same lock in the reporting database.

@ruth.o: so the lock is the reason the exports were late?
`;

/** A ticket history: the key and title, a line of fields, then comments under banners run into their text. */
const TICKET = `FIN-318  Invoice exports stuck for the finance team
Priority: High   Reporter: finance operations   Component: exports

--- Comment by Lena Vogt, 4 Mar 2026 09:20 ---
Invoice exports were three hours late for every finance user this morning.

--- Comment by Lena Vogt, 4 Mar 2026 10:05 ---
The export job failed because the reporting database ran out of disk space after a runaway audit table.
`;

/** A status page whose updates carry their label and stamp on the same line as the text. */
const STATUS_LINES = `Brightwater Status — Ticket sales unavailable

Identified — 12 Feb 2026, 18:40 UTC The ticket sales service cannot reach its payment provider and every purchase fails.

Update 1 — 18:10 UTC — Investigating We are seeing errors for customers who try to buy tickets.
`;

describe('offline summaries of chat, ticket and status voices', () => {
  it('cuts the author and time header off chat messages, and the chat name line is not quoted', () => {
    // Prepare
    const postmortem = ingestInline(TEAMS_CHAT, 'invoice-exports.txt');

    // Act
    const summary = summarizeOffline(postmortem);

    // Assess
    const quotes = quotesOf(summary);
    expect(quotes.length).toBeGreaterThan(0);
    for (const quote of quotes) {
      expect(quote).not.toMatch(/^(?:Ruth Okonkwo|Tariq M\.|@ruth\.o)/);
      expect(quote).not.toContain('Teams chat');
    }
    expect(summary.issue.text).toMatch(/^Invoice exports for the finance team are three hours late/);
    expectVerbatim(summary, postmortem);
  });

  it('leaves the ticket title, its field line and the comment banners out of the quotes', () => {
    // Prepare
    const postmortem = ingestInline(TICKET, 'fin-318.txt');

    // Act
    const summary = summarizeOffline(postmortem);

    // Assess
    expect(postmortem.title).toBe('FIN-318 Invoice exports stuck for the finance team');
    for (const quote of quotesOf(summary)) {
      expect(quote).not.toMatch(/FIN-318|Priority:|Reporter:|Comment by|---/);
    }
    expect(summary.issue.text).toMatch(/^Invoice exports were three hours late/);
    expect(summary.rootCauses.map((claim) => claim.text)).toEqual([
      'The export job failed because the reporting database ran out of disk space after a runaway audit table.',
    ]);
    expectVerbatim(summary, postmortem);
  });

  it('cuts an open status label and its stamp off an update that runs on the same line', () => {
    // Prepare
    const postmortem = ingestInline(STATUS_LINES, 'brightwater.txt');

    // Act
    const summary = summarizeOffline(postmortem);

    // Assess
    expect(quotesOf(summary).length).toBeGreaterThan(0);
    for (const quote of quotesOf(summary)) expect(quote).not.toMatch(/^(?:Identified|Update|Investigating)\b/);
    expect(sentencesOf(postmortem, { prose: true }).map((unit) => unit.text)).toEqual([
      'Brightwater Status — Ticket sales unavailable',
      'The ticket sales service cannot reach its payment provider and every purchase fails.',
      'We are seeing errors for customers who try to buy tickets.',
    ]);
    expectVerbatim(summary, postmortem);
  });

  it('keeps "Update:" when a sentence, not a stamp, follows it', () => {
    // Prepare
    const line = 'Update: we found the cause at 14:02 UTC and the queue is draining.';

    // Act
    const units = sentencesOf(ingestInline(`Checkout queue backlog\n\n${line}\n`, 'queue.txt'), { prose: true });

    // Assess
    expect(units.map((unit) => unit.text)).toContain(line);
  });

  it('quotes a title line as the issue only when no other sentence tells what went wrong', () => {
    // Prepare
    const postmortem = ingestInline(
      'Ledger totals rounded wrongly after the library upgrade\n\nTimeline:\n- 10:02 upgrade shipped\n- 11:40 rolled back\n',
      'ledger.txt',
    );

    // Act
    const summary = summarizeOffline(postmortem);

    // Assess
    expect(summary.issue.text).toBe('Ledger totals rounded wrongly after the library upgrade');
  });
});

describe('the issue of a status page that names no failure', () => {
  it('is what its users could not do, not "not stated"', () => {
    // Prepare
    const postmortem = ingestInline(
      '<html><body><h1>Harbourline Status</h1><h2>Courier app sign-in on older phones</h2>' +
        '<p>Resolved - 15 Jul 11:58 BST. Drivers are signing in normally again.</p>' +
        '<p>Investigating - 15 Jul 10:30 BST. Some drivers cannot sign in to the courier app on older phones.</p>' +
        '</body></html>',
      'harbourline.html',
    );

    // Act
    const summary = summarizeOffline(postmortem);

    // Assess
    expect(summary.issue.text).toBe('Some drivers cannot sign in to the courier app on older phones.');
  });
});
