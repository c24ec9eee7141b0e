/**
 * What `pmlens review` reads from an analyze output folder, and the one file it keeps there:
 * `<out>/review/technologies.json`, the run in which each causal technology was first reviewed,
 * so that "new to the corpus" means the same thing in every review session of a run.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ConfigurationError } from '../errors.ts';
import { ReportData, type RunRecord } from '../schemas/index.ts';
import { technologiesOf } from './queue.ts';

export interface AnalyzeOutput {
  report: ReportData;
  /** run.json, loosely read (input folder, catalog path); undefined when absent. */
  run: (Partial<Pick<RunRecord, 'input' | 'runId'>> & { catalog?: { path?: string | null } }) | undefined;
}

export async function loadAnalyzeOutput(outDir: string): Promise<AnalyzeOutput> {
  const reportFile = path.join(outDir, 'report', 'report.json');
  let raw: string;
  try {
    raw = await readFile(reportFile, 'utf8');
  } catch {
    throw new ConfigurationError(
      `no report at ${reportFile}: run \`pmlens analyze <input-dir> --out ${outDir}\` first`,
    );
  }
  const parsed = ReportData.safeParse(JSON.parse(raw));
  if (!parsed.success) throw new ConfigurationError(`${reportFile} is not a report: ${z.prettifyError(parsed.error)}`);
  let run: AnalyzeOutput['run'];
  try {
    run = JSON.parse(await readFile(path.join(outDir, 'run.json'), 'utf8')) as AnalyzeOutput['run'];
  } catch {
    run = undefined;
  }
  return { report: parsed.data, run };
}

/** sha256 of each document's source bytes (Postmortem.contentHash); the documents whose source cannot be read apart. */
export async function contentHashesOf(
  report: ReportData,
  sourceDir: string,
): Promise<{ hashes: Map<string, string>; missing: string[] }> {
  const hashes = new Map<string, string>();
  const missing: string[] = [];
  await Promise.all(
    report.documents.map(async (document) => {
      try {
        hashes.set(
          document.docId,
          createHash('sha256')
            .update(await readFile(path.join(sourceDir, document.sourcePath)))
            .digest('hex'),
        );
      } catch {
        missing.push(document.docId);
      }
    }),
  );
  return { hashes, missing: missing.sort() };
}

const TechnologyHistory = z.object({ firstSeen: z.record(z.string(), z.string()) });
type TechnologyHistory = z.infer<typeof TechnologyHistory>;

function historyFile(outDir: string): string {
  return path.join(outDir, 'review', 'technologies.json');
}

async function readHistory(outDir: string): Promise<TechnologyHistory | undefined> {
  try {
    return TechnologyHistory.parse(JSON.parse(await readFile(historyFile(outDir), 'utf8')));
  } catch {
    return undefined;
  }
}

/**
 * Technologies reviewed before this report's run; undefined before the first review session (a
 * first review has no notion of new). A technology first seen in this run stays new for every
 * session of the run.
 */
export async function knownTechnologies(outDir: string, report: ReportData): Promise<Set<string> | undefined> {
  const history = await readHistory(outDir);
  if (!history) return undefined;
  return new Set(
    Object.entries(history.firstSeen)
      .filter(([, runId]) => runId !== report.runId)
      .map(([technology]) => technology),
  );
}

/** Record the report's technologies: first seen in its run, or as the baseline on the first session. */
export async function recordTechnologies(outDir: string, report: ReportData): Promise<void> {
  const history = await readHistory(outDir);
  const firstSeen = { ...(history?.firstSeen ?? {}) };
  for (const technology of technologiesOf(report)) firstSeen[technology] ??= history ? report.runId : '';
  const file = historyFile(outDir);
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify({ firstSeen }, null, 2)}\n`);
  await rename(temporary, file);
}
