import { App, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { configFromContext, DEFAULT_MODEL_ID, InfraConfigError, MODEL_STAGES, modelIdsOf } from '../../infra/config.ts';
import { bedrockInvokeStatements, isInferenceProfileId } from '../../infra/constructs/pipeline-function.ts';
import { temporaryFolder } from '../support/temporary-folder.ts';

const lookup = (context: Record<string, unknown>) => (key: string) => context[key];

describe('configFromContext', () => {
  it('has a default for every key', () => {
    expect(configFromContext(lookup({}))).toEqual({
      inputPrefix: 'postmortems/',
      engine: 'bedrock',
      models: Object.fromEntries(MODEL_STAGES.map((stage) => [stage, DEFAULT_MODEL_ID])),
      maxConcurrency: 10,
      toleratedFailurePercentage: 10,
      scheduleExpression: 'cron(0 6 ? * MON *)',
      batchingWindowSeconds: 60,
      batchSize: 100,
      modelRequestsPerMinute: 200,
      modelTokensPerMinute: 200_000,
      sourceMaps: false,
      customerManagedKey: false,
      downloadEndpoint: false,
      batchInference: { enabled: false, minimumRecords: 1000 },
    });
  });

  it('takes -c strings: numbers, one model for every stage, or a JSON map of stages', () => {
    const config = configFromContext(
      lookup({
        maxConcurrency: '25',
        toleratedFailurePercentage: '2.5',
        models: 'eu.anthropic.claude-sonnet-4-20250514-v1:0',
      }),
    );
    expect(config.maxConcurrency).toBe(25);
    expect(config.toleratedFailurePercentage).toBe(2.5);
    expect(new Set(Object.values(config.models))).toEqual(new Set(['eu.anthropic.claude-sonnet-4-20250514-v1:0']));
    const mapped = configFromContext(lookup({ models: '{"analyze":"anthropic.claude-3-5-haiku-20241022-v1:0"}' }));
    expect(mapped.models.analyze).toBe('anthropic.claude-3-5-haiku-20241022-v1:0');
    expect(mapped.models.summarize).toBe(DEFAULT_MODEL_ID);
  });

  it('names every bad key in one error', () => {
    const attempt = () =>
      configFromContext(
        lookup({
          engine: 'openai',
          maxConcurrency: 0,
          models: { classify: 'anthropic.*' },
          inputPrefix: '/docs',
          notificationEmail: 'nobody',
        }),
      );
    expect(attempt).toThrow(InfraConfigError);
    for (const key of ['engine', 'maxConcurrency', 'models.classify', 'inputPrefix', 'notificationEmail'])
      expect(attempt).toThrow(new RegExp(`^  ${key.replace('.', '\\.')}:`, 'm'));
  });

  it('rejects a batch above 10 messages without a batching window', () => {
    expect(() => configFromContext(lookup({ batchSize: 50, batchingWindowSeconds: 0 }))).toThrow(
      /batchSize: a batchSize above 10/,
    );
    expect(configFromContext(lookup({ batchSize: 10, batchingWindowSeconds: 0 })).batchSize).toBe(10);
  });

  it('uses no model with the offline engine', () => {
    expect(modelIdsOf(configFromContext(lookup({ engine: 'offline' })))).toEqual([]);
    expect(modelIdsOf(configFromContext(lookup({})))).toEqual([DEFAULT_MODEL_ID]);
  });
});

describe('bedrockInvokeStatements', () => {
  const stack = new Stack(new App({ autoSynth: false, outdir: temporaryFolder('pmlens-cdk-') }), 'Probe', {
    env: { account: '111122223333', region: 'eu-west-1' },
  });
  const resolved = (modelIds: string[]) =>
    bedrockInvokeStatements(stack, modelIds).map(
      (statement) => stack.resolve(statement.toStatementJson()) as Record<string, unknown>,
    );

  it('recognizes cross-Region inference-profile ids', () => {
    for (const id of [
      'us.anthropic.claude-sonnet-4-20250514-v1:0',
      'eu.x',
      'apac.x',
      'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
    ])
      expect(isInferenceProfileId(id), id).toBe(true);
    for (const id of [
      'anthropic.claude-3-5-haiku-20241022-v1:0',
      'amazon.nova-pro-v1:0',
      'meta.llama3-70b-instruct-v1:0',
    ])
      expect(isInferenceProfileId(id), id).toBe(false);
  });

  it('allows a foundation model in the stack Region only', () => {
    expect(resolved(['anthropic.claude-3-5-haiku-20241022-v1:0'])).toEqual([
      {
        Action: 'bedrock:InvokeModel',
        Effect: 'Allow',
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':bedrock:eu-west-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0',
            ],
          ],
        },
      },
    ]);
  });

  it('allows an inference profile, and its model in any Region only through that profile', () => {
    const profile = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':bedrock:eu-west-1:111122223333:inference-profile/eu.anthropic.claude-sonnet-4-20250514-v1:0',
        ],
      ],
    };
    expect(
      resolved(['eu.anthropic.claude-sonnet-4-20250514-v1:0', 'eu.anthropic.claude-sonnet-4-20250514-v1:0']),
    ).toEqual([
      { Action: 'bedrock:InvokeModel', Effect: 'Allow', Resource: profile },
      {
        Action: 'bedrock:InvokeModel',
        Effect: 'Allow',
        Resource: {
          'Fn::Join': [
            '',
            ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:*::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0'],
          ],
        },
        Condition: { StringEquals: { 'bedrock:InferenceProfileArn': profile } },
      },
    ]);
  });
});
