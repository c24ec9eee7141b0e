import { FAULT_CATEGORY_LABELS, type FaultCategory } from '../../schemas/index.ts';
import type { FoldIncident, OpportunitySubject, OpportunityText, ThemeDraft } from '../engine.ts';
import {
  FAMILY_OF,
  MECHANISM_BY_ID,
  MECHANISM_FAMILIES,
  type MechanismFamily,
  MECHANISM_VOCABULARY,
  readMechanism,
  type Mechanism,
  type MechanismReading,
} from './mechanisms.ts';
import { contentWordsOf, spellingsOf } from '../../text/words.ts';

/** The first cause sentences (root causes) weigh most, the other cause sentences less, the remedies least. */
export function weightsOf(incident: FoldIncident): number[] {
  return incident.sentences.map((_, index) =>
    index < Math.min(3, incident.causeSentences) ? 1 : index < incident.causeSentences ? 0.75 : 0.5,
  );
}

/**
 * Cosine similarity (idf-weighted content words, each weighted by the heaviest sentence it is in
 * and by whether it belongs to the language of mechanisms) two incidents need to share a theme
 * without a named mechanism.
 */
export const SIMILARITY_THRESHOLD = 0.26;
/** What a word outside MECHANISM_VOCABULARY (a product, a person, a date) weighs against one inside it. */
export const INCIDENTAL_WORD_WEIGHT = 0.3;
/** Content words two incidents must share at least, whatever their share. */
const MIN_SHARED_WORDS = 3;
/** Words shared by more than this share of the leftover incidents say nothing about a mechanism. */
const COMMON_WORD_SHARE = 0.2;

/**
 * Shared words are no shared mechanism unless the documents also fail the same way: two
 * incidents the similarity fallback joins must have a fault category in common (primary or
 * secondary).
 */
function sameKindOfFault(left: FoldIncident | undefined, right: FoldIncident | undefined): boolean {
  if (!left || !right) return false;
  const own = [left.faultCategory, left.faultSecondary];
  return [right.faultCategory, right.faultSecondary].some((category) => category !== null && own.includes(category));
}

export interface Leftover {
  incident: FoldIncident;
  /** Content word stem -> its weight in the incident: the heaviest sentence it is in, less when incidental. */
  words: Map<string, number>;
}

/**
 * The words the similarity fold compares: every sentence of the incident (a cause often names its
 * mechanism only in the resolution or remedies), each word weighted by the heaviest sentence it is
 * in (weightsOf) and by INCIDENTAL_WORD_WEIGHT when it is not in the language of mechanisms.
 * Technology names and their one-word aliases are left out: a theme crosses technologies.
 */
export function wordsOf(incident: FoldIncident, excluded: ReadonlySet<string>): Map<string, number> {
  const words = new Map<string, number>();
  const weights = weightsOf(incident);
  for (const [index, sentence] of incident.sentences.entries())
    for (const word of contentWordsOf(sentence)) {
      if (excluded.has(word)) continue;
      const weight = (weights[index] ?? 0.5) * (MECHANISM_VOCABULARY.has(word) ? 1 : INCIDENTAL_WORD_WEIGHT);
      if (weight > (words.get(word) ?? 0)) words.set(word, weight);
    }
  return words;
}

/**
 * Incidents no named mechanism fits, grouped by the words of their outputs: two join when their
 * rare content words overlap by SIMILARITY_THRESHOLD (weighted idf cosine, see wordsOf) and they
 * share a fault category; groups are the connected components. An inverted index keeps it
 * near-linear.
 */
function groupBySimilarity(leftovers: readonly Leftover[], threshold = SIMILARITY_THRESHOLD): Leftover[][] {
  const frequency = new Map<string, number>();
  for (const leftover of leftovers)
    for (const word of leftover.words.keys()) frequency.set(word, (frequency.get(word) ?? 0) + 1);
  const ceiling = Math.max(3, Math.floor(leftovers.length * COMMON_WORD_SHARE));
  // Rarer words weigh more: idf = log(n / document frequency).
  const idf = (word: string) => Math.log((leftovers.length + 1) / (frequency.get(word) ?? 1));
  const rare = leftovers.map(
    (leftover) =>
      new Map(
        [...leftover.words]
          .filter(([word]) => (frequency.get(word) ?? 0) <= ceiling)
          .map(([word, weight]) => [word, weight * idf(word)] as const),
      ),
  );
  const parent = leftovers.map((_, index) => index);
  const find = (index: number): number => {
    while (parent[index] !== index) {
      parent[index] = parent[parent[index] as number] as number;
      index = parent[index] as number;
    }
    return index;
  };
  const norms = rare.map((words) => Math.sqrt([...words.values()].reduce((total, value) => total + value ** 2, 0)));
  // Each word's earlier incidents and their weights for it. An incident's dot product with every
  // earlier one is summed word by word in its own word order (the order a pairwise loop over its
  // words would take), touching only the incidents that share a word: the same sums, without a
  // pass over every word of every candidate pair (a common word makes nearly every pair one).
  const postings = new Map<string, { incidents: number[]; values: number[] }>();
  const dots = new Float64Array(leftovers.length);
  const shared = new Uint32Array(leftovers.length);
  const touched: number[] = [];
  for (const [index, words] of rare.entries()) {
    for (const [word, value] of words) {
      const posting = postings.get(word);
      if (posting === undefined) continue;
      for (const [position, other] of posting.incidents.entries()) {
        if (shared[other] === 0) touched.push(other);
        shared[other] = (shared[other] ?? 0) + 1;
        dots[other] = (dots[other] ?? 0) + value * (posting.values[position] ?? 0);
      }
    }
    for (const other of touched) {
      const cosine = (dots[other] ?? 0) / ((norms[index] ?? 1) * (norms[other] ?? 1) || 1);
      if (
        (shared[other] ?? 0) >= MIN_SHARED_WORDS &&
        cosine >= threshold &&
        sameKindOfFault(leftovers[index]?.incident, leftovers[other]?.incident)
      )
        parent[find(index)] = find(other);
      shared[other] = 0;
      dots[other] = 0;
    }
    touched.length = 0;
    for (const [word, value] of words) {
      const posting = postings.get(word) ?? postings.set(word, { incidents: [], values: [] }).get(word);
      posting?.incidents.push(index);
      posting?.values.push(value);
    }
  }
  const groups = new Map<number, Leftover[]>();
  for (const [index, leftover] of leftovers.entries())
    (groups.get(find(index)) ?? groups.set(find(index), []).get(find(index)))?.push(leftover);
  return [...groups.values()];
}

function mostCommon<T>(values: readonly T[], fallback: T): T {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best = fallback;
  let bestCount = 0;
  for (const [value, count] of counts)
    if (count > bestCount) {
      best = value;
      bestCount = count;
    }
  return best;
}

function recurringFactors(incidents: readonly FoldIncident[]): string[] {
  const counts = new Map<string, number>();
  for (const incident of incidents)
    for (const factor of new Set(incident.contributingFactors)) counts.set(factor, (counts.get(factor) ?? 0) + 1);
  return [...counts.entries()]
    .filter(([, count]) => count >= 2 || incidents.length === 1)
    .sort((left, right) => right[1] - left[1] || left[0].localeCompare(right[0]))
    .map(([factor]) => factor);
}

/** A member of a named mechanism's theme: the incident and the reading that named the mechanism. */
interface MechanismMember {
  incident: FoldIncident;
  reading: MechanismReading;
}

/**
 * A named theme's draft: a mechanism's, or a family's (MechanismFamily). Each member's evidence is
 * the sentence of its reading that speaks the theme's words (evidenceOf).
 */
function draftOfMechanism(mechanism: Mechanism | MechanismFamily, members: readonly MechanismMember[]): ThemeDraft {
  return {
    theme: mechanism.theme,
    description: mechanism.description,
    faultCategory: mostCommon(
      members.map((member) => member.incident.faultCategory),
      mechanism.category,
    ),
    contributingFactors: recurringFactors(members.map((member) => member.incident)),
    incidentIds: members.map((member) => member.incident.docId),
    evidence: members.map((member) => ({
      incidentId: member.incident.docId,
      quote: evidenceOf(member.reading, mechanism),
    })),
  };
}

/** A theme named from the words its members share (no mechanism of the list fits them). */
function draftOfGroup(group: readonly Leftover[]): ThemeDraft {
  // The words most members share name the group; among those, the weightiest (words of the
  // mechanism, in the causes) first.
  const shared = new Map<string, { count: number; weight: number }>();
  for (const member of group)
    for (const [word, weight] of member.words) {
      const entry = shared.get(word) ?? { count: 0, weight: 0 };
      shared.set(word, { count: entry.count + 1, weight: entry.weight + weight });
    }
  const category = mostCommon(
    group.map((member) => member.incident.faultCategory),
    'unknown' as FaultCategory,
  );
  // The category's own words ("scaling" of "Capacity / scaling") would only repeat the label.
  const labelWords = contentWordsOf(FAULT_CATEGORY_LABELS[category]);
  const commonStems = [...shared.entries()]
    .filter(([word, { count }]) => count >= Math.min(2, group.length) && !labelWords.has(word))
    .sort(
      (left, right) =>
        right[1].count - left[1].count || right[1].weight - left[1].weight || left[0].localeCompare(right[0]),
    )
    .slice(0, 4)
    .map(([word]) => word);
  const common = spellingsOf(
    commonStems,
    group.flatMap((member) => member.incident.sentences),
  );
  const label = FAULT_CATEGORY_LABELS[category].toLowerCase();
  const first = group[0]?.incident.sentences[0] ?? label;
  const theme = group.length === 1 ? first : `${FAULT_CATEGORY_LABELS[category]}: ${common.join(', ')}`;
  return {
    theme: theme.length > 120 ? `${theme.slice(0, 117)}...` : theme,
    description:
      group.length === 1
        ? `One incident: ${label}.`
        : `${group.length} incidents whose causes share the words ${common.join(', ')} (${label}).`,
    faultCategory: category,
    contributingFactors: recurringFactors(group.map((member) => member.incident)),
    incidentIds: group.map((member) => member.incident.docId),
    evidence: group.flatMap((member) => {
      if (group.length === 1)
        return member.incident.sentences.slice(0, 1).map((quote) => ({ incidentId: member.incident.docId, quote }));
      // The member's sentence with the most of the shared words is its evidence.
      const best = [...member.incident.sentences].sort(
        (left, right) => sharedCount(right, common) - sharedCount(left, common),
      )[0];
      return best === undefined ? [] : [{ incidentId: member.incident.docId, quote: best }];
    }),
  };
}

function sharedCount(sentence: string, words: readonly string[]): number {
  const own = contentWordsOf(sentence);
  return words.filter((word) => own.has(word)).length;
}

/**
 * A member's evidence: the heaviest sentence behind its mechanism that also speaks the theme's
 * words (the stage drops a member whose quote shares none), else the heaviest sentence.
 */
function evidenceOf(
  reading: MechanismReading,
  named: { theme: string; description: string } = reading.mechanism,
): string {
  const themeWords = contentWordsOf(`${named.theme} ${named.description}`);
  const speaks = (sentence: string) => [...contentWordsOf(sentence)].some((word) => themeWords.has(word));
  return reading.supporting.find(speaks) ?? reading.sentence;
}

/** How the fold groups the incidents no named mechanism takes (the bench compares them). */
export interface FoldOptions {
  /** Read named mechanisms first (default true); off, every incident is grouped by the fallback. */
  mechanisms?: boolean;
  /** The fallback grouping of the leftovers; default the similarity grouping at SIMILARITY_THRESHOLD. */
  group?: (leftovers: readonly Leftover[]) => Leftover[][];
}

/** The technology names and one-word aliases as the stems the fold's words are compared as. */
export function excludedWordsOf(technologyNames: readonly string[]): Set<string> {
  return new Set(
    technologyNames.filter((name) => !/\s/.test(name.trim())).flatMap((name) => [...contentWordsOf(name)]),
  );
}

/** The similarity fallback at another threshold (the bench's per-fold choice). */
export function similarityGrouping(threshold: number): (leftovers: readonly Leftover[]) => Leftover[][] {
  return (leftovers) => groupBySimilarity(leftovers, threshold);
}

/**
 * The deterministic fold: each incident's mechanism is read from its cause sentences; incidents
 * with the same mechanism form one theme, whatever their technologies; the rest, and an incident
 * whose mechanism no other incident shares, are grouped by the words of their outputs (see
 * wordsOf). `technologyNames` (names and aliases) are left out of those words. Groups of one are
 * returned too (the stage lists them as not recurring). Every incident is in exactly one draft.
 */
export function foldThemesOffline(
  incidents: readonly FoldIncident[],
  technologyNames: readonly string[] = [],
  options: FoldOptions = {},
): ThemeDraft[] {
  const byMechanism = new Map<string, MechanismMember[]>();
  const leftovers: Leftover[] = [];
  // Technology names (and one-word aliases) as the stems the words are compared as.
  const excluded = excludedWordsOf(technologyNames);
  for (const incident of incidents) {
    const reading =
      options.mechanisms === false ? undefined : readMechanism(incident.sentences, weightsOf(incident), incident);
    if (reading) {
      const members = byMechanism.get(reading.mechanism.id) ?? [];
      members.push({ incident, reading });
      byMechanism.set(reading.mechanism.id, members);
    } else leftovers.push({ incident, words: wordsOf(incident, excluded) });
  }
  // A mechanism read in one incident only does not recur here: that incident may still share an
  // unnamed mechanism with others, so it joins the similarity grouping, and keeps its mechanism's
  // name if it stays alone there, unless another incident alone with its own mechanism is of the
  // same family (MechanismFamily).
  const alone = new Map<string, { mechanism: Mechanism; member: MechanismMember }>();
  for (const [id, members] of byMechanism) {
    const mechanism = MECHANISM_BY_ID.get(id);
    if (members.length >= 2 || !mechanism) continue;
    byMechanism.delete(id);
    const [member] = members;
    if (member) alone.set(member.incident.docId, { mechanism, member });
  }
  // Incidents alone with their mechanism, whose mechanisms are one family, are that family's theme.
  const byFamily = new Map<string, MechanismMember[]>();
  for (const { mechanism, member } of alone.values()) {
    const family = FAMILY_OF.get(mechanism.id);
    if (family) (byFamily.get(family.id) ?? byFamily.set(family.id, []).get(family.id))?.push(member);
  }
  const drafts: ThemeDraft[] = [];
  for (const family of MECHANISM_FAMILIES) {
    const members = byFamily.get(family.id) ?? [];
    if (members.length < 2) continue;
    drafts.push(draftOfMechanism(family, members));
    for (const member of members) alone.delete(member.incident.docId);
  }
  for (const { member } of alone.values())
    leftovers.push({ incident: member.incident, words: wordsOf(member.incident, excluded) });
  for (const [id, members] of byMechanism) {
    const mechanism = MECHANISM_BY_ID.get(id);
    if (mechanism) drafts.push(draftOfMechanism(mechanism, members));
  }
  for (const group of (options.group ?? groupBySimilarity)(leftovers)) {
    const single = group.length === 1 ? alone.get(group[0]?.incident.docId ?? '') : undefined;
    drafts.push(single ? draftOfMechanism(single.mechanism, [single.member]) : draftOfGroup(group));
  }
  return drafts;
}

const INVESTMENTS: Record<FaultCategory, string> = {
  'configuration-change': 'Validated, staged configuration changes',
  deployment: 'Progressive delivery with automatic rollback',
  capacity: 'Capacity planning, load testing and autoscaling',
  'resource-exhaustion': 'Saturation alerting and resource headroom',
  'failover-replication': 'Failover drills and replication monitoring',
  'software-bug': 'Upgrade and regression testing',
  'data-loss-corruption': 'Deletion safeguards, backups and restore drills',
  dependency: 'Graceful degradation when a dependency fails',
  'operational-error': 'Guardrails and runbooks for risky operations',
  network: 'Network change safety and connectivity monitoring',
  unknown: 'Deeper investigation and observability',
};

const INVESTMENT_BY_THEME = new Map(
  [...MECHANISM_BY_ID.values(), ...MECHANISM_FAMILIES].map((named) => [named.theme, named.investment]),
);

function scopeOf(technologies: readonly string[]): string {
  if (technologies.length === 0) return 'across services';
  if (technologies.length === 1) return `for ${technologies[0]}`;
  return `across ${technologies.slice(0, 3).join(', ')}${technologies.length > 3 ? ' and more' : ''}`;
}

/** Opportunity wording from the fixed investment catalogue; the stage adds the measured numbers. */
export function describeOpportunitiesOffline(subjects: readonly OpportunitySubject[]): OpportunityText[] {
  return subjects.map((subject) => ({
    patternId: subject.id,
    title: `${INVESTMENT_BY_THEME.get(subject.theme) ?? INVESTMENTS[subject.faultCategory]} ${scopeOf(subject.technologies)}`,
    rationale: `${subject.count === 1 ? 'One severe incident follows' : `${subject.count} incidents follow`} the theme "${subject.theme}"${subject.contributingFactors.length > 0 ? ` with recurring factors ${subject.contributingFactors.slice(0, 3).join(', ')}` : ''}.`,
  }));
}
