import path from 'node:path';

/** Longest title kept; a longer one is cut at a word boundary. */
export const MAX_TITLE_LENGTH = 120;

/** Words that mark a line about the document rather than its title: "pasted from #inc-orders, cleaned up a bit". */
const PREAMBLE =
  /\b(?:pasted|copied|exported|forwarded|cross-?posted)\b|\bclean(?:ed|ing) up\b|\bslack export\b|\boriginal message\b/i;
/** The header fields that open an e-mail. */
const MAIL_FIELD = /(?:^|\s)(from|to|cc|bcc|subject|date|sent|reply-to)\s*:\s/gi;
/** "Re: ", "Fwd: ", "AW: " in front of a subject. */
const REPLY_PREFIX = /^(?:(?:re|fwd?|aw|wg|sv)\s*:\s*)+/i;
/** A chat message or timeline entry: "[08:51] yusuf: ...", "14:02 alerts: ...". */
const STAMPED = /^\[?(?:\d{4}-\d{2}-\d{2}[ T])?\d{1,2}:\d{2}\b/;

/** A title cut to `MAX_TITLE_LENGTH` at a word boundary, without banner dashes around it. */
export function cleanTitle(text: string): string {
  const title = text
    .replace(/\s+/g, ' ')
    .slice(0, 4 * MAX_TITLE_LENGTH)
    .replace(/^[-=~]{2,}\s*|\s*[-=~]{2,}$/g, '')
    .trim();
  if (title.length <= MAX_TITLE_LENGTH) return title;
  const cut = title.slice(0, MAX_TITLE_LENGTH - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > MAX_TITLE_LENGTH / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:\u2014\u2013-]+$/, '')}\u2026`;
}

/**
 * A line as a title, or undefined when it is a preamble about the document ("pasted from
 * #inc-trips-writes, cleaned up a bit — raf"). A parenthesis holding the preamble is dropped and
 * the rest kept: "#inc-2291 (exported 2024-03-07)" -> "#inc-2291".
 */
export function withoutPreamble(line: string): string | undefined {
  const kept = line
    .replace(/\s+/g, ' ')
    .replace(/ ?\([^()]*\)/g, (aside) => (PREAMBLE.test(aside) ? '' : aside))
    .trim();
  if (!kept || PREAMBLE.test(kept)) return undefined;
  return kept;
}

/**
 * The subject of an e-mail whose header fields open the text ("From: ... To: ... Subject: ..."),
 * without "Re:"/"Fwd:"; undefined when the text does not open with e-mail headers.
 */
export function mailSubject(text: string): string | undefined {
  if (!/^(?:from|to|cc|subject|date|sent)\s*:\s/i.test(text)) return undefined;
  const fields = [...text.matchAll(MAIL_FIELD)];
  const index = fields.findIndex((field) => field[1]?.toLowerCase() === 'subject');
  const subjectField = fields[index];
  if (fields.length < 2 || !subjectField) return undefined;
  const start = (subjectField.index ?? 0) + subjectField[0].length;
  const end = fields[index + 1]?.index ?? text.length;
  return text.slice(start, end).replace(REPLY_PREFIX, '').trim() || undefined;
}

/**
 * A lone first line as a title: one line of at least two words with no sentence in it, not a chat
 * message or timeline entry, not a table row, not a preamble. Undefined otherwise: "writing this at
 * 5am so forgive the state of it." is a sentence of the body, not its title.
 */
export function titleOfLine(line: string): string | undefined {
  const text = line.trim();
  if (!text || text.length > MAX_TITLE_LENGTH || text.includes('\n')) return undefined;
  if (/[.!?:;,]$/.test(text) || /[.!?]\s/.test(text) || STAMPED.test(text) || text.includes(' | ')) return undefined;
  if (mailSubject(text) !== undefined || /^(?:from|to|cc|subject|date)\s*:/i.test(text)) return undefined;
  const title = withoutPreamble(text);
  if (!title || title.split(/\s+/).filter((word) => /[A-Za-z0-9]/.test(word)).length < 2) return undefined;
  return title;
}

/** A title from a file name: "2024-03-orders-db-outage.txt" -> "2024-03 orders db outage". */
export function titleFromFileName(fileName: string): string {
  const stem = path.basename(fileName).replace(/\.[^.]+$/, '');
  const words = stem.split(/[-_\s.]+/).filter(Boolean);
  const joined = words.reduce(
    (title, word, index) =>
      index === 0 ? word : `${title}${/^\d+$/.test(word) && /\d$/.test(title) ? '-' : ' '}${word}`,
    '',
  );
  return cleanTitle(joined || stem || fileName);
}
