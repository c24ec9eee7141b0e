/**
 * The run context of this Lambda environment (see src/aws/context.ts for its variables), built on
 * first use and reused across invocations; model usage and stage outcomes become metrics.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { awsRunContext, type AwsRunContext } from '../../src/aws/context.ts';
import type { StageObserver } from '../../src/stages/index.ts';
import { metrics } from './powertools.ts';

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

export function taskContext(): Promise<AwsRunContext> {
  context ??= awsRunContext(process.env, usageMetrics).catch((error: unknown) => {
    context = undefined;
    throw error;
  });
  return context;
}

/** For tests: forget the context so the next invocation reads the environment again. */
export function resetTaskContext(): void {
  context = undefined;
}
