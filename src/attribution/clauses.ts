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

/** The clause of a sentence that holds the character at `position`. */
export function clauseAt(text: string, position: number): string {
  let start = 0;
  const breaker = new RegExp(CLAUSE_BREAK.source, 'gi');
  let match: RegExpExecArray | null;
  while ((match = breaker.exec(text)) !== null) {
    if (match.index >= position) return text.slice(start, match.index);
    start = match.index + match[0].length;
    if (match[0].length === 0) breaker.lastIndex += 1;
  }
  return text.slice(start);
}

/** "RDS PostgreSQL primary: CPU 21%, no replication lag": a health line about the name after a colon. */
export function labelledStatus(text: string, end: number): string {
  const match = /^[^:.;]{0,45}:\s*(.*)$/.exec(text.slice(end));
  return match?.[1] ?? '';
}

/** The relative clause right after the name's clause: "Redis, which stayed healthy". */
export function relativeClauseAfter(text: string, start: number): string {
  const rest = text.slice(start);
  const match = /^[^,;]*,\s*(which|that|and it)\b([^,;.]*)/i.exec(rest);
  return match ? `${match[1]}${match[2]}` : '';
}
