/**
 * A scripted model whose answers derive from a golden folder: summaries from the document's own
 * sentences (through the offline summarizer), causes and fault categories from labels.jsonl,
 * digests from the passages the prompt carries, themes from the labelled themes (golden/themes.json)
 * with each member's best-matching sentence of the fold prompt as its evidence. With it,
 * `pmlens analyze` over golden/ with a model engine produces results a test can check against
 * the labels. It reads the prompt the way a model would: the stage from the forced tool's name,
 * the document id from the data block.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_CATALOG_PATH, TechnologyMatcher } from '../../src/catalog/index.ts';
import { CAUSAL_CUE, FAILURE_STATE } from '../../src/attribution/index.ts';
import { classifyOffline } from '../../src/engines/offline/classify.ts';
import { summarizeOffline } from '../../src/engines/offline/summarize.ts';
import { Catalog } from '../../src/schemas/index.ts';

function parseCatalog(text: string): Catalog {
  return Catalog.parse(parseYaml(text));
}
import { ingestFile } from '../../src/ingest/index.ts';
import type { Postmortem } from '../../src/schemas/index.ts';
import { contentWordsOf } from '../../src/text/words.ts';
import type { ThemeDraft } from '../../src/schemas/index.ts';
import { blockId, mergeThemes, readFoldPrompt, scriptedOpportunities, type Script } from './scripted-stages.ts';

export type { Script } from './scripted-stages.ts';

interface Label {
  id: string;
  file: string;
  causal: string[];
  mentionedOnly: string[];
  faultCategory?: string;
  faultSecondary?: string;
  themes?: string[];
}

interface LabelledTheme {
  id: string;
  mechanism: string;
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

function loadGoldenThemes(goldenDir: string): Map<string, LabelledTheme> {
  const file = path.join(goldenDir, 'themes.json');
  if (!existsSync(file)) return new Map();
  const themes = JSON.parse(readFileSync(file, 'utf8')) as LabelledTheme[];
  return new Map(themes.map((theme) => [theme.id, theme]));
}

/** The sentence sharing the most content words with the theme (the first sentence when none shares one). */
function bestQuote(sentences: readonly string[], theme: string): string | undefined {
  const wanted = contentWordsOf(theme);
  const shared = (sentence: string) => [...contentWordsOf(sentence)].filter((word) => wanted.has(word)).length;
  return [...sentences].sort((left, right) => shared(right) - shared(left))[0];
}

/**
 * Themes like a model that knows the labels: one theme per labelled theme with members in the
 * prompt (named after the theme, described by its mechanism), each member quoting its sentence
 * closest to the mechanism; an incident with no labelled theme is a theme of its own. Themes of an
 * earlier level are merged by name.
 */
function goldenThemes(
  userText: string,
  labels: ReadonlyMap<string, Label>,
  mechanisms: ReadonlyMap<string, LabelledTheme>,
): { themes: ThemeDraft[] } {
  const { incidents, themes } = readFoldPrompt(userText);
  const drafts = new Map<string, ThemeDraft>();
  const own: ThemeDraft[] = [];
  for (const incident of incidents) {
    const labelled = labels.get(labelIdOf(incident.docId))?.themes ?? [];
    if (labelled.length === 0) {
      const quote = incident.sentences[0];
      if (quote)
        own.push({
          theme: quote.length > 120 ? `${quote.slice(0, 117)}...` : quote,
          description: quote,
          faultCategory: incident.faultCategory,
          contributingFactors: incident.contributingFactors,
          incidentIds: [incident.docId],
          evidence: [{ incidentId: incident.docId, quote }],
        });
      continue;
    }
    for (const id of labelled) {
      const name = id.replace(/-/g, ' ').replace(/^./, (first) => first.toUpperCase());
      const description = mechanisms.get(id)?.mechanism ?? name;
      const draft = drafts.get(id) ?? {
        theme: name,
        description,
        faultCategory: incident.faultCategory,
        contributingFactors: [],
        incidentIds: [],
        evidence: [],
      };
      drafts.set(id, draft);
      const quote = bestQuote(incident.sentences, `${name} ${description}`);
      draft.incidentIds.push(incident.docId);
      if (quote) draft.evidence.push({ incidentId: incident.docId, quote });
    }
  }
  return { themes: [...drafts.values(), ...own, ...mergeThemes(themes)] };
}

export function createGoldenScript(goldenDir: string): Script {
  const matcher = new TechnologyMatcher(parseCatalog(readFileSync(DEFAULT_CATALOG_PATH, 'utf8')));
  const labels = loadGoldenLabels(goldenDir);
  const mechanisms = loadGoldenThemes(goldenDir);
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
        // Like a careful model: where the offline reading holds the technology causal, cite its quotes;
        // otherwise quote passages that name the technology, those telling a failure first.
        const offline = classifyOffline(await documentOf(id), matcher);
        const offlineQuotes = new Map(offline.causal.map((cause) => [cause.technology, cause.evidence]));
        const quoteFor = (technology: string): string[] => {
          // Only quotes the prompt carries (a redacted prompt does not carry the original's names).
          const verified = (offlineQuotes.get(technology) ?? []).filter((quote) => userText.includes(quote));
          if (verified.length > 0) return verified.slice(0, 3);
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
          ...(label?.faultCategory
            ? { faultCategory: label.faultCategory, faultSecondary: label.faultSecondary ?? null }
            : {}),
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
      case 'submit_themes':
        return goldenThemes(userText, labels, mechanisms);
      case 'submit_opportunities':
        return scriptedOpportunities(userText);
      default:
        throw new Error(`the scripted model knows no tool ${toolName}`);
    }
  };
}
