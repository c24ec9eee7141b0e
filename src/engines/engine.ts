import type { Classification, Digest, FaultCategory, Postmortem, Summary, ThemeDraft } from '../schemas/index.ts';

export type { ThemeDraft } from '../schemas/index.ts';

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

/** One incident as the fold sees it: what it says about its cause, never its whole text. */
export interface FoldIncident {
  docId: string;
  /** Catalog technologies the classification holds causal (may be empty). */
  technologies: string[];
  faultCategory: FaultCategory;
  faultSecondary: FaultCategory | null;
  /** The sentences a theme may cite, verbatim from the document: root causes, digest sentences and the issue first, then the resolution and preventive actions. */
  sentences: string[];
  /** How many of `sentences` state the cause (the rest say how it was fixed). */
  causeSentences: number;
  contributingFactors: string[];
}

export interface FoldInput {
  incidents: FoldIncident[];
}

/** What an opportunity is about: a theme, or one severe incident that does not recur yet. */
export interface OpportunitySubject {
  id: string;
  theme: string;
  description: string;
  technologies: string[];
  faultCategory: FaultCategory;
  contributingFactors: string[];
  count: number;
}

/** The words of an opportunity; its numbers are computed by the stage from the metadata file. */
export interface OpportunityText {
  patternId: string;
  title: string;
  rationale: string;
}

export interface OpportunitiesInput {
  patterns: OpportunitySubject[];
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
  foldPatterns(input: FoldInput): Promise<EngineResult<ThemeDraft[]>>;
  describeOpportunities(input: OpportunitiesInput): Promise<EngineResult<OpportunityText[]>>;
}
