import type { Postmortem, SectionRole } from '../schemas/index.ts';

/** One quotable unit of a postmortem: a sentence of a paragraph or a whole list item. */
export interface SourceSentence {
  text: string;
  role: SectionRole;
  heading: string;
  sectionIndex: number;
  /** Position in the whole document, for keeping document order. */
  index: number;
  isListItem: boolean;
  isHeading: boolean;
}

const ABBREVIATIONS = /\b(?:e\.g|i\.e|etc|vs|approx|incl|min|max|no|fig|cf|mr|ms|dr|inc|ltd|co|jr|sr|st|ave|est|v)\.$/i;
/**
 * The end of a candidate sentence that decides whether it ends in an abbreviation or an initial:
 * the longest ending those match ("approx.") and the character before it, for its `\b`. Testing
 * only this much gives the same answers without scanning a long sentence from every position.
 */
const ENDING_LENGTH = 8;

/** Split a paragraph into sentences without breaking abbreviations, decimals, versions or URLs. */
export function splitSentences(paragraph: string): string[] {
  const sentences: string[] = [];
  const boundary = /([.!?]["')\]]?)\s+(?=["'([]?[A-Z0-9])/g;
  let start = 0;
  let match: RegExpExecArray | null;
  while ((match = boundary.exec(paragraph)) !== null) {
    const end = match.index + (match[1]?.length ?? 0);
    const candidate = paragraph.slice(start, end);
    const ending = candidate.slice(-ENDING_LENGTH);
    if (ABBREVIATIONS.test(ending) || /\b[A-Z]\.$/.test(ending)) continue;
    if (candidate.trim()) sentences.push(candidate.trim());
    start = boundary.lastIndex;
  }
  const rest = paragraph.slice(start).trim();
  if (rest) sentences.push(rest);
  return sentences;
}

export interface SentenceOptions {
  /** Also yield each section heading as a unit of its own section. */
  headings?: boolean;
  /**
   * Only prose a summary may quote: see `proseOfLine` and `isProseSentence`. Every unit stays a
   * verbatim slice of its line, so quotes of it still verify.
   */
  prose?: boolean;
}

const memo = new WeakMap<Postmortem, Map<string, SourceSentence[]>>();

/** Every sentence of a postmortem's paragraphs and list items, tagged with its section; computed once per postmortem object. */
export function sentencesOf(postmortem: Postmortem, options: SentenceOptions = {}): SourceSentence[] {
  const entry = memo.get(postmortem) ?? new Map<string, SourceSentence[]>();
  memo.set(postmortem, entry);
  const slot = `${options.headings ? 'headings' : ''}/${options.prose ? 'prose' : ''}`;
  let sentences = entry.get(slot);
  if (!sentences) {
    sentences = splitPostmortem(postmortem, options);
    entry.set(slot, sentences);
  }
  return sentences;
}

/** Banners and signatures are short; longer lines are not tested for them (their patterns backtrack). */
const MAX_SHORT_LINE = 120;
/** A rule or a table separator: "---", "* * *", "|---|:--:|", "+----+". */
const RULE_LINE = /^(?=.*[-=_*~]{3})[\s|:+\-=_*~]+$/;
/** A character no rule line holds: most lines have one up front, which settles RULE_LINE without its lookahead. */
const NOT_RULE_CHARACTER = /[^\s|:+\-=_*~]/;

function isRuleLine(text: string): boolean {
  return !NOT_RULE_CHARACTER.test(text) && RULE_LINE.test(text);
}
/** A banner wrapped in dashes: "---------- Forwarded message ---------", "-- #ops, Tue --". */
const BANNER_LINE = /^[-=~_]{2,}\s*.{0,80}?\s*[-=~_]{2,}$/;
/** One e-mail header line: "From: Ada <ada@example.com>", "Subject: ...". */
const MAIL_HEADER = /^(?:from|to|cc|bcc|subject|date|sent|reply-to)\s*:\s/i;
/** A task-list marker: "[ ]", "[x]", "☐". */
const CHECKBOX = /^(?:\[[ xX]\]|[\u2610\u2611\u2612])\s*/;
const MONTH = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?';
const WEEKDAY = '(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\\.?';
const DAY = `(?:\\d{4}-\\d{2}-\\d{2}|\\d{1,2} ${MONTH}(?: \\d{4})?|${MONTH} \\d{1,2}(?:st|nd|rd|th)?(?:,? \\d{4})?)`;
const ZONE = '(?:z|utc|gmt|cet|cest|bst|est|edt|pst|pdt|cst|cdt|mst|mdt|jst|ist|aest|aedt|eet|eest|sgt|hkt)\\b';
const CLOCK = `\\d{1,2}:\\d{2}(?::\\d{2})?(?:\\.\\d+)?(?: ?[ap]m\\b)?(?: ?(?:${ZONE}|[+-]\\d{2}:?\\d{2}))?`;
/**
 * The stamp in front of a chat message, a timeline entry or a status update: "[08:51]",
 * "[2024-10-18 12:02]", "2024-08-06T14:40:00Z —", "[RESOLVED] 14 May 2024 16:52 UTC", "Mar 19, 2024 23:02 GMT".
 */
const STAMP = new RegExp(
  `^(?:\\[[a-z ]{3,20}\\]\\s*)?\\[?(?:${WEEKDAY},? )?(?:(?:${DAY})(?:,? |t))?${CLOCK}\\]?(?:\\s*:\\s+|\\s+[-\u2013\u2014|]\\s+|\\s+|$)`,
  'i',
);
/** What follows the start of a time range, which is content, not a stamp: "to 06:30", "– 14:53". */
const RANGE_END = /^(?:(?:to|until|till|through|and)\s|\d{1,2}:\d{2})/i;
/** The author of a chat message, after its stamp: "yusuf: ", "<raf> ", "@lucia: ". */
const NICK = /^(?:<[^<>\s]{1,40}>:?|@?[A-Za-z][\w.-]{0,39}:)\s+/;
const URL = /\(?<?(?:https?|s3):\/\/[^\s<>()]+>?\)?/g;

/**
 * A line as prose a summary may quote, or null when it holds none. Rules, banners, e-mail headers
 * and table separators hold none; a table row gives its wordiest cell (at least three words); a
 * checkbox marker and a chat or timeline stamp (with the author of a bracketed chat message) are
 * cut off the front; a line that is only a link holds none.
 */
export function proseOfLine(line: string): string | null {
  let text = line.trim();
  if (isRuleLine(text) || MAIL_HEADER.test(text)) return null;
  if (text.length <= MAX_SHORT_LINE && BANNER_LINE.test(text)) return null;
  if (text.startsWith('|') || text.includes(' | ')) {
    const cells = text
      .split('|')
      .map((cell) => cell.trim())
      .filter((cell) => cell && !isRuleLine(cell));
    const wordiest = cells.reduce<string | null>(
      (best, cell) => (wordCount(cell) > (best === null ? 0 : wordCount(best)) ? cell : best),
      null,
    );
    if (wordiest === null || wordCount(wordiest) < 3) return null;
    text = wordiest;
  }
  text = withoutStamp(text.replace(CHECKBOX, '')).replace(CHECKBOX, '').trim();
  // Every link holds "://": a line without one has none to take out.
  if (wordCount(text.includes('://') ? text.replace(URL, ' ') : text) < 2) return null;
  return text;
}

/**
 * The header in front of a chat message or a ticket comment, author first: "Ana Ribeiro 15:15",
 * "Luca F. 10:02:", "Hyun-woo Park 10:03 \u2014", "Ada Lee [16:03]:", "@mthomsen:", and a comment
 * banner run into its text ("--- Comment by Ada Lee, 8 Jul 10:14 --- Support reports ...").
 */
const AUTHOR_HEADER =
  /^(?:[A-Z][\p{L}'-]+\s+(?:[A-Z][\p{L}'-]*\.?|[A-Z]\.)\s+\[?\d{1,2}:\d{2}\]?\s*(?::|[-\u2013\u2014])?\s+|@[\w.-]{1,40}:\s+|(?:-{2,}|={2,})\s*[^-=\s][^-=]{2,100}?\s*(?:-{2,}|={2,})\s+(?=\S))/u;

/**
 * A status page's label and stamp before an update that is not yet closing: "Identified \u2014 27 Nov
 * 2023, 20:58 UTC", "Update 1 \u2014 10:14 UTC \u2014 Investigating", "Update (Oct 3, 2023 \u2013 19:21 CEST)".
 * "Resolved" and "Monitoring" keep their label: it tells that the update closes the incident.
 */
const STATUS_STAMP = new RegExp(
  `^(?:update(?:\\s+\\d+)?|investigating|identified)\\s*(?:[-\u2013\u2014\u00b7:]\\s*|\\(\\s*)(?:(?:${MONTH},?|${WEEKDAY},?|\\d{1,4}(?:st|nd|rd|th)?,?|[-\u2013\u2014])\\s+){0,5}\\d{1,2}:\\d{2}(?:\\s*[A-Z]{2,5}\\b)?\\)?\\s*(?:[-\u2013\u2014\u00b7]\\s*(?:investigating|identified|update)\\b\\s*)?`,
  'i',
);

/** Text without the chat, timeline or status stamp in front of it (and the author of a bracketed chat message). */
function withoutStamp(text: string): string {
  const header = AUTHOR_HEADER.exec(text);
  if (header) return text.slice(header[0].length);
  const status = STATUS_STAMP.exec(text);
  // Only when a sentence follows: "Update: we found ..." keeps its words.
  if (status && /^["'(]?[A-Z]/.test(text.slice(status[0].length))) return text.slice(status[0].length);
  const stamp = STAMP.exec(text);
  if (!stamp?.[0].trim()) return text.replace(/^<[^<>\s]{1,40}>:?\s+/, '');
  const rest = text.slice(stamp[0].length);
  if (RANGE_END.test(rest)) return text;
  return stamp[0].trimStart().startsWith('[') ? rest.replace(NICK, '') : rest;
}

/**
 * Closing pleasantries and greetings, by their opening or by an invitation anywhere in them:
 * "Thanks to Ravi for a calm night.", "Happy to take questions in #payments.", "Ping me if ...".
 */
const PLEASANTRY_START =
  /^(?:(?:many |big |huge |special )?thanks\b|thank you\b|cheers\b|kudos\b|(?:kind |best )?regards\b|best,|(?:hi|hello|hey|dear)\b|(?:any )?questions\b|ping me\b|feel free\b|happy to (?:take|answer|discuss|chat|help|walk)\b|shout if\b|reach out\b|let me know\b)/i;
const INVITATION =
  /\b(?:questions? (?:to|in|welcome|go to)\b|if you have (?:any )?questions|ping me\b|reach out to\b|let me know\b|feel free to\b|happy to (?:take|answer) (?:any )?questions)/i;
/** A note on where the text came from: "pasted from #inc-orders, cleaned up a bit", "Slack export: #ops". */
const PROVENANCE = /^(?:(?:pasted|copied|exported|forwarded|cross-?posted) (?:from|by|to)\b|slack export\b)/i;
/** A signature: "— raf", "-- R.", "Cheers, Ada". */
const SIGNATURE = /^(?:[-\u2013\u2014~]+\s*\S+(?:\s\S+)?\.?|\S+,\s*\S+)$/;

/** False for closing pleasantries, greetings, signatures, provenance notes and e-mail headers: nothing a summary should say. */
export function isProseSentence(sentence: string): boolean {
  const text = sentence.trim();
  if (MAIL_HEADER.test(text) || PROVENANCE.test(text)) return false;
  if (text.length <= MAX_SHORT_LINE && SIGNATURE.test(text)) return false;
  return !PLEASANTRY_START.test(text) && !INVITATION.test(text);
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter((word) => /[A-Za-z0-9]/.test(word)).length;
}

/** A severity in an incident's title: "SEV2", "Sev-1", "severity 3", "P1". */
const SEVERITY = /\b(?:sev(?:erity)?[- ]?\d|p[0-4])\b/i;
/** A calendar date: "2025-03-14", "14 Mar", "March 14th". */
const CALENDAR_DATE =
  /\b(?:\d{4}-\d{2}-\d{2}|\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\s+\d{1,2}(?:st|nd|rd|th)?\b)/i;
/** Sections that follow an incident's story rather than tell it: what was done, what it cost. */
const AFTER_THE_STORY = new Set<SectionRole>(['action-items', 'resolution', 'impact', 'lessons']);

/**
 * A line that opens the next incident of a report telling several ("12 May, SEV2, 40 minutes:
 * uploads failing", "INC-7 Checkout down SEV1 3 Jun We ..."): its first words carry a severity and
 * a calendar date. A timeline entry carries a time, not a severity; a severity alone is a verdict.
 */
function opensIncident(sentence: SourceSentence): boolean {
  if (sentence.isHeading) return false;
  const opening = sentence.text.split(/\s+/, 16).join(' ');
  return SEVERITY.test(opening) && CALENDAR_DATE.test(opening);
}

/**
 * A report of several incidents often runs the next incident's story on under the last one's
 * "Actions" or "Impact" heading. From a line that opens an incident to the end of such a section,
 * the sentences tell that incident's story: they are read as narrative, not as what was done.
 */
function tellIncidentStories(sentences: SourceSentence[]): SourceSentence[] {
  let story = -1;
  for (const sentence of sentences) {
    if (sentence.isHeading || sentence.sectionIndex !== story) story = -1;
    if (AFTER_THE_STORY.has(sentence.role) && opensIncident(sentence)) story = sentence.sectionIndex;
    if (story === sentence.sectionIndex) sentence.role = 'other';
  }
  return sentences;
}

/** Whether a text holds at least two ASCII letters or digits (what `replace(/[^A-Za-z0-9]/g, '')` would keep). */
function hasTwoAlphanumerics(text: string): boolean {
  let found = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if ((code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122)) {
      found += 1;
      if (found >= 2) return true;
    }
  }
  return false;
}

function splitPostmortem(postmortem: Postmortem, options: SentenceOptions): SourceSentence[] {
  const result: SourceSentence[] = [];
  postmortem.sections.forEach((section, sectionIndex) => {
    // A literal, not a spread of a shared base: V8 clones spread objects slowly (measured 10x here).
    const unit = (text: string, isListItem: boolean, isHeading: boolean): SourceSentence => ({
      role: section.role,
      heading: section.heading,
      sectionIndex,
      text,
      index: result.length,
      isListItem,
      isHeading,
    });
    if (options.headings && section.heading.trim()) result.push(unit(section.heading.trim(), false, true));
    for (const line of section.text.split('\n')) {
      const trimmed = line.trim();
      if (!trimmed) continue;
      const isListItem = trimmed.startsWith('- ');
      const body = isListItem ? trimmed.slice(2).trim() : trimmed;
      const prose = options.prose ? proseOfLine(body) : body;
      if (prose === null) continue;
      for (const sentence of splitSentences(prose)) {
        const text = options.prose ? withoutStamp(sentence).trim() : sentence;
        if (!hasTwoAlphanumerics(text)) continue;
        if (options.prose && !isProseSentence(text)) continue;
        result.push(unit(text, isListItem, false));
      }
    }
  });
  return tellIncidentStories(result);
}
