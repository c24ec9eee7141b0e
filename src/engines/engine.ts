import type { Classification, Digest, Pattern, Postmortem, Summary } from '../schemas/index.ts';

/** Who fulfils the stages: an id, the model it uses and a version that enters every cache key. */
export interface EngineDescriptor {
  id: string;
  model: string;
  version: string;
}

/** Model calls and tokens spent by one stage call; zero for the offline engine. */
export interface Usage {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** Attempts beyond the first, for throttling, 5xx, timeouts and repairs. */
  retries: number;
  throttles: number;
  latencyMillis: number;
}

export const NO_USAGE: Usage = Object.freeze({
  calls: 0,
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  retries: 0,
  throttles: 0,
  latencyMillis: 0,
});

export function addUsage(left: Usage, right: Usage): Usage {
  return {
    calls: left.calls + right.calls,
    inputTokens: left.inputTokens + right.inputTokens,
    outputTokens: left.outputTokens + right.outputTokens,
    cacheReadTokens: left.cacheReadTokens + right.cacheReadTokens,
    cacheWriteTokens: left.cacheWriteTokens + right.cacheWriteTokens,
    retries: left.retries + right.retries,
    throttles: left.throttles + right.throttles,
    latencyMillis: left.latencyMillis + right.latencyMillis,
  };
}

export interface EngineResult<T> {
  output: T;
  usage: Usage;
  /** Options the engine could not honour, or anything else the caller should know. */
  warnings: string[];
}

export interface ClassifyInput {
  postmortem: Postmortem;
  summary: Summary;
}

export interface AnalyzeInput {
  postmortem: Postmortem;
  summary: Summary;
  classification: Classification;
  technology: string;
}

export interface FoldInput {
  digests: Digest[];
}

/** The words of an opportunity; its numbers are computed by the stage from the metadata file. */
export interface OpportunityText {
  patternId: string;
  title: string;
  rationale: string;
}

export interface OpportunitiesInput {
  patterns: Pattern[];
}

/**
 * The contract every engine fulfils, one method per stage. Engines hold no storage, no cache
 * and no validation: the stage functions around them do that, identically for every engine.
 */
export interface Engine {
  readonly descriptor: EngineDescriptor;
  summarize(postmortem: Postmortem): Promise<EngineResult<Summary>>;
  classify(input: ClassifyInput): Promise<EngineResult<Classification>>;
  analyze(input: AnalyzeInput): Promise<EngineResult<Digest>>;
  foldPatterns(input: FoldInput): Promise<EngineResult<Pattern[]>>;
  describeOpportunities(input: OpportunitiesInput): Promise<EngineResult<OpportunityText[]>>;
}
