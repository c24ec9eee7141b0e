/**
 * Pattern detectors of personal data and secrets: each finds spans of one category in a text.
 * Pure functions over strings, with no catalog and no mapping: redact.ts orders them, resolves
 * overlaps, protects catalog technology names and assigns placeholders. Also used by errors.ts to
 * scrub error details.
 */

export const CATEGORIES = [
  'EMAIL',
  'PHONE',
  'IP',
  'AWS-KEY',
  'AWS-SECRET',
  'TOKEN',
  'CARD',
  'CREDENTIALS',
  'PERSON',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** A detected span: `text.slice(start, end)` is the value replaced by a placeholder. */
export interface Span {
  category: Category;
  start: number;
  end: number;
}

type Detector = (text: string) => Span[];

/** Every match of `pattern` (global) whose `group` (0: the whole match) passes `accept`. */
function matches(
  text: string,
  pattern: RegExp,
  category: Category,
  accept: (value: string, match: RegExpExecArray) => boolean = () => true,
  group = 0,
): Span[] {
  const spans: Span[] = [];
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    if (match[0] === '') {
      pattern.lastIndex += 1;
      continue;
    }
    const value = match[group];
    if (value === undefined || value === '' || !accept(value, match)) continue;
    const offset = group === 0 ? 0 : match[0].indexOf(value);
    const start = match.index + offset;
    spans.push({ category, start, end: start + value.length });
  }
  return spans;
}

// ---- credentials in URLs: scheme://user:password@host keeps the scheme and host, hides user:password ----

const URL_USERINFO = /\b[a-z][a-z0-9+.-]{1,20}:\/\/([^\s/?#@:"'<>]+:[^\s/?#@"'<>]*)@(?=[^\s@])/gi;
export const detectUrlCredentials: Detector = (text) => matches(text, URL_USERINFO, 'CREDENTIALS', () => true, 1);

// ---- e-mail ----

const EMAIL =
  /(?<![\w.%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,63})@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![\w-])/g;
export const detectEmails: Detector = (text) => matches(text, EMAIL, 'EMAIL');

// ---- AWS ----

const AWS_ACCESS_KEY =
  /(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)[A-Z0-9]{16}(?![A-Z0-9])/g;
export const detectAwsAccessKeys: Detector = (text) => matches(text, AWS_ACCESS_KEY, 'AWS-KEY');

/** 40 characters of the secret-key alphabet with upper case, lower case and a digit: not a (hex) commit id. */
const AWS_SECRET = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
export const detectAwsSecrets: Detector = (text) =>
  matches(text, AWS_SECRET, 'AWS-SECRET', (value) => /[a-z]/.test(value) && /[A-Z]/.test(value) && /\d/.test(value));

// ---- bearer tokens and API keys ----

const KNOWN_TOKENS = new RegExp(
  [
    'eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}', // JWT
    'sk-(?:proj-|ant-|live-)?[A-Za-z0-9_-]{20,}', // OpenAI, Anthropic
    '(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}', // Stripe
    'gh[pousr]_[A-Za-z0-9]{30,}', // GitHub
    'github_pat_[A-Za-z0-9_]{22,}',
    'glpat-[A-Za-z0-9_-]{20,}', // GitLab
    'xox[abposr]-[A-Za-z0-9-]{10,}', // Slack
    'AIza[0-9A-Za-z_-]{35}', // Google
    'SG\\.[A-Za-z0-9_-]{16,}\\.[A-Za-z0-9_-]{16,}', // SendGrid
    'npm_[A-Za-z0-9]{36}',
    'hf_[A-Za-z0-9]{30,}', // Hugging Face
  ]
    .map((pattern) => `(?:${pattern})`)
    .join('|'),
  'g',
);
const BEARER = /\b(?:Bearer|Token|Basic)\s+([A-Za-z0-9\-._~+/]{11,}[A-Za-z0-9\-_~+/]=*)/g;
/** `api_key=...`, `"password": "..."`, `X-Api-Key: ...`, `?token=...`: the value after a secret-named key. */
const KEYED_SECRET =
  /\b(?:x-)?(?:api[_-]?key|apikey|api[_-]?token|access[_-]?token|auth[_-]?token|refresh[_-]?token|secret[_-]?key|client[_-]?secret|secret|password|passwd|pwd|token|private[_-]?key|aws_secret_access_key)["']?\s*[:=]\s*["']?([^\s"'`,;&)<>]{6,})/gi;

export const detectTokens: Detector = (text) => [
  ...matches(text, new RegExp(`(?<![A-Za-z0-9_-])(?:${KNOWN_TOKENS.source})(?![A-Za-z0-9_-])`, 'g'), 'TOKEN'),
  ...matches(text, BEARER, 'TOKEN', (value) => /\d/.test(value) || /[A-Z]/.test(value), 1),
  ...matches(
    text,
    KEYED_SECRET,
    'TOKEN',
    (value) => !/^\[[A-Z-]+-\d+\]$/.test(value) && !/^(?:null|none|true|false|redacted|\*+|x+)$/i.test(value),
    1,
  ),
];

// ---- IP addresses ----

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`(?<![\\d.])${OCTET}(?:\\.${OCTET}){3}(?!\\.?\\d)`, 'g');
const HEX = '[0-9A-Fa-f]{1,4}';
const IPV6 = new RegExp(
  `(?<![\\w:])(?:(?:${HEX}:){7}${HEX}|(?:${HEX}(?::${HEX}){0,6})?::(?:${HEX}(?::${HEX}){0,6})?)(?![\\w:])`,
  'g',
);

export const detectIps: Detector = (text) => [
  ...matches(text, IPV4, 'IP'),
  // At least three hex groups and a digit, so that `a::b` in code is not an address.
  ...matches(text, IPV6, 'IP', (value) => value.split(':').filter(Boolean).length >= 3 && /\d/.test(value)),
];

// ---- card numbers ----

/** The Luhn checksum of a digit string. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return digits.length > 0 && sum % 10 === 0;
}

const CARD = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;
export const detectCards: Detector = (text) =>
  matches(text, CARD, 'CARD', (value) => {
    const digits = value.replace(/\D/g, '');
    return digits.length >= 13 && digits.length <= 19 && luhnValid(digits) && !/^(\d)\1+$/.test(digits);
  });

// ---- phone numbers ----

const PHONE =
  /(?<![\w+./-])\+\d{1,3}(?:[\s.-]?\(?\d{1,8}\)?){1,6}(?![\w/-]|\.\d)|(?<![\w+./-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,5}\)[\s.-]?)?\d{2,5}(?:[\s.-]\d{2,5}){1,4}(?![\w/-]|\.\d)|(?<![\w+])\+\d{7,15}(?!\w)/g;
const PHONE_CONTEXT =
  /\b(?:phone|tel|telephone|mobile|cell|call(?:ed)?|pager|sms|text(?:ed)?|whatsapp|signal|reach(?:ed)?|contact|dial(?:led)?|number|hotline|bridge)\b[^.\n]{0,40}$/i;
const DATE_LIKE = /^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})$/;

export const detectPhones: Detector = (text) =>
  matches(text, PHONE, 'PHONE', (value, match) => {
    const digits = value.replace(/\D/g, '');
    if (digits.length < 7 || digits.length > 15 || DATE_LIKE.test(value)) return false;
    if (value.startsWith('+') || value.includes('(')) return true;
    if (/^\d{3}[\s.-]\d{3}[\s.-]\d{4}$/.test(value)) return true;
    return PHONE_CONTEXT.test(text.slice(Math.max(0, match.index - 60), match.index));
  });

/** The pattern detectors, in priority order (an earlier detector wins an overlap). */
export const PATTERN_DETECTORS: ReadonlyArray<readonly [Category, Detector]> = [
  ['CREDENTIALS', detectUrlCredentials],
  ['EMAIL', detectEmails],
  ['AWS-KEY', detectAwsAccessKeys],
  ['TOKEN', detectTokens],
  ['AWS-SECRET', detectAwsSecrets],
  ['CARD', detectCards],
  ['IP', detectIps],
  ['PHONE', detectPhones],
];

/** Spans of the pattern categories, overlaps resolved by priority, then by length. */
export function patternSpans(text: string, categories: ReadonlySet<Category> = new Set(CATEGORIES)): Span[] {
  const found: Array<Span & { rank: number }> = [];
  PATTERN_DETECTORS.forEach(([category, detect], rank) => {
    if (categories.has(category)) for (const span of detect(text)) found.push({ ...span, rank });
  });
  return resolveOverlaps(found);
}

/** Keeps non-overlapping spans: lower rank first, then longer, then earlier. */
export function resolveOverlaps(spans: Array<Span & { rank: number }>): Span[] {
  const ordered = [...spans].sort(
    (a, b) => a.rank - b.rank || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const kept: Span[] = [];
  for (const span of ordered) {
    if (kept.some((other) => span.start < other.end && other.start < span.end)) continue;
    kept.push({ category: span.category, start: span.start, end: span.end });
  }
  return kept.sort((a, b) => a.start - b.start);
}
