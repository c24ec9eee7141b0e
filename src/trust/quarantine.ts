/**
 * Quarantine: a document whose claims largely fail verification is not summarised as fact. Its
 * outputs go to review, the fold leaves it out of themes and opportunities, the report lists it
 * and shows its summary only as "quarantined: not shown as fact", run.json counts it, and
 * `pmlens analyze` exits 1.
 *
 * A document is quarantined when
 * - `unverified`: it makes at least QUARANTINE_MIN_CLAIMS claims and fewer than
 *   QUARANTINE_MIN_SHARE of them are backed by verbatim quotes, or it makes claims and none is
 *   backed at all; or
 * - `garbage`: a stated summary field is not text (fewer than GARBAGE_MIN_LETTERS letters or
 *   digits, such as "}" or ",}"), whatever the share.
 */
import { isStated, type Summary } from '../schemas/index.ts';
import type { Quarantine } from '../schemas/index.ts';

/** Claims a document must make before its verified share can quarantine it. */
export const QUARANTINE_MIN_CLAIMS = 4;
/** A verified share below this quarantines a document with enough claims. */
export const QUARANTINE_MIN_SHARE = 0.5;
/** A stated summary field with fewer letters or digits than this is garbage. */
export const GARBAGE_MIN_LETTERS = 3;

/** Whether a stated text is schema-shaped garbage rather than a statement. */
export function isGarbageText(text: string): boolean {
  return text.replace(/[^\p{L}\p{N}]/gu, '').length < GARBAGE_MIN_LETTERS;
}

/** The stated summary fields whose text is garbage, by field name (issue, rootCauses[0], ...). */
export function garbageSummaryFields(summary: Summary): string[] {
  const fields: string[] = [];
  const check = (field: string, claim: Summary['issue']): void => {
    if (isStated(claim) && isGarbageText(claim.text)) fields.push(field);
  };
  check('issue', summary.issue);
  summary.rootCauses.forEach((claim, index) => check(`rootCauses[${index}]`, claim));
  check('impact', summary.impact);
  check('resolution', summary.resolution);
  summary.preventiveActions.forEach((claim, index) => check(`preventiveActions[${index}]`, claim));
  return fields;
}

/** The quarantine of a document, or undefined when its claims may be shown as fact. */
export function quarantineOf(
  verification: { claims: number; verified: number; share: number },
  summary: Summary,
): Quarantine | undefined {
  const garbage = garbageSummaryFields(summary);
  if (garbage.length > 0)
    return {
      reason: 'garbage',
      verifiedShare: verification.share,
      detail: `summary field${garbage.length === 1 ? '' : 's'} without text: ${garbage.join(', ')}`,
    };
  if (verification.claims > 0 && verification.verified === 0)
    return {
      reason: 'unverified',
      verifiedShare: verification.share,
      detail: `none of ${verification.claims} claims verified`,
    };
  if (verification.claims >= QUARANTINE_MIN_CLAIMS && verification.share < QUARANTINE_MIN_SHARE)
    return {
      reason: 'unverified',
      verifiedShare: verification.share,
      detail: `${verification.verified} of ${verification.claims} claims verified (below ${QUARANTINE_MIN_SHARE * 100}% with ${QUARANTINE_MIN_CLAIMS} or more claims)`,
    };
  return undefined;
}
