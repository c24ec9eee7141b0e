/**
 * Error messages and log details never carry document or model text: JSON parse errors lose the
 * excerpt V8 quotes, details are scrubbed and capped, Step Functions causes are scrubbed.
 */
import { describe, expect, it } from 'vitest';
import { reasonOf } from '../../src/aws/tasks.ts';
import { errorCodeOf, messageOf, safeMessageOf, scrubDetail, StageError } from '../../src/errors.ts';
import { ModelCallError } from '../../src/models/language-model.ts';

const PLANTED = '{"summary": "jane.doe@example.com paid with card 4111 1111 1111 1111"';

describe('error messages', () => {
  it('drops the excerpt of the input from JSON parse errors', () => {
    // Prepare
    const error = (() => {
      try {
        JSON.parse(`${PLANTED} broken`);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();

    // Act
    const message = messageOf(error);

    // Assess
    expect(message).toMatch(/JSON/);
    expect(message).not.toMatch(/jane|4111|summary/);
    expect(errorCodeOf(error)).toBe('json-syntax');
  });

  it('scrubs personal data, secrets and quoted passages, and caps the detail', () => {
    // Act
    const detail = scrubDetail(
      `upstream said "${'x'.repeat(50)}" for jane.doe@example.com from 10.1.2.3 with Bearer abcDEF1234567890xyz and card 4111-1111-1111-1111 ${'y '.repeat(200)}`,
    );

    // Assess
    expect(detail).not.toMatch(/jane|10\.1\.2\.3|abcDEF|4111|xxxx/);
    expect(detail).toContain('[email]');
    expect(detail.length).toBeLessThanOrEqual(160);
  });

  it('puts the code first in a safe message, and a StageError takes its cause code', () => {
    // Prepare
    const cause = new ModelCallError('timeout', 'openai-compatible m: no reply within 100 ms');

    // Act
    const stageError = new StageError('summarize', 'doc', safeMessageOf(cause), { cause });

    // Assess
    expect(stageError.reason).toBe('model-timeout: openai-compatible m: no reply within 100 ms');
    expect(stageError.code).toBe('model-timeout');
    expect(safeMessageOf(new Error('model unavailable'))).toBe('model unavailable');
  });

  it('scrubs the reason taken from a Step Functions cause and never quotes a cause that is not the Lambda error JSON', () => {
    // Act
    const fromJson = reasonOf({
      Error: 'StageError',
      Cause: JSON.stringify({ errorType: 'Error', errorMessage: `upstream: ${PLANTED}` }),
    });
    const fromText = reasonOf({ Error: 'States.TaskFailed', Cause: `raw text ${PLANTED}` });

    // Assess
    expect(fromJson).not.toMatch(/jane|4111/);
    expect(fromText).toBe('States.TaskFailed');
  });
});
