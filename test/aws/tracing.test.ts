/**
 * Every SDK client of the Lambdas is traced: the Bedrock runtime client, created inside the model
 * engine, is handed to Powertools' captureAWSv3Client as it is created (lambdas/shared/runtime.ts),
 * as the S3 and DynamoDB clients of the run context are.
 */
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  vi.resetModules();
});

describe('the Bedrock runtime client of a Lambda', () => {
  it('is passed to the tracer as the model engine creates it', async () => {
    // Prepare
    const { tracer } = await import('../../lambdas/shared/powertools.ts');
    const capture = vi.spyOn(tracer, 'captureAWSv3Client');
    await import('../../lambdas/shared/runtime.ts');
    const { createBedrockModel } = await import('../../src/models/bedrock.ts');

    // Act
    createBedrockModel({ modelId: 'us.anthropic.claude-sonnet-4-20250514-v1:0', region: 'us-east-1' });

    // Assess
    expect(capture).toHaveBeenCalledTimes(1);
    expect(capture.mock.calls[0]?.[0]).toBeInstanceOf(BedrockRuntimeClient);
  });

  it('carries the X-Ray middleware when tracing is on (in Lambda)', async () => {
    // Prepare: what Lambda sets; Powertools traces only there.
    vi.stubEnv('AWS_EXECUTION_ENV', 'AWS_Lambda_nodejs24.x');
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'postmortem-lens-summarize');
    vi.stubEnv('POWERTOOLS_TRACE_ENABLED', 'true');
    await import('../../lambdas/shared/runtime.ts');
    const { createBedrockModel } = await import('../../src/models/bedrock.ts');
    const { onBedrockClient } = await import('../../src/models/bedrock.ts');
    const created: BedrockRuntimeClient[] = [];
    onBedrockClient((client) => created.push(client));

    // Act
    createBedrockModel({ modelId: 'us.anthropic.claude-sonnet-4-20250514-v1:0', region: 'us-east-1' });

    // Assess
    expect(created).toHaveLength(1);
    const middleware = created[0]?.middlewareStack.identify() ?? [];
    expect(middleware.join(' ')).toMatch(/xray/i);
  });
});
