import { costOf, type Price } from '../config/prices.ts';
import { addUsage, NO_USAGE, type Usage } from '../engines/engine.ts';
import type { StageName, StageStats, UsageTotals } from '../schemas/index.ts';
import type { StageObserver } from '../stages/index.ts';

const MAX_WARNINGS = 200;

/** Collects per-stage counts, time, tokens and cost for run.json. */
export class RunStats implements StageObserver {
  readonly stages: Partial<Record<StageName, StageStats>> = {};
  readonly usageByStage = new Map<StageName, Usage>();
  readonly usageByDocument = new Map<string, Usage>();
  readonly costByStage = new Map<StageName, number | null>();
  readonly warnings: string[] = [];

  /** @param priceOfStage the price of the model a stage uses; undefined when unknown or free of charge. */
  constructor(private readonly priceOfStage: (stage: StageName) => Price | undefined = () => undefined) {}

  onStage(stage: StageName, outcome: 'computed' | 'cached' | 'failed', millis: number): void {
    const entry = (this.stages[stage] ??= { computed: 0, cached: 0, failed: 0, millis: 0 });
    entry[outcome] += 1;
    entry.millis = Math.round((entry.millis + millis) * 100) / 100;
  }

  onUsage(stage: StageName, subject: string, usage: Usage, warnings: string[]): void {
    if (usage.calls === 0 && warnings.length === 0) return;
    this.usageByStage.set(stage, addUsage(this.usageByStage.get(stage) ?? NO_USAGE, usage));
    const document = subject.split('#')[0] ?? subject;
    this.usageByDocument.set(document, addUsage(this.usageByDocument.get(document) ?? NO_USAGE, usage));
    const cost = costOf(this.priceOfStage(stage), usage);
    const previous = this.costByStage.has(stage) ? this.costByStage.get(stage) : 0;
    this.costByStage.set(stage, previous === null || previous === undefined || cost === null ? null : previous + cost);
    for (const warning of warnings)
      if (this.warnings.length < MAX_WARNINGS) this.warnings.push(`${stage} ${subject}: ${warning}`);
  }

  get cacheHits(): number {
    return Object.values(this.stages).reduce((total, entry) => total + entry.cached, 0);
  }

  get computations(): number {
    return Object.values(this.stages).reduce((total, entry) => total + entry.computed, 0);
  }

  private totals(usage: Usage, cost: number | null): UsageTotals {
    return {
      ...usage,
      latencyMillis: Math.round(usage.latencyMillis),
      estimatedCostUsd: cost === null ? null : Math.round(cost * 10_000) / 10_000,
    };
  }

  usageRecord(): { total: UsageTotals; byStage: Record<string, UsageTotals>; byDocument: Record<string, UsageTotals> } {
    let total = NO_USAGE;
    let totalCost: number | null = 0;
    const byStage: Record<string, UsageTotals> = {};
    for (const [stage, usage] of this.usageByStage) {
      total = addUsage(total, usage);
      const cost = this.costByStage.get(stage) ?? null;
      totalCost = totalCost === null || cost === null ? null : totalCost + cost;
      byStage[stage] = this.totals(usage, cost);
    }
    const byDocument: Record<string, UsageTotals> = {};
    for (const [document, usage] of this.usageByDocument) byDocument[document] = this.totals(usage, null);
    return { total: this.totals(total, total.calls === 0 ? 0 : totalCost), byStage, byDocument };
  }
}
