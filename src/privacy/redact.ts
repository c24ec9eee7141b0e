/**
 * Redaction of personal data and secrets with consistent placeholders, and its inverse.
 *
 * `redact(text, mapping)` replaces e-mail addresses, phone numbers, IP addresses, AWS access keys
 * and secret keys, bearer tokens and API keys, card numbers (Luhn-checked), the credentials of
 * URLs, and people's names where postmortems put them, with placeholders such as `[EMAIL-1]` and
 * `[PERSON-2]`. The mapping is updated in place: the same value gets the same placeholder in every
 * call that shares it (a corpus, a run), so a pattern across documents still matches. A name is
 * found where a cue names it (`Incident commander: ...`, `@handle`) and, with its parts, anywhere
 * else in the same document; never from another document's cue, so that a document redacts the
 * same whichever documents came before it. Catalog technology names are never redacted.
 * `restore(text, mapping)` puts the values back.
 *
 * The mapping is plain JSON (see RedactionMapping): keep it local, never send it to a model.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DEFAULT_CATALOG_PATH, loadCatalog, TechnologyMatcher } from '../catalog/index.ts';
import { Catalog } from '../schemas/index.ts';
import { CATEGORIES, patternSpans, resolveOverlaps, type Category, type Span } from './detectors.ts';
import { findNames, isStopWord } from './names.ts';

export { CATEGORIES, type Category } from './detectors.ts';

/** Serializable state of a redaction: placeholders, the values behind them, and counters. */
export interface RedactionMapping {
  version: 1;
  /** Placeholder (e.g. `[EMAIL-1]`) -> the value as first seen. */
  values: Record<string, string>;
  /** `${category}:${normalised value}` -> placeholder. */
  keys: Record<string, string>;
  /** The last number given per category. */
  counters: Partial<Record<Category, number>>;
  /**
   * A corpus secret: when set, a value's placeholder is a keyed hash of it (`[EMAIL-3f09c2a1b7de]`),
   * the same whatever order documents are redacted in (concurrent runs, the CLI and AWS, record
   * and replay), and not guessable from the value without the secret. Never leaves the state store.
   */
  secret?: string;
}

export const RedactionMappingSchema = z.object({
  version: z.literal(1),
  values: z.record(z.string(), z.string()),
  keys: z.record(z.string(), z.string()),
  counters: z.partialRecord(z.enum(CATEGORIES), z.number().int().nonnegative()),
  secret: z.string().optional(),
});

export function createMapping(): RedactionMapping {
  return { version: 1, values: {}, keys: {}, counters: {} };
}

/** Validates a mapping read back from JSON (a file, the state table). */
export function parseMapping(value: unknown): RedactionMapping {
  return RedactionMappingSchema.parse(value) as RedactionMapping;
}

export interface RedactOptions {
  /** Technologies never redacted; default the catalog in config/catalog.yaml. */
  catalog?: Catalog | TechnologyMatcher;
  /** Categories to redact; default all. */
  categories?: readonly Category[];
  /**
   * Names of people the same document cued elsewhere (its full text, for its title and sections):
   * found anywhere in this text too. Names of other documents never are, so that a document's
   * redaction does not depend on which documents were redacted before it.
   */
  names?: Iterable<string>;
}

export interface Redaction {
  category: Category;
  placeholder: string;
  /** Offsets in the original text. */
  start: number;
  end: number;
}

export interface RedactResult {
  text: string;
  redactions: Redaction[];
}

export const PLACEHOLDER = new RegExp(`\\[(${CATEGORIES.join('|')})-([0-9a-f]+)\\]`, 'g');

let defaultMatcher: TechnologyMatcher | undefined;

/** The matcher of the default catalog, read once (synchronously, so that redact stays synchronous). */
function defaultCatalogMatcher(): TechnologyMatcher {
  defaultMatcher ??= new TechnologyMatcher(Catalog.parse(parseYaml(readFileSync(DEFAULT_CATALOG_PATH, 'utf8'))));
  return defaultMatcher;
}

function matcherOf(catalog: RedactOptions['catalog']): TechnologyMatcher {
  if (catalog === undefined) return defaultCatalogMatcher();
  return catalog instanceof TechnologyMatcher ? catalog : new TechnologyMatcher(catalog);
}

/** Whether a text is, or holds, a catalog technology (name, alias or signal). */
function isTechnology(matcher: TechnologyMatcher, text: string): boolean {
  return matcher.find(text).length > 0 || matcher.signalledIn(text).size > 0;
}

/** The accepted name within a candidate: stop words trimmed off its ends, cut at an inner one; none if it names a technology. */
function nameFilter(matcher: TechnologyMatcher): (candidate: string) => string | undefined {
  return (candidate) => {
    const words = [...candidate.matchAll(/\S+/g)];
    let first = 0;
    while (first < words.length && isStopWord(words[first]?.[0] ?? '')) first++;
    let last = first;
    while (last < words.length && !isStopWord(words[last]?.[0] ?? '')) last++;
    if (last === first) return undefined;
    const start = words[first]?.index ?? 0;
    const lastWord = words[last - 1];
    const accepted = candidate
      .slice(start, (lastWord?.index ?? 0) + (lastWord?.[0].length ?? 0))
      .replace(/[.,]+$/, (dots) => (/^\p{Lu}\.$/u.test(candidate.slice(start)) ? dots : ''));
    if (accepted.replace(/[^\p{L}]/gu, '').length < 2) return undefined;
    if (isTechnology(matcher, accepted)) return undefined;
    for (const word of accepted.split(/\s+/)) if (isTechnology(matcher, word)) return undefined;
    return accepted;
  };
}

function normalise(category: Category, value: string): string {
  switch (category) {
    case 'PHONE':
    case 'CARD':
      return value.replace(/[^\d+]/g, '');
    case 'EMAIL':
    case 'IP':
    case 'PERSON':
      return value.toLowerCase().replace(/\s+/g, ' ');
    default:
      return value;
  }
}

/** Hex digits of a keyed placeholder: 48 bits, so 10,000 values of one category collide with odds of about 2e-7. */
export const KEYED_PLACEHOLDER_DIGITS = 12;

/** The keyed placeholder of a value's key (see RedactionMapping.secret). */
export function keyedPlaceholder(secret: string, category: Category, key: string): string {
  return `[${category}-${createHmac('sha256', secret).update(key).digest('hex').slice(0, KEYED_PLACEHOLDER_DIGITS)}]`;
}

/** The placeholder of a value, given one on first sight. */
function placeholderFor(mapping: RedactionMapping, category: Category, value: string): string {
  const key = `${category}:${normalise(category, value)}`;
  const known = mapping.keys[key];
  if (known !== undefined) return known;
  if (mapping.secret !== undefined) {
    const placeholder = keyedPlaceholder(mapping.secret, category, key);
    mapping.keys[key] = placeholder;
    mapping.values[placeholder] ??= value;
    return placeholder;
  }
  const number = (mapping.counters[category] ?? 0) + 1;
  mapping.counters[category] = number;
  const placeholder = `[${category}-${number}]`;
  mapping.keys[key] = placeholder;
  mapping.values[placeholder] = value;
  return placeholder;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const signalPatterns = new WeakMap<TechnologyMatcher, RegExp | null>();

/** Where the catalog's signal terms (Lua script, max_connections...) occur: never part of a name. */
function signalSpans(matcher: TechnologyMatcher, text: string): Array<{ start: number; end: number }> {
  let pattern = signalPatterns.get(matcher);
  if (pattern === undefined) {
    const terms = matcher.catalog.technologies
      .flatMap((entry) => entry.signals)
      .map((signal) => escapeRegExp(signal).replace(/\\? /g, '[\\s_-]+'));
    pattern = terms.length === 0 ? null : new RegExp(`(?<![A-Za-z0-9])(?:${terms.join('|')})(?![A-Za-z0-9])`, 'gi');
    signalPatterns.set(matcher, pattern);
  }
  return pattern
    ? [...text.matchAll(pattern)].map((match) => ({ start: match.index, end: match.index + match[0].length }))
    : [];
}

/** Known names (cued in this text or given), and the parts of multi-word ones, found anywhere. */
function recurringNames(text: string, known: Iterable<string>, matcher: TechnologyMatcher): Span[] {
  const names = new Set<string>();
  for (const value of known) {
    if (value.startsWith('@')) continue;
    names.add(value);
    const words = value.split(/\s+/);
    if (words.length > 1) {
      for (const word of words) {
        if (
          word.replace(/[^\p{L}]/gu, '').length >= 3 &&
          !isStopWord(word) &&
          !isTechnology(matcher, word) &&
          /^\p{Lu}/u.test(word)
        )
          names.add(word);
      }
    }
  }
  if (names.size === 0) return [];
  const alternatives = [...names]
    .sort((a, b) => b.length - a.length)
    .map((name) => escapeRegExp(name).replace(/\\? +/g, '\\s+'));
  const pattern = new RegExp(
    `(?<![\\p{L}\\p{M}\\p{N}_@.-])(?:${alternatives.join('|')})(?![\\p{L}\\p{M}\\p{N}_@]|-\\p{L})`,
    'gu',
  );
  return [...text.matchAll(pattern)].map((match) => ({
    category: 'PERSON' as const,
    start: match.index,
    end: match.index + match[0].length,
  }));
}

/** Redacts `text`, updating `mapping`; returns the text and where each placeholder went. */
export function redactDetailed(text: string, mapping: RedactionMapping, options: RedactOptions = {}): RedactResult {
  const matcher = matcherOf(options.catalog);
  const categories = new Set(options.categories ?? CATEGORIES);
  // Placeholders already in the text (text redacted before) are left alone.
  const existing = [...text.matchAll(PLACEHOLDER)].map((match) => ({
    category: 'PERSON' as const,
    start: match.index,
    end: match.index + match[0].length,
    rank: -1,
  }));
  const patterns = patternSpans(text, categories).map((span) => ({ ...span, rank: 0 }));
  const technologyOnly = (span: Span): boolean => {
    const value = text.slice(span.start, span.end);
    return matcher.find(value).some((mention) => mention.start === 0 && mention.end === value.length);
  };
  let spans = resolveOverlaps([...existing, ...patterns]);
  if (categories.has('PERSON')) {
    // A name never overlaps a technology mention ("Aurora" of "Aurora MySQL" is not a person).
    const technologies = [...matcher.find(text), ...signalSpans(matcher, text)];
    const clear = (span: Span): boolean =>
      !technologies.some((mention) => span.start < mention.end && mention.start < span.end);
    const names = findNames(text, nameFilter(matcher))
      .filter(clear)
      .map((span) => ({ category: span.category, start: span.start, end: span.end, rank: 1 }));
    const cued = resolveOverlaps([...spans.map((span) => ({ ...span, rank: 0 })), ...names]);
    // The cued names are known first, so that their recurrences in this very text are found too.
    const known = new Set(options.names);
    for (const span of cued)
      if (span.category === 'PERSON' && !existing.some((other) => other.start === span.start))
        known.add(text.slice(span.start, span.end));
    const recurring = recurringNames(text, known, matcher)
      .filter(clear)
      .map((span) => ({ ...span, rank: 2 }));
    spans = resolveOverlaps([...cued.map((span) => ({ ...span, rank: 0 })), ...recurring]);
  }
  const existingStarts = new Set(existing.map((span) => span.start));
  const redactions: Redaction[] = [];
  let output = '';
  let cursor = 0;
  for (const span of spans) {
    if (existingStarts.has(span.start) || technologyOnly(span)) continue;
    const placeholder = placeholderFor(mapping, span.category, text.slice(span.start, span.end));
    output += text.slice(cursor, span.start) + placeholder;
    cursor = span.end;
    redactions.push({ category: span.category, placeholder, start: span.start, end: span.end });
  }
  return { text: output + text.slice(cursor), redactions };
}

/** Redacts `text`, updating `mapping` (see the module comment). */
export function redact(text: string, mapping: RedactionMapping, options: RedactOptions = {}): string {
  return redactDetailed(text, mapping, options).text;
}

/** Puts back the values of the placeholders `mapping` knows; unknown placeholders stay as they are. */
export function restore(text: string, mapping: RedactionMapping): string {
  return text.replace(PLACEHOLDER, (placeholder) => mapping.values[placeholder] ?? placeholder);
}

/** A redactor bound to a catalog: what a pipeline step holds. */
export interface Redactor {
  redact(text: string, mapping: RedactionMapping): string;
  /** The text and where each placeholder went; `names`: names the same document cued elsewhere (see RedactOptions.names). */
  redactDetailed(text: string, mapping: RedactionMapping, names?: Iterable<string>): RedactResult;
  restore(text: string, mapping: RedactionMapping): string;
}

export function createRedactor(catalog: Catalog | TechnologyMatcher, categories?: readonly Category[]): Redactor {
  const matcher = catalog instanceof TechnologyMatcher ? catalog : new TechnologyMatcher(catalog);
  return {
    redact: (text, mapping) => redact(text, mapping, { catalog: matcher, ...(categories ? { categories } : {}) }),
    redactDetailed: (text, mapping, names) =>
      redactDetailed(text, mapping, {
        catalog: matcher,
        ...(categories ? { categories } : {}),
        ...(names ? { names } : {}),
      }),
    restore,
  };
}

/** A redactor over a catalog file (default config/catalog.yaml), loaded with the catalog loader. */
export async function loadRedactor(catalogFile?: string, categories?: readonly Category[]): Promise<Redactor> {
  const { catalog } = await loadCatalog(catalogFile);
  return createRedactor(catalog, categories);
}
