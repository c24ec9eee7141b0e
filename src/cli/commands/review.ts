import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { loadCatalog } from '../../catalog/index.ts';
import { ConfigurationError } from '../../errors.ts';
import { ingestFile } from '../../ingest/index.ts';
import type { Catalog, Postmortem } from '../../schemas/index.ts';
import { createDynamoDbClient } from '../../store/dynamodb-item-table.ts';
import { openDynamoDbStateStore, openLocalStateStore } from '../../store/open-state.ts';
import type { StateStore, Vote } from '../../store/state-store.ts';
import { exportFormatOf, exportVotes } from '../../review/export.ts';
import { promoteToGolden, resolveTechnologies } from '../../review/golden.ts';
import { parseTechnologyList } from '../../review/overrides.ts';
import { findSourcePassage } from '../../review/passages.ts';
import {
  approvalByStageAndPrompt,
  buildReviewQueue,
  effectiveSampleRate,
  reviewCandidates,
  ReviewItem as ReviewItemSchema,
  trailingApproval,
  type ReviewItem,
} from '../../review/queue.ts';
import { runReviewSession, type CorrectionCheck, type ItemView } from '../../review/session.ts';
import {
  contentHashesOf,
  knownTechnologies,
  loadAnalyzeOutput,
  recordTechnologies,
  type AnalyzeOutput,
} from '../../review/workspace.ts';
import { EXIT_OK } from '../exit-codes.ts';

export interface ReviewCommandOptions {
  out: string;
  reviewer?: string;
  state?: string;
  table?: string;
  dynamodbEndpoint?: string;
  region?: string;
  export?: string;
  promote?: string;
  source?: string;
  golden?: string;
  limit?: number;
  sampleRate?: number;
  catalog?: string;
}

export interface ReviewIo {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream & { isTTY?: boolean };
  error: NodeJS.WritableStream;
}

function reviewerOf(options: ReviewCommandOptions): string {
  let fallback: string | undefined;
  try {
    fallback = os.userInfo().username;
  } catch {
    fallback = undefined;
  }
  const reviewer = (options.reviewer ?? process.env.USER ?? fallback ?? '').trim();
  if (!reviewer) throw new ConfigurationError('no reviewer name: pass --reviewer <name> (default: $USER)');
  return reviewer;
}

async function openStore(options: ReviewCommandOptions): Promise<{ store: StateStore; close(): Promise<void> }> {
  if (options.dynamodbEndpoint && !options.table)
    throw new ConfigurationError('--dynamodb-endpoint needs --table <name>');
  if (options.table && options.state)
    throw new ConfigurationError('--state and --table name two different state stores: pass one');
  if (options.table) {
    const client = createDynamoDbClient({ endpoint: options.dynamodbEndpoint, region: options.region });
    return {
      store: openDynamoDbStateStore({ client, tableName: options.table }),
      close: async () => {
        client.destroy();
      },
    };
  }
  const store = await openLocalStateStore(options.state ?? options.out);
  return { store, close: () => store.flush() };
}

async function catalogFor(options: ReviewCommandOptions, run: AnalyzeOutput['run']): Promise<Catalog> {
  const recorded = run?.catalog?.path;
  return (await loadCatalog(options.catalog ?? (recorded && existsSync(recorded) ? recorded : undefined))).catalog;
}

function sourceDirOf(options: ReviewCommandOptions, run: AnalyzeOutput['run']): string {
  const sourceDir = options.source ?? run?.input;
  if (!sourceDir)
    throw new ConfigurationError(
      `no input folder recorded in ${path.join(options.out, 'run.json')}: pass --source <input-dir>`,
    );
  return sourceDir;
}

function latest(votes: readonly Vote[]): Vote | undefined {
  return votes.reduce<Vote | undefined>(
    (best, vote) => (best === undefined || best.at <= vote.at ? vote : best),
    undefined,
  );
}

function findItem(items: readonly ReviewItem[], id: string): ReviewItem {
  const exact = items.find((item) => item.id === id);
  if (exact) return exact;
  const matches = id.length >= 4 ? items.filter((item) => item.id.startsWith(id)) : [];
  if (matches.length === 1 && matches[0]) return matches[0];
  if (matches.length > 1)
    throw new ConfigurationError(`--promote ${id} matches ${matches.length} items; give more of the id`);
  throw new ConfigurationError(
    `no item ${id} in the current report (an item id changes when its source document changes)`,
  );
}

async function promote(options: ReviewCommandOptions, store: StateStore, io: ReviewIo): Promise<number> {
  if (!options.golden) throw new ConfigurationError('--promote needs --golden <dir>');
  const { report, run } = await loadAnalyzeOutput(options.out);
  const sourceDir = sourceDirOf(options, run);
  const { hashes } = await contentHashesOf(report, sourceDir);
  const item = findItem(reviewCandidates(report, hashes), options.promote ?? '');
  const vote = latest(
    (await store.listVotes()).filter(
      (entry) =>
        entry.itemId === item.id &&
        (entry.vote === 'down' || entry.vote === 'edit') &&
        (entry.correction ?? '').trim() !== '',
    ),
  );
  if (!vote) throw new ConfigurationError(`item ${item.id} has no downvote or edit with a correction to promote`);
  const result = await promoteToGolden(item, vote, {
    outDir: options.out,
    sourceDir,
    goldenDir: options.golden,
    catalog: await catalogFor(options, run),
    report,
  });
  io.output.write(
    `golden case ${result.label.id}: ${result.caseFile}\n  causal: ${result.label.causal.join(', ') || 'none'}; label appended to ${result.labelsFile}\n`,
  );
  return EXIT_OK;
}

/** The review queue the run wrote, relative to the output folder. */
const QUEUE_FILE = path.join('review', 'queue.json');

/** review/queue.json of an output folder; undefined when missing or not a queue. */
async function readQueueFile(outDir: string): Promise<ReviewItem[] | undefined> {
  try {
    const parsed = z
      .array(ReviewItemSchema)
      .safeParse(JSON.parse(await readFile(path.join(outDir, QUEUE_FILE), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function percent(value: number | null): string {
  return value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`;
}

async function interactive(options: ReviewCommandOptions, store: StateStore, io: ReviewIo): Promise<number> {
  const reviewer = reviewerOf(options);
  const { report, run } = await loadAnalyzeOutput(options.out);
  const sourceDir = sourceDirOf(options, run);
  const catalog = await catalogFor(options, run);
  const { hashes, missing } = await contentHashesOf(report, sourceDir);
  if (missing.length > 0) {
    io.error.write(
      `pmlens review: the sources of ${missing.length} documents are not under ${sourceDir} (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', ...' : ''}); their evidence is shown without passages (pass --source <input-dir>)\n`,
    );
  }
  const votes = await store.listVotes();
  const approval = trailingApproval(votes);
  const rate = effectiveSampleRate({ sampleRate: options.sampleRate, trailingApproval: approval });
  // The queue the run wrote (review/queue.json) is the queue reviewed, so the counts agree with it;
  // it is rebuilt only for another sample rate, or when the file is missing or unreadable.
  const written = options.sampleRate === undefined ? await readQueueFile(options.out) : undefined;
  const queue =
    written ??
    buildReviewQueue(report, {
      sampleRate: options.sampleRate,
      trailingApproval: approval,
      knownTechnologies: await knownTechnologies(options.out, report),
      contentHashes: hashes,
    });
  const voted = new Set(votes.filter((vote) => vote.reviewer === reviewer).map((vote) => vote.itemId));
  const pending = queue.filter((item) => !voted.has(item.id));
  const items = options.limit === undefined ? pending : pending.slice(0, options.limit);
  const risky = queue.filter((item) => !item.reasons.includes('random-sample')).length;
  const origin = written
    ? `${queue.length} queued in ${path.join(options.out, QUEUE_FILE)}`
    : `${queue.length} queued${options.sampleRate === undefined ? ` (no readable ${QUEUE_FILE}: rebuilt)` : ' (rebuilt for --sample-rate)'}`;
  const left = [
    `${queue.length - pending.length} already voted on by ${reviewer}`,
    ...(items.length < pending.length ? [`${pending.length - items.length} beyond --limit ${options.limit}`] : []),
  ];
  io.output.write(
    `review of run ${report.runId}: ${origin} (${risky} risk, ${queue.length - risky} sampled at ${percent(rate)}; trailing approval ${percent(approval)}), ${pending.length} not yet reviewed by ${reviewer}; showing ${items.length} (${left.join(', ')})\n`,
  );

  const documents = new Map(report.documents.map((document) => [document.docId, document]));
  const sources = new Map<string, Promise<Postmortem | undefined>>();
  const sourceOf = (docId: string): Promise<Postmortem | undefined> => {
    let source = sources.get(docId);
    if (!source) {
      const document = documents.get(docId);
      source =
        document && hashes.has(docId)
          ? ingestFile(sourceDir, document.sourcePath, docId, { maxBytes: Number.MAX_SAFE_INTEGER }).then((outcome) =>
              outcome.ok ? outcome.postmortem : undefined,
            )
          : Promise.resolve(undefined);
      sources.set(docId, source);
    }
    return source;
  };
  const describe = async (item: ReviewItem): Promise<ItemView> => {
    const postmortem = await sourceOf(item.docId);
    if (!postmortem)
      return {
        evidence: item.evidence.map((quote) => ({ quote, passage: null })),
        note: `source ${documents.get(item.docId)?.sourcePath ?? item.docId} not available`,
      };
    return { evidence: item.evidence.map((quote) => ({ quote, passage: findSourcePassage(postmortem, quote) })) };
  };
  const checkCorrection = (item: ReviewItem, text: string): CorrectionCheck => {
    if (item.stage !== 'classify') return { value: text.trim() };
    const { resolved, unknown } = resolveTechnologies(parseTechnologyList(text), catalog);
    if (unknown.length > 0)
      return {
        error: `not in the catalog: ${unknown.join(', ')}; known: ${catalog.technologies.map((entry) => entry.name).join(', ')} (empty line or q to cancel the edit)`,
      };
    return { value: resolved.length === 0 ? 'none' : resolved.join(', ') };
  };

  const result = await runReviewSession({
    items,
    store,
    reviewer,
    input: io.input,
    output: io.output,
    terminal: Boolean(io.input.isTTY && io.output.isTTY),
    describe,
    checkCorrection,
  });
  await recordTechnologies(options.out, report);

  const count = (kind: Vote['vote']): number => result.votes.filter((vote) => vote.vote === kind).length;
  const lines = [
    '',
    `recorded ${result.votes.length} vote${result.votes.length === 1 ? '' : 's'} (up ${count('up')}, down ${count('down')}, edit ${count('edit')}, skip ${count('skip')}); ${pending.length - result.votes.length} items left for ${reviewer}`,
  ];
  const rows = approvalByStageAndPrompt([...votes, ...result.votes]);
  if (rows.length > 0) {
    lines.push('approval by stage and prompt version:');
    for (const row of rows)
      lines.push(
        `  ${row.stage.padEnd(10)} ${row.promptVersion.padEnd(14)} ${percent(row.approval).padStart(6)}  (up ${row.up}, down ${row.down})`,
      );
  }
  io.output.write(`${lines.join('\n')}\n`);
  return EXIT_OK;
}

export async function reviewCommand(
  options: ReviewCommandOptions,
  io: ReviewIo = { input: process.stdin, output: process.stdout, error: process.stderr },
): Promise<number> {
  if (options.export && options.promote)
    throw new ConfigurationError('--export and --promote are separate runs: pass one');
  if (options.export) exportFormatOf(options.export);
  const { store, close } = await openStore(options);
  try {
    if (options.export) {
      const votes = await store.listVotes();
      const format = await exportVotes(votes, options.export);
      io.error.write(`wrote ${votes.length} votes to ${options.export} (${format})\n`);
      return EXIT_OK;
    }
    if (options.promote) return await promote(options, store, io);
    return await interactive(options, store, io);
  } catch (error) {
    if (options.table && error instanceof Error && error.name === 'ResourceNotFoundException') {
      throw new ConfigurationError(
        `the DynamoDB table ${options.table} does not exist${options.dynamodbEndpoint ? ` at ${options.dynamodbEndpoint}` : ''}`,
      );
    }
    throw error;
  } finally {
    await close();
  }
}
