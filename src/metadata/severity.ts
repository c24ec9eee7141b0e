/**
 * Severity as teams write it ("SEV-1", "Sev 2", "P1", "S2", "critical", "Major") turned into one
 * scale, SEV0 (worst) to SEV5, so counts and scores agree whatever the source wrote. The one
 * place that knows the spellings: the metadata file, front matter and HTML meta all go through it.
 */

export const SEVERITY_LEVELS = ['SEV0', 'SEV1', 'SEV2', 'SEV3', 'SEV4', 'SEV5'] as const;
export type SeverityLevel = (typeof SEVERITY_LEVELS)[number];

/** Words with a level of their own. "severe" is deliberately absent: it names no level. */
const WORDS: Readonly<Record<string, SeverityLevel>> = {
  catastrophic: 'SEV0',
  emergency: 'SEV0',
  critical: 'SEV1',
  crit: 'SEV1',
  highest: 'SEV1',
  blocker: 'SEV1',
  urgent: 'SEV1',
  high: 'SEV2',
  major: 'SEV2',
  medium: 'SEV3',
  moderate: 'SEV3',
  normal: 'SEV3',
  low: 'SEV4',
  minor: 'SEV4',
  trivial: 'SEV5',
  lowest: 'SEV5',
  cosmetic: 'SEV5',
  informational: 'SEV5',
  info: 'SEV5',
};

/** "SEV1", "sev-1", "Sev 1", "S1", "P1", "Priority 1", "Severity: 1", "Level 1", "L1", "1", "1 - critical". */
const LEADING_CODE = /^(?:sev(?:erity)?|s|p|pri(?:ority)?|level|lvl|l)?[\s.:_-]*([0-5])(?![0-9.])/;
/** A code anywhere: "Critical (SEV1)", "customer-facing P2". */
const CODE_ANYWHERE = /(?:^|[^a-z0-9])(?:sev|s|p)[\s_-]?([0-5])(?![0-9])/;

/** The level a lower-case text opens with: a code ("sev-2", "p1", "2") or a severity word ("major"). */
function levelAtStart(written: string): SeverityLevel | undefined {
  const leading = LEADING_CODE.exec(written);
  if (leading?.[1]) return SEVERITY_LEVELS[Number(leading[1])];
  const firstWord = /^[a-z]+/.exec(written)?.[0];
  return firstWord && Object.hasOwn(WORDS, firstWord) ? WORDS[firstWord] : undefined;
}

/** The level a written severity names, or undefined when it names none ("SEVERE", "bad", ""). */
export function severityLevelOf(value: unknown): SeverityLevel | undefined {
  if (typeof value === 'number')
    return Number.isInteger(value) && value >= 0 && value <= 5 ? SEVERITY_LEVELS[value] : undefined;
  if (typeof value !== 'string') return undefined;
  const written = value.trim().toLowerCase();
  if (!written || written.length > 60) return undefined;
  const opening = levelAtStart(written);
  if (opening) return opening;
  const anywhere = CODE_ANYWHERE.exec(written);
  if (anywhere?.[1]) return SEVERITY_LEVELS[Number(anywhere[1])];
  return undefined;
}

export interface NormalizedSeverity {
  /** The level (SEV0-SEV5), or the trimmed text as written when it names none. */
  value: string;
  known: boolean;
}

/** A written severity on the common scale; unknown ones are kept as written and marked. */
export function normalizeSeverity(value: unknown): NormalizedSeverity | undefined {
  if (value === null || value === undefined) return undefined;
  const written = String(value).trim();
  if (!written) return undefined;
  const level = severityLevelOf(value);
  return level ? { value: level, known: true } : { value: written, known: false };
}

/**
 * A severity a document states in a labelled field of its opening, as plain-text and ticket
 * headers put it ("Severity: SEV-2", "date: 2025-03-04   sev: P1", "Priority: P2   Status: ...",
 * "| Severity | High |"): the first such label whose value opens with a level. Prose that merely
 * mentions a level ("a P1 was declared") is no label and is not read.
 */
const SEVERITY_FIELD = /(?:^|[\s|(,;])(?:severity|sev|priority)\s*(?:[:=]|\|)[ \t|]*([^\n|,;]{1,24})/gim;
/** How much of the opening a header may take. */
const OPENING_CHARS = 1500;

export function statedSeverity(text: string): SeverityLevel | undefined {
  for (const match of text.slice(0, OPENING_CHARS).matchAll(SEVERITY_FIELD)) {
    const level = levelAtStart((match[1] ?? '').trim().toLowerCase());
    if (level) return level;
  }
  return undefined;
}
