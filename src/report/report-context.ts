import type { Opportunity, Pattern, ReportData, ReportDocument } from '../schemas/index.ts';
import { Anchors } from './anchors.ts';
import { recurringFactors, type RecurringFactor } from './factors.ts';
import { documentsById } from './format.ts';
import { reviewItems, type ReviewItem } from './insights.ts';
import { orderIncidents } from './severity.ts';

/** Lookups shared by the Markdown and HTML renderers. */
export interface ReportContext {
  documents: Map<string, ReportDocument>;
  patterns: Map<string, Pattern>;
  patternAnchors: Anchors;
  documentAnchors: Anchors;
  opportunityAnchors: Anchors;
  /** Documents in report order: most severe first, then most recent. */
  orderedDocuments: ReportDocument[];
  /** What a reviewer should look at, per document id; documents with nothing to review are absent. */
  review: Map<string, ReviewItem[]>;
  /** The patterns each incident supports. */
  patternsOfIncident: Map<string, Pattern[]>;
  /** Contributing factors of two or more incidents, the most incidents first (factors.ts). */
  factors: RecurringFactor[];
}

export function createReportContext(data: ReportData): ReportContext {
  const review = new Map<string, ReviewItem[]>();
  for (const document of data.documents) {
    const items = reviewItems(document);
    if (items.length > 0) review.set(document.docId, items);
  }
  const patternsOfIncident = new Map<string, Pattern[]>();
  for (const pattern of data.patterns) {
    for (const docId of new Set(pattern.incidentIds))
      patternsOfIncident.set(docId, [...(patternsOfIncident.get(docId) ?? []), pattern]);
  }
  const orderedDocuments = orderIncidents(data.documents);
  return {
    documents: documentsById(data),
    patterns: new Map(data.patterns.map((pattern) => [pattern.id, pattern])),
    patternAnchors: new Anchors(
      'pattern',
      data.patterns.map((pattern) => pattern.id),
    ),
    documentAnchors: new Anchors(
      'doc',
      data.documents.map((document) => document.docId),
    ),
    opportunityAnchors: new Anchors(
      'opportunity',
      data.opportunities.map((opportunity) => opportunity.id),
    ),
    orderedDocuments,
    review,
    patternsOfIncident,
    factors: recurringFactors(orderedDocuments),
  };
}

/** What the fold read of an opportunity's one incident, when it rests on no theme: its reading in quotes, or why there is none. */
export function singleIncidentTheme(opportunity: Opportunity, data: ReportData): string {
  const [incidentId] = opportunity.incidentIds;
  const entry = data.notRecurring.find((candidate) => candidate.incidentId === incidentId);
  if (entry !== undefined) return entry.theme === null ? 'no mechanism read' : `“${entry.theme}”`;
  return data.noCatalog.some((candidate) => candidate.incidentId === incidentId)
    ? 'no catalog technology involved'
    : 'no theme';
}
