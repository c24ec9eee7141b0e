import { z } from 'zod';

/** Where a non-causal mention of a technology sits; the contexts that are not causes. */
export const MENTION_CONTEXTS = [
  'title',
  'link',
  'action-item',
  'victim',
  'negated',
  'upstream-provider',
  'background',
  'resolution-only',
  'other',
] as const;
export const MentionContext = z.enum(MENTION_CONTEXTS);
export type MentionContext = z.infer<typeof MentionContext>;

export const CausalTechnology = z.object({
  technology: z.string().min(1).describe('Canonical catalog name of the technology.'),
  role: z.string().min(1).describe('How the technology directly contributed to the incident.'),
  evidence: z.array(z.string().min(1)).min(1).describe('Verbatim quotes showing the technology in a causal role.'),
  confidence: z.number().min(0).max(1),
});
export type CausalTechnology = z.infer<typeof CausalTechnology>;

export const MentionedTechnology = z.object({
  technology: z.string().min(1),
  context: MentionContext,
  reason: z.string().min(1).describe('Why the mention is not a cause.'),
  evidence: z.array(z.string().min(1)),
});
export type MentionedTechnology = z.infer<typeof MentionedTechnology>;

/** Why a classification needs a reviewer's eye: a demoted cause, or the engines disagreeing. */
export const ReviewFlag = z.object({
  technology: z.string(),
  kind: z.enum(['demoted', 'needs-review', 'disagreement']),
  reason: z.string(),
});
export type ReviewFlag = z.infer<typeof ReviewFlag>;

export const Classification = z.object({
  docId: z.string(),
  causal: z.array(CausalTechnology),
  mentioned: z.array(MentionedTechnology),
  /** Set when a datastore-like cause is described without naming any catalog technology. */
  unnamedCause: z.string().nullable().default(null),
  /** Set by the attribution guard, never by an engine. */
  flags: z.array(ReviewFlag).default([]),
});
export type Classification = z.infer<typeof Classification>;
