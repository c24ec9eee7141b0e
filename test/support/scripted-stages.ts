/**
 * Scripted answers to the model engine's prompts, read the way a model would read them: the
 * stage from the forced tool's name, the document id from the data block, the rest from the
 * prompt's text. Summaries, causes and digests come from the offline engine run on the document
 * the summarize prompt carried; a labels map, when given, decides the causes instead.
 */
import { TechnologyMatcher, loadCatalog } from '../../src/catalog/index.ts';
import { analyzeOffline } from '../../src/engines/offline/analyze.ts';
import { classifyOffline } from '../../src/engines/offline/classify.ts';
import { summarizeOffline } from '../../src/engines/offline/summarize.ts';
import { ingestBytes } from '../../src/ingest/index.ts';
import type { Postmortem } from '../../src/schemas/index.ts';

export type Script = (toolName: string, userText: string) => Promise<unknown>;

export function blockId(userText: string): string {
  const match = /<(?:document|postmortem) id="([^"]+)"/.exec(userText);
  if (!match?.[1]) throw new Error('the prompt carries no document id');
  return match[1];
}

/** Patterns from the fold prompt: digests (or earlier patterns) grouped by fault category. */
export function scriptedPatterns(userText: string): unknown {
  const technology = /technology="([^"]+)"/.exec(userText)?.[1] ?? 'unknown';
  const groups = new Map<string, Set<string>>();
  let current: string | undefined;
  for (const line of userText.split('\n')) {
    const digest = /^incident (\S+) \| ([\w-]+) \|/.exec(line);
    const pattern = /^pattern \| ([\w-]+) \|/.exec(line);
    const incidents = /^\s+incidents: (.+)$/.exec(line);
    if (digest?.[1] && digest[2]) groups.set(digest[2], (groups.get(digest[2]) ?? new Set<string>()).add(digest[1]));
    if (pattern?.[1]) current = pattern[1];
    if (incidents?.[1] && current) {
      const ids = groups.get(current) ?? new Set<string>();
      for (const id of incidents[1].split(', ')) ids.add(id);
      groups.set(current, ids);
    }
  }
  return {
    patterns: [...groups.entries()]
      .filter(([, ids]) => ids.size > 0)
      .map(([category, ids]) => ({
        technology,
        faultCategory: category,
        theme: `${technology} ${category}`,
        description: `Incidents in which ${technology} failed through ${category}.`,
        contributingFactors: [],
        incidentIds: [...ids].sort(),
        evidence: [],
      })),
  };
}

export function scriptedOpportunities(userText: string): unknown {
  const ids = [...userText.matchAll(/^pattern (\S+) \|/gm)].map((match) => match[1] as string);
  return {
    opportunities: ids.map((patternId) => ({
      patternId,
      title: `Invest against ${patternId}`,
      rationale: 'Scripted rationale.',
    })),
  };
}

function documentBody(userText: string): { id: string; title: string; text: string } {
  const match = /<document id="([^"]*)" title="([^"]*)">\n([\s\S]*)\n<\/document>/.exec(userText);
  if (!match) throw new Error('the summarize prompt carries no document block');
  return { id: match[1] ?? '', title: match[2] ?? '', text: match[3] ?? '' };
}

/** A script for any corpus: the offline engine's answers, computed from what the prompts carry. */
export async function createCorpusScript(): Promise<Script> {
  const { catalog } = await loadCatalog();
  const matcher = new TechnologyMatcher(catalog);
  const documents = new Map<string, Postmortem>();
  const documentOf = (id: string): Postmortem => {
    const found = documents.get(id);
    if (!found) throw new Error(`the scripted model has not seen document ${id} summarized`);
    return found;
  };
  return async (toolName, userText) => {
    switch (toolName) {
      case 'submit_summary': {
        const { id, title, text } = documentBody(userText);
        const outcome = ingestBytes(new TextEncoder().encode(`# ${title}\n\n${text}`), `${id}.md`, id);
        if (!outcome.ok) throw new Error(`cannot read ${id}: ${outcome.skipped.reason}`);
        documents.set(id, outcome.postmortem);
        const { docId: _docId, ...summary } = summarizeOffline(outcome.postmortem);
        return summary;
      }
      case 'submit_classification': {
        const { docId: _docId, ...classification } = classifyOffline(documentOf(blockId(userText)), matcher);
        return classification;
      }
      case 'submit_digest': {
        const id = blockId(userText);
        const technology = /^Technology: (.+)$/m.exec(userText)?.[1] ?? '';
        const postmortem = documentOf(id);
        const {
          docId: _docId,
          technology: _technology,
          ...digest
        } = analyzeOffline(postmortem, classifyOffline(postmortem, matcher), technology, matcher);
        return digest;
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
