import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { Catalog } from '../schemas/index.ts';
import { ConfigurationError, messageOf } from '../errors.ts';
import { rememberRecent } from '../text/recent.ts';

export const DEFAULT_CATALOG_PATH = fileURLToPath(new URL('../../config/catalog.yaml', import.meta.url));

export interface LoadedCatalog {
  catalog: Catalog;
  path: string;
}

/** Read and validate a catalog (YAML or JSON); a bad file is a configuration error naming the file. */
export async function loadCatalog(file: string = DEFAULT_CATALOG_PATH): Promise<LoadedCatalog> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigurationError(`cannot read the catalog ${file}: ${messageOf(error)}`);
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(raw);
  } catch (error) {
    throw new ConfigurationError(`the catalog ${file} is not valid YAML or JSON: ${messageOf(error)}`);
  }
  const result = Catalog.safeParse(parsed);
  if (!result.success) {
    throw new ConfigurationError(`the catalog ${path.basename(file)} is invalid:\n${z.prettifyError(result.error)}`);
  }
  return { catalog: result.data, path: file };
}

/** A catalog technology found in a text, with its character span. */
export interface Mention {
  technology: string;
  alias: string;
  start: number;
  end: number;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A signal term as a pattern: spaces match any run of spaces, underscores or hyphens. */
function signalPattern(signal: string): string {
  return escapeRegExp(signal).replace(/\\? /g, '[\\s_-]+');
}

/**
 * Finds catalog technologies in text: case-insensitive on word boundaries, the longest alias
 * winning where two overlap. Built once per catalog.
 */
export class TechnologyMatcher {
  private readonly pattern: RegExp;
  private readonly owners = new Map<string, string>();
  private readonly signals = new Map<string, RegExp>();
  /** Per technology, its signal terms no other technology lists (global, for their spans). */
  private readonly ownSignals = new Map<string, RegExp>();
  private readonly anySignal: RegExp;

  constructor(readonly catalog: Catalog) {
    const names: string[] = [];
    for (const entry of catalog.technologies) {
      for (const name of [entry.name, ...entry.aliases]) {
        this.owners.set(name.toLowerCase(), entry.name);
        names.push(name);
      }
    }
    const allTerms: string[] = [];
    for (const entry of catalog.technologies) {
      if (entry.signals.length === 0) continue;
      const terms = entry.signals.map(signalPattern);
      this.signals.set(entry.name, new RegExp(`(?<![A-Za-z0-9])(?:${terms.join('|')})(?![A-Za-z0-9])`, 'i'));
      allTerms.push(...terms);
    }
    const listedBy = new Map<string, Set<string>>();
    for (const entry of catalog.technologies)
      for (const signal of entry.signals) {
        const key = signal.toLowerCase();
        (listedBy.get(key) ?? listedBy.set(key, new Set()).get(key))?.add(entry.name);
      }
    for (const entry of catalog.technologies) {
      // Longest first, so a span is the whole term ("autopurge.purgeInterval", not "autopurge").
      const own = entry.signals
        .filter((signal) => listedBy.get(signal.toLowerCase())?.size === 1)
        .sort((left, right) => right.length - left.length);
      if (own.length === 0) continue;
      const terms = own.map(signalPattern).join('|');
      this.ownSignals.set(entry.name, new RegExp(`(?<![A-Za-z0-9])(?:${terms})(?![A-Za-z0-9])`, 'gi'));
    }
    // Matches exactly when one of the patterns above does: most texts hold no signal term at all.
    this.anySignal = new RegExp(`(?<![A-Za-z0-9])(?:${allTerms.join('|') || '(?!)'})(?![A-Za-z0-9])`, 'i');
    names.sort((left, right) => right.length - left.length);
    const alternatives = names.map((name) => escapeRegExp(name).replace(/\\? /g, '[\\s-]+'));
    this.pattern = new RegExp(`(?<![A-Za-z0-9_])(?:${alternatives.join('|')})(?![A-Za-z0-9_])`, 'gi');
  }

  /** Technologies whose signal terms (vocabulary specific to them) appear in a text. */
  signalledIn(text: string): Set<string> {
    const found = new Set<string>();
    if (!this.anySignal.test(text)) return found;
    for (const [technology, pattern] of this.signals) if (pattern.test(text)) found.add(technology);
    return found;
  }

  /** The kind of a technology (database, cache, queue, ...). */
  kindOf(technology: string): string | undefined {
    return this.catalog.technologies.find((entry) => entry.name === technology)?.kind;
  }

  get technologies(): string[] {
    return this.catalog.technologies.map((entry) => entry.name);
  }

  /**
   * The mentions of catalog technologies in a text, in order. The stages read the same sentences
   * many times, so recent answers are remembered (frozen: callers share them).
   */
  readonly find: (text: string) => readonly Mention[] = rememberRecent((text) => Object.freeze(this.scan(text)));

  private scan(text: string): Mention[] {
    const mentions: Mention[] = [];
    this.pattern.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = this.pattern.exec(text)) !== null) {
      const alias = match[0];
      const technology = this.owners.get(alias.toLowerCase().replace(/[\s-]+/g, ' ')) ?? this.ownerByLooseName(alias);
      if (technology)
        mentions.push(Object.freeze({ technology, alias, start: match.index, end: match.index + alias.length }));
    }
    return mentions;
  }

  /**
   * The spans of a technology's own vocabulary in a text: its signal terms that no other technology
   * of the catalog lists ("autopurge.purgeInterval" of ZooKeeper, not "shard allocation", which two
   * search engines share).
   */
  ownVocabularyIn(text: string, technology: string): Array<{ start: number; end: number; term: string }> {
    const pattern = this.ownSignals.get(technology);
    if (pattern === undefined || !this.anySignal.test(text)) return [];
    return [...text.matchAll(pattern)].map((match) => ({
      start: match.index,
      end: match.index + match[0].length,
      term: match[0],
    }));
  }

  /** The technologies named anywhere in a text. */
  namedIn(text: string): Set<string> {
    return new Set(this.find(text).map((mention) => mention.technology));
  }

  private ownerByLooseName(alias: string): string | undefined {
    const loose = alias.toLowerCase().replace(/[\s-]+/g, '');
    for (const [name, owner] of this.owners) if (name.replace(/[\s-]+/g, '') === loose) return owner;
    return undefined;
  }
}
