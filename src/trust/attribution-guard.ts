import type { TechnologyMatcher } from '../catalog/index.ts';
import { assess } from '../engines/offline/attribution.ts';
import type { Classification, MentionedTechnology, Postmortem, ReviewFlag } from '../schemas/index.ts';
import { sentencesOf } from '../text/sentences.ts';
import { normalizeForMatch, quoteOccursIn } from './quotes.ts';

export interface GuardOutcome {
  classification: Classification;
  demoted: ReviewFlag[];
}

/**
 * Why a cited quote does not stand as evidence that `technology` caused the incident; undefined
 * when it does: it occurs in the document, names the technology (or an alias), and sits in a
 * causal context — not a link, an action item, a negation, a victim list or a third party's system.
 */
function quoteProblem(quote: string, technology: string, postmortem: Postmortem, source: string, matcher: TechnologyMatcher): string | undefined {
  if (!quoteOccursIn(quote, source)) return 'the quote is not in the document';
  if (!matcher.namedIn(quote).has(technology)) return `the quote does not name ${technology}`;
  const wanted = normalizeForMatch(quote).split(/\s*(?:\.\.\.|\u2026)\s*/).find((segment) => matcher.namedIn(segment).has(technology)) ?? normalizeForMatch(quote);
  const sentences = sentencesOf(postmortem, { headings: true }).filter((sentence) => {
    const text = normalizeForMatch(sentence.text);
    return text.includes(wanted) || wanted.includes(text);
  });
  let context: string | undefined;
  for (const sentence of sentences) {
    for (const mention of matcher.find(sentence.text).filter((found) => found.technology === technology)) {
      const assessed = assess(sentence, technology, mention.start, mention.end);
      if (assessed.context === null) return undefined;
      context = assessed.context;
    }
  }
  return context ? `the quote names ${technology} only in a non-causal context (${context})` : undefined;
}

/**
 * The attribution guard: a causal technology stands only with a verified quote that names it in a
 * causal context; otherwise it is demoted to "mentioned", with the reason, and flagged for review.
 */
export function guardAttribution(classification: Classification, postmortem: Postmortem, matcher: TechnologyMatcher): GuardOutcome {
  const source = normalizeForMatch(postmortem.text);
  const causal: Classification['causal'] = [];
  const mentioned: MentionedTechnology[] = [...classification.mentioned];
  const demoted: ReviewFlag[] = [];
  for (const cause of classification.causal) {
    const problems = cause.evidence.map((quote) => quoteProblem(quote, cause.technology, postmortem, source, matcher));
    if (problems.some((problem) => problem === undefined)) {
      causal.push(cause);
      continue;
    }
    const reason = `needs review: ${[...new Set(problems)].join('; ') || 'no evidence cited'}`;
    demoted.push({ technology: cause.technology, kind: 'demoted', reason });
    mentioned.push({ technology: cause.technology, context: 'other', reason, evidence: cause.evidence });
  }
  return { classification: { ...classification, causal, mentioned, flags: [...classification.flags, ...demoted] }, demoted };
}

/** Where a model engine and the offline engine disagree on the causes: flagged, never decided here. */
export function disagreements(model: Classification, offline: Classification): ReviewFlag[] {
  const modelCauses = new Set(model.causal.map((cause) => cause.technology));
  const offlineCauses = new Set(offline.causal.map((cause) => cause.technology));
  const flags: ReviewFlag[] = [];
  for (const technology of modelCauses) if (!offlineCauses.has(technology)) flags.push({ technology, kind: 'disagreement', reason: 'causal for the model, not for the offline engine' });
  for (const technology of offlineCauses) if (!modelCauses.has(technology)) flags.push({ technology, kind: 'disagreement', reason: 'causal for the offline engine, not for the model' });
  return flags;
}
