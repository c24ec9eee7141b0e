/**
 * Batch inference on AWS: the task events of the state machine's batch states and the one place
 * that dispatches them (the Lambdas in lambdas/batch.ts and lambdas/batch-resume.ts only parse and
 * call). See src/batch/steps.ts for the flow.
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import type { BedrockClient } from '@aws-sdk/client-bedrock';
import { z } from 'zod';
import { awsRunContext, awsStateStore, type AwsRunContext } from '../aws/context.ts';
import { ConfigurationError } from '../errors.ts';
import type { StageObserver } from '../stages/index.ts';
import {
  BatchModels,
  BatchStageEvent,
  batchSettingsFrom,
  CollectBatchEvent,
  collectBatchStage,
  createBedrockControlClient,
  prepareBatchStage,
  resumeBatchWaiter,
  SubmitBatchEvent,
  submitBatchJob,
  type BatchJobStateChange,
  type BatchSettings,
} from './steps.ts';

export * from './cost.ts';
export * from './jsonl.ts';
export * from './records.ts';
export * from './steps.ts';
export { BatchDeferral, isDeferral } from './models.ts';

/** What the batch function is asked to do by the state machine. */
export const BatchTaskEvent = z.discriminatedUnion('action', [
  BatchStageEvent.extend({ action: z.literal('prepare') }),
  SubmitBatchEvent.extend({ action: z.literal('submit') }),
  CollectBatchEvent.extend({ action: z.literal('collect') }),
]);
export type BatchTaskEvent = z.infer<typeof BatchTaskEvent>;

export interface BatchRuntime {
  context: AwsRunContext;
  models: BatchModels;
  settings: BatchSettings;
  bedrock: BedrockClient;
}

/** The run context of the batch function: the deployment's engine, its models switched by BatchModels. */
export async function openBatchRuntime(
  environment: NodeJS.ProcessEnv,
  observer?: StageObserver,
): Promise<BatchRuntime> {
  const settings = batchSettingsFrom(environment);
  const models = new BatchModels();
  const context = await awsRunContext(environment, observer, { wrapModel: models.wrap });
  return { context, models, settings, bedrock: createBedrockControlClient(environment) };
}

export async function batchTask(runtime: BatchRuntime, event: BatchTaskEvent): Promise<unknown> {
  const { context, models, settings } = runtime;
  switch (event.action) {
    case 'prepare':
      return prepareBatchStage(context, models, event, settings);
    case 'submit': {
      const bucket = (context.artifacts as { bucket?: string }).bucket;
      if (!bucket) throw new ConfigurationError('batch inference needs the artifacts bucket (S3)');
      return submitBatchJob({ bedrock: runtime.bedrock, table: context.state.table, bucket }, event, settings);
    }
    case 'collect':
      return collectBatchStage(context, models, event, settings);
  }
}

/** The resume handler's clients: the state table, Bedrock's control plane, Step Functions (SFN_ENDPOINT in tests). */
export function openResumeDependencies(environment: NodeJS.ProcessEnv): Parameters<typeof resumeBatchWaiter>[0] {
  return {
    table: awsStateStore(environment).table,
    bedrock: createBedrockControlClient(environment),
    sfn: new SFNClient(environment.SFN_ENDPOINT ? { endpoint: environment.SFN_ENDPOINT } : {}),
  };
}

export function resumeTask(
  dependencies: Parameters<typeof resumeBatchWaiter>[0],
  event: BatchJobStateChange,
): ReturnType<typeof resumeBatchWaiter> {
  return resumeBatchWaiter(dependencies, event);
}
