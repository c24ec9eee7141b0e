/**
 * Pure mapping between the provider spec (ModelRequest / ModelResponse / ModelCallError) and the
 * Bedrock Converse API, kept apart from the client so it can be read and tested on its own.
 *
 * Wire format, as read in the installed @aws-sdk/client-bedrock-runtime (schemas and
 * ConverseCommand docs) and the Bedrock API reference:
 * - `system` is a list of SystemContentBlock unions: `{ text }` or `{ cachePoint: { type: 'default' } }`;
 *   a cache point caches the prefix before it when that prefix reaches the model's minimum
 *   (1,024 tokens for Claude Sonnet).
 * - `toolConfig.toolChoice` is a union `auto | any | tool`; `{ tool: { name } }` forces that tool.
 * - `stopReason` is one of end_turn, tool_use, max_tokens, stop_sequence, guardrail_intervened,
 *   content_filtered, malformed_model_output, malformed_tool_use, model_context_window_exceeded.
 * - `usage` has required inputTokens / outputTokens / totalTokens and optional
 *   cacheReadInputTokens / cacheWriteInputTokens (inputTokens excludes the cached part).
 * - Converse errors: ThrottlingException 429, ModelNotReadyException 429, ValidationException 400,
 *   AccessDeniedException 403, ResourceNotFoundException 404, ModelTimeoutException 408,
 *   ModelErrorException 424, InternalServerException 500, ServiceUnavailableException 503.
 */
import type {
  ContentBlock,
  ConverseCommandInput,
  ConverseCommandOutput,
  Message,
  SystemContentBlock,
  ToolInputSchema,
} from '@aws-sdk/client-bedrock-runtime';
import { scrubDetail } from '../errors.ts';
import {
  estimateTokens,
  ModelCallError,
  type ModelErrorKind,
  type ModelRequest,
  type ModelResponse,
  type StopReason,
} from './language-model.ts';

/** Estimated tokens of the prefix a cache point after the system prompt would cache: the tool definition, then the system prompt. */
export function cachablePrefixTokens(request: ModelRequest): number {
  const { tool } = request;
  return (
    estimateTokens(request.system) +
    estimateTokens(`${tool.name}${tool.description}${JSON.stringify(tool.inputSchema)}`)
  );
}

/** Build the Converse input; the system prompt gets a cache point when the prefix is long enough to be cached. */
export function toConverseInput(
  modelId: string,
  request: ModelRequest,
  promptCacheMinTokens: number,
): ConverseCommandInput {
  const system: SystemContentBlock[] = [{ text: request.system }];
  if (cachablePrefixTokens(request) >= promptCacheMinTokens) system.push({ cachePoint: { type: 'default' } });
  const messages: Message[] = request.messages.map((message) => ({
    role: message.role,
    content: [{ text: message.content }],
  }));
  const { tool } = request;
  return {
    modelId,
    system,
    messages,
    toolConfig: {
      // A JSON Schema is a JSON document; the SDK's document type just cannot see that through `unknown`.
      tools: [
        {
          toolSpec: {
            name: tool.name,
            description: tool.description,
            inputSchema: { json: tool.inputSchema as ToolInputSchema.JsonMember['json'] },
          },
        },
      ],
      toolChoice: { tool: { name: tool.name } },
    },
    inferenceConfig: {
      maxTokens: request.maxTokens,
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    },
  };
}

const STOP_REASONS: Record<string, StopReason> = { end_turn: 'end', tool_use: 'tool', max_tokens: 'max-tokens' };

export function toStopReason(stopReason: string | undefined): StopReason {
  return (stopReason !== undefined && STOP_REASONS[stopReason]) || 'other';
}

/** Map a Converse reply: a toolUse block wins (text = its input serialized), otherwise the text blocks joined. */
export function fromConverseOutput(output: ConverseCommandOutput, latencyMillis: number): ModelResponse {
  const content: ContentBlock[] = output.output?.message?.content ?? [];
  const toolUse = content.find((block) => block.toolUse !== undefined)?.toolUse;
  const usage = output.usage;
  const base = {
    stopReason: toStopReason(output.stopReason),
    usage: {
      inputTokens: usage?.inputTokens ?? 0,
      outputTokens: usage?.outputTokens ?? 0,
      cacheReadTokens: usage?.cacheReadInputTokens ?? 0,
      cacheWriteTokens: usage?.cacheWriteInputTokens ?? 0,
    },
    latencyMillis,
    warnings: [],
  };
  if (toolUse) {
    const toolInput: unknown = toolUse.input;
    return { ...base, text: JSON.stringify(toolInput) ?? '', toolInput };
  }
  const text = content.flatMap((block) => (typeof block.text === 'string' ? [block.text] : [])).join('');
  return { ...base, text };
}

const KIND_BY_ERROR_NAME: Record<string, ModelErrorKind> = {
  ThrottlingException: 'throttled',
  TooManyRequestsException: 'throttled',
  ServiceUnavailableException: 'server',
  InternalServerException: 'server',
  ModelNotReadyException: 'server',
  // "The request failed due to an error while processing the model": a model-side failure, worth a retry.
  ModelErrorException: 'server',
  ModelTimeoutException: 'timeout',
  TimeoutError: 'timeout',
  AbortError: 'timeout',
  ValidationException: 'client',
  AccessDeniedException: 'client',
  ResourceNotFoundException: 'client',
  CredentialsProviderError: 'client',
};

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
]);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT']);

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
  $response?: { statusCode?: number };
}

/** The HTTP status of an SDK error: service exceptions carry $metadata, parse failures carry $response. */
function statusOf(error: ErrorLike): number | undefined {
  return error.$metadata?.httpStatusCode ?? error.$response?.statusCode;
}

function kindOf(error: ErrorLike, status: number | undefined): ModelErrorKind {
  const name = typeof error.name === 'string' ? error.name : '';
  const code = typeof error.code === 'string' ? error.code : '';
  const byName = KIND_BY_ERROR_NAME[name];
  if (byName) return byName;
  if (TIMEOUT_CODES.has(code)) return 'timeout';
  if (
    NETWORK_CODES.has(code) ||
    /socket hang up|ECONNREFUSED|ECONNRESET|ERR_HTTP2/i.test(`${code} ${String(error.message)}`)
  )
    return 'network';
  if (status === 429) return 'throttled';
  if (status !== undefined && status >= 500) return 'server';
  if (status === 408) return 'timeout';
  if (status !== undefined && status >= 400) return 'client';
  // A 2xx/3xx reply the SDK could not read (e.g. a body that is not JSON): the service misbehaved.
  if (status !== undefined) return 'server';
  const cause = error.cause;
  if (cause && typeof cause === 'object' && cause !== error)
    return kindOf(cause as ErrorLike, statusOf(cause as ErrorLike));
  return 'network';
}

/** Turn anything the SDK throws into a typed ModelCallError with the status code and the service's message. */
export function toModelCallError(thrown: unknown, modelId: string): ModelCallError {
  if (thrown instanceof ModelCallError) return thrown;
  const error: ErrorLike =
    thrown !== null && typeof thrown === 'object' ? (thrown as ErrorLike) : { message: String(thrown) };
  const status = statusOf(error);
  const kind = kindOf(error, status);
  const name = typeof error.name === 'string' && error.name !== 'Error' ? `${error.name}: ` : '';
  const code = typeof error.code === 'string' && !String(error.message).includes(error.code) ? ` (${error.code})` : '';
  const where = status === undefined ? '' : ` [HTTP ${status}]`;
  // First line only: the SDK appends hints about its own hidden fields (e.g. `$response`) on later lines.
  // Scrubbed and capped: a service (or a proxy in front of it) may echo the request in its message.
  const detail = scrubDetail(String(error.message ?? 'unknown error').split('\n')[0] ?? '');
  const message = `Bedrock ${modelId} call failed${where}: ${name}${detail}${code}`;
  return new ModelCallError(kind, message, status);
}
