/**
 * A local Bedrock Runtime that speaks Converse (`POST /model/<modelId>/converse`, AWS restJson1),
 * for tests and benchmarks of the Bedrock provider through the real SDK client.
 *
 * Protocol: one TCP listener on 127.0.0.1 serves both HTTP/1.1 (a client given
 * `requestHandler: new NodeHttpHandler()`) and cleartext HTTP/2 with prior knowledge (the SDK's
 * default NodeHttp2Handler for bedrock-runtime): the first bytes of a connection tell them apart
 * (an HTTP/2 connection opens with the `PRI * HTTP/2.0` preface).
 *
 * Every request is recorded. A request must be SigV4-signed (`Authorization: AWS4-HMAC-SHA256
 * Credential=...` and `x-amz-date`), carry a JSON body with `inferenceConfig.maxTokens`, and a
 * `toolConfig` whose tool has `inputSchema.json` and is forced by `toolChoice.tool.name`; otherwise
 * it gets Bedrock's error shape: status 400, header `x-amzn-errortype: ValidationException:...`, body
 * `{"message": "..."}`. Answers come from `respond(request)`.
 *
 * Optional quota (like Bedrock's on-demand quotas): over a sliding window (`windowMillis`, 60 s by
 * default) it admits at most `requestsPerMinute` requests and `tokensPerMinute` tokens. A request is
 * charged input + maxTokens x outputTokenWeight when it starts, settled to input + output x weight
 * when it ends; over quota it is answered 429 ThrottlingException. `latency(input, output)` adds a
 * model-like delay to each admitted answer.
 */
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { randomUUID } from 'node:crypto';

export interface ReplyUsage {
  inputTokens?: number;
  outputTokens?: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
}

/** What the fake model does with one request; `delayMillis` delays any reply before it is sent. */
export type Reply = (
  | { toolInput: unknown; stopReason?: string; usage?: ReplyUsage }
  | { text: string; stopReason?: string; usage?: ReplyUsage }
  | { fault: 'throttle' }
  | { fault: 'server' }
  | { fault: 'malformed' }
  | { fault: 'truncated'; partialText: string; usage?: ReplyUsage }
) & { delayMillis?: number };

/** The Converse request body as the SDK sends it (modelId is in the path, not the body). */
export interface ConverseRequestBody {
  system?: Array<{ text?: string; cachePoint?: { type: string } }>;
  messages?: Array<{ role: string; content: Array<{ text?: string }> }>;
  toolConfig?: {
    tools?: Array<{ toolSpec?: { name: string; description?: string; inputSchema?: { json?: unknown } } }>;
    toolChoice?: { tool?: { name: string }; any?: object; auto?: object };
  };
  inferenceConfig?: { maxTokens?: number; temperature?: number };
  [key: string]: unknown;
}

export interface RecordedRequest {
  modelId: string;
  body: ConverseRequestBody;
  headers: Record<string, string | string[] | undefined>;
  httpVersion: string;
}

export interface QuotaOptions {
  requestsPerMinute: number;
  tokensPerMinute: number;
  /** How much one output token weighs against the token quota (5 for Claude Sonnet 4). Default 1. */
  outputTokenWeight?: number;
  /** Weight of maxTokens in the reservation at request start. Default outputTokenWeight; Bedrock reserves input + maxTokens, i.e. 1. */
  reservedOutputWeight?: number;
  /** Extra delay of each admitted answer, from its input and output tokens. */
  latency?: (inputTokens: number, outputTokens: number) => number;
  /** The sliding window's length: 60,000 on Bedrock, shorter to scale time down. */
  windowMillis?: number;
}

export interface FakeBedrockCounters {
  /** Converse requests received, valid or not. */
  requests: number;
  /** Requests answered 429 (over quota, or a scripted throttle). */
  throttled: number;
  /** Tokens charged to the quota, as settled (input + output x weight). */
  tokens: number;
  inputTokens: number;
  outputTokens: number;
}

export interface FakeBedrockOptions {
  respond?: (request: RecordedRequest) => Reply | Promise<Reply>;
  quota?: QuotaOptions;
}

interface QuotaEntry {
  at: number;
  tokens: number;
}

type SettledUsage = ReplyUsage & { inputTokens: number; outputTokens: number };

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

type AnyRequest = http.IncomingMessage | http2.Http2ServerRequest;
interface AnyResponse {
  writeHead(status: number, headers: Record<string, string>): unknown;
  end(body: string): unknown;
}

const ERROR_TYPE_SUFFIX = ':http://internal.amazon.com/coral/com.amazon.bedrock/';

/** Rough token count of a text, as Bedrock quotas see it: about four characters a token. */
function tokensOf(text: string): number {
  return Math.ceil(text.length / 4);
}

function errorAnswer(status: number, type: string, message: string): Answer {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': `${type}${ERROR_TYPE_SUFFIX}` },
    body: JSON.stringify({ message }),
  };
}

function isSigned(headers: RecordedRequest['headers']): boolean {
  const authorization = headers.authorization;
  return (
    typeof authorization === 'string' &&
    authorization.startsWith('AWS4-HMAC-SHA256 Credential=') &&
    typeof headers['x-amz-date'] === 'string'
  );
}

/** Why a Converse body is not what the provider must send, or undefined when it is. */
function invalidBody(body: ConverseRequestBody): string | undefined {
  const tools = body.toolConfig?.tools ?? [];
  if (tools.length === 0) return 'toolConfig.tools is required: the output must come through a forced tool';
  const spec = tools[0]?.toolSpec;
  const schema = spec?.inputSchema?.json;
  if (!spec || schema === null || typeof schema !== 'object')
    return 'toolConfig.tools[0].toolSpec.inputSchema.json must be a JSON schema object';
  const forced = body.toolConfig?.toolChoice?.tool?.name;
  if (forced === undefined || !tools.some((tool) => tool.toolSpec?.name === forced))
    return 'toolConfig.toolChoice.tool.name must name one of the tools';
  const maxTokens = body.inferenceConfig?.maxTokens;
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1)
    return 'inferenceConfig.maxTokens must be a positive integer';
  return undefined;
}

function inputTokensOf(body: ConverseRequestBody): number {
  const system = (body.system ?? []).map((block) => block.text ?? '').join('');
  const messages = (body.messages ?? [])
    .flatMap((message) => message.content.map((block) => block.text ?? ''))
    .join('');
  return tokensOf(system) + tokensOf(messages) + tokensOf(JSON.stringify(body.toolConfig?.tools ?? []));
}

export class FakeBedrockServer {
  /** Every Converse request received, in order. */
  readonly requests: RecordedRequest[] = [];
  readonly counters: FakeBedrockCounters = { requests: 0, throttled: 0, tokens: 0, inputTokens: 0, outputTokens: 0 };
  /** Replace at any time to script the next answers. */
  respond: (request: RecordedRequest) => Reply | Promise<Reply>;
  private readonly quota: QuotaOptions | undefined;
  private readonly window: QuotaEntry[] = [];
  private readonly sockets = new Set<net.Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private toolUseCount = 0;

  constructor(options: FakeBedrockOptions = {}) {
    this.respond = options.respond ?? (() => ({ toolInput: {} }));
    this.quota = options.quota;
  }

  async start(): Promise<{ url: string; close(): Promise<void> }> {
    const handler = (request: AnyRequest, response: AnyResponse): void => {
      this.handle(request)
        .then((answer) => {
          response.writeHead(answer.status, { 'x-amzn-requestid': randomUUID(), ...answer.headers });
          response.end(answer.body);
        })
        .catch((error: unknown) => {
          const answer = errorAnswer(500, 'InternalServerException', `fake Bedrock failed: ${String(error)}`);
          response.writeHead(answer.status, answer.headers);
          response.end(answer.body);
        });
    };
    const h1 = http.createServer(handler);
    const h2 = http2.createServer(handler);
    const tcp = net.createServer((socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.once('data', (chunk: Buffer) => {
        socket.pause();
        socket.unshift(chunk);
        (chunk.subarray(0, 3).toString('latin1') === 'PRI' ? h2 : h1).emit('connection', socket);
        process.nextTick(() => socket.resume());
      });
    });
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    const { port } = tcp.address() as net.AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      close: async () => {
        for (const timer of this.timers) clearTimeout(timer);
        this.timers.clear();
        const closed = new Promise<void>((resolve) => tcp.close(() => resolve()));
        for (const socket of this.sockets) socket.destroy();
        await closed;
      },
    };
  }

  private async handle(request: AnyRequest): Promise<Answer> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(Buffer.from(chunk as Uint8Array));
    const match = /^\/model\/([^/]+)\/converse$/.exec((request.url ?? '').split('?')[0] ?? '');
    if (request.method !== 'POST' || !match?.[1])
      return errorAnswer(404, 'UnknownOperationException', `no such operation: ${request.method} ${request.url}`);
    this.counters.requests += 1;
    const headers = { ...request.headers } as RecordedRequest['headers'];
    let body: ConverseRequestBody;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ConverseRequestBody;
    } catch {
      body = {};
    }
    const recorded: RecordedRequest = {
      modelId: decodeURIComponent(match[1]),
      body,
      headers,
      httpVersion: request.httpVersion,
    };
    this.requests.push(recorded);
    if (!isSigned(headers))
      return errorAnswer(400, 'ValidationException', 'The request is not signed with AWS Signature Version 4.');
    const invalid = invalidBody(body);
    if (invalid) return errorAnswer(400, 'ValidationException', invalid);

    const maxTokens = body.inferenceConfig?.maxTokens ?? 0;
    const estimatedInput = inputTokensOf(body);
    const entry = this.admit(estimatedInput, maxTokens);
    if (typeof entry === 'string') {
      this.counters.throttled += 1;
      return errorAnswer(429, 'ThrottlingException', entry);
    }

    const reply = await this.respond(recorded);
    const { answer, usage } = this.answer(reply, body, estimatedInput, maxTokens);
    const latency = usage && this.quota?.latency ? this.quota.latency(usage.inputTokens, usage.outputTokens) : 0;
    await this.sleep((reply.delayMillis ?? 0) + latency);
    // Settled when the answer leaves: until then the request holds its full reservation.
    if (usage) {
      this.counters.inputTokens += usage.inputTokens;
      this.counters.outputTokens += usage.outputTokens;
    }
    if (entry) {
      if (usage) this.settle(entry, usage.inputTokens, usage.outputTokens);
      else this.window.splice(this.window.indexOf(entry), 1);
    }
    if (answer.status === 429) this.counters.throttled += 1;
    return answer;
  }

  /** Charge a request to the quota: its entry, a throttle message when over quota, or null without a quota. */
  private admit(inputTokens: number, maxTokens: number): QuotaEntry | string | null {
    const quota = this.quota;
    if (!quota) return null;
    const now = Date.now();
    const windowMillis = quota.windowMillis ?? 60_000;
    while (this.window.length > 0 && (this.window[0]?.at ?? now) <= now - windowMillis) this.window.shift();
    if (this.window.length >= quota.requestsPerMinute) return 'Too many requests, please wait before trying again.';
    const reserved = inputTokens + maxTokens * (quota.reservedOutputWeight ?? quota.outputTokenWeight ?? 1);
    const used = this.window.reduce((sum, item) => sum + item.tokens, 0);
    if (used + reserved > quota.tokensPerMinute) return 'Too many tokens, please wait before trying again.';
    const entry = { at: now, tokens: reserved };
    this.window.push(entry);
    return entry;
  }

  private settle(entry: QuotaEntry, inputTokens: number, outputTokens: number): void {
    entry.tokens = inputTokens + outputTokens * (this.quota?.outputTokenWeight ?? 1);
    this.counters.tokens += entry.tokens;
  }

  /** The HTTP answer for a reply, with the usage it reports (none for faults the model never served). */
  private answer(
    reply: Reply,
    body: ConverseRequestBody,
    estimatedInput: number,
    maxTokens: number,
  ): { answer: Answer; usage?: SettledUsage } {
    if ('fault' in reply && reply.fault === 'throttle')
      return { answer: errorAnswer(429, 'ThrottlingException', 'Too many requests, please wait before trying again.') };
    if ('fault' in reply && reply.fault === 'server')
      return { answer: errorAnswer(503, 'ServiceUnavailableException', 'Bedrock is unable to process your request.') };
    if ('fault' in reply && reply.fault === 'malformed') {
      const usage = { inputTokens: estimatedInput, outputTokens: 0 };
      return {
        answer: {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: '<html><body>502 Bad Gateway</body></html>',
        },
        usage,
      };
    }
    let content: unknown[];
    let stopReason: string;
    let replyUsage: ReplyUsage | undefined;
    let outputText: string;
    if ('fault' in reply) {
      content = [{ text: reply.partialText }];
      stopReason = 'max_tokens';
      replyUsage = { outputTokens: maxTokens, ...reply.usage };
      outputText = reply.partialText;
    } else if ('toolInput' in reply) {
      this.toolUseCount += 1;
      const name = body.toolConfig?.toolChoice?.tool?.name ?? 'tool';
      content = [{ toolUse: { toolUseId: `tooluse_fake${this.toolUseCount}`, name, input: reply.toolInput } }];
      stopReason = reply.stopReason ?? 'tool_use';
      replyUsage = reply.usage;
      outputText = JSON.stringify(reply.toolInput) ?? '';
    } else {
      content = [{ text: reply.text }];
      stopReason = reply.stopReason ?? 'end_turn';
      replyUsage = reply.usage;
      outputText = reply.text;
    }
    // Like Bedrock, inputTokens excludes what was read from the prompt cache (cache reads are not charged to the quota).
    const usage = {
      ...replyUsage,
      inputTokens: replyUsage?.inputTokens ?? Math.max(0, estimatedInput - (replyUsage?.cacheReadInputTokens ?? 0)),
      outputTokens: replyUsage?.outputTokens ?? Math.min(Math.max(1, tokensOf(outputText)), maxTokens),
    };
    const payload = {
      output: { message: { role: 'assistant', content } },
      stopReason,
      usage: { ...usage, totalTokens: usage.inputTokens + usage.outputTokens },
      metrics: { latencyMs: 1 },
    };
    return {
      answer: { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) },
      usage,
    };
  }

  private sleep(millis: number): Promise<void> {
    if (millis <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, millis);
      this.timers.add(timer);
    });
  }
}

/** Start a fake Bedrock; the server object stays reachable for its recorded requests and counters. */
export async function startFakeBedrock(
  options: FakeBedrockOptions = {},
): Promise<{ server: FakeBedrockServer; url: string; close(): Promise<void> }> {
  const server = new FakeBedrockServer(options);
  const { url, close } = await server.start();
  return { server, url, close };
}
