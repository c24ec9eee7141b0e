import type { StageName } from './schemas/index.ts';

/** The message of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Base of every error postmortem-lens raises on purpose. */
export class PostmortemLensError extends Error {
  override readonly name: string = 'PostmortemLensError';
}

/** Bad configuration or usage, already explained to the user: exit code 2, no stack trace. */
export class ConfigurationError extends PostmortemLensError {
  override readonly name = 'ConfigurationError';
}

/** A stage could not produce valid output for one subject (a document, or the corpus). */
export class StageError extends PostmortemLensError {
  override readonly name = 'StageError';
  constructor(
    readonly stage: StageName,
    readonly subject: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${stage} failed for ${subject}: ${reason}`, options);
  }
}
