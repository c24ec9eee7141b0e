/**
 * A scripted model whose answers derive from a golden folder: summaries from the document's own
 * sentences (through the offline summarizer), causes and fault categories from labels.jsonl,
 * digests from the passages the prompt carries, patterns grouped by fault category. With it,
 * `pmlens analyze` over golden/ with a model engine produces results a test can check against
 * the labels. It reads the prompt the way a model would: the stage from the forced tool's name,
 * the document id from the data block.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_CATALOG_PATH, TechnologyMatcher } from '../../src/catalog/index.ts';
import { CAUSAL_CUE, FAILURE_STATE } from '../../src/attribution/index.ts';
import { summarizeOffline } from '../../src/engines/offline/summarize.ts';
import { Catalog } from '../../src/schemas/index.ts';

function parseCatalog(text: string): Catalog {
  return Catalog.parse(parseYaml(text));
}
import { ingestFile } from '../../src/ingest/index.ts';
import type { Postmortem } from '../../src/schemas/index.ts';
import { blockId, scriptedOpportunities, scriptedPatterns, type Script } from './scripted-stages.ts';

export type { Script } from './scripted-stages.ts';

interface Label {
  id: string;
  file: string;
  causal: string[];
  mentionedOnly: string[];
  faultCategory?: string;
}

/** The quotable lines of a prompt: its passages, and the summary lines (verbatim when the summary quoted the document). */
function passageLines(userText: string): string[] {
  return userText
    .split('\n')
    .map((line) => /^(?:- |(?:issue|root cause|impact|resolution): )(.*)$/.exec(line)?.[1])
    .filter((line): line is string => line !== undefined)
    .map((line) => line.replace(/^\[[^\]]*\]\s*/, ''));
}

/** The golden label id of a document id: the id without its hash suffix (golden ids are slugs already). */
export function labelIdOf(docId: string): string {
  return docId.replace(/-[0-9a-f]{10}$/, '');
}

export function loadGoldenLabels(goldenDir: string): Map<string, Label> {
  const lines = readFileSync(path.join(goldenDir, 'labels.jsonl'), 'utf8').split('\n').filter(Boolean);
  return new Map(lines.map((line) => JSON.parse(line) as Label).map((label) => [label.id, label]));
}

export function createGoldenScript(goldenDir: string): Script {
  const matcher = new TechnologyMatcher(parseCatalog(readFileSync(DEFAULT_CATALOG_PATH, 'utf8')));
  const labels = loadGoldenLabels(goldenDir);
  const documents = new Map<string, Postmortem>();
  async function documentOf(id: string): Promise<Postmortem> {
    const known = documents.get(id);
    if (known) return known;
    const label = labels.get(id);
    const file = label ? label.file : path.join('cases', `${id}`);
    const outcome = await ingestFile(goldenDir, label ? file : `cases/${id}.md`, id);
    if (!outcome.ok) throw new Error(`scripted model cannot read ${id}: ${outcome.skipped.reason}`);
    documents.set(id, outcome.postmortem);
    return outcome.postmortem;
  }

  return async (toolName, userText) => {
    switch (toolName) {
      case 'submit_summary': {
        const id = labelIdOf(blockId(userText));
        const { docId: _docId, ...summary } = summarizeOffline(await documentOf(id.replace(/^cases\//, '')));
        return summary;
      }
      case 'submit_classification': {
        const id = labelIdOf(blockId(userText)).replace(/^cases\//, '');
        const label = labels.get(id);
        const passages = passageLines(userText);
        // Like a careful model: quote passages that name the technology, those telling a failure first.
        const quoteFor = (technology: string): string[] => {
          const naming = passages.filter((passage) => matcher.namedIn(passage).has(technology));
          const telling = naming.filter((passage) => FAILURE_STATE.test(passage) || CAUSAL_CUE.test(passage));
          const quotes = [...telling, ...naming.filter((passage) => !telling.includes(passage))].slice(0, 3);
          return quotes.length > 0 ? quotes : [passages[0] ?? technology];
        };
        return {
          causal: (label?.causal ?? []).map((technology) => ({
            technology,
            role: `${technology} directly contributed.`,
            evidence: quoteFor(technology),
            confidence: 0.9,
          })),
          mentioned: (label?.mentionedOnly ?? []).map((technology) => ({
            technology,
            context: 'other',
            reason: 'named without a causal role',
            evidence: quoteFor(technology),
          })),
          unnamedCause: null,
        };
      }
      case 'submit_digest': {
        const id = labelIdOf(blockId(userText)).replace(/^cases\//, '');
        const passages = passageLines(userText);
        const sentences = passages.slice(0, 3);
        return {
          sentences: sentences.length > 0 ? sentences : ['The document gives no passage about this technology.'],
          faultCategory: labels.get(id)?.faultCategory ?? 'unknown',
          contributingFactors: [],
          evidence: sentences,
        };
      }
      case 'submit_patterns':
        return scriptedPatterns(userText);
      case 'submit_opportunities':
        return scriptedOpportunities(userText);
      default:
        throw new Error(`the scripted model knows no tool ${toolName}`);
    }
  };
}
