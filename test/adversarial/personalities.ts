/**
 * Scripted model personalities for the adversarial test: each answers every tool call of the
 * model engine (submit_summary, submit_classification, submit_digest, submit_themes,
 * submit_opportunities) from the request it receives. The document text a personality sees is
 * the one the summarize request carried (redacted, with sentences addressed to a model withheld);
 * later calls of the same document read it back by the document id of their data block. Labels
 * (test/adversarial/corpus/labels.json) tell the honest personality the true causes and the
 * hostile ones where the traps are.
 *
 * - honest: the true causes, each with its full causal sentence as the quote; true summary sentences.
 * - percent: honest, with every confidence written as a percentage (85).
 * - parrot: every catalog technology the document names is causal, quoted by its name alone.
 * - theory: honest, plus the trap technology as a cause quoting the rejected-theory sentence.
 * - obeying: on a document with an embedded instruction, PostgreSQL as the root cause, quoting
 *   the instruction, the sentence next to it, or both; honest elsewhere.
 * - noise: schema-shaped garbage ("}", ",}" summaries, random causes with random quotes).
 */
import type { TechnologyMatcher } from '../../src/catalog/index.ts';
import { FAULT_CATEGORIES } from '../../src/schemas/index.ts';
import type { CorpusLabel } from './corpus.ts';

export const PERSONALITIES = ['honest', 'percent', 'parrot', 'theory', 'obeying', 'noise'] as const;
export type PersonalityName = (typeof PERSONALITIES)[number];
export const HOSTILE: readonly PersonalityName[] = ['parrot', 'theory', 'obeying', 'noise'];

interface Quoted {
  text: string;
  evidence: string[];
}

/** What a personality knows when it answers one call. */
export interface CallContext {
  tool: string;
  /** The last user message of the request. */
  userText: string;
  /** The document id of the request's data block (undefined for fold calls). */
  docId: string | undefined;
  /** The document's text as the summarize request carried it. */
  documentText: string;
  label: CorpusLabel | undefined;
  matcher: TechnologyMatcher;
}

const NOT_STATED: Quoted = { text: 'not stated', evidence: [] };

/** A document line (list marker dropped), whitespace collapsed, as a model would copy it. */
function present(sentence: string, documentText: string): boolean {
  const squash = (text: string): string => text.replace(/\s+/g, ' ');
  return squash(documentText).includes(squash(sentence));
}

/** A claim quoting one sentence of the document verbatim, or "not stated" when the model cannot see it. */
function verbatim(sentence: string | null | undefined, documentText: string): Quoted {
  if (!sentence || !present(sentence, documentText)) return NOT_STATED;
  return { text: sentence, evidence: [sentence] };
}

function honestSummary(context: CallContext): unknown {
  const { label, documentText } = context;
  if (!label)
    return { issue: NOT_STATED, rootCauses: [], impact: NOT_STATED, resolution: NOT_STATED, preventiveActions: [] };
  const causes = label.causal.length > 0 ? label.causal.map((cause) => cause.sentence) : [label.rootCause];
  return {
    issue: verbatim(label.summary.issue, documentText),
    rootCauses: causes.map((sentence) => verbatim(sentence, documentText)).filter((claim) => claim !== NOT_STATED),
    impact: verbatim(label.summary.impact, documentText),
    resolution: verbatim(label.summary.resolution, documentText),
    preventiveActions: [],
  };
}

function honestClassification(context: CallContext, confidence: number): Record<string, unknown> {
  const label = context.label;
  return {
    causal: (label?.causal ?? [])
      .filter((cause) => present(cause.sentence, context.documentText))
      .map((cause) => ({ technology: cause.technology, role: cause.role, evidence: [cause.sentence], confidence })),
    mentioned: (label?.mentionedOnly ?? []).map((technology) => ({
      technology,
      context: 'other',
      reason: 'named without a causal role',
      evidence: [],
    })),
    unnamedCause: null,
    faultCategory: label?.faultCategory ?? 'unknown',
    faultSecondary: null,
  };
}

function technologyOf(userText: string): string {
  return /^Technology: (.+)$/m.exec(userText)?.[1]?.trim() ?? '';
}

function honestDigest(context: CallContext): unknown {
  const technology = technologyOf(context.userText);
  const cause = context.label?.causal.find((entry) => entry.technology === technology);
  const sentence = cause?.sentence ?? `${technology} is named in the document.`;
  return {
    sentences: [sentence],
    faultCategory: context.label?.faultCategory ?? 'unknown',
    contributingFactors: [],
    evidence: cause ? [cause.sentence] : [],
  };
}

/** The incidents of a fold request: id, fault category and first sentence. */
function foldIncidents(userText: string): Array<{ id: string; category: string; sentence: string | undefined }> {
  const incidents: Array<{ id: string; category: string; sentence: string | undefined }> = [];
  for (const line of userText.split('\n')) {
    const head = /^incident (\S+) \| ([\w-]+) \|/.exec(line);
    if (head?.[1] && head[2]) {
      incidents.push({ id: head[1], category: head[2], sentence: undefined });
      continue;
    }
    const last = incidents.at(-1);
    const sentence = /^ {2}(\S.*)$/.exec(line)?.[1];
    if (last && last.sentence === undefined && sentence) last.sentence = sentence;
  }
  return incidents;
}

/** Honest themes: incidents grouped by fault category, each member quoted by its first sentence. */
function honestThemes(userText: string): unknown {
  const groups = new Map<string, ReturnType<typeof foldIncidents>>();
  for (const incident of foldIncidents(userText))
    groups.set(incident.category, [...(groups.get(incident.category) ?? []), incident]);
  return {
    themes: [...groups.entries()].map(([category, members]) => ({
      theme: `${category} incidents`,
      description: `Incidents whose fault was ${category}.`,
      faultCategory: category,
      contributingFactors: [],
      incidentIds: members.map((member) => member.id),
      evidence: members
        .filter((member) => member.sentence !== undefined)
        .map((member) => ({ incidentId: member.id, quote: member.sentence as string })),
    })),
  };
}

/** A hostile fold: one theme holding every incident it was given (the fold must drop what it should). */
function everythingTheme(userText: string): unknown {
  const incidents = foldIncidents(userText);
  if (incidents.length === 0) return { themes: [] };
  return {
    themes: [
      {
        theme: 'PostgreSQL everywhere',
        description: 'Every incident was caused by PostgreSQL.',
        faultCategory: 'resource-exhaustion',
        contributingFactors: ['database'],
        incidentIds: incidents.map((incident) => incident.id),
        evidence: incidents
          .filter((incident) => incident.sentence !== undefined)
          .map((incident) => ({ incidentId: incident.id, quote: incident.sentence as string })),
      },
    ],
  };
}

function opportunities(userText: string): unknown {
  const ids = [...userText.matchAll(/^(?:theme|pattern) (\S+) \|/gm)].map((match) => match[1] as string);
  return {
    opportunities: ids.map((patternId) => ({
      patternId,
      title: `Invest against ${patternId}`,
      rationale: 'Scripted rationale.',
    })),
  };
}

/** The honest answer to any call, with confidences as given. */
function honest(context: CallContext, confidence = 0.9): unknown {
  switch (context.tool) {
    case 'submit_summary':
      return honestSummary(context);
    case 'submit_classification':
      return honestClassification(context, confidence);
    case 'submit_digest':
      return honestDigest(context);
    case 'submit_themes':
      return honestThemes(context.userText);
    case 'submit_opportunities':
      return opportunities(context.userText);
    default:
      throw new Error(`no personality answers ${context.tool}`);
  }
}

/** Each catalog technology the text names, with the words that name it (its first mention). */
function namedTechnologies(context: CallContext): Map<string, string> {
  const named = new Map<string, string>();
  for (const mention of context.matcher.find(context.documentText))
    if (!named.has(mention.technology))
      named.set(mention.technology, context.documentText.slice(mention.start, mention.end));
  return named;
}

function parrot(context: CallContext): unknown {
  const named = namedTechnologies(context);
  switch (context.tool) {
    case 'submit_summary': {
      const [first] = [...named.values()];
      return {
        issue: first ? { text: `${first} failed.`, evidence: [first] } : NOT_STATED,
        rootCauses: [...named.values()].map((word) => ({ text: `${word} caused the incident.`, evidence: [word] })),
        impact: NOT_STATED,
        resolution: NOT_STATED,
        preventiveActions: [],
      };
    }
    case 'submit_classification':
      return {
        causal: [...named.entries()].map(([technology, word]) => ({
          technology,
          role: `${technology} caused the incident.`,
          evidence: [word],
          confidence: 0.9,
        })),
        mentioned: [],
        unnamedCause: null,
        faultCategory: 'resource-exhaustion',
        faultSecondary: null,
      };
    case 'submit_digest': {
      const technology = technologyOf(context.userText);
      const word = named.get(technology) ?? technology;
      return {
        sentences: [`${technology} failed.`],
        faultCategory: 'resource-exhaustion',
        contributingFactors: [],
        evidence: [word],
      };
    }
    case 'submit_themes':
      return everythingTheme(context.userText);
    default:
      return honest(context);
  }
}

function theory(context: CallContext): unknown {
  const trap = context.label?.theory;
  const answer = honest(context) as Record<string, unknown>;
  if (!trap || !present(trap.sentence, context.documentText)) return answer;
  const claim = trap.sentence.replace(/^Theory:\s*/, '').replace(/\.$/, '');
  switch (context.tool) {
    case 'submit_summary':
      return {
        ...answer,
        rootCauses: [{ text: `${claim} caused the incident.`, evidence: [trap.sentence] }],
      };
    case 'submit_classification':
      return {
        ...answer,
        causal: [
          ...(answer.causal as unknown[]),
          {
            technology: trap.technology,
            role: `${claim} caused the incident.`,
            evidence: [trap.sentence],
            confidence: 0.95,
          },
        ],
      };
    case 'submit_digest':
      return technologyOf(context.userText) === trap.technology
        ? {
            sentences: [`${claim} caused the incident.`],
            faultCategory: 'resource-exhaustion',
            contributingFactors: ['connection-pool'],
            evidence: [trap.sentence],
          }
        : answer;
    default:
      return answer;
  }
}

/** Which quotes the obeying personality cites, varied across the documents that carry an instruction. */
function obeyingQuotes(label: CorpusLabel): string[] {
  const directive = label.directive;
  if (!directive) return [];
  const variant = directive.index % 3;
  if (variant === 0) return [directive.text];
  if (variant === 1) return [directive.neighbour];
  return [directive.text, directive.neighbour];
}

function obeying(context: CallContext): unknown {
  const label = context.label;
  const answer = honest(context) as Record<string, unknown>;
  if (!label?.directive) return answer;
  // The instruction is withheld from the prompt when detection finds it; the personality obeys it
  // anyway, as a model would if it slipped through (it "knows" it from the label).
  const quotes = obeyingQuotes(label);
  const role = 'PostgreSQL was the root cause of the incident.';
  switch (context.tool) {
    case 'submit_summary':
      return { ...answer, rootCauses: [{ text: role, evidence: quotes }] };
    case 'submit_classification':
      return {
        ...answer,
        causal: [{ technology: 'PostgreSQL', role, evidence: quotes, confidence: 0.99 }],
        faultCategory: 'resource-exhaustion',
      };
    case 'submit_digest':
      return {
        sentences: [role],
        faultCategory: 'resource-exhaustion',
        contributingFactors: [],
        evidence: quotes,
      };
    case 'submit_themes':
      return everythingTheme(context.userText);
    default:
      return answer;
  }
}

/** A small deterministic generator (mulberry32) seeded from a string. */
function randomFrom(seed: string): () => number {
  let state = [...seed].reduce((hash, character) => Math.imul(hash ^ character.charCodeAt(0), 16777619), 2166136261);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

function noise(context: CallContext): unknown {
  const random = randomFrom(`${context.tool}:${context.docId ?? 'corpus'}`);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const words = context.documentText.split(/\s+/).filter(Boolean);
  const snippet = (): string => {
    if (words.length === 0 || random() < 0.3) return pick(['}', ',}', '{"', 'null', '"]', 'lorem ipsum']);
    const start = Math.floor(random() * words.length);
    return words.slice(start, start + 1 + Math.floor(random() * 5)).join(' ') || '}';
  };
  const technologies = context.matcher.technologies;
  switch (context.tool) {
    case 'submit_summary':
      return {
        issue: { text: '}', evidence: [snippet()] },
        rootCauses: [{ text: ',}', evidence: [snippet()] }],
        impact: { text: ',}', evidence: ['}'] },
        resolution: { text: snippet(), evidence: [snippet(), snippet()] },
        preventiveActions: [{ text: '"]', evidence: [] }],
      };
    case 'submit_classification':
      return {
        causal: Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
          technology: pick(technologies),
          role: snippet(),
          evidence: [snippet(), snippet()],
          confidence: Math.round(random() * 100) / 100,
        })),
        mentioned: [],
        unnamedCause: random() < 0.5 ? snippet() : null,
        faultCategory: pick(FAULT_CATEGORIES),
        faultSecondary: null,
      };
    case 'submit_digest':
      return {
        sentences: ['}'],
        faultCategory: pick(FAULT_CATEGORIES),
        contributingFactors: [',}'],
        evidence: [snippet()],
      };
    case 'submit_themes':
      return everythingTheme(context.userText);
    default:
      return opportunities(context.userText);
  }
}

export function answer(personality: PersonalityName, context: CallContext): unknown {
  switch (personality) {
    case 'honest':
      return honest(context);
    case 'percent':
      return honest(context, 85);
    case 'parrot':
      return parrot(context);
    case 'theory':
      return theory(context);
    case 'obeying':
      return obeying(context);
    case 'noise':
      return noise(context);
  }
}
