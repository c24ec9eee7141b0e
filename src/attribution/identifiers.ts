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
  if (ownFlagOrCommand(text, start)) return false;
  return token === token.toLowerCase() && /[a-z0-9][-.][a-z0-9]/.test(token);
}

/**
 * The technology's own admin command ("kafka-leader-election", "redis-cli"): the name heads the token, and the part
 * after it is one of the command suffixes its own tooling uses. Not a service, host or client built on the name
 * ("kafka-ui", "kafka-prod-b3", "redis-cache.svc.local").
 */
const OWN_COMMAND =
  /^[a-z0-9]+-(?:cli|configs?|acls?|upgrade|queues|consumer-groups|reassign-partitions|leader-election|topics|diagnostics|ctl|plugins|dump|restore|admin)$/;

/**
 * The technology's own command-line flag ("--etcd-compaction-interval=0"): the name heads a double-dash flag, and the
 * flag sets no address (a "--redis-url=", "--kafka-brokers=" or "--etcd-servers=" flag points at an instance; it
 * says nothing of how the technology behaves).
 */
const OWN_FLAG = /^--[a-z0-9]+-[a-z0-9-]+(?:=\S*)?$/;
const ADDRESS_FLAG =
  /^--[a-z0-9]+-(?:[a-z0-9]+-)*(?:urls?|uris?|hosts?|hostnames?|addr|address(?:es)?|endpoints?|servers?|brokers?|bootstrap-servers|dsn|ports?)(?:=|$)/;

/**
 * The span of the token at `start` when the name there heads its own command or flag, else null: the token begins
 * with the name (after "--" for a flag), and reads as an admin command or a flag setting the technology's behaviour.
 * Such a token names the technology itself; whether it caused anything is still for the words around it to say.
 */
export function ownFlagOrCommandAt(text: string, start: number): { start: number; end: number } | null {
  const tokenStart = text.lastIndexOf(' ', start) + 1;
  const tokenEnd = text.indexOf(' ', start) === -1 ? text.length : text.indexOf(' ', start);
  const raw = text.slice(tokenStart, tokenEnd);
  const lead = /^[(`"']*/.exec(raw)?.[0].length ?? 0;
  const token = raw.replace(/[.,;:)\]"'`]+$/, '').slice(lead);
  const nameAt = start - tokenStart - lead;
  const own =
    nameAt === 0
      ? OWN_COMMAND.test(token)
      : nameAt === 2 && token.startsWith('--') && OWN_FLAG.test(token) && !ADDRESS_FLAG.test(token);
  return own ? { start: tokenStart + lead, end: tokenStart + lead + token.length } : null;
}

/** Whether the name at `start` heads its own command or flag (see ownFlagOrCommandAt). */
export function ownFlagOrCommand(text: string, start: number): boolean {
  return ownFlagOrCommandAt(text, start) !== null;
}
