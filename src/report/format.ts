import {
  FAULT_CATEGORY_LABELS,
  NOT_STATED,
  isStated,
  type Claim,
  type FaultCategory,
  type Opportunity,
  type ReportData,
  type ReportDocument,
} from '../schemas/index.ts';

export const NOT_AVAILABLE = 'n/a';
export const UNKNOWN = 'unknown';
export const REPORT_TITLE = 'postmortem-lens report';
/** What an opportunity's technology reads as when it is not tied to a single technology. */
export const NO_SINGLE_TECHNOLOGY = 'no catalog technology';

/** "PostgreSQL, MySQL", or "no catalog technology". */
export function technologiesText(technologies: readonly string[]): string {
  return technologies.length === 0 ? NO_SINGLE_TECHNOLOGY : technologies.join(', ');
}

const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** A measured number, or "n/a" when it was not measured. Never invents a value. */
export function formatNumber(value: number | null): string {
  return value === null ? NOT_AVAILABLE : numberFormat.format(value);
}

export function formatSeverities(severities: Record<string, number>): string {
  const entries = Object.entries(severities).sort(([left], [right]) => left.localeCompare(right));
  if (entries.length === 0) return NOT_AVAILABLE;
  return entries.map(([severity, count]) => `${severity}: ${count}`).join(', ');
}

export function faultCategoryLabel(category: FaultCategory): string {
  return FAULT_CATEGORY_LABELS[category];
}

/** The claim's text, normalized to exactly "not stated" when the document is silent. */
export function claimText(claim: Claim): string {
  return isStated(claim) ? claim.text : NOT_STATED;
}

/** The claims the document actually states; an empty result means "not stated". */
export function statedClaims(claims: readonly Claim[]): Claim[] {
  return claims.filter(isStated);
}

/** What the report prints before a summary claim whose evidence did not verify: shown for review, never as fact. */
export const UNVERIFIED_MARK = 'Unverified, needs review:';

/** The summary fields ("issue", "rootCauses[0]", ...) whose evidence did not verify. */
export function unverifiedSummaryFields(document: ReportDocument): Set<string> {
  return new Set(
    (document.verification?.unverified ?? [])
      .filter((claim) => claim.stage === 'summarize')
      .map((claim) => claim.field),
  );
}

/** The stated claims of a list field with their field names (rootCauses[2] keeps its index). */
export function statedClaimsWithFields(
  field: string,
  claims: readonly Claim[],
): Array<{ field: string; claim: Claim }> {
  return claims.flatMap((claim, index) => (isStated(claim) ? [{ field: `${field}[${index}]`, claim }] : []));
}

/** "1 incident", "2 incidents". */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}

/** Highest score first; ties keep their input order. */
export function rankOpportunities(opportunities: readonly Opportunity[]): Opportunity[] {
  return [...opportunities].sort((left, right) => right.score - left.score);
}

export interface ReportCounts {
  documentsAnalysed: number;
  skipped: number;
  failed: number;
  /** Causal (document, technology) findings. */
  causalTechnologies: number;
  distinctCausalTechnologies: number;
  digests: number;
  patterns: number;
  opportunities: number;
}

export function reportCounts(data: ReportData): ReportCounts {
  const causal = data.documents.flatMap((document) => document.classification.causal);
  return {
    documentsAnalysed: data.documents.length,
    skipped: data.skipped.length,
    failed: data.failed.length,
    causalTechnologies: causal.length,
    distinctCausalTechnologies: new Set(causal.map((finding) => finding.technology)).size,
    digests: data.documents.reduce((total, document) => total + document.digests.length, 0),
    patterns: data.patterns.length,
    opportunities: data.opportunities.length,
  };
}

export function documentsById(data: ReportData): Map<string, ReportDocument> {
  return new Map(data.documents.map((document) => [document.docId, document]));
}

/** How an incident is named in links: its title, or its id when the title is empty. */
export function incidentLabel(docId: string, document: ReportDocument | undefined): string {
  const title = document?.title.trim() ?? '';
  return title === '' ? docId : title;
}

/** At most `max` characters (code points), ending with "…" when cut. */
export function shorten(text: string, max: number): string {
  const characters = [...text];
  return characters.length <= max
    ? text
    : `${characters
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

/** "2025-Q1 2, 2025-Q3 1", or "n/a" without dated members. */
export function quarterText(byQuarter: Readonly<Record<string, number>>): string {
  const entries = Object.entries(byQuarter).sort(([left], [right]) => left.localeCompare(right));
  return entries.length === 0 ? 'n/a' : entries.map(([quarter, count]) => `${quarter} ${count}`).join(', ');
}
