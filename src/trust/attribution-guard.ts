import type { TechnologyMatcher } from '../catalog/index.ts';
import {
  assess,
  clearsOutright,
  EXONERATION,
  inQuestion,
  isCausalContext,
  LINE_STAMP,
  quotationLeadIn,
  terseClauseAt,
  thirdPartyLeadIn,
} from '../attribution/index.ts';
import { sequence } from '../attribution/pattern.ts';
import type {
  CausalTechnology,
  Classification,
  MentionedTechnology,
  Postmortem,
  ReviewFlag,
} from '../schemas/index.ts';
import { sentencesOf, type SourceSentence } from '../text/sentences.ts';
import { deniesCause, insubstantial, modalityOf, unsupported } from './claims.ts';
import { normalizedTextOf, normalizeForMatch, quoteOccursIn } from './quotes.ts';
import { DIRECTIVE_REASON, overlapsDirective, sentencesHolding } from './spans.ts';

/**
 * The version of the trust layer's judgement (this guard and the claim verification of
 * src/trust/verify.ts): it enters the run fingerprint, so analysed documents are judged again
 * when it changes. Bump it when either decides differently. 2: substantive quotes, claim support,
 * held causes, directives. 3: a name heading its own flag or admin command, in a sentence telling the failure.
 * 4: an alert's line ("TRIGGERED mysql-r1 replication lag") is no finding. 5: a cause the document itself
 * clears outright ("Nothing had been wrong with X at all") is demoted, whatever its quotes; a finding followed by
 * a question about something else ("that's X throttling. did capacity change?") is a finding. 6: a quote telling the
 * technology by its own vocabulary, in a document that names it, keeps the cause for review.
 */
export const GUARD_VERSION = '6';

/** A cause with a confidence below this is held for review, not shown as a fact. */
export const REVIEW_CONFIDENCE = 0.5;

/** The technology name review flags about an unnamed cause carry. */
export const UNNAMED_CAUSE = 'unnamed cause';

export interface GuardOutcome {
  classification: Classification;
  demoted: ReviewFlag[];
}

type Verdict = { kind: 'ok' } | { kind: 'soft' | 'hard'; reason: string };

/**
 * A monitoring alert's line ("10:02 TRIGGERED mysql-r1 replication lag > 300 s", "[02:14] pagerbot: CRITICAL
 * kafka-b04 disk 97%"): after a time stamp and a sender at most, an alert state in capitals. It reports a symptom
 * where it was measured; it finds no cause.
 */
const ALERT_LINE = sequence(LINE_STAMP, /(?:TRIGGERED|FIRING|ALERT(?:ING)?|CRITICAL|CRIT|WARN(?:ING)?|PAGE[DS]?)\b/);

/**
 * Whether a text asks about the name that ends at `end`: the name's own sentence closes on a question
 * mark (inQuestion, the engine's reading), or the text is a question (modalityOf: a last question that
 * points back, "we checked X throttling. was it the cause?"). A question about something else after a
 * finding ("that's X throttling. did capacity change?") leaves the finding standing.
 */
function asksAbout(text: string, end: number): boolean {
  return inQuestion(text, end) || modalityOf(text) === 'question';
}

/**
 * Whether a sentence only asks or supposes in the clause of a mention: a question about the name (not one about
 * something else after a finding on it, see asksAbout), or a hypothesis (a theory, a suspicion, a might). Its
 * words then neither support a cause nor clear one.
 */
function askedOrSupposed(sentence: SourceSentence, position: number): string | null {
  // The clause inside its terse sentence: "web tier ok, queue drained. X disk at 97%" denies only the web tier.
  const clause = terseClauseAt(sentence.text, position);
  if (asksAbout(sentence.text, position) || modalityOf(clause) === 'question') return 'a question, not a finding';
  // A label ("Theory:", "17:46 | Suspicion:") covers the whole sentence; a hedge only its clause.
  if (
    modalityOf(clause) === 'hypothesis' ||
    (modalityOf(sentence.text) === 'hypothesis' && /^[^,;]*:/.test(sentence.text))
  )
    return 'a hypothesis (a theory, suspicion or might), not a finding';
  return null;
}

/**
 * What a sentence holding a quote says in the clause of a mention: a question, a hypothesis (a
 * theory, a suspicion, a might), a denial ("ruled out", "was not the cause"), or null for a finding.
 */
function notAFinding(sentence: SourceSentence, position: number): string | null {
  if (ALERT_LINE.test(sentence.text)) return 'a monitoring alert, not a finding';
  const asked = askedOrSupposed(sentence, position);
  if (asked !== null) return asked;
  if (deniesCause(terseClauseAt(sentence.text, position))) return 'a denial (ruled out, not the cause)';
  return null;
}

/** How many sentences back a quotation's opening mark is looked for. */
const QUOTATION_REACH = 8;

/**
 * A sentence inside a quotation a sentence before it opened, in the same section, whose lead-in gives the words
 * to someone else's system ("The provider's status history reads: "Instances in the zone are impaired. X
 * instances will fail over. ...""): their account, not our finding. The quotation must close (in the
 * sentence or after it) for a stray mark not to swallow the rest of the section.
 */
function quotedFromThirdParty(sentence: SourceSentence, all: readonly SourceSentence[]): boolean {
  const sameSection = (other: SourceSentence | undefined): other is SourceSentence =>
    other !== undefined && other.sectionIndex === sentence.sectionIndex && !other.isHeading;
  const before = all.slice(Math.max(0, sentence.index - QUOTATION_REACH), sentence.index).filter(sameSection);
  const lead = quotationLeadIn(before.map((other) => other.text));
  if (lead === null || !thirdPartyLeadIn(lead)) return false;
  const rest = [sentence, ...all.slice(sentence.index + 1, sentence.index + QUOTATION_REACH).filter(sameSection)];
  return rest.some((other) => /["\u201D]/.test(other.text));
}

/**
 * What a cited quote is worth as evidence that `technology` caused the incident. ok: it occurs in
 * the document, is a substantive span (a clause, not a name), names the technology (or an alias),
 * and a sentence holding it states a finding in a causal context. hard: it is not in the document,
 * overlaps an instruction addressed to a model, is a fragment, does not name the technology, is a
 * theory, suspicion, question or denial, or names it only in a link, an action item, a negation, a
 * victim list or a third party's system. soft: it names the technology in a neutral place (a
 * section that states no causes, no failure language around the name), or it tells the technology
 * only by its own vocabulary (ownVocabulary) in what would otherwise be ok: a reader checks that.
 */
function judgeQuote(
  quote: string,
  technology: string,
  postmortem: Postmortem,
  source: string,
  matcher: TechnologyMatcher,
): Verdict {
  if (!quoteOccursIn(quote, source)) return { kind: 'hard', reason: 'the quote is not in the document' };
  if (overlapsDirective(quote, postmortem)) return { kind: 'hard', reason: DIRECTIVE_REASON };
  // A quote that does not name the technology may tell it by its own vocabulary, in a document that names it.
  const byName = matcher.namedIn(quote).has(technology);
  const vocabulary = byName ? [] : ownVocabulary(quote, technology, source, matcher);
  if (!byName && vocabulary.length === 0) return { kind: 'hard', reason: `the quote does not name ${technology}` };
  const spansIn = (text: string) =>
    byName
      ? matcher.find(text).filter((found) => found.technology === technology)
      : matcher.ownVocabularyIn(text, technology);
  const fragment = insubstantial(quote);
  if (fragment !== null) return { kind: 'hard', reason: fragment };
  const named = (byName ? spansIn(quote) : vocabulary)[0];
  if (named && asksAbout(quote, named.end)) return { kind: 'hard', reason: 'the quote is a question, not a finding' };
  if (modalityOf(quote) === 'hypothesis') return { kind: 'hard', reason: 'the quote is a hypothesis, not a finding' };
  const wanted =
    normalizeForMatch(quote)
      .split(/\s*(?:\.\.\.|\u2026)\s*/)
      .find((segment) => spansIn(segment).length > 0) ?? normalizeForMatch(quote);
  const all = sentencesOf(postmortem, { headings: true });
  // Only the sentences that hold the quoted span carry its judgement, not every sentence sharing a word.
  const sentences = sentencesHolding(postmortem, wanted);
  let verdict: Verdict = { kind: 'hard', reason: `the quote names ${technology} in no sentence of the document` };
  for (const sentence of sentences) {
    for (const mention of spansIn(sentence.text)) {
      const notFinding = notAFinding(sentence, mention.start);
      if (notFinding !== null) {
        if (verdict.kind === 'hard')
          verdict = { kind: 'hard', reason: `the quote names ${technology} in ${notFinding}` };
        continue;
      }
      if (quotedFromThirdParty(sentence, all)) {
        verdict = {
          kind: 'hard',
          reason: `the quote names ${technology} only in a third party's words (upstream-provider)`,
        };
        continue;
      }
      const neighbours = [all[sentence.index - 1], all[sentence.index + 1]].filter(
        (neighbour) => neighbour !== undefined,
      );
      const context = isCausalContext(sentence, technology, mention.start, mention.end, neighbours);
      // Told by its vocabulary alone, a cause stands at most for review: the reader checks the term is the product's.
      if (context.causal)
        return byName
          ? { kind: 'ok' }
          : {
              kind: 'soft',
              reason: `the quote tells ${technology} by its own vocabulary ("${vocabulary[0]?.term ?? ''}"), not by name`,
            };
      const soft =
        byName &&
        (context.context === 'section' || context.context === 'no-failure-language' || context.context === 'other');
      if (soft || verdict.kind === 'hard')
        verdict = {
          kind: soft ? 'soft' : 'hard',
          reason: `the quote names ${technology} only in a ${soft ? 'neutral' : 'non-causal'} context (${context.context ?? 'unknown'})`,
        };
    }
  }
  return verdict;
}

/**
 * A technology's own vocabulary in a quote (catalog signals no other technology lists), when the
 * document names the technology itself: a signal counts only where its product is in the story.
 */
function ownVocabulary(
  quote: string,
  technology: string,
  source: string,
  matcher: TechnologyMatcher,
): Array<{ start: number; end: number; term: string }> {
  const spans = matcher.ownVocabularyIn(quote, technology);
  return spans.length > 0 && matcher.namedIn(source).has(technology) ? spans : [];
}

/**
 * The sentences in which the document itself declares a technology of `wanted` innocent outright
 * ("Nothing had been wrong with X at all", "X was a red herring"; see clearsOutright), the first for
 * each. The document's own word outweighs any quote an engine cites for the technology: the offline
 * engine vetoes it the same way. Not counted: a sentence overlapping an instruction addressed to a
 * model (its words are not the document's finding), a question or hypothesis, and a third party's
 * quoted words.
 */
function clearingSentences(
  wanted: ReadonlySet<string>,
  postmortem: Postmortem,
  matcher: TechnologyMatcher,
): Map<string, string> {
  const cleared = new Map<string, string>();
  if (wanted.size === 0) return cleared;
  const all = sentencesOf(postmortem, { headings: true });
  for (const sentence of all) {
    const mentions = matcher.find(sentence.text);
    // clearsOutright needs an exoneration in the mention's clause, so in the sentence: most sentences stop here.
    if (!mentions.some((mention) => wanted.has(mention.technology)) || !EXONERATION.test(sentence.text)) continue;
    for (const technology of new Set(mentions.map((mention) => mention.technology))) {
      if (!wanted.has(technology) || cleared.has(technology)) continue;
      const own = mentions.filter((mention) => mention.technology === technology);
      const alone = own.length === mentions.length;
      const clears = own.some((mention) => {
        if (askedOrSupposed(sentence, mention.start) !== null) return false;
        const reading = assess(sentence, technology, mention.start, mention.end, { spans: mentions });
        return clearsOutright(reading, sentence.text, mention.start, alone);
      });
      if (clears && !overlapsDirective(sentence.text, postmortem) && !quotedFromThirdParty(sentence, all))
        cleared.set(technology, sentence.text);
    }
  }
  return cleared;
}

/** Causes listed twice for one technology become one: the first, with the evidence of both. */
function mergeDuplicates(causes: readonly CausalTechnology[]): CausalTechnology[] {
  const byTechnology = new Map<string, CausalTechnology>();
  for (const cause of causes) {
    const previous = byTechnology.get(cause.technology);
    if (!previous) byTechnology.set(cause.technology, cause);
    else
      byTechnology.set(cause.technology, {
        ...previous,
        evidence: [...new Set([...previous.evidence, ...cause.evidence])],
        confidence: Math.max(previous.confidence, cause.confidence),
      });
  }
  return [...byTechnology.values()];
}

/**
 * Why an unnamed cause (a sentence the engine says describes a datastore cause without naming a
 * product) cannot stand, or null when it can: it must be a substantive finding of the document,
 * held by a sentence that is no question, theory, denial or instruction addressed to a model.
 */
function unnamedCauseProblem(text: string, postmortem: Postmortem, source: string): string | null {
  if (!quoteOccursIn(text, source)) return 'the quote is not in the document';
  if (overlapsDirective(text, postmortem)) return DIRECTIVE_REASON;
  const problem = unsupported(text, [text], { strict: true });
  if (problem !== null) return problem;
  const holding = sentencesHolding(postmortem, text);
  const findings = holding.filter((sentence) => notAFinding(sentence, 0) === null);
  if (holding.length > 0 && findings.length === 0) return 'the sentence holding it is not a finding';
  return null;
}

/**
 * The attribution guard: a cause stands as a fact on a verified quote that is a substantive span,
 * names it in a causal context and states a finding, with a role the quotes support and a
 * confidence of at least REVIEW_CONFIDENCE.
 * - demoted to "mentioned" (flag demoted) when no quote does: unverified, a fragment, not naming
 *   it, a theory, suspicion, question or denial, an instruction addressed to a model, or a
 *   non-causal context; and whatever its quotes, when the document itself clears it outright
 *   (clearingSentences);
 * - held for review (moved to "mentioned", flag needs-review with held: true, so no report fact
 *   counts it) when its confidence is low or its role is not supported by its quotes;
 * - kept, flagged needs-review, when its best quote names it only in a neutral place.
 * An unnamed cause must be a substantive finding of the document, else it is cleared and held the
 * same way. A technology is never both causal and mentioned: causal wins when it stands.
 */
export function guardAttribution(
  classification: Classification,
  postmortem: Postmortem,
  matcher: TechnologyMatcher,
): GuardOutcome {
  const source = normalizedTextOf(postmortem);
  const causal: Classification['causal'] = [];
  const moved: MentionedTechnology[] = [];
  const flagged: ReviewFlag[] = [];
  const causes = mergeDuplicates(classification.causal);
  const clearedBy = clearingSentences(new Set(causes.map((cause) => cause.technology)), postmortem, matcher);
  for (const cause of causes) {
    const verdicts = cause.evidence.map((quote) => judgeQuote(quote, cause.technology, postmortem, source, matcher));
    const reasons =
      [...new Set(verdicts.map((verdict) => (verdict.kind === 'ok' ? '' : verdict.reason)).filter(Boolean))].join(
        '; ',
      ) || 'no evidence cited';
    const quoted = verdicts.some((verdict) => verdict.kind === 'ok');
    const cleared = clearedBy.get(cause.technology) ?? null;
    const standing = cleared === null && quoted;
    if (cleared !== null || (!standing && !verdicts.some((verdict) => verdict.kind === 'soft'))) {
      // Every reason that holds: the quotes' problems, then the document's own word.
      const problems = [
        ...(quoted ? [] : [reasons]),
        ...(cleared === null ? [] : [`the document clears ${cause.technology} ("${cleared.slice(0, 160)}")`]),
      ];
      const reason = `demoted: ${problems.join('; ')}`;
      flagged.push({ technology: cause.technology, kind: 'demoted', reason });
      moved.push({ technology: cause.technology, context: 'other', reason, evidence: cause.evidence });
      continue;
    }
    // The quotes that can carry the role: verbatim and not addressed to a model (a fragment among
    // them carries words, though it cannot stand alone: see unsupported).
    const usable = cause.evidence.filter(
      (quote) => quoteOccursIn(quote, source) && !overlapsDirective(quote, postmortem),
    );
    const roleProblem = unsupported(cause.role, usable, { strict: true, extraWords: [cause.technology] });
    const held =
      cause.confidence < REVIEW_CONFIDENCE
        ? `confidence ${cause.confidence} is below ${REVIEW_CONFIDENCE}`
        : roleProblem !== null
          ? `its role is not supported by its quotes: ${roleProblem}`
          : null;
    if (held !== null) {
      const reason = `held for review: ${held}`;
      flagged.push({ technology: cause.technology, kind: 'needs-review', reason, held: true });
      moved.push({ technology: cause.technology, context: 'other', reason, evidence: cause.evidence });
      continue;
    }
    causal.push(cause);
    if (!standing)
      flagged.push({ technology: cause.technology, kind: 'needs-review', reason: `needs review: ${reasons}` });
  }
  let unnamedCause = classification.unnamedCause;
  if (unnamedCause !== null) {
    const problem = unnamedCauseProblem(unnamedCause, postmortem, source);
    if (problem !== null) {
      flagged.push({
        technology: UNNAMED_CAUSE,
        kind: 'needs-review',
        reason: `held for review: the unnamed cause "${unnamedCause.slice(0, 160)}" is not supported: ${problem}`,
        held: true,
      });
      unnamedCause = null;
    }
  }
  return {
    classification: {
      ...classification,
      causal,
      mentioned: mentionedOnce(causal, classification.mentioned, moved),
      unnamedCause,
      flags: [...classification.flags, ...flagged],
    },
    demoted: flagged.filter((flag) => flag.kind === 'demoted'),
  };
}

/**
 * One "mentioned" entry per technology, none for a standing cause: an engine's own entry for a
 * technology the guard moved is replaced by the guard's (its reason), keeping the evidence of both.
 */
function mentionedOnce(
  causal: readonly CausalTechnology[],
  engine: readonly MentionedTechnology[],
  moved: readonly MentionedTechnology[],
): MentionedTechnology[] {
  const causes = new Set(causal.map((cause) => cause.technology));
  const byTechnology = new Map<string, MentionedTechnology>();
  for (const entry of engine) {
    if (causes.has(entry.technology) || byTechnology.has(entry.technology)) continue;
    byTechnology.set(entry.technology, entry);
  }
  for (const entry of moved) {
    const previous = byTechnology.get(entry.technology);
    byTechnology.set(
      entry.technology,
      previous ? { ...entry, evidence: [...new Set([...entry.evidence, ...previous.evidence])] } : entry,
    );
  }
  return [...byTechnology.values()];
}

/** Where a model engine and the offline engine disagree on the causes: flagged, never decided here. */
export function disagreements(model: Classification, offline: Classification): ReviewFlag[] {
  const modelCauses = new Set(model.causal.map((cause) => cause.technology));
  const offlineCauses = new Set(offline.causal.map((cause) => cause.technology));
  const flags: ReviewFlag[] = [];
  for (const technology of modelCauses)
    if (!offlineCauses.has(technology))
      flags.push({ technology, kind: 'disagreement', reason: 'causal for the model, not for the offline engine' });
  for (const technology of offlineCauses)
    if (!modelCauses.has(technology))
      flags.push({ technology, kind: 'disagreement', reason: 'causal for the offline engine, not for the model' });
  return flags;
}
