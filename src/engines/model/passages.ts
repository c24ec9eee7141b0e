import type { TechnologyMatcher } from '../../catalog/index.ts';
import { isStated, type Classification, type Postmortem, type Summary } from '../../schemas/index.ts';
import { sentencesOf } from '../../text/sentences.ts';

/** Wraps untrusted text so the prompt can say "everything inside is data". */
export function dataBlock(tag: string, attributes: Record<string, string>, body: string): string {
  const attributeText = Object.entries(attributes)
    .map(([key, value]) => ` ${key}="${value.replace(/["<>\n]/g, ' ')}"`)
    .join('');
  const safeBody = body.replace(new RegExp(`</?${tag}\\b`, 'gi'), (match) => match.replace('<', '&lt;'));
  return `<${tag}${attributeText}>\n${safeBody}\n</${tag}>`;
}

function summaryLines(summary: Summary): string[] {
  const lines = [`issue: ${summary.issue.text}`];
  summary.rootCauses.forEach((claim) => lines.push(`root cause: ${claim.text}`));
  lines.push(`impact: ${summary.impact.text}`, `resolution: ${summary.resolution.text}`);
  summary.preventiveActions.forEach((claim) => lines.push(`preventive action: ${claim.text}`));
  return lines;
}

function citedQuotes(summary: Summary): string[] {
  const claims = [summary.issue, ...summary.rootCauses, summary.impact, summary.resolution, ...summary.preventiveActions];
  return [...new Set(claims.filter(isStated).flatMap((claim) => claim.evidence))];
}

/**
 * The classify input: the summary, the passages it cites, and every sentence that names a
 * catalog technology, with its section — not the whole document.
 */
export function classificationInput(postmortem: Postmortem, summary: Summary, matcher: TechnologyMatcher): string {
  const cited = citedQuotes(summary);
  const citedSet = new Set(cited);
  const mentions = sentencesOf(postmortem, { headings: true })
    .filter((sentence) => matcher.find(sentence.text).length > 0 && !citedSet.has(sentence.text))
    .map((sentence) => `[${sentence.isHeading ? 'heading' : sentence.heading || sentence.role}] ${sentence.text}`);
  const titleMentions = matcher.find(postmortem.title).length > 0 ? [`[title] ${postmortem.title}`] : [];
  const body = [
    'Summary:',
    ...summaryLines(summary),
    '',
    'Passages the summary cites:',
    ...cited.map((quote) => `- ${quote}`),
    '',
    'Passages that name catalog technologies:',
    ...[...titleMentions, ...mentions].map((line) => `- ${line}`),
  ].join('\n');
  return dataBlock('postmortem', { id: postmortem.id }, body);
}

/** The analyze input: the summary's causes, the technology's causal role, and the passages about it. */
export function digestInput(postmortem: Postmortem, summary: Summary, classification: Classification, technology: string, matcher: TechnologyMatcher): string {
  const cause = classification.causal.find((entry) => entry.technology === technology);
  const passages = sentencesOf(postmortem)
    .filter((sentence) => sentence.role !== 'action-items' && (matcher.namedIn(sentence.text).has(technology) || sentence.role === 'root-cause' || sentence.role === 'contributing-factors'))
    .map((sentence) => sentence.text);
  const body = [
    `Technology: ${technology}`,
    `Causal role: ${cause?.role ?? 'not stated'}`,
    '',
    'Summary:',
    `issue: ${summary.issue.text}`,
    ...summary.rootCauses.map((claim) => `root cause: ${claim.text}`),
    '',
    'Passages:',
    ...[...new Set(passages)].slice(0, 40).map((passage) => `- ${passage}`),
  ].join('\n');
  return dataBlock('postmortem', { id: postmortem.id }, body);
}
