import type { z } from 'zod';
import { describeIssues, safeMessageOf, StageError } from '../errors.ts';
import type { Engine, EngineResult, Usage } from '../engines/engine.ts';
import type { TechnologyMatcher } from '../catalog/index.ts';
import type { Classification, Postmortem, StageName } from '../schemas/index.ts';
import type { StageCache } from './cache.ts';
import { STAGE_VERSIONS, type CachedStage } from './registry.ts';

/** Each cached stage's version, from the stage registry (bump it there when a stage's contract changes). */
export { STAGE_VERSIONS };

/** Counts per stage; the runner shows them in run.json. */
export interface StageObserver {
  onStage(stage: StageName, outcome: 'computed' | 'cached' | 'failed', millis: number): void;
  /** What an engine call spent, including calls whose output was then rejected. */
  onUsage?(stage: StageName, subject: string, usage: Usage, warnings: string[]): void;
}

export interface StageContext {
  engine: Engine;
  cache?: StageCache;
  observer?: StageObserver;
  /** The attribution guard: causes must stand on verified quotes; model engines are cross-checked against the offline engine. */
  trust?: TrustSettings;
}

/** What the attribution guard needs: the catalog's matcher, and the classifier to cross-check an engine's causes against. */
export interface TrustSettings {
  matcher: TechnologyMatcher;
  /** A second reading of the causes (the offline classifier, for model engines): where it disagrees, a flag, never a decision. */
  crossCheck?: (postmortem: Postmortem) => Classification;
}

/**
 * The one mechanism every stage goes through: look the result up by content key, otherwise
 * ask the engine, validate the reply against the stage's schema, and store it.
 */
export async function runCached<T>(
  stage: CachedStage,
  subject: string,
  inputIdentity: unknown,
  schema: z.ZodType<T>,
  context: StageContext,
  compute: () => Promise<EngineResult<unknown>>,
): Promise<T> {
  const started = performance.now();
  const { engine, cache, observer } = context;
  const key = cache?.keyOf(stage, {
    stage,
    stageVersion: STAGE_VERSIONS[stage],
    engine: engine.descriptor,
    input: inputIdentity,
  });
  try {
    if (cache && key) {
      const hit = await cache.get<unknown>(key);
      const parsed = hit === undefined ? undefined : schema.safeParse(hit);
      if (parsed?.success) {
        observer?.onStage(stage, 'cached', performance.now() - started);
        return parsed.data;
      }
    }
    let result: EngineResult<unknown>;
    try {
      result = await compute();
    } catch (error) {
      const spent = (error as { usage?: Usage }).usage;
      if (spent) observer?.onUsage?.(stage, subject, spent, []);
      throw error;
    }
    observer?.onUsage?.(stage, subject, result.usage, result.warnings);
    const parsed = schema.safeParse(result.output);
    if (!parsed.success)
      throw new StageError(
        stage,
        subject,
        `invalid output: ${describeIssues(parsed.error.issues as Parameters<typeof describeIssues>[0], 20)}`,
        { code: 'stage-output-invalid' },
      );
    if (cache && key) await cache.put(key, parsed.data);
    observer?.onStage(stage, 'computed', performance.now() - started);
    return parsed.data;
  } catch (error) {
    observer?.onStage(stage, 'failed', performance.now() - started);
    // The reason goes to run.json, stderr and Step Functions causes: a code, and a scrubbed, capped message (errors.ts).
    throw error instanceof StageError ? error : new StageError(stage, subject, safeMessageOf(error), { cause: error });
  }
}
