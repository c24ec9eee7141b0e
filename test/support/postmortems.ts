/**
 * Helpers shared by the unit tests: ingest an inline document, normalise whitespace and
 * locate the repository. Synthetic postmortems are written in each test, never copied from
 * the golden set.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingestBytes } from '../../src/ingest/index.ts';
import type { Claim, Postmortem, Summary } from '../../src/schemas/index.ts';
import { sentencesOf } from '../../src/text/sentences.ts';

/** The repository root (/work/main), found relative to this file. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function repoPath(...parts: string[]): string {
  return path.join(REPO_ROOT, ...parts);
}

export function bytesOf(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Ingest an inline document; throws with the skip reason when it is refused. */
export function ingestInline(
  source: string,
  relativePath: string,
  id = relativePath.replace(/\.[^.]+$/, ''),
): Postmortem {
  const outcome = ingestBytes(bytesOf(source), relativePath, id);
  if (!outcome.ok)
    throw new Error(`expected ${relativePath} to ingest, got ${outcome.skipped.code}: ${outcome.skipped.reason}`);
  return outcome.postmortem;
}

/**
 * Every sentence of the cases of some development sets (datasets/<set>/cases), in file order: real
 * text in many voices, for checking that a faster reading answers as the plain one does.
 */
export function developmentSentences(sets: readonly string[]): string[] {
  const sentences: string[] = [];
  for (const set of sets) {
    const folder = repoPath('datasets', set, 'cases');
    for (const name of readdirSync(folder).sort()) {
      const outcome = ingestBytes(readFileSync(path.join(folder, name)), name, name);
      if (outcome.ok) for (const sentence of sentencesOf(outcome.postmortem)) sentences.push(sentence.text);
    }
  }
  return sentences;
}

/** Collapse every run of whitespace to one space. */
export function normalizeSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** True when a quote appears verbatim in the document text, whitespace aside. */
export function isQuoteOf(quote: string, postmortem: Postmortem): boolean {
  return normalizeSpace(postmortem.text).includes(normalizeSpace(quote));
}

/** Every claim of a summary, in the order the report shows them. */
export function claimsOfSummary(summary: Summary): Claim[] {
  return [summary.issue, ...summary.rootCauses, summary.impact, summary.resolution, ...summary.preventiveActions];
}
