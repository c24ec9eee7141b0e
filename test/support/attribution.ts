/**
 * Shared by the attribution tests: the catalog's matcher, a sentence as the reader sees it, the
 * reading of one named mention, and the causes the offline classifier finds in a document.
 */
import { assess } from '../../src/attribution/index.ts';
import { loadCatalog, TechnologyMatcher } from '../../src/catalog/index.ts';
import { classifyByRules, classifyOffline } from '../../src/engines/offline/classify.ts';
import { assessTechnologies } from '../../src/engines/offline/evidence.ts';
import { guardAttribution } from '../../src/trust/attribution-guard.ts';
import type { SourceSentence } from '../../src/text/sentences.ts';
import { ingestInline } from './postmortems.ts';

type Role = SourceSentence['role'];

export async function catalogMatcher(): Promise<TechnologyMatcher> {
  return new TechnologyMatcher((await loadCatalog()).catalog);
}

/** One sentence of a section with this role. */
export function sentenceIn(text: string, role: Role): SourceSentence {
  return { text, role, heading: '', sectionIndex: 0, index: 0, isListItem: false, isHeading: false };
}

/** The reading of the first mention of `technology` in `text` (throws when it is not named). */
export function assessMention(matcher: TechnologyMatcher, text: string, technology: string, role: Role) {
  const spans = matcher.find(text);
  const mention = spans.find((span) => span.technology === technology);
  if (!mention) throw new Error(`${technology} not named`);
  return assess(sentenceIn(text, role), technology, mention.start, mention.end, { spans });
}

/**
 * The technologies the offline engine's rules call causal in a markdown document: the reading the
 * attribution rounds test. The learned model that weighs it (classifyOffline) is tested on its own
 * in test/engines/offline/attribution-model.test.ts.
 */
export function offlineCausesOf(matcher: TechnologyMatcher, source: string): string[] {
  return classifyByRules(ingestInline(source, 'case.md'), matcher).causal.map((cause) => cause.technology);
}

/** The causes a classifier gives a markdown document that stand after the attribution guard, sorted. */
function causesAfterGuard(classify: typeof classifyOffline, matcher: TechnologyMatcher, source: string): string[] {
  const postmortem = ingestInline(source, 'case.md');
  return guardAttribution(classify(postmortem, matcher), postmortem, matcher)
    .classification.causal.map((cause) => cause.technology)
    .sort();
}

/** The causes of the rules' reading that stand after the attribution guard, sorted. */
export function guardedCausesOf(matcher: TechnologyMatcher, source: string): string[] {
  return causesAfterGuard(classifyByRules, matcher, source);
}

/** The causes the whole offline engine gives (the rules weighed by the learned model, then the guard), sorted. */
export function engineCausesOf(matcher: TechnologyMatcher, source: string): string[] {
  return causesAfterGuard(classifyOffline, matcher, source);
}

/** The offline engine's evidence assessment of one technology in a markdown document. */
export function assessmentOf(matcher: TechnologyMatcher, source: string, technology: string) {
  return assessTechnologies(ingestInline(source, 'case.md'), matcher).find(
    (assessment) => assessment.technology === technology,
  );
}
