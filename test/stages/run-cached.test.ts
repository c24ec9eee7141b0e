import { describe, expect, it } from 'vitest';
import { NO_USAGE, type Engine, type EngineResult } from '../../src/engines/engine.ts';
import { StageError } from '../../src/errors.ts';
import type { Postmortem, StageName, Summary } from '../../src/schemas/index.ts';
import {
  classify,
  hashOf,
  ResultCache,
  runCached,
  summarize,
  type StageContext,
  type StageObserver,
} from '../../src/stages/index.ts';
import { MemoryObjectStore } from '../../src/store/memory-object-store.ts';
import { Summary as SummarySchema } from '../../src/schemas/index.ts';
import { ingestInline } from '../support/postmortems.ts';

const SOURCE = '# Queue backlog\n\n## Root Cause\n\nThe consumer crashed because a message was malformed.\n';

function validSummary(docId: string): Summary {
  const quote = 'The consumer crashed because a message was malformed.';
  return {
    docId,
    issue: { text: quote, evidence: [quote] },
    rootCauses: [{ text: quote, evidence: [quote] }],
    impact: { text: 'not stated', evidence: [] },
    resolution: { text: 'not stated', evidence: [] },
    preventiveActions: [],
  };
}

function result<T>(output: T): Promise<EngineResult<T>> {
  return Promise.resolve({ output, usage: { ...NO_USAGE }, warnings: [] });
}

/** A fake of our own Engine interface that counts the calls it gets. */
class CountingEngine implements Engine {
  readonly calls: Record<string, number> = {
    summarize: 0,
    classify: 0,
    analyze: 0,
    foldPatterns: 0,
    describeOpportunities: 0,
  };

  constructor(
    readonly descriptor = { id: 'fake', model: 'counting', version: '1' },
    private readonly summaryOf: (postmortem: Postmortem) => unknown = (postmortem) => validSummary(postmortem.id),
  ) {}

  summarize(postmortem: Postmortem): Promise<EngineResult<Summary>> {
    this.calls.summarize = (this.calls.summarize ?? 0) + 1;
    return result(this.summaryOf(postmortem) as Summary);
  }

  classify: Engine['classify'] = ({ postmortem }) => {
    this.calls.classify = (this.calls.classify ?? 0) + 1;
    return result({
      docId: postmortem.id,
      causal: [],
      mentioned: [],
      unnamedCause: null,
      faultCategory: 'unknown',
      faultSecondary: null,
      flags: [],
    });
  };

  analyze: Engine['analyze'] = () => Promise.reject(new Error('not used'));
  foldPatterns: Engine['foldPatterns'] = () => result([]);
  describeOpportunities: Engine['describeOpportunities'] = () => result([]);
}

class RecordingObserver implements StageObserver {
  readonly events: Array<[StageName, string]> = [];

  onStage(stage: StageName, outcome: 'computed' | 'cached' | 'failed'): void {
    this.events.push([stage, outcome]);
  }
}

function contextWith(
  engine: Engine,
  store: MemoryObjectStore,
  observer = new RecordingObserver(),
): StageContext & { observer: RecordingObserver } {
  return { engine, cache: new ResultCache(store), observer };
}

describe('stages: runCached', () => {
  it('computes once, then serves the same result from the cache', async () => {
    // Prepare
    const engine = new CountingEngine();
    const store = new MemoryObjectStore();
    const context = contextWith(engine, store);
    const postmortem = ingestInline(SOURCE, 'queue.md');

    // Act
    const first = await summarize(postmortem, context);
    const second = await summarize(postmortem, context);

    // Assess
    expect(engine.calls.summarize).toBe(1);
    expect(second).toEqual(first);
    expect(first).toEqual(validSummary('queue'));
    expect(context.observer.events).toEqual([
      ['summarize', 'computed'],
      ['summarize', 'cached'],
    ]);
    const keys = await store.list('cache/summarize/');
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^cache\/summarize\/[0-9a-f]{64}\.json$/);
  });

  it('recomputes when the document content changes', async () => {
    // Prepare
    const engine = new CountingEngine();
    const store = new MemoryObjectStore();
    const context = contextWith(engine, store);
    const before = ingestInline(SOURCE, 'queue.md');
    const after = ingestInline(`${SOURCE}\nA second paragraph.\n`, 'queue.md');

    // Act
    await summarize(before, context);
    await summarize(after, context);

    // Assess
    expect(engine.calls.summarize).toBe(2);
    expect(await store.list('cache/summarize/')).toHaveLength(2);
  });

  it('uses a new key when the engine version changes', async () => {
    // Prepare
    const store = new MemoryObjectStore();
    const postmortem = ingestInline(SOURCE, 'queue.md');
    const versionOne = new CountingEngine({ id: 'fake', model: 'counting', version: '1' });
    const versionTwo = new CountingEngine({ id: 'fake', model: 'counting', version: '2' });

    // Act
    await summarize(postmortem, contextWith(versionOne, store));
    await summarize(postmortem, contextWith(versionTwo, store));
    await summarize(postmortem, contextWith(versionTwo, store));

    // Assess
    expect(versionOne.calls.summarize).toBe(1);
    expect(versionTwo.calls.summarize).toBe(1);
    expect(await store.list('cache/summarize/')).toHaveLength(2);
  });

  it('uses a new classify key when the catalog changes', async () => {
    // Prepare
    const engine = new CountingEngine();
    const store = new MemoryObjectStore();
    const context = contextWith(engine, store);
    const postmortem = ingestInline(SOURCE, 'queue.md');
    const summary = validSummary('queue');

    // Act
    await classify(postmortem, summary, hashOf({ version: '1' }), context);
    await classify(postmortem, summary, hashOf({ version: '1' }), context);
    await classify(postmortem, summary, hashOf({ version: '2' }), context);

    // Assess
    expect(engine.calls.classify).toBe(2);
  });

  it('raises a StageError naming the stage and the subject when the engine output is invalid', async () => {
    // Prepare
    const engine = new CountingEngine(undefined, () => ({ issue: { text: '' } }));
    const store = new MemoryObjectStore();
    const context = contextWith(engine, store);
    const postmortem = ingestInline(SOURCE, 'queue.md');

    // Act
    const attempt = summarize(postmortem, context);

    // Assess
    const error = await attempt.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StageError);
    expect((error as StageError).stage).toBe('summarize');
    expect((error as StageError).subject).toBe('queue');
    expect((error as StageError).message).toMatch(/^summarize failed for queue: invalid output: /);
    expect((error as StageError).reason).toContain('issue.text');
    expect(context.observer.events).toEqual([['summarize', 'failed']]);
    expect(await store.list('cache/')).toEqual([]);
  });

  it('wraps an engine exception in a StageError for that stage', async () => {
    // Prepare
    const engine = new CountingEngine();
    const context: StageContext = { engine };

    // Act
    const attempt = runCached('analyze', 'doc#Redis', { any: 1 }, SummarySchema, context, () =>
      Promise.reject(new Error('model unavailable')),
    );

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(StageError);
    await expect(attempt).rejects.toMatchObject({
      stage: 'analyze',
      subject: 'doc#Redis',
      reason: 'model unavailable',
    });
  });

  it('recomputes when the cached value no longer fits the schema', async () => {
    // Prepare
    const engine = new CountingEngine();
    const store = new MemoryObjectStore();
    const context = contextWith(engine, store);
    const postmortem = ingestInline(SOURCE, 'queue.md');
    await summarize(postmortem, context);
    const [key] = await store.list('cache/summarize/');
    await store.put(key ?? '', JSON.stringify({ broken: true }));

    // Act
    const summary = await summarize(postmortem, context);

    // Assess
    expect(engine.calls.summarize).toBe(2);
    expect(summary).toEqual(validSummary('queue'));
    expect(context.observer.events.map(([, outcome]) => outcome)).toEqual(['computed', 'computed']);
  });

  it('computes every time when there is no cache', async () => {
    // Prepare
    const engine = new CountingEngine();
    const context: StageContext = { engine };
    const postmortem = ingestInline(SOURCE, 'queue.md');

    // Act
    await summarize(postmortem, context);
    await summarize(postmortem, context);

    // Assess
    expect(engine.calls.summarize).toBe(2);
  });
});

describe('stages: hashOf', () => {
  it('hashes equal values equally whatever the key order, and different values differently', () => {
    // Prepare
    const left = { b: 1, a: { d: [1, 2], c: 'x' } };
    const right = { a: { c: 'x', d: [1, 2] }, b: 1 };
    const other = { a: { c: 'x', d: [2, 1] }, b: 1 };

    // Act
    const hashes = [hashOf(left), hashOf(right), hashOf(other)];

    // Assess
    expect(hashes[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(hashes[0]).toBe(hashes[1]);
    expect(hashes[0]).not.toBe(hashes[2]);
  });
});
