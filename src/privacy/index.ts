/**
 * Privacy: redaction of personal data and secrets before text leaves the machine (see redact.ts),
 * and the detectors that errors.ts uses to scrub error details.
 */
export {
  CATEGORIES,
  createMapping,
  createRedactor,
  loadRedactor,
  parseMapping,
  PLACEHOLDER,
  redact,
  redactDetailed,
  RedactionMappingSchema,
  restore,
} from './redact.ts';
export type { Category, Redaction, RedactionMapping, RedactOptions, RedactResult, Redactor } from './redact.ts';
export { luhnValid, patternSpans } from './detectors.ts';
export { loadMapping, RedactionSession, type RedactionStore } from './session.ts';
