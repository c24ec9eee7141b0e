/** Shared helpers of the offline engine's theme-reading tests (every example sentence is invented). */
import type { FoldIncident } from '../../src/engines/engine.ts';
import { MECHANISM_BY_ID, readMechanism } from '../../src/engines/offline/mechanisms.ts';
import type { FaultCategory } from '../../src/schemas/index.ts';
import { supportsMembership } from '../../src/stages/themes.ts';

/** The mechanism one cause sentence reads as on its own. */
export const mechanismOf = (sentence: string) => readMechanism([sentence])?.mechanism.id;

/** The mechanism of causes followed by sentences told around them (impact, resolution, remedies). */
export const withContext = (causes: readonly string[], context: readonly string[]) =>
  readMechanism([...causes, ...context], [...causes.map(() => 1), ...context.map(() => 0.5)], {
    causeSentences: causes.length,
  })?.mechanism.id;

/** An incident of the fold whose sentences are all cause sentences. */
export function foldIncident(
  docId: string,
  technologies: string[],
  sentences: string[],
  faultCategory: FaultCategory = 'resource-exhaustion',
): FoldIncident {
  return {
    docId,
    technologies,
    faultCategory,
    faultSecondary: null,
    sentences,
    causeSentences: sentences.length,
    contributingFactors: [],
  };
}

/**
 * Why the themes stage would drop an incident whose only sentence is `quote` from the named
 * mechanism's theme (undefined: it keeps the member).
 */
export function membershipProblem(
  mechanismId: string,
  quote: string,
  technologies: string[],
  faultCategory: FaultCategory,
): string | undefined {
  const mechanism = MECHANISM_BY_ID.get(mechanismId);
  if (mechanism === undefined) throw new Error(`no mechanism ${mechanismId}`);
  const incident = foldIncident('member', technologies, [quote], faultCategory);
  return supportsMembership(quote, incident, {
    theme: mechanism.theme,
    description: mechanism.description,
    faultCategory,
    contributingFactors: [],
    incidentIds: [incident.docId],
    evidence: [{ incidentId: incident.docId, quote }],
  });
}
