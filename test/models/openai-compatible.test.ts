import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { extractJsonObject } from '../../src/models/json-extraction.ts';
import type { ModelRequest } from '../../src/models/language-model.ts';
import { ModelCallError } from '../../src/models/language-model.ts';
import {
  createOpenAICompatibleModel,
  HttpModelCallError,
  retryAfterMillisOf,
} from '../../src/models/openai-compatible.ts';
import type { OpenAICompatibleSettings } from '../../src/models/openai-compatible.ts';
import { FakeOpenAIServer } from '../support/fake-openai-server.ts';
import type { FakeOpenAIServerOptions, RunningFakeServer } from '../support/fake-openai-server.ts';

const SUMMARY_SCHEMA = {
  type: 'object',
  properties: { title: { type: 'string' }, rootCause: { type: 'string' } },
  required: ['title', 'rootCause'],
};

function summaryRequest(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    system: 'You summarise incident postmortems.',
    messages: [{ role: 'user', content: 'The cache evicted hot keys and the database fell over.' }],
    tool: { name: 'record_summary', description: 'Record the structured summary.', inputSchema: SUMMARY_SCHEMA },
    maxTokens: 800,
    temperature: 0,
    ...overrides,
  };
}

const running: RunningFakeServer[] = [];

async function serve(options: FakeOpenAIServerOptions = {}): Promise<{ server: FakeOpenAIServer; url: string }> {
  const server = new FakeOpenAIServer(options);
  const started = await server.start();
  running.push(started);
  return { server, url: started.url };
}

function modelAt(url: string, settings: Partial<OpenAICompatibleSettings> = {}) {
  return createOpenAICompatibleModel({ baseUrl: url, modelId: 'qwen2.5-7b-instruct', ...settings });
}

async function callError(promise: Promise<unknown>): Promise<ModelCallError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ModelCallError);
  return error as ModelCallError;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

describe('openai-compatible model: requests', () => {
  it('sends the schema in response_format, max_tokens, temperature and the model id (json-schema mode)', async () => {
    // Prepare
    const { server, url } = await serve({ respond: () => ({ content: '{"title":"Cache","rootCause":"eviction"}' }) });
    const model = modelAt(url);

    // Act
    await model.generate(summaryRequest());

    // Assess
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.path).toBe('/v1/chat/completions');
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
    expect(server.chatRequests[0]).toEqual({
      model: 'qwen2.5-7b-instruct',
      messages: [
        { role: 'system', content: 'You summarise incident postmortems.' },
        { role: 'user', content: 'The cache evicted hot keys and the database fell over.' },
      ],
      max_tokens: 800,
      temperature: 0,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'record_summary', schema: SUMMARY_SCHEMA, strict: false },
      },
    });
    expect(model.provider).toBe('openai-compatible');
    expect(model.modelId).toBe('qwen2.5-7b-instruct');
  });

  it('asks for json_object with the schema, the form llama-server constrains by, and puts the schema in the system prompt (json-object mode)', async () => {
    // Prepare
    const { server, url } = await serve();
    const model = modelAt(url, { structuredOutput: 'json-object' });

    // Act
    await model.generate(summaryRequest());

    // Assess
    const body = server.chatRequests[0];
    expect(body?.response_format).toEqual({ type: 'json_object', schema: SUMMARY_SCHEMA });
    expect(body?.messages?.[0]?.content).toContain('You summarise incident postmortems.');
    expect(body?.messages?.[0]?.content).toContain(JSON.stringify(SUMMARY_SCHEMA));
  });

  it('sends no response_format and instructs through the system prompt (text mode)', async () => {
    // Prepare
    const { server, url } = await serve({ respond: () => ({ content: '{"title":"t","rootCause":"r"}' }) });
    const model = modelAt(url, { structuredOutput: 'text' });

    // Act
    const response = await model.generate(summaryRequest());

    // Assess
    const body = server.chatRequests[0];
    expect(body).not.toHaveProperty('response_format');
    expect(body?.messages?.[0]?.content).toContain(JSON.stringify(SUMMARY_SCHEMA));
    expect(body?.messages?.[0]?.content).toContain('record_summary');
    expect(response.warnings).toEqual([]);
  });

  it('sends the API key as a bearer token', async () => {
    // Prepare
    const { server, url } = await serve({ apiKey: 'sk-local-123', respond: () => ({ content: '{"ok":true}' }) });
    const model = modelAt(`${url}/`, { apiKey: 'sk-local-123' });

    // Act
    const response = await model.generate(summaryRequest());

    // Assess
    expect(server.requests[0]?.headers.authorization).toBe('Bearer sk-local-123');
    expect(response.toolInput).toEqual({ ok: true });
  });
});

describe('openai-compatible model: replies', () => {
  it('parses the content into toolInput, keeps the raw text and maps usage', async () => {
    // Prepare
    const content = '{"title":"Cache eviction storm","rootCause":"memory limit"}';
    const usage = { prompt_tokens: 120, completion_tokens: 30, prompt_tokens_details: { cached_tokens: 20 } };
    const { url } = await serve({ respond: () => ({ content, usage }) });

    // Act
    const response = await modelAt(url).generate(summaryRequest());

    // Assess
    expect(response.text).toBe(content);
    expect(response.toolInput).toEqual({ title: 'Cache eviction storm', rootCause: 'memory limit' });
    expect(response.stopReason).toBe('end');
    expect(response.usage).toEqual({ inputTokens: 100, outputTokens: 30, cacheReadTokens: 20, cacheWriteTokens: 0 });
    expect(response.warnings).toEqual([]);
    expect(response.latencyMillis).toBeGreaterThanOrEqual(0);
  });

  it('reports zero usage when the server sends none', async () => {
    // Prepare
    const { url } = await serve({ respond: () => ({ content: '{}', usage: null }) });

    // Act
    const response = await modelAt(url).generate(summaryRequest());

    // Assess
    expect(response.usage).toEqual({ inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 });
  });

  it.each([
    ['a ```json fence', 'Here is the summary:\n```json\n{"title":"t","rootCause":"r"}\n```\nDone.'],
    ['prose around the object', 'Sure! {"title":"t","rootCause":"r"} Let me know if you need more.'],
    [
      'a <think> block first',
      '<think>The user wants {"title": ...}. Let me draft it.</think>\n{"title":"t","rootCause":"r"}',
    ],
  ])('extracts the object from %s', async (_shape, content) => {
    // Prepare
    const { url } = await serve({ respond: () => ({ content }) });

    // Act
    const response = await modelAt(url).generate(summaryRequest());

    // Assess
    expect(response.toolInput).toEqual({ title: 't', rootCause: 'r' });
    expect(response.text).toBe(content);
  });

  it('leaves toolInput unset and keeps the text when there is no JSON', async () => {
    // Prepare
    const { url } = await serve({ respond: () => ({ content: 'I cannot summarise this document.' }) });

    // Act
    const response = await modelAt(url).generate(summaryRequest());

    // Assess
    expect(response).not.toHaveProperty('toolInput');
    expect(response.text).toBe('I cannot summarise this document.');
  });

  it.each([
    ['length', 'max-tokens'],
    ['stop', 'end'],
    ['tool_calls', 'tool'],
    ['content_filter', 'other'],
  ])('maps finish_reason %s to stopReason %s', async (finishReason, stopReason) => {
    // Prepare
    const { url } = await serve({ respond: () => ({ content: '{"title":"cut', finishReason }) });

    // Act
    const response = await modelAt(url).generate(summaryRequest());

    // Assess
    expect(response.stopReason).toBe(stopReason);
  });
});

describe('openai-compatible model: fallback to text mode', () => {
  it('retries without response_format when the server rejects it, and warns', async () => {
    // Prepare
    const { server, url } = await serve({
      rejectResponseFormat: true,
      respond: () => ({ content: '{"title":"t","rootCause":"r"}' }),
    });
    const model = modelAt(url);

    // Act
    const response = await model.generate(summaryRequest());

    // Assess
    expect(server.chatRequests).toHaveLength(2);
    expect(server.chatRequests[0]?.response_format?.type).toBe('json_schema');
    const retry = server.chatRequests[1];
    expect(retry).not.toHaveProperty('response_format');
    expect(retry?.messages?.[0]?.content).toContain(JSON.stringify(SUMMARY_SCHEMA));
    expect(response.toolInput).toEqual({ title: 't', rootCause: 'r' });
    expect(response.warnings).toHaveLength(1);
    expect(response.warnings[0]).toMatch(/response_format/);
    expect(response.warnings[0]).toMatch(/text mode/);
  });

  it('stays in text mode for the rest of the model life', async () => {
    // Prepare
    const { server, url } = await serve({ rejectResponseFormat: true, respond: () => ({ content: '{"n":1}' }) });
    const model = modelAt(url);
    await model.generate(summaryRequest());

    // Act
    const second = await model.generate(summaryRequest());

    // Assess
    expect(server.chatRequests).toHaveLength(3);
    expect(server.chatRequests[2]).not.toHaveProperty('response_format');
    expect(second.toolInput).toEqual({ n: 1 });
    expect(second.warnings).toHaveLength(1);
  });

  it('falls back from json-object mode too', async () => {
    // Prepare
    const { server, url } = await serve({ rejectResponseFormat: true, respond: () => ({ content: '{"n":2}' }) });

    // Act
    const response = await modelAt(url, { structuredOutput: 'json-object' }).generate(summaryRequest());

    // Assess
    expect(server.chatRequests.map((body) => body.response_format?.type)).toEqual(['json_object', undefined]);
    expect(response.toolInput).toEqual({ n: 2 });
  });
});

describe('openai-compatible model: errors', () => {
  it('maps 429 to throttled and exposes Retry-After', async () => {
    // Prepare
    const { url } = await serve({ respond: () => ({ fault: 'throttle', retryAfterSeconds: 3 }) });

    // Act
    const error = await callError(modelAt(url).generate(summaryRequest()));

    // Assess
    expect(error.kind).toBe('throttled');
    expect(error.status).toBe(429);
    expect(error.retryable).toBe(true);
    expect(error).toBeInstanceOf(HttpModelCallError);
    expect(retryAfterMillisOf(error)).toBe(3000);
  });

  it('maps 500 to server', async () => {
    // Prepare
    const { url } = await serve({ respond: () => ({ fault: 'server' }) });

    // Act
    const error = await callError(modelAt(url).generate(summaryRequest()));

    // Assess
    expect(error.kind).toBe('server');
    expect(error.status).toBe(500);
    expect(error.message).toContain('The model crashed while generating.');
    expect(retryAfterMillisOf(error)).toBeUndefined();
  });

  it('maps a malformed 200 body to server', async () => {
    // Prepare
    const { url } = await serve({ respond: () => ({ fault: 'malformed' }) });

    // Act
    const error = await callError(modelAt(url).generate(summaryRequest()));

    // Assess
    expect(error.kind).toBe('server');
    expect(error.message).toMatch(/malformed/);
    expect(error.message).not.toContain('chatcmpl-broken');
  });

  it('never quotes a reply it cannot read', async () => {
    // Prepare: a proxy answering 200 with the model's text instead of a completion
    const fetchStub: typeof fetch = async () =>
      new Response('Jane Doe restarted the primary at 14:02; card 4111 1111 1111 1111', { status: 200 });
    const model = createOpenAICompatibleModel({ baseUrl: 'http://127.0.0.1:9/v1', modelId: 'm', fetch: fetchStub });

    // Act
    const error = await callError(model.generate(summaryRequest()));

    // Assess
    expect(error.kind).toBe('server');
    expect(error.message).toMatch(/malformed reply \(not JSON, \d+ characters\)/);
    expect(error.message).not.toMatch(/Jane|4111|primary/);
  });

  it('does not echo the prompt from a server error message', async () => {
    // Prepare: the fake server answers 500 with whatever respond() throws, here the prompt itself
    const planted =
      'Escalated to jane.doe@example.com (card 4111 1111 1111 1111) after Kenji Watanabe restarted the primary';
    const { url } = await serve({
      respond: (body) => {
        throw new Error(`could not process: ${body.messages?.at(-1)?.content ?? ''}`);
      },
    });

    // Act
    const error = await callError(
      modelAt(url).generate(summaryRequest({ messages: [{ role: 'user', content: planted }] })),
    );

    // Assess
    expect(error.kind).toBe('server');
    expect(error.message).toContain('HTTP 500');
    expect(error.message).toContain('could not process');
    for (const fragment of ['jane.doe', 'example.com', '4111', 'Kenji', 'Watanabe', 'restarted the primary'])
      expect(error.message).not.toContain(fragment);
  });

  it('keeps only msg, type and loc of a FastAPI-style detail, never its input', async () => {
    // Prepare
    const planted = 'Customer jane.doe@example.com paid with card 4111 1111 1111 1111';
    const fetchStub: typeof fetch = async (_url, init) => {
      const sent = JSON.parse(String(init?.body)) as { messages: Array<{ content: string }> };
      const detail = [
        {
          type: 'string_too_long',
          loc: ['body', 'messages', 1, 'content'],
          msg: 'String should have at most 10 characters',
          input: sent.messages[1]?.content,
        },
      ];
      return new Response(JSON.stringify({ detail }), { status: 400, headers: { 'content-type': 'application/json' } });
    };
    const model = createOpenAICompatibleModel({
      baseUrl: 'http://127.0.0.1:9/v1',
      modelId: 'm',
      fetch: fetchStub,
      structuredOutput: 'text',
    });

    // Act
    const error = await callError(model.generate(summaryRequest({ messages: [{ role: 'user', content: planted }] })));

    // Assess
    expect(error.kind).toBe('client');
    expect(error.message).toContain('body.messages.1.content: String should have at most 10 characters');
    expect(error.message).not.toMatch(/jane|4111|Customer/);
  });

  it('cuts a string detail that echoes the prompt, and scrubs what is left', async () => {
    // Prepare
    const planted = 'Our on-call Priya Raman saw jane.doe@example.com (card 4111 1111 1111 1111) in the logs';
    const fetchStub: typeof fetch = async (_url, init) => {
      const sent = JSON.parse(String(init?.body)) as { messages: Array<{ content: string }> };
      return new Response(
        JSON.stringify({
          detail: `Prompt rejected by moderation: ${sent.messages[1]?.content} / contact admin@llm.example.org`,
        }),
        { status: 422 },
      );
    };
    const model = createOpenAICompatibleModel({
      baseUrl: 'http://127.0.0.1:9/v1',
      modelId: 'm',
      fetch: fetchStub,
      structuredOutput: 'text',
    });

    // Act
    const error = await callError(model.generate(summaryRequest({ messages: [{ role: 'user', content: planted }] })));

    // Assess
    expect(error.message).toContain('Prompt rejected by moderation');
    expect(error.message).not.toMatch(/Priya|Raman|jane\.doe|4111|admin@llm/);
    expect(error.message.length).toBeLessThan(260);
  });

  it('maps a reply slower than the timeout to timeout', async () => {
    // Prepare
    const { url } = await serve({ respond: () => ({ content: '{}', delayMillis: 30_000 }) });
    const model = modelAt(url, { requestTimeoutMillis: 100 });

    // Act
    const error = await callError(model.generate(summaryRequest()));

    // Assess
    expect(error.kind).toBe('timeout');
    expect(error.retryable).toBe(true);
  });

  it('maps a caller abort to timeout', async () => {
    // Prepare
    const { url } = await serve({ respond: () => ({ content: '{}', delayMillis: 30_000 }) });
    const controller = new AbortController();
    const pending = modelAt(url).generate(summaryRequest(), controller.signal);

    // Act
    controller.abort();
    const error = await callError(pending);

    // Assess
    expect(error.kind).toBe('timeout');
    expect(error.message).toMatch(/aborted/);
  });

  it('maps a refused connection to network', async () => {
    // Prepare: a port that was just free and is closed again
    const closedUrl = await closedPortUrl();

    // Act
    const error = await callError(modelAt(closedUrl).generate(summaryRequest()));

    // Assess
    expect(error.kind).toBe('network');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('maps a reset connection to network', async () => {
    // Prepare
    const resetting: typeof fetch = () =>
      Promise.reject(
        new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) }),
      );
    const model = modelAt('http://127.0.0.1:9/v1', { fetch: resetting });

    // Act
    const error = await callError(model.generate(summaryRequest()));

    // Assess
    expect(error.kind).toBe('network');
    expect(error.message).toContain('ECONNRESET');
  });

  it('maps 401 with a wrong key to client with the server message', async () => {
    // Prepare
    const { url } = await serve({ apiKey: 'sk-right' });

    // Act
    const error = await callError(modelAt(url, { apiKey: 'sk-wrong' }).generate(summaryRequest()));

    // Assess
    expect(error.kind).toBe('client');
    expect(error.status).toBe(401);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('Incorrect API key provided.');
  });

  it('refuses an empty base URL or model id', () => {
    // Prepare
    const settings = { baseUrl: ' ', modelId: 'm' };

    // Act
    const build = () => createOpenAICompatibleModel(settings);

    // Assess
    expect(build).toThrow(/baseUrl/);
    expect(() => createOpenAICompatibleModel({ baseUrl: 'http://x/v1', modelId: '' })).toThrow(/modelId/);
  });
});

describe('fake OpenAI server', () => {
  it('lists models and checks the key on /v1/models', async () => {
    // Prepare
    const { url } = await serve({ apiKey: 'k', models: ['a', 'b'] });

    // Act
    const refused = await fetch(`${url}/models`);
    const listed = await fetch(`${url}/models`, { headers: { authorization: 'Bearer k' } });

    // Assess
    expect(refused.status).toBe(401);
    expect(((await listed.json()) as { data: Array<{ id: string }> }).data.map((model) => model.id)).toEqual([
      'a',
      'b',
    ]);
  });
});

describe('extractJsonObject', () => {
  it.each([
    ['plain JSON', '{"a":1}', { a: 1 }],
    ['plain JSON with whitespace', '\n  {"a": {"b": [1, 2]}}  \n', { a: { b: [1, 2] } }],
    ['a fenced block without language', 'Result:\n```\n{"a":1}\n```', { a: 1 }],
    ['a ```json fence', '```json\n{"a":1}\n```', { a: 1 }],
    [
      'braces inside strings',
      'Answer: {"text":"use } and { freely","n":"{}"} ok',
      { text: 'use } and { freely', n: '{}' },
    ],
    ['escaped quotes inside strings', 'x {"q":"say \\"}\\" now"} y', { q: 'say "}" now' }],
    ['multiple objects: the first complete one', '{"first":1} and then {"second":2}', { first: 1 }],
    ['an invalid candidate before a valid one', 'Pick {one, two} from {"a":1}', { a: 1 }],
    ['an unclosed candidate before a valid one', 'Broken { start... then {"a":1}', { a: 1 }],
    ['a <think> block with a draft object', '<think>maybe {"a":0}?</think>{"a":1}', { a: 1 }],
    ['a closing </think> only (template opened it)', 'drafting {"a":0}\n</think>\n\n{"a":2}', { a: 2 }],
    ['reasoning in upper case', '<THINK>{"a":0}</THINK> {"a":3}', { a: 3 }],
  ])('finds the object in %s', (_case, text, expected) => {
    // Prepare: the text above

    // Act
    const found = extractJsonObject(text);

    // Assess
    expect(found).toEqual(expected);
  });

  it.each([
    ['no JSON at all', 'The root cause was a bad deploy.'],
    ['an empty string', ''],
    ['a top-level array', '["a", "b"]'],
    ['a truncated object', '{"title":"Cache eviction storm","rootCause":"the cache hit its mem'],
    ['only reasoning (unclosed <think>)', '<think>I will answer {"a":1} once I am sure'],
    ['a bare string', '"just a string"'],
  ])('returns undefined for %s', (_case, text) => {
    // Prepare: the text above

    // Act
    const found = extractJsonObject(text);

    // Assess
    expect(found).toBeUndefined();
  });
});

async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1`;
}
