/**
 * Figures the executive summary shows, derived only from the report data (nothing estimated):
 * an opportunity's mean causal confidence and how many of its incidents need review, the largest
 * themes, and the coverage counts.
 */
import type { Opportunity, Pattern, ReportData, ReportDocument } from '../schemas/index.ts';
import { formatNumber, rankOpportunities, reportCounts } from './format.ts';
import { normaliseSeverity } from './severity.ts';

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
    reason: claim.quote === null ? 'no evidence cited' : `“${claim.quote}” is not in the document`,
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

function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((total, value) => total + value, 0) / values.length;
}

/** Opportunities by rank with the figures the summary table shows. */
export function opportunityViews(
  data: ReportData,
  documents: ReadonlyMap<string, ReportDocument>,
  review: ReadonlyMap<string, unknown>,
): OpportunityView[] {
  return rankOpportunities(data.opportunities).map((opportunity, index) => {
    const present = [...new Set(opportunity.incidentIds)].flatMap((docId) => documents.get(docId) ?? []);
    const confidences = present.flatMap((document) => {
      const causal = document.classification.causal;
      const matching =
        opportunity.technology === null
          ? causal
          : causal.filter((finding) => finding.technology === opportunity.technology);
      return matching.length === 0 ? [] : [Math.max(...matching.map((finding) => finding.confidence))];
    });
    return {
      rank: index + 1,
      opportunity,
      confidence: mean(confidences),
      incidents: opportunity.impact.incidents,
      needsReview: present.filter((document) => review.has(document.docId)).length,
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
    ['Recurring failure patterns', String(counts.patterns)],
    ['Opportunities', String(counts.opportunities)],
  );
  return rows;
}

/** One term of an opportunity's score. */
export interface ScoreTerm {
  label: string;
  value: number;
}

function severityPoints(severity: string): number {
  const { level } = normaliseSeverity(severity);
  return level === null || level > 4 ? 0 : 5 - level;
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

/**
 * The terms of the documented score (README: 2 × incidents + severity points + hours +
 * log10(1 + customers) + log10(1 + cost)), recomputed from the measured impact. Returned only
 * when they add up to the score the fold gave, so a changed formula never shows a wrong breakdown.
 */
export function scoreBreakdown(opportunity: Opportunity): ScoreTerm[] | null {
  const { impact } = opportunity;
  const severity = Object.entries(impact.severities).reduce(
    (total, [severity, count]) => total + severityPoints(severity) * count,
    0,
  );
  const terms: ScoreTerm[] = [
    { label: 'incidents', value: impact.incidents * 2 },
    { label: 'severity', value: severity },
    { label: 'duration', value: (impact.totalDurationMinutes ?? 0) / 60 },
    { label: 'customers', value: Math.log10(1 + (impact.totalCustomersAffected ?? 0)) },
    { label: 'cost', value: Math.log10(1 + (impact.totalCost ?? 0)) },
  ];
  const total = round2(terms.reduce((sum, term) => sum + term.value, 0));
  if (Math.abs(total - opportunity.score) > 0.011) return null;
  return terms
    .filter((term, index) => index === 0 || term.value !== 0)
    .map((term) => ({ label: term.label, value: round2(term.value) }));
}

/** "incidents 6 + severity 4 + duration 0.67", for a table cell. */
export function formatBreakdown(terms: readonly ScoreTerm[]): string {
  return terms.map((term) => `${term.label} ${formatNumber(term.value)}`).join(' + ');
}

/** How the score is made, in one sentence (the terms of scoreBreakdown). */
export const SCORE_EXPLANATION =
  'Score: measured impact from the incident-metadata file only: incidents (2 per incident) + severity points (SEV1 = 4 … SEV4 = 1) + duration (hours) + customers (log10(1 + customers)) + cost (log10(1 + cost)). Confidence: mean confidence of the causal findings behind the opportunity.';
