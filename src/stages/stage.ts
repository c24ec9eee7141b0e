import type { z } from 'zod';
import { StageError, messageOf } from '../errors.ts';
import type { Engine, EngineResult, Usage } from '../engines/engine.ts';
import type { TechnologyMatcher } from '../catalog/index.ts';
import type { StageName } from '../schemas/index.ts';
import type { ResultCache } from './cache.ts';

/** Bump a stage's version when its contract changes: it invalidates that stage's cached results. */
export const STAGE_VERSIONS: Record<Exclude<StageName, 'ingest' | 'report'>, string> = {
  summarize: '1',
  classify: '1',
  analyze: '1',
  patterns: '1',
  opportunities: '1',
};

/** Counts per stage; the runner shows them in run.json. */
export interface StageObserver {
  onStage(stage: StageName, outcome: 'computed' | 'cached' | 'failed', millis: number): void;
  /** What an engine call spent, including calls whose output was then rejected. */
  onUsage?(stage: StageName, subject: string, usage: Usage, warnings: string[]): void;
}

export interface StageContext {
  engine: Engine;
  cache?: ResultCache;
  observer?: StageObserver;
  /** The attribution guard: causes must stand on verified quotes; model engines are cross-checked against the offline engine. */
  trust?: { matcher: TechnologyMatcher; crossCheck: boolean };
}

/**
 * The one mechanism every stage goes through: look the result up by content key, otherwise
 * ask the engine, validate the reply against the stage's schema, and store it.
 */
export async function runCached<T>(
  stage: Exclude<StageName, 'ingest' | 'report'>,
  subject: string,
  inputIdentity: unknown,
  schema: z.ZodType<T>,
  context: StageContext,
  compute: () => Promise<EngineResult<unknown>>,
): Promise<T> {
  const started = performance.now();
  const { engine, cache, observer } = context;
  const key = cache?.keyOf(stage, { stage, stageVersion: STAGE_VERSIONS[stage], engine: engine.descriptor, input: inputIdentity });
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
    if (!parsed.success) throw new StageError(stage, subject, `invalid output: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')}`);
    if (cache && key) await cache.put(key, parsed.data);
    observer?.onStage(stage, 'computed', performance.now() - started);
    return parsed.data;
  } catch (error) {
    observer?.onStage(stage, 'failed', performance.now() - started);
    throw error instanceof StageError ? error : new StageError(stage, subject, messageOf(error), { cause: error });
  }
}
