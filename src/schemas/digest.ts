import { z } from 'zod';
import { FaultCategory } from './taxonomy.ts';

export const Digest = z.object({
  docId: z.string(),
  technology: z.string().min(1),
  /** 3-5 sentences: the fault condition, the technology's role, contributing factors. */
  sentences: z.array(z.string().min(1)).min(1).max(5),
  faultCategory: FaultCategory,
  /** Short tags of recurring contributing factors (e.g. "connection-pool", "missing-alert"). */
  contributingFactors: z.array(z.string().min(1)),
  evidence: z.array(z.string().min(1)),
});
export type Digest = z.infer<typeof Digest>;
