/** Votes out of the state store as JSON (an array) or CSV, chosen by the file's extension. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { ConfigurationError } from '../errors.ts';
import type { Vote } from '../store/state-store.ts';

export const VOTE_CSV_COLUMNS = [
  'at',
  'reviewer',
  'vote',
  'stage',
  'docId',
  'itemId',
  'promptVersion',
  'model',
  'correction',
] as const;

/** Votes by time, then item and reviewer (the order both stores list them in). */
export function sortVotes(votes: readonly Vote[]): Vote[] {
  const key = (vote: Vote): string => `${vote.at}#${vote.itemId}#${vote.reviewer}`;
  return [...votes].sort((left, right) => (key(left) < key(right) ? -1 : key(left) > key(right) ? 1 : 0));
}

export function votesToJson(votes: readonly Vote[]): string {
  return `${JSON.stringify(sortVotes(votes), null, 2)}\n`;
}

export function votesToCsv(votes: readonly Vote[]): string {
  return stringify(
    sortVotes(votes).map((vote) => VOTE_CSV_COLUMNS.map((column) => vote[column] ?? '')),
    { header: true, columns: [...VOTE_CSV_COLUMNS] },
  );
}

export type ExportFormat = 'json' | 'csv';

export function exportFormatOf(file: string): ExportFormat {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.json') return 'json';
  if (extension === '.csv') return 'csv';
  throw new ConfigurationError(`--export ${file}: the file must end in .json or .csv`);
}

/** Write the votes to `file` in the format its extension names; returns that format. */
export async function exportVotes(votes: readonly Vote[], file: string): Promise<ExportFormat> {
  const format = exportFormatOf(file);
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, format === 'json' ? votesToJson(votes) : votesToCsv(votes));
  return format;
}
