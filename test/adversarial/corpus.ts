/**
 * The labelled adversarial corpus (test/adversarial/corpus/): small postmortems in many voices,
 * each with its true causal technologies (or none) and its traps: a rejected theory, victims,
 * action items, upstream-provider lists, and in three of them an instruction addressed to a model.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { documentIdOf } from '../../src/run/identity.ts';

export const CORPUS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'corpus');
export const DOCS_DIR = path.join(CORPUS_DIR, 'docs');

export interface CorpusLabel {
  file: string;
  /** The true causes: each with its verbatim causal sentence and a role that sentence supports. */
  causal: Array<{ technology: string; sentence: string; role: string }>;
  /** The root-cause sentence of a document whose cause is no catalog technology. */
  rootCause: string | null;
  faultCategory: string;
  /** Verbatim sentences of the issue, impact and resolution. */
  summary: { issue: string; impact: string; resolution: string };
  /** A theory the document states and then rejects, and the technology it names. */
  theory: { technology: string; sentence: string };
  /** Technologies named without a causal role (theories, victims, action items, providers). */
  mentionedOnly: string[];
  /** An embedded instruction to a model, the sentence next to it, and its place among such documents. */
  directive: { text: string; neighbour: string; index: number } | null;
}

type RawLabel = Omit<CorpusLabel, 'directive'> & { directive: { text: string; neighbour: string } | null };

export function loadCorpusLabels(): CorpusLabel[] {
  const raw = JSON.parse(readFileSync(path.join(CORPUS_DIR, 'labels.json'), 'utf8')) as RawLabel[];
  let index = 0;
  return raw.map((label) => ({
    ...label,
    directive: label.directive ? { ...label.directive, index: index++ } : null,
  }));
}

/** A corpus document's id in a run over DOCS_DIR. */
export function docIdOf(label: Pick<CorpusLabel, 'file'>): string {
  return documentIdOf(label.file);
}
