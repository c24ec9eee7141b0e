import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { findSourcePassage } from '../../src/review/passages.ts';
import { buildReviewQueue, type ReviewItem } from '../../src/review/queue.ts';
import { correctionPromptFor, runReviewSession, type CorrectionCheck } from '../../src/review/session.ts';
import type { Vote } from '../../src/store/state-store.ts';
import { ingestInline } from '../support/postmortems.ts';
import { riskyReport } from './fixture.ts';

const SOURCE = `# Checkout outage

## Summary

Checkout requests timed out for 40 minutes. Orders were delayed by an hour.

## Root cause

The deploy doubled the pods. Postgres refused new connections once the pool filled up.
`;

function session(
  items: readonly ReviewItem[],
  answers: string,
  checkCorrection?: (item: ReviewItem, text: string) => CorrectionCheck,
) {
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = '';
  output.on('data', (chunk: Buffer) => (shown += chunk.toString('utf8')));
  const stored: Vote[] = [];
  const postmortem = ingestInline(SOURCE, 'pg-pool.md');
  let tick = 0;
  const done = runReviewSession({
    items,
    store: { putVote: async (vote) => void stored.push(vote) },
    reviewer: 'dana',
    input,
    output,
    describe: async (item) => ({
      evidence: item.evidence.map((quote) => ({ quote, passage: findSourcePassage(postmortem, quote) })),
    }),
    checkCorrection,
    now: () => new Date(Date.UTC(2025, 0, 1, 0, 0, (tick += 1))),
  });
  input.end(answers);
  return done.then((result) => ({ result, stored, shown }));
}

describe('runReviewSession', () => {
  it('stores one vote per answer, re-asks on nonsense and cancels an empty edit', async () => {
    // Prepare
    const items = buildReviewQueue(riskyReport(), { sampleRate: 1 }).slice(0, 3);

    // Act
    const { result, stored, shown } = await session(items, 'maybe\nu\ne\n\nd\ne\nBetter wording\n');

    // Assess
    expect(result.quit).toBe(false);
    expect(stored.map((vote) => [vote.itemId, vote.vote, vote.correction])).toEqual([
      [items[0]?.id, 'up', undefined],
      [items[1]?.id, 'down', undefined],
      [items[2]?.id, 'edit', 'Better wording'],
    ]);
    expect(stored[0]).toMatchObject({
      reviewer: 'dana',
      stage: items[0]?.stage,
      docId: items[0]?.docId,
      promptVersion: items[0]?.promptVersion,
      model: 'bedrock:claude',
      at: '2025-01-01T00:00:01.000Z',
    });
    expect(shown).toContain('answer u (up: correct)');
    expect(shown).toContain('edit cancelled, nothing recorded');
    expect(shown).toContain('[1/3] Incident pg-pool (pg-pool)');
  });

  it('shows each quote next to the source passage holding it, and says when it is not there', async () => {
    // Prepare
    const items = buildReviewQueue(riskyReport(), { sampleRate: 1 }).filter(
      (item) => item.field === 'rootCauses[1]' || item.field === 'rootCauses[0]',
    );

    // Act
    const { shown, result } = await session(items, 's\n');

    // Assess
    expect(result.quit).toBe(true);
    expect(shown).toContain(
      '  1. "the pool was capped at 20 connections"\n     source: NOT FOUND in the source document',
    );
    expect(shown).toContain(
      '  1. "the deploy doubled the pods"\n     source (Root cause): The deploy doubled the pods.\n',
    );
  });

  it('asks again for a correction that fails its check, and quits at the end of input', async () => {
    // Prepare
    const items = buildReviewQueue(riskyReport(), { sampleRate: 0 });
    const check = (item: ReviewItem, text: string): CorrectionCheck =>
      text.includes('Oracle') ? { error: 'not in the catalog: Oracle' } : { value: text.toUpperCase() };

    // Act
    const { stored, shown, result } = await session(items, 'e\nOracle\nredis\n', check);

    // Assess
    expect(shown).toContain('not in the catalog: Oracle');
    expect(stored.map((vote) => vote.correction)).toEqual(['REDIS']);
    expect(result).toMatchObject({ quit: true });
  });
});

describe('editing an item', () => {
  const check = (item: ReviewItem, text: string): CorrectionCheck =>
    item.stage === 'classify' && text.trim() !== 'Redis'
      ? { error: `not in the catalog: ${text.trim()}` }
      : { value: text.trim() };

  it('says per item kind what an edit takes, and how to cancel it', () => {
    // Prepare
    const queue = buildReviewQueue(riskyReport(), { sampleRate: 1 });
    const of = (stage: string) => queue.find((item) => item.stage === stage);

    // Act
    const prompts = ['classify', 'summarize', 'analyze'].map((stage) => {
      const item = of(stage);
      if (!item) throw new Error(`no ${stage} item`);
      return correctionPromptFor(item);
    });

    // Assess
    expect(prompts[0]).toContain('catalog names, comma-separated ("none" for none; empty line to cancel) > ');
    expect(prompts[1]).toMatch(
      /^corrected text of (issue|rootCauses\[\d\]|impact|resolution|preventiveActions\[\d\]) \(empty line to cancel\) > $/,
    );
    expect(prompts[2]).toMatch(/^corrected digest text for \S+ \(empty line to cancel\) > $/);
    for (const prompt of prompts) expect(prompt).toContain('empty line to cancel');
  });

  it('cancels an edit on q or an empty line without a vote, instead of asking again for a catalog name', async () => {
    // Prepare
    const item = buildReviewQueue(riskyReport(), { sampleRate: 1 }).find((entry) => entry.stage === 'classify');
    if (!item) throw new Error('no classify item');

    // Act
    const { stored, shown, result } = await session([item], 'e\nOracle\nq\ne\n\nu\n', check);

    // Assess
    expect(shown).toContain('not in the catalog: Oracle');
    expect(shown.match(/edit cancelled, nothing recorded/g)).toHaveLength(2);
    expect(shown.match(/not in the catalog/g)).toHaveLength(1);
    expect(shown).toContain(correctionPromptFor(item));
    expect(stored.map((vote) => [vote.vote, vote.correction])).toEqual([['up', undefined]]);
    expect(result.quit).toBe(false);
  });

  it('names catalog technologies in the help line of a classification, text for anything else', async () => {
    // Prepare
    const queue = buildReviewQueue(riskyReport(), { sampleRate: 1 });
    const classify = queue.find((item) => item.stage === 'classify');
    const summarize = queue.find((item) => item.stage === 'summarize');
    if (!classify || !summarize) throw new Error('fixture items missing');

    // Act
    const { shown } = await session([classify, summarize], 'what\ns\nwhat\ns\n');

    // Assess
    expect(shown).toContain('e (edit: give the causal technologies, by catalog name)');
    expect(shown).toContain('e (edit: give the right text)');
  });
});

describe('findSourcePassage', () => {
  it('finds the smallest run of sentences holding a quote, across sentences and ellipses', () => {
    const postmortem = ingestInline(SOURCE, 'pg-pool.md');
    expect(findSourcePassage(postmortem, 'orders were delayed')).toEqual({
      heading: 'Summary',
      text: 'Orders were delayed by an hour.',
    });
    expect(findSourcePassage(postmortem, 'for 40 minutes. Orders were')).toEqual({
      heading: 'Summary',
      text: 'Checkout requests timed out for 40 minutes. Orders were delayed by an hour.',
    });
    expect(findSourcePassage(postmortem, 'Postgres refused … the pool filled up')?.text).toBe(
      'Postgres refused new connections once the pool filled up.',
    );
    expect(findSourcePassage(postmortem, 'MySQL locked the table')).toBeNull();
  });
});
