import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../src/catalog/index.ts';
import type { Engine } from '../../../src/engines/engine.ts';
import { createOfflineEngine } from '../../../src/engines/offline/index.ts';
import { Digest, FAULT_CATEGORIES, type Postmortem } from '../../../src/schemas/index.ts';
import { sentencesOf } from '../../../src/text/sentences.ts';
import { ingestInline } from '../../support/postmortems.ts';

const POOL = `# Orders API errors

## Summary

The orders API returned errors for 45 minutes.

## Root Cause

PostgreSQL ran out of connections because a deploy raised the pool size, so new requests were rejected.

## Contributing Factors

- No alert fired when connections approached max_connections.

## Action Items

- Alert on connection count.
`;

const FAILOVER = `# Cart failures

## Summary

Cart writes failed for 12 minutes during a Redis failover.

## Root Cause

The Redis primary crashed and the failover to the replica took 11 minutes because replication lag was high.
Sentinel promoted the stale replica, which caused lost writes for carts.

## Resolution

We restarted the clients to reconnect to the new primary.
`;

const LONG = `# Search outage

## Summary

Search requests failed for two hours while the Elasticsearch cluster was overloaded.

## Root Cause

The Elasticsearch cluster hit its disk watermark because old indices were never deleted.
Elasticsearch then refused to allocate shards and the cluster turned red.
A reindex job kept running and filled the remaining disk on two data nodes.
The Elasticsearch master was overloaded by shard allocation retries.
Query latency spiked to 30 seconds because every query hit the two full nodes.
Elasticsearch rejected bulk writes once its write queue was saturated.
The disk usage alert was muted during a migration, so nobody saw it fill.

## Resolution

We deleted old indices and restarted the reindex job.
`;

describe('offline engine: analyze (digests)', () => {
  let engine: Engine;

  beforeAll(async () => {
    engine = createOfflineEngine((await loadCatalog()).catalog);
  });

  async function digestsOf(source: string, file: string): Promise<{ postmortem: Postmortem; digests: Digest[] }> {
    const postmortem = ingestInline(source, file);
    const summary = (await engine.summarize(postmortem)).output;
    const classification = (await engine.classify({ postmortem, summary })).output;
    const digests: Digest[] = [];
    for (const cause of classification.causal) {
      digests.push(
        (await engine.analyze({ postmortem, summary, classification, technology: cause.technology })).output,
      );
    }
    return { postmortem, digests };
  }

  it.each([
    ['pool.md', POOL],
    ['failover.md', FAILOVER],
    ['search.md', LONG],
  ])('writes for %s a valid digest of 1-5 of the source sentences per causal technology', async (file, source) => {
    // Prepare
    const docId = file.replace(/\.md$/, '');

    // Act
    const { postmortem, digests } = await digestsOf(source, file);

    // Assess
    expect(digests.length).toBeGreaterThan(0);
    const sourceSentences = new Set(sentencesOf(postmortem).map((sentence) => sentence.text));
    for (const digest of digests) {
      expect(Digest.safeParse(digest).success).toBe(true);
      expect(digest.docId).toBe(docId);
      expect(digest.sentences.length).toBeGreaterThanOrEqual(1);
      expect(digest.sentences.length).toBeLessThanOrEqual(5);
      for (const sentence of digest.sentences)
        expect(sourceSentences.has(sentence), `"${sentence}" is a source sentence`).toBe(true);
      for (const quote of digest.evidence) expect(sourceSentences.has(quote)).toBe(true);
      expect(FAULT_CATEGORIES).toContain(digest.faultCategory);
      expect(new Set(digest.sentences).size).toBe(digest.sentences.length);
    }
  });

  it('keeps the digest sentences in document order', async () => {
    // Prepare
    const source = LONG;

    // Act
    const { postmortem, digests } = await digestsOf(source, 'search.md');

    // Assess
    const order = sentencesOf(postmortem).map((sentence) => sentence.text);
    for (const digest of digests) {
      const positions = digest.sentences.map((sentence) => order.indexOf(sentence));
      expect(positions).toEqual([...positions].sort((left, right) => left - right));
    }
  });

  it('files a connection exhaustion under resource-exhaustion with the connection-pool factor', async () => {
    // Prepare
    const source = POOL;

    // Act
    const { digests } = await digestsOf(source, 'pool.md');

    // Assess
    expect(digests).toHaveLength(1);
    expect(digests[0]).toMatchObject({ technology: 'PostgreSQL', faultCategory: 'resource-exhaustion' });
    expect(digests[0]?.contributingFactors).toContain('connection-pool-sizing');
  });

  it('files a failover with replication lag under failover-replication', async () => {
    // Prepare
    const source = FAILOVER;

    // Act
    const { digests } = await digestsOf(source, 'failover.md');

    // Assess
    expect(digests.map((digest) => [digest.technology, digest.faultCategory])).toEqual([
      ['Redis', 'failover-replication'],
    ]);
    expect(digests[0]?.contributingFactors).toContain('replication-or-failover');
  });
});
