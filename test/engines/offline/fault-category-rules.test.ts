import { describe, expect, it } from 'vitest';
import {
  categoriesOf,
  documentFaultCategory,
  SECONDARY_MARGIN,
  TRIGGER_MARGIN,
} from '../../../src/engines/offline/document-category.ts';
import { ruleCueHits, unclearedSentences } from '../../../src/engines/offline/fault-categories.ts';
import { readMechanism } from '../../../src/engines/offline/mechanisms.ts';
import { summarizeOffline } from '../../../src/engines/offline/summarize.ts';
import type { FaultCategory } from '../../../src/schemas/index.ts';
import { ingestInline } from '../../support/postmortems.ts';

function categoryOf(text: string) {
  const postmortem = ingestInline(text, 'case.md');
  return documentFaultCategory(postmortem, summarizeOffline(postmortem));
}

describe('offline engine: sentences that clear a component carry no category evidence', () => {
  it('leaves out a sentence that says a component behaved correctly or was ruled out', () => {
    // Prepare
    const sentences = [
      'The message broker behaved correctly and refused to elect a lagging follower.',
      'Our first guess was a memory leak in the renderer.',
      'The queue was healthy throughout the window.',
      'The retry limit was not correctly configured for the new worker pool.',
      'The gateway timeout had been lowered to two seconds.',
    ];
    // Act
    const kept = unclearedSentences(sentences);
    // Assert
    expect(kept).toEqual([
      'The retry limit was not correctly configured for the new worker pool.',
      'The gateway timeout had been lowered to two seconds.',
    ]);
  });
});

describe('offline engine: structural cues of the taxonomy rules', () => {
  it('reads an outage told as another party’s as dependency evidence', () => {
    // Prepare
    const sentences = [
      'The cause was an outage at our payment processor, which timed out every authorisation.',
      'Their incident report names a storage fault in one of their regions.',
    ];
    // Act
    const hits = ruleCueHits(sentences);
    // Assert
    expect(hits.get('dependency')).toBe(2);
    expect(hits.has('operational-error')).toBe(false);
  });

  it('reads a person running a command against the wrong target as operational-error evidence', () => {
    // Prepare
    const sentences = [
      'An engineer ran the cleanup script from a terminal still pointed at the wrong cluster.',
      'The bulk copy was started without a throttle.',
    ];
    // Act
    const hits = ruleCueHits(sentences);
    // Assert
    expect(hits.get('operational-error')).toBeGreaterThanOrEqual(3);
    expect(hits.has('dependency')).toBe(false);
  });

  it('reads a resource acquired and never released as software-bug evidence', () => {
    // Prepare
    const sentences = [
      'Every failed upload leaked a file handle in the resize worker.',
      'The response streams on the error path were never closed.',
    ];
    // Act
    const hits = ruleCueHits(sentences);
    // Assert
    expect(hits.get('software-bug')).toBe(2);
  });

  it('reads a slow or degraded outside service as dependency evidence', () => {
    // Prepare
    const sentences = [
      'The shipping vendor’s label API was slow for most of the afternoon, and our packers waited on it.',
      'Our geocoding provider became unavailable at 09:10.',
    ];
    const decoy = ['Our own label service was slow because its database lacked an index.'];
    // Act
    const hits = ruleCueHits(sentences);
    // Assert
    expect(hits.get('dependency')).toBe(2);
    expect(ruleCueHits(decoy).has('dependency')).toBe(false);
  });

  it('reads a release, upgrade or new image that changed or dropped something as deployment evidence', () => {
    // Prepare
    const sentences = [
      'The 3.2 release of the billing worker changed how refunds are rounded.',
      'The new base image dropped the sysctl that raised the socket backlog.',
      'A minor version bump of the metrics exporter stopped publishing the queue depth.',
    ];
    const decoy = ['We changed the retry limit from three to five by hand in the console.'];
    // Act
    const hits = ruleCueHits(sentences);
    // Assert
    expect(hits.get('deployment')).toBe(3);
    expect(ruleCueHits(decoy).has('deployment')).toBe(false);
  });

  it('reads an id space running out as resource-exhaustion evidence', () => {
    // Prepare
    const sentences = [
      'Inserts into the audit table failed with "integer out of range" once the sequence passed the int4 maximum.',
      'The ticket counter reached its maximum and every new ticket collided with the last one.',
    ];
    const decoy = ['The counter service was restarted and came back in a minute.'];
    // Act
    const hits = ruleCueHits(sentences);
    // Assert
    expect(hits.get('resource-exhaustion')).toBe(2);
    expect(ruleCueHits(decoy).has('resource-exhaustion')).toBe(false);
  });

  it('reads an expired certificate as network evidence, as the taxonomy files certificate expiry', () => {
    // Prepare
    const sentences = [
      'The replica members could not talk to each other: their member certificates had all expired the same night.',
      'The broker log showed handshakes failing on an expired client certificate.',
    ];
    const decoy = ['The session token expired after an hour, as designed for the admin console.'];
    // Act
    const hits = ruleCueHits(sentences);
    // Assert
    expect(hits.get('network')).toBe(2);
    expect(ruleCueHits(decoy).has('network')).toBe(false);
  });

  it('reads load concentrated on one partition, shard or node as capacity evidence', () => {
    // Prepare
    const sentences = [
      'At the sale peak the stock row took far more updates than one partition could absorb.',
      'Because the key was the hour of the day, every write in that hour went to the same shard.',
      'Two hot nodes carried the whole tenant while the rest of the cluster idled.',
    ];
    const decoy = ['The partition was rebuilt from the snapshot overnight.'];
    // Act
    const hits = ruleCueHits(sentences);
    // Assert
    expect(hits.get('capacity')).toBe(3);
    expect(ruleCueHits(decoy).has('capacity')).toBe(false);
  });

  it('finds no rule cue in a plain resource story', () => {
    // Prepare
    const sentences = ['The log volume filled up overnight and the database stopped accepting writes.'];
    // Act
    const hits = ruleCueHits(sentences);
    // Assert
    expect(hits.size).toBe(0);
  });

  it('files a document whose causes tell a vendor outage under dependency', () => {
    // Prepare
    const text = `# Checkout failing

## Root cause

The cause was an outage at our card processor: their authorisation service returned errors for every merchant in the region, and their status page confirmed it forty minutes later. We had no second processor to fall back to.
`;
    // Act
    const result = categoryOf(text);
    // Assert
    expect(result.faultCategory).toBe('dependency');
  });
});

describe('offline engine: the trigger before the resource it exhausted', () => {
  const ranked = (lead: number): Array<[FaultCategory, number]> => [
    ['resource-exhaustion', -100],
    ['configuration-change', -100 - lead],
    ['network', -150],
  ];

  it('puts a change that trails a winning resource category narrowly first, the resource second', () => {
    // Act
    const result = categoriesOf(ranked(TRIGGER_MARGIN - 0.5));
    // Assert
    expect(result).toEqual({ faultCategory: 'configuration-change', faultSecondary: 'resource-exhaustion' });
  });

  it('keeps the resource first when the trigger trails by more than the margin', () => {
    // Act
    const result = categoriesOf(ranked(TRIGGER_MARGIN + 0.5));
    // Assert
    expect(result.faultCategory).toBe('resource-exhaustion');
    expect(result.faultSecondary).toBeNull();
  });

  it('does not reorder a winner that is not a resource category', () => {
    // Prepare
    const close: Array<[FaultCategory, number]> = [
      ['failover-replication', -100],
      ['deployment', -100 - SECONDARY_MARGIN / 2],
    ];
    // Act
    const result = categoriesOf(close);
    // Assert
    expect(result).toEqual({ faultCategory: 'failover-replication', faultSecondary: 'deployment' });
  });

  it('lets a defect (a leak) go before the memory it used up', () => {
    // Prepare
    const close: Array<[FaultCategory, number]> = [
      ['resource-exhaustion', -80],
      ['software-bug', -81],
    ];
    // Act
    const result = categoriesOf(close);
    // Assert
    expect(result).toEqual({ faultCategory: 'software-bug', faultSecondary: 'resource-exhaustion' });
  });

  it('also lets a rollout or a manual act go before a capacity limit', () => {
    // Prepare
    const close: Array<[FaultCategory, number]> = [
      ['capacity', -50],
      ['network', -50.5],
      ['operational-error', -51],
    ];
    // Act
    const result = categoriesOf(close);
    // Assert
    expect(result).toEqual({ faultCategory: 'operational-error', faultSecondary: 'capacity' });
  });
});

describe('offline engine: a rolling procedure that outpaced recovery is a rollout fault', () => {
  it('files the rolling-restart mechanism under deployment, the rollout process itself (docs/taxonomy.md)', () => {
    // Act
    const read = readMechanism([
      'The patch job rebooted the next database node while the previous one was still catching up, and the cluster lost its quorum.',
    ]);
    // Assert
    expect(read?.mechanism.id).toBe('rolling-restart');
    expect(read?.mechanism.category).toBe('deployment');
    expect(read?.mechanism.alsoCategories).toContain('operational-error');
  });
});

describe('offline engine: mechanisms of bulk work and slow scaling, told in other words', () => {
  const mechanismOf = (sentence: string) => readMechanism([sentence])?.mechanism.id;

  it('reads bulk work that used up a provisioned rate as a batch job saturating a shared system', () => {
    // Act
    const read = [
      mechanismOf("The overnight export scan consumed nearly all of the table's provisioned read capacity."),
      mechanismOf('By midnight the copy was consuming all of the write units the table had.'),
    ];
    const decoy = mechanismOf('The export finished in ten minutes and the table kept plenty of spare read capacity.');
    // Assert
    expect(read).toEqual(['noisy-batch', 'noisy-batch']);
    expect(decoy).not.toBe('noisy-batch');
  });

  it('reads "auto scaling" written as two words that could not keep up as demand outrunning scaling', () => {
    // Act
    const read = mechanismOf('Auto scaling could not keep up with the surge of sign-ups after the advert.');
    const decoy = mechanismOf('Auto scaling added two nodes at noon as planned.');
    // Assert
    expect(read).toBe('autoscaling-lag');
    expect(decoy).toBeUndefined();
  });
});
