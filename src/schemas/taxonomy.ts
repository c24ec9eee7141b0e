import { z } from 'zod';

/** The fixed fault-category taxonomy a digest is filed under. */
export const FAULT_CATEGORIES = [
  'configuration-change',
  'deployment',
  'capacity',
  'resource-exhaustion',
  'failover-replication',
  'software-bug',
  'data-loss-corruption',
  'dependency',
  'operational-error',
  'network',
  'unknown',
] as const;

export const FaultCategory = z.enum(FAULT_CATEGORIES);
export type FaultCategory = z.infer<typeof FaultCategory>;

export const FAULT_CATEGORY_LABELS: Record<FaultCategory, string> = {
  'configuration-change': 'Configuration change',
  deployment: 'Deployment',
  capacity: 'Capacity / scaling',
  'resource-exhaustion': 'Resource exhaustion (CPU, memory, IOPS, disk, connections)',
  'failover-replication': 'Failover / replication',
  'software-bug': 'Software bug',
  'data-loss-corruption': 'Data loss / corruption',
  dependency: 'Dependency failure',
  'operational-error': 'Operational error',
  network: 'Network',
  unknown: 'Unknown',
};

/** Roles a section of a postmortem can play; detected from its heading. */
export const SECTION_ROLES = [
  'summary',
  'impact',
  'timeline',
  'detection',
  'root-cause',
  'contributing-factors',
  'resolution',
  'action-items',
  'lessons',
  'background',
  'references',
  'other',
] as const;

export const SectionRole = z.enum(SECTION_ROLES);
export type SectionRole = z.infer<typeof SectionRole>;
