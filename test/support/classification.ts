import type { Classification } from '../../src/schemas/index.ts';

/** A classification that names nothing: no cause, no mention, no flag, category unknown. */
export function emptyClassification(docId: string): Classification {
  return {
    docId,
    causal: [],
    mentioned: [],
    unnamedCause: null,
    flags: [],
    faultCategory: 'unknown',
    faultSecondary: null,
  };
}
