import { z } from 'zod';
import { Classification, Digest, Pattern, Summary } from '../../schemas/index.ts';
import type { OutputTool } from '../../models/language-model.ts';

/** What the model returns per stage: the stage schema without the fields the system fills in. */
export const SummaryOutput = Summary.omit({ docId: true });
export const ClassificationOutput = Classification.omit({ docId: true, flags: true }).extend({
  unnamedCause: z.string().nullable(),
});
export const DigestOutput = Digest.omit({ docId: true, technology: true });
/** A pattern as the model proposes it: the system assigns its id and counts its incidents. */
export const PatternDraft = Pattern.omit({ id: true, count: true });
export type PatternDraft = z.infer<typeof PatternDraft>;
export const PatternsOutput = z.object({ patterns: z.array(PatternDraft) });
export const OpportunitiesOutput = z.object({
  opportunities: z.array(
    z.object({ patternId: z.string().min(1), title: z.string().min(1), rationale: z.string().min(1) }),
  ),
});

function toolOf(name: string, description: string, schema: z.ZodType): OutputTool {
  const inputSchema = z.toJSONSchema(schema, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
  delete inputSchema.$schema;
  return { name, description, inputSchema };
}

export const TOOLS = {
  summarize: toolOf('submit_summary', 'Submit the structured summary of the postmortem.', SummaryOutput),
  classify: toolOf(
    'submit_classification',
    'Submit which catalog technologies caused the incident and which are only mentioned.',
    ClassificationOutput,
  ),
  analyze: toolOf('submit_digest', 'Submit the technical digest for the technology.', DigestOutput),
  patterns: toolOf('submit_patterns', 'Submit the recurring failure patterns.', PatternsOutput),
  opportunities: toolOf('submit_opportunities', 'Submit one investment opportunity per pattern.', OpportunitiesOutput),
} as const;
