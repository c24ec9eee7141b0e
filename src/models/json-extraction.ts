/**
 * Finds the JSON object a model wrote in free text. Local models asked for "one JSON object"
 * answer in several shapes: bare JSON, a ```json fenced block, JSON wrapped in prose, and
 * reasoning models put a `<think>...</think>` block first. Shared by every engine that reads
 * structured output from text.
 */

const THINK_BLOCK = /<think>[\s\S]*?<\/think>/gi;
const THINK_OPEN = /<think>/i;
const THINK_CLOSE = /<\/think>/gi;
const FENCED_BLOCK = /```[a-zA-Z0-9_-]*[ \t]*\r?\n?([\s\S]*?)```/g;

/**
 * The first complete JSON object in `text`, or undefined when there is none.
 *
 * Tried in order: the whole text (after reasoning is removed), each fenced code block, then
 * every balanced `{...}` span from left to right (braces inside JSON strings are ignored).
 * Only plain objects count: a top-level array, string or number is not an answer. Reasoning
 * is never searched: a draft object inside `<think>` is not the model's answer.
 */
export function extractJsonObject(text: string): unknown | undefined {
  const answer = withoutReasoning(text).trim();
  if (answer === '') return undefined;
  return parseObject(answer) ?? firstFencedObject(answer) ?? firstBalancedObject(answer);
}

/**
 * The text without reasoning: closed `<think>` blocks are removed; an unclosed `<think>` drops
 * everything after it (the model ran out of tokens while thinking); a lone `</think>` (the
 * chat template opened the block in the prompt) drops everything before it.
 */
export function withoutReasoning(text: string): string {
  let rest = text.replace(THINK_BLOCK, '');
  const open = rest.search(THINK_OPEN);
  if (open !== -1) rest = rest.slice(0, open);
  const closings = [...rest.matchAll(THINK_CLOSE)];
  const last = closings.at(-1);
  if (last?.index !== undefined) rest = rest.slice(last.index + last[0].length);
  return rest;
}

function firstFencedObject(text: string): unknown | undefined {
  for (const match of text.matchAll(FENCED_BLOCK)) {
    const body = (match[1] ?? '').trim();
    const found = parseObject(body) ?? firstBalancedObject(body);
    if (found !== undefined) return found;
  }
  return undefined;
}

function firstBalancedObject(text: string): unknown | undefined {
  for (let start = text.indexOf('{'); start !== -1; start = text.indexOf('{', start + 1)) {
    const end = matchingBrace(text, start);
    if (end === -1) continue;
    const found = parseObject(text.slice(start, end + 1));
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Index of the `}` closing the `{` at `start`, skipping braces inside JSON strings; -1 if unclosed. */
function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let index = start; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (escaped) escaped = false;
      else if (char === '\\') escaped = true;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    else if (char === '{') depth++;
    else if (char === '}') {
      depth--;
      if (depth === 0) return index;
    }
  }
  return -1;
}

function parseObject(candidate: string): Record<string, unknown> | undefined {
  if (!candidate.startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(candidate);
    return isPlainObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
