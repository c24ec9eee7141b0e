import {
  isStated,
  type Classification,
  type Digest,
  type Postmortem,
  type Summary,
  type UnverifiedClaim,
} from '../schemas/index.ts';
import { normalizedTextOf, quoteOccursIn } from './quotes.ts';

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
}

/** A claim is verified when it cites evidence and every quote of it occurs in the source. */
function check(claims: readonly ClaimToCheck[], source: string): Verification {
  const unverified: UnverifiedClaim[] = [];
  let verified = 0;
  for (const claim of claims) {
    if (claim.evidence.length === 0) {
      unverified.push({ stage: claim.stage, field: claim.field, quote: null });
      continue;
    }
    const failed = claim.evidence.filter((quote) => !quoteOccursIn(quote, source));
    if (failed.length === 0) verified += 1;
    else for (const quote of failed) unverified.push({ stage: claim.stage, field: claim.field, quote });
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
  const add = (field: string, claim: Summary['issue']): void => {
    if (isStated(claim)) claims.push({ stage: 'summarize', field, evidence: claim.evidence });
  };
  add('issue', summary.issue);
  summary.rootCauses.forEach((claim, index) => add(`rootCauses[${index}]`, claim));
  add('impact', summary.impact);
  add('resolution', summary.resolution);
  summary.preventiveActions.forEach((claim, index) => add(`preventiveActions[${index}]`, claim));
  return claims;
}

function classificationClaims(classification: Classification): ClaimToCheck[] {
  return classification.causal.map((cause) => ({
    stage: 'classify' as const,
    field: `causal:${cause.technology}`,
    evidence: cause.evidence,
  }));
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
  const source = normalizedTextOf(postmortem);
  const byStage = {
    summarize: check(summaryClaims(summary), source),
    classify: check(classificationClaims(classification), source),
    analyze: check(digestClaims(digests), source),
  };
  const all = check(
    [...summaryClaims(summary), ...classificationClaims(classification), ...digestClaims(digests)],
    source,
  );
  return { ...all, byStage };
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
