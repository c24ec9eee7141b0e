import type { Opportunity, Pattern, ReportDocument } from '../schemas/index.ts';
import { FileNames } from './anchors.ts';
import type { ReportContext } from './report-context.ts';

/** The main page, relative to the report folder. */
export const MAIN_PAGE = 'report.html';
/** Folders of the extra pages inside the report folder. */
export const INCIDENT_FOLDER = 'incidents';
export const PATTERN_FOLDER = 'patterns';
export const OPPORTUNITY_FOLDER = 'opportunities';

/** Lists of incidents longer than this show their first entries and link to a page with all of them. */
export const LIST_LIMIT = 20;

/**
 * Where each part of the report lives: incident details inline in report.html (anchors) or on
 * pages of their own under incidents/; long incident lists of patterns and opportunities on
 * pages under patterns/ and opportunities/.
 */
export interface ReportLayout {
  /** Set when incident details are on their own pages. */
  incidentPages: FileNames | null;
  patternPages: FileNames;
  opportunityPages: FileNames;
  /** Patterns and opportunities whose incident list has a page of its own. */
  longPatterns: Set<string>;
  longOpportunities: Set<string>;
}

export function createLayout(
  context: ReportContext,
  opportunities: readonly Opportunity[],
  incidentPages: boolean,
): ReportLayout {
  const longPatterns = [...context.patterns.values()]
    .filter((pattern) => pattern.incidentIds.length > LIST_LIMIT)
    .map((pattern) => pattern.id);
  const longOpportunities = opportunities
    .filter((opportunity) => opportunity.incidentIds.length > LIST_LIMIT)
    .map((opportunity) => opportunity.id);
  return {
    incidentPages: incidentPages ? new FileNames(context.orderedDocuments.map((document) => document.docId)) : null,
    patternPages: new FileNames(longPatterns),
    opportunityPages: new FileNames(longOpportunities),
    longPatterns: new Set(longPatterns),
    longOpportunities: new Set(longOpportunities),
  };
}

/** Hrefs from one page of the report to the others; `depth` 0 is report.html, 1 a page in a subfolder. */
export class ReportLinks {
  private readonly up: string;

  constructor(
    private readonly context: ReportContext,
    private readonly layout: ReportLayout,
    readonly depth: 0 | 1,
  ) {
    this.up = depth === 0 ? '' : '../';
  }

  private anchor(anchor: string | undefined): string | undefined {
    if (anchor === undefined) return undefined;
    return this.depth === 0 ? `#${anchor}` : `../${MAIN_PAGE}#${anchor}`;
  }

  /** The file name, inside the report folder, of an incident's page; undefined when details are inline. */
  incidentFile(docId: string): string | undefined {
    const name = this.layout.incidentPages?.of(docId);
    return name === undefined ? undefined : `${INCIDENT_FOLDER}/${name}.html`;
  }

  incident(docId: string): string | undefined {
    if (!this.context.documents.has(docId)) return undefined;
    const file = this.incidentFile(docId);
    return file === undefined ? this.anchor(this.context.documentAnchors.of(docId)) : `${this.up}${file}`;
  }

  pattern(patternId: string): string | undefined {
    return this.anchor(this.context.patternAnchors.of(patternId));
  }

  opportunity(opportunityId: string): string | undefined {
    return this.anchor(this.context.opportunityAnchors.of(opportunityId));
  }

  /** A section of report.html ("incidents", "summary"). */
  section(id: string): string {
    return this.depth === 0 ? `#${id}` : `../${MAIN_PAGE}#${id}`;
  }

  patternFile(pattern: Pattern): string | undefined {
    const name = this.layout.longPatterns.has(pattern.id) ? this.layout.patternPages.of(pattern.id) : undefined;
    return name === undefined ? undefined : `${PATTERN_FOLDER}/${name}.html`;
  }

  opportunityFile(opportunity: Opportunity): string | undefined {
    const name = this.layout.longOpportunities.has(opportunity.id)
      ? this.layout.opportunityPages.of(opportunity.id)
      : undefined;
    return name === undefined ? undefined : `${OPPORTUNITY_FOLDER}/${name}.html`;
  }

  /** An href to a file inside the report folder, from this page. */
  file(name: string): string {
    return `${this.up}${name}`;
  }
}

/** A document's position in report order, to show the most severe incidents of a list first. */
export function severityOrder(context: ReportContext): Map<string, number> {
  return new Map(context.orderedDocuments.map((document: ReportDocument, index) => [document.docId, index]));
}
