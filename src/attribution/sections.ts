/** What the section a mention sits in says about a cause. */
import type { SectionRole } from '../schemas/index.ts';

/** How much a mention in a section of each role says about a cause. */
export const ROLE_WEIGHT: Record<SectionRole, number> = {
  'root-cause': 3,
  'contributing-factors': 2,
  summary: 1.5,
  detection: 1,
  timeline: 1,
  other: 1,
  resolution: 0.6,
  impact: 0.5,
  lessons: 0.4,
  background: 0.3,
  'action-items': 0,
  references: 0,
};

/** Sections where a statement of a cause can stand; impact, resolution, background and lessons are not among them. */
export const CAUSE_BEARING_ROLES = new Set<SectionRole>([
  'root-cause',
  'contributing-factors',
  'summary',
  'timeline',
  'detection',
  'other',
]);
