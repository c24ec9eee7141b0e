import { NOT_STATED, type Claim, type ReportData, type ReportDocument } from '../schemas/index.ts';
import { encodePath, escapeMarkdown as text, escapeMarkdownLineStart as lineStart } from './escape.ts';
import {
  NO_SINGLE_TECHNOLOGY,
  REPORT_TITLE,
  UNKNOWN,
  claimText,
  countRows,
  faultCategoryLabel,
  formatNumber,
  formatSeverities,
  incidentLabel,
  rankOpportunities,
  reportCounts,
  statedClaims,
} from './format.ts';
import { createReportContext, type ReportContext } from './report-context.ts';

/** Where report.md links an incident: its own document page next to the report. */
export function incidentDocumentPath(docId: string): string {
  return `../docs/${encodePath(docId)}.md`;
}


function anchorLine(anchor: string | undefined): string[] {
  return anchor === undefined ? [] : [`<a id="${anchor}"></a>`, ''];
}

function incidentLink(docId: string, context: ReportContext): string {
  const document = context.documents.get(docId);
  const label = lineStart(incidentLabel(docId, document));
  if (document === undefined) return `${label} (${text(docId)}, not in this report)`;
  return `[${label}](${incidentDocumentPath(docId)}) (${text(docId)})`;
}

function quotes(sentences: readonly string[], indent = ''): string[] {
  return sentences.map((sentence) => `${indent}> “${text(sentence)}”`).flatMap((line) => [line, `${indent}>`]).slice(0, -1);
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
    '| Count | Value |',
    '| --- | --- |',
    ...countRows(reportCounts(data)).map(([label, value]) => `| ${label} | ${value} |`),
    '',
  ];
}

function opportunities(data: ReportData, context: ReportContext): string[] {
  const lines = ['## Opportunities', ''];
  if (data.opportunities.length === 0) return [...lines, 'No opportunities were found.', ''];
  rankOpportunities(data.opportunities).forEach((opportunity, index) => {
    const impact = opportunity.impact;
    const patternLinks = opportunity.patternIds.map((patternId) => {
      const anchor = context.patternAnchors.of(patternId);
      const theme = text(context.patterns.get(patternId)?.theme ?? patternId);
      return anchor === undefined ? `${theme} (not in this report)` : `[${theme}](#${anchor})`;
    });
    lines.push(
      `### ${index + 1}. ${text(opportunity.title)}`,
      '',
      `- Score: ${formatNumber(opportunity.score)}`,
      `- Technology: ${opportunity.technology === null ? NO_SINGLE_TECHNOLOGY : text(opportunity.technology)}`,
      '',
      lineStart(opportunity.rationale),
      '',
      '**Measured impact** (from the incident-metadata file only):',
      '',
      `- Incidents: ${impact.incidents}`,
      `- Incidents with metadata: ${impact.incidentsWithMetadata}`,
      `- Total duration (minutes): ${formatNumber(impact.totalDurationMinutes)}`,
      `- Customers affected: ${formatNumber(impact.totalCustomersAffected)}`,
      `- Cost: ${formatNumber(impact.totalCost)}`,
      `- Severities: ${text(formatSeverities(impact.severities))}`,
      '',
      `**Patterns:** ${patternLinks.join(', ')}`,
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
  const lines = ['## Recurring failure patterns', ''];
  if (data.patterns.length === 0) return [...lines, 'No recurring failure patterns were found.', ''];
  for (const pattern of data.patterns) {
    const factors = pattern.contributingFactors.map(text);
    lines.push(
      ...anchorLine(context.patternAnchors.of(pattern.id)),
      `### ${text(pattern.theme)}`,
      '',
      `- Technology: ${text(pattern.technology)}`,
      `- Fault category: ${faultCategoryLabel(pattern.faultCategory)}`,
      `- Incidents: ${pattern.count}`,
      `- Contributing factors: ${factors.length === 0 ? NOT_STATED : factors.join('; ')}`,
      '',
      lineStart(pattern.description),
      '',
      ...(pattern.evidence.length === 0 ? [] : ['**Evidence:**', '', ...quotes(pattern.evidence), '']),
      '**Supporting incidents:**',
      '',
      ...pattern.incidentIds.map((docId) => `- ${incidentLink(docId, context)}`),
      '',
    );
  }
  return lines;
}

function claimLines(label: string, claim: Claim): string[] {
  const evidence = claim.evidence.map((quote) => `  - “${text(quote)}”`);
  return [`- **${label}:** ${text(claimText(claim))}`, ...evidence];
}

function claimListLines(label: string, claims: readonly Claim[]): string[] {
  const stated = statedClaims(claims);
  if (stated.length === 0) return [`- **${label}:** ${NOT_STATED}`];
  return [
    `- **${label}:**`,
    ...stated.flatMap((claim) => [
      `  - ${lineStart(claim.text)}`,
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
    `- Details: [document page](${incidentDocumentPath(document.docId)})`,
    '',
    '#### Summary',
    '',
    ...claimLines('Issue', summary.issue),
    ...claimListLines('Root causes', summary.rootCauses),
    ...claimLines('Impact', summary.impact),
    ...claimLines('Resolution', summary.resolution),
    ...claimListLines('Preventive actions', summary.preventiveActions),
    '',
    '#### Causal technologies',
    '',
  ];
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
  const flags = classification.flags.map((flag) => `- **${text(flag.technology)}** (${flag.kind}): ${text(flag.reason)}`);
  const unverified = (document.verification?.unverified ?? []).map(
    (claim) => `- ${claim.stage} · ${text(claim.field)}: ${claim.quote === null ? 'no evidence cited' : `“${text(claim.quote)}” is not in the document`}`,
  );
  if (flags.length + unverified.length > 0) lines.push('', '#### Needs review', '', ...flags, ...unverified);
  if (document.verification) lines.push('', `Verified claims: ${document.verification.verified} of ${document.verification.claims}`);
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
    ...rows.map((row) => `| ${row.stage} | ${text(row.promptVersion)} | ${row.up} | ${row.down} | ${row.approval === null ? 'n/a' : `${Math.round(row.approval * 100)}%`} |`),
    '',
  ];
}

/** report.md: the whole report as GitHub-flavoured Markdown; incident links point to ../docs/<docId>.md. */
export function renderMarkdown(data: ReportData): string {
  const context = createReportContext(data);
  const incidents = ['## Incidents', '', ...data.documents.flatMap((document) => incident(document, context))];
  if (data.documents.length === 0) incidents.push('No documents were analysed.', '');
  const lines = [
    ...header(data),
    ...opportunities(data, context),
    ...patterns(data, context),
    ...incidents,
    ...skippedAndFailed(data),
    ...approvalLines(data),
  ];
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
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
    skipped: [],
    failed: [],
  });
  const lines = incident(document, context)
    .filter((line) => !line.startsWith('- Details: [document page]') && !line.startsWith('<a id='))
    .map((line) => (line.startsWith('#') ? line.slice(2) : line));
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}
