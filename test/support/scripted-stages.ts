/**
 * Scripted answers to the model engine's prompts, read the way a model would read them: the
 * stage from the forced tool's name, the document id from the data block, the rest from the
 * prompt's text. Summaries, causes and digests come from the offline engine run on the document
 * the summarize prompt carried; themes from the offline fold run on the incidents the fold prompt
 * carries; a labels map, when given, decides the causes instead.
 */
import { TechnologyMatcher, loadCatalog } from '../../src/catalog/index.ts';
import { analyzeOffline } from '../../src/engines/offline/analyze.ts';
import { classifyOffline } from '../../src/engines/offline/classify.ts';
import { foldThemesOffline } from '../../src/engines/offline/fold.ts';
import { summarizeOffline } from '../../src/engines/offline/summarize.ts';
import { ingestBytes } from '../../src/ingest/index.ts';
import type { FoldIncident } from '../../src/engines/engine.ts';
import type { FaultCategory, Postmortem, ThemeDraft } from '../../src/schemas/index.ts';

export type Script = (toolName: string, userText: string) => Promise<unknown>;

export function blockId(userText: string): string {
  const match = /<(?:document|postmortem) id="([^"]+)"/.exec(userText);
  if (!match?.[1]) throw new Error('the prompt carries no document id');
  return match[1];
}

/** What a fold prompt carries: incidents (the first level) or the themes of an earlier level. */
export interface FoldPrompt {
  incidents: FoldIncident[];
  themes: ThemeDraft[];
}

const NO_LIST = new Set(['none', 'none from the catalog']);
const listOf = (text: string): string[] =>
  NO_LIST.has(text.trim()) ? [] : text.split(', ').map((item) => item.trim());

/** Reads the fold prompt the way a model would: incident blocks, or theme blocks with their evidence. */
export function readFoldPrompt(userText: string): FoldPrompt {
  const incidents: FoldIncident[] = [];
  const themes: ThemeDraft[] = [];
  let incident: FoldIncident | undefined;
  let theme: ThemeDraft | undefined;
  let described = false;
  for (const line of userText.split('\n')) {
    const incidentHeader = /^incident (\S+) \| ([\w-]+) \| technologies: (.*) \| factors: (.*)$/.exec(line);
    const themeHeader = /^theme (\S+) \| ([\w-]+) \| \d+ incident\(s\) \| (.*)$/.exec(line);
    if (incidentHeader) {
      theme = undefined;
      incident = {
        docId: incidentHeader[1] as string,
        faultCategory: incidentHeader[2] as FaultCategory,
        faultSecondary: null,
        technologies: listOf(incidentHeader[3] ?? ''),
        contributingFactors: listOf(incidentHeader[4] ?? ''),
        sentences: [],
        // The prompt does not tell causes from remedies: every sentence counts as a cause.
        causeSentences: 0,
      };
      incidents.push(incident);
      continue;
    }
    if (themeHeader) {
      incident = undefined;
      described = false;
      // A theme of an earlier level is cited by its handle; the system keeps its members and their evidence.
      theme = {
        theme: themeHeader[3] as string,
        faultCategory: themeHeader[2] as FaultCategory,
        description: '',
        contributingFactors: [],
        incidentIds: [themeHeader[1] as string],
        evidence: [],
      };
      themes.push(theme);
      continue;
    }
    const indented = /^ {2}(.*)$/.exec(line)?.[1];
    if (indented === undefined) continue;
    if (incident) {
      incident.sentences.push(indented);
      incident.causeSentences = incident.sentences.length;
    }
    if (!theme) continue;
    const example = /^example: (.*)$/.exec(indented);
    const factors = /^factors: (.*)$/.exec(indented);
    if (example) continue;
    else if (factors && described) theme.contributingFactors = listOf(factors[1] ?? '');
    else if (!described) {
      theme.description = indented;
      described = true;
    }
  }
  return { incidents, themes };
}

/** Themes of an earlier level merged by name, the way a model would join equal themes. */
export function mergeThemes(themes: readonly ThemeDraft[]): ThemeDraft[] {
  const byName = new Map<string, ThemeDraft>();
  for (const theme of themes) {
    const known = byName.get(theme.theme);
    if (!known) {
      byName.set(theme.theme, { ...theme, incidentIds: [...theme.incidentIds], evidence: [...theme.evidence] });
      continue;
    }
    for (const handle of theme.incidentIds) if (!known.incidentIds.includes(handle)) known.incidentIds.push(handle);
  }
  return [...byName.values()].filter((theme) => theme.incidentIds.length > 0);
}

/**
 * Themes from the fold prompt: the offline fold run on the incidents the prompt carries (the first
 * level), or the themes of an earlier level merged by name. Every quote is a member's own sentence.
 */
export function scriptedThemes(userText: string): unknown {
  const { incidents, themes } = readFoldPrompt(userText);
  return { themes: [...foldThemesOffline(incidents), ...mergeThemes(themes)] };
}

export function scriptedOpportunities(userText: string): unknown {
  const ids = [...userText.matchAll(/^(?:theme|pattern) (\S+) \|/gm)].map((match) => match[1] as string);
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
      case 'submit_themes':
        return scriptedThemes(userText);
      case 'submit_opportunities':
        return scriptedOpportunities(userText);
      default:
        throw new Error(`the scripted model knows no tool ${toolName}`);
    }
  };
}
