import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ModelCallError, type LanguageModel, type ModelRequest, type ModelResponse } from './language-model.ts';

/** A recorded exchange: the key's parts in the clear, and the reply as the model gave it. */
export interface Cassette {
  key: string;
  modelId: string;
  provider: string;
  stage: string;
  subject: string;
  promptVersion: string;
  response: ModelResponse;
}

/**
 * The key of an exchange: a hash of the model, the prompt version and the rendered input
 * (system prompt, messages, tool schema, maxTokens). The label's subject is not part of it, so
 * two identical documents share a recording.
 */
export function cassetteKey(modelId: string, request: ModelRequest): string {
  const rendered = JSON.stringify({
    modelId,
    promptId: request.label?.promptId ?? null,
    promptVersion: request.label?.promptVersion ?? null,
    system: request.system,
    messages: request.messages,
    tool: request.tool,
    maxTokens: request.maxTokens,
    temperature: request.temperature ?? null,
  });
  return createHash('sha256').update(rendered).digest('hex');
}

function cassettePath(directory: string, request: ModelRequest, key: string): string {
  return path.join(directory, request.label?.stage ?? 'unlabelled', `${key}.json`);
}

/** Wraps a real model: every successful exchange is saved as a cassette while it runs. */
export function createRecordingModel(inner: LanguageModel, directory: string): LanguageModel {
  return {
    provider: inner.provider,
    modelId: inner.modelId,
    async generate(request, signal) {
      const response = await inner.generate(request, signal);
      const key = cassetteKey(inner.modelId, request);
      const file = cassettePath(directory, request, key);
      const cassette: Cassette = {
        key,
        modelId: inner.modelId,
        provider: inner.provider,
        stage: request.label?.stage ?? 'unlabelled',
        subject: request.label?.subject ?? '',
        promptVersion: request.label?.promptVersion ?? '',
        response,
      };
      await mkdir(path.dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      await writeFile(temporary, `${JSON.stringify(cassette, null, 2)}\n`);
      await rename(temporary, file);
      return response;
    },
  };
}

/** Answers from cassettes only, offline; a miss fails clearly, naming stage and document. */
export function createReplayModel(directory: string, modelId: string): LanguageModel {
  return {
    provider: 'replay',
    modelId,
    async generate(request) {
      const key = cassetteKey(modelId, request);
      const file = cassettePath(directory, request, key);
      let raw: string;
      try {
        raw = await readFile(file, 'utf8');
      } catch {
        const stage = request.label?.stage ?? 'unknown stage';
        const subject = request.label?.subject ?? 'unknown document';
        throw new ModelCallError(
          'client',
          `no recorded reply for stage ${stage}, document ${subject}, model ${modelId} (cassette ${key.slice(0, 12)} not in ${directory})`,
        );
      }
      const cassette = JSON.parse(raw) as Cassette;
      return { ...cassette.response, latencyMillis: 0 };
    },
  };
}
