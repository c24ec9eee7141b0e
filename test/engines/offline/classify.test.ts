import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../src/catalog/index.ts';
import type { Engine } from '../../../src/engines/engine.ts';
import { createOfflineEngine } from '../../../src/engines/offline/index.ts';
import { Classification, type Postmortem } from '../../../src/schemas/index.ts';
import { ingestInline, isQuoteOf } from '../../support/postmortems.ts';

const CAUSAL_WITH_ACTION_ITEM = `# Checkout outage

## Summary

Checkout requests failed for 45 minutes.

## Root Cause

PostgreSQL ran out of connections because a deploy raised the pool size, so new requests were rejected.

## Action Items

- Add an alert on Redis memory usage.
- Review the pool size of every service.
`;

const NEGATED = `# Login latency

## Summary

Login requests timed out for 20 minutes.

## Root Cause

The PostgreSQL primary ran out of connections because a batch job leaked them.

Redis was not affected and served sessions normally.
`;

const LINK = `# Checkout errors

## Root Cause

The PostgreSQL primary ran out of connections because a batch job leaked them.

See https://runbooks.example.com/kafka/restart for the procedure we followed.
`;

const UPSTREAM = `# Payments failing

## Summary

Card payments failed for 30 minutes.

## Root Cause

Our payment provider's Redis cluster failed, so their API returned errors for every charge.
`;

const NO_TECHNOLOGY = `# Certificate expiry

## Summary

The public API certificate expired and clients failed the TLS handshake for 50 minutes.

## Root Cause

The certificate renewal job had been disabled during a migration and nobody noticed.
`;

const TITLE_ONLY = `# Why the Redis dashboard looked red

## Summary

The checkout API returned errors for 25 minutes after a bad configuration push.

## Root Cause

A feature flag was flipped without review and the checkout service crashed on startup.
`;

const SUSPECTED = `# Search slow

## Summary

Search requests timed out for 30 minutes.

## Root Cause

We initially suspected Elasticsearch, but the cluster was healthy the whole time.
The real cause was a DNS misconfiguration in the service mesh that dropped half of all lookups.
`;

const TWO_CAUSES = `# Cart failures

## Summary

Cart writes failed for 40 minutes.

## Root Cause

The Redis primary crashed and the failover to the replica took 11 minutes because replication lag was high.

Meanwhile the MySQL primary ran out of connections because every cart retry opened a new connection.
`;

describe('offline engine: classify', () => {
  let engine: Engine;

  beforeAll(async () => {
    engine = createOfflineEngine((await loadCatalog()).catalog);
  });

  async function classifyInline(
    source: string,
    file: string,
  ): Promise<{ postmortem: Postmortem; classification: Classification }> {
    const postmortem = ingestInline(source, file);
    const summary = (await engine.summarize(postmortem)).output;
    const classification = (await engine.classify({ postmortem, summary })).output;
    return { postmortem, classification };
  }

  function mentionOf(classification: Classification, technology: string) {
    return classification.mentioned.find((mention) => mention.technology === technology);
  }

  it('calls a technology causal when a root-cause sentence shows it failing', async () => {
    // Prepare
    const source = CAUSAL_WITH_ACTION_ITEM;

    // Act
    const { postmortem, classification } = await classifyInline(source, 'checkout.md');

    // Assess
    expect(Classification.safeParse(classification).success).toBe(true);
    expect(classification.docId).toBe('checkout');
    expect(classification.causal.map((cause) => cause.technology)).toEqual(['PostgreSQL']);
    const cause = classification.causal[0];
    expect(cause?.confidence).toBeGreaterThan(0);
    expect(cause?.confidence).toBeLessThanOrEqual(1);
    expect(cause?.evidence.length).toBeGreaterThan(0);
    for (const quote of cause?.evidence ?? []) expect(isQuoteOf(quote, postmortem)).toBe(true);
  });

  it('sets aside a technology named only in action items as mentioned (action-item)', async () => {
    // Prepare
    const source = CAUSAL_WITH_ACTION_ITEM;

    // Act
    const { classification } = await classifyInline(source, 'checkout.md');

    // Assess
    expect(classification.causal.map((cause) => cause.technology)).not.toContain('Redis');
    expect(mentionOf(classification, 'Redis')).toMatchObject({
      context: 'action-item',
      evidence: ['Add an alert on Redis memory usage.'],
    });
  });

  it('sets aside "X was not affected" as negated', async () => {
    // Prepare
    const source = NEGATED;

    // Act
    const { classification } = await classifyInline(source, 'login.md');

    // Assess
    expect(classification.causal.map((cause) => cause.technology)).toEqual(['PostgreSQL']);
    expect(mentionOf(classification, 'Redis')?.context).toBe('negated');
  });

  it('sets aside "we initially suspected X" as negated and finds no named cause', async () => {
    // Prepare
    const source = SUSPECTED;

    // Act
    const { classification } = await classifyInline(source, 'search.md');

    // Assess
    expect(classification.causal).toEqual([]);
    expect(mentionOf(classification, 'Elasticsearch')?.context).toBe('negated');
  });

  it('sets aside a technology that only appears inside a URL as link', async () => {
    // Prepare
    const source = LINK;

    // Act
    const { classification } = await classifyInline(source, 'checkout-errors.md');

    // Assess
    expect(classification.causal.map((cause) => cause.technology)).toEqual(['PostgreSQL']);
    expect(mentionOf(classification, 'Kafka')?.context).toBe('link');
  });

  it("does not blame our side for an upstream provider's technology", async () => {
    // Prepare
    const source = UPSTREAM;

    // Act
    const { classification } = await classifyInline(source, 'payments.md');

    // Assess
    expect(classification.causal).toEqual([]);
    expect(mentionOf(classification, 'Redis')?.context).toBe('upstream-provider');
  });

  it('sets aside a technology named only in the title', async () => {
    // Prepare
    const source = TITLE_ONLY;

    // Act
    const { classification } = await classifyInline(source, 'flag.md');

    // Assess
    expect(classification.causal).toEqual([]);
    expect(mentionOf(classification, 'Redis')?.context).toBe('title');
  });

  it('returns causal [] and mentioned [] for a document that names no catalog technology', async () => {
    // Prepare
    const source = NO_TECHNOLOGY;

    // Act
    const { classification } = await classifyInline(source, 'cert.md');

    // Assess
    expect(classification.causal).toEqual([]);
    expect(classification.mentioned).toEqual([]);
  });

  it('finds two causal technologies when both fail in the root cause', async () => {
    // Prepare
    const source = TWO_CAUSES;

    // Act
    const { classification } = await classifyInline(source, 'cart.md');

    // Assess
    expect(classification.causal.map((cause) => cause.technology).sort()).toEqual(['MySQL', 'Redis']);
    expect(classification.mentioned).toEqual([]);
  });

  it('never lists a technology as both causal and mentioned', async () => {
    // Prepare
    const sources = [CAUSAL_WITH_ACTION_ITEM, NEGATED, LINK, UPSTREAM, TITLE_ONLY, SUSPECTED, TWO_CAUSES];

    // Act
    const classifications = await Promise.all(
      sources.map((source, index) => classifyInline(source, `doc-${index}.md`)),
    );

    // Assess
    for (const { classification } of classifications) {
      const causal = new Set(classification.causal.map((cause) => cause.technology));
      for (const mention of classification.mentioned) expect(causal.has(mention.technology)).toBe(false);
    }
  });
});
