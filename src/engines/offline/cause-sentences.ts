/**
 * What one sentence asserts, for the offline summary: whether it states a cause, how plainly, or
 * whether it is talk about the write-up itself, a component cleared, a step of the investigation,
 * a byline or a status stamp. Nothing here names a document; every example is invented.
 */
import { CAUSAL_CUE, EXONERATION } from '../../attribution/index.ts';
import { CLEARED } from './fault-categories.ts';

/**
 * The writer talking about the write-up rather than the incident: "This post explains why ...",
 * "I'm writing this because ...", "We want to be clear about one thing", "We'll share a summary
 * below." A sentence opening with a first-person subject and an auxiliary before a verb of writing,
 * telling or clarifying (inside a sentence, "the report we'd publish" may be part of a fact).
 */
const ABOUT_THE_WRITE_UP =
  /\b(?:this|the following) (?:post|write-?up|document|report|review|note|page|account|e-?mail|thread|summary)\b(?! (?:was|were) (?:caused|triggered))|^(?:(?:so|and|but|also|first|here),? )?(?:i|we)(?:['\u2019](?:m|re|ll|d|ve)| am| are| will| would| want(?:ed)? to| would like to| have to| had to)(?: like to| want to| be)? (?:(?:be )?(?:clear|precise|specific|honest|transparent)\b|writ(?:e|ing)\b|publish(?:ing)?\b|shar(?:e|ing)\b|cover(?:ing)?\b|walk(?:ing)? (?:you )?through\b|explain(?:ing)?\b|record(?:ing)?\b|post(?:ing)?\b|start(?:ing)? with\b)/i;
/** The readers asked, or the point came up elsewhere: "since several of you asked", "because two people asked". */
const ASKED =
  /\b(?:many|several|a few|some|two|three|a couple) of you(?: have)? (?:asked|wondered|noticed|wanted)\b|\b(?:(?:many|several|a few|some|two|three|a couple of) )?(?:people|folks|readers)(?: have)? (?:asked|wondered)\b|\bcame up (?:in|during) (?:the|our) (?:review|meeting|retro|thread|call)\b/i;
/** A pointer to another part of the document: "The details are below.", "as described above", "worth telling". */
const POINTER =
  /\b(?:(?:is|are|follows?|see|given|described|explained|detailed|summari[sz]ed|written up|covered)(?: in full)? (?:below|above|later|in the (?:next|following|previous|last) section)|(?:review|write-?up|report|postmortem|post-incident review|update|details) (?:will|to) follow\b|as follows[.:]?\s*$|\b(?:is|are) linked (?:at the (?:bottom|top|end)|below|above|here)\b|\bhere(?:['\u2019]s| is) (?:the|a) (?:short|shorter|quick|brief|full|long(?:er)?) (?:version|summary|account|story)\b|\b(?:longer|full|fuller|short(?:er)?|detailed) (?:answer|version|story|explanation|account)\b[^.]{0,20}\b(?:below|above|follows)\b|worth (?:telling|writing(?: down)?|recording|noting|explaining|sharing|a note))/i;
/** A cause said to be found without saying what it is: "We have identified the cause." */
const CAUSE_WITHOUT_CONTENT =
  /\b(?:identif(?:y|ied|ies)|found|find|locat(?:e|ed)|isolat(?:e|ed)|pinpoint(?:ed)?|determin(?:e|ed)|know|understand|confirm(?:ed)?|investigating|looking (?:into|for))\s+(?:the|a|its|their)\s+(?:(?:root|underlying|likely|probable|exact|actual)\s+)?(?:cause|reason|culprit|source|trigger|issue|problem)(?:\s+of\s+(?:the|this)\s+\w+)?[.!]?\s*$/i;

/**
 * An apology to the readers: "We are sorry for the confusion this caused", "We apologise for the trouble", "Sorry
 * to everyone who missed a delivery because of this". Its "caused" and "because" point at the incident as a whole.
 * A confession that goes on to say what was done ("sorry, it is me. I clicked it three times") is not one.
 */
const APOLOGY =
  /^(?:(?:and|but|again|once again),?\s+)?(?:(?:we|i)(?:['\u2019](?:re|m)|\s+are|\s+am)\s+(?:(?:so|very|truly|deeply|really|sincerely)\s+)?sorry\b|(?:we|i)\s+(?:(?:sincerely|deeply|truly|unreservedly)\s+)?apologi[sz]e\b|(?:our\s+)?(?:sincere\s+)?apologies\b|sorry\s+(?:to|for)\b)/i;

/** A sentence about the write-up, pointing elsewhere in it, or apologising: it states no fact of the incident. */
export function isMetaSentence(text: string): boolean {
  return (
    ABOUT_THE_WRITE_UP.test(text) ||
    ASKED.test(text) ||
    POINTER.test(text) ||
    CAUSE_WITHOUT_CONTENT.test(text) ||
    APOLOGY.test(text)
  );
}

/**
 * A step of the investigation, or a component set aside: "Our first hypothesis was the queue",
 * "we went straight to the cache dashboards", "it was a victim like everything else", "the
 * database was not the cause". It tells what did NOT fault, or what was only suspected.
 */
const SET_ASIDE =
  /\b(?:(?:first|initial|early|leading|original|obvious) (?:hypothesis|theory|suspect|guess|instinct|thought|suspicion|assumption)|first thing (?:i|we) (?:looked at|checked|suspected)|went straight (?:to|for)|(?:we|i) chased|(?:we|i) (?:genuinely |initially |first |wrongly )?(?:believed|thought|assumed|suspected)\b|(?:behaved|performed|worked|operated|ran) (?:normally|as documented)\b|(?:considered|looked at|checked) and (?:dismissed|ruled out|discarded|rejected)|(?:was|is|were|are)(?:n't| not) (?:a|an) (?:[\w-]+ ){1,2}(?:problem|issue)|(?:a|the) (?:victim|symptom),? not\b|(?:downstream|a victim|a symptom) of\b|not (?:the|a|part of the) (?:root )?cause|(?:were|was|is|are) not (?:involved|affected)|nothing (?:in|about) (?:our|the) [\w ,]{0,40}(?:was|were) (?:involved|at fault)|(?:^|; |: )no (?:[\w-]+ ){0,4}(?:was|were)? ?involved)\b/i;

/** True for a sentence that clears a component or tells an investigation step instead of a cause. */
export function clearsInsteadOfCausing(text: string): boolean {
  return CLEARED.test(text) || EXONERATION.test(text) || SET_ASIDE.test(text);
}

/**
 * A byline, a distribution line or a run of header fields: "Acme Docs · Customer RCA · 3 May",
 * "Authors: A. Writer, B. Editor.", "Date of incident: 3 May Published: 5 May".
 */
const FIELD_SEPARATORS = /\s[\u00b7\u2022]\s/g;
const HEADER_LABEL =
  /^(?:distribution|audience|authors?|written (?:up )?by|prepared by|compiled by|posted by|published|date of incident|incident date|owner|reviewed (?:in|by)|circulated to|last edited|status|severity|sev|priority|reporter|assignee|component|ic|scribe|on-?call|version)\b/i;
const LABELLED_FIELD = /(?:^|\s)[A-Z][A-Za-z -]{1,24}:\s/g;

/** True for a byline, a distribution note or a line of header fields. */
export function isHeaderLine(text: string): boolean {
  if ((text.match(FIELD_SEPARATORS) ?? []).length >= 2) return true;
  if (HEADER_LABEL.test(text) && /^[^:]{0,30}(?::|\bby\b)/i.test(text)) return true;
  return (text.match(LABELLED_FIELD) ?? []).length >= 3;
}

/** A status update that says the incident is over or being watched: its stamp leads ("Resolved — 3 May 10:02"). */
const CLOSING_STATUS =
  /^(?:update(?: \d+)?\s*[-\u2013\u2014\u00b7]\s*)?(?:\[(?:resolved|monitoring|completed)\]|(?:resolved|monitoring|completed|postmortem)\s*[-\u2013\u2014\u00b7(:,])/i;

/** True for a status update that closes the incident: it tells the recovery, not the issue. */
export function isClosingStatus(text: string): boolean {
  return CLOSING_STATUS.test(text);
}

/** A label introducing what was done, not what failed: "Fix: ...", "Next time: ...", "Actions: ...". */
const REMEDIATION_LEAD =
  /^(?:fix(?:ed)?|resolution|resolved|mitigation|mitigated|remediation|workaround|recovery|recovered|actions?(?: items?)?|follow-?ups?|next steps?|next time|what changes|changes(?: we(?: have)? made)?|lessons?(?: learned)?)\s*:/i;

/** True for a labelled remediation or action line: what was or will be done, not the cause. */
export function isRemediation(text: string): boolean {
  return REMEDIATION_LEAD.test(text);
}

/** A short lead-in to a list that says nothing by itself: "Two things grew the database:", "What still needs deciding:". */
export function isLeadIn(text: string): boolean {
  return /:\s*$/.test(text) && text.split(/\s+/).length <= 12;
}

/**
 * A cause stated outright: the cause named as the subject or after a label ("The root cause was
 * a stale lock", "Cause: a full disk"), or a passive "caused by", "triggered by", "stemmed from".
 */
const EXPLICIT_CAUSE =
  /\b(?:root[- ]?cause|(?:the|a|our|its|their) (?:\w+ )?(?:cause|reason|culprit|trigger))\b[^.?!]{0,40}?\b(?:is|was|were|are|lies|lay|being)\b\s+\S|(?:^|[\s(])(?:root[- ]?cause|cause|rc|trigger)\s*[:=]\s*\S|\b(?:caused|triggered|started|brought on) by\b|\bstemm(?:ed|ing|s) from\b|\bresult(?:ed|s|ing)? from\b|\b(?:boils|boiled|came|comes) down to\b|\btraced (?:it |this |them |the \w+ )?(?:back )?to\b|\bturned out to be\b/i;

/**
 * How plainly a sentence states a cause: 3 outright (EXPLICIT_CAUSE), 2 a causal link ("because",
 * "due to", "led to", "X caused Y"), 1 a cause word alone, 0 none. Talk about the write-up and
 * components set aside state none.
 */
export function causeStrength(text: string): number {
  if (isMetaSentence(text) || clearsInsteadOfCausing(text) || isHeaderLine(text) || ratesTheIncident(text)) return 0;
  if (EXPLICIT_CAUSE.test(text)) return 3;
  if (CAUSAL_CUE.test(text)) return 2;
  return /\bcause\b/i.test(text) ? 1 : 0;
}

/**
 * Why the incident got its severity, or a line labelled as its impact: "We rated it SEV1 because
 * checkout was down", "sev2 because of the refunds", "Severity stays Critical because of the
 * exposure", "dana: impact for review: 40 min of ...". Its "because" explains the rating, not the
 * incident.
 */
const SEVERITY_RATIONALE = /\b(?:sev(?:erity)?[- ]?\d|p[0-4]|severity)\b[^.;:]{0,30}?\bbecause\b/i;
const IMPACT_LINE = /^(?:[\w.-]+(?: [\w.-]+)?:\s+)?impact\b[^:.]{0,20}:/i;

/** True for a sentence that rates the incident or labels its impact: neither its cause nor its issue. */
export function ratesTheIncident(text: string): boolean {
  return SEVERITY_RATIONALE.test(text) || IMPACT_LINE.test(text);
}

/** True for a sentence a summary should not offer as a cause nor as the issue. */
export function isDebris(text: string): boolean {
  return isMetaSentence(text) || isHeaderLine(text) || isRemediation(text) || isLeadIn(text) || ratesTheIncident(text);
}
