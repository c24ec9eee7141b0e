/**
 * The Bedrock provider: one Converse call per generate(), the output forced through the stage's
 * tool, the static system prompt marked as a cache point when it is long enough to be cached.
 *
 * The SDK client never retries (`maxAttempts: 1`): the governor owns retries and pacing, and it can
 * only pace well when every throttle reaches it. Each call is bounded by requestTimeoutMillis with
 * an abort signal of its own, so the bound holds whatever request handler is used (the SDK's
 * NodeHttpHandler only warns on its own requestTimeout unless told to throw).
 *
 * No warning is added when the system prompt is below promptCacheMinTokens: short prompts are
 * normal (tests, small stages) and caching is an optimisation nobody asked for per request.
 */
import {
  BedrockRuntimeClient,
  ConverseCommand,
  type BedrockRuntimeClientConfig,
} from '@aws-sdk/client-bedrock-runtime';
import { fromConverseOutput, toConverseInput, toModelCallError } from './bedrock-mapping.ts';
import { ModelCallError, type LanguageModel, type ModelRequest, type ModelResponse } from './language-model.ts';

export interface BedrockModelSettings {
  /** A model id or inference profile id/ARN, e.g. `us.anthropic.claude-sonnet-4-20250514-v1:0`. */
  modelId: string;
  /** Defaults to AWS_REGION, then AWS_DEFAULT_REGION, then the region of the AWS profile. */
  region?: string;
  /** Overrides the service endpoint (a VPC endpoint, or a local fake in tests). */
  endpoint?: string;
  /** Static keys or a provider; defaults to the standard AWS credential chain. */
  credentials?: BedrockRuntimeClientConfig['credentials'];
  /** Defaults to the SDK's HTTP/2 handler; pass `new NodeHttpHandler(...)` for HTTP/1.1. */
  requestHandler?: BedrockRuntimeClientConfig['requestHandler'];
  /** Bound on one call, connection to last byte. Default 120,000. */
  requestTimeoutMillis?: number;
  /** Estimated system-prompt tokens from which a cache point is added. Default 1,024 (Claude Sonnet's minimum). */
  promptCacheMinTokens?: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MILLIS = 120_000;
export const DEFAULT_PROMPT_CACHE_MIN_TOKENS = 1024;

/** Called with each Bedrock runtime client as it is created (e.g. to trace its calls). */
export type BedrockClientHook = (client: BedrockRuntimeClient) => void;

const clientHooks = new Set<BedrockClientHook>();

/**
 * Have every Bedrock runtime client created from now on passed to `hook` (the Lambdas trace them
 * with Powertools' captureAWSv3Client, lambdas/shared/runtime.ts). The client lives inside the
 * model engine, out of the caller's reach, so the caller registers what to do with it instead.
 * Returns a function that removes the hook.
 */
export function onBedrockClient(hook: BedrockClientHook): () => void {
  clientHooks.add(hook);
  return () => clientHooks.delete(hook);
}

const MISSING_REGION =
  'no AWS region is configured for Bedrock: set AWS_REGION (or AWS_DEFAULT_REGION), a region in your AWS profile, or the region setting';

export function createBedrockModel(settings: BedrockModelSettings): LanguageModel {
  const { modelId } = settings;
  const requestTimeoutMillis = settings.requestTimeoutMillis ?? DEFAULT_REQUEST_TIMEOUT_MILLIS;
  const promptCacheMinTokens = settings.promptCacheMinTokens ?? DEFAULT_PROMPT_CACHE_MIN_TOKENS;
  // Left undefined, the SDK still looks at AWS_REGION and the profile's config file.
  const region = settings.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  const client = new BedrockRuntimeClient({
    region,
    endpoint: settings.endpoint,
    credentials: settings.credentials,
    requestHandler: settings.requestHandler,
    maxAttempts: 1,
  });
  for (const hook of clientHooks) hook(client);

  async function generate(request: ModelRequest, signal?: AbortSignal): Promise<ModelResponse> {
    if (signal?.aborted)
      throw new ModelCallError('timeout', `Bedrock ${modelId} call aborted by the caller before it started`);
    const input = toConverseInput(modelId, request, promptCacheMinTokens);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error(`no answer within ${requestTimeoutMillis} ms`));
    }, requestTimeoutMillis);
    const forwardAbort = (): void => controller.abort(signal?.reason);
    signal?.addEventListener('abort', forwardAbort, { once: true });
    const started = performance.now();
    try {
      const output = await client.send(new ConverseCommand(input), { abortSignal: controller.signal });
      return fromConverseOutput(output, Math.round(performance.now() - started));
    } catch (error) {
      if (timedOut)
        throw new ModelCallError('timeout', `Bedrock ${modelId} did not answer within ${requestTimeoutMillis} ms`);
      if (signal?.aborted) throw new ModelCallError('timeout', `Bedrock ${modelId} call aborted by the caller`);
      if (error instanceof Error && error.message === 'Region is missing')
        throw new ModelCallError('client', MISSING_REGION);
      throw toModelCallError(error, modelId);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', forwardAbort);
    }
  }

  return { provider: 'bedrock', modelId, generate };
}
