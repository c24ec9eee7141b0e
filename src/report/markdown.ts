import { NOT_STATED, type Claim, type ReportData, type ReportDocument } from '../schemas/index.ts';
import { changeLines, type ReportChanges } from './changes.ts';
import { escapeMarkdown as text, escapeMarkdownLineStart as lineStart } from './escape.ts';
import {
  technologiesText,
  quarterText,
  REPORT_TITLE,
  UNKNOWN,
  claimText,
  countOf,
  faultCategoryLabel,
  formatNumber,
  formatSeverities,
  incidentLabel,
  statedClaimsWithFields,
  UNVERIFIED_MARK,
  unverifiedSummaryFields,
} from './format.ts';
import {
  SCORE_EXPLANATION,
  coverageRows,
  formatBreakdown,
  formatConfidence,
  opportunityViews,
  reviewItems,
  scoreBreakdown,
  topThemes,
  type OpportunityView,
} from './insights.ts';
import { createReportContext, singleIncidentTheme, type ReportContext } from './report-context.ts';
import { factorCountsText, factorsSectionMarkdown, SUMMARY_FACTORS } from './factors.ts';
import { LIST_LIMIT } from './html-links.ts';
import { quarantinedIncidentMarkdown, quarantineSectionMarkdown } from './quarantine.ts';
import { directivesSectionMarkdown } from './directives.ts';

/** How many opportunities and themes the executive summary lists. */
const SUMMARY_TOP = 5;

function anchorLine(anchor: string | undefined): string[] {
  return anchor === undefined ? [] : [`<a id="${anchor}"></a>`, ''];
}

/** A link to the incident's section of report.md: the file is whole on its own, downloaded or not. */
function incidentLink(docId: string, context: ReportContext): string {
  const document = context.documents.get(docId);
  const label = lineStart(incidentLabel(docId, document));
  const anchor = context.documentAnchors.of(docId);
  if (document === undefined || anchor === undefined) return `${label} (${text(docId)}, not in this report)`;
  return `[${label}](#${anchor}) (${text(docId)})`;
}

function header(data: ReportData): string[] {
  const engine = data.engine;
  return [
    `# ${REPORT_TITLE}`,
    '',
    `- Generated at: ${text(data.generatedAt)}`,
    `- Run id: ${text(data.runId)}`,
    `- Engine: ${text(engine.id)} (model ${text(engine.model)}, version ${text(engine.version)})`,
    '',
  ];
}

function opportunityTitle(view: OpportunityView, context: ReportContext): string {
  const anchor = context.opportunityAnchors.of(view.opportunity.id);
  return anchor === undefined ? text(view.opportunity.title) : `[${text(view.opportunity.title)}](#${anchor})`;
}

function executiveSummary(
  data: ReportData,
  context: ReportContext,
  views: readonly OpportunityView[],
  changes: ReportChanges | undefined,
): string[] {
  const lines = ['## Executive summary', '', '### Top opportunities', ''];
  const top = views.slice(0, SUMMARY_TOP);
  if (top.length === 0) lines.push('No opportunities were found.', '');
  else {
    lines.push(
      '| Rank | Opportunity | Score | Confidence | Incidents | Needs review |',
      '| ---: | --- | --- | ---: | ---: | ---: |',
      ...top.map((view) => {
        const terms = scoreBreakdown(view.opportunity);
        const score = `${formatNumber(view.opportunity.score)}${terms === null ? '' : ` (${formatBreakdown(terms)})`}`;
        return `| ${view.rank} | ${opportunityTitle(view, context)} | ${score} | ${formatConfidence(view.confidence)} | ${view.incidents} | ${view.needsReview} of ${view.incidents} |`;
      }),
      '',
      SCORE_EXPLANATION,
      '',
    );
  }
  const themes = topThemes(data.patterns, SUMMARY_TOP);
  lines.push('### Largest recurring themes', '');
  if (themes.length === 0) lines.push('No recurring failure themes were found.', '');
  else {
    lines.push(
      '| Theme | Technologies | Incidents |',
      '| --- | --- | ---: |',
      ...themes.map((pattern) => {
        const anchor = context.patternAnchors.of(pattern.id);
        const theme = anchor === undefined ? text(pattern.theme) : `[${text(pattern.theme)}](#${anchor})`;
        return `| ${theme} | ${text(technologiesText(pattern.technologies))} | ${pattern.count} |`;
      }),
      '',
    );
  }
  const factors = context.factors.slice(0, SUMMARY_FACTORS);
  if (factors.length > 0)
    lines.push(
      '### Most frequent contributing factors',
      '',
      ...factors.map((entry) => `- ${text(entry.factor)}: ${factorCountsText(entry)}`),
      '',
    );
  if (changes !== undefined) {
    lines.push(
      `### What changed since run ${text(changes.previousRunId)}`,
      '',
      ...changeLines(changes).map((line) => `- ${text(line)}`),
      '',
    );
  }
  lines.push(
    '### Coverage',
    '',
    '| Count | Value |',
    '| --- | --- |',
    ...coverageRows(data, context.review.size).map(([label, value]) => `| ${label} | ${value} |`),
    '',
  );
  return lines;
}

function opportunities(views: readonly OpportunityView[], context: ReportContext, data: ReportData): string[] {
  const lines = ['## Opportunities', ''];
  if (views.length === 0) return [...lines, 'No opportunities were found.', ''];
  views.forEach((view) => {
    const { opportunity } = view;
    const impact = opportunity.impact;
    const patternLinks = opportunity.patternIds.map((patternId) => {
      const anchor = context.patternAnchors.of(patternId);
      const theme = text(context.patterns.get(patternId)?.theme ?? patternId);
      return anchor === undefined ? `${theme} (not in this report)` : `[${theme}](#${anchor})`;
    });
    const themes =
      patternLinks.length > 0
        ? `**Themes:** ${patternLinks.join(', ')}`
        : `**Theme:** ${text(singleIncidentTheme(opportunity, data))}, one incident, not recurring yet (listed under "Not recurring yet" or "No catalog technology involved").`;
    const terms = scoreBreakdown(opportunity);
    lines.push(
      ...anchorLine(context.opportunityAnchors.of(opportunity.id)),
      `### ${view.rank}. ${text(opportunity.title)}`,
      '',
      `- Score: ${formatNumber(opportunity.score)}${terms === null ? '' : ` = ${formatBreakdown(terms)}`}`,
      `- Technologies: ${text(technologiesText(opportunity.technologies))}`,
      `- Confidence: ${formatConfidence(view.confidence)}`,
      `- Incidents that need review: ${view.needsReview} of ${view.incidents}`,
      '',
      lineStart(opportunity.rationale),
      '',
      '**Measured impact** (from the incident-metadata file; a severity the file lacks, from the document itself):',
      '',
      `- Incidents: ${impact.incidents}`,
      `- Incidents with metadata: ${impact.incidentsWithMetadata}`,
      `- Total duration (minutes): ${formatNumber(impact.totalDurationMinutes)}`,
      `- Customers affected: ${formatNumber(impact.totalCustomersAffected)}`,
      `- Cost: ${formatNumber(impact.totalCost)}`,
      `- Severities: ${text(formatSeverities(impact.severities))}`,
      '',
      themes,
      '',
      '**Incidents:**',
      '',
      ...opportunity.incidentIds.map((docId) => `- ${incidentLink(docId, context)}`),
      '',
    );
  });
  return lines;
}

function patterns(data: ReportData, context: ReportContext): string[] {
  const lines = ['## Recurring failure themes', ''];
  lines.push(...accountingLines(data));
  if (data.patterns.length === 0)
    return [...lines, 'No recurring failure themes were found.', '', ...notRecurringLines(data, context)];
  for (const pattern of data.patterns) {
    const factors = pattern.contributingFactors.map(text);
    lines.push(
      ...anchorLine(context.patternAnchors.of(pattern.id)),
      `### ${text(pattern.theme)}`,
      '',
      `- Technologies: ${text(technologiesText(pattern.technologies))}`,
      `- Fault category: ${faultCategoryLabel(pattern.faultCategory)}`,
      `- Incidents: ${pattern.count}; first seen ${pattern.firstSeen ?? 'n/a'}, last seen ${pattern.lastSeen ?? 'n/a'}`,
      `- By quarter: ${quarterText(pattern.byQuarter)}`,
      `- Contributing factors: ${factors.length === 0 ? NOT_STATED : factors.join('; ')}`,
      '',
      lineStart(pattern.description),
      '',
      '**Evidence, one quote per incident:**',
      '',
      ...pattern.evidence.map((entry) => `- ${incidentLink(entry.incidentId, context)}: “${text(entry.quote)}”`),
      '',
    );
  }
  return [...lines, ...notRecurringLines(data, context)];
}

/** The three counts every analysed incident falls under (and the duplicates counted once). */
function accountingLines(data: ReportData): string[] {
  const inThemes = new Set(data.patterns.flatMap((pattern) => pattern.incidentIds)).size;
  const quarantined = data.documents.filter((document) => document.quarantine !== undefined).length;
  return [
    `Every analysed incident is accounted for: ${inThemes} in a recurring theme, ${data.notRecurring.length} not recurring yet, ${data.noCatalog.length} with no catalog technology involved${quarantined > 0 ? `, ${quarantined} quarantined (not shown as fact)` : ''}${data.duplicates.length > 0 ? `, and ${data.duplicates.length} duplicate${data.duplicates.length === 1 ? '' : 's'} counted once` : ''}.`,
    '',
  ];
}

/** A titled list, or nothing when it has no items. */
function listSection(title: string, items: readonly string[]): string[] {
  return items.length === 0 ? [] : [`### ${title}`, '', ...items.map((item) => `- ${item}`), ''];
}

function notRecurringLines(data: ReportData, context: ReportContext): string[] {
  const link = (docId: string) => incidentLink(docId, context);
  return [
    ...listSection(
      'Not recurring yet',
      data.notRecurring.map(
        (entry) =>
          `${link(entry.incidentId)}: ${text(technologiesText(entry.technologies))} · ${faultCategoryLabel(entry.faultCategory)}`,
      ),
    ),
    ...listSection(
      'No catalog technology involved',
      data.noCatalog.map((entry) => `${link(entry.incidentId)}: ${faultCategoryLabel(entry.faultCategory)}`),
    ),
    ...listSection(
      'Duplicates counted once',
      data.duplicates.map((entry) => `${link(entry.incidentId)} repeats ${link(entry.duplicateOf)}`),
    ),
    ...listSection(
      'Theme members dropped (unsupported)',
      data.droppedMembers.map(
        (entry) => `${link(entry.incidentId)} from “${text(entry.theme)}”: ${text(entry.reason)}`,
      ),
    ),
  ];
}

/** A claim's text, marked when its evidence did not verify (shown for review, never as fact). */
function markedText(claim: Claim, unverified: boolean): string {
  return unverified ? `${UNVERIFIED_MARK} ${text(claim.text)}` : text(claimText(claim));
}

function claimLines(label: string, claim: Claim, unverified = false): string[] {
  const evidence = claim.evidence.map((quote) => `  - “${text(quote)}”`);
  return [`- **${label}:** ${markedText(claim, unverified)}`, ...evidence];
}

function claimListLines(
  label: string,
  field: string,
  claims: readonly Claim[],
  unverified: ReadonlySet<string>,
): string[] {
  const stated = statedClaimsWithFields(field, claims);
  if (stated.length === 0) return [`- **${label}:** ${NOT_STATED}`];
  return [
    `- **${label}:**`,
    ...stated.flatMap(({ field: name, claim }) => [
      `  - ${unverified.has(name) ? markedText(claim, true) : lineStart(claim.text)}`,
      ...claim.evidence.map((quote) => `    - “${text(quote)}”`),
    ]),
  ];
}

function incident(document: ReportDocument, context: ReportContext): string[] {
  const { summary, classification } = document;
  const lines = [
    ...anchorLine(context.documentAnchors.of(document.docId)),
    `### ${text(incidentLabel(document.docId, document))}`,
    '',
    `- Document id: ${text(document.docId)}`,
    `- Date: ${document.date === null ? UNKNOWN : text(document.date)}`,
    `- Severity: ${document.severity === null ? UNKNOWN : text(document.severity)}`,
    `- Source: ${text(document.sourcePath)}`,
    '',
    '#### Summary',
    '',
  ];
  // A quarantined document's claims are not facts: its summary, causes and digests wait in review.
  if (document.quarantine) return [...lines, ...quarantinedIncidentMarkdown(document)];
  const unverified = unverifiedSummaryFields(document);
  lines.push(
    ...claimLines('Issue', summary.issue, unverified.has('issue')),
    ...claimListLines('Root causes', 'rootCauses', summary.rootCauses, unverified),
    ...claimLines('Impact', summary.impact, unverified.has('impact')),
    ...claimLines('Resolution', summary.resolution, unverified.has('resolution')),
    ...claimListLines('Preventive actions', 'preventiveActions', summary.preventiveActions, unverified),
    '',
    '#### Causal technologies',
    '',
  );
  if (classification.causal.length === 0) lines.push('None found.');
  for (const causal of classification.causal) {
    lines.push(
      `- **${text(causal.technology)}**: ${text(causal.role)} (confidence ${formatNumber(causal.confidence)})`,
      ...causal.evidence.map((quote) => `  - “${text(quote)}”`),
    );
  }
  if (classification.unnamedCause !== null) {
    lines.push(`- Unnamed datastore cause: ${text(classification.unnamedCause)}`);
  }
  lines.push('', '#### Mentioned, not causal', '');
  if (classification.mentioned.length === 0) lines.push('None.');
  for (const mention of classification.mentioned) {
    lines.push(`- **${text(mention.technology)}** (${mention.context}): ${text(mention.reason)}`);
  }
  const review = reviewItems(document).map((item) => `- **${text(item.subject)}**: ${text(item.reason)}`);
  if (review.length > 0) lines.push('', '#### Needs review', '', ...review);
  if (document.verification)
    lines.push('', `Verified claims: ${document.verification.verified} of ${document.verification.claims}`);
  lines.push('', '#### Digests', '');
  if (document.digests.length === 0) lines.push('None.');
  for (const digest of document.digests) {
    const factors = digest.contributingFactors.map(text);
    lines.push(
      `- **${text(digest.technology)}**, ${faultCategoryLabel(digest.faultCategory)}: ${digest.sentences.map(text).join(' ')}`,
      `  - Contributing factors: ${factors.length === 0 ? NOT_STATED : factors.join('; ')}`,
    );
  }
  lines.push('');
  return lines;
}

function needsReview(context: ReportContext): string[] {
  const flagged = context.orderedDocuments.filter((document) => context.review.has(document.docId));
  const lines = ['## Needs review', ''];
  if (flagged.length === 0)
    return [...lines, 'Nothing needs review: no review flags and every claim is backed by a verbatim quote.', ''];
  lines.push(`${countOf(flagged.length, 'incident')}, most severe first; \`pmlens review\` records a verdict.`, '');
  for (const document of flagged) {
    const items = context.review.get(document.docId) ?? [];
    lines.push(
      `- ${incidentLink(document.docId, context)}, severity ${text(document.severity ?? UNKNOWN)}: ${items.map((item) => `${text(item.subject)}: ${text(item.reason)}`).join('; ')}`,
    );
  }
  lines.push('');
  return lines;
}

function skippedAndFailed(data: ReportData): string[] {
  const lines = ['## Skipped documents', ''];
  if (data.skipped.length === 0) lines.push('None.');
  for (const skipped of data.skipped) {
    lines.push(`- ${lineStart(skipped.path)}: ${text(skipped.reason)} (${skipped.code})`);
  }
  lines.push('', '## Failed documents', '');
  if (data.failed.length === 0) lines.push('None.');
  for (const failed of data.failed) {
    lines.push(`- ${lineStart(failed.docId)}, stage ${failed.stage}: ${text(failed.reason)}`);
  }
  lines.push('');
  if ((data.warnings ?? []).length > 0) {
    lines.push('## Warnings', '', ...(data.warnings ?? []).map((warning) => `- ${text(warning)}`), '');
  }
  return lines;
}

function approvalLines(data: ReportData): string[] {
  const rows = data.approval ?? [];
  if (rows.length === 0) return ['## Reviewer approval', '', 'No reviews yet (`pmlens review`).', ''];
  return [
    '## Reviewer approval',
    '',
    '| Stage | Prompt version | Up | Down or edited | Approval |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      (row) =>
        `| ${row.stage} | ${text(row.promptVersion)} | ${row.up} | ${row.down} | ${row.approval === null ? 'n/a' : `${Math.round(row.approval * 100)}%`} |`,
    ),
    '',
  ];
}

/**
 * report.md: the whole report as GitHub-flavoured Markdown, executive summary first; every link
 * points inside the file, so it reads the same wherever report/ is copied.
 */
export function renderMarkdown(data: ReportData, options: { changes?: ReportChanges } = {}): string {
  const context = createReportContext(data);
  const views = opportunityViews(data, context.documents, context.review);
  const incidents = [
    '## Incidents',
    '',
    ...(data.documents.length === 0
      ? []
      : ['Most severe first (SEV1, P1, S1 and “critical” read as the same level), then the most recent.', '']),
    ...context.orderedDocuments.flatMap((document) => incident(document, context)),
  ];
  if (data.documents.length === 0) incidents.push('No documents were analysed.', '');
  const lines = [
    ...header(data),
    ...executiveSummary(data, context, views, options.changes),
    ...opportunities(views, context, data),
    ...patterns(data, context),
    ...factorsSectionMarkdown(context.factors, (docId) => incidentLink(docId, context), LIST_LIMIT),
    ...needsReview(context),
    ...quarantineSectionMarkdown(data, (docId) => incidentLink(docId, context)),
    // Injection containment: sentences addressed to a model (src/report/directives.ts).
    ...directivesSectionMarkdown(data, (docId) => incidentLink(docId, context)),
    ...incidents,
    ...skippedAndFailed(data),
    ...approvalLines(data),
  ];
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

/** docs/<docId>.md: one incident on its own page, in the same shape as its section of report.md. */
export function renderDocumentMarkdown(document: ReportDocument): string {
  const context = createReportContext({
    generatedAt: '',
    runId: '',
    engine: { id: '', model: '', version: '' },
    documents: [document],
    patterns: [],
    opportunities: [],
    notRecurring: [],
    noCatalog: [],
    duplicates: [],
    droppedMembers: [],
    skipped: [],
    failed: [],
  });
  const lines = incident(document, context)
    .filter((line) => !line.startsWith('<a id='))
    .map((line) => (line.startsWith('#') ? line.slice(2) : line));
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}
