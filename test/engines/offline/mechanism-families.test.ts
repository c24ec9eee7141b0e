import { describe, expect, it } from 'vitest';
import type { FoldIncident } from '../../../src/engines/engine.ts';
import { foldThemesOffline } from '../../../src/engines/offline/fold.ts';
import {
  FAMILY_OF,
  MECHANISM_BY_ID,
  MECHANISM_FAMILIES,
  readMechanism,
} from '../../../src/engines/offline/mechanisms.ts';
import type { ThemeDraft } from '../../../src/schemas/index.ts';
import { settleThemes, type CorpusIncident } from '../../../src/stages/themes.ts';

function incident(docId: string, sentences: string[]): CorpusIncident {
  return {
    docId,
    technologies: ['Kafka'],
    faultCategory: 'configuration-change',
    faultSecondary: null,
    sentences,
    causeSentences: sentences.length,
    contributingFactors: [],
    contentHash: null,
    date: null,
  };
}

const REDELIVERED = incident('image-jobs', [
  'Image jobs took longer than the queue visibility timeout of 60 seconds, so each message was delivered again to another worker while the first was still resizing it.',
]);
const REBALANCED = incident('enrichment', [
  'A slow enrichment step made the consumer exceed max.poll.interval.ms, so it was removed from the group and the partitions were rebalanced again and again.',
]);
const REBALANCED_TOO = incident('scorer', [
  'Each tick of the scorer took longer than max.poll.interval.ms; the coordinator evicted the consumer from the group and a rebalance followed every few minutes.',
]);
const LOG_OUTRUN = incident('reporting-replica', [
  'When the reporting replica reconnected, the binlog position it needed had already been purged from the primary, so it could never catch up.',
]);
const OFFSETS_EXPIRED = incident('billing-consumer', [
  'The committed offsets of the billing consumer group expired while the group was stopped, and on restart auto.offset.reset sent it back to the earliest message.',
]);
const DISK_FULL = incident('audit-disk', [
  'The orders volume filled up because nothing ever deleted the audit rows, and Postgres stopped accepting writes.',
]);

const mechanismOf = (member: FoldIncident) => readMechanism(member.sentences)?.mechanism.id;
const membersOf = (drafts: readonly ThemeDraft[]) =>
  drafts.map((draft) => [draft.theme, [...draft.incidentIds].sort()] as const).sort();

describe('mechanism families: one failure told from two sides', () => {
  it('reads each example as the mechanism the test means (the premise of the tests below)', () => {
    expect([REDELIVERED, REBALANCED, REBALANCED_TOO, LOG_OUTRUN, OFFSETS_EXPIRED, DISK_FULL].map(mechanismOf)).toEqual([
      'redelivery-timeout',
      'consumer-rebalance',
      'consumer-rebalance',
      'retained-log-outrun',
      'consumer-offsets',
      'disk-full',
    ]);
  });

  it('names only mechanisms of the list, each in one family at most', () => {
    const members = MECHANISM_FAMILIES.flatMap((family) => family.members);
    expect(members.filter((id) => !MECHANISM_BY_ID.has(id))).toEqual([]);
    expect(new Set(members).size).toBe(members.length);
    for (const family of MECHANISM_FAMILIES) expect(family.members.length).toBeGreaterThanOrEqual(2);
  });

  it('groups two incidents alone with sibling mechanisms under their family, and the stage keeps the theme', () => {
    // Act
    const drafts = foldThemesOffline([REDELIVERED, REBALANCED, DISK_FULL]);
    const fold = settleThemes(drafts, [REDELIVERED, REBALANCED, DISK_FULL], []);

    // Assess
    const family = FAMILY_OF.get('redelivery-timeout');
    expect(family?.id).toBe('work-outlived-its-lease');
    expect(fold.patterns.map((pattern) => [pattern.theme, pattern.incidentIds])).toEqual([
      [family?.theme, ['enrichment', 'image-jobs']],
    ]);
    // Each member's evidence is a sentence of its own, and the disk incident stays alone.
    expect(fold.patterns[0]?.evidence).toEqual([
      { incidentId: 'enrichment', quote: REBALANCED.sentences[0] },
      { incidentId: 'image-jobs', quote: REDELIVERED.sentences[0] },
    ]);
    expect(fold.dropped).toEqual([]);
    expect(fold.notRecurring.map((entry) => entry.incidentId)).toEqual(['audit-disk']);
  });

  it('groups a log outrun and expired offsets as retention that outran a reader', () => {
    const drafts = foldThemesOffline([LOG_OUTRUN, OFFSETS_EXPIRED]);

    expect(membersOf(drafts)).toEqual([
      [FAMILY_OF.get('consumer-offsets')?.theme, ['billing-consumer', 'reporting-replica']],
    ]);
  });

  it('leaves a mechanism that recurs in its own sharper theme, and does not pull a sibling into it', () => {
    const drafts = foldThemesOffline([REBALANCED, REBALANCED_TOO, REDELIVERED]);

    expect(membersOf(drafts)).toContainEqual([
      MECHANISM_BY_ID.get('consumer-rebalance')?.theme,
      ['enrichment', 'scorer'],
    ]);
    expect(drafts.find((draft) => draft.incidentIds.includes('image-jobs'))?.incidentIds).toEqual(['image-jobs']);
  });

  it('does not group incidents alone with mechanisms of different families', () => {
    const drafts = foldThemesOffline([REDELIVERED, OFFSETS_EXPIRED, DISK_FULL]);

    expect(drafts.every((draft) => draft.incidentIds.length === 1)).toBe(true);
  });
});
