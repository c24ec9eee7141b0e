/**
 * Batch inference for a round of document work (a backfill, or a recompute after a prompt or model
 * change): before the round's Distributed Map, each model stage in turn (summarize, classify,
 * analyze) may go through one Bedrock batch job, priced at half of on-demand:
 *
 * 1. prepare: run the stage over the round's documents with a collecting model (src/batch/models.ts):
 *    cache hits cost nothing, every miss is a request. Below the minimum record count nothing is
 *    submitted (small and incremental rounds stay on demand). Otherwise the requests are written as
 *    JSONL under `batch/<runId>/<round>/<stage>/` with their record index.
 * 2. submit: CreateModelInvocationJob (Converse invocation type) with the service role; the task
 *    token of the waiting execution is stored by job ARN.
 * 3. resume (EventBridge "Batch Inference Job State Change"): the job's status is read back with
 *    GetModelInvocationJob, and the waiting execution resumed once: SendTaskSuccess when the job
 *    completed (fully or partly), SendTaskFailure when it failed, stopped or expired.
 * 4. collect: run the stage again with an answering model: answers come from the output by record
 *    id, are validated like any answer and written to the same content-addressed cache the on-demand
 *    path reads; invalid answers are repaired and failed records computed on demand (bounded). The
 *    Distributed Map then finds the results cached, and computes on demand only what is left.
 */
import {
  BedrockClient,
  CreateModelInvocationJobCommand,
  GetModelInvocationJobCommand,
  type BedrockClientConfig,
} from '@aws-sdk/client-bedrock';
import { SendTaskFailureCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import { z } from 'zod';
import { ConfigurationError, messageOf } from '../errors.ts';
import { ingestSource } from '../ingest/index.ts';
import type { LanguageModel } from '../models/language-model.ts';
import type { RunContext } from '../run/context.ts';
import type { Postmortem, WorkItem } from '../schemas/index.ts';
import { analyze, classify, summarize } from '../stages/index.ts';
import { getJson, putJson } from '../store/object-store.ts';
import type { ItemTable } from '../store/item-table.ts';
import { BEDROCK_MINIMUM_BATCH_RECORDS, DEFAULT_BATCH_MINIMUM_RECORDS } from './cost.ts';
import { getBatchJob, putBatchJob, settleBatchJob } from './job-store.ts';
import { parseBatchOutput, toJsonl, type BatchOutputRecord } from './jsonl.ts';
import { answeringModel, BatchDeferral, collectingModel, isDeferral, type AnsweringCounters } from './models.ts';
import { mapAnswers, planRecords, type BatchAnswer, type CollectedRequest, type RecordIndexEntry } from './records.ts';

/** The stages whose per-document calls may go through a batch job, in their order. */
export const BATCH_STAGES = ['summarize', 'classify', 'analyze'] as const;
export type BatchStage = (typeof BATCH_STAGES)[number];

/** Where batch files live in the artifacts bucket (the service role may touch nothing else; a lifecycle rule expires them). */
export const BATCH_PREFIX = 'batch/';

export const batchLayout = {
  folder: (runId: string, round: number, stage: BatchStage) => `${BATCH_PREFIX}${runId}/${round}/${stage}/`,
  input: (runId: string, round: number, stage: BatchStage) => `${batchLayout.folder(runId, round, stage)}input.jsonl`,
  records: (runId: string, round: number, stage: BatchStage) =>
    `${batchLayout.folder(runId, round, stage)}records.json`,
  output: (runId: string, round: number, stage: BatchStage) => `${batchLayout.folder(runId, round, stage)}output/`,
};

/** Job statuses after which nothing more happens to a job. */
export const TERMINAL_STATUSES = ['Completed', 'PartiallyCompleted', 'Failed', 'Stopped', 'Expired'] as const;
const SUCCESSFUL_STATUSES = new Set(['Completed', 'PartiallyCompleted']);

export interface BatchSettings {
  /** The service role Bedrock assumes to read the input and write the output (PMLENS_BATCH_ROLE_ARN). */
  roleArn: string;
  /** Fewest records for which a stage goes through a job (PMLENS_BATCH_MIN_RECORDS, at least Bedrock's 100). */
  minimumRecords: number;
  /** Most on-demand calls one collect makes for repairs and failed records; the rest is left to the Distributed Map (PMLENS_BATCH_MAX_ON_DEMAND). */
  maxOnDemandCalls: number;
  /** Hours after which Bedrock times a job out (24 to 168). */
  timeoutHours: number;
}

export function batchSettingsFrom(environment: NodeJS.ProcessEnv): BatchSettings {
  const roleArn = environment.PMLENS_BATCH_ROLE_ARN;
  if (!roleArn) throw new ConfigurationError('the environment variable PMLENS_BATCH_ROLE_ARN is not set');
  const minimumRecords = Number(environment.PMLENS_BATCH_MIN_RECORDS ?? DEFAULT_BATCH_MINIMUM_RECORDS);
  if (!Number.isInteger(minimumRecords) || minimumRecords < BEDROCK_MINIMUM_BATCH_RECORDS)
    throw new ConfigurationError(
      `PMLENS_BATCH_MIN_RECORDS must be a whole number of at least ${BEDROCK_MINIMUM_BATCH_RECORDS} (Bedrock's minimum records per batch job)`,
    );
  const maxOnDemandCalls = Number(environment.PMLENS_BATCH_MAX_ON_DEMAND ?? 100);
  if (!Number.isInteger(maxOnDemandCalls) || maxOnDemandCalls < 0)
    throw new ConfigurationError('PMLENS_BATCH_MAX_ON_DEMAND must be a whole number of calls, 0 or more');
  return { roleArn, minimumRecords, maxOnDemandCalls, timeoutHours: 24 };
}

/** The Bedrock control-plane client (PMLENS_BEDROCK_CONTROL_ENDPOINT points it at a local fake in tests). */
export function createBedrockControlClient(environment: NodeJS.ProcessEnv): BedrockClient {
  const endpoint = environment.PMLENS_BEDROCK_CONTROL_ENDPOINT;
  const config: BedrockClientConfig = {
    region: environment.PMLENS_REGION ?? environment.AWS_REGION,
    ...(endpoint ? { endpoint, requestHandler: new NodeHttpHandler() } : {}),
  };
  return new BedrockClient(config);
}

/**
 * Which model a stage's calls go to, switched between collecting (prepare), answering (collect)
 * and plain on-demand. One run context is built with `wrap` as its engine's model wrapper.
 */
export class BatchModels {
  private mode:
    | { kind: 'on-demand' }
    | { kind: 'collect'; stage: BatchStage; collected: CollectedRequest[] }
    | {
        kind: 'answer';
        stage: BatchStage;
        answers: ReadonlyMap<string, BatchAnswer>;
        maxOnDemandCalls: number;
        counters: AnsweringCounters;
      } = { kind: 'on-demand' };

  /** The engine's model wrapper: a stage other than the one being batched defers (its inputs must already be cached). */
  readonly wrap = (inner: LanguageModel, stage: string): LanguageModel => ({
    provider: inner.provider,
    modelId: inner.modelId,
    generate: (request, signal) => {
      const mode = this.mode;
      if (mode.kind === 'on-demand') return inner.generate(request, signal);
      if (mode.stage !== stage) return Promise.reject(new BatchDeferral(`the ${stage} result is not cached yet`));
      if (mode.kind === 'collect') return collectingModel(inner, mode.collected).generate(request, signal);
      return answeringModel(inner, mode.answers, mode).generate(request, signal);
    },
  });

  collect(stage: BatchStage): CollectedRequest[] {
    const collected: CollectedRequest[] = [];
    this.mode = { kind: 'collect', stage, collected };
    return collected;
  }

  answer(stage: BatchStage, answers: ReadonlyMap<string, BatchAnswer>, maxOnDemandCalls: number): AnsweringCounters {
    const counters: AnsweringCounters = { fromBatch: 0, onDemand: 0, deferred: 0 };
    this.mode = { kind: 'answer', stage, answers, maxOnDemandCalls, counters };
    return counters;
  }

  reset(): void {
    this.mode = { kind: 'on-demand' };
  }
}

/** A round of the state machine, as Prepare wrote it. */
export const BatchStageEvent = z.object({
  runId: z.string().min(1),
  round: z.number().int().nonnegative(),
  manifestKey: z.string().min(1),
  stage: z.enum(BATCH_STAGES),
});
export type BatchStageEvent = z.infer<typeof BatchStageEvent>;

async function manifestItems(context: RunContext, manifestKey: string): Promise<WorkItem[]> {
  const manifest = (await getJson<Array<{ item: WorkItem }>>(context.artifacts, manifestKey)) ?? [];
  return manifest.map((entry) => entry.item);
}

/**
 * The document as ingest would read it, before redaction, without recording anything: undefined
 * when ingest would skip it or find it unchanged (no model call either way).
 */
async function ingested(context: RunContext, item: WorkItem): Promise<Postmortem | undefined> {
  const bytes = await context.sources.read(item.key);
  if (bytes === undefined) return undefined;
  const outcome = await ingestSource(bytes, item.key, item.docId, { maxBytes: context.maxBytes });
  if (!outcome.ok) return undefined;
  const previous = await context.state.getCorpusEntry(item.docId);
  if (
    previous?.status === 'analysed' &&
    previous.contentHash === outcome.postmortem.contentHash &&
    previous.fingerprint === context.fingerprint
  )
    return undefined;
  return outcome.postmortem;
}

type DocumentOutcome = 'done' | 'deferred' | 'failed' | 'skipped';

/** The stages of one document up to `stage`, as the per-document steps run them; earlier stages must be cache hits. */
async function runThrough(context: RunContext, postmortem: Postmortem, stage: BatchStage): Promise<DocumentOutcome> {
  try {
    const summary = await summarize(postmortem, context.stages);
    if (stage === 'summarize') return 'done';
    const classification = await classify(postmortem, summary, context.catalogHash, context.stages);
    if (stage === 'classify') return 'done';
    let outcome: DocumentOutcome = 'done';
    for (const cause of classification.causal) {
      try {
        await analyze(postmortem, summary, classification, cause.technology, context.stages);
      } catch (error) {
        outcome = isDeferral(error) ? 'deferred' : 'failed';
      }
    }
    return outcome;
  } catch (error) {
    // Anything else is left to the on-demand path, which records a real failure with its stage.
    return isDeferral(error) ? 'deferred' : 'failed';
  }
}

/**
 * Every document of the round through the stages up to `stage`. Redaction reads the corpus-wide
 * mapping, which the round's own new values extend (a name cued in one document is then redacted
 * in the others): the round is redacted once to settle the mapping, then again for the requests, so
 * that they are the requests the per-document steps will render (the same cache keys).
 */
async function overRound(
  context: RunContext,
  items: readonly WorkItem[],
  stage: BatchStage,
): Promise<Record<DocumentOutcome, number>> {
  const counts: Record<DocumentOutcome, number> = { done: 0, deferred: 0, failed: 0, skipped: 0 };
  const limit = pLimit(8);
  const sources = await Promise.all(items.map((item) => limit(() => ingested(context, item).catch(() => undefined))));
  const { privacy } = context;
  if (privacy) await Promise.all(sources.map((source) => source && limit(() => privacy.redactPostmortem(source))));
  await Promise.all(
    sources.map((source) =>
      limit(async () => {
        if (!source) {
          counts.skipped += 1;
          return;
        }
        try {
          const postmortem = privacy ? await privacy.redactPostmortem(source) : source;
          counts[await runThrough(context, postmortem, stage)] += 1;
        } catch {
          counts.failed += 1;
        }
      }),
    ),
  );
  return counts;
}

export interface PreparedBatch {
  stage: BatchStage;
  /** Distinct requests the stage would send for the round. */
  records: number;
  /** Whether a job is submitted (records reach the minimum). */
  submit: boolean;
  modelId?: string;
  inputKey?: string;
  recordsKey?: string;
  outputPrefix?: string;
}

export async function prepareBatchStage(
  context: RunContext,
  models: BatchModels,
  event: BatchStageEvent,
  settings: Pick<BatchSettings, 'minimumRecords'>,
): Promise<PreparedBatch> {
  const collected = models.collect(event.stage);
  try {
    await overRound(context, await manifestItems(context, event.manifestKey), event.stage);
  } finally {
    models.reset();
  }
  const plan = planRecords(collected);
  const modelId = collected[0]?.modelId;
  if (plan.records.length < settings.minimumRecords || !modelId)
    return { stage: event.stage, records: plan.records.length, submit: false };
  const inputKey = batchLayout.input(event.runId, event.round, event.stage);
  const recordsKey = batchLayout.records(event.runId, event.round, event.stage);
  await context.artifacts.put(inputKey, toJsonl(plan.records), 'application/jsonl');
  await putJson(context.artifacts, recordsKey, plan.index);
  return {
    stage: event.stage,
    records: plan.records.length,
    submit: true,
    modelId,
    inputKey,
    recordsKey,
    outputPrefix: batchLayout.output(event.runId, event.round, event.stage),
  };
}

export const SubmitBatchEvent = z.object({
  taskToken: z.string().min(1),
  runId: z.string().min(1),
  round: z.number().int().nonnegative(),
  stage: z.enum(BATCH_STAGES),
  modelId: z.string().min(1),
  inputKey: z.string().min(1),
  outputPrefix: z.string().min(1),
});
export type SubmitBatchEvent = z.infer<typeof SubmitBatchEvent>;

/** A job name Bedrock accepts (letters, digits, hyphens; at most 63), the same for a retried submit. */
export function jobNameOf(event: Pick<SubmitBatchEvent, 'runId' | 'round' | 'stage'>): string {
  const digest = createHash('sha256').update(`${event.runId}\n${event.round}\n${event.stage}`).digest('hex');
  return `pmlens-${event.stage}-${digest.slice(0, 32)}`;
}

/**
 * Start the job and leave the execution waiting: the task token is stored by job ARN for the
 * resume handler. The client request token makes a retried submit return the same job.
 */
export async function submitBatchJob(
  deps: { bedrock: BedrockClient; table: ItemTable; bucket: string },
  event: SubmitBatchEvent,
  settings: Pick<BatchSettings, 'roleArn' | 'timeoutHours'>,
): Promise<{ jobArn: string }> {
  const jobName = jobNameOf(event);
  const created = await deps.bedrock.send(
    new CreateModelInvocationJobCommand({
      jobName,
      clientRequestToken: jobName,
      roleArn: settings.roleArn,
      modelId: event.modelId,
      modelInvocationType: 'Converse',
      inputDataConfig: {
        s3InputDataConfig: { s3Uri: `s3://${deps.bucket}/${event.inputKey}`, s3InputFormat: 'JSONL' },
      },
      outputDataConfig: { s3OutputDataConfig: { s3Uri: `s3://${deps.bucket}/${event.outputPrefix}` } },
      timeoutDurationInHours: settings.timeoutHours,
    }),
  );
  const jobArn = created.jobArn;
  if (!jobArn) throw new Error('CreateModelInvocationJob returned no job ARN');
  await putBatchJob(deps.table, {
    jobArn,
    taskToken: event.taskToken,
    runId: event.runId,
    stage: event.stage,
    outputPrefix: event.outputPrefix,
    submittedAt: new Date().toISOString(),
  });
  return { jobArn };
}

/** The EventBridge event of a job's state change (source aws.bedrock): only what is read. */
export const BatchJobStateChange = z.object({
  source: z.literal('aws.bedrock'),
  'detail-type': z.literal('Batch Inference Job State Change'),
  detail: z.looseObject({ batchJobArn: z.string().min(1), status: z.string().optional() }),
});
export type BatchJobStateChange = z.infer<typeof BatchJobStateChange>;

export type ResumeOutcome =
  | { resumed: false; reason: 'unknown job' | 'not ended' | 'already resumed' | 'waiter gone' }
  | { resumed: true; status: string; succeeded: boolean };

/** The batch job's end status, as the waiting execution receives it. */
export interface BatchJobResult {
  jobArn: string;
  status: string;
  totalRecordCount?: number;
  successRecordCount?: number;
  errorRecordCount?: number;
}

const GONE_WAITER_ERRORS = new Set(['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken']);

/**
 * Resume the execution waiting on a job that ended. The event is a hint (delivered at best effort,
 * possibly twice): the status is read back from the job itself, and the waiter is resumed once.
 */
export async function resumeBatchWaiter(
  deps: { bedrock: BedrockClient; table: ItemTable; sfn: SFNClient },
  event: BatchJobStateChange,
): Promise<ResumeOutcome> {
  const jobArn = event.detail.batchJobArn;
  const entry = await getBatchJob(deps.table, jobArn);
  if (!entry) return { resumed: false, reason: 'unknown job' };
  const job = await deps.bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }));
  const status = job.status ?? '';
  if (!(TERMINAL_STATUSES as readonly string[]).includes(status)) return { resumed: false, reason: 'not ended' };
  if (!(await settleBatchJob(deps.table, entry, status))) return { resumed: false, reason: 'already resumed' };
  const succeeded = SUCCESSFUL_STATUSES.has(status);
  try {
    if (succeeded) {
      const result: BatchJobResult = {
        jobArn,
        status,
        totalRecordCount: job.totalRecordCount,
        successRecordCount: job.successRecordCount,
        errorRecordCount: job.errorRecordCount,
      };
      await deps.sfn.send(new SendTaskSuccessCommand({ taskToken: entry.taskToken, output: JSON.stringify(result) }));
    } else {
      // The job's message may quote a record: only the status goes into the execution's history.
      await deps.sfn.send(
        new SendTaskFailureCommand({
          taskToken: entry.taskToken,
          error: 'BatchJobFailed',
          cause: `the batch inference job ${jobArn} ended ${status}: its documents are computed on demand`,
        }),
      );
    }
  } catch (error) {
    if (error instanceof Error && GONE_WAITER_ERRORS.has(error.name)) return { resumed: false, reason: 'waiter gone' };
    throw error;
  }
  return { resumed: true, status, succeeded };
}

export const CollectBatchEvent = BatchStageEvent.extend({
  recordsKey: z.string().min(1),
  outputPrefix: z.string().min(1),
});
export type CollectBatchEvent = z.infer<typeof CollectBatchEvent>;

export interface CollectedBatch {
  stage: BatchStage;
  records: number;
  /** Output records that held an answer, and those that failed in the job. */
  answered: number;
  failedRecords: number;
  /** Index entries without an output record, and output lines that were not records. */
  missing: number;
  unreadableLines: number;
  /** How the stage's calls went: answered from the job, on demand (repairs and failed records), deferred to the Distributed Map. */
  fromBatch: number;
  onDemand: number;
  deferred: number;
  /** Documents whose stage result is now cached, and those left to the on-demand path. */
  documents: { done: number; deferred: number; failed: number; skipped: number };
}

/** Read the job's output, map it back by record id and write the stage's results to the cache. */
export async function collectBatchStage(
  context: RunContext,
  models: BatchModels,
  event: CollectBatchEvent,
  settings: Pick<BatchSettings, 'maxOnDemandCalls'>,
): Promise<CollectedBatch> {
  const index = (await getJson<RecordIndexEntry[]>(context.artifacts, event.recordsKey)) ?? [];
  const outputs: BatchOutputRecord[] = [];
  let unreadableLines = 0;
  for (const key of await context.artifacts.list(event.outputPrefix)) {
    if (!key.endsWith('.jsonl.out')) continue;
    const body = await context.artifacts.get(key);
    if (!body) continue;
    const parsed = parseBatchOutput(new TextDecoder().decode(body));
    outputs.push(...parsed.records);
    unreadableLines += parsed.unreadableLines;
  }
  const mapped = mapAnswers(index, outputs);
  const counters = models.answer(event.stage, mapped.answers, settings.maxOnDemandCalls);
  let documents: CollectedBatch['documents'];
  try {
    documents = await overRound(context, await manifestItems(context, event.manifestKey), event.stage);
    await context.cache.flush();
  } catch (error) {
    throw new Error(`collecting the ${event.stage} batch failed: ${messageOf(error)}`, { cause: error });
  } finally {
    models.reset();
  }
  const answered = [...mapped.answers.values()].filter((answer) => answer.ok).length;
  return {
    stage: event.stage,
    records: index.length,
    answered,
    failedRecords: mapped.answers.size - answered,
    missing: mapped.missing,
    unreadableLines,
    fromBatch: counters.fromBatch,
    onDemand: counters.onDemand,
    deferred: counters.deferred,
    documents,
  };
}
