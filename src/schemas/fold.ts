import { z } from 'zod';
import { FaultCategory } from './taxonomy.ts';

export const Pattern = z.object({
  id: z.string().min(1),
  technology: z.string().min(1),
  faultCategory: FaultCategory,
  theme: z.string().min(1),
  description: z.string().min(1),
  contributingFactors: z.array(z.string()),
  /** Lineage: the incidents that support this pattern. */
  incidentIds: z.array(z.string()).min(1),
  count: z.number().int().positive(),
  /** Verbatim sentences from the supporting digests. */
  evidence: z.array(z.string()),
});
export type Pattern = z.infer<typeof Pattern>;

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

export const Opportunity = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  rationale: z.string().min(1),
  technology: z.string().nullable(),
  patternIds: z.array(z.string()).min(1),
  incidentIds: z.array(z.string()).min(1),
  /** Numbers from the metadata file only; never produced by a model. */
  impact: MeasuredImpact,
  score: z.number(),
});
export type Opportunity = z.infer<typeof Opportunity>;
