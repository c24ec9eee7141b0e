/**
 * The Bedrock provider through the real SDK client against a local fake Bedrock (Converse over
 * HTTP/1.1, or HTTP/2 with the SDK's default handler).
 */
import net from 'node:net';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { createBedrockModel, type BedrockModelSettings } from '../../src/models/bedrock.ts';
import { cachablePrefixTokens } from '../../src/models/bedrock-mapping.ts';
import { ModelCallError, type ModelRequest } from '../../src/models/language-model.ts';
import { startFakeBedrock, type FakeBedrockOptions } from '../support/fake-bedrock-server.ts';

const MODEL_ID = 'us.anthropic.claude-sonnet-4-20250514-v1:0';
const CREDENTIALS = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };
const TOOL = {
  name: 'record_summary',
  description: 'Record the structured summary of one postmortem.',
  inputSchema: {
    type: 'object',
    properties: { title: { type: 'string' } },
    required: ['title'],
    additionalProperties: false,
  },
};

function requestWith(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    system: 'You summarise incident postmortems.',
    messages: [{ role: 'user', content: 'Incident: the primary database ran out of connections at 09:12.' }],
    tool: TOOL,
    maxTokens: 800,
    temperature: 0,
    ...overrides,
  };
}

async function fakeBedrock(options: FakeBedrockOptions = {}) {
  const fake = await startFakeBedrock(options);
  onTestFinished(() => fake.close());
  return fake;
}

function modelAt(url: string, overrides: Partial<BedrockModelSettings> = {}) {
  return createBedrockModel({
    modelId: MODEL_ID,
    region: 'us-east-1',
    endpoint: url,
    credentials: CREDENTIALS,
    requestHandler: new NodeHttpHandler(),
    ...overrides,
  });
}

async function failureOf(promise: Promise<unknown>): Promise<ModelCallError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ModelCallError);
  return error as ModelCallError;
}

const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

describe('createBedrockModel', () => {
  it('maps a forced tool reply to toolInput, serialized text, stop reason and usage with cache tokens', async () => {
    // Prepare
    const toolInput = { title: 'Connection pool exhaustion' };
    const fake = await fakeBedrock({
      respond: () => ({
        toolInput,
        usage: { inputTokens: 120, outputTokens: 30, cacheReadInputTokens: 1100, cacheWriteInputTokens: 0 },
      }),
    });
    const model = modelAt(fake.url);

    // Act
    const response = await model.generate(requestWith());

    // Assess
    expect(model.provider).toBe('bedrock');
    expect(response.toolInput).toEqual(toolInput);
    expect(response.text).toBe(JSON.stringify(toolInput));
    expect(response.stopReason).toBe('tool');
    expect(response.usage).toEqual({ inputTokens: 120, outputTokens: 30, cacheReadTokens: 1100, cacheWriteTokens: 0 });
    expect(response.warnings).toEqual([]);
    expect(Number.isFinite(response.latencyMillis)).toBe(true);
  });

  it('sends a signed Converse request with the forced tool, its JSON schema, maxTokens and no cache point for a short system prompt', async () => {
    // Prepare
    const fake = await fakeBedrock();
    const model = modelAt(fake.url);

    // Act
    await model.generate(requestWith());

    // Assess
    expect(fake.server.requests).toHaveLength(1);
    const [sent] = fake.server.requests;
    expect(sent?.modelId).toBe(MODEL_ID);
    expect(sent?.body.toolConfig).toEqual({
      tools: [
        { toolSpec: { name: TOOL.name, description: TOOL.description, inputSchema: { json: TOOL.inputSchema } } },
      ],
      toolChoice: { tool: { name: TOOL.name } },
    });
    expect(sent?.body.inferenceConfig).toEqual({ maxTokens: 800, temperature: 0 });
    expect(sent?.body.system).toEqual([{ text: 'You summarise incident postmortems.' }]);
    expect(sent?.body.messages).toEqual([
      { role: 'user', content: [{ text: 'Incident: the primary database ran out of connections at 09:12.' }] },
    ]);
    expect(sent?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/us-east-1\/bedrock\/aws4_request/,
    );
    expect(sent?.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
  });

  it('adds a cache point after the system prompt only from promptCacheMinTokens estimated tokens of tool and system prompt', async () => {
    // Prepare
    const fake = await fakeBedrock();
    const model = modelAt(fake.url);
    const toolTokens = cachablePrefixTokens(requestWith({ system: '' }));
    const justShort = 'r'.repeat((1023 - toolTokens) * 4);
    const longEnough = 'r'.repeat((1024 - toolTokens) * 4);

    // Act
    await model.generate(requestWith({ system: justShort }));
    await model.generate(requestWith({ system: longEnough }));

    // Assess
    expect(fake.server.requests[0]?.body.system).toEqual([{ text: justShort }]);
    expect(fake.server.requests[1]?.body.system).toEqual([{ text: longEnough }, { cachePoint: { type: 'default' } }]);
  });

  it('works over HTTP/2 with the SDK default request handler', async () => {
    // Prepare
    const fake = await fakeBedrock({ respond: () => ({ toolInput: { title: 'h2' } }) });
    const model = modelAt(fake.url, { requestHandler: undefined });

    // Act
    const response = await model.generate(requestWith());

    // Assess
    expect(response.toolInput).toEqual({ title: 'h2' });
    expect(fake.server.requests[0]?.httpVersion).toBe('2.0');
  });

  it('joins text blocks when the model answers with text, mapping end_turn to end', async () => {
    // Prepare
    const fake = await fakeBedrock({ respond: () => ({ text: '{"title":"as text"}' }) });

    // Act
    const response = await modelAt(fake.url).generate(requestWith());

    // Assess
    expect(response).toMatchObject({ text: '{"title":"as text"}', stopReason: 'end' });
    expect(response.toolInput).toBeUndefined();
  });

  it('reports a 429 as throttled after exactly one request: the SDK does not retry', async () => {
    // Prepare
    const fake = await fakeBedrock({ respond: () => ({ fault: 'throttle' }) });

    // Act
    const error = await failureOf(modelAt(fake.url).generate(requestWith()));

    // Assess
    expect(error.kind).toBe('throttled');
    expect(error.status).toBe(429);
    expect(error.message).toContain('Too many requests');
    expect(fake.server.requests).toHaveLength(1);
  });

  it('reports a 503 as a server error after exactly one request', async () => {
    // Prepare
    const fake = await fakeBedrock({ respond: () => ({ fault: 'server' }) });

    // Act
    const error = await failureOf(modelAt(fake.url).generate(requestWith()));

    // Assess
    expect(error.kind).toBe('server');
    expect(error.status).toBe(503);
    expect(error.message).toContain('ServiceUnavailableException');
    expect(fake.server.requests).toHaveLength(1);
  });

  it('reports a 200 reply whose body is not JSON as a (retryable) server error', async () => {
    // Prepare
    const fake = await fakeBedrock({ respond: () => ({ fault: 'malformed' }) });

    // Act
    const error = await failureOf(modelAt(fake.url).generate(requestWith()));

    // Assess
    expect(error.kind).toBe('server');
    expect(error.retryable).toBe(true);
  });

  it('reports a rejected request (400 ValidationException) as a client error with the service message', async () => {
    // Prepare
    const fake = await fakeBedrock();

    // Act
    const error = await failureOf(modelAt(fake.url).generate(requestWith({ maxTokens: 0 })));

    // Assess
    expect(error.kind).toBe('client');
    expect(error.status).toBe(400);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('maxTokens must be a positive integer');
  });

  it('maps a reply cut at max_tokens to stop reason max-tokens with the partial text', async () => {
    // Prepare
    const fake = await fakeBedrock({ respond: () => ({ fault: 'truncated', partialText: '{"title":"Connection po' }) });

    // Act
    const response = await modelAt(fake.url).generate(requestWith());

    // Assess
    expect(response.stopReason).toBe('max-tokens');
    expect(response.text).toBe('{"title":"Connection po');
    expect(response.usage.outputTokens).toBe(800);
  });

  it('reports a reply slower than requestTimeoutMillis as a timeout', async () => {
    // Prepare
    const fake = await fakeBedrock({ respond: () => ({ toolInput: {}, delayMillis: 5_000 }) });
    const model = modelAt(fake.url, { requestTimeoutMillis: 100 });

    // Act
    const error = await failureOf(model.generate(requestWith()));

    // Assess
    expect(error.kind).toBe('timeout');
    expect(error.message).toContain('100 ms');
  });

  it('reports a call aborted by the caller as a timeout that names the caller', async () => {
    // Prepare
    const fake = await fakeBedrock({ respond: () => ({ toolInput: {}, delayMillis: 5_000 }) });
    const controller = new AbortController();

    // Act
    const pending = modelAt(fake.url).generate(requestWith(), controller.signal);
    setTimeout(() => controller.abort(), 50);
    const error = await failureOf(pending);

    // Assess
    expect(error.kind).toBe('timeout');
    expect(error.message).toContain('aborted by the caller');
  });

  it('reports a refused connection as a network error', async () => {
    // Prepare: a port that was just free
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    // Act
    const error = await failureOf(modelAt(`http://127.0.0.1:${port}`).generate(requestWith()));

    // Assess
    expect(error.kind).toBe('network');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('asks for a region when none is set or configured', async () => {
    // Prepare
    vi.stubEnv('AWS_REGION', undefined);
    vi.stubEnv('AWS_DEFAULT_REGION', undefined);
    vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/aws-config');
    vi.stubEnv('AWS_PROFILE', 'postmortem-lens-test-none');
    onTestFinished(() => {
      vi.unstubAllEnvs();
    });
    const fake = await fakeBedrock();

    // Act
    const error = await failureOf(modelAt(fake.url, { region: undefined }).generate(requestWith()));

    // Assess
    expect(error.kind).toBe('client');
    expect(error.message).toContain('AWS_REGION');
    expect(fake.server.requests).toHaveLength(0);
  });
});

describe('fake Bedrock server', () => {
  it('rejects an unsigned request with a ValidationException', async () => {
    // Prepare
    const fake = await fakeBedrock();

    // Act
    const reply = await fetch(`${fake.url}/model/${encodeURIComponent(MODEL_ID)}/converse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [], toolConfig: {}, inferenceConfig: { maxTokens: 10 } }),
    });

    // Assess
    expect(reply.status).toBe(400);
    expect(reply.headers.get('x-amzn-errortype')).toMatch(/^ValidationException/);
    expect(await reply.json()).toEqual({ message: expect.stringContaining('Signature Version 4') });
  });

  it('throttles over the request quota and admits again once the window has passed', async () => {
    // Prepare
    const fake = await fakeBedrock({ quota: { requestsPerMinute: 2, tokensPerMinute: 1_000_000, windowMillis: 300 } });
    const model = modelAt(fake.url);

    // Act
    await model.generate(requestWith());
    await model.generate(requestWith());
    const third = await failureOf(model.generate(requestWith()));
    await sleep(350);
    const fourth = await model.generate(requestWith());

    // Assess
    expect(third.kind).toBe('throttled');
    expect(third.message).toContain('Too many requests');
    expect(fourth.stopReason).toBe('tool');
    expect(fake.server.counters).toMatchObject({ requests: 4, throttled: 1 });
  });

  it('reserves maxTokens x outputTokenWeight at request start and settles to the real output at the end', async () => {
    // Prepare: one reservation (input + 800 x 5) fits the 5,000 token quota, two do not
    const fake = await fakeBedrock({
      quota: { requestsPerMinute: 100, tokensPerMinute: 5_000, outputTokenWeight: 5, windowMillis: 60_000 },
      respond: () => ({ toolInput: { title: 't' }, usage: { inputTokens: 50, outputTokens: 20 }, delayMillis: 400 }),
    });
    const model = modelAt(fake.url);

    // Act
    const concurrent = await Promise.allSettled([model.generate(requestWith()), model.generate(requestWith())]);
    const afterSettling = await model.generate(requestWith());

    // Assess
    expect(concurrent.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const rejected = concurrent.find((outcome) => outcome.status === 'rejected');
    expect((rejected?.reason as ModelCallError).kind).toBe('throttled');
    expect((rejected?.reason as ModelCallError).message).toContain('Too many tokens');
    expect(afterSettling.stopReason).toBe('tool');
    expect(fake.server.counters).toMatchObject({ requests: 3, throttled: 1, tokens: 2 * (50 + 20 * 5) });
  });
});
