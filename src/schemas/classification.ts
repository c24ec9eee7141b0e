import { z } from 'zod';
import { FaultCategory } from './taxonomy.ts';

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
  /**
   * True when the guard took the cause (or the unnamed cause) out of the facts until a reviewer
   * decides: low confidence, or a role its quotes do not support. The cause is listed under
   * "mentioned" with the same reason, so no report fact, theme or opportunity counts it.
   */
  held: z.boolean().optional(),
});
export type ReviewFlag = z.infer<typeof ReviewFlag>;

export const Classification = z.object({
  docId: z.string(),
  causal: z.array(CausalTechnology),
  mentioned: z.array(MentionedTechnology),
  /** Set when a datastore-like cause is described without naming any catalog technology. */
  unnamedCause: z.string().nullable().default(null),
  /** What kind of fault started the incident (docs/taxonomy.md), for every document, catalog cause or not. */
  faultCategory: FaultCategory.default('unknown'),
  /** A second kind of fault the document gives as a necessary part of the cause, if any. */
  faultSecondary: FaultCategory.nullable().default(null),
  /** Set by the attribution guard, never by an engine. */
  flags: z.array(ReviewFlag).default([]),
});
export type Classification = z.infer<typeof Classification>;
