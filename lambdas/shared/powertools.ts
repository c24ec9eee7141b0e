/**
 * Logger, metrics and tracer shared by every handler, created once per Lambda environment.
 * Nothing here ever logs document text: only ids, keys, counts and durations. Keys of an
 * invocation travel with each log line, never on the shared logger, so invocations that overlap
 * in one process never mix them.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { z } from 'zod';
import { errorCodeOf, safeMessageOf } from '../../src/errors.ts';

export const logger = new Logger({ serviceName: 'postmortem-lens' });
export const metrics = new Metrics({ namespace: 'PostmortemLens', serviceName: 'postmortem-lens' });
export const tracer = new Tracer({ serviceName: 'postmortem-lens' });

const MAX_MESSAGE = 300;

/**
 * Wrap a task: the event parsed with its schema, a structured log line per invocation (task, ids,
 * duration, outcome), a latency and a success or failure metric, and a trace subsegment. Errors are
 * logged by name, code and a scrubbed, capped message, then rethrown for the state machine's Retry
 * and Catch.
 */
export function task<Schema extends z.ZodType, Output>(
  name: string,
  schema: Schema,
  work: (input: z.output<Schema>) => Promise<Output>,
  describe: (input: z.output<Schema>) => Record<string, unknown> = () => ({}),
): (event: unknown) => Promise<Output> {
  return async (event: unknown) => {
    const started = performance.now();
    const segment = tracer.getSegment()?.addNewSubsegment(`task ${name}`);
    let keys: Record<string, unknown> = { task: name };
    try {
      const input = schema.parse(event);
      keys = { task: name, ...describe(input) };
      const output = await work(input);
      metrics.addMetric(`${name}Succeeded`, MetricUnit.Count, 1);
      logger.info('task done', { ...keys, millis: Math.round(performance.now() - started) });
      return output;
    } catch (error) {
      metrics.addMetric(`${name}Failed`, MetricUnit.Count, 1);
      // A code and a scrubbed, capped message: never document or model text (src/errors.ts).
      logger.error('task failed', {
        ...keys,
        errorName: error instanceof Error ? error.name : 'unknown',
        errorCode: errorCodeOf(error),
        errorMessage: safeMessageOf(error, MAX_MESSAGE),
      });
      segment?.addError(error as Error);
      throw error;
    } finally {
      metrics.addMetric(`${name}Millis`, MetricUnit.Milliseconds, performance.now() - started);
      metrics.publishStoredMetrics();
      segment?.close();
    }
  };
}
