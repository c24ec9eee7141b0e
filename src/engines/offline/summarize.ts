import { notStated, type Claim, type Postmortem, type SectionRole, type Summary } from '../../schemas/index.ts';
import { sentencesOf, type SourceSentence } from '../../text/sentences.ts';
import { CAUSAL_CUE, FAILURE_STATE } from '../../attribution/index.ts';

const IMPACT_CUE =
  /\b(customers?|users?|requests?|errors?|orders?|transactions?|players?|patients?|drivers?|riders?|merchants?|tenants?|\d+(\.\d+)? ?%|\d+ ?(minutes?|mins?|hours?|hrs?)|outage|unavailable|degraded|downtime|failed|could not|couldn'?t|unable)\b/i;
const RESOLUTION_CUE =
  /\b(mitigat\w*|resolv\w*|rolled back|roll(ed)? ?back|revert\w*|restart\w*|restor\w*|recover\w*|fixed|failed over|scaled (up|out)|increas\w*|raised|killed|removed|disabled|re-?enabled|back to normal|fully recovered|cleared)\b/i;
const ROOT_CAUSE_PHRASE =
  /\b(root[- ]?cause|caused by|was caused|due to|because|the cause|trigger(ed)? by|stemm(ed|ing) from|the reason)\b|(?:^|\s)(?:cause|rc):/i;

function words(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

function claimOf(sentences: readonly SourceSentence[]): Claim {
  if (sentences.length === 0) return notStated();
  return {
    text: sentences.map((sentence) => sentence.text).join(' '),
    evidence: sentences.map((sentence) => sentence.text),
  };
}

function inRoles(sentences: readonly SourceSentence[], roles: readonly SectionRole[]): SourceSentence[] {
  return sentences.filter((sentence) => roles.includes(sentence.role));
}

/** Prose sentences that say something: enough words, not a bare timestamp or label. */
function substantive(sentences: readonly SourceSentence[]): SourceSentence[] {
  return sentences.filter((sentence) => words(sentence.text) >= 5);
}

function issueOf(sentences: readonly SourceSentence[]): Claim {
  const summary = substantive(inRoles(sentences, ['summary'])).filter((sentence) => !sentence.isListItem);
  if (summary.length > 0) {
    const firstFailing = summary.findIndex(
      (sentence) => FAILURE_STATE.test(sentence.text) || IMPACT_CUE.test(sentence.text),
    );
    const start = Math.max(0, Math.min(firstFailing, 2));
    return claimOf(summary.slice(start, start + 2));
  }
  const failing = substantive(sentences).find(
    (sentence) =>
      !['action-items', 'lessons', 'references', 'background'].includes(sentence.role) &&
      FAILURE_STATE.test(sentence.text),
  );
  return claimOf(failing ? [failing] : []);
}

function rootCausesOf(sentences: readonly SourceSentence[]): Claim[] {
  const section = substantive(inRoles(sentences, ['root-cause']));
  let chosen = section.filter((sentence) => CAUSAL_CUE.test(sentence.text) || FAILURE_STATE.test(sentence.text));
  if (chosen.length === 0) chosen = section;
  if (chosen.length === 0) {
    chosen = substantive(sentences).filter(
      (sentence) =>
        !['action-items', 'lessons', 'references'].includes(sentence.role) && ROOT_CAUSE_PHRASE.test(sentence.text),
    );
  }
  return chosen.slice(0, 3).map((sentence) => claimOf([sentence]));
}

function impactOf(sentences: readonly SourceSentence[]): Claim {
  const section = substantive(inRoles(sentences, ['impact']));
  if (section.length > 0) return claimOf(section.slice(0, 2));
  const cued = substantive(inRoles(sentences, ['summary', 'other'])).filter(
    (sentence) => IMPACT_CUE.test(sentence.text) && !ROOT_CAUSE_PHRASE.test(sentence.text),
  );
  return claimOf(cued.slice(0, 2));
}

function resolutionOf(sentences: readonly SourceSentence[]): Claim {
  const section = substantive(inRoles(sentences, ['resolution']));
  if (section.length > 0) return claimOf(section.slice(0, 2));
  const cued = substantive(inRoles(sentences, ['timeline', 'summary', 'other'])).filter((sentence) =>
    RESOLUTION_CUE.test(sentence.text),
  );
  return claimOf(cued.slice(0, 2));
}

function preventiveActionsOf(sentences: readonly SourceSentence[]): Claim[] {
  return inRoles(sentences, ['action-items'])
    .filter((sentence) => words(sentence.text) >= 3)
    .slice(0, 10)
    .map((sentence) => claimOf([sentence]));
}

/** An extractive summary: every field is made of the document's own sentences, or "not stated". */
export function summarizeOffline(postmortem: Postmortem): Summary {
  const sentences = sentencesOf(postmortem);
  return {
    docId: postmortem.id,
    issue: issueOf(sentences),
    rootCauses: rootCausesOf(sentences),
    impact: impactOf(sentences),
    resolution: resolutionOf(sentences),
    preventiveActions: preventiveActionsOf(sentences),
  };
}
