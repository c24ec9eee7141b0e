import { z } from 'zod';

/** What a summary field says when the document is silent on it. */
export const NOT_STATED = 'not stated';

/** A statement with the verbatim quotes from the source that support it. */
export const Claim = z.object({
  text: z.string().min(1).describe(`The statement, or exactly "${NOT_STATED}" when the document is silent.`),
  evidence: z
    .array(z.string().min(1))
    .describe('Verbatim quotes copied from the document that support the statement; empty only when not stated.'),
});
export type Claim = z.infer<typeof Claim>;

export const Summary = z.object({
  docId: z.string(),
  issue: Claim.describe('What went wrong, as observed.'),
  rootCauses: z.array(Claim).describe('Root causes the document states; empty when not stated.'),
  impact: Claim.describe('Who or what was affected, for how long, how badly.'),
  resolution: Claim.describe('How the incident was mitigated and resolved.'),
  preventiveActions: z.array(Claim).describe('Follow-up and preventive actions; empty when not stated.'),
});
export type Summary = z.infer<typeof Summary>;

export function notStated(): Claim {
  return { text: NOT_STATED, evidence: [] };
}

export function isStated(claim: Claim): boolean {
  return claim.text.trim().toLowerCase() !== NOT_STATED;
}
