import type { FaultCategory, Postmortem, SectionRole, Summary } from '../../schemas/index.ts';
import { sentencesOf } from '../../text/sentences.ts';
import { ruleCueHits, scoreFaultCategories, unclearedSentences } from './fault-categories.ts';
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
/** A hit of a structural rule cue (fault-categories.ts RULE_CUES) in the stated causes counts as this many keyword hits. */
const RULE_WEIGHT = 1;
/**
 * A rule cue told anywhere in the document (outside sentences that clear a component) counts as
 * this many keyword hits for its category, once: the cause is often told in a narrative sentence
 * the summary does not pick. Leave one set out over the development sets (with the trigger rule
 * below): no rule cues 0.794; cause hits alone, document cues alone at 0.5, or both: 0.797 (dev-b
 * +1); document cues at 1: 0.794 (dev-b -2, patterns-dev-2 +1). With the deployment, id-space,
 * certificate-expiry and hot-spot cues, over all seven development sets (dev-c, dev-d
 * and dev-e scored with the model trained on the other four): 0.5: 0.779; 0.75: 0.783 (dev-a +1,
 * dev-d +1, no set lower); 1: 0.783 (dev-b -1, patterns-dev-2 +1). Two cases of 500 are within
 * noise, so the weight stays 0.5.
 */
const DOCUMENT_RULE_WEIGHT = 0.5;
/**
 * Three cues count more when told anywhere, because their form states a cause, where the other cues
 * name a state (a hot shard, an expired certificate) that may be a symptom. The deployment cue names
 * a release, upgrade, version or image as the agent that changed, added or dropped something
 * ("that version changed how ..."): one keyword hit. The dependency cue tells an outage as another
 * party's ("an outage at our payment processor", "their status page"): two. The software-bug cue
 * tells a resource leaked or never released, a defect by its form even where the document dwells
 * on what filled up: two. Leave one set out over the seven development sets (word model on dev-a,
 * dev-b, patterns-dev, patterns-dev-2), each on top of the ones before and of
 * NARRATIVE_MECHANISM_WEIGHT: deployment at 1, 0.779 to 0.785 (dev-a +1, dev-b +1, dev-d +1);
 * dependency at 1, 1.5, 2, 3: 0.794, 0.796, 0.799, 0.797 (at 2: dev-a +1, patterns-dev-2 +1, dev-c
 * +1, dev-d +1, once a sentence that asks is left out, see ASKS); software-bug at 1, 1.5, 2, 3:
 * 0.799, 0.799, 0.803, 0.803 (at 2: dev-b +1, patterns-dev-2 +1). No case lost by any of them; the
 * operational-error, network, capacity and resource-exhaustion cues at 1 gain nothing or lose one.
 */
const DOCUMENT_RULE_WEIGHTS: Partial<Record<FaultCategory, number>> = {
  deployment: 1,
  dependency: 2,
  'software-bug': 2,
};
/**
 * A sentence that asks ("we asked the provider whether anything in their network runs at :17",
 * "was it their side?") states no fact: its rule cues are no evidence when told outside the causes.
 * Without it, the dependency weight above cost dev-b an open review labelled unknown.
 */
const ASKS = /\bwhether\b|\?(?:\s|$)/i;
/**
 * When the stated causes name no failure mechanism, the mechanism the narrative tells (every
 * sentence outside the impact, resolution, action items, lessons and references, those that clear a
 * component left out) counts as this many keyword hits: a quarter of a mechanism told by the causes
 * (MECHANISM_WEIGHT). Documents whose summary finds no cause sentence (chat logs, terse timelines:
 * a third of the development cases) often tell the mechanism all the same. Leave one set out over
 * the seven development sets, with the deployment weight above: 0.785 to 0.792 (patterns-dev +1,
 * patterns-dev-2 +2, dev-e +1, no case lost); 0.5: 0.788; 0.75: 0.788; 1.5: 0.794 but dev-b and dev-c
 * each lose a case; 2: 0.781; 4: 0.778. With the three cue weights of DOCUMENT_RULE_WEIGHTS: 0
 * 0.790, 0.5 0.794, 1 0.803, 1.5 0.805 (dev-b and dev-c lose a case each).
 */
const NARRATIVE_MECHANISM_WEIGHT = 1;
/** Sections that do not tell how the incident came about: what it hit, how it ended, what comes next. */
const NOT_NARRATIVE: ReadonlySet<SectionRole> = new Set([
  'impact',
  'resolution',
  'action-items',
  'lessons',
  'references',
]);
/** The runner-up becomes the secondary category when it trails the winner by at most this (log scale). */
export const SECONDARY_MARGIN = 1;

/**
 * The document's fault category, for every document (a catalog cause or not): keyword evidence
 * from its stated causes (the summary's root causes and the cause sections count fully, the issue
 * half; a sentence that clears a component counts not at all), the structural cues of the
 * taxonomy's rules (fault-categories.ts RULE_CUES), plus the category of the failure mechanism the
 * causes describe, when one is named; the trigger goes before a resource it exhausted when the two
 * are close (categoriesOf).
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
  const primary = unclearedSentences([...new Set([...rootCauses, ...causeSections])]);
  const issue = unclearedSentences(summary.issue.evidence.length > 0 ? [summary.issue.text] : []);
  const scores = scoreFaultCategories(primary.length > 0 ? primary : issue);
  if (primary.length > 0)
    for (const [category, score] of scoreFaultCategories(issue))
      scores.set(category, (scores.get(category) ?? 0) + score * 0.5);
  for (const [category, hits] of ruleCueHits(primary.length > 0 ? primary : issue))
    scores.set(category, (scores.get(category) ?? 0) + hits * RULE_WEIGHT);
  const mechanism = readMechanism(primary.length > 0 ? primary : issue);
  if (mechanism)
    scores.set(mechanism.mechanism.category, (scores.get(mechanism.mechanism.category) ?? 0) + MECHANISM_WEIGHT);
  else {
    const narrated = narrativeMechanism(postmortem);
    if (narrated) scores.set(narrated, (scores.get(narrated) ?? 0) + NARRATIVE_MECHANISM_WEIGHT);
  }
  const combined = wordModelScores(model, categoryFeatures(postmortem, summary));
  const told = ruleCueHits(
    unclearedSentences(sentencesOf(postmortem).map((sentence) => sentence.text)).filter((text) => !ASKS.test(text)),
  );
  for (const category of told.keys())
    scores.set(category, (scores.get(category) ?? 0) + (DOCUMENT_RULE_WEIGHTS[category] ?? DOCUMENT_RULE_WEIGHT));
  for (const [category, score] of scores) combined.set(category, (combined.get(category) ?? 0) + score * keywordWeight);
  return [...combined.entries()].sort((left, right) => right[1] - left[1]);
}

/** The category of the failure mechanism the narrative tells (NARRATIVE_MECHANISM_WEIGHT), if any. */
export function narrativeMechanism(postmortem: Postmortem): FaultCategory | undefined {
  const narrative = unclearedSentences(
    sentencesOf(postmortem)
      .filter((sentence) => !NOT_NARRATIVE.has(sentence.role))
      .map((sentence) => sentence.text),
  );
  return readMechanism(narrative)?.mechanism.category;
}

/**
 * The primary answers "what kind of fault started the incident" (docs/taxonomy.md): when what ran
 * out (a resource, a provisioned rate) wins only narrowly over the change, rollout, manual act or
 * defect (a leak) that set it off, the trigger is the primary and the resource the secondary.
 * Leave one set out over the development sets: margin 0 (no rule) 0.790; 3: 0.794 with the
 * change, rollout and manual act (dev-a +1, patterns-dev +1, patterns-dev-2 -1, dev-c level),
 * 0.797 with a defect too; 5 and 8: 0.794 with larger swings per set; 12: 0.787.
 */
export const TRIGGER_MARGIN = 3;
const OUTCOMES: ReadonlySet<FaultCategory> = new Set(['resource-exhaustion', 'capacity']);
const TRIGGERS: ReadonlySet<FaultCategory> = new Set([
  'configuration-change',
  'deployment',
  'operational-error',
  'software-bug',
]);

/**
 * The best category, and the runner-up as the secondary when it trails by at most `margin`; a
 * trigger within TRIGGER_MARGIN of a winning resource category goes first, the resource second.
 */
export function categoriesOf(
  ranked: ReadonlyArray<readonly [FaultCategory, number]>,
  margin = SECONDARY_MARGIN,
): DocumentFaultCategory {
  const [first, second] = ranked;
  if (!first) return { faultCategory: 'unknown', faultSecondary: null };
  if (OUTCOMES.has(first[0])) {
    const trigger = ranked.find(([category]) => TRIGGERS.has(category));
    if (trigger && first[1] - trigger[1] <= TRIGGER_MARGIN)
      return { faultCategory: trigger[0], faultSecondary: first[0] };
  }
  return {
    faultCategory: first[0],
    faultSecondary: second && first[1] - second[1] <= margin ? second[0] : null,
  };
}
