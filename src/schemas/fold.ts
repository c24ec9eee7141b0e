import { z } from 'zod';
import { FaultCategory } from './taxonomy.ts';

/** One member's evidence for a theme: a verbatim sentence of that incident's outputs. */
export const ThemeEvidence = z.object({
  incidentId: z.string().min(1),
  quote: z.string().min(1),
});
export type ThemeEvidence = z.infer<typeof ThemeEvidence>;

/** A theme as an engine proposes it (also what a model submits); the stage checks every member. */
export const ThemeDraft = z.object({
  theme: z.string().min(1).describe('The failure mechanism in a few words.'),
  description: z.string().min(1).describe('One sentence: how the failure happens.'),
  faultCategory: FaultCategory,
  contributingFactors: z.array(z.string()),
  incidentIds: z.array(z.string().min(1)).min(1),
  evidence: z.array(ThemeEvidence).describe("One verbatim sentence per member, from that member's own text."),
});
export type ThemeDraft = z.infer<typeof ThemeDraft>;

/**
 * A recurring failure theme: one failure mechanism shared by two or more incidents (after
 * near-duplicates are counted once), across one technology or several.
 */
export const Pattern = z.object({
  id: z.string().min(1),
  /** The mechanism in a few words, e.g. "Retry storm amplifying overload". */
  theme: z.string().min(1),
  description: z.string().min(1),
  /** Catalog technologies causal in at least one member; empty when no member has one. */
  technologies: z.array(z.string()),
  /** The fault category most members share. */
  faultCategory: FaultCategory,
  contributingFactors: z.array(z.string()),
  /** Lineage: the member incidents (two or more). */
  incidentIds: z.array(z.string()).min(2),
  count: z.number().int().positive(),
  /** One verbatim quote per member, tied to its incident. */
  evidence: z.array(ThemeEvidence),
  /** ISO dates of the earliest and latest member with a date. */
  firstSeen: z.string().nullable(),
  lastSeen: z.string().nullable(),
  /** Members per calendar quarter ("2025-Q3"), for members with a date. */
  byQuarter: z.record(z.string(), z.number().int().nonnegative()),
});
export type Pattern = z.infer<typeof Pattern>;

/** An incident whose mechanism no other incident shares yet. */
export const NotRecurring = z.object({
  incidentId: z.string().min(1),
  /** The mechanism the fold read, when it named one. */
  theme: z.string().nullable(),
  technologies: z.array(z.string()),
  faultCategory: FaultCategory,
});
export type NotRecurring = z.infer<typeof NotRecurring>;

/** An incident with no catalog technology as cause and no theme: accounted for by its fault category. */
export const NoCatalogIncident = z.object({
  incidentId: z.string().min(1),
  faultCategory: FaultCategory,
});
export type NoCatalogIncident = z.infer<typeof NoCatalogIncident>;

/** A theme member the fold dropped: its outputs did not support the membership (or it duplicates another). */
export const DroppedMember = z.object({
  incidentId: z.string().min(1),
  theme: z.string(),
  reason: z.string(),
});
export type DroppedMember = z.infer<typeof DroppedMember>;

/** A document counted once: it repeats another incident of the corpus. */
export const DuplicateIncident = z.object({
  incidentId: z.string().min(1),
  duplicateOf: z.string().min(1),
});
export type DuplicateIncident = z.infer<typeof DuplicateIncident>;

/**
 * The fold of the whole corpus. Every analysed incident (outside quarantine) is in a theme, in
 * `notRecurring`, in `noCatalog`, or in `duplicates` (counted once, under the incident it repeats).
 */
export const FoldResult = z.object({
  patterns: z.array(Pattern),
  notRecurring: z.array(NotRecurring),
  noCatalog: z.array(NoCatalogIncident),
  duplicates: z.array(DuplicateIncident),
  dropped: z.array(DroppedMember),
});
export type FoldResult = z.infer<typeof FoldResult>;

/** One incident's numbers, as given in the optional incident-metadata file. */
export const IncidentMetadata = z.object({
  id: z.string().min(1),
  date: z.string().optional(),
  severity: z.string().optional(),
  durationMinutes: z.number().nonnegative().optional(),
  customersAffected: z.number().nonnegative().optional(),
  cost: z.number().nonnegative().optional(),
});
export type IncidentMetadata = z.infer<typeof IncidentMetadata>;

export const MeasuredImpact = z.object({
  incidents: z.number().int().nonnegative(),
  /** How many of the incidents have a row in the metadata file. */
  incidentsWithMetadata: z.number().int().nonnegative(),
  totalDurationMinutes: z.number().nullable(),
  totalCustomersAffected: z.number().nullable(),
  totalCost: z.number().nullable(),
  severities: z.record(z.string(), z.number().int()),
});
export type MeasuredImpact = z.infer<typeof MeasuredImpact>;

/** The parts of an opportunity's score; `score` is their sum (see docs/ranking.md). */
export const ScoreBreakdown = z.object({
  recurrence: z.number(),
  severity: z.number(),
  duration: z.number(),
  customers: z.number(),
  cost: z.number(),
  /** Subtracted when members' evidence needs review: never positive. */
  review: z.number(),
});
export type ScoreBreakdown = z.infer<typeof ScoreBreakdown>;

export const Opportunity = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  rationale: z.string().min(1),
  technologies: z.array(z.string()),
  /** The themes it rests on; empty for one severe incident that does not recur yet (its only member). */
  patternIds: z.array(z.string()),
  incidentIds: z.array(z.string()).min(1),
  /** Numbers from the metadata file only; never produced by a model. */
  impact: MeasuredImpact,
  score: z.number(),
  scoreBreakdown: ScoreBreakdown,
  /** Mean confidence of the members' causes (1 for members with no catalog cause, which rest on the fold's reading). */
  confidence: z.number().min(0).max(1),
  /** Members whose classification carries a review flag or low confidence. */
  needsReview: z.array(z.string()),
});
export type Opportunity = z.infer<typeof Opportunity>;
