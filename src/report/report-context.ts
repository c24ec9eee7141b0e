import type { Pattern, ReportData, ReportDocument } from '../schemas/index.ts';
import { Anchors } from './anchors.ts';
import { documentsById } from './format.ts';

/** Lookups shared by the Markdown and HTML renderers. */
export interface ReportContext {
  documents: Map<string, ReportDocument>;
  patterns: Map<string, Pattern>;
  patternAnchors: Anchors;
  documentAnchors: Anchors;
}

export function createReportContext(data: ReportData): ReportContext {
  return {
    documents: documentsById(data),
    patterns: new Map(data.patterns.map((pattern) => [pattern.id, pattern])),
    patternAnchors: new Anchors('pattern', data.patterns.map((pattern) => pattern.id)),
    documentAnchors: new Anchors('doc', data.documents.map((document) => document.docId)),
  };
}
