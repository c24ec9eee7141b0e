import type { TechnologyMatcher } from '../../catalog/index.ts';
import { estimateTokens } from '../../models/language-model.ts';
import { isStated, type Claim, type Classification, type Postmortem, type Summary } from '../../schemas/index.ts';
import { directiveSentencesOf, directivesNote, withholdDirectives } from '../../ingest/directives.ts';
import { sentencesOf } from '../../text/sentences.ts';
import { overlapsDirective } from '../../trust/spans.ts';

/** What a withheld summary line says instead of an instruction a model wrote back. */
const DIRECTIVE_WITHHELD = '«directive-removed»';

/** Wraps untrusted text so the prompt can say "everything inside is data". */
export function dataBlock(tag: string, attributes: Record<string, string>, body: string): string {
  const attributeText = Object.entries(attributes)
    .map(([key, value]) => ` ${key}="${value.replace(/["<>\n]/g, ' ')}"`)
    .join('');
  const safeBody = body.replace(new RegExp(`</?${tag}\\b`, 'gi'), (match) => match.replace('<', '&lt;'));
  return `<${tag}${attributeText}>\n${safeBody}\n</${tag}>`;
}

/**
 * The summarize input: the whole document as a data block, with every sentence addressed to a
 * model (src/ingest/directives.ts) withheld and replaced by a mark, and a note before the block
 * saying so. A document without such sentences is given exactly as it reads.
 */
export function documentInput(postmortem: Postmortem): string {
  const { text, withheld } = withholdDirectives(postmortem.text);
  return `${directivesNote(withheld)}${dataBlock('document', { id: postmortem.id, title: postmortem.title }, text)}`;
}

/** The fields that bear on causes; preventive actions are left out (they name fixes, not causes). */
function causeClaims(summary: Summary): Array<[string, Claim]> {
  return [
    ['issue', summary.issue],
    ...summary.rootCauses.map((claim): [string, Claim] => ['root cause', claim]),
    ['impact', summary.impact],
    ['resolution', summary.resolution],
  ];
}

/** The summary's claims as lines; a claim that repeats a sentence addressed to a model is withheld. */
function summaryLines(summary: Summary, postmortem: Postmortem): string[] {
  return causeClaims(summary).map(([label, claim]) =>
    overlapsDirective(claim.text, postmortem) ? `${label}: ${DIRECTIVE_WITHHELD}` : `${label}: ${claim.text}`,
  );
}

/** Quotes the summary cites that its own wording does not already carry, never a sentence addressed to a model. */
function citedQuotes(summary: Summary, postmortem: Postmortem): string[] {
  const quotes = causeClaims(summary)
    .map(([, claim]) => claim)
    .filter(isStated)
    .flatMap((claim) => claim.evidence.filter((quote) => !claim.text.includes(quote)))
    .filter((quote) => !overlapsDirective(quote, postmortem));
  return [...new Set(quotes)];
}

/** Keep passages in order until the token budget is spent. */
function withinBudget(passages: string[], budgetTokens: number): string[] {
  const kept: string[] = [];
  let used = 0;
  for (const passage of passages) {
    const tokens = estimateTokens(passage) + 2;
    if (used + tokens > budgetTokens && kept.length > 0) break;
    kept.push(passage);
    used += tokens;
  }
  return kept;
}

/** Passages of the digest input: those naming the technology first, then the causes, in all at most this many tokens. */
export const DIGEST_PASSAGE_BUDGET_TOKENS = 400;

/**
 * The classify input: the summary, the passages it cites, and every sentence that names a
 * catalog technology, with its section — not the whole document.
 */
export function classificationInput(postmortem: Postmortem, summary: Summary, matcher: TechnologyMatcher): string {
  const cited = citedQuotes(summary, postmortem);
  const citedSet = new Set(cited);
  const summaryText = summaryLines(summary, postmortem).join('\n');
  const directives = directiveSentencesOf(postmortem);
  const mentions = sentencesOf(postmortem, { headings: true })
    .filter(
      (sentence) =>
        matcher.find(sentence.text).length > 0 &&
        !citedSet.has(sentence.text) &&
        !summaryText.includes(sentence.text) &&
        // A sentence addressed to a model is never a passage (injection containment).
        !directives.has(sentence.text),
    )
    .map((sentence) => `[${sentence.isHeading ? 'heading' : sentence.heading || sentence.role}] ${sentence.text}`);
  const titleMentions = matcher.find(postmortem.title).length > 0 ? [`[title] ${postmortem.title}`] : [];
  const body = [
    'Summary:',
    ...summaryLines(summary, postmortem),
    ...(cited.length > 0 ? ['', 'Passages the summary cites:', ...cited.map((quote) => `- ${quote}`)] : []),
    '',
    'Passages that name catalog technologies:',
    ...[...titleMentions, ...mentions].map((line) => `- ${line}`),
  ].join('\n');
  return dataBlock('postmortem', { id: postmortem.id }, body);
}

/** The analyze input: the summary's causes, the technology's causal role, and the passages about it. */
export function digestInput(
  postmortem: Postmortem,
  summary: Summary,
  classification: Classification,
  technology: string,
  matcher: TechnologyMatcher,
): string {
  const cause = classification.causal.find((entry) => entry.technology === technology);
  const directives = directiveSentencesOf(postmortem);
  const candidates = sentencesOf(postmortem).filter(
    (sentence) => sentence.role !== 'action-items' && !directives.has(sentence.text),
  );
  const naming = candidates.filter((sentence) => matcher.namedIn(sentence.text).has(technology));
  const causes = candidates.filter(
    (sentence) =>
      (sentence.role === 'root-cause' || sentence.role === 'contributing-factors') && !naming.includes(sentence),
  );
  const quoted = new Set(cause?.evidence ?? []);
  const passages = withinBudget(
    [...naming, ...causes].map((sentence) => sentence.text).filter((text) => !quoted.has(text)),
    DIGEST_PASSAGE_BUDGET_TOKENS,
  );
  const body = [
    `Technology: ${technology}`,
    `Causal role: ${cause?.role ?? 'not stated'}`,
    ...(cause?.evidence ?? []).map((quote) => `- ${quote}`),
    '',
    'Root causes stated:',
    ...summary.rootCauses.map((claim) =>
      overlapsDirective(claim.text, postmortem) ? `- ${DIRECTIVE_WITHHELD}` : `- ${claim.text}`,
    ),
    '',
    'Passages:',
    ...[...new Set(passages)].map((passage) => `- ${passage}`),
  ].join('\n');
  return dataBlock('postmortem', { id: postmortem.id }, body);
}
