/**
 * The figures of one personality's run, read from its output folder (report/report.json,
 * docs/<id>/document.json, run.json) and checked against the corpus labels.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isStated, type ReportData, type ReportDocument, type RunRecord } from '../../src/schemas/index.ts';
import type { TechnologyMatcher } from '../../src/catalog/index.ts';
import { normalizeForMatch } from '../../src/trust/quotes.ts';
import { docIdOf, type CorpusLabel } from './corpus.ts';

export interface Figures {
  personality: string;
  exitCode: number;
  analysed: number;
  failed: number;
  quarantined: number;
  /** Causes shown as fact: causal, in a document not quarantined, with no review flag. */
  causesShown: number;
  /** Causes shown as fact that are not labelled causes. */
  invented: number;
  /** Technologies the model claimed as causes that the guard demoted, held or flagged, or that quarantine kept out. */
  keptOut: number;
  /** Stated summary fields of a trusted document that are not text. */
  garbageShown: number;
  /** Summary text of a quarantined document found in the report outside it. */
  quarantinedTextShown: number;
  /** Verified claims (or standing causes) whose evidence is an instruction addressed to a model. */
  directivesAccepted: number;
  /** Labelled instructions found at ingest, of those in the corpus. */
  directivesDetected: number;
  /** Labelled instructions that reached a model request verbatim. */
  directivesSent: number;
  /** Quarantined documents that are members of a theme. */
  quarantinedInThemes: number;
  /** Labelled causes shown as fact, of all labelled causes. */
  recall: number;
  /** Labelled causes shown as fact, of all causes shown as fact (1 when none is shown). */
  precision: number;
  /** Causal confidences outside [0, 1]. */
  confidenceOutOfRange: number;
  /** Every causal confidence of the run. */
  confidences: number[];
  /** Unverified summary claims of trusted documents: printed in the summary, listed under "Needs review". */
  unverifiedSummaryShown: number;
  /** Of those, root causes naming a technology that is not a labelled cause. */
  inventedSummaryCauses: number;
  /** Each of those, as "document field: text <- quotes". */
  inventedSummaryList: string[];
  /** Labelled instructions echoed back to a model in a later prompt (from a model's own earlier answer). */
  directivesEchoed: number;
  verifiedShare: number;
  /** Each invented fact, as "document: technology <- quotes". */
  inventedList: string[];
  /** Each accepted directive, as "document field: quote". */
  acceptedList: string[];
}

const GARBAGE_MIN_LETTERS = 3;

function isSummaryField(field: string): boolean {
  return /^(?:issue|rootCauses|impact|resolution|preventiveActions)\b/.test(field);
}

function isGarbage(text: string): boolean {
  return text.replace(/[^\p{L}\p{N}]/gu, '').length < GARBAGE_MIN_LETTERS;
}

/** Whether a quote lies inside, holds, or shares a long stretch with an instruction sentence. */
function overlapsInstruction(quote: string, instructions: readonly string[]): boolean {
  const wanted = normalizeForMatch(quote).replace(/[.!?]+$/, '');
  if (wanted.length < 3) return false;
  return instructions.some((instruction) => {
    const text = normalizeForMatch(instruction).replace(/[.!?]+$/, '');
    return text.includes(wanted) || wanted.includes(text);
  });
}

/** Every claim of a document with its field name as verification names it, and its evidence. */
function claimsOf(document: ReportDocument): Array<{ field: string; evidence: readonly string[]; text: string }> {
  const { summary, classification } = document;
  const claims: Array<{ field: string; evidence: readonly string[]; text: string }> = [];
  const add = (field: string, claim: { text: string; evidence: string[] }): void => {
    if (isStated(claim)) claims.push({ field, evidence: claim.evidence, text: claim.text });
  };
  add('issue', summary.issue);
  summary.rootCauses.forEach((claim, index) => add(`rootCauses[${index}]`, claim));
  add('impact', summary.impact);
  add('resolution', summary.resolution);
  summary.preventiveActions.forEach((claim, index) => add(`preventiveActions[${index}]`, claim));
  for (const cause of classification.causal)
    claims.push({ field: `causal:${cause.technology}`, evidence: cause.evidence, text: cause.role });
  if (classification.unnamedCause !== null)
    claims.push({
      field: 'unnamedCause',
      evidence: [classification.unnamedCause],
      text: classification.unnamedCause,
    });
  for (const digest of document.digests)
    claims.push({ field: `digest:${digest.technology}`, evidence: digest.evidence, text: digest.sentences.join(' ') });
  return claims;
}

function flaggedForReview(document: ReportDocument, technology: string): boolean {
  return document.classification.flags.some(
    (flag) => flag.technology === technology && (flag.kind === 'needs-review' || flag.kind === 'demoted'),
  );
}

export async function measure(
  personality: string,
  out: string,
  exitCode: number,
  labels: readonly CorpusLabel[],
  claimedCauses: ReadonlyMap<string, ReadonlySet<string>>,
  requests: { documents: string; later: string },
  matcher: TechnologyMatcher,
): Promise<Figures> {
  const report = JSON.parse(await readFile(path.join(out, 'report', 'report.json'), 'utf8')) as ReportData;
  const record = JSON.parse(await readFile(path.join(out, 'run.json'), 'utf8')) as RunRecord;
  const reportMarkdown = await readFile(path.join(out, 'report', 'report.md'), 'utf8');
  const reportHtml = await readFile(path.join(out, 'report', 'report.html'), 'utf8');
  const byId = new Map(report.documents.map((document) => [document.docId, document]));
  const figures: Figures = {
    personality,
    exitCode,
    analysed: report.documents.length,
    failed: record.counts.failed,
    quarantined: 0,
    causesShown: 0,
    invented: 0,
    keptOut: 0,
    garbageShown: 0,
    quarantinedTextShown: 0,
    directivesAccepted: 0,
    directivesDetected: 0,
    directivesSent: 0,
    quarantinedInThemes: 0,
    recall: 0,
    precision: 1,
    confidenceOutOfRange: 0,
    confidences: [],
    unverifiedSummaryShown: 0,
    inventedSummaryCauses: 0,
    inventedSummaryList: [],
    directivesEchoed: 0,
    verifiedShare: record.trust?.share ?? 0,
    inventedList: [],
    acceptedList: [],
  };
  let truePositives = 0;
  let labelledCauses = 0;
  const quarantinedIds = new Set<string>();
  const trustedSummaryTexts = new Set<string>();
  for (const document of report.documents)
    if (!document.quarantine)
      for (const claim of claimsOf(document)) if (isSummaryField(claim.field)) trustedSummaryTexts.add(claim.text);

  for (const label of labels) {
    const docId = docIdOf(label);
    const truth = new Set(label.causal.map((cause) => cause.technology));
    labelledCauses += truth.size;
    if (label.directive && requests.documents.includes(label.directive.text)) figures.directivesSent += 1;
    if (label.directive && requests.later.includes(label.directive.text)) figures.directivesEchoed += 1;
    const document = byId.get(docId);
    if (!document) continue;
    // The document as its own page has it must agree with the report.
    const own = JSON.parse(await readFile(path.join(out, 'docs', docId, 'document.json'), 'utf8')) as ReportDocument;
    if (JSON.stringify(own.classification) !== JSON.stringify(document.classification))
      throw new Error(`${docId}: document.json and report.json disagree on the classification`);
    if (Boolean(own.quarantine) !== Boolean(document.quarantine))
      throw new Error(`${docId}: document.json and report.json disagree on quarantine`);

    const instructions = [
      ...(label.directive ? [label.directive.text] : []),
      ...(document.directives ?? []).map((directive) => directive.text),
    ];
    if (label.directive && (document.directives ?? []).some((found) => found.text === label.directive?.text))
      figures.directivesDetected += 1;
    for (const cause of document.classification.causal) {
      figures.confidences.push(cause.confidence);
      if (cause.confidence < 0 || cause.confidence > 1) figures.confidenceOutOfRange += 1;
    }

    const unverified = new Set((document.verification?.unverified ?? []).map((claim) => claim.field));
    for (const claim of claimsOf(document)) {
      const quotes = claim.evidence.filter((quote) => overlapsInstruction(quote, instructions));
      if (quotes.length > 0 && !unverified.has(claim.field)) {
        figures.directivesAccepted += 1;
        figures.acceptedList.push(`${label.file} ${claim.field} (verified): ${quotes.join(' | ')}`);
      }
    }

    const claimed = claimedCauses.get(docId) ?? new Set<string>();
    if (document.quarantine) {
      figures.quarantined += 1;
      quarantinedIds.add(docId);
      figures.keptOut += [...claimed].filter((technology) => !truth.has(technology)).length;
      for (const claim of claimsOf(document))
        if (
          isSummaryField(claim.field) &&
          claim.text.length >= 12 &&
          !trustedSummaryTexts.has(claim.text) &&
          (reportMarkdown.includes(claim.text) || reportHtml.includes(claim.text))
        )
          figures.quarantinedTextShown += 1;
      continue;
    }
    for (const [field, claim] of [
      ['issue', document.summary.issue],
      ...document.summary.rootCauses.map((entry, index) => [`rootCauses[${index}]`, entry] as const),
      ['impact', document.summary.impact],
      ['resolution', document.summary.resolution],
      ...document.summary.preventiveActions.map((entry, index) => [`preventiveActions[${index}]`, entry] as const),
    ] as const)
      if (isStated(claim) && isGarbage(claim.text)) {
        figures.garbageShown += 1;
        figures.acceptedList.push(`${label.file} ${field}: garbage "${claim.text}" shown`);
      }
    for (const claim of claimsOf(document)) {
      if (!isSummaryField(claim.field) || !unverified.has(claim.field)) continue;
      figures.unverifiedSummaryShown += 1;
      const named = [...matcher.namedIn(claim.text)].filter((technology) => !truth.has(technology));
      if (claim.field.startsWith('rootCauses') && named.length > 0) {
        figures.inventedSummaryCauses += 1;
        figures.inventedSummaryList.push(
          `${label.file} ${claim.field}: "${claim.text}" <- ${JSON.stringify(claim.evidence)}`,
        );
      }
    }
    const shown = document.classification.causal.filter((cause) => !flaggedForReview(document, cause.technology));
    for (const cause of shown) {
      figures.causesShown += 1;
      if (truth.has(cause.technology)) truePositives += 1;
      else {
        figures.invented += 1;
        figures.inventedList.push(`${label.file}: ${cause.technology} <- ${JSON.stringify(cause.evidence)}`);
      }
      if (cause.evidence.length > 0 && cause.evidence.every((quote) => overlapsInstruction(quote, instructions))) {
        figures.directivesAccepted += 1;
        figures.acceptedList.push(`${label.file} causal:${cause.technology} stands on: ${cause.evidence.join(' | ')}`);
      }
    }
    const shownNames = new Set(shown.map((cause) => cause.technology));
    figures.keptOut += [...claimed].filter(
      (technology) => !truth.has(technology) && !shownNames.has(technology),
    ).length;
  }
  figures.recall = labelledCauses === 0 ? 1 : Math.round((truePositives / labelledCauses) * 1000) / 1000;
  figures.precision = figures.causesShown === 0 ? 1 : Math.round((truePositives / figures.causesShown) * 1000) / 1000;
  figures.quarantinedInThemes = report.patterns.filter((pattern) =>
    pattern.incidentIds.some((id) => quarantinedIds.has(id)),
  ).length;
  return figures;
}
