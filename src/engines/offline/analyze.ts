import type { TechnologyMatcher } from '../../catalog/index.ts';
import type { Classification, Digest, Postmortem } from '../../schemas/index.ts';
import { sentencesOf, type SourceSentence } from '../../text/sentences.ts';
import { CAUSAL_CUE, FAILURE_STATE, NEGATION } from '../../attribution/index.ts';
import { contributingFactorsOf } from './factors.ts';
import { faultCategoryOf } from './fault-categories.ts';

const CAUSE_ROLES = new Set(['root-cause', 'contributing-factors', 'summary', 'timeline', 'detection', 'other']);
/**
 * Where a document tells how the incident came about (factors.ts PROCESS_FACTORS). Measured through
 * `pmlens analyze` on the development sets' planted factor themes: read in the digest's sentences and a
 * contributing-factors section alone, retry-storm found 5 of 45 labelled members (1 false); read in these
 * sections, 17 (2 false). The other tags' figures are in docs/offline-engine.md, Engine 26.
 */
const FACTOR_ROLES = new Set([...CAUSE_ROLES, 'lessons', 'resolution']);

function rank(sentence: SourceSentence, namesTechnology: boolean): number {
  let score = namesTechnology ? 3 : 0;
  if (sentence.role === 'root-cause') score += 3;
  if (sentence.role === 'contributing-factors') score += 2;
  if (FAILURE_STATE.test(sentence.text)) score += 2;
  if (CAUSAL_CUE.test(sentence.text)) score += 1.5;
  if (sentence.isListItem) score -= 0.5;
  return score;
}

/**
 * A digest of 3-5 of the document's own sentences about one causal technology: the fault
 * condition, the technology's role and the contributing factors, in document order.
 */
export function analyzeOffline(
  postmortem: Postmortem,
  classification: Classification,
  technology: string,
  matcher: TechnologyMatcher,
): Digest {
  const all = sentencesOf(postmortem);
  const sentences = all.filter((sentence) => CAUSE_ROLES.has(sentence.role) && sentence.text.split(/\s+/).length >= 5);
  const ranked = sentences
    .map((sentence) => {
      const names = matcher.namedIn(sentence.text).has(technology);
      return { sentence, names, score: rank(sentence, names) };
    })
    .filter(({ sentence, score }) => score >= 3 && !NEGATION.test(sentence.text))
    .sort((left, right) => right.score - left.score || left.sentence.index - right.sentence.index);
  const chosen = new Map<number, SourceSentence>();
  for (const quote of classification.causal.find((entry) => entry.technology === technology)?.evidence ?? []) {
    const match = sentences.find((sentence) => sentence.text === quote);
    if (match && chosen.size < 2) chosen.set(match.index, match);
  }
  for (const { sentence } of ranked) {
    if (chosen.size >= 5) break;
    chosen.set(sentence.index, sentence);
  }
  const digestSentences = [...chosen.values()]
    .sort((left, right) => left.index - right.index)
    .map((sentence) => sentence.text);
  const contributing = all
    .filter((sentence) => sentence.role === 'contributing-factors')
    .map((sentence) => sentence.text);
  // How the incident came about is told anywhere in its account (the timeline, the lessons), not only
  // in the digest's sentences; what it will do next (action items) is no factor yet.
  const told = all.filter((sentence) => FACTOR_ROLES.has(sentence.role)).map((sentence) => sentence.text);
  const fallback = digestSentences.length > 0 ? digestSentences : [classification.causal[0]?.role ?? postmortem.title];
  return {
    docId: postmortem.id,
    technology,
    sentences: fallback.slice(0, 5),
    faultCategory: faultCategoryOf(fallback),
    contributingFactors: contributingFactorsOf([...fallback, ...contributing], told),
    evidence: fallback.slice(0, 5),
  };
}
