import type { TechnologyMatcher } from '../catalog/index.ts';
import { isCausalContext } from '../attribution/index.ts';
import type { Classification, MentionedTechnology, Postmortem, ReviewFlag } from '../schemas/index.ts';
import { sentencesOf } from '../text/sentences.ts';
import { normalizedSentenceOf, normalizedTextOf, normalizeForMatch, quoteOccursIn } from './quotes.ts';

export interface GuardOutcome {
  classification: Classification;
  demoted: ReviewFlag[];
}

type Verdict = { kind: 'ok' } | { kind: 'soft' | 'hard'; reason: string };

/**
 * What a cited quote is worth as evidence that `technology` caused the incident. ok: it occurs in
 * the document, names the technology (or an alias) and sits in a causal context. hard: it is not
 * in the document, does not name the technology, or names it only in a link, an action item, a
 * negation, a victim list or a third party's system. soft: it names the technology in a neutral
 * place (a section that states no causes, no failure language around the name).
 */
function judgeQuote(
  quote: string,
  technology: string,
  postmortem: Postmortem,
  source: string,
  matcher: TechnologyMatcher,
): Verdict {
  if (!quoteOccursIn(quote, source)) return { kind: 'hard', reason: 'the quote is not in the document' };
  if (!matcher.namedIn(quote).has(technology)) return { kind: 'hard', reason: `the quote does not name ${technology}` };
  const wanted =
    normalizeForMatch(quote)
      .split(/\s*(?:\.\.\.|\u2026)\s*/)
      .find((segment) => matcher.namedIn(segment).has(technology)) ?? normalizeForMatch(quote);
  const all = sentencesOf(postmortem, { headings: true });
  const sentences = all.filter((sentence) => {
    const text = normalizedSentenceOf(postmortem, sentence.text);
    return text.includes(wanted) || wanted.includes(text);
  });
  let verdict: Verdict = { kind: 'hard', reason: `the quote names ${technology} in no sentence of the document` };
  for (const sentence of sentences) {
    for (const mention of matcher.find(sentence.text).filter((found) => found.technology === technology)) {
      const neighbours = [all[sentence.index - 1], all[sentence.index + 1]].filter(
        (neighbour) => neighbour !== undefined,
      );
      const context = isCausalContext(sentence, technology, mention.start, mention.end, neighbours);
      if (context.causal) return { kind: 'ok' };
      const soft =
        context.context === 'section' || context.context === 'no-failure-language' || context.context === 'other';
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
 * The attribution guard: a cause stands on a verified quote that names it in a causal context.
 * Without one it is demoted to "mentioned" when its quotes are unverified, do not name it or name
 * it in a non-causal context; it stays a cause flagged "needs review" when the best quote names
 * it in a neutral place. Either way the reason is recorded.
 */
export function guardAttribution(
  classification: Classification,
  postmortem: Postmortem,
  matcher: TechnologyMatcher,
): GuardOutcome {
  const source = normalizedTextOf(postmortem);
  const causal: Classification['causal'] = [];
  const mentioned: MentionedTechnology[] = [...classification.mentioned];
  const flagged: ReviewFlag[] = [];
  for (const cause of classification.causal) {
    const verdicts = cause.evidence.map((quote) => judgeQuote(quote, cause.technology, postmortem, source, matcher));
    if (verdicts.some((verdict) => verdict.kind === 'ok')) {
      causal.push(cause);
      continue;
    }
    const reasons =
      [...new Set(verdicts.map((verdict) => (verdict.kind === 'ok' ? '' : verdict.reason)))].join('; ') ||
      'no evidence cited';
    if (verdicts.some((verdict) => verdict.kind === 'soft')) {
      causal.push(cause);
      flagged.push({ technology: cause.technology, kind: 'needs-review', reason: `needs review: ${reasons}` });
      continue;
    }
    const reason = `demoted: ${reasons}`;
    flagged.push({ technology: cause.technology, kind: 'demoted', reason });
    mentioned.push({ technology: cause.technology, context: 'other', reason, evidence: cause.evidence });
  }
  return {
    classification: { ...classification, causal, mentioned, flags: [...classification.flags, ...flagged] },
    demoted: flagged.filter((flag) => flag.kind === 'demoted'),
  };
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
