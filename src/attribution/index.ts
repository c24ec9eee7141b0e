/**
 * Attribution reading: what the words around a technology's name say about it causing an
 * incident. Neutral ground for the offline engine (which scores candidates with it) and the
 * attribution guard (which checks the quotes an engine cites with it); neither imports the other.
 */
export {
  CAUSAL_CUE,
  CONFIRMATION,
  FAILURE_STATE,
  GENERIC_DATASTORE,
  HEALTH_READING,
  healthReadingIn,
  NEGATION,
  PROPOSAL,
  SUSPICION,
  UPSTREAM,
  VICTIM,
} from './cues.ts';
export { clauseAt, clauseBefore, terseClauseAt, terseSentenceAt } from './clauses.ts';
export {
  afterRedirection,
  BACKGROUND_CLAUSE,
  DENIED_AFTER_NAME,
  deniedThenOversized,
  EXONERATION,
  EXTERNAL_FAULT,
  generalRule,
  inObjectPosition,
  inProviderOutageList,
  inQuestion,
  inReportedSpeech,
  INFRASTRUCTURE_FAULT,
  isToolFor,
  kindRuleSubject,
  LIMIT_REACHED,
  limitReached,
  misconfiguredSetting,
  namedParameterChanged,
  OWN_BEHAVIOUR,
  ownCertificateFault,
  parameterShownWrong,
  quotationLeadIn,
  recordOverSizeLimit,
  redirectedAway,
  thirdPartyLeadIn,
  REDIRECTION,
  upstreamIn,
} from './structure.ts';
export {
  insideIdentifier,
  insideSlug,
  insideUrl,
  ownFlagOrCommand,
  ownFlagOrCommandAt,
  URL_PATTERN,
} from './identifiers.ts';
export { CAUSE_BEARING_ROLES, causeWeightOf, LINE_STAMP, ROLE_WEIGHT, underStatusHeading } from './sections.ts';
export { assess, clearsOutright, OPENING_DENIAL, type MentionAssessment, type SentenceNames } from './mention.ts';
export { FAILURE_LANGUAGE, isCausalContext, type CausalContext } from './causal-context.ts';
