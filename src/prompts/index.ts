import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ConfigurationError } from '../errors.ts';
import { splitFrontMatter } from '../ingest/front-matter.ts';
import { MODEL_STAGES, type ModelStage } from '../stages/registry.ts';

export const DEFAULT_PROMPTS_DIR = fileURLToPath(new URL('../../prompts/', import.meta.url));

/** One prompt per stage that calls a model (from the stage registry). */
export const PROMPT_STAGES = MODEL_STAGES;
export type PromptStage = ModelStage;

const PromptHeader = z.object({
  id: z.string().min(1),
  version: z.union([z.string(), z.number()]).transform(String),
  stage: z.enum(PROMPT_STAGES),
  maxTokens: z.number().int().positive(),
});

export interface Prompt {
  id: string;
  version: string;
  stage: PromptStage;
  maxTokens: number;
  /** The static instructions: the system prompt, identical for every document. */
  system: string;
}

export type PromptSet = Record<PromptStage, Prompt>;

/** Load and validate one prompt per stage; a missing or malformed file names the stage. */
export async function loadPrompts(directory: string = DEFAULT_PROMPTS_DIR): Promise<PromptSet> {
  const entries = await Promise.all(
    PROMPT_STAGES.map(async (stage) => {
      const file = path.join(directory, `${stage}.md`);
      let raw: string;
      try {
        raw = await readFile(file, 'utf8');
      } catch {
        throw new ConfigurationError(`stage ${stage}: no prompt file at ${file}`);
      }
      const { metadata, body } = splitFrontMatter(raw);
      const header = PromptHeader.safeParse(metadata);
      if (!header.success) throw new ConfigurationError(`stage ${stage}: the front matter of ${file} is invalid: ${z.prettifyError(header.error)}`);
      if (header.data.stage !== stage) throw new ConfigurationError(`stage ${stage}: ${file} declares stage ${header.data.stage}`);
      if (!body.trim()) throw new ConfigurationError(`stage ${stage}: ${file} has no instructions`);
      return [stage, { ...header.data, system: body.trim() }] as const;
    }),
  );
  return Object.fromEntries(entries) as PromptSet;
}
