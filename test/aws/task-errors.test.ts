import { describe, expect, it } from 'vitest';
import { ModelUnavailableError, taskErrorOf, ThrottlingError } from '../../src/aws/tasks.ts';
import { StageError } from '../../src/errors.ts';
import { ModelCallError } from '../../src/models/language-model.ts';
import { RETRIED_ERRORS } from '../../infra/constructs/pipeline.ts';

describe('aws tasks: errors the state machine retries', () => {
  it('names a model throttle and an unavailable model so that Step Functions retries them, through a cause chain', () => {
    // Prepare
    const throttled = new ModelCallError('throttled', 'slow down', 429);
    const server = new StageError('summarize', 'doc-1', 'the model failed', {
      cause: new ModelCallError('server', 'boom', 503),
    });
    const timeout = new ModelCallError('timeout', 'no answer');

    // Act
    const errors = [throttled, server, timeout].map(taskErrorOf) as Error[];

    // Assess
    expect(errors[0]).toBeInstanceOf(ThrottlingError);
    expect(errors[1]).toBeInstanceOf(ModelUnavailableError);
    expect(errors[2]).toBeInstanceOf(ModelUnavailableError);
    for (const error of errors) expect(RETRIED_ERRORS).toContain(error.name);
  });

  it('leaves a client error and any other failure as it is: retrying would not help', () => {
    const client = new ModelCallError('client', 'bad request', 400);
    const other = new Error('the document is missing');
    expect(taskErrorOf(client)).toBe(client);
    expect(taskErrorOf(other)).toBe(other);
    expect(RETRIED_ERRORS).not.toContain(client.name);
  });
});
