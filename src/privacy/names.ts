/**
 * People's names where postmortems put them: labelled fields (on-call, incident commander,
 * authors, attendees, reviewers, sign-off), lists under such labels or headings, inline cues
 * ("reviewed by", "paged", "Jane Doe (on-call)", "the incident commander, Jane Doe,"), sign-off
 * lines, and chat handles (@jdoe, <jdoe>). A name found in a cue is then redacted wherever it
 * recurs (redact.ts). Free text is not searched for arbitrary names: without a cue, a capitalised
 * word is far more often a product, a team or a sentence start than a person.
 */
import type { Span } from './detectors.ts';

/** One word of a name: Jane, O'Brien, McDonald, Mary-Jane, Nguyễn, or an initial "J.". */
const WORD = String.raw`(?:\p{Lu}[\p{Ll}\p{M}]+(?:\p{Lu}[\p{Ll}\p{M}]+)?(?:['’-]\p{Lu}?[\p{Ll}\p{M}]+)*|\p{Lu}\.|\p{Lu}['’]\p{Lu}[\p{Ll}\p{M}]+)`;
const PARTICLE = String.raw`(?:van|von|der|den|de|da|di|du|del|della|le|la|bin|binti|al|el|ter|ten|dos|das|y)`;
/** A name: one to four whole words, particles allowed between them, on one line. */
const WHOLE_WORD = String.raw`(?<![\p{L}\p{M}\p{N}_.])${WORD}(?![\p{L}\p{M}\p{N}_])`;
export const NAME = String.raw`${WHOLE_WORD}(?:[ \t]+(?:${PARTICLE}[ \t]+)*${WHOLE_WORD}){0,3}`;
const TITLE = String.raw`(?:(?:Dr|Mr|Mrs|Ms|Mx|Prof)\.?[ \t]+)?`;

/** Capitalised words that are not names (teams, roles, months, filler) and end a name before them. */
const STOP_WORDS = new Set(
  `the a an and or of on in at to for by with from we our us they their it its this that these those he she his her
  team teams squad group org crew guild rotation channel department unit division
  sre sres ops devops dba dbas oncall on-call primary secondary backup shadow lead leads manager managers director vp cto ceo head
  incident commander commanders scribe comms communications engineer engineers engineering owner owners author authors reviewer reviewers
  attendee attendees participant participants responder responders contributor contributors approver approvers
  platform infrastructure infra database databases data payments payment checkout billing search storage networking network security
  identity auth mobile web frontend backend core api apis support customer customers service services product products
  operations reliability site release releases orders order accounts account analytics marketing sales finance legal
  all everyone none n/a na tbd tbc unknown nobody someone anyone other others etc
  monday tuesday wednesday thursday friday saturday sunday
  january february march april may june july august september october november december
  utc gmt pst pdt est edt cet cest bst ist jst
  yes no not note notes summary impact timeline root cause causes resolution action actions item items follow follow-up
  postmortem post-mortem incident incidents outage review status severity sev date time duration
  thanks thank cheers regards best kind sincerely signed approved reviewed written prepared
  due deadline eta priority ticket tickets jira link links eng enablement tbd
  slack zoom teams meet pagerduty opsgenie github gitlab datadog grafana statuspage google microsoft amazon aws`
    .split(/\s+/)
    .filter(Boolean),
);

export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word.toLowerCase().replace(/[.'’]+$/, ''));
}

/** Labels of fields that hold people. */
const PEOPLE_LABEL = String.raw`(?:(?:primary|secondary|backup|shadow)[ \t_-]+)?(?:on[ \t_-]?call(?:[ \t_-]+(?:engineer|sre|lead))?|incident[ \t_-]+(?:commander|lead|manager|owner|coordinator)|ic|commander|scribe|note[ \t_-]?taker|comms(?:[ \t_-]+lead)?|communications(?:[ \t_-]+lead)?|tech(?:nical)?[ \t_-]+lead|authors?|written[ \t_-]+by|prepared[ \t_-]+by|owners?|attendees|participants|people(?:[ \t_-]+involved)?|responders|reviewers?|reviewed[ \t_-]+by|approvers?|approved[ \t_-]+by|signed[ \t_-]+off[ \t_-]+by|sign[ \t_-]?off|contributors?|editors?|assignees?|reporters?|reported[ \t_-]+by|escalated[ \t_-]+to|paged|point[ \t_-]+of[ \t_-]+contact|poc|contact|facilitator|moderator|drafted[ \t_-]+by|cc)`;
/** `On-call: ...`, `- **Authors:** ...`, `| Reviewer | ... |`, `author: ...` in front matter. */
const LABEL_LINE = new RegExp(
  String.raw`(?:^|(?<=[.!?;][ \t]{1,3}))[ \t]*(?:[-*+>|][ \t]*)*(?:\*\*|__)?(${PEOPLE_LABEL})(?:\*\*|__)?[ \t]*(?:\([^)\n]*\))?[ \t]*(?:[:=|—–]|-(?=\s))(?:\*\*|__)?[ \t]*(.*)$`,
  'gimu',
);
/**
 * A second label within a label's value: markdown joins `**Incident commander:** Jane Doe` and
 * `**Scribe:** John Roe` on two lines into one paragraph, `Incident commander: Jane Doe Scribe: John Roe`.
 */
const INNER_LABEL = new RegExp(
  String.raw`(?<=\S)[ \t]+(?:\*\*|__)?(?:${PEOPLE_LABEL})(?:\*\*|__)?[ \t]*(?:\([^)\n]*\))?[ \t]*:(?:\*\*|__)?[ \t]*`,
  'giu',
);
/** A heading that introduces a list of people (## Attendees). */
const PEOPLE_HEADING = new RegExp(
  String.raw`^[ \t]*(?:#{1,6}[ \t]+)?(?:\*\*)?(${PEOPLE_LABEL})(?:\*\*)?[ \t]*:?[ \t]*$`,
  'gimu',
);
const LIST_ITEM = /^[ \t]*(?:[-*+•]|\d+[.)])[ \t]+(.*)$/u;

// No `i` flag anywhere a NAME is matched: with it, \p{Lu} would match lower case too.
const ROLE = String.raw`(?:(?:[Tt]he|[Oo]ur)[ \t]+)?(?:(?:[Pp]rimary|[Ss]econdary|[Bb]ackup)[ \t]+)?(?:[Oo]n-?call(?:[ \t]+(?:engineer|SRE|DBA|lead|developer))?|[Oo]n[ \t]+call|[Ii]ncident[ \t]+(?:[Cc]ommander|[Ll]ead|[Mm]anager|[Cc]oordinator)|IC|[Ss]cribe|[Cc]omms[ \t]+[Ll]ead|[Tt]ech(?:nical)?[ \t]+[Ll]ead|SRE[ \t]+on[ \t]+call|[Ee]ngineer[ \t]+on[ \t]+call)`;
/** Either case for the first letter: "Reviewed by" and "reviewed by". */
function eitherCase(words: string[]): string {
  return `(?:${words.map((word) => `[${word[0]?.toUpperCase()}${word[0]}]${word.slice(1)}`).join('|')})`;
}
const CUE_VERB = eitherCase([
  'reviewed',
  'approved',
  'written',
  'authored',
  'prepared',
  'edited',
  'drafted',
  'signed[ \\t]+off',
  'acknowledged',
  'declared',
  'led',
  'coordinated',
  'owned',
  'raised',
  'reported',
  'filed',
  'triaged',
  'escalated',
  'assigned',
  'handed[ \\t]+(?:off|over)',
  'paged',
  'thanks',
  'investigated',
]);

interface Cue {
  pattern: RegExp;
  /** The capture group holding the name. */
  group: number;
}

const INLINE_CUES: Cue[] = [
  // reviewed by Jane Doe; escalated to Jane; handed off to Jane Doe; thanks to Jane
  { pattern: new RegExp(String.raw`\b${CUE_VERB}[ \t]+(?:by|to)[ \t]+${TITLE}(${NAME})`, 'gu'), group: 1 },
  // paged Jane Doe; pinged Jane; cc Jane Doe
  {
    pattern: new RegExp(
      String.raw`\b${eitherCase(['paged', 'pinged', 'messaged', 'looped[ \\t]+in', 'cc:?', 'called'])}[ \t]+${TITLE}(${NAME})`,
      'gu',
    ),
    group: 1,
  },
  // Jane Doe (on-call); Jane Doe (IC, payments)
  { pattern: new RegExp(String.raw`${TITLE}(${NAME})[ \t]*\([ \t]*${ROLE}\b[^)\n]*\)`, 'gu'), group: 1 },
  // the on-call engineer Jane Doe; incident commander, Jane Doe,
  { pattern: new RegExp(String.raw`\b${ROLE},?[ \t]+(?:\([^)\n]*\)[ \t]+)?${TITLE}(${NAME})`, 'gu'), group: 1 },
  // Jane Doe, the on-call engineer; Jane Doe was on call; Jane Doe, our incident commander
  {
    pattern: new RegExp(
      String.raw`${TITLE}(${NAME})(?:,[ \t]+|[ \t]+(?:was|is|acted[ \t]+as|served[ \t]+as)[ \t]+)${ROLE}\b`,
      'gu',
    ),
    group: 1,
  },
  // Jane Doe acknowledged the page / was paged / joined the bridge
  {
    pattern: new RegExp(
      String.raw`${TITLE}(${NAME})[ \t]+(?:acknowledged[ \t]+the[ \t]+(?:page|alert)|was[ \t]+paged|joined[ \t]+the[ \t]+(?:bridge|call|incident[ \t]+channel))`,
      'gu',
    ),
    group: 1,
  },
  // sign-off lines: "— Jane Doe", "-- Jane", "Signed: Jane Doe"
  { pattern: new RegExp(String.raw`^[ \t]*(?:[—–~]|--?)[ \t]*${TITLE}(${NAME})[ \t]*$`, 'gmu'), group: 1 },
  // "Thanks,\nJane Doe" / "Regards, Jane Doe"
  {
    pattern: new RegExp(
      String.raw`^[ \t]*(?:Thanks|Thank[ \t]+you|Cheers|Regards|Best|Best[ \t]+regards|Kind[ \t]+regards|Sincerely|Signed)[,!:]?[ \t]*(?:\r?\n[ \t]*)?${TITLE}(${NAME})[ \t]*$`,
      'gmu',
    ),
    group: 1,
  },
];

/** @jdoe, @jane.doe (not an e-mail, not an npm scope); <jdoe> at the start of a chat line. */
const HANDLE = /(?<![\w.@/])@([A-Za-z][\w.-]{0,38}[A-Za-z0-9_])(?![\w@/]|\.\w)/g;
/** `[14:02] <jdoe>`: the time is required, so that an HTML tag at a line start is not a nick. */
const IRC_NICK = /^[ \t]*\[?\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]*[AP]M)?\]?[ \t]*<@?([A-Za-z][\w.-]{1,30})>/gm;

export interface NameFinding extends Span {
  /** Whether the span is a handle (kept whole, not split into name parts). */
  handle: boolean;
}

/** Decides whether a candidate is a name; returns the accepted span within it, or undefined. */
export type NameFilter = (candidate: string) => string | undefined;

function push(findings: NameFinding[], text: string, start: number, candidate: string, filter: NameFilter): void {
  const accepted = filter(candidate);
  if (accepted === undefined) return;
  const offset = candidate.indexOf(accepted);
  if (offset < 0) return;
  findings.push({ category: 'PERSON', start: start + offset, end: start + offset + accepted.length, handle: false });
}

/** The names of a field value: "Jane Doe (SRE), John Smith and Priya" -> three names. */
function namesInValue(
  text: string,
  valueStart: number,
  value: string,
  filter: NameFilter,
  findings: NameFinding[],
): void {
  const nameAtStart = new RegExp(String.raw`^[ \t]*(?:\*\*|__|\[)?[ \t]*${TITLE}(${NAME})`, 'u');
  const withoutParentheses = value.replace(/\([^)]*\)/g, (inner) => ' '.repeat(inner.length));
  let segmentStart = 0;
  const separators = [
    ...withoutParentheses.matchAll(/[,;/&+|]|\b(?:and|with|plus)\b/g),
    { index: value.length, 0: '' },
  ];
  for (const separator of separators) {
    const segment = value.slice(segmentStart, separator.index);
    const match = nameAtStart.exec(segment);
    if (match?.[1])
      push(findings, text, valueStart + segmentStart + match[0].length - match[1].length, match[1], filter);
    segmentStart = (separator.index ?? value.length) + separator[0].length;
  }
}

/** Names found in cues, and handles. `filter` rejects stop words and catalog technologies. */
export function findNames(text: string, filter: NameFilter): NameFinding[] {
  const findings: NameFinding[] = [];
  for (const match of text.matchAll(LABEL_LINE)) {
    const value = match[2] ?? '';
    const valueStart = match.index + match[0].length - value.length;
    if (value.trim() === '') {
      listAfter(text, match.index + match[0].length, filter, findings);
    } else {
      let partStart = 0;
      for (const inner of [...value.matchAll(INNER_LABEL), { index: value.length, 0: '' }]) {
        namesInValue(text, valueStart + partStart, value.slice(partStart, inner.index), filter, findings);
        partStart = inner.index + inner[0].length;
      }
    }
  }
  for (const match of text.matchAll(PEOPLE_HEADING)) listAfter(text, match.index + match[0].length, filter, findings);
  for (const cue of INLINE_CUES) {
    const pattern = new RegExp(cue.pattern.source, `${cue.pattern.flags}d`);
    for (const match of text.matchAll(pattern)) {
      const name = match[cue.group];
      const where = match.indices?.[cue.group];
      if (!name || !where) continue;
      push(findings, text, where[0], name, filter);
    }
  }
  for (const pattern of [HANDLE, IRC_NICK]) {
    for (const match of text.matchAll(pattern)) {
      const handle = match[1] ?? '';
      // A handle naming a technology (@redis-oncall) or a team word (@team) is not a person.
      if (filter(handle) === undefined) continue;
      const start = pattern === HANDLE ? match.index : match.index + match[0].lastIndexOf(handle);
      const end = start + (pattern === HANDLE ? handle.length + 1 : handle.length);
      findings.push({ category: 'PERSON', start, end, handle: true });
    }
  }
  return findings;
}

/** The list items right after a label or heading (blank lines allowed before the first). */
function listAfter(text: string, from: number, filter: NameFilter, findings: NameFinding[]): void {
  let position = text.indexOf('\n', from);
  let seen = 0;
  while (position !== -1 && position < text.length && seen < 50) {
    const next = text.indexOf('\n', position + 1);
    const line = text.slice(position + 1, next === -1 ? text.length : next);
    const item = LIST_ITEM.exec(line);
    if (item) {
      const value = item[1] ?? '';
      namesInValue(text, position + 1 + line.length - value.length, value, filter, findings);
      seen += 1;
    } else if (line.trim() !== '' || seen > 0) {
      break;
    }
    position = next;
  }
}
