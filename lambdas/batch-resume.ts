/**
 * Target of the batch rule (EventBridge, source aws.bedrock, "Batch Inference Job State Change"):
 * resumes the execution waiting on the job (src/batch/steps.ts). It needs the state table, the
 * Bedrock control plane and Step Functions only: no run context.
 */
import { BatchJobStateChange, openResumeDependencies, resumeTask } from '../src/batch/index.ts';
import { task } from './shared/powertools.ts';

let dependencies: ReturnType<typeof openResumeDependencies> | undefined;

export const handler = task(
  'batchResume',
  BatchJobStateChange,
  async (event) => resumeTask((dependencies ??= openResumeDependencies(process.env)), event),
  (event) => ({ jobArn: event.detail.batchJobArn, status: event.detail.status }),
);
