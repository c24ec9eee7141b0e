import type { StageName, StageStats } from '../schemas/index.ts';
import type { StageObserver } from '../stages/index.ts';

/** Collects per-stage counts and time for run.json. */
export class RunStats implements StageObserver {
  readonly stages: Partial<Record<StageName, StageStats>> = {};

  onStage(stage: StageName, outcome: 'computed' | 'cached' | 'failed', millis: number): void {
    const entry = (this.stages[stage] ??= { computed: 0, cached: 0, failed: 0, millis: 0 });
    entry[outcome] += 1;
    entry.millis = Math.round((entry.millis + millis) * 100) / 100;
  }

  get cacheHits(): number {
    return Object.values(this.stages).reduce((total, entry) => total + entry.cached, 0);
  }

  get computations(): number {
    return Object.values(this.stages).reduce((total, entry) => total + entry.computed, 0);
  }
}
