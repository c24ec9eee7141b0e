import { patternSpans } from './privacy/detectors.ts';
import type { StageName } from './schemas/index.ts';

/**
 * Errors and what may be said about them. An error's message ends up in run.json
 * (`failed[].reason`), on stderr, in Lambda logs and in Step Functions causes, so it must never
 * carry document or model text: errors raised here say what happened in their own words (codes,
 * stages, ids, counts, HTTP statuses), and any detail taken from elsewhere (a server's error
 * message, a parser's message) goes through scrubDetail first.
 */

/** What went wrong, as a stable code: logged, counted, and put first in a failure reason. */
export type ErrorCode =
  | 'model-throttled'
  | 'model-timeout'
  | 'model-server'
  | 'model-client'
  | 'model-network'
  | 'model-output-invalid'
  | 'model-output-truncated'
  | 'stage-output-invalid'
  | 'json-syntax'
  | 'configuration'
  | 'unexpected';

/** Longest detail kept from text postmortem-lens did not write (a server's message, a parser's). */
export const MAX_DETAIL_CHARS = 160;
/** Longest failure reason or logged message. */
export const MAX_REASON_CHARS = 300;

/**
 * The message of anything thrown. JSON syntax errors lose the excerpt of the input V8 quotes
 * (`Unexpected token 'j', "{"a": jane.d"... is not valid JSON`), and YAML errors the source lines
 * they print under their first line: both are the document's text.
 */
export function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof SyntaxError) return withoutJsonExcerpt(message);
  if (error instanceof Error && /^YAML/.test(error.name)) return (message.split('\n')[0] ?? '').replace(/:\s*$/, '');
  return message;
}

/** V8's JSON.parse messages, without the excerpt of the input they quote. */
export function withoutJsonExcerpt(message: string): string {
  return message
    .replace(
      /^Unexpected token .*?, (?:"[\s\S]*"(?:\.\.\.)?|"[\s\S]*) is not valid JSON$/,
      'Unexpected token: not valid JSON',
    )
    .replace(/^"[\s\S]*" is not valid JSON$/, 'not valid JSON')
    .replace(/^(Unexpected token) (\S+) in JSON/, '$1 in JSON');
}

/** Anything quoted: a server echoing a prompt, a parser quoting its input. */
const QUOTED = /"[^"\n]{3,}"|'[^'\n]{3,}'|`[^`\n]{3,}`|“[^”\n]{3,}”|‘[^’\n]{3,}’/g;

/**
 * A detail safe to log: quoted passages removed, personal data and secrets replaced by their
 * category, control characters and runs of blanks collapsed, at most `maxChars` characters.
 */
export function scrubDetail(text: string, maxChars = MAX_DETAIL_CHARS): string {
  let cleaned = text.replace(/\p{Cc}+/gu, ' ');
  const spans = patternSpans(cleaned);
  for (const span of [...spans].reverse())
    cleaned = `${cleaned.slice(0, span.start)}[${span.category.toLowerCase()}]${cleaned.slice(span.end)}`;
  cleaned = cleaned.replace(QUOTED, '"…"').replace(/\s+/g, ' ').trim();
  return cleaned.length > maxChars ? `${cleaned.slice(0, maxChars - 1).trimEnd()}…` : cleaned;
}

/** Base of every error postmortem-lens raises on purpose. */
export class PostmortemLensError extends Error {
  override readonly name: string = 'PostmortemLensError';
  get code(): ErrorCode {
    return 'unexpected';
  }
}

/** Bad configuration or usage, already explained to the user: exit code 2, no stack trace. */
export class ConfigurationError extends PostmortemLensError {
  override readonly name = 'ConfigurationError';
  override get code(): ErrorCode {
    return 'configuration';
  }
}

/** The code of an error: its own, or its cause's; SyntaxError is 'json-syntax'. */
export function errorCodeOf(error: unknown): ErrorCode {
  for (let current: unknown = error, depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    if (current instanceof StageError) return current.code;
    if (current instanceof PostmortemLensError && current.code !== 'unexpected') return current.code;
    if (current instanceof SyntaxError) return 'json-syntax';
    current = (current as { cause?: unknown }).cause;
  }
  return 'unexpected';
}

/**
 * What may be said about an error in a failure reason or a log line: the code first when there is
 * one, then the message, scrubbed and capped. Errors postmortem-lens raised itself keep their
 * wording (scrubbed all the same); any other message is treated as foreign text.
 */
export function safeMessageOf(error: unknown, maxChars = MAX_REASON_CHARS): string {
  const code = errorCodeOf(error);
  const own = error instanceof PostmortemLensError;
  const message = scrubDetail(messageOf(error), own ? maxChars : Math.min(maxChars, MAX_DETAIL_CHARS));
  if (code === 'unexpected' || message.startsWith(`${code}:`)) return message;
  return `${code}: ${message}`;
}

/** A stage could not produce valid output for one subject (a document, or the corpus). */
export class StageError extends PostmortemLensError {
  override readonly name = 'StageError';
  private readonly errorCode: ErrorCode;
  constructor(
    readonly stage: StageName,
    readonly subject: string,
    readonly reason: string,
    options?: { cause?: unknown; code?: ErrorCode },
  ) {
    super(`${stage} failed for ${subject}: ${reason}`, options);
    this.errorCode = options?.code ?? (options?.cause === undefined ? 'unexpected' : errorCodeOf(options.cause));
  }

  override get code(): ErrorCode {
    return this.errorCode;
  }
}

/** A validation issue as zod reports it (only what describeIssues reads). */
export interface IssueLike {
  path: ReadonlyArray<PropertyKey>;
  code?: string;
  message: string;
  keys?: readonly string[];
}

/** Issue codes whose zod message names only the schema's expectations, never the input. */
const SAFE_ISSUE_CODES = new Set([
  'invalid_type',
  'too_big',
  'too_small',
  'invalid_format',
  'not_multiple_of',
  'invalid_value',
  'invalid_union',
  'invalid_key',
  'invalid_element',
]);
const SAFE_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,40}$/;

function safePath(path: ReadonlyArray<PropertyKey>): string {
  return (
    path
      .map((part) =>
        typeof part === 'number' ? String(part) : typeof part === 'string' && SAFE_KEY.test(part) ? part : '?',
      )
      .join('.') || '(root)'
  );
}

/**
 * Validation issues in words that never quote the validated value: schema paths (keys that are
 * not plain identifiers become `?`), and zod's message only where it states the expectation.
 */
export function describeIssues(issues: readonly IssueLike[], max = 8): string {
  return issues
    .slice(0, max)
    .map((issue) => {
      let message: string;
      if (issue.code === 'unrecognized_keys') {
        const keys = (issue.keys ?? []).filter((key) => SAFE_KEY.test(key));
        message = `unrecognized key(s)${keys.length > 0 ? `: ${keys.slice(0, 5).join(', ')}` : ''}`;
      } else if (issue.code !== undefined && SAFE_ISSUE_CODES.has(issue.code)) {
        message = issue.message.length > 120 ? `${issue.message.slice(0, 119)}…` : issue.message;
      } else {
        message = 'invalid value';
      }
      return `${safePath(issue.path)}: ${message}`;
    })
    .join('; ');
}
