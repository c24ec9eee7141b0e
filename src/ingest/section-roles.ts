import type { SectionRole } from '../schemas/index.ts';

/**
 * Heading patterns per section role, checked in order: the first match wins, so the more
 * specific roles ("remediation items", "what went wrong") come before the general ones.
 */
const ROLE_PATTERNS: ReadonlyArray<readonly [SectionRole, RegExp]> = [
  [
    'action-items',
    /^(next )?actions$|action items?|follow[- ]?ups?|next steps|remediation (items|actions|plan)|preventi(ve|on)|corrective|action plan|to-?dos?\b|going forward|what we('re| are| will be) (doing|changing)|what we('ll| will|'re going to| are going to) do|future work|future plans?|improvements|countermeasures?/,
  ],
  ['lessons', /lessons?|learn(ed|ings)|went well|did well|got lucky|takeaways|retrospective|reflections/],
  [
    'root-cause',
    /root[- ]?causes?|why did (this|it)|what caused|\bcauses?\b|5 whys|five whys|\btrigger|technical (details|analysis|explanation|appendix)|\banalysis\b|investigation|diagnosis|deep dive|the bug\b|failure mode|what (broke|failed)|why it (happened|broke|failed)/,
  ],
  ['contributing-factors', /contribut|factors|what went wrong|aggravat/],
  [
    'detection',
    /wasn'?t caught|not caught|(didn'?t|did not|not) notice|detect|how (we|did we) (found|find|notice|learn)|discovery|alerting|how we found out|monitoring/,
  ],
  ['timeline', /timeline|chronolog|sequence of events|time line|\bevents\b/],
  [
    'impact',
    /impact|affected|what (you|users|customers|people) (saw|noticed|experienced)|who was|blast radius|user[- ]facing|customer experience|consequences|damage/,
  ],
  [
    'resolution',
    /resolution|resolv|mitigat|recover|remediation|\bfix(es|ed)?\b|response|restor|workaround|how we (fixed|stopped)|^what we did$/,
  ],
  [
    'summary',
    /summary|overview|tl;? ?dr|what happened|description|synopsis|abstract|the problem|^(the )?(incident|issue|problem)$/,
  ],
  ['background', /background|context|architecture|about|setup|system overview/],
  // Whole words: "Notification preferences reset", "Unrelated: ..." name no references.
  ['references', /\b(references?|links|appendix|related|see also|resources|attachments)\b/],
];

/**
 * A heading that lists what was cleared ("Not causes", "Non-causes", "What it wasn't", "NOT IT"): no role of its own,
 * and what it names is a suspect (attribution/structure.ts underSuspectHeading).
 */
export const NOT_A_CAUSE_HEADING =
  /\b(?:not|non)[\s-]+(?:the\s+|a\s+)?(?:root\s+)?causes?\b|\bwhat it (?:was not|wasn'?t)\b|\bnot it\b/i;

/** A heading as its role is read: its parenthesised aside taken out (unless that is all it has), lower case. */
function normalizedHeading(heading: string): string {
  const withoutAside = heading.replace(/\([^()]*\)/g, ' ');
  return (/[a-z]/i.test(withoutAside) ? withoutAside : heading)
    .toLowerCase()
    .replace(/[_*#:]+/g, ' ')
    .trim();
}

/** The role a heading names and where in it the words that name it begin (undefined: no role). */
function roleWords(heading: string): { role: SectionRole; at: number } | undefined {
  const normalized = normalizedHeading(heading);
  // "Not causes", "Non-causes", "Not the root cause", "What it wasn't": what the section clears is no cause section.
  if (NOT_A_CAUSE_HEADING.test(normalized)) return undefined;
  for (const [role, pattern] of ROLE_PATTERNS) {
    const match = pattern.exec(normalized);
    if (match) return { role, at: match.index };
  }
  return undefined;
}

/**
 * The role a heading names. A parenthesised aside is not the heading's subject ("Search backups
 * stopped (no customer impact)" is not an impact section), unless it is all the heading has.
 */
export function roleOfHeading(heading: string): SectionRole {
  return roleWords(heading)?.role ?? 'other';
}

/**
 * Whether the words that give a heading its role come after others that qualify them ("CAB
 * follow-up", "Incident retrospective"), rather than open it as a bare label ("Follow-ups",
 * "Lessons learned").
 */
export function qualifiesItsRole(heading: string): boolean {
  return (roleWords(heading)?.at ?? 0) > 0;
}

/** Sections that come after a postmortem's story and tell no part of it: what will be done, what was learnt, where to read more. */
export const AFTERWORD_ROLES: ReadonlySet<SectionRole> = new Set(['action-items', 'lessons', 'references']);

/** True when a short label such as "Root cause" or "Impact" names a known section role. */
export function isKnownLabel(label: string): boolean {
  return label.length <= 40 && roleOfHeading(label) !== 'other';
}
