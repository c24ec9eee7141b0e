/**
 * The files of a Bedrock batch inference job (CreateModelInvocationJob, `modelInvocationType:
 * "Converse"`), written and read here and nowhere else.
 *
 * Input: a `.jsonl` file, one record a line, `{"recordId": "<id>", "modelInput": <body>}`, where the
 * body is a Converse request body (the model id is the job's, not the record's).
 * Output: for each input file, `<output prefix><job id>/<input file name>.out`, one line per record,
 * `{"recordId", "modelInput", "modelOutput": <Converse response body>}`, or `"error": {"errorCode",
 * "errorMessage"}` in place of `modelOutput` for a record that failed. The output order is not
 * guaranteed: records are matched by `recordId` only. A `manifest.json.out` beside it counts them.
 *
 * Batch jobs of the Converse type reject records that carry `toolConfig` (400), so a batch record
 * is the request the Bedrock engine sends (src/models/bedrock-mapping.ts) with its forced tool
 * turned into an instruction to answer with one JSON object that follows the tool's schema; the
 * answer is then validated exactly as an on-demand one (src/engines/model/structured.ts), and an
 * invalid one is repaired by an on-demand call with the tool forced.
 */
import type { ConverseCommandInput, ConverseCommandOutput } from '@aws-sdk/client-bedrock-runtime';
import { z } from 'zod';
import { toConverseInput } from '../models/bedrock-mapping.ts';
import type { ModelRequest } from '../models/language-model.ts';

/** The Converse request body of a batch record: the on-demand request without the model id and the forced tool. */
export type BatchModelInput = Omit<ConverseCommandInput, 'modelId' | 'toolConfig'>;

export interface BatchInputRecord {
  recordId: string;
  modelInput: BatchModelInput;
}

/** The instruction that replaces the forced tool in a batch record (tool use is refused by Converse batch jobs). */
export function jsonInstruction(request: ModelRequest): string {
  return [
    `Answer with exactly one JSON object and nothing else: the input of the tool ${request.tool.name} (${request.tool.description}).`,
    `It must follow this JSON Schema:\n${JSON.stringify(request.tool.inputSchema)}`,
  ].join('\n');
}

/**
 * The batch record body of a request: the Converse input the Bedrock engine builds, with no cache
 * point (prompt caching does not apply to batch records) and the tool as a JSON instruction
 * appended to the system prompt.
 */
export function toBatchModelInput(modelId: string, request: ModelRequest): BatchModelInput {
  const {
    modelId: _modelId,
    toolConfig: _toolConfig,
    system,
    ...rest
  } = toConverseInput(modelId, request, Number.POSITIVE_INFINITY);
  return { ...rest, system: [...(system ?? []), { text: jsonInstruction(request) }] };
}

/** One record a line, each line one JSON object, the file ending in a newline. */
export function toJsonl(records: readonly BatchInputRecord[]): string {
  return records.map((record) => `${JSON.stringify(record)}\n`).join('');
}

const OutputLine = z.looseObject({
  recordId: z.string().min(1),
  modelOutput: z.looseObject({}).optional(),
  error: z
    .looseObject({ errorCode: z.union([z.number(), z.string()]).optional(), errorMessage: z.string().optional() })
    .optional(),
});

/** A record of the output: the model's Converse response, or why the record failed (no model text in either reason). */
export type BatchOutputRecord =
  { recordId: string; ok: true; output: ConverseCommandOutput } | { recordId: string; ok: false; reason: string };

export interface ParsedBatchOutput {
  records: BatchOutputRecord[];
  /** Lines that are not a record at all (not JSON, no recordId): counted, never quoted. */
  unreadableLines: number;
}

/** Parse an output file; a line that cannot be read is counted, not fatal (its record is then missing and computed on demand). */
export function parseBatchOutput(text: string): ParsedBatchOutput {
  const records: BatchOutputRecord[] = [];
  let unreadableLines = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      unreadableLines += 1;
      continue;
    }
    const parsed = OutputLine.safeParse(value);
    if (!parsed.success) {
      unreadableLines += 1;
      continue;
    }
    const { recordId, modelOutput, error } = parsed.data;
    if (modelOutput && !error)
      records.push({ recordId, ok: true, output: modelOutput as unknown as ConverseCommandOutput });
    else
      records.push({
        recordId,
        ok: false,
        reason: error ? `error ${String(error.errorCode ?? 'unknown')}` : 'no modelOutput',
      });
  }
  return { records, unreadableLines };
}

/** The counts Bedrock writes beside the output (`manifest.json.out`). */
export const BatchManifest = z.looseObject({
  totalRecordCount: z.number().optional(),
  processedRecordCount: z.number().optional(),
  successRecordCount: z.number().optional(),
  errorRecordCount: z.number().optional(),
  inputTokenCount: z.number().optional(),
  outputTokenCount: z.number().optional(),
});
export type BatchManifest = z.infer<typeof BatchManifest>;
