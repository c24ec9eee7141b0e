/**
 * Record ids of a batch job and the way back from a record to the request it answers.
 *
 * A request is identified by its content (src/models/replay.ts's cassetteKey: the model, the prompt
 * version and the rendered input), so that re-running a stage renders the same request and finds
 * its answer, and two identical requests (two copies of one document) are sent once. Each distinct
 * request gets a record id of 11 alphanumeric characters (`R` and ten digits, the shape of
 * Bedrock's own record ids); the index (record id -> request key) is stored beside the input file,
 * because the output's order is not the input's.
 */
import { fromConverseOutput } from '../models/bedrock-mapping.ts';
import type { ModelRequest, ModelResponse } from '../models/language-model.ts';
import { cassetteKey } from '../models/replay.ts';
import { toBatchModelInput, type BatchInputRecord, type BatchOutputRecord } from './jsonl.ts';

/** A request a stage would send, as the deferring model caught it. */
export interface CollectedRequest {
  modelId: string;
  request: ModelRequest;
}

export interface RecordIndexEntry {
  recordId: string;
  /** cassetteKey(modelId, request) */
  requestKey: string;
  /** The document (and technology) the request is about: for logs and counts, never sent. */
  subject: string;
}

export interface RecordPlan {
  records: BatchInputRecord[];
  index: RecordIndexEntry[];
}

export const RECORD_ID = /^R\d{10}$/;

export function recordIdOf(position: number): string {
  if (!Number.isInteger(position) || position < 0 || position >= 1e10)
    throw new RangeError(`no record id for position ${position}`);
  return `R${String(position).padStart(10, '0')}`;
}

export function requestKeyOf(collected: CollectedRequest): string {
  return cassetteKey(collected.modelId, collected.request);
}

/** One record per distinct request, in the order first seen. */
export function planRecords(collected: readonly CollectedRequest[]): RecordPlan {
  const seen = new Set<string>();
  const records: BatchInputRecord[] = [];
  const index: RecordIndexEntry[] = [];
  for (const item of collected) {
    const requestKey = requestKeyOf(item);
    if (seen.has(requestKey)) continue;
    seen.add(requestKey);
    const recordId = recordIdOf(records.length);
    records.push({ recordId, modelInput: toBatchModelInput(item.modelId, item.request) });
    index.push({ recordId, requestKey, subject: item.request.label?.subject ?? '' });
  }
  return { records, index };
}

/** What the job said about one request: its answer, or that it failed there (to be computed on demand). */
export type BatchAnswer = { ok: true; response: ModelResponse } | { ok: false; reason: string };

export interface MappedAnswers {
  /** By request key. A request of the index that is absent here was not processed by the job. */
  answers: Map<string, BatchAnswer>;
  /** Output records whose id is not in the index (never expected): ignored. */
  unknownRecords: number;
  /** Index entries with no output record. */
  missing: number;
}

/** Map the output records back to requests by record id (the output's order means nothing). */
export function mapAnswers(index: readonly RecordIndexEntry[], outputs: readonly BatchOutputRecord[]): MappedAnswers {
  const byRecord = new Map(index.map((entry) => [entry.recordId, entry]));
  const answers = new Map<string, BatchAnswer>();
  let unknownRecords = 0;
  for (const output of outputs) {
    const entry = byRecord.get(output.recordId);
    if (!entry) {
      unknownRecords += 1;
      continue;
    }
    answers.set(
      entry.requestKey,
      output.ok
        ? { ok: true, response: { ...fromConverseOutput(output.output, 0), warnings: [] } }
        : { ok: false, reason: output.reason },
    );
  }
  const missing = index.filter((entry) => !answers.has(entry.requestKey)).length;
  return { answers, unknownRecords, missing };
}
