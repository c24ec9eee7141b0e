import { z } from 'zod';
import { Classification, Digest, FaultCategory, Summary, ThemeDraft } from '../../schemas/index.ts';
import type { OutputTool } from '../../models/language-model.ts';

/** What the model returns per stage: the stage schema without the fields the system fills in. */
export const SummaryOutput = Summary.omit({ docId: true });
export const ClassificationOutput = Classification.omit({
  docId: true,
  flags: true,
  faultCategory: true,
  faultSecondary: true,
}).extend({
  unnamedCause: z.string().nullable(),
  faultCategory: FaultCategory.optional().describe('What kind of fault started the incident.'),
  faultSecondary: FaultCategory.nullable()
    .optional()
    .describe('A second kind of fault the document gives as necessary, or null.'),
});
export const DigestOutput = Digest.omit({ docId: true, technology: true });
/** Themes as the model proposes them: the system checks members, assigns ids and counts incidents. */
export const PatternsOutput = z.object({ themes: z.array(ThemeDraft) });
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
  patterns: toolOf('submit_themes', 'Submit the recurring failure themes.', PatternsOutput),
  opportunities: toolOf('submit_opportunities', 'Submit one investment opportunity per pattern.', OpportunitiesOutput),
} as const;
