/**
 * A fake OpenAI-compatible server for tests: node:http on 127.0.0.1, a free port, speaking
 * POST /v1/chat/completions and GET /v1/models. It records every request, checks the bearer
 * key when configured (401 otherwise), and answers with whatever `respond` returns, including
 * faults, delays, and the 400 that servers without JSON-schema support send.
 */
import http from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The parsed body of a chat completion request, as the client sent it. */
export interface ChatCompletionRequestBody {
  model?: string;
  messages?: Array<{ role: string; content: string }>;
  max_tokens?: number;
  temperature?: number;
  response_format?: { type?: string; json_schema?: { name?: string; schema?: unknown; strict?: boolean } };
  [field: string]: unknown;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The JSON body, or undefined when there was none or it did not parse. */
  body: ChatCompletionRequestBody | undefined;
}

export interface FakeUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number };
}

export interface FakeCompletion {
  content: string;
  /** Default 'stop'. */
  finishReason?: string;
  /** Sent as is; null omits `usage` from the reply; default a rough count. */
  usage?: FakeUsage | null;
  /** Wait this long before answering. */
  delayMillis?: number;
}

export interface FakeFault {
  /** throttle: 429 with Retry-After; server: 500; malformed: 200 with a truncated JSON body. */
  fault: 'throttle' | 'server' | 'malformed';
  /** The Retry-After header of a throttle, in seconds; default 2. */
  retryAfterSeconds?: number;
  delayMillis?: number;
}

export type FakeReply = FakeCompletion | FakeFault;

export interface FakeOpenAIServerOptions {
  /** When set, every request must carry `Authorization: Bearer <apiKey>` (401 otherwise). */
  apiKey?: string;
  /** The reply to each chat completion; default `{ content: '{}' }`. */
  respond?: (request: ChatCompletionRequestBody) => FakeReply | Promise<FakeReply>;
  /** Answer 400 to any request with a non-text `response_format`, like servers without JSON-schema support. */
  rejectResponseFormat?: boolean;
  /** The ids listed by GET /v1/models; default ['fake-model']. */
  models?: string[];
}

export interface RunningFakeServer {
  /** The API root, e.g. http://127.0.0.1:43121/v1. */
  url: string;
  close(): Promise<void>;
}

export class FakeOpenAIServer {
  /** Every request received, in order. */
  readonly requests: RecordedRequest[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private completions = 0;

  constructor(readonly options: FakeOpenAIServerOptions = {}) {}

  /** The bodies of the chat completion requests received, in order. */
  get chatRequests(): ChatCompletionRequestBody[] {
    return this.requests
      .filter((request) => request.path === '/v1/chat/completions')
      .map((request) => request.body ?? {});
  }

  async start(): Promise<RunningFakeServer> {
    const server = http.createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) =>
        sendJson(response, 500, errorBody(String(error), 'server_error')),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}/v1`,
      close: () => this.close(server),
    };
  }

  private async close(server: http.Server): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const text = await readBody(request);
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const body = parseBody(text);
    this.requests.push({ method: request.method ?? 'GET', path, headers: request.headers, body });

    if (!this.authorized(request.headers)) {
      sendJson(response, 401, errorBody('Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key'));
    } else if (request.method === 'GET' && path === '/v1/models') {
      sendJson(response, 200, {
        object: 'list',
        data: (this.options.models ?? ['fake-model']).map((id) => ({ id, object: 'model', owned_by: 'fake' })),
      });
    } else if (request.method === 'POST' && path === '/v1/chat/completions') {
      await this.completeChat(body, response);
    } else {
      sendJson(response, 404, errorBody(`No route for ${request.method} ${path}`, 'invalid_request_error'));
    }
  }

  private authorized(headers: IncomingHttpHeaders): boolean {
    return this.options.apiKey === undefined || headers.authorization === `Bearer ${this.options.apiKey}`;
  }

  private async completeChat(body: ChatCompletionRequestBody | undefined, response: ServerResponse): Promise<void> {
    if (!body) {
      sendJson(response, 400, errorBody('The request body is not valid JSON.', 'invalid_request_error'));
      return;
    }
    const format = body.response_format?.type;
    if (this.options.rejectResponseFormat && format !== undefined && format !== 'text') {
      sendJson(
        response,
        400,
        errorBody(`response_format type must be "text", but got: ${format}`, 'invalid_request_error'),
      );
      return;
    }
    const reply: FakeReply = this.options.respond ? await this.options.respond(body) : { content: '{}' };
    if (reply.delayMillis) await this.sleep(reply.delayMillis);
    if (response.destroyed) return;
    if ('fault' in reply) this.sendFault(reply, response);
    else sendJson(response, 200, this.completion(body, reply));
  }

  private sendFault(reply: FakeFault, response: ServerResponse): void {
    switch (reply.fault) {
      case 'throttle':
        sendJson(response, 429, errorBody('Rate limit reached, please slow down.', 'rate_limit_error'), {
          'retry-after': String(reply.retryAfterSeconds ?? 2),
        });
        return;
      case 'server':
        sendJson(response, 500, errorBody('The model crashed while generating.', 'server_error'));
        return;
      case 'malformed':
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"id":"chatcmpl-broken","choices":[{"message":{"content":"{\\"a\\"');
        return;
    }
  }

  private completion(body: ChatCompletionRequestBody, reply: FakeCompletion): Record<string, unknown> {
    this.completions++;
    const result: Record<string, unknown> = {
      id: `chatcmpl-${this.completions}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model ?? 'fake-model',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: reply.content },
          finish_reason: reply.finishReason ?? 'stop',
        },
      ],
    };
    if (reply.usage !== null) result.usage = reply.usage ?? roughUsage(body, reply.content);
    return result;
  }

  /** A delay that close() cancels, so a test of a slow reply does not hold the server open. */
  private sleep(millis: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, millis);
      this.timers.add(timer);
    });
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function parseBody(text: string): ChatCompletionRequestBody | undefined {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as ChatCompletionRequestBody;
  } catch {
    return undefined;
  }
}

function errorBody(message: string, type: string, code: string | null = null): Record<string, unknown> {
  return { error: { message, type, param: null, code } };
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

function roughUsage(body: ChatCompletionRequestBody, content: string): FakeUsage {
  const promptChars = (body.messages ?? []).reduce((sum, message) => sum + String(message.content).length, 0);
  const prompt_tokens = Math.ceil(promptChars / 4);
  const completion_tokens = Math.ceil(content.length / 4);
  return { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens };
}
