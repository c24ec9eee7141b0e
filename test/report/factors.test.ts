import { parse as parseHtml } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { contributingFactorsOf } from '../../src/engines/offline/factors.ts';
import { recurringFactors } from '../../src/report/factors.ts';
import { renderReport } from '../../src/report/index.ts';
import type { ReportDocument } from '../../src/schemas/index.ts';
import { reportFixture } from './report-fixture.ts';

/** A fixture document whose causal technologies' digests name `factors`. */
function withFactors(
  docId: string,
  digests: Array<{ technology: string; factors: string[] }>,
  extra: Partial<ReportDocument> = {},
): ReportDocument {
  const [base] = reportFixture().documents;
  if (base === undefined) throw new Error('fixture changed');
  return {
    ...base,
    docId,
    classification: {
      ...base.classification,
      docId,
      causal: digests.map(({ technology }) => ({ technology, role: 'r', evidence: ['e'], confidence: 0.9 })),
    },
    digests: digests.map(({ technology, factors }) => ({
      docId,
      technology,
      sentences: ['s'],
      faultCategory: 'capacity',
      contributingFactors: factors,
      evidence: ['e'],
    })),
    ...extra,
  };
}

describe('recurringFactors', () => {
  it('counts each incident once per factor, across technologies, and drops factors of one incident', () => {
    // Prepare: a names "retry storm" in two digests; b and c spell it otherwise.
    const documents = [
      withFactors('a', [
        { technology: 'Redis', factors: ['retry storm', 'missing-alerting'] },
        { technology: 'PostgreSQL', factors: ['retry storm'] },
      ]),
      withFactors('b', [{ technology: 'Kafka', factors: ['Retry-Storm'] }]),
      withFactors('c', [{ technology: 'SQS', factors: ['retry_storm', 'hot-key'] }]),
    ];

    // Act
    const factors = recurringFactors(documents);

    // Assess
    expect(factors).toEqual([
      { factor: 'retry storm', incidentIds: ['a', 'b', 'c'], technologies: ['Kafka', 'PostgreSQL', 'Redis', 'SQS'] },
    ]);
  });

  it('leaves out quarantined documents and the digests of technologies that are not causal', () => {
    // Prepare
    const quarantined = withFactors('q', [{ technology: 'Redis', factors: ['disk-space'] }], {
      quarantine: { reason: 'unverified', detail: 'no claim verified', verifiedShare: 0 },
    });
    const held = withFactors('h', [{ technology: 'Redis', factors: ['disk-space'] }]);
    held.classification = { ...held.classification, causal: [] };
    const plain = withFactors('p', [{ technology: 'Redis', factors: ['disk-space'] }]);
    const other = withFactors('o', [{ technology: 'Kafka', factors: ['disk-space'] }]);

    // Act / Assess: only p and o count, which still recur.
    expect(recurringFactors([quarantined, held, plain, other])).toEqual([
      { factor: 'disk-space', incidentIds: ['p', 'o'], technologies: ['Kafka', 'Redis'] },
    ]);
    expect(recurringFactors([quarantined, held, plain])).toEqual([]);
  });

  it('ranks the most incidents first, then the most technologies', () => {
    const documents = [
      withFactors('a', [{ technology: 'Redis', factors: ['x', 'y', 'z'] }]),
      withFactors('b', [{ technology: 'Redis', factors: ['x', 'y'] }]),
      withFactors('c', [{ technology: 'Kafka', factors: ['x', 'z'] }]),
    ];
    expect(recurringFactors(documents).map((entry) => entry.factor)).toEqual(['x', 'z', 'y']);
  });
});

describe('the report shows recurring contributing factors', () => {
  it('lists each factor with its incidents and technologies in report.md and report.html', async () => {
    // Prepare: in the fixture two PostgreSQL incidents name connection-pool.
    const data = reportFixture();

    // Act
    const report = await renderReport(data);

    // Assess
    expect(report.markdown).toContain('## Recurring contributing factors');
    expect(report.markdown).toContain('### connection-pool\n\n2 incidents, one technology: PostgreSQL.');
    const page = parseHtml(report.html);
    const section = page.querySelector('#factors');
    expect(section?.querySelector('table[data-table="contributing factors"] tbody tr td')?.text).toBe(
      'connection-pool',
    );
    expect(section?.querySelectorAll('#factor-1 .incident-list li')).toHaveLength(2);
    expect(page.querySelector('nav a[href="#factors"]')).not.toBeNull();
    // The executive summary names the most frequent ones, linked to their details.
    expect(page.querySelector('#summary a[href="#factor-1"]')?.text).toBe('connection-pool');
    expect(report.markdown).toContain(
      '### Most frequent contributing factors\n\n- connection-pool: 2 incidents, 1 technology',
    );
    // One incident's factor is no finding.
    expect(section?.text).not.toContain('missing-alert');
  });

  it('says so when no factor recurs', async () => {
    const data = reportFixture();
    data.documents = data.documents.map((document) => ({
      ...document,
      digests: document.digests.map((digest) => ({ ...digest, contributingFactors: [] })),
    }));
    const report = await renderReport(data);
    expect(report.markdown).toContain('No contributing factor recurs in two or more incidents.');
  });
});

describe("the offline engine's factor tags", () => {
  it("tags a certificate's or a password's expiry apart from data retention", () => {
    expect(contributingFactorsOf(['The inter-node certificates expired at midnight.'])).toEqual([
      'expired-certificate-or-credential',
    ]);
    expect(contributingFactorsOf(["The replication role's password expired on 1 April."])).toContain(
      'expired-certificate-or-credential',
    );
    expect(contributingFactorsOf(['A TTL of 3600 expired the carts after an hour.'])).toEqual([
      'data-retention-lifecycle',
    ]);
  });

  it("reads how the incident came about in the incident's sentences, the mechanism in the digest's own", () => {
    // Prepare: the digest tells the pool; the timeline tells the retries and the fleet-wide push.
    const own = ['PostgreSQL refused connections once the pool size reached max_connections.'];
    const incident = [
      'The config change was pushed to all regions at once.',
      'Clients retried immediately without backoff, which multiplied the load.',
      'A replica lag alert fired at 10:02.',
    ];

    // Act
    const tags = contributingFactorsOf(own, incident);

    // Assess
    expect(tags).toEqual(
      expect.arrayContaining(['connection-pool-sizing', 'change-everywhere-at-once', 'retry-storm']),
    );
    expect(tags).not.toContain('replication-or-failover');
    expect(contributingFactorsOf(own)).toEqual(['connection-pool-sizing']);
  });

  it('tags retries that multiply load, not a client that retries with backoff', () => {
    expect(contributingFactorsOf(['The SDK retries with exponential backoff and jitter.'])).toEqual([]);
    expect(contributingFactorsOf(['Every client retried in a tight loop and the brokers fell over.'])).toEqual([
      'retry-storm',
    ]);
  });

  it('tags a hand-run step that caused the incident, not one that repaired it', () => {
    expect(contributingFactorsOf(['The operator ran the purge against the wrong context.'])).toEqual([
      'manual-operation',
    ]);
    expect(contributingFactorsOf(['The missing rows were re-entered by hand on Monday.'])).toEqual([]);
  });

  it('tags replication trouble, not every sentence that names replication', () => {
    expect(contributingFactorsOf(['Orders are copied to the backup region by a replication rule.'])).toEqual([]);
    expect(contributingFactorsOf(['Replica lag reached 40 minutes during the backfill.'])).toEqual([
      'replication-or-failover',
    ]);
  });
});
