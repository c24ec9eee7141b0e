import { describe, expect, it } from 'vitest';
import { AttributionModel } from '../../../src/engines/offline/attribution-model.ts';
import trainedAttribution from '../../../src/engines/offline/models/attribution.json' with { type: 'json' };
import { shippedModel } from '../../../src/engines/offline/shipped-model.ts';
import { LinearModel } from '../../../src/engines/offline/word-model.ts';
import { ConfigurationError } from '../../../src/errors.ts';

describe('shipped models are checked when the engine loads', () => {
  it('accepts the shipped attribution model', () => {
    const model = shippedModel(AttributionModel, trainedAttribution, 'attribution.json');
    expect(Object.keys(model.weights).length).toBeGreaterThan(1000);
  });

  it('names the file and the damaged weight of a corrupt model', () => {
    const [first] = Object.keys(trainedAttribution.weights);
    const damaged = { ...trainedAttribution, weights: { ...trainedAttribution.weights, [first as string]: null } };
    expect(() => shippedModel(AttributionModel, damaged, 'attribution.json')).toThrow(ConfigurationError);
    let message = '';
    try {
      shippedModel(AttributionModel, damaged, 'attribution.json');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('attribution.json is invalid');
    expect(message).toContain(`weights[${JSON.stringify(first)}]`);
    const { bias: _bias, ...withoutBias } = trainedAttribution;
    expect(() => shippedModel(AttributionModel, withoutBias, 'attribution.json')).toThrow(/bias/);
  });

  it('refuses a linear model whose word weights do not match its categories', () => {
    const model = { categories: ['network', 'capacity'], bias: [0, 0], cues: [1], words: { disk: [0.5, 0.1] } };
    expect(shippedModel(LinearModel, model, 'x.json').words.disk).toEqual([0.5, 0.1]);
    expect(() => shippedModel(LinearModel, { ...model, words: { disk: [0.5] } }, 'x.json')).toThrow(
      /one weight per category/,
    );
    expect(() => shippedModel(LinearModel, { ...model, bias: [0] }, 'x.json')).toThrow(/one bias per category/);
    expect(() => shippedModel(LinearModel, { ...model, categories: ['network', 'weather'] }, 'x.json')).toThrow(
      /categories/,
    );
  });
});
