/**
 * The one stage registry: for each stage, in pipeline order, its scope, cache version, whether it
 * calls a model, whether reviewers review it, and the schema of its result. Every other stage list
 * is derived from it: the run record's stage names, the cache versions, the prompt stages, the
 * review stages (also the stages whose claims are verified and counted), and the deployment's
 * model stages.
 *
 * It imports the schema files one by one (never the schemas index), because the run record's
 * schema takes its stage names from here.
 */
import { z } from 'zod';
import { Classification } from '../schemas/classification.ts';
import { Digest } from '../schemas/digest.ts';
import { ThemeDraft } from '../schemas/fold.ts';
import { Postmortem } from '../schemas/postmortem.ts';
import { Summary } from '../schemas/summary.ts';

export interface StageSpec {
  /** Once per document, or once over the whole corpus. */
  scope: 'document' | 'corpus';
  /**
   * The version in every cache key of the stage: bump it when the stage's contract changes (it
   * invalidates that stage's cached results). null: the stage's results are not cached.
   */
  version: string | null;
  /** Whether the stage calls a model: it has a prompt, and in a deployment a model id of its own. */
  model: boolean;
  /** Whether reviewers review its claims; the evidence of those claims is verified against the source. */
  reviewed: boolean;
  /** The schema its result is validated against; null for the report, which writes files. */
  output: z.ZodType | null;
}

/** The words of an opportunity as an engine writes them; the stage adds the numbers from the metadata file. */
const OpportunityTexts = z.array(
  z.object({ patternId: z.string(), title: z.string().min(1), rationale: z.string().min(1) }),
);

/** Every stage, in pipeline order. */
export const STAGES = {
  ingest: { scope: 'document', version: null, model: false, reviewed: false, output: Postmortem },
  summarize: { scope: 'document', version: '1', model: true, reviewed: true, output: Summary },
  classify: { scope: 'document', version: '2', model: true, reviewed: true, output: Classification },
  analyze: { scope: 'document', version: '1', model: true, reviewed: true, output: Digest },
  patterns: { scope: 'corpus', version: '2', model: true, reviewed: false, output: z.array(ThemeDraft) },
  opportunities: { scope: 'corpus', version: '2', model: true, reviewed: false, output: OpportunityTexts },
  report: { scope: 'corpus', version: null, model: false, reviewed: false, output: null },
} as const satisfies Record<string, StageSpec>;

type Stages = typeof STAGES;
type Name = keyof Stages;
/** The names of the stages whose entry matches `Shape`. */
type NamesWhere<Shape> = { [Stage in Name]: Stages[Stage] extends Shape ? Stage : never }[Name];

/** Stages whose results are cached under a version. */
export type CachedStage = NamesWhere<{ version: string }>;
/** Stages that call a model. */
export type ModelStage = NamesWhere<{ model: true }>;
/** Stages whose claims reviewers review. */
export type ReviewedStage = NamesWhere<{ reviewed: true }>;

/** Every stage name, in pipeline order. */
export const STAGE_NAMES = Object.keys(STAGES) as readonly Name[];

function namesWith<Flag extends 'model' | 'reviewed'>(flag: Flag): ReadonlyArray<NamesWhere<Record<Flag, true>>> {
  return STAGE_NAMES.filter((name) => STAGES[name][flag]) as Array<NamesWhere<Record<Flag, true>>>;
}

/** summarize, classify, analyze, patterns, opportunities. */
export const CACHED_STAGES = STAGE_NAMES.filter((name) => STAGES[name].version !== null) as readonly CachedStage[];
/** summarize, classify, analyze, patterns, opportunities. */
export const MODEL_STAGES = namesWith('model');
/** summarize, classify, analyze. */
export const REVIEWED_STAGES = namesWith('reviewed');

/** Each cached stage's version, as it enters the cache keys and the run fingerprint. */
export const STAGE_VERSIONS = Object.fromEntries(CACHED_STAGES.map((name) => [name, STAGES[name].version])) as Readonly<
  Record<CachedStage, string>
>;
