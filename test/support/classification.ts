import type { TechnologyMatcher } from '../../src/catalog/index.ts';
import type { Classification, Postmortem } from '../../src/schemas/index.ts';
import { sentencesOf } from '../../src/text/sentences.ts';

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

/**
 * A hostile scripted model: every catalog name found in any sentence of the document, wherever it stands (a host
 * name, a URL, a channel, a client tool, an address flag, a metric, an alert), is claimed as a cause, quoting that
 * sentence.
 */
export function parrotClassification(postmortem: Postmortem, names: TechnologyMatcher): Classification {
  const classification = emptyClassification(postmortem.id);
  for (const sentence of sentencesOf(postmortem, { headings: false }))
    for (const span of names.find(sentence.text))
      classification.causal.push({
        technology: span.technology,
        role: sentence.text,
        evidence: [sentence.text],
        confidence: 0.95,
      });
  return classification;
}
