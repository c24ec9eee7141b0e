/**
 * Logger, metrics and tracer shared by every handler, created once per Lambda environment.
 * Nothing here ever logs document text: only ids, keys, counts and durations.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

export const logger = new Logger({ serviceName: 'postmortem-lens' });
export const metrics = new Metrics({ namespace: 'PostmortemLens', serviceName: 'postmortem-lens' });
export const tracer = new Tracer({ serviceName: 'postmortem-lens' });

/**
 * Wrap a task: a structured log line per invocation (task, ids, duration, outcome), a latency and
 * a success or failure metric, and a trace subsegment. Errors are logged by name and message,
 * then rethrown for the state machine's Retry and Catch.
 */
export function task<Input, Output>(name: string, work: (input: Input) => Promise<Output>, describe: (input: Input) => Record<string, unknown> = () => ({})): (input: Input) => Promise<Output> {
  return async (input: Input) => {
    const started = performance.now();
    const segment = tracer.getSegment()?.addNewSubsegment(`task ${name}`);
    logger.appendKeys({ task: name, ...describe(input) });
    try {
      const output = await work(input);
      metrics.addMetric(`${name}Succeeded`, MetricUnit.Count, 1);
      logger.info('task done', { millis: Math.round(performance.now() - started) });
      return output;
    } catch (error) {
      metrics.addMetric(`${name}Failed`, MetricUnit.Count, 1);
      logger.error('task failed', { errorName: error instanceof Error ? error.name : 'unknown', errorMessage: error instanceof Error ? error.message.slice(0, 500) : String(error).slice(0, 500) });
      segment?.addError(error as Error);
      throw error;
    } finally {
      metrics.addMetric(`${name}Millis`, MetricUnit.Milliseconds, performance.now() - started);
      metrics.publishStoredMetrics();
      segment?.close();
      logger.resetKeys();
    }
  };
}
