/**
 * Editorial overrides: a reviewer's edit replaces the model's text in the report, marked
 * " [edited by <reviewer>]". An edit applies while its item id still names a field of the current
 * report: the id hashes the source's content hash, so an override survives reruns and lapses
 * when the source document changes.
 *
 * What an edit replaces, by stage:
 *
 *   summarize  the claim's text (its evidence stays)
 *   analyze    the digest's sentences (one sentence: the correction)
 *   classify   the correction is the document's causal technologies, comma-separated ("none" for
 *              none): a cause not listed moves to "mentioned" (context other); a listed technology
 *              that is not a cause becomes one (confidence 1, the evidence it was mentioned or
 *              flagged with); flags on the edited item's technology are dropped, the reviewer
 *              having decided it. Causes listed and already causal stay as they are.
 */
import type { CausalTechnology, Classification, Claim, ReportData, ReportDocument } from '../schemas/index.ts';
import type { Vote } from '../store/state-store.ts';
import { reviewCandidates, type ReviewItem } from './queue.ts';

export function editedMarker(reviewer: string): string {
  return ` [edited by ${reviewer}]`;
}

export function editedText(correction: string, reviewer: string): string {
  return `${correction.trim()}${editedMarker(reviewer)}`;
}

/** A classify correction as a list of names: comma- (or semicolon-) separated; "none" or "-" for none. */
export function parseTechnologyList(correction: string): string[] {
  const trimmed = correction.trim();
  if (/^(none|-)?$/i.test(trimmed)) return [];
  return [
    ...new Set(
      trimmed
        .split(/[,;]/)
        .map((name) => name.trim())
        .filter((name) => name.length > 0),
    ),
  ];
}

/** The latest edit with a correction per item id. */
export function latestEdits(votes: readonly Vote[]): Map<string, Vote> {
  const edits = new Map<string, Vote>();
  for (const vote of votes) {
    if (vote.vote !== 'edit' || vote.correction === undefined || vote.correction.trim() === '') continue;
    const previous = edits.get(vote.itemId);
    if (!previous || previous.at <= vote.at) edits.set(vote.itemId, vote);
  }
  return edits;
}

function editClaim(claim: Claim, vote: Vote): Claim {
  return { ...claim, text: editedText(vote.correction ?? '', vote.reviewer) };
}

function editSummary(document: ReportDocument, field: string, vote: Vote): ReportDocument {
  const summary = { ...document.summary };
  const indexed = /^(rootCauses|preventiveActions)\[(\d+)\]$/.exec(field);
  if (indexed) {
    const key = indexed[1] as 'rootCauses' | 'preventiveActions';
    const index = Number(indexed[2]);
    summary[key] = summary[key].map((claim, at) => (at === index ? editClaim(claim, vote) : claim));
  } else if (field === 'issue' || field === 'impact' || field === 'resolution') {
    summary[field] = editClaim(summary[field], vote);
  } else return document;
  return { ...document, summary };
}

function editDigest(document: ReportDocument, technology: string, vote: Vote): ReportDocument {
  return {
    ...document,
    digests: document.digests.map((digest) =>
      digest.technology === technology
        ? { ...digest, sentences: [editedText(vote.correction ?? '', vote.reviewer)] }
        : digest,
    ),
  };
}

function editClassification(
  document: ReportDocument,
  item: ReviewItem,
  technology: string,
  vote: Vote,
): ReportDocument {
  const classification: Classification = document.classification;
  const listed = parseTechnologyList(vote.correction ?? '');
  const listedKeys = new Set(listed.map((name) => name.toLowerCase()));
  const marker = editedMarker(vote.reviewer);
  const causal: CausalTechnology[] = [];
  const mentioned = [...classification.mentioned];
  for (const cause of classification.causal) {
    if (listedKeys.has(cause.technology.toLowerCase())) causal.push(cause);
    else
      mentioned.push({
        technology: cause.technology,
        context: 'other',
        reason: `not a cause${marker}`,
        evidence: cause.evidence,
      });
  }
  for (const name of listed) {
    if (causal.some((cause) => cause.technology.toLowerCase() === name.toLowerCase())) continue;
    const mention = mentioned.find((entry) => entry.technology.toLowerCase() === name.toLowerCase());
    const evidence =
      mention && mention.evidence.length > 0
        ? mention.evidence
        : name.toLowerCase() === technology.toLowerCase()
          ? item.evidence
          : [];
    causal.push({
      technology: mention?.technology ?? name,
      role: `a cause${marker}`,
      evidence: evidence.length > 0 ? [...evidence] : [`${vote.correction?.trim() ?? name}${marker}`],
      confidence: 1,
    });
    if (mention) mentioned.splice(mentioned.indexOf(mention), 1);
  }
  const flags = classification.flags.filter((flag) => flag.technology.toLowerCase() !== technology.toLowerCase());
  return { ...document, classification: { ...classification, causal, mentioned, flags } };
}

/**
 * The report with every reviewer's latest edit applied, where the edit's item id still matches an
 * item of the report under the documents' current content hashes (`contentHashes`: docId -> sha256
 * of the source bytes, as in Postmortem.contentHash). Pure: the input report is not modified.
 */
export function applyOverrides(
  report: ReportData,
  votes: readonly Vote[],
  contentHashes: ReadonlyMap<string, string>,
): ReportData {
  const edits = latestEdits(votes);
  if (edits.size === 0) return report;
  const items = reviewCandidates(report, contentHashes).filter((item) => edits.has(item.id));
  if (items.length === 0) return report;
  const documents = report.documents.map((original) => {
    let document = original;
    // Classification edits first: they change the causal list the other items of the document are read from.
    const mine = items
      .filter((item) => item.docId === original.docId)
      .sort((left, right) => Number(right.stage === 'classify') - Number(left.stage === 'classify'));
    for (const item of mine) {
      const vote = edits.get(item.id) as Vote;
      if (item.stage === 'summarize') document = editSummary(document, item.field, vote);
      else if (item.stage === 'analyze') document = editDigest(document, item.field.slice('digest:'.length), vote);
      else document = editClassification(document, item, item.field.slice('causal:'.length), vote);
    }
    return document;
  });
  return { ...report, documents };
}
