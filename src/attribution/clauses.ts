/** The parts of a sentence around a mention: its clause, a status after a colon, a relative clause. */
import { alternation } from './pattern.ts';

/** Where one clause of a sentence ends and the next begins. */
const CLAUSE_BREAKS = [
  // a semicolon, or a colon that is not inside a time of day ("14:49")
  /;|(?<!\d):|:(?!\d)/,
  // a comma and a conjunction
  /,\s*(?:but|while|whereas|and|so|which|although|though)\b/,
  // a contrasting conjunction
  /\b(?:but|however|whereas|while|although|though|except)\b/,
  // an em dash, a spaced hyphen
  /\u2014/,
  /\s-\s/,
];

export const CLAUSE_BREAK = new RegExp(String.raw`\s*(?:${alternation(CLAUSE_BREAKS)})\s*`, 'i');
/** CLAUSE_BREAK for scanning a sentence, compiled once; each scan below resets lastIndex and runs to its end synchronously. */
const CLAUSE_BREAKER = new RegExp(CLAUSE_BREAK.source, 'gi');

/** The clause of a sentence that holds the character at `position`. */
export function clauseAt(text: string, position: number): string {
  let start = 0;
  const breaker = CLAUSE_BREAKER;
  breaker.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = breaker.exec(text)) !== null) {
    if (match.index >= position) return text.slice(start, match.index);
    start = match.index + match[0].length;
    if (match[0].length === 0) breaker.lastIndex += 1;
  }
  return text.slice(start);
}

/** The part of the clause holding `position` that comes before it: the words that lead up to a name. */
export function clauseBefore(text: string, position: number): string {
  let start = 0;
  const breaker = CLAUSE_BREAKER;
  breaker.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = breaker.exec(text)) !== null && match.index < position) {
    start = Math.min(position, match.index + match[0].length);
    if (match[0].length === 0) breaker.lastIndex += 1;
  }
  return text.slice(start, position);
}

/** "RDS PostgreSQL primary: CPU 21%, no replication lag": a health line about the name after a colon. */
export function labelledStatus(text: string, end: number): string {
  const match = /^[^:.;]{0,45}:\s*(.*)$/.exec(text.slice(end));
  return match?.[1] ?? '';
}

/** The relative clause right after the name's clause: "Redis, which stayed healthy". */
export function relativeClauseAfter(text: string, start: number): string {
  const rest = text.slice(start);
  const match = /^[^,;]*(?:,\s*(which|that|and it)|;\s*(it|they))\b([^,;.]*)/i.exec(rest);
  return match ? `${match[1] ?? match[2]}${match[3]}` : '';
}

/**
 * The clause after the one holding `position` when it goes on without a subject of its own ("X
 * lagged behind but didn't break and isn't why nodes died"): it still speaks of the name.
 */
export function elidedContinuation(text: string, position: number): string {
  const breaker = CLAUSE_BREAKER;
  breaker.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = breaker.exec(text)) !== null) {
    if (match[0].length === 0) {
      breaker.lastIndex += 1;
      continue;
    }
    if (match.index < position) continue;
    const rest = text.slice(match.index + match[0].length);
    return ELIDED_SUBJECT.test(rest) ? rest : '';
  }
  return '';
}

/** A clause that opens on a verb, its subject left out: "didn't break", "was never the problem", "stayed up". */
const ELIDED_SUBJECT =
  /^(?:(?:it|they)\s+)?(?:(?:did|does|do|was|is|were|are|has|had|have)(?:n'?t|\s+not|\s+never)\b|never\b|(?:stayed|remained|kept|continued|behaved|worked)\b)/i;

/** A parenthesis right after the name ("Elasticsearch (victim only)", "brokers (healthy)"): a note about it. */
export function parentheticalAfter(text: string, end: number): string {
  const match = /^(?:\s*[\w'-]+){0,3}?\s*\(([^()]{1,80})\)/.exec(text.slice(end));
  return match?.[1] ?? '';
}

/**
 * A full stop before a lower-case word ends a sentence that terse writing (a chat line, a log note)
 * did not capitalise: "web tier ok, queue drained. broker disk at 97%". Abbreviations
 * ("e.g. the", "approx. two") are not stops.
 */
const TERSE_STOP = /(?<!\b(?:e\.g|i\.e|vs|etc|approx|incl|cf|ca|no|nr|fig|resp))\.\s+(?=[a-z])/g;

/** The terse sentence of a line (see TERSE_STOP) holding `position`, with where it starts. */
export function terseSentenceAt(text: string, position: number): { text: string; start: number } {
  let start = 0;
  let end = text.length;
  for (const stop of text.matchAll(TERSE_STOP)) {
    const after = stop.index + stop[0].length;
    if (after <= position) start = after;
    else if (stop.index >= position) {
      end = stop.index;
      break;
    }
  }
  return { text: text.slice(start, end), start };
}

/** The clause holding `position` inside its terse sentence (see terseSentenceAt): what a denial there speaks of. */
export function terseClauseAt(text: string, position: number): string {
  const terse = terseSentenceAt(text, position);
  return clauseAt(terse.text, position - terse.start);
}
