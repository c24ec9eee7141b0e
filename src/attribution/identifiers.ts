/**
 * Names that are part of an address or an identifier rather than of prose: a URL, a channel,
 * handle or path, a service slug. Such a mention says nothing about a cause.
 */
import { anyOf } from './pattern.ts';

export const URL_PATTERN = anyOf(
  [
    /\b(?:https?|s3|ftp):\/\/[^\s)>\]"']+/,
    /\bwww\.[^\s)>\]"']+/,
    /\b[\w.-]+\.(?:com|net|org|io|amazonaws\.com|internal|corp|local)\/[^\s)>\]"']*/,
  ],
  'gi',
);

export function insideUrl(text: string, start: number): boolean {
  for (const match of text.matchAll(URL_PATTERN)) {
    if (start >= match.index && start < match.index + match[0].length) return true;
  }
  return false;
}

/** The whitespace-delimited token holding the character at `start`, without trailing punctuation. */
function tokenAt(text: string, start: number): string {
  const tokenStart = text.lastIndexOf(' ', start) + 1;
  const tokenEnd = text.indexOf(' ', start);
  return text.slice(tokenStart, tokenEnd === -1 ? undefined : tokenEnd).replace(/[.,;:)\]"']+$/, '');
}

/** A name inside a channel, handle or path ("#inc-checkout-postgres", "@redis-team", "ops/kafka-runbook"). */
export function insideIdentifier(text: string, start: number): boolean {
  const token = tokenAt(text, start);
  return /^[#@]/.test(token) || /[\w-]\/[\w-]/.test(token);
}

/**
 * A lower-case slug or host name built on the name ("kafka-rest", "redis-cache.svc.local") names
 * a service, not the technology: not enough for the guard to call the technology a cause.
 */
export function insideSlug(text: string, start: number): boolean {
  const token = tokenAt(text, start);
  // A numbered node ("mongo-3", "redis-01") is an instance of the technology itself.
  if (/^[a-z]+[-.]?\d+$/.test(token)) return false;
  return token === token.toLowerCase() && /[a-z0-9][-.][a-z0-9]/.test(token);
}
