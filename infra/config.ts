/**
 * The deployment's configuration, read from CDK context (cdk.json, or `cdk synth -c key=value`)
 * and validated before any construct is built.
 *
 * | context key                 | default                                     | meaning |
 * |-----------------------------|---------------------------------------------|---------|
 * | `inputPrefix`               | `postmortems/`                              | folder of the input bucket whose new objects start incremental runs |
 * | `engine`                    | `bedrock`                                   | `bedrock` or `offline` (no model, no Bedrock permission) |
 * | `models`                    | `us.anthropic.claude-sonnet-4-20250514-v1:0` for every stage | one model id for every stage, or `{ "<stage>": "<model id>" }` (JSON) for summarize, classify, analyze, patterns, opportunities |
 * | `maxConcurrency`            | `10`                                        | documents processed at once by the Distributed Map; they share the model quota |
 * | `toleratedFailurePercentage`| `10`                                        | share of the corpus that may be failed for a report to be folded (else the run fails and the last report stays) |
 * | `scheduleExpression`        | `cron(0 6 ? * MON *)` (Monday 06:00 UTC)    | when the full-corpus run starts (EventBridge Scheduler, UTC) |
 * | `notificationEmail`         | none                                        | e-mail address subscribed to "report ready" |
 * | `batchingWindowSeconds`     | `60`                                        | how long the ingest queue gathers new objects into one batch (0-300) |
 * | `batchSize`                 | `100`                                       | the most object notifications in one ingest batch (1-10,000) |
 * | `catalogKey`                | none (the bundled catalog)                  | key of a technology catalog (YAML) in the artifacts bucket |
 * | `metadataKey`               | none                                        | key of the incident metadata file (CSV) in the artifacts bucket |
 * | `modelRequestsPerMinute`    | `200`                                       | the account's model quota (Claude Sonnet 4's default); document Lambdas share it, the fold has it whole |
 * | `modelTokensPerMinute`      | `200000`                                    | likewise, in tokens (input + reserved maxTokens) |
 *
 * Values given with `-c` arrive as strings: numbers are coerced, and `models` may be JSON text.
 */
import { z } from 'zod';
import { MODEL_STAGES, type ModelStage } from '../src/stages/registry.ts';

/** Stages that call a model, each with its own model id (from the stage registry). */
export { MODEL_STAGES, type ModelStage };

export const DEFAULT_MODEL_ID = 'us.anthropic.claude-sonnet-4-20250514-v1:0';
export const DEFAULT_SCHEDULE_EXPRESSION = 'cron(0 6 ? * MON *)';

/** A Bedrock model or inference-profile id: no ARN, no wildcard. */
const ModelId = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9.:-]*$/i,
    'expected a Bedrock model id such as anthropic.claude-sonnet-4-20250514-v1:0 or an inference-profile id such as us.anthropic.claude-sonnet-4-20250514-v1:0',
  );

/** JSON given as text on the command line is parsed; anything else is left to the schema. */
function parsedJson(value: unknown): unknown {
  if (typeof value !== 'string' || !/^\s*[{["]/.test(value)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

const Models = z
  .preprocess(parsedJson, z.union([ModelId, z.partialRecord(z.enum(MODEL_STAGES), ModelId)]))
  .optional()
  .transform((value): Record<ModelStage, string> => {
    const given =
      typeof value === 'string' ? Object.fromEntries(MODEL_STAGES.map((stage) => [stage, value])) : (value ?? {});
    return Object.fromEntries(MODEL_STAGES.map((stage) => [stage, given[stage] ?? DEFAULT_MODEL_ID])) as Record<
      ModelStage,
      string
    >;
  });

const Integer = (minimum: number, maximum: number) => z.coerce.number().int().min(minimum).max(maximum);

export const InfraConfig = z
  .strictObject({
    inputPrefix: z
      .string()
      .regex(
        /^[^/*?][^*?]*\/$/,
        'expected a folder such as "postmortems/": no leading slash, no wildcard, ending in "/"',
      )
      .default('postmortems/'),
    engine: z.enum(['bedrock', 'offline']).default('bedrock'),
    models: Models,
    maxConcurrency: Integer(1, 10_000).default(10),
    toleratedFailurePercentage: z.coerce.number().min(0).max(100).default(10),
    scheduleExpression: z
      .string()
      .regex(
        /^(cron|rate)\(.+\)$/,
        'expected an EventBridge Scheduler expression such as cron(0 6 ? * MON *) or rate(7 days)',
      )
      .default(DEFAULT_SCHEDULE_EXPRESSION),
    notificationEmail: z.email().optional(),
    batchingWindowSeconds: Integer(0, 300).default(60),
    batchSize: Integer(1, 10_000).default(100),
    catalogKey: z.string().min(1).optional(),
    metadataKey: z.string().min(1).optional(),
    /** The account's model quota (Claude Sonnet 4 defaults), shared by the Lambdas the Map runs at once. */
    modelRequestsPerMinute: z.coerce.number().positive().default(200),
    modelTokensPerMinute: z.coerce.number().positive().default(200_000),
  })
  .refine((config) => config.batchSize <= 10 || config.batchingWindowSeconds >= 1, {
    message: 'a batchSize above 10 needs a batchingWindowSeconds of at least 1 (an SQS event source rule)',
    path: ['batchSize'],
  });
export type InfraConfig = z.output<typeof InfraConfig>;

export const CONTEXT_KEYS = [
  'inputPrefix',
  'engine',
  'models',
  'maxConcurrency',
  'toleratedFailurePercentage',
  'scheduleExpression',
  'notificationEmail',
  'batchingWindowSeconds',
  'batchSize',
  'catalogKey',
  'metadataKey',
  'modelRequestsPerMinute',
  'modelTokensPerMinute',
] as const;

export class InfraConfigError extends Error {
  override readonly name = 'InfraConfigError';
}

/** The configuration from a context lookup (`(key) => app.node.tryGetContext(key)`); throws InfraConfigError naming every bad key. */
export function configFromContext(lookup: (key: string) => unknown): InfraConfig {
  const raw: Record<string, unknown> = {};
  for (const key of CONTEXT_KEYS) {
    const value = lookup(key);
    if (value !== undefined && value !== null && value !== '') raw[key] = value;
  }
  const parsed = InfraConfig.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `  ${issue.path.join('.') || '(context)'}: ${issue.message}`)
      .join('\n');
    throw new InfraConfigError(
      `invalid CDK context for postmortem-lens:\n${problems}\n(see infra/config.ts for every key and its default)`,
    );
  }
  return parsed.data;
}

/** Model ids used by the configured stages, without duplicates; none for the offline engine. */
export function modelIdsOf(config: InfraConfig, stages: readonly ModelStage[] = MODEL_STAGES): string[] {
  return config.engine === 'offline' ? [] : [...new Set(stages.map((stage) => config.models[stage]))];
}
