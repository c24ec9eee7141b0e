/**
 * The offline engine's trained models ship as JSON beside the code (models/). They are checked
 * against their schema when the engine loads, so a damaged or hand-edited file stops the engine
 * with the file's name and what is wrong, instead of scoring every document with a missing weight.
 */
import { z } from 'zod';
import { ConfigurationError } from '../../errors.ts';

/** `value`, the parsed content of models/`file`, as a `schema` model; a clear error when it is not one. */
export function shippedModel<Schema extends z.ZodType>(schema: Schema, value: unknown, file: string): z.infer<Schema> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new ConfigurationError(
      `the offline engine's model ${file} is invalid (retrain it with the bench/train-* script that writes it):\n${z.prettifyError(parsed.error)}`,
    );
  }
  return parsed.data;
}
