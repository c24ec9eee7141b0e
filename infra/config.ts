/**
 * The deployment's configuration, read from CDK context (cdk.json, or `cdk synth -c key=value`)
 * and validated before any construct is built.
 *
 * | context key                 | default                                     | meaning |
 * |-----------------------------|---------------------------------------------|---------|
 * | `inputPrefix`               | `postmortems/`                              | folder of the input bucket whose new objects start incremental runs |
 * | `engine`                    | `bedrock`                                   | `bedrock` or `offline` (no model, no Bedrock permission) |
 * | `models`                    | `us.anthropic.claude-sonnet-4-20250514-v1:0` for every stage | one model for every stage, or `{ "<stage>": "<model>" }` (JSON) for summarize, classify, analyze, patterns, opportunities; a model is a foundation-model id, a cross-Region inference-profile id (`us.`, `eu.`, `apac.`...), or the ARN of a foundation model, an inference profile or an application inference profile |
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
 * | `region`, `account`         | none (environment-agnostic)                 | pin the stack to a Region (and account); the model-Region check then runs at synthesis |
 * | `sourceMaps`                | `false`                                     | `true` bundles source maps and runs with `--enable-source-maps` (readable stack traces, 2-4 MB more per function, slower cold starts) |
 * | `batchInference`            | `false`                                     | `true`: a stage of a round with at least 1,000 model requests (a backfill, a recompute after a prompt or model change) goes through a Bedrock batch job at half the on-demand price; a number sets that threshold (at least 100, Bedrock's minimum per job). Smaller rounds stay on demand (see README, Batch inference) |
 * | `customerManagedKey`        | `false`                                     | `true` creates one customer-managed KMS key (rotation on) for the input and artifacts buckets (SSE-KMS, bucket keys), the state table, the SNS topics and the log groups; `false` keeps the AWS managed keys |
 * | `downloadEndpoint`          | `false`                                     | `true` deploys an IAM-authenticated Function URL that answers a signed request with a 5-minute link to a report file (named in "report ready") |
 *
 * Values given with `-c` arrive as strings: numbers are coerced, and `models` may be JSON text.
 */
import { z } from 'zod';
import { MODEL_STAGES, type ModelStage } from '../src/stages/registry.ts';

/** Stages that call a model, each with its own model id (from the stage registry). */
export { MODEL_STAGES, type ModelStage };

export const DEFAULT_MODEL_ID = 'us.anthropic.claude-sonnet-4-20250514-v1:0';
export const DEFAULT_SCHEDULE_EXPRESSION = 'cron(0 6 ? * MON *)';

/** A Bedrock model id or inference-profile id (no wildcard). */
const MODEL_ID = /^[a-z0-9][a-z0-9.:-]*$/i;
/**
 * The ARN of a foundation model, a (system-defined) inference profile or an application inference
 * profile, with an explicit Region (and account, for profiles): IAM is then scoped to that ARN.
 */
export const MODEL_ARN =
  /^arn:aws(?:-[a-z]+)*:bedrock:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12})?:(foundation-model|inference-profile|application-inference-profile)\/([a-z0-9][a-z0-9.:_-]*)$/i;

const ModelId = z
  .string()
  .refine(
    (value) => MODEL_ID.test(value) || MODEL_ARN.test(value),
    'expected a Bedrock model id such as anthropic.claude-sonnet-4-20250514-v1:0, an inference-profile id such as us.anthropic.claude-sonnet-4-20250514-v1:0, or the ARN of a model, an inference profile or an application inference profile (arn:aws:bedrock:<region>:<account>:application-inference-profile/<id>)',
  )
  .refine((value) => {
    const arn = MODEL_ARN.exec(value);
    return !arn || (arn[3] === 'foundation-model') === (arn[2] === undefined);
  }, 'a foundation-model ARN has no account; an inference-profile ARN names its account');

/** Prefixes of cross-Region (system-defined) inference-profile ids, and the Regions each may be called from. */
const PROFILE_REGIONS: ReadonlyArray<readonly [prefix: string, regions: RegExp, where: string]> = [
  ['us-gov.', /^us-gov-/, 'an AWS GovCloud (US) Region'],
  ['us.', /^us-(?!gov-)/, 'a US Region (us-east-1, us-east-2, us-west-2...)'],
  ['eu.', /^eu-/, 'a European Region (eu-west-1, eu-central-1...)'],
  ['apac.', /^ap-/, 'an Asia Pacific Region (ap-northeast-1, ap-southeast-2...)'],
  ['jp.', /^ap-northeast-[13]$/, 'ap-northeast-1 or ap-northeast-3'],
  ['au.', /^ap-southeast-[24]$/, 'ap-southeast-2 or ap-southeast-4'],
  ['ca.', /^ca-/, 'a Canadian Region'],
  ['global.', /./, 'any Region'],
];

/**
 * Why a model cannot be called from a Region, or undefined when it can (or nothing says it cannot):
 * a cross-Region profile only from a Region of its geography, an ARN only from its own Region.
 */
export function modelRegionProblem(model: string, region: string): string | undefined {
  const arn = MODEL_ARN.exec(model);
  if (arn) {
    return arn[1] === region
      ? undefined
      : `${model} is in ${arn[1]}, but the stack deploys to ${region}: Bedrock is called in the stack's Region`;
  }
  const profile = PROFILE_REGIONS.find(([prefix]) => model.startsWith(prefix));
  if (!profile || profile[1].test(region)) return undefined;
  return `the inference profile ${model} can only be called from ${profile[2]}, but the stack deploys to ${region}: choose the profile of that geography (e.g. -c models=${suggestProfile(model, region)}) or deploy to another Region`;
}

function suggestProfile(model: string, region: string): string {
  const base = model.slice(model.indexOf('.') + 1);
  const prefix = PROFILE_REGIONS.find(([candidate, regions]) => candidate !== 'global.' && regions.test(region))?.[0];
  return prefix ? `${prefix}${base}` : base;
}

/** "true"/"false" as `-c` passes them, or a boolean from cdk.json. */
const Flag = z.preprocess(
  (value) => (value === 'true' ? true : value === 'false' ? false : value),
  z.boolean().default(false),
);

/** Prefixes of the artifacts bucket the pipeline writes (src/run/layout.ts): configuration must live elsewhere. */
export const PIPELINE_WRITTEN_PREFIXES = [
  'docs/',
  'cache/',
  'runs/',
  'report/',
  'report-restored/',
  'review/',
  'results/',
];
const ConfigurationKey = z
  .string()
  .min(1)
  .refine(
    (key) =>
      !key.startsWith('/') && !/[*?]/.test(key) && !PIPELINE_WRITTEN_PREFIXES.some((prefix) => key.startsWith(prefix)),
    `expected a key outside the folders the pipeline writes (${PIPELINE_WRITTEN_PREFIXES.join(', ')}), such as config/catalog.yaml: configuration is read-only to every function`,
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

/**
 * `batchInference`: off by default; `true` sends a stage of a round through a Bedrock batch job from
 * 1,000 distinct requests on; a number sets that threshold (at least 100, Bedrock's minimum records
 * per job). Rounds below it, and so small incremental drops, stay on demand.
 */
const BatchInference = z
  .preprocess(
    (value) =>
      value === 'true' ? true : value === 'false' ? false : typeof value === 'string' ? Number(value) : value,
    z.union([
      z.boolean(),
      z.number().int().min(100, "batchInference needs at least 100 records (Bedrock's minimum per job)"),
    ]),
  )
  .optional()
  .transform((value) => ({
    enabled: value !== undefined && value !== false,
    minimumRecords: typeof value === 'number' ? value : 1000,
  }));

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
    catalogKey: ConfigurationKey.optional(),
    metadataKey: ConfigurationKey.optional(),
    /** The account's model quota (Claude Sonnet 4 defaults), shared by the Lambdas the Map runs at once. */
    modelRequestsPerMinute: z.coerce.number().positive().default(200),
    modelTokensPerMinute: z.coerce.number().positive().default(200_000),
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'expected an AWS Region such as us-east-1')
      .optional(),
    account: z
      .string()
      .regex(/^\d{12}$/, 'expected a 12-digit AWS account id')
      .optional(),
    sourceMaps: Flag,
    customerManagedKey: Flag,
    downloadEndpoint: Flag,
    batchInference: BatchInference,
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
  'region',
  'account',
  'sourceMaps',
  'customerManagedKey',
  'downloadEndpoint',
  'batchInference',
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
