import { parse as parseYaml } from 'yaml';

export interface FrontMatterSplit {
  metadata: Record<string, unknown>;
  body: string;
}

const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

/**
 * Split YAML front matter off a Markdown or text document. Front matter that is not a YAML
 * mapping is left in the body: a document is never rejected for it.
 */
export function splitFrontMatter(source: string): FrontMatterSplit {
  const match = FRONT_MATTER.exec(source);
  if (!match) return { metadata: {}, body: source };
  try {
    const parsed: unknown = parseYaml(match[1] ?? '');
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { metadata: {}, body: source };
    return { metadata: normalizeValues(parsed as Record<string, unknown>), body: source.slice(match[0].length) };
  } catch {
    return { metadata: {}, body: source };
  }
}

/** YAML turns `date: 2025-03-14` into a Date; keep it as an ISO day string instead. */
function normalizeValues(record: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    result[key] = value instanceof Date ? value.toISOString().slice(0, 10) : value;
  }
  return result;
}
