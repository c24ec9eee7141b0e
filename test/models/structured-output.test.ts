/**
 * Model output tolerance: percentages normalised, ranges enforced by our validation with a repair
 * message naming the field and the range, and every attempt (timed-out ones included) counted in
 * the usage of the stage, whether it succeeds or fails.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ClassificationOutput, TOOLS } from '../../src/engines/model/tools.ts';
import { generateStructured, StructuredOutputError } from '../../src/engines/model/structured.ts';
import { checkRanges } from '../../src/engines/model/ranges.ts';
import { governModel, QuotaGovernor } from '../../src/models/governor.ts';
import {
  ModelCallError,
  type LanguageModel,
  type ModelRequest,
  type ModelResponse,
} from '../../src/models/language-model.ts';
import { createOpenAICompatibleModel } from '../../src/models/openai-compatible.ts';
import type { Usage } from '../../src/engines/engine.ts';
import { FakeOpenAIServer } from '../support/fake-openai-server.ts';

const request: ModelRequest = {
  label: { stage: 'classify', subject: 'doc', promptId: 'classify', promptVersion: '1' },
  system: 'Classify.',
  messages: [{ role: 'user', content: 'Redis ran out of memory.' }],
  tool: TOOLS.classify,
  maxTokens: 500,
  temperature: 0,
};

function classification(confidence: number): Record<string, unknown> {
  return {
    causal: [{ technology: 'Redis', role: 'ran out of memory', evidence: ['Redis ran out of memory.'], confidence }],
    mentioned: [],
    unnamedCause: null,
  };
}

function reply(toolInput: unknown): ModelResponse {
  return {
    text: JSON.stringify(toolInput),
    toolInput,
    stopReason: 'tool',
    usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 },
    latencyMillis: 3,
    warnings: [],
  };
}

/** A model answering from a script, one entry per call; an Error entry is thrown. */
function scripted(answers: Array<ModelResponse | Error>): LanguageModel & { requests: ModelRequest[] } {
  const requests: ModelRequest[] = [];
  return {
    provider: 'scripted',
    modelId: 'scripted-1',
    requests,
    async generate(next) {
      requests.push(next);
      const answer = answers.shift();
      if (answer === undefined) throw new Error('script exhausted');
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}

function governor(maxRetries: number): QuotaGovernor {
  return new QuotaGovernor({
    maxInFlight: 4,
    requestsPerMinute: 1e6,
    tokensPerMinute: 1e9,
    maxRetries,
    baseDelayMillis: 1,
    maxDelayMillis: 2,
  });
}

async function failure(promise: Promise<unknown>): Promise<Error & { usage?: Usage }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error & { usage?: Usage };
}

describe('percentages and ranges', () => {
  it.each([
    [85, 0.85],
    [100, 1],
    [1.5, 0.015],
    [0.7, 0.7],
    [1, 1],
    [0, 0],
  ])('reads a confidence of %s as %s on the [0, 1] field, without a repair', async (written, expected) => {
    // Prepare
    const model = scripted([reply(classification(written))]);

    // Act
    const result = await generateStructured(model, request, ClassificationOutput);

    // Assess
    expect(result.value.causal[0]?.confidence).toBeCloseTo(expected, 10);
    expect(model.requests).toHaveLength(1);
    expect(result.warnings.some((warning) => warning.includes('causal.0.confidence'))).toBe(written > 1);
  });

  it.each([150, 100.5, -0.2, -85])(
    'asks for a repair naming the field and the range for %s, and accepts the repaired answer',
    async (written) => {
      // Prepare
      const model = scripted([reply(classification(written)), reply(classification(0.6))]);

      // Act
      const result = await generateStructured(model, request, ClassificationOutput);

      // Assess
      expect(result.value.causal[0]?.confidence).toBe(0.6);
      const repair = model.requests[1]?.messages.at(-1)?.content ?? '';
      expect(repair).toContain('causal.0.confidence');
      expect(repair).toContain('[0, 1]');
      expect(repair).toMatch(/0\.85 for 85%/);
      expect(result.usage.calls).toBe(2);
      expect(result.usage.retries).toBe(1);
    },
  );

  it('fails after the repair with the field and range, never quoting the answer', async () => {
    // Prepare
    const planted = { ...classification(250), unnamedCause: 'jane.doe@example.com said so' };
    const model = scripted([reply(planted), reply(planted)]);

    // Act
    const error = await failure(generateStructured(model, request, ClassificationOutput));

    // Assess
    expect(error).toBeInstanceOf(StructuredOutputError);
    expect(error.message).toContain('causal.0.confidence: out of range, must be a number within [0, 1]');
    expect((error as StructuredOutputError).code).toBe('model-output-invalid');
    expect(JSON.stringify(error)).not.toContain('jane.doe');
    expect(error.message).not.toContain('jane.doe');
    expect(error.usage?.calls).toBe(2);
  });

  it('describes schema problems by path and expectation, not by the value the model wrote', async () => {
    // Prepare: a role that is not a string, with personal data in it
    const planted = {
      causal: [
        { technology: 'Redis', role: { who: 'Kenji Watanabe, +1 415 555 0134' }, evidence: ['x'], confidence: 0.5 },
      ],
      mentioned: [],
      unnamedCause: null,
    };
    const model = scripted([reply(planted), reply(planted)]);

    // Act
    const error = await failure(generateStructured(model, request, ClassificationOutput));

    // Assess
    expect(error.message).toContain('causal.0.role');
    expect(error.message).not.toMatch(/Kenji|415/);
  });

  it('walks arrays, nested objects and references of the schema', () => {
    // Prepare
    const schema = {
      type: 'object',
      properties: {
        items: { type: 'array', items: { $ref: '#/definitions/item' } },
        score: { anyOf: [{ type: 'number', minimum: 0, maximum: 10 }, { type: 'null' }] },
      },
      definitions: { item: { type: 'object', properties: { share: { type: 'number', minimum: 0, maximum: 1 } } } },
    };

    // Act
    const check = checkRanges({ items: [{ share: 40 }, { share: 0.2 }, { share: 101 }], score: 11 }, schema);

    // Assess
    expect(check.value).toEqual({ items: [{ share: 0.4 }, { share: 0.2 }, { share: 101 }], score: 11 });
    expect(check.normalised).toEqual(['items.0.share']);
    expect(check.problems).toEqual([
      { path: 'items.2.share', minimum: 0, maximum: 1 },
      { path: 'score', minimum: 0, maximum: 10 },
    ]);
  });
});

describe('usage of failed and retried attempts', () => {
  const running: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (running.length > 0) await running.pop()?.();
  });

  it('counts every governed attempt as a call, the retried timeouts included', async () => {
    // Prepare
    const timeout = (): ModelCallError => new ModelCallError('timeout', 'no reply within 10 ms');
    const model = governModel(scripted([timeout(), timeout(), reply(classification(0.9))]), governor(4));

    // Act
    const result = await generateStructured(model, request, ClassificationOutput);

    // Assess
    expect(result.usage.calls).toBe(3);
    expect(result.usage.retries).toBe(2);
    expect(result.usage.inputTokens).toBe(10);
  });

  it('carries the spent usage on the error when the attempts run out', async () => {
    // Prepare
    const timeout = (): ModelCallError => new ModelCallError('timeout', 'no reply within 10 ms');
    const model = governModel(scripted([timeout(), timeout(), timeout()]), governor(2));

    // Act
    const error = await failure(generateStructured(model, request, ClassificationOutput));

    // Assess
    expect(error.usage).toMatchObject({ calls: 3, retries: 2, inputTokens: 0 });
    expect(Object.keys(error)).not.toContain('usage');
  });

  it('adds a failed repair call to the usage of the first answer', async () => {
    // Prepare
    const model = governModel(
      scripted([reply(classification(900)), new ModelCallError('client', 'HTTP 400: bad request')]),
      governor(2),
    );

    // Act
    const error = await failure(generateStructured(model, request, ClassificationOutput));

    // Assess
    expect(error.usage).toMatchObject({ calls: 2, retries: 1, inputTokens: 10, outputTokens: 5 });
  });

  it('counts timed-out HTTP requests against a real server: calls equal the requests it received', async () => {
    // Prepare: the first two replies come long after the client gave up; the third at once. The
    // timeout leaves a loaded machine room to answer the third in time.
    let served = 0;
    const server = new FakeOpenAIServer({
      respond: () =>
        ++served <= 2 ? { content: '{}', delayMillis: 3_000 } : { content: JSON.stringify(classification(85)) },
    });
    const { url, close } = await server.start();
    running.push(close);
    const model = governModel(
      createOpenAICompatibleModel({ baseUrl: url, modelId: 'fake-model', requestTimeoutMillis: 600 }),
      governor(3),
    );

    // Act
    const result = await generateStructured(model, request, ClassificationOutput);

    // Assess
    expect(server.chatRequests).toHaveLength(3);
    expect(result.usage.calls).toBe(3);
    expect(result.usage.retries).toBe(2);
    expect(result.usage.latencyMillis).toBeGreaterThanOrEqual(1_200);
    expect(result.value.causal[0]?.confidence).toBe(0.85);
  });

  it('sends json_object with the schema to the server in json-object mode and validates the answer', async () => {
    // Prepare
    const server = new FakeOpenAIServer({ respond: () => ({ content: JSON.stringify(classification(92)) }) });
    const { url, close } = await server.start();
    running.push(close);
    const model = createOpenAICompatibleModel({ baseUrl: url, modelId: 'fake-model', structuredOutput: 'json-object' });

    // Act
    const result = await generateStructured(model, request, ClassificationOutput);

    // Assess
    expect(server.chatRequests[0]?.response_format).toEqual({
      type: 'json_object',
      schema: TOOLS.classify.inputSchema,
    });
    expect(result.value.causal[0]?.confidence).toBe(0.92);
  });
});
