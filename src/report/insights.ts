/**
 * Figures the executive summary shows, derived only from the report data (nothing estimated):
 * an opportunity's mean causal confidence and how many of its incidents need review, the largest
 * themes, and the coverage counts.
 */
import type { Opportunity, Pattern, ReportData, ReportDocument } from '../schemas/index.ts';
import { formatNumber, rankOpportunities, reportCounts } from './format.ts';

/** One thing a reviewer should check in a document. */
export interface ReviewItem {
  /** "PostgreSQL (demoted)", "summarize · rootCauses[0]". */
  subject: string;
  /** Why it needs review. */
  reason: string;
}

/** Review flags from the attribution guard and claims whose evidence is not in the document. */
export function reviewItems(document: ReportDocument): ReviewItem[] {
  const flags = document.classification.flags.map((flag) => ({
    subject: `${flag.technology} (${flag.kind})`,
    reason: flag.reason,
  }));
  const unverified = (document.verification?.unverified ?? []).map((claim) => ({
    subject: `${claim.stage} · ${claim.field}`,
    // The verification's own reason when it gives one (a fragment, a theory, an instruction to a model...).
    reason:
      claim.quote === null
        ? (claim.reason ?? 'no evidence cited')
        : claim.reason === undefined || claim.reason === 'the quote is not in the document'
          ? `“${claim.quote}” is not in the document`
          : `“${claim.quote}”: ${claim.reason}`,
  }));
  return [...flags, ...unverified];
}

export interface OpportunityView {
  rank: number;
  opportunity: Opportunity;
  /** Mean confidence of the causal findings behind it (its technology in its incidents); null when none. */
  confidence: number | null;
  /** Incidents of the opportunity present in this report. */
  incidents: number;
  /** Of those, how many have something to review. */
  needsReview: number;
}

/** Opportunities by rank with the figures the summary table shows. */
export function opportunityViews(
  data: ReportData,
  documents: ReadonlyMap<string, ReportDocument>,
  review: ReadonlyMap<string, unknown>,
): OpportunityView[] {
  return rankOpportunities(data.opportunities).map((opportunity, index) => {
    const present = [...new Set(opportunity.incidentIds)].flatMap((docId) => documents.get(docId) ?? []);
    const flagged = new Set([
      ...opportunity.needsReview,
      ...present.filter((document) => review.has(document.docId)).map((document) => document.docId),
    ]);
    return {
      rank: index + 1,
      opportunity,
      confidence: opportunity.confidence,
      incidents: opportunity.impact.incidents,
      needsReview: flagged.size,
    };
  });
}

/** "0.82", or "n/a". */
export function formatConfidence(confidence: number | null): string {
  return confidence === null ? 'n/a' : confidence.toFixed(2);
}

/** The largest patterns: most incidents first, ties in input order. */
export function topThemes(patterns: readonly Pattern[], count: number): Pattern[] {
  return [...patterns].sort((left, right) => right.count - left.count).slice(0, count);
}

/** Label/value rows for the summary's coverage block. */
export function coverageRows(data: ReportData, needingReview: number): Array<[string, string]> {
  const counts = reportCounts(data);
  const total = data.documents.length;
  const dated = data.documents.filter((document) => document.date !== null).length;
  const withSeverity = data.documents.filter((document) => document.severity !== null).length;
  const checked = data.documents.filter((document) => document.verification !== undefined);
  const claims = checked.reduce((sum, document) => sum + (document.verification?.claims ?? 0), 0);
  const verified = checked.reduce((sum, document) => sum + (document.verification?.verified ?? 0), 0);
  const rows: Array<[string, string]> = [
    ['Documents analysed', String(counts.documentsAnalysed)],
    ['Documents skipped', String(counts.skipped)],
    ['Documents failed', String(counts.failed)],
    ['Incidents that need review', `${needingReview} of ${total}`],
    ['Incidents with a date', `${dated} of ${total}`],
    ['Incidents with a severity', `${withSeverity} of ${total}`],
  ];
  if (claims > 0)
    rows.push([
      'Claims backed by a verbatim quote',
      `${verified} of ${claims} (${formatNumber(Math.round((verified / claims) * 1000) / 10)}%)`,
    ]);
  rows.push(
    ['Causal technologies found', `${counts.causalTechnologies} (${counts.distinctCausalTechnologies} distinct)`],
    ['Recurring themes', String(counts.patterns)],
    ['Incidents in a theme', String(new Set(data.patterns.flatMap((pattern) => pattern.incidentIds)).size)],
    ['Incidents not recurring yet', String(data.notRecurring.length)],
    ['Incidents with no catalog technology involved', String(data.noCatalog.length)],
    ['Duplicates counted once', String(data.duplicates.length)],
    ['Opportunities', String(counts.opportunities)],
  );
  return rows;
}

/** One term of an opportunity's score. */
export interface ScoreTerm {
  label: string;
  value: number;
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

/**
 * The terms of the documented score (docs/ranking.md), as the fold recorded them beside the score.
 * Returned only when they add up to the score, so a changed formula never shows a wrong breakdown.
 */
export function scoreBreakdown(opportunity: Opportunity): ScoreTerm[] | null {
  const parts = opportunity.scoreBreakdown;
  const terms: ScoreTerm[] = [
    { label: 'recurrence', value: parts.recurrence },
    { label: 'severity', value: parts.severity },
    { label: 'duration', value: parts.duration },
    { label: 'customers', value: parts.customers },
    { label: 'cost', value: parts.cost },
    { label: 'review', value: parts.review },
  ];
  const total = round2(terms.reduce((sum, term) => sum + term.value, 0));
  if (Math.abs(total - opportunity.score) > 0.011) return null;
  return terms.filter((term, index) => index === 0 || term.value !== 0);
}

/** "incidents 6 + severity 4 + duration 0.67", for a table cell. */
export function formatBreakdown(terms: readonly ScoreTerm[]): string {
  return terms
    .map((term, index) =>
      term.value < 0
        ? ` − ${term.label} ${formatNumber(-term.value)}`
        : `${index === 0 ? '' : ' + '}${term.label} ${formatNumber(term.value)}`,
    )
    .join('');
}

/** How the score is made, in one sentence (the terms of scoreBreakdown). */
export const SCORE_EXPLANATION =
  'Score (docs/ranking.md), from the incident-metadata file (a severity it lacks, from the document itself): recurrence (3 per incident) + severity points per incident (SEV0 = 5, SEV1 = 4 … SEV4 = 1) + duration (log2(1 + hours)) + customers (log10(1 + customers)) + cost (log10(1 + dollars)) − 0.5 per incident whose evidence needs review. Confidence: mean confidence of the causes behind the opportunity.';
