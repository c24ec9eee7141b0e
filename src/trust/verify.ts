import {
  isStated,
  type Classification,
  type Digest,
  type Postmortem,
  type Summary,
  type UnverifiedClaim,
} from '../schemas/index.ts';
import { unsupported, type SupportOptions } from './claims.ts';
import { normalizedTextOf, quoteOccursIn } from './quotes.ts';
import { DIRECTIVE_REASON, overlapsDirective } from './spans.ts';

export type { UnverifiedClaim } from '../schemas/index.ts';

export interface Verification {
  claims: number;
  verified: number;
  /** verified / claims; 1 when there is nothing to verify. */
  share: number;
  unverified: UnverifiedClaim[];
}

interface ClaimToCheck {
  stage: UnverifiedClaim['stage'];
  field: string;
  evidence: readonly string[];
  /** The claim's own text, checked against its quotes; absent for a digest (checked for presence only). */
  text?: string;
  support?: SupportOptions;
}

/**
 * A claim is verified when it cites evidence, every quote of it occurs in the source and none
 * overlaps a sentence addressed to a model, and (when the claim has a text) its quotes support it:
 * a substantive span, a finding rather than a theory or question, no denial of what it affirms,
 * its content words present (src/trust/claims.ts). Each unverified claim carries its reason.
 */
function check(claims: readonly ClaimToCheck[], postmortem: Postmortem): Verification {
  const source = normalizedTextOf(postmortem);
  const unverified: UnverifiedClaim[] = [];
  let verified = 0;
  for (const claim of claims) {
    if (claim.evidence.length === 0) {
      unverified.push({ stage: claim.stage, field: claim.field, quote: null, reason: 'no evidence cited' });
      continue;
    }
    const absent = claim.evidence.filter((quote) => !quoteOccursIn(quote, source));
    const instructions = claim.evidence.filter(
      (quote) => !absent.includes(quote) && overlapsDirective(quote, postmortem),
    );
    if (absent.length > 0 || instructions.length > 0) {
      for (const quote of absent)
        unverified.push({ stage: claim.stage, field: claim.field, quote, reason: 'the quote is not in the document' });
      for (const quote of instructions)
        unverified.push({ stage: claim.stage, field: claim.field, quote, reason: DIRECTIVE_REASON });
      continue;
    }
    const problem = claim.text === undefined ? null : unsupported(claim.text, claim.evidence, claim.support);
    if (problem !== null) {
      unverified.push({ stage: claim.stage, field: claim.field, quote: claim.evidence[0] ?? null, reason: problem });
      continue;
    }
    verified += 1;
  }
  const total = claims.length;
  return {
    claims: total,
    verified,
    share: total === 0 ? 1 : Math.round((verified / total) * 10_000) / 10_000,
    unverified,
  };
}

function summaryClaims(summary: Summary): ClaimToCheck[] {
  const claims: ClaimToCheck[] = [];
  const add = (field: string, claim: Summary['issue'], strict = false): void => {
    if (isStated(claim))
      claims.push({ stage: 'summarize', field, evidence: claim.evidence, text: claim.text, support: { strict } });
  };
  add('issue', summary.issue);
  // A root cause is a cause: its quotes must be findings, whatever its wording.
  summary.rootCauses.forEach((claim, index) => add(`rootCauses[${index}]`, claim, true));
  add('impact', summary.impact);
  add('resolution', summary.resolution);
  summary.preventiveActions.forEach((claim, index) => add(`preventiveActions[${index}]`, claim));
  return claims;
}

function classificationClaims(classification: Classification): ClaimToCheck[] {
  const claims: ClaimToCheck[] = classification.causal.map((cause) => ({
    stage: 'classify' as const,
    field: `causal:${cause.technology}`,
    evidence: cause.evidence,
    text: cause.role,
    support: { strict: true, extraWords: [cause.technology] },
  }));
  // An unnamed cause is its own quote: a sentence of the document stating a datastore cause.
  if (classification.unnamedCause !== null)
    claims.push({
      stage: 'classify',
      field: 'unnamedCause',
      evidence: [classification.unnamedCause],
      text: classification.unnamedCause,
      support: { strict: true },
    });
  return claims;
}

function digestClaims(digests: readonly Digest[]): ClaimToCheck[] {
  return digests.map((digest) => ({
    stage: 'analyze' as const,
    field: `digest:${digest.technology}`,
    evidence: digest.evidence,
  }));
}

/** Check every summary field, causal classification and digest of a document against its text. */
export function verifyDocument(
  postmortem: Postmortem,
  summary: Summary,
  classification: Classification,
  digests: readonly Digest[],
): Verification & { byStage: Record<string, Verification> } {
  const byStage = {
    summarize: check(summaryClaims(summary), postmortem),
    classify: check(classificationClaims(classification), postmortem),
    analyze: check(digestClaims(digests), postmortem),
  };
  // Each claim is checked once: the whole is the sum of the stages, in the same order.
  const all = combine([byStage.summarize, byStage.classify, byStage.analyze]);
  return { claims: all.claims, verified: all.verified, share: all.share, unverified: all.unverified, byStage };
}

/** Sum verifications (per stage or per run). */
export function combine(verifications: readonly Verification[]): Verification {
  const claims = verifications.reduce((total, entry) => total + entry.claims, 0);
  const verified = verifications.reduce((total, entry) => total + entry.verified, 0);
  return {
    claims,
    verified,
    share: claims === 0 ? 1 : Math.round((verified / claims) * 10_000) / 10_000,
    unverified: verifications.flatMap((entry) => entry.unverified),
  };
}
