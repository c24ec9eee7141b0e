/** Unit tests of the batch files (JSONL written and read) and of the record-id mapping back to requests. */
import { describe, expect, it } from 'vitest';
import { parseBatchOutput, toBatchModelInput, toJsonl } from '../../src/batch/jsonl.ts';
import { answeringModel, collectingModel, isDeferral } from '../../src/batch/models.ts';
import { mapAnswers, planRecords, RECORD_ID, recordIdOf, requestKeyOf } from '../../src/batch/records.ts';
import { batchCostOf, goesToBatch } from '../../src/batch/cost.ts';
import { toConverseInput } from '../../src/models/bedrock-mapping.ts';
import type { LanguageModel, ModelRequest, ModelResponse } from '../../src/models/language-model.ts';

const MODEL = 'us.anthropic.claude-sonnet-4-20250514-v1:0';
const request = (subject: string): ModelRequest => ({
  label: { stage: 'summarize', subject, promptId: 'summarize', promptVersion: '3' },
  system: 'You summarize postmortems.',
  messages: [{ role: 'user', content: `<document id="${subject}">text</document>` }],
  tool: {
    name: 'submit_summary',
    description: 'Submit the summary.',
    inputSchema: { type: 'object', required: ['issue'] },
  },
  maxTokens: 800,
  temperature: 0,
});
const converseOutput = (text: string) => ({
  output: { message: { role: 'assistant', content: [{ text }] } },
  stopReason: 'end_turn',
  usage: { inputTokens: 5, outputTokens: 7, totalTokens: 12 },
});

describe('batch JSONL', () => {
  it('writes one Converse record a line: the engine request without model id and tool, the tool as a JSON instruction', () => {
    const plan = planRecords([{ modelId: MODEL, request: request('a') }]);
    const text = toJsonl(plan.records);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.trim().split('\n')).toHaveLength(1);
    const line = JSON.parse(text) as { recordId: string; modelInput: Record<string, unknown> };
    expect(line.recordId).toMatch(RECORD_ID);
    const onDemand = toConverseInput(MODEL, request('a'), Number.POSITIVE_INFINITY);
    expect(line.modelInput.messages).toEqual(onDemand.messages);
    expect(line.modelInput.inferenceConfig).toEqual({ maxTokens: 800, temperature: 0 });
    expect(line.modelInput).not.toHaveProperty('toolConfig');
    expect(line.modelInput).not.toHaveProperty('modelId');
    const system = line.modelInput.system as Array<{ text?: string }>;
    expect(system[0]).toEqual({ text: 'You summarize postmortems.' });
    expect(system[1]?.text).toContain('submit_summary');
    expect(system[1]?.text).toContain('"required":["issue"]');
    expect(toBatchModelInput(MODEL, request('a'))).toEqual(line.modelInput);
  });

  it('reads answers and failed records, and counts lines that are no record without failing', () => {
    const text = [
      JSON.stringify({ recordId: 'R0000000001', modelInput: {}, modelOutput: converseOutput('{"issue":"x"}') }),
      JSON.stringify({
        recordId: 'R0000000000',
        modelInput: {},
        error: { errorCode: 400, errorMessage: 'bad request' },
      }),
      'not json',
      JSON.stringify({ modelOutput: {} }),
      '',
    ].join('\n');
    const parsed = parseBatchOutput(text);
    expect(parsed.unreadableLines).toBe(2);
    expect(parsed.records).toEqual([
      { recordId: 'R0000000001', ok: true, output: converseOutput('{"issue":"x"}') },
      { recordId: 'R0000000000', ok: false, reason: 'error 400' },
    ]);
  });
});

describe('record ids and the way back', () => {
  it('gives distinct requests 11-character ids in order and sends a repeated request once', () => {
    expect(recordIdOf(0)).toBe('R0000000000');
    expect(recordIdOf(42)).toHaveLength(11);
    expect(() => recordIdOf(-1)).toThrow(RangeError);
    const plan = planRecords([
      { modelId: MODEL, request: request('a') },
      { modelId: MODEL, request: request('b') },
      { modelId: MODEL, request: request('a') },
    ]);
    expect(plan.index.map((entry) => [entry.recordId, entry.subject])).toEqual([
      ['R0000000000', 'a'],
      ['R0000000001', 'b'],
    ]);
    expect(plan.index[0]?.requestKey).toBe(requestKeyOf({ modelId: MODEL, request: request('a') }));
  });

  it('maps output records to requests by record id, whatever their order, and counts the missing and unknown', () => {
    const plan = planRecords(['a', 'b', 'c'].map((subject) => ({ modelId: MODEL, request: request(subject) })));
    const mapped = mapAnswers(plan.index, [
      { recordId: 'R0000000002', ok: true, output: converseOutput('{"issue":"c"}') as never },
      { recordId: 'R0000000000', ok: false, reason: 'error 500' },
      { recordId: 'R9999999999', ok: true, output: converseOutput('{}') as never },
    ]);
    expect(mapped.unknownRecords).toBe(1);
    expect(mapped.missing).toBe(1);
    const keyOf = (subject: string) => requestKeyOf({ modelId: MODEL, request: request(subject) });
    const c = mapped.answers.get(keyOf('c'));
    expect(c?.ok && c.response.text).toBe('{"issue":"c"}');
    expect(c?.ok && c.response.usage.outputTokens).toBe(7);
    expect(mapped.answers.get(keyOf('a'))).toEqual({ ok: false, reason: 'error 500' });
    expect(mapped.answers.has(keyOf('b'))).toBe(false);
  });

  it('answers from the job, repairs and failed records on demand within the bound, defers the rest', async () => {
    const calls: ModelRequest[] = [];
    const inner: LanguageModel = {
      provider: 'bedrock',
      modelId: MODEL,
      generate: async (sent) => {
        calls.push(sent);
        return {
          text: '{"issue":"on demand"}',
          stopReason: 'tool',
          usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 },
          latencyMillis: 1,
          warnings: [],
        } satisfies ModelResponse;
      },
    };
    const plan = planRecords(['a', 'b'].map((subject) => ({ modelId: MODEL, request: request(subject) })));
    const { answers } = mapAnswers(plan.index, [
      { recordId: 'R0000000000', ok: true, output: converseOutput('{"issue":"batch"}') as never },
      { recordId: 'R0000000001', ok: false, reason: 'error 500' },
    ]);
    const counters = { fromBatch: 0, onDemand: 0, deferred: 0 };
    const model = answeringModel(inner, answers, { maxOnDemandCalls: 1, counters });
    expect((await model.generate(request('a'))).text).toBe('{"issue":"batch"}');
    expect((await model.generate(request('b'))).text).toBe('{"issue":"on demand"}');
    await expect(model.generate(request('c'))).rejects.toSatisfy(isDeferral);
    const repair = {
      ...request('a'),
      messages: [
        ...request('a').messages,
        { role: 'assistant' as const, content: 'x' },
        { role: 'user' as const, content: 'again' },
      ],
    };
    await expect(model.generate(repair)).rejects.toSatisfy(isDeferral);
    expect(counters).toEqual({ fromBatch: 1, onDemand: 1, deferred: 2 });
    expect(calls).toHaveLength(1);
    expect(model.provider).toBe('bedrock');
    expect(model.modelId).toBe(MODEL);
  });

  it('collects requests without calling the model', async () => {
    const collected: Array<{ modelId: string; request: ModelRequest }> = [];
    const model = collectingModel(
      { provider: 'bedrock', modelId: MODEL, generate: () => Promise.reject(new Error('called')) },
      collected,
    );
    await expect(model.generate(request('a'))).rejects.toSatisfy(isDeferral);
    expect(collected).toEqual([{ modelId: MODEL, request: request('a') }]);
  });
});

describe('batch cost', () => {
  it('is half the on-demand token price, and only from the threshold (never under 100 records)', () => {
    const price = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 };
    expect(
      batchCostOf(price, { inputTokens: 1_000_000, outputTokens: 1_000_000, cacheReadTokens: 0, cacheWriteTokens: 0 }),
    ).toBe(9);
    expect(goesToBatch(999)).toBe(false);
    expect(goesToBatch(1000)).toBe(true);
    expect(goesToBatch(99, 50)).toBe(false);
    expect(goesToBatch(100, 50)).toBe(true);
  });
});
