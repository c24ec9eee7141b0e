/**
 * Generates planted errors from the golden cases, for the trust tests: scripted model outputs with
 * hallucinated quotes and with surface-attribution errors, and the correct outputs beside them.
 * Deterministic: the same golden folder gives the same plants.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TechnologyMatcher } from '../../src/catalog/index.ts';
import { summarizeOffline } from '../../src/engines/offline/summarize.ts';
import { ingestFile } from '../../src/ingest/index.ts';
import type { Catalog, Classification, Postmortem, Summary } from '../../src/schemas/index.ts';
import { CAUSAL_CUE, FAILURE_STATE } from '../../src/attribution/index.ts';
import { sentencesOf } from '../../src/text/sentences.ts';
import { emptyClassification } from '../support/classification.ts';

interface Label {
  id: string;
  file: string;
  causal: string[];
  mentionedOnly: string[];
  lenient?: boolean;
}

export interface GoldenDocument {
  label: Label;
  postmortem: Postmortem;
}

export async function loadGoldenDocuments(goldenDir: string): Promise<GoldenDocument[]> {
  const labels = readFileSync(path.join(goldenDir, 'labels.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Label);
  const documents: GoldenDocument[] = [];
  for (const label of labels) {
    const outcome = await ingestFile(goldenDir, label.file, label.id);
    if (outcome.ok) documents.push({ label, postmortem: outcome.postmortem });
  }
  return documents;
}

/** Ways a model invents a quote: a changed number, a changed word, a sentence it made up. */
function hallucinate(quote: string, index: number): string {
  switch (index % 3) {
    case 0: {
      const changed = quote.replace(/\d+/, (digits) => String(Number(digits) + 7));
      return changed !== quote ? changed : `${quote} The team confirmed this twice.`;
    }
    case 1: {
      const words = quote.split(' ');
      const at = Math.min(words.length - 1, 3);
      words[at] = words[at] === 'database' ? 'cluster' : 'database';
      return words.join(' ');
    }
    default:
      return 'The primary cause was a misconfigured retry policy that nobody had reviewed since the migration.';
  }
}

export interface PlantedSummary {
  docId: string;
  summary: Summary;
  /** The fields whose evidence was replaced by an invented quote. */
  planted: string[];
}

/** One summary per document with one evidence quote of one field replaced by an invented one. */
export function plantHallucinations(documents: readonly GoldenDocument[]): PlantedSummary[] {
  const planted: PlantedSummary[] = [];
  documents.forEach(({ postmortem }, index) => {
    const summary = summarizeOffline(postmortem);
    const fields: Array<[string, Summary['issue']]> = [
      ['issue', summary.issue],
      ['impact', summary.impact],
      ['resolution', summary.resolution],
      ...summary.rootCauses.map((claim, at): [string, Summary['issue']] => [`rootCauses[${at}]`, claim]),
    ];
    const stated = fields.filter(([, claim]) => claim.evidence.length > 0);
    // Two plants per document where it has two stated fields, so the set reaches well past 50.
    for (const [offset, [field, claim]] of stated.slice(0, 2).entries()) {
      const copy = structuredClone(summary);
      const target =
        field === 'issue'
          ? copy.issue
          : field === 'impact'
            ? copy.impact
            : field === 'resolution'
              ? copy.resolution
              : copy.rootCauses[Number(/\d+/.exec(field)?.[0])];
      if (!target) continue;
      target.evidence = [hallucinate(claim.evidence[0] as string, index + offset)];
      planted.push({ docId: postmortem.id, summary: copy, planted: [field] });
    }
  });
  return planted;
}

export interface PlantedClassification {
  docId: string;
  classification: Classification;
  /** The technology planted as a cause that did not cause the incident. */
  technology: string;
  kind: 'trap-mention' | 'not-named';
}

/**
 * Surface-attribution errors: a trap technology (named in the document, not causal) declared a
 * cause with the sentence that names it as evidence; and a technology the document never names
 * declared a cause with a real sentence as evidence.
 */
export function plantAttributionErrors(
  documents: readonly GoldenDocument[],
  catalog: Catalog,
): PlantedClassification[] {
  const matcher = new TechnologyMatcher(catalog);
  const names = catalog.technologies.map((entry) => entry.name);
  const planted: PlantedClassification[] = [];
  documents.forEach(({ label, postmortem }, index) => {
    const sentences = sentencesOf(postmortem, { headings: true });
    const base: Classification = emptyClassification(postmortem.id);
    for (const technology of label.mentionedOnly) {
      const naming = sentences.filter((sentence) => matcher.namedIn(sentence.text).has(technology));
      const evidence = naming.slice(0, 2).map((sentence) => sentence.text);
      if (evidence.length === 0) continue;
      planted.push({
        docId: postmortem.id,
        technology,
        kind: 'trap-mention',
        classification: {
          ...base,
          causal: [{ technology, role: `${technology} caused the incident.`, evidence, confidence: 0.8 }],
        },
      });
    }
    const named = matcher.namedIn(postmortem.text);
    const absent = names.filter((name) => !named.has(name) && !label.causal.includes(name));
    const technology = absent[index % absent.length];
    const sentence = sentences.find((candidate) => candidate.role === 'root-cause') ?? sentences[0];
    if (technology && sentence) {
      planted.push({
        docId: postmortem.id,
        technology,
        kind: 'not-named',
        classification: {
          ...base,
          causal: [
            { technology, role: `${technology} caused the incident.`, evidence: [sentence.text], confidence: 0.8 },
          ],
        },
      });
    }
  });
  return planted;
}

/**
 * Correct classifications to check the guard does not flag them: every labelled cause, cited by
 * the sentences that name it in the root-cause, contributing-factors or summary sections (the
 * places a careful model would quote).
 */
export function correctClassifications(
  documents: readonly GoldenDocument[],
  catalog: Catalog,
): Array<{ docId: string; classification: Classification }> {
  const matcher = new TechnologyMatcher(catalog);
  const correct: Array<{ docId: string; classification: Classification }> = [];
  for (const { label, postmortem } of documents) {
    if (label.causal.length === 0 || label.lenient) continue;
    const sentences = sentencesOf(postmortem, { headings: true });
    const causal = label.causal.map((technology) => {
      const everywhere = sentences.filter((sentence) => matcher.namedIn(sentence.text).has(technology));
      const inCauses = everywhere.filter((sentence) =>
        ['root-cause', 'contributing-factors', 'summary', 'timeline', 'other'].includes(sentence.role),
      );
      const naming = inCauses.length > 0 ? inCauses : everywhere;
      // A careful model cites the sentences that show the technology failing or causing.
      const showing = naming.filter((sentence) => FAILURE_STATE.test(sentence.text) || CAUSAL_CUE.test(sentence.text));
      const cited = [...showing, ...naming.filter((sentence) => !showing.includes(sentence))].slice(0, 3);
      return {
        technology,
        role: `${technology} caused the incident.`,
        evidence: cited.map((sentence) => sentence.text),
        confidence: 0.9,
      };
    });
    correct.push({
      docId: postmortem.id,
      classification: {
        docId: postmortem.id,
        causal,
        mentioned: [],
        unnamedCause: null,
        flags: [],
        faultCategory: 'unknown',
        faultSecondary: null,
      },
    });
  }
  return correct;
}
