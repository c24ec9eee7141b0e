import { PostmortemLensError, type ErrorCode } from '../errors.ts';

/**
 * The provider spec: what every model (Bedrock, OpenAI-compatible, replay, scripted fakes)
 * implements. No vendor types appear here.
 */

/** The structured output the model must produce, as a tool it is forced to call. */
export interface OutputTool {
  name: string;
  description: string;
  /** JSON Schema of the tool input (from the stage's zod schema). */
  inputSchema: Record<string, unknown>;
}

export interface ModelMessage {
  role: 'user' | 'assistant';
  content: string;
}

/** What a request is for: used in cassette keys, logs and error messages, never sent to the model. */
export interface RequestLabel {
  stage: string;
  subject: string;
  promptId: string;
  promptVersion: string;
}

export interface ModelRequest {
  label?: RequestLabel;
  /** The static part of the prompt (role, rules, examples): the same for every document of a stage. */
  system: string;
  messages: ModelMessage[];
  tool: OutputTool;
  /** Always set: bounds output and is reserved against the token quota at request start. */
  maxTokens: number;
  temperature?: number;
}

export interface ModelUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export type StopReason = 'end' | 'tool' | 'max-tokens' | 'other';

export interface ModelResponse {
  /** The structured output as the model wrote it (tool input serialized, or the raw text). */
  text: string;
  /** The tool input when the provider returned it already parsed. */
  toolInput?: unknown;
  stopReason: StopReason;
  usage: ModelUsage;
  latencyMillis: number;
  /** Options the provider could not honour (e.g. no JSON-schema support, no prompt caching). */
  warnings: string[];
}

export interface LanguageModel {
  readonly provider: string;
  readonly modelId: string;
  generate(request: ModelRequest, signal?: AbortSignal): Promise<ModelResponse>;
}

export type ModelErrorKind = 'throttled' | 'server' | 'timeout' | 'client' | 'network';

/**
 * A failed model call, typed so the governor knows whether to retry and whether to slow down. Its
 * message is written by the provider and never quotes the request or the reply (see errors.ts).
 */
export class ModelCallError extends PostmortemLensError {
  override readonly name = 'ModelCallError';
  constructor(
    readonly kind: ModelErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }

  get retryable(): boolean {
    return this.kind !== 'client';
  }

  override get code(): ErrorCode {
    return `model-${this.kind}`;
  }
}

export const EMPTY_USAGE: ModelUsage = Object.freeze({
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
});

/** A rough token count (about four characters a token), for budgets and dry runs. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
