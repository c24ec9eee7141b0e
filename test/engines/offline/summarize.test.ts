import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../src/catalog/index.ts';
import type { Engine } from '../../../src/engines/engine.ts';
import { createOfflineEngine } from '../../../src/engines/offline/index.ts';
import { isStated, NOT_STATED, Summary } from '../../../src/schemas/index.ts';
import { claimsOfSummary, ingestInline, isQuoteOf } from '../../support/postmortems.ts';

const FULL = `# Checkout outage

## Summary

On 2025-03-14 checkout requests failed for 45 minutes.

## Impact

About 1,200 customers could not complete their orders during the outage.

## Root Cause

PostgreSQL ran out of connections because a deploy raised the pool size, so new requests were rejected.

## Resolution

We rolled back the deploy and restarted the API pods.

## Action Items

- Alert when connections reach 80% of the limit.
- Review the pool size of every service.
`;

const SILENT = `# Consumer rebalancing

## Root Cause

The consumer group kept rebalancing because the poll interval was shorter than the batch time.
`;

const TEXT_FORMAT = `LOGIN FAILURES

Logins failed for twenty minutes on a Monday morning.
The token signing key had expired overnight.

WHAT WE DID
We rotated the key by hand and logins recovered.
`;

const HTML_FORMAT = `<h1>Image uploads failing</h1>
<h2>Impact</h2><p>Sellers could not upload images for 2 hours. Roughly 3% of listings were affected.</p>
<h2>Root cause</h2><p>A lifecycle rule deleted the upload staging prefix, so every upload failed with a 404.</p>
<h2>Follow-ups</h2><ul><li>Review lifecycle rules before applying them.</li><li>Add a canary upload check.</li></ul>`;

describe('offline engine: summarize', () => {
  let engine: Engine;

  beforeAll(async () => {
    engine = createOfflineEngine((await loadCatalog()).catalog);
  });

  it.each([
    ['full.md', FULL],
    ['silent.md', SILENT],
    ['login.txt', TEXT_FORMAT],
    ['uploads.html', HTML_FORMAT],
  ])('is extractive for %s: every quote is in the source and every stated claim has evidence', async (file, source) => {
    // Prepare
    const postmortem = ingestInline(source, file);

    // Act
    const { output, usage } = await engine.summarize(postmortem);

    // Assess
    expect(Summary.safeParse(output).success).toBe(true);
    expect(usage).toMatchObject({ calls: 0, inputTokens: 0, outputTokens: 0 });
    for (const claim of claimsOfSummary(output)) {
      if (isStated(claim)) expect(claim.evidence.length, `evidence for "${claim.text}"`).toBeGreaterThan(0);
      else expect(claim.evidence).toEqual([]);
      for (const quote of claim.evidence) expect(isQuoteOf(quote, postmortem), `quote "${quote}"`).toBe(true);
    }
  });

  it('fills each field from its own section', async () => {
    // Prepare
    const postmortem = ingestInline(FULL, 'full.md');

    // Act
    const { output } = await engine.summarize(postmortem);

    // Assess
    expect(output.docId).toBe('full');
    expect(output.issue.text).toBe('On 2025-03-14 checkout requests failed for 45 minutes.');
    expect(output.impact.text).toBe('About 1,200 customers could not complete their orders during the outage.');
    expect(output.rootCauses.map((claim) => claim.text)).toEqual([
      'PostgreSQL ran out of connections because a deploy raised the pool size, so new requests were rejected.',
    ]);
    expect(output.resolution.text).toBe('We rolled back the deploy and restarted the API pods.');
    expect(output.preventiveActions.map((claim) => claim.text)).toEqual([
      'Alert when connections reach 80% of the limit.',
      'Review the pool size of every service.',
    ]);
  });

  it('says "not stated" for impact and resolution and lists no actions when the document is silent on them', async () => {
    // Prepare
    const postmortem = ingestInline(SILENT, 'silent.md');

    // Act
    const { output } = await engine.summarize(postmortem);

    // Assess
    expect(output.impact).toEqual({ text: NOT_STATED, evidence: [] });
    expect(output.resolution).toEqual({ text: NOT_STATED, evidence: [] });
    expect(output.preventiveActions).toEqual([]);
    expect(output.rootCauses).toHaveLength(1);
    expect(isStated(output.rootCauses[0] ?? { text: NOT_STATED, evidence: [] })).toBe(true);
  });
  it('offers no decision of the response as a root cause, even with a "because" in it', async () => {
    // Prepare: an invented note whose only "because" explains what the team chose to do
    const source = `# Receipts e-mails stopped for a weekend

From Saturday morning to Monday noon no receipt e-mails went out. About 9,000 customers were affected.

The mail provider rejected every message after our sending key lapsed on Saturday at 06:10.

We chose not to resend the old receipts, because a receipt two days late would only confuse people.
`;
    const postmortem = ingestInline(source, 'receipts.md');

    // Act
    const { output } = await engine.summarize(postmortem);

    // Assess
    expect(output.rootCauses.map((claim) => claim.text)).not.toContain(
      'We chose not to resend the old receipts, because a receipt two days late would only confuse people.',
    );
  });
});
