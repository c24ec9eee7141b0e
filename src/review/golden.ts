/**
 * A reviewer's correction becomes a golden case: the source document is copied into
 * `<golden>/cases/` and a label appended to `<golden>/labels.jsonl` (the format of golden/README.md).
 * Only classify items qualify: golden labels are the causal technologies of a case, and the
 * correction of a classify item is exactly that list.
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { access, appendFile, copyFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadCatalog, TechnologyMatcher } from '../catalog/index.ts';
import { ConfigurationError, messageOf } from '../errors.ts';
import { ingestBytes } from '../ingest/index.ts';
import { ReportData, type Catalog } from '../schemas/index.ts';
import type { Vote } from '../store/state-store.ts';
import { parseTechnologyList } from './overrides.ts';
import { reviewItemId, type ReviewItem } from './queue.ts';

export interface PromoteOptions {
  /** The analyze output folder (report/report.json, run.json). */
  outDir: string;
  /** The input folder the document's sourcePath is relative to. */
  sourceDir: string;
  /** The golden folder: cases/ and labels.jsonl, created when missing. */
  goldenDir: string;
  /** Catalog the corrected names are checked against; default the run's catalog (run.json), else config/catalog.yaml. */
  catalog?: Catalog;
  /** The report, when the caller has it already; default `<outDir>/report/report.json`. */
  report?: ReportData;
}

/** One line of labels.jsonl as promotion writes it. */
export interface PromotedLabel {
  id: string;
  file: string;
  causal: string[];
  mentionedOnly: string[];
  lenient: false;
  style: 'review';
  note: string;
}

export interface PromoteResult {
  caseFile: string;
  labelsFile: string;
  label: PromotedLabel;
}

/** Catalog names (canonical or alias, any case) to canonical names; the ones not in the catalog apart. */
export function resolveTechnologies(
  names: readonly string[],
  catalog: Catalog,
): { resolved: string[]; unknown: string[] } {
  const owners = new Map<string, string>();
  for (const entry of catalog.technologies)
    for (const name of [entry.name, ...entry.aliases]) owners.set(name.toLowerCase(), entry.name);
  const resolved: string[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    const owner = owners.get(name.trim().toLowerCase());
    if (owner === undefined) unknown.push(name);
    else if (!resolved.includes(owner)) resolved.push(owner);
  }
  return { resolved, unknown };
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

async function readJsonFile(file: string, what: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch (error) {
    throw new ConfigurationError(`cannot read ${what} ${file}: ${messageOf(error)}`);
  }
}

async function catalogOf(options: PromoteOptions): Promise<Catalog> {
  if (options.catalog) return options.catalog;
  const run = (await readJsonFile(path.join(options.outDir, 'run.json'), 'the run record').catch(() => undefined)) as
    { catalog?: { path?: string | null } } | undefined;
  const recorded = run?.catalog?.path;
  return (await loadCatalog(recorded && (await exists(recorded)) ? recorded : undefined)).catalog;
}

/** The ids already labelled in a labels.jsonl (lines that do not parse are ignored here; eval reports them). */
async function labelledIds(labelsFile: string): Promise<Set<string>> {
  let raw: string;
  try {
    raw = await readFile(labelsFile, 'utf8');
  } catch {
    return new Set();
  }
  const ids = new Set<string>();
  for (const line of raw.split('\n')) {
    if (!line.trim()) continue;
    try {
      const value = JSON.parse(line) as { id?: unknown };
      if (typeof value.id === 'string') ids.add(value.id);
    } catch {
      // not ours to judge
    }
  }
  return ids;
}

/**
 * Copy the item's source document into `<goldenDir>/cases/<docId><ext>` and append its label, the
 * causal technologies being the vote's correction (checked against the catalog). Refuses a
 * non-classify item, a vote without a correction or for another item, a source that changed since
 * the vote, and a case already in the golden set.
 */
export async function promoteToGolden(item: ReviewItem, vote: Vote, options: PromoteOptions): Promise<PromoteResult> {
  if (item.stage !== 'classify') {
    throw new ConfigurationError(
      `item ${item.id} is a ${item.stage} item (${item.field}); only classify items can become golden cases, whose labels are causal technologies`,
    );
  }
  if (vote.itemId !== item.id) throw new ConfigurationError(`the vote is for item ${vote.itemId}, not ${item.id}`);
  const correction = vote.correction?.trim() ?? '';
  if ((vote.vote !== 'down' && vote.vote !== 'edit') || correction === '') {
    throw new ConfigurationError(`item ${item.id} has no downvote or edit with a correction to promote`);
  }
  const catalog = await catalogOf(options);
  const { resolved, unknown } = resolveTechnologies(parseTechnologyList(correction), catalog);
  if (unknown.length > 0) {
    throw new ConfigurationError(
      `the correction names ${unknown.map((name) => `"${name}"`).join(', ')}, not in the catalog; known: ${catalog.technologies.map((entry) => entry.name).join(', ')}`,
    );
  }

  const report =
    options.report ??
    ReportData.parse(await readJsonFile(path.join(options.outDir, 'report', 'report.json'), 'the report'));
  const document = report.documents.find((entry) => entry.docId === item.docId);
  if (!document) throw new ConfigurationError(`document ${item.docId} is not in the report of ${options.outDir}`);
  const sourceFile = path.join(options.sourceDir, document.sourcePath);
  let bytes: Buffer;
  try {
    bytes = await readFile(sourceFile);
  } catch (error) {
    throw new ConfigurationError(`cannot read the source ${sourceFile}: ${messageOf(error)}`);
  }
  const contentHash = createHash('sha256').update(bytes).digest('hex');
  if (
    item.id !== reviewItemId(item.docId, item.stage, item.field, contentHash) &&
    item.id !== reviewItemId(item.docId, item.stage, item.field, null)
  ) {
    throw new ConfigurationError(
      `the source ${sourceFile} changed since item ${item.id} was reviewed; review it again before promoting it`,
    );
  }

  const labelsFile = path.join(options.goldenDir, 'labels.jsonl');
  const relativeCase = path.posix.join('cases', `${item.docId}${path.extname(document.sourcePath).toLowerCase()}`);
  const caseFile = path.join(options.goldenDir, ...relativeCase.split('/'));
  if ((await labelledIds(labelsFile)).has(item.docId))
    throw new ConfigurationError(`golden case "${item.docId}" is already labelled in ${labelsFile}`);
  if (await exists(caseFile)) throw new ConfigurationError(`golden case file ${caseFile} already exists`);

  const ingested = ingestBytes(bytes, document.sourcePath, item.docId, { maxBytes: Number.MAX_SAFE_INTEGER });
  const named = ingested.ok
    ? new TechnologyMatcher(catalog).namedIn(`${ingested.postmortem.title}\n${ingested.postmortem.text}`)
    : new Set<string>();
  const label: PromotedLabel = {
    id: item.docId,
    file: relativeCase,
    causal: resolved,
    mentionedOnly: [...named].filter((name) => !resolved.includes(name)).sort(),
    lenient: false,
    style: 'review',
    note: `promoted from review item ${item.id} (${item.field}, ${vote.vote} by ${vote.reviewer} at ${vote.at}): ${correction}`,
  };

  await mkdir(path.dirname(caseFile), { recursive: true });
  try {
    await copyFile(sourceFile, caseFile, constants.COPYFILE_EXCL);
  } catch (error) {
    if (typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'EEXIST')
      throw new ConfigurationError(`golden case file ${caseFile} already exists`);
    throw error;
  }
  const previous = await readFile(labelsFile, 'utf8').catch(() => '');
  await appendFile(
    labelsFile,
    `${previous.length > 0 && !previous.endsWith('\n') ? '\n' : ''}${JSON.stringify(label)}\n`,
  );
  return { caseFile, labelsFile, label };
}
