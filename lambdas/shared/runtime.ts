/**
 * The run context of this Lambda environment (see src/aws/context.ts for its variables), built on
 * first use and reused across invocations; model usage and stage outcomes become metrics, and the
 * S3, DynamoDB and Bedrock runtime clients it holds are traced (an X-Ray subsegment per call).
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { awsRunContext, type AwsRunContext } from '../../src/aws/context.ts';
import { onBedrockClient } from '../../src/models/bedrock.ts';
import type { StageObserver } from '../../src/stages/index.ts';
import { DynamoDbItemTable } from '../../src/store/dynamodb-item-table.ts';
import { S3ObjectStore } from '../../src/store/s3-object-store.ts';
import { metrics, tracer } from './powertools.ts';

const usageMetrics: StageObserver = {
  onStage(stage, outcome) {
    metrics.addMetric(
      `${stage}${outcome === 'cached' ? 'CacheHits' : outcome === 'computed' ? 'Computations' : 'Failures'}`,
      MetricUnit.Count,
      1,
    );
  },
  onUsage(stage, _subject, usage) {
    if (usage.calls === 0) return;
    metrics.addMetric(`${stage}InputTokens`, MetricUnit.Count, usage.inputTokens);
    metrics.addMetric(`${stage}OutputTokens`, MetricUnit.Count, usage.outputTokens);
    metrics.addMetric(`${stage}CacheReadTokens`, MetricUnit.Count, usage.cacheReadTokens);
    metrics.addMetric(`${stage}ModelCalls`, MetricUnit.Count, usage.calls);
    metrics.addMetric(`${stage}Retries`, MetricUnit.Count, usage.retries);
    metrics.addMetric(`${stage}Throttles`, MetricUnit.Count, usage.throttles);
    metrics.addMetric(`${stage}ModelMillis`, MetricUnit.Milliseconds, usage.latencyMillis);
  },
};

let context: Promise<AwsRunContext> | undefined;

// The model engine creates its Bedrock runtime clients itself: each is traced as it is created.
onBedrockClient((client) => {
  tracer.captureAWSv3Client(client);
});

/**
 * Trace the SDK clients the context created (Powertools' captureAWSv3Client adds its middleware to
 * the client in place). The input and artifacts stores share one S3 client; the document client of
 * the state table shares its DynamoDB client's middleware. The Bedrock runtime clients, created
 * inside the model engine, are traced as they are created (onBedrockClient below).
 */
export function traceClients(built: AwsRunContext): AwsRunContext {
  const clients = new Set([built.input.client]);
  if (built.artifacts instanceof S3ObjectStore) clients.add(built.artifacts.client);
  for (const client of clients) tracer.captureAWSv3Client(client);
  if (built.state.table instanceof DynamoDbItemTable) tracer.captureAWSv3Client(built.state.table.documentClient);
  return built;
}

export function taskContext(): Promise<AwsRunContext> {
  context ??= awsRunContext(process.env, usageMetrics)
    .then(traceClients)
    .catch((error: unknown) => {
      context = undefined;
      throw error;
    });
  return context;
}

/** For tests: forget the context so the next invocation reads the environment again. */
export function resetTaskContext(): void {
  context = undefined;
}
