/**
 * A LanguageModel over any server speaking the OpenAI Chat Completions API: LM Studio, Ollama's
 * /v1 endpoint, vLLM, llama.cpp's llama-server (see docs/openai-compatible-servers.md).
 *
 * The structured output is asked for with `response_format` (a JSON schema, or plain JSON
 * mode) or, in text mode, with instructions appended to the system prompt. Whatever the mode,
 * the JSON object is read back out of the reply text, so a server that ignores the request
 * still works as long as the model follows the instructions.
 *
 * Errors never quote the request or the reply: a server's error message is reduced to what it
 * says about the request (FastAPI's `detail` to its `msg`/`type`/`loc`, never its `input`),
 * passages it echoes from the prompt are cut, and the rest is scrubbed and capped (errors.ts).
 */
import { ConfigurationError, messageOf, scrubDetail } from '../errors.ts';
import { isStopWord } from '../privacy/names.ts';
import { extractJsonObject } from './json-extraction.ts';
import { ModelCallError } from './language-model.ts';
import type {
  LanguageModel,
  ModelErrorKind,
  ModelRequest,
  ModelResponse,
  ModelUsage,
  OutputTool,
  StopReason,
} from './language-model.ts';

export type StructuredOutputMode = 'json-schema' | 'json-object' | 'text';

export interface OpenAICompatibleSettings {
  /** The API root including the version segment, e.g. http://localhost:1234/v1. */
  baseUrl: string;
  /** The `model` field of every request (the server's model name or alias). */
  modelId: string;
  /** Sent as `Authorization: Bearer <apiKey>` when set. */
  apiKey?: string;
  /** How the structured output is requested; default 'json-schema'. */
  structuredOutput?: StructuredOutputMode;
  /** Bound on one HTTP exchange (headers and body); default 120000. */
  requestTimeoutMillis?: number;
  /** The fetch to use (tests, proxies); default the global fetch. */
  fetch?: typeof fetch;
}

export const OPENAI_COMPATIBLE_PROVIDER = 'openai-compatible';
export const DEFAULT_REQUEST_TIMEOUT_MILLIS = 120_000;

/**
 * A ModelCallError raised from an HTTP reply. `retryAfterMillis` is set when the server sent
 * `retry-after-ms` or `Retry-After` (seconds or an HTTP date), typically with a 429 or 503;
 * this provider does not wait itself, the governor decides. `name` stays 'ModelCallError'.
 */
export class HttpModelCallError extends ModelCallError {
  constructor(
    kind: ModelErrorKind,
    message: string,
    status: number,
    readonly retryAfterMillis?: number,
  ) {
    super(kind, message, status);
  }
}

/** The server's requested wait before retrying, when the error carries one. */
export function retryAfterMillisOf(error: unknown): number | undefined {
  return error instanceof HttpModelCallError ? error.retryAfterMillis : undefined;
}

export function createOpenAICompatibleModel(settings: OpenAICompatibleSettings): LanguageModel {
  const baseUrl = settings.baseUrl.trim().replace(/\/+$/, '');
  if (baseUrl === '')
    throw new ConfigurationError('openai-compatible: baseUrl is empty (e.g. http://localhost:1234/v1)');
  if (settings.modelId.trim() === '') throw new ConfigurationError('openai-compatible: modelId is empty');
  const transport: Transport = {
    endpoint: `${baseUrl}/chat/completions`,
    headers: requestHeaders(settings.apiKey),
    timeoutMillis: settings.requestTimeoutMillis ?? DEFAULT_REQUEST_TIMEOUT_MILLIS,
    fetch: settings.fetch ?? globalThis.fetch,
    label: `${OPENAI_COMPATIBLE_PROVIDER} ${settings.modelId}`,
  };
  let mode: StructuredOutputMode = settings.structuredOutput ?? 'json-schema';
  let fellBack = false;

  return {
    provider: OPENAI_COMPATIBLE_PROVIDER,
    modelId: settings.modelId,
    async generate(request: ModelRequest, signal?: AbortSignal): Promise<ModelResponse> {
      const started = performance.now();
      const warnings: string[] = [];
      const firstMode = mode;
      const sent = sentText(request);
      let reply = await post(transport, chatBody(settings.modelId, request, firstMode), signal);
      if (firstMode !== 'text' && rejectsResponseFormat(reply, sent)) {
        mode = 'text';
        fellBack = true;
        warnings.push(fallbackWarning(firstMode, reply, sent));
        reply = await post(transport, chatBody(settings.modelId, request, 'text'), signal);
      } else if (fellBack && firstMode === 'text') {
        warnings.push(TEXT_MODE_WARNING);
      }
      if (!isSuccess(reply)) throw httpError(transport.label, reply, sent);
      return {
        ...readCompletion(transport.label, reply),
        latencyMillis: Math.round(performance.now() - started),
        warnings,
      };
    },
  };
}

// ---- request ----

interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

interface ChatBody {
  model: string;
  messages: ChatMessage[];
  max_tokens: number;
  temperature?: number;
  response_format?: Record<string, unknown>;
}

function chatBody(modelId: string, request: ModelRequest, mode: StructuredOutputMode): ChatBody {
  const system = mode === 'json-schema' ? request.system : withOutputInstructions(request.system, request.tool);
  const body: ChatBody = {
    model: modelId,
    messages: [{ role: 'system', content: system }, ...request.messages],
    max_tokens: request.maxTokens,
  };
  if (request.temperature !== undefined) body.temperature = request.temperature;
  const responseFormat = responseFormatFor(mode, request.tool);
  if (responseFormat) body.response_format = responseFormat;
  return body;
}

function responseFormatFor(mode: StructuredOutputMode, tool: OutputTool): Record<string, unknown> | undefined {
  switch (mode) {
    case 'json-schema':
      return {
        type: 'json_schema',
        json_schema: { name: schemaName(tool.name), schema: tool.inputSchema, strict: false },
      };
    case 'json-object':
      // llama-server reads a schema here and constrains the output with it; servers that only
      // promise JSON ignore it, and the schema is in the system prompt as well.
      return { type: 'json_object', schema: tool.inputSchema };
    case 'text':
      return undefined;
  }
}

/** OpenAI restricts the schema name to [a-zA-Z0-9_-]{1,64}; some servers enforce it. */
function schemaName(name: string): string {
  const cleaned = name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64);
  return cleaned === '' ? 'output' : cleaned;
}

/**
 * The system prompt plus the output contract, for servers that do not take the schema in
 * `response_format` (text mode) or only promise syntactically valid JSON (json-object mode).
 */
export function withOutputInstructions(system: string, tool: OutputTool): string {
  return [
    system.trimEnd(),
    '',
    '# Output format',
    `Answer with exactly one JSON object and nothing else: no prose before or after it, no code fences. The object is the input of "${tool.name}": ${tool.description}`,
    'The object must conform to this JSON Schema:',
    JSON.stringify(tool.inputSchema),
  ].join('\n');
}

function requestHeaders(apiKey: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  return headers;
}

// ---- transport ----

interface Transport {
  endpoint: string;
  headers: Record<string, string>;
  timeoutMillis: number;
  fetch: typeof fetch;
  label: string;
}

interface HttpReply {
  status: number;
  headers: Headers;
  text: string;
}

const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** One HTTP exchange; transport failures become ModelCallError ('timeout' or 'network'). */
async function post(transport: Transport, body: ChatBody, signal: AbortSignal | undefined): Promise<HttpReply> {
  const timeout = AbortSignal.timeout(transport.timeoutMillis);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  try {
    const response = await transport.fetch(transport.endpoint, {
      method: 'POST',
      headers: transport.headers,
      body: JSON.stringify(body),
      signal: combined,
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  } catch (error) {
    throw transportError(transport, error, timeout, signal);
  }
}

function transportError(
  transport: Transport,
  error: unknown,
  timeout: AbortSignal,
  signal: AbortSignal | undefined,
): ModelCallError {
  const failure = (kind: ModelErrorKind, detail: string) => {
    const callError = new ModelCallError(kind, `${transport.label}: ${detail} (${transport.endpoint})`);
    callError.cause = error;
    return callError;
  };
  if (timeout.aborted) return failure('timeout', `no reply within ${transport.timeoutMillis} ms`);
  if (signal?.aborted) return failure('timeout', 'request aborted by the caller');
  const code = errorCode(error);
  if (code && TIMEOUT_CODES.has(code)) return failure('timeout', `connection timed out (${code})`);
  return failure('network', `connection failed${code ? ` (${code})` : ''}: ${scrubDetail(describe(error))}`);
}

/** The system error code of a fetch failure (undici puts it on `cause`, sometimes nested). */
function errorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function describe(error: unknown): string {
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  const message = messageOf(error);
  return cause instanceof Error && cause.message ? `${message}: ${cause.message}` : message;
}

// ---- response ----

function isSuccess(reply: HttpReply): boolean {
  return reply.status >= 200 && reply.status < 300;
}

/** A server without JSON-schema support: 422, or a 400 that names the feature it refused. */
function rejectsResponseFormat(reply: HttpReply, sent: string): boolean {
  if (reply.status === 422) return true;
  return reply.status === 400 && /response_format|json_schema|json schema|grammar/i.test(serverMessage(reply, sent));
}

const TEXT_MODE_WARNING =
  'response_format is not supported by this server: the output schema was sent as prompt instructions (text mode), so it is not enforced';

function fallbackWarning(mode: StructuredOutputMode, reply: HttpReply, sent: string): string {
  return `${TEXT_MODE_WARNING}; the server refused ${mode} (HTTP ${reply.status}: ${serverMessage(reply, sent)}) and this model now uses text mode for every request`;
}

function httpError(label: string, reply: HttpReply, sent: string): HttpModelCallError {
  const message = `${label}: HTTP ${reply.status}: ${serverMessage(reply, sent)}`;
  return new HttpModelCallError(errorKindOf(reply.status), message, reply.status, retryAfterMillis(reply.headers));
}

function errorKindOf(status: number): ModelErrorKind {
  if (status === 429) return 'throttled';
  if (status === 408) return 'timeout';
  if (status >= 400 && status < 500) return 'client';
  return 'server';
}

/** The text of the request the model saw: what a server's error message must not echo. */
function sentText(request: ModelRequest): string {
  return [request.system, ...request.messages.map((message) => message.content)].join('\n');
}

interface FastApiIssue {
  type?: unknown;
  loc?: unknown;
  msg?: unknown;
}

/** FastAPI's 422 `detail`: a list of {type, loc, msg, input}; `input` echoes the request and is never read. */
function fastApiDetail(detail: unknown[]): string {
  return detail
    .slice(0, 3)
    .map((item) => {
      const issue = (item ?? {}) as FastApiIssue;
      const where = Array.isArray(issue.loc)
        ? issue.loc
            .filter(
              (part) => typeof part === 'number' || (typeof part === 'string' && /^[A-Za-z_]\w{0,40}$/.test(part)),
            )
            .join('.')
        : '';
      const what =
        typeof issue.msg === 'string' ? issue.msg : typeof issue.type === 'string' ? issue.type : 'invalid request';
      return where ? `${where}: ${what}` : what;
    })
    .join('; ');
}

/** The raw error text of a failed reply: OpenAI's {error:{message}}, {error:"..."}, {message}, FastAPI's {detail}, or the body. */
function rawServerMessage(reply: HttpReply): string {
  const body = parseJson(reply.text) as { error?: unknown; message?: unknown; detail?: unknown } | undefined;
  if (Array.isArray(body?.detail)) return fastApiDetail(body.detail);
  const error = body?.error as { message?: unknown } | string | undefined;
  const candidates = [typeof error === 'string' ? error : error?.message, body?.message, body?.detail];
  for (const candidate of candidates) {
    if (typeof candidate === 'string' && candidate.trim() !== '') return candidate.trim();
  }
  if (body !== undefined) return 'an error object without a message';
  const raw = reply.text.trim();
  return raw === '' ? '(empty body)' : /^\s*</.test(raw) ? 'an HTML page' : raw;
}

/** Words a server's message uses about the request itself, not taken from it. */
const PROTOCOL_WORDS = new Set([
  'json',
  'schema',
  'model',
  'request',
  'response',
  'error',
  'invalid',
  'input',
  'output',
  'context',
  'token',
  'tokens',
  'prompt',
  'message',
  'messages',
  'field',
  'value',
  'string',
  'number',
  'object',
  'array',
  'unauthorized',
  'forbidden',
  'rate',
  'limit',
]);

/** Words in runs of three or more that also occur, in order, in the request; then single names and numbers from it. */
export function withoutEcho(message: string, sent: string): string {
  const normal = (word: string): string => word.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
  const sentWords = sent.split(/\s+/).map(normal).filter(Boolean);
  const sentJoined = ` ${sentWords.join(' ')} `;
  const sentSet = new Set(sentWords);
  const words = message.split(/\s+/).filter(Boolean);
  const echoed = words.map(() => false);
  const RUN = 3;
  for (let index = 0; index + RUN <= words.length; index++) {
    const window = words.slice(index, index + RUN).map(normal);
    if (window.some((word) => word === '')) continue;
    if (sentJoined.includes(` ${window.join(' ')} `))
      for (let offset = 0; offset < RUN; offset++) echoed[index + offset] = true;
  }
  // A lone capitalised word, a number or an address from the request is as telling as a passage.
  words.forEach((word, index) => {
    const key = normal(word);
    if (key.length < 2 || !sentSet.has(key)) return;
    if (
      /\d|@/.test(word) ||
      (/\p{Lu}/u.test(word.replace(/^[^\p{L}]+/u, '').charAt(0)) && !isStopWord(key) && !PROTOCOL_WORDS.has(key))
    )
      echoed[index] = true;
  });
  const kept: string[] = [];
  words.forEach((word, index) => {
    if (!echoed[index]) kept.push(word);
    else if (kept.at(-1) !== '[…]') kept.push('[…]');
  });
  return kept.join(' ');
}

/** What a failed reply says, safe to log: no echo of the request, scrubbed, capped (see the module comment). */
function serverMessage(reply: HttpReply, sent: string): string {
  const detail = scrubDetail(withoutEcho(rawServerMessage(reply), sent));
  return detail === '' || detail === '[…]' ? '(the message only repeated the request)' : detail;
}

/** `retry-after-ms` (OpenAI) or `Retry-After` in seconds or as an HTTP date. */
function retryAfterMillis(headers: Headers): number | undefined {
  const millis = Number(headers.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(millis) && millis >= 0) return millis;
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

interface Completion {
  choices?: Array<{ message?: { content?: unknown }; finish_reason?: unknown }>;
  usage?: {
    prompt_tokens?: unknown;
    completion_tokens?: unknown;
    prompt_tokens_details?: { cached_tokens?: unknown } | null;
  } | null;
}

function readCompletion(label: string, reply: HttpReply): Omit<ModelResponse, 'latencyMillis' | 'warnings'> {
  const completion = parseJson(reply.text) as Completion | undefined;
  const choice = completion?.choices?.[0];
  if (!completion || typeof completion !== 'object' || !choice?.message) {
    // The body is the model's (or a proxy's) text: described, never quoted.
    const shape =
      completion === undefined
        ? `not JSON, ${reply.text.length} characters`
        : `JSON without choices[0].message, ${reply.text.length} characters`;
    throw new HttpModelCallError('server', `${label}: malformed reply (${shape})`, reply.status);
  }
  const text = contentText(choice.message.content);
  const toolInput = extractJsonObject(text);
  return {
    text,
    ...(toolInput === undefined ? {} : { toolInput }),
    stopReason: stopReasonOf(choice.finish_reason),
    usage: usageOf(completion.usage),
  };
}

/** `content` is a string, null (reasoning-only replies), or an array of text parts. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (typeof (part as { text?: unknown })?.text === 'string' ? (part as { text: string }).text : ''))
      .join('');
  }
  return '';
}

function stopReasonOf(finishReason: unknown): StopReason {
  switch (finishReason) {
    case 'stop':
      return 'end';
    case 'length':
      return 'max-tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool';
    default:
      return 'other';
  }
}

/**
 * OpenAI's `prompt_tokens` includes the cached prefix; here, as with Bedrock, `inputTokens`
 * counts only the uncached part and `cacheReadTokens` the cached part, so their sum is the prompt.
 * These servers report no cache writes.
 */
function usageOf(usage: Completion['usage']): ModelUsage {
  const prompt = count(usage?.prompt_tokens);
  const cached = Math.min(count(usage?.prompt_tokens_details?.cached_tokens), prompt);
  return {
    inputTokens: prompt - cached,
    outputTokens: count(usage?.completion_tokens),
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
  };
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.round(value) : 0;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
