import type { FaultCategory, Postmortem, Summary } from '../../schemas/index.ts';
import { sentencesOf } from '../../text/sentences.ts';
import { scoreFaultCategories } from './fault-categories.ts';
import { readMechanism } from './mechanisms.ts';
import trained from './models/fault-categories.json' with { type: 'json' };
import { categoryFeatures, wordModelScores, type WordModel } from './word-model.ts';

const WORD_MODEL = trained as WordModel;
/** Weight of one keyword hit against the word model's log-probabilities. */
export const KEYWORD_WEIGHT = 8;

export interface DocumentFaultCategory {
  faultCategory: FaultCategory;
  faultSecondary: FaultCategory | null;
}

/** A named mechanism's category counts as this many keyword hits. */
const MECHANISM_WEIGHT = 4;
/** The runner-up becomes the secondary category when it trails the winner by at most this (log scale). */
export const SECONDARY_MARGIN = 1;

/**
 * The document's fault category, for every document (a catalog cause or not): keyword evidence
 * from its stated causes (the summary's root causes and the cause sections count fully, the issue
 * half), plus the category of the failure mechanism the causes describe, when one is named.
 */
export function documentFaultCategory(postmortem: Postmortem, summary: Summary): DocumentFaultCategory {
  return documentFaultCategoryWith(WORD_MODEL, KEYWORD_WEIGHT, postmortem, summary);
}

/** The same reading with a given word model and keyword weight (the trainer's leave-one-out check). */
export function documentFaultCategoryWith(
  model: WordModel,
  keywordWeight: number,
  postmortem: Postmortem,
  summary: Summary,
): DocumentFaultCategory {
  return categoriesOf(rankFaultCategories(model, keywordWeight, postmortem, summary));
}

/** Every category with its combined score (log scale), best first. */
export function rankFaultCategories(
  model: WordModel,
  keywordWeight: number,
  postmortem: Postmortem,
  summary: Summary,
): Array<[FaultCategory, number]> {
  const rootCauses = summary.rootCauses.filter((claim) => claim.evidence.length > 0).map((claim) => claim.text);
  const causeSections = sentencesOf(postmortem)
    .filter((sentence) => sentence.role === 'root-cause' || sentence.role === 'contributing-factors')
    .map((sentence) => sentence.text);
  const primary = [...new Set([...rootCauses, ...causeSections])];
  const issue = summary.issue.evidence.length > 0 ? [summary.issue.text] : [];
  const scores = scoreFaultCategories(primary.length > 0 ? primary : issue);
  if (primary.length > 0)
    for (const [category, score] of scoreFaultCategories(issue))
      scores.set(category, (scores.get(category) ?? 0) + score * 0.5);
  const mechanism = readMechanism(primary.length > 0 ? primary : issue);
  if (mechanism)
    scores.set(mechanism.mechanism.category, (scores.get(mechanism.mechanism.category) ?? 0) + MECHANISM_WEIGHT);
  const combined = wordModelScores(model, categoryFeatures(postmortem, summary));
  for (const [category, score] of scores) combined.set(category, (combined.get(category) ?? 0) + score * keywordWeight);
  return [...combined.entries()].sort((left, right) => right[1] - left[1]);
}

/** The best category, and the runner-up as the secondary when it trails by at most `margin`. */
export function categoriesOf(
  ranked: ReadonlyArray<readonly [FaultCategory, number]>,
  margin = SECONDARY_MARGIN,
): DocumentFaultCategory {
  const [first, second] = ranked;
  if (!first) return { faultCategory: 'unknown', faultSecondary: null };
  return {
    faultCategory: first[0],
    faultSecondary: second && first[1] - second[1] <= margin ? second[0] : null,
  };
}
