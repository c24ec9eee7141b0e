import type { TechnologyMatcher } from '../../catalog/index.ts';
import type { MentionContext, Postmortem, SectionRole } from '../../schemas/index.ts';
import { sentencesOf, type SourceSentence } from '../../text/sentences.ts';
import { CAUSAL_CUE, FAILURE_STATE, NEGATION, PROPOSAL, UPSTREAM, URL_PATTERN, VICTIM } from './cues.ts';

/** How much a mention in a section of each role says about a cause. */
const ROLE_WEIGHT: Record<SectionRole, number> = {
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

/** One mention of a technology in a sentence, with what its context says. */
export interface MentionAssessment {
  technology: string;
  sentence: SourceSentence;
  /** null when the mention is a candidate cause; otherwise why it is not one. */
  context: MentionContext | null;
  weight: number;
}

export interface TechnologyAssessment {
  technology: string;
  score: number;
  candidates: MentionAssessment[];
  nonCausal: MentionAssessment[];
  inTitle: boolean;
}

const CLAUSE_BREAK = /\s*(?:[;:]|,\s*(?:but|while|whereas|and|so|which|although|though)\b|\b(?:but|however|whereas|while|although|though|except)\b|\u2014|\s-\s)\s*/i;

/** The clause of a sentence that holds the character at `position`. */
export function clauseAt(text: string, position: number): string {
  let start = 0;
  const breaker = new RegExp(CLAUSE_BREAK.source, 'gi');
  let match: RegExpExecArray | null;
  while ((match = breaker.exec(text)) !== null) {
    if (match.index >= position) return text.slice(start, match.index);
    start = match.index + match[0].length;
    if (match[0].length === 0) breaker.lastIndex += 1;
  }
  return text.slice(start);
}

function insideUrl(text: string, start: number): boolean {
  for (const match of text.matchAll(URL_PATTERN)) {
    if (start >= match.index && start < match.index + match[0].length) return true;
  }
  return false;
}

/** A name inside a channel, handle or path ("#inc-checkout-postgres", "@redis-team", "ops/kafka-runbook"). */
function tokenAt(text: string, start: number): string {
  const tokenStart = text.lastIndexOf(' ', start) + 1;
  const tokenEnd = text.indexOf(' ', start);
  return text.slice(tokenStart, tokenEnd === -1 ? undefined : tokenEnd).replace(/[.,;:)\]"']+$/, '');
}

function insideIdentifier(text: string, start: number): boolean {
  const token = tokenAt(text, start);
  return /^[#@]/.test(token) || /[\w-]\/[\w-]/.test(token);
}

/**
 * A lower-case slug or host name built on the name ("kafka-rest", "redis-cache.svc.local") names
 * a service, not the technology: not enough for the guard to call the technology a cause.
 */
function insideSlug(text: string, start: number): boolean {
  const token = tokenAt(text, start);
  // A numbered node ("mongo-3", "redis-01") is an instance of the technology itself.
  if (/^[a-z]+[-.]?\d+$/.test(token)) return false;
  return token === token.toLowerCase() && /[a-z0-9][-.][a-z0-9]/.test(token);
}

/** "RDS PostgreSQL primary: CPU 21%, no replication lag": a health line about the name after a colon. */
function labelledStatus(text: string, end: number): string {
  const match = /^[^:.;]{0,30}:\s*(.*)$/.exec(text.slice(end));
  return match?.[1] ?? '';
}

/** The relative clause right after the name's clause: "Redis, which stayed healthy". */
function relativeClauseAfter(text: string, start: number): string {
  const rest = text.slice(start);
  const match = /^[^,;]*,\s*(which|that|and it)\b([^,;.]*)/i.exec(rest);
  return match ? `${match[1]}${match[2]}` : '';
}

/** "no ZooKeeper", "without Redis": the name itself is denied. */
const NEGATED_NAME = /\b(no|without|not|non|never)[\s-]+(\w+\s+)?$/i;
/** A suspicion is not a finding unless the document confirms it. */
const SUSPICION = /\b(suspect(ed|ing|s)?|suspicion|blamed|assumed|our guess|guessed|asked (if|whether))\b/i;
const CONFIRMATION = /\b(confirm(ed|s)?|turned out to be|indeed|proved|verified)\b/i;

/** Generic names for each catalog kind, for sentences that describe the failure without naming the product. */
const GENERIC_NOUNS: Record<string, RegExp> = {
  database: /\b(the|our|its|that|this) (database|db|primary|replica|writer|reader|cluster|table)s?\b/i,
  cache: /\b(the|our|its|that|this) (cache|cache cluster|cache nodes?|cache layer)\b/i,
  queue: /\b(the|our|its|that|this) (queue|broker|brokers|topic|consumers?|consumer group)\b/i,
  'object-store': /\b(the|our|its|that|this) (bucket|buckets|object store)\b/i,
  search: /\b(the|our|its|that|this) (search cluster|cluster|index|indices|shards?|nodes)\b/i,
  coordination: /\b(the|our|its|that|this) (quorum|ensemble|control plane)\b/i,
};

/** How much an unnamed sentence counts toward a technology, relative to a named one. */
const SIGNAL_FACTOR = 0.6;
const GENERIC_FACTOR = 0.4;
const INDIRECT_ROLES = new Set<SectionRole>(['root-cause', 'contributing-factors', 'summary', 'other', 'timeline', 'detection']);

/**
 * A sentence that names no catalog technology can still describe one failing: by its own
 * vocabulary ("autovacuum", "consumer group") or by a generic noun ("the database") when only one
 * technology of that kind is named in the document.
 */
function indirectCandidates(sentence: SourceSentence, matcher: TechnologyMatcher, named: ReadonlyMap<string, TechnologyAssessment>): MentionAssessment[] {
  if (!INDIRECT_ROLES.has(sentence.role) || sentence.isHeading) return [];
  const text = sentence.text;
  if (!FAILURE_STATE.test(text) || NEGATION.test(text) || UPSTREAM.test(text) || VICTIM.test(text) || SUSPICION.test(text) || PROPOSAL.test(text)) return [];
  const causalFactor = CAUSAL_CUE.test(text) ? 1.5 : 1;
  const base = ROLE_WEIGHT[sentence.role] * 2 * causalFactor;
  const results: MentionAssessment[] = [];
  const signalled = matcher.signalledIn(text);
  for (const technology of signalled) {
    if ((named.get(technology)?.candidates.length ?? 0) > 0) results.push({ technology, sentence, context: null, weight: base * SIGNAL_FACTOR });
  }
  const byKind = new Map<string, string[]>();
  for (const assessment of named.values()) {
    if (assessment.candidates.length === 0) continue;
    const kind = matcher.kindOf(assessment.technology);
    if (kind) byKind.set(kind, [...(byKind.get(kind) ?? []), assessment.technology]);
  }
  for (const [kind, technologies] of byKind) {
    const only = technologies.length === 1 ? technologies[0] : undefined;
    if (only && !signalled.has(only) && GENERIC_NOUNS[kind]?.test(text)) results.push({ technology: only, sentence, context: null, weight: base * GENERIC_FACTOR });
  }
  return results;
}

/** Decide what one mention's context says: a non-causal context, or a weighted candidate. */
export function assess(sentence: SourceSentence, technology: string, start: number, end: number): MentionAssessment {
  const base = { technology, sentence };
  const text = sentence.text;
  if (insideUrl(text, start) || insideIdentifier(text, start)) return { ...base, context: 'link', weight: 0 };
  if (sentence.role === 'references') return { ...base, context: 'link', weight: 0 };
  if (sentence.role === 'action-items') return { ...base, context: 'action-item', weight: 0 };
  const clause = clauseAt(text, start);
  const near = text.slice(Math.max(0, start - 80), Math.min(text.length, end + 80));
  if (NEGATION.test(clause) || NEGATION.test(relativeClauseAfter(text, start)) || NEGATION.test(labelledStatus(text, end)) || NEGATED_NAME.test(text.slice(Math.max(0, start - 20), start))) {
    return { ...base, context: 'negated', weight: 0 };
  }
  if (SUSPICION.test(clause) && !CONFIRMATION.test(text)) return { ...base, context: 'negated', weight: 0 };
  if (UPSTREAM.test(clause)) return { ...base, context: 'upstream-provider', weight: 0 };
  if (VICTIM.test(clause) && !CAUSAL_CUE.test(text.slice(0, start))) return { ...base, context: 'victim', weight: 0 };
  if (sentence.role === 'lessons' && PROPOSAL.test(text)) return { ...base, context: 'action-item', weight: 0 };
  if (sentence.isListItem && PROPOSAL.test(text) && !FAILURE_STATE.test(clause)) return { ...base, context: 'action-item', weight: 0 };
  let weight = ROLE_WEIGHT[sentence.role];
  const failing = FAILURE_STATE.test(clause) || FAILURE_STATE.test(near);
  const causal = CAUSAL_CUE.test(text);
  weight *= failing ? 2 : 0.5;
  if (causal) weight *= 1.5;
  if (PROPOSAL.test(clause) && !failing) weight *= 0.3;
  if (/\?\s*$/.test(clause) || /\?\s*$/.test(text)) weight *= 0.3;
  const context: MentionContext | null = weight > 0 ? null : sentence.role === 'background' ? 'background' : 'other';
  return { ...base, context, weight };
}

/**
 * What the guard accepts as talk of the failure around a cited name: the failure states the
 * classifier scores, plus plain words of breakage and effect (failed, errors, blocked, denied...).
 */
const FAILURE_LANGUAGE = /\b(fail\w*|error\w*|outage|down\b|broke\w*|refus\w*|dropp\w*|lost|stuck|wait\w*|queu\w*|block\w*|holds?\b|held|den(y|ied|ies)|forbidden|403|unavailable|slow\w*|latency|forced|caus\w*|stopp\w*|halt\w*|missing)\b/i;

function talksOfFailure(text: string): boolean {
  return FAILURE_STATE.test(text) || FAILURE_LANGUAGE.test(text) || CAUSAL_CUE.test(text);
}

const QUESTION_END = /\?["'\u201D\u2019)\]]*\s*$/;

const REFERS_BACK = /^(it|its|this|that|these|those|the (cluster|primary|replica|database|db|cache|queue|broker|brokers|bucket|table|index|node|nodes|script|engine|server|instance|topic|consumers?))\b/i;

/** Sections where a statement of a cause can stand; impact, resolution, background and lessons are not among them. */
const CAUSE_BEARING_ROLES = new Set<SectionRole>(['root-cause', 'contributing-factors', 'summary', 'timeline', 'detection', 'other']);

/**
 * Whether a mention of a technology sits in a causal context: no non-causal context (link,
 * action item, negation, victim, third party), a cause-bearing section, and failure or causal
 * language around the name. Used by the attribution guard on the quotes an engine cites.
 */
export function isCausalContext(
  sentence: SourceSentence,
  technology: string,
  start: number,
  end: number,
  neighbours: readonly SourceSentence[] = [],
): { causal: boolean; context: MentionContext | 'no-failure-language' | 'section' | null } {
  const assessed = assess(sentence, technology, start, end);
  if (assessed.context !== null) return { causal: false, context: assessed.context };
  if (!CAUSE_BEARING_ROLES.has(sentence.role)) return { causal: false, context: 'section' };
  if (insideSlug(sentence.text, start)) return { causal: false, context: 'link' };
  if (QUESTION_END.test(clauseAt(sentence.text, start)) || QUESTION_END.test(sentence.text)) return { causal: false, context: 'other' };
  // Reported speech ("The disruption was caused by ...", quoted from a vendor) is not our finding.
  if (/^["\u201C]/.test(sentence.text.trim())) return { causal: false, context: 'other' };
  const text = sentence.text;
  const near = text.slice(Math.max(0, start - 80), Math.min(text.length, end + 80));
  if (talksOfFailure(clauseAt(text, start)) || talksOfFailure(near) || CAUSAL_CUE.test(text)) return { causal: true, context: null };
  // "The counters live in Redis. A Lua script held it for 40 seconds.": the failure is told next to the name.
  // Only a next sentence that refers back to it ("It ...", "The cluster ...") carries the failure over.
  const told = neighbours.some(
    (neighbour) =>
      neighbour.index === sentence.index + 1 &&
      neighbour.sectionIndex === sentence.sectionIndex &&
      REFERS_BACK.test(neighbour.text) &&
      !NEGATION.test(neighbour.text) &&
      talksOfFailure(neighbour.text),
  );
  return told ? { causal: true, context: null } : { causal: false, context: 'no-failure-language' };
}

/** Every catalog technology named in a postmortem, with the evidence for and against it causing the incident. */
export function assessTechnologies(postmortem: Postmortem, matcher: TechnologyMatcher): TechnologyAssessment[] {
  const byTechnology = new Map<string, TechnologyAssessment>();
  const entry = (technology: string): TechnologyAssessment => {
    let found = byTechnology.get(technology);
    if (!found) {
      found = { technology, score: 0, candidates: [], nonCausal: [], inTitle: false };
      byTechnology.set(technology, found);
    }
    return found;
  };
  for (const technology of matcher.namedIn(postmortem.title)) entry(technology).inTitle = true;
  const sentences = sentencesOf(postmortem, { headings: true });
  const unnamed: SourceSentence[] = [];
  for (const sentence of sentences) {
    const seen = new Set<string>();
    const mentions = matcher.find(sentence.text);
    if (mentions.length === 0) unnamed.push(sentence);
    for (const mention of mentions) {
      const assessment = assess(sentence, mention.technology, mention.start, mention.end);
      const target = entry(mention.technology);
      if (assessment.context === null) {
        if (seen.has(mention.technology)) continue;
        seen.add(mention.technology);
        target.candidates.push(assessment);
        target.score += assessment.weight;
      } else {
        target.nonCausal.push(assessment);
        if (assessment.context === 'negated') target.score -= 2;
      }
    }
  }
  for (const sentence of unnamed) {
    for (const assessment of indirectCandidates(sentence, matcher, byTechnology)) {
      const target = entry(assessment.technology);
      target.candidates.push(assessment);
      target.score += assessment.weight;
    }
  }
  return [...byTechnology.values()].sort((left, right) => right.score - left.score);
}
