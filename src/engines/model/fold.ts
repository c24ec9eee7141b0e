import { estimateTokens } from '../../models/language-model.ts';
import { addUsage, NO_USAGE, type FoldIncident, type ThemeDraft, type Usage } from '../engine.ts';

/** Calls the model on one batch of rendered items; returns the themes it proposes. */
export type FoldCall = (
  body: string,
  level: number,
) => Promise<{ drafts: ThemeDraft[]; usage: Usage; warnings: string[] }>;

export interface FoldOutcome {
  drafts: ThemeDraft[];
  usage: Usage;
  warnings: string[];
}

interface Item {
  /** What the model cites for this item: the incident id (first level) or the theme's handle ("T3"). */
  handle: string;
  incidentIds: string[];
  text: string;
  fallback: ThemeDraft;
}

/** Evidence lines a theme shows the next level: enough to judge its mechanism, bounded whatever its size. */
export const SAMPLE_EVIDENCE = 3;

function renderIncident(incident: FoldIncident): Item {
  // The model reads the cause sentences only, as before the offline fold also read the impact and
  // remedies after them: the prompt does not tell the two apart.
  const causes = incident.sentences.slice(0, incident.causeSentences);
  const text = [
    `incident ${incident.docId} | ${incident.faultCategory} | technologies: ${incident.technologies.join(', ') || 'none from the catalog'} | factors: ${incident.contributingFactors.join(', ') || 'none'}`,
    ...causes.map((sentence) => `  ${sentence}`),
  ].join('\n');
  const first = causes[0] ?? `A ${incident.faultCategory} incident`;
  return {
    handle: incident.docId,
    incidentIds: [incident.docId],
    text,
    fallback: {
      theme: first.length > 120 ? `${first.slice(0, 117)}...` : first,
      description: causes.slice(0, 2).join(' ') || first,
      faultCategory: incident.faultCategory,
      contributingFactors: incident.contributingFactors,
      incidentIds: [incident.docId],
      evidence: causes.slice(0, 1).map((quote) => ({ incidentId: incident.docId, quote })),
    },
  };
}

/**
 * A theme of an earlier level, cited by its handle: its members and their evidence stay with the
 * system, the model sees a bounded sample, so a theme of any size still fits and can still merge.
 */
function renderDraft(draft: ThemeDraft, handle: string): Item {
  const text = [
    `theme ${handle} | ${draft.faultCategory} | ${draft.incidentIds.length} incident(s) | ${draft.theme}`,
    `  ${draft.description}`,
    `  factors: ${draft.contributingFactors.join(', ') || 'none'}`,
    ...draft.evidence.slice(0, SAMPLE_EVIDENCE).map((evidence) => `  example: ${evidence.quote}`),
  ].join('\n');
  return { handle, incidentIds: draft.incidentIds, text, fallback: draft };
}

/** Greedy batches under a token budget; an item larger than the budget travels alone (never cut). */
export function batchByBudget<T>(items: readonly T[], tokensOf: (item: T) => number, budget: number): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let used = 0;
  for (const item of items) {
    const tokens = tokensOf(item);
    if (current.length > 0 && used + tokens > budget) {
      batches.push(current);
      current = [];
      used = 0;
    }
    current.push(item);
    used += tokens;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * Read the model's drafts against the batch: a draft's incidentIds are the handles it cites (an
 * incident id, or a theme's "T3"), expanded to their members, with the members' evidence carried
 * over (a first-level draft's own quotes come first). A handle cited twice stays with the first
 * draft; a handle not in the batch is dropped; an item no draft cites comes back as it was.
 */
function reconcile(drafts: ThemeDraft[], batch: Item[], warnings: string[]): ThemeDraft[] {
  const byHandle = new Map(batch.map((item) => [item.handle, item]));
  const taken = new Set<string>();
  const cleaned: ThemeDraft[] = [];
  for (const draft of drafts) {
    const cited = [...new Set(draft.incidentIds)].filter((handle) => byHandle.has(handle) && !taken.has(handle));
    const unknown = draft.incidentIds.filter((handle) => !byHandle.has(handle)).length;
    // The ids and the theme are the model's words: the warning counts them instead of quoting them.
    if (unknown > 0) warnings.push(`a theme cited ${unknown} id(s) not in its batch; they were removed`);
    if (cited.length === 0) continue;
    for (const handle of cited) taken.add(handle);
    const items = cited.map((handle) => byHandle.get(handle) as Item);
    const members = new Set(items.flatMap((item) => item.incidentIds));
    const evidence = draft.evidence.filter((entry) => members.has(entry.incidentId));
    const quoted = new Set(evidence.map((entry) => entry.incidentId));
    for (const item of items)
      for (const entry of item.fallback.evidence)
        if (!quoted.has(entry.incidentId)) {
          evidence.push(entry);
          quoted.add(entry.incidentId);
        }
    cleaned.push({ ...draft, incidentIds: [...members], evidence });
  }
  const missing = batch.filter((item) => !taken.has(item.handle));
  if (missing.length > 0)
    warnings.push(`the model left ${missing.length} item(s) out of every theme; kept as they were`);
  for (const item of missing) cleaned.push(item.fallback);
  return cleaned;
}

/**
 * The hierarchical fold: incidents batched under the input budget, each batch folded into themes
 * (across technologies); while there is more than one batch of themes, they are batched and merged
 * again, their evidence carried along. Nothing is truncated: every incident ends up in a draft.
 */
export async function foldHierarchically(
  incidents: readonly FoldIncident[],
  call: FoldCall,
  inputBudgetTokens: number,
): Promise<FoldOutcome> {
  let usage = NO_USAGE;
  const warnings: string[] = [];
  let items = [...incidents].sort((left, right) => left.docId.localeCompare(right.docId)).map(renderIncident);
  let level = 0;
  for (;;) {
    const batches = batchByBudget(items, (item) => estimateTokens(item.text) + 4, inputBudgetTokens);
    // The batches of one level run together (the governor bounds them); results keep batch order.
    const results = await Promise.all(
      batches.map(async (batch) => {
        const result = await call(batch.map((item) => item.text).join('\n\n'), level);
        usage = addUsage(usage, result.usage);
        return { batch, result };
      }),
    );
    const drafts: ThemeDraft[] = [];
    for (const { batch, result } of results) {
      warnings.push(...result.warnings);
      drafts.push(...reconcile(result.drafts, batch, warnings));
    }
    const reduced = drafts.length < items.length;
    // Drafts of the same category and name sit side by side, so the next level can merge them
    // (in batch order, one batch's themes would meet only each other and the fold would stop).
    items = drafts
      .map((draft, index) => renderDraft(draft, `T${index + 1}`))
      .sort(
        (left, right) =>
          left.fallback.faultCategory.localeCompare(right.fallback.faultCategory) ||
          left.fallback.theme.localeCompare(right.fallback.theme),
      );
    level += 1;
    if (batches.length === 1 || !reduced) break;
  }
  return { drafts: items.map((item) => item.fallback), usage, warnings };
}
