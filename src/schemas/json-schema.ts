import { z } from 'zod';
import { Summary } from './summary.ts';
import { Classification } from './classification.ts';
import { Digest } from './digest.ts';
import { Pattern, Opportunity } from './fold.ts';
import { Postmortem } from './postmortem.ts';
import { RunRecord } from './run-record.ts';

/** The schemas exported as JSON Schema, e.g. for a model's forced tool use. */
export const EXPORTED_SCHEMAS = {
  Postmortem,
  Summary,
  Classification,
  Digest,
  Pattern,
  Opportunity,
  RunRecord,
} as const;

export type ExportedSchemaName = keyof typeof EXPORTED_SCHEMAS;

export function jsonSchemaOf(name: ExportedSchemaName): Record<string, unknown> {
  return z.toJSONSchema(EXPORTED_SCHEMAS[name], { target: 'draft-2020-12', io: 'output' }) as Record<string, unknown>;
}
