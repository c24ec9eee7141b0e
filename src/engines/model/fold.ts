import { createHash } from 'node:crypto';
import type { Digest, Pattern } from '../../schemas/index.ts';
import { estimateTokens } from '../../models/language-model.ts';
import { addUsage, NO_USAGE, type Usage } from '../engine.ts';
import type { PatternDraft } from './tools.ts';

/** Calls the model on one batch of rendered items; returns the patterns it proposes. */
export type FoldCall = (
  body: string,
  technology: string,
  level: number,
) => Promise<{ drafts: PatternDraft[]; usage: Usage; warnings: string[] }>;

export interface FoldOutcome {
  patterns: Pattern[];
  usage: Usage;
  warnings: string[];
}

interface Item {
  incidentIds: string[];
  text: string;
  fallback: PatternDraft;
}

function renderDigest(digest: Digest): Item {
  const text = [
    `incident ${digest.docId} | ${digest.faultCategory} | factors: ${digest.contributingFactors.join(', ') || 'none'}`,
    ...digest.sentences.map((sentence) => `  ${sentence}`),
  ].join('\n');
  return {
    incidentIds: [digest.docId],
    text,
    fallback: {
      technology: digest.technology,
      faultCategory: digest.faultCategory,
      theme: `${digest.technology}: ${digest.faultCategory}`,
      description: digest.sentences.join(' '),
      contributingFactors: digest.contributingFactors,
      incidentIds: [digest.docId],
      evidence: digest.sentences.slice(0, 1),
    },
  };
}

function renderDraft(draft: PatternDraft): Item {
  const text = [
    `pattern | ${draft.faultCategory} | ${draft.theme}`,
    `  ${draft.description}`,
    `  factors: ${draft.contributingFactors.join(', ') || 'none'}`,
    `  incidents: ${draft.incidentIds.join(', ')}`,
  ].join('\n');
  return { incidentIds: draft.incidentIds, text, fallback: draft };
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

/** Keep only ids the batch holds; give every uncovered incident its own pattern back. */
function reconcile(drafts: PatternDraft[], batch: Item[], technology: string, warnings: string[]): PatternDraft[] {
  const allowed = new Set(batch.flatMap((item) => item.incidentIds));
  const cleaned: PatternDraft[] = [];
  for (const draft of drafts) {
    const kept = [...new Set(draft.incidentIds.filter((id) => allowed.has(id)))];
    const dropped = draft.incidentIds.filter((id) => !allowed.has(id));
    // The ids and the theme are the model's words: the warning counts them instead of quoting them.
    if (dropped.length > 0)
      warnings.push(
        `a ${technology} pattern cited ${dropped.length} incident id(s) not in its batch; they were removed`,
      );
    if (kept.length > 0) cleaned.push({ ...draft, technology, incidentIds: kept });
  }
  const covered = new Set(cleaned.flatMap((draft) => draft.incidentIds));
  for (const item of batch) {
    const missing = item.incidentIds.filter((id) => !covered.has(id));
    if (missing.length === 0) continue;
    warnings.push(`the model left incidents ${missing.join(', ')} out of every pattern; kept as their own pattern`);
    cleaned.push({ ...item.fallback, incidentIds: missing });
  }
  return cleaned;
}

export function patternIdFor(draft: PatternDraft): string {
  const slug = `${draft.technology}-${draft.faultCategory}`.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return `${slug}-${createHash('sha256').update(`${draft.technology}\u0000${draft.faultCategory}\u0000${draft.theme}`).digest('hex').slice(0, 8)}`;
}

/**
 * The hierarchical fold: digests grouped by technology, batched under the input budget, each
 * batch folded into patterns; while a technology has more than one batch of patterns, they are
 * batched and merged again. Nothing is truncated: every digest ends up in a pattern.
 */
export async function foldHierarchically(
  digests: readonly Digest[],
  call: FoldCall,
  inputBudgetTokens: number,
): Promise<FoldOutcome> {
  let usage = NO_USAGE;
  const warnings: string[] = [];
  const byTechnology = new Map<string, Digest[]>();
  for (const digest of digests)
    byTechnology.set(digest.technology, [...(byTechnology.get(digest.technology) ?? []), digest]);
  // Technologies fold independently, and the batches of one level too: their calls run together
  // (the governor bounds them), and results are put back in a fixed order.
  const foldTechnology = async (
    technology: string,
    group: Digest[],
  ): Promise<{ drafts: PatternDraft[]; warnings: string[] }> => {
    const localWarnings: string[] = [];
    let items = group.map(renderDigest);
    let level = 0;
    for (;;) {
      const batches = batchByBudget(items, (item) => estimateTokens(item.text) + 4, inputBudgetTokens);
      const results = await Promise.all(
        batches.map(async (batch) => {
          const body = batch.map((item) => item.text).join('\n\n');
          const result = await call(body, technology, level);
          usage = addUsage(usage, result.usage);
          return { batch, result };
        }),
      );
      const drafts: PatternDraft[] = [];
      for (const { batch, result } of results) {
        localWarnings.push(...result.warnings);
        drafts.push(...reconcile(result.drafts, batch, technology, localWarnings));
      }
      const reduced = drafts.length < items.length;
      items = drafts.map(renderDraft);
      level += 1;
      if (batches.length === 1 || !reduced) break;
    }
    return { drafts: items.map((item) => item.fallback), warnings: localWarnings };
  };
  const folded = await Promise.all(
    [...byTechnology.entries()]
      .sort(([left], [right]) => left.localeCompare(right))
      .map(([technology, group]) => foldTechnology(technology, group)),
  );
  const finalDrafts = folded.flatMap((result) => result.drafts);
  for (const result of folded) warnings.push(...result.warnings);
  const byId = new Map<string, Pattern>();
  for (const draft of finalDrafts) {
    const id = patternIdFor(draft);
    const existing = byId.get(id);
    const incidentIds = [...new Set([...(existing?.incidentIds ?? []), ...draft.incidentIds])].sort();
    byId.set(id, {
      id,
      technology: draft.technology,
      faultCategory: draft.faultCategory,
      theme: draft.theme,
      description: existing?.description ?? draft.description,
      contributingFactors: [...new Set([...(existing?.contributingFactors ?? []), ...draft.contributingFactors])],
      incidentIds,
      count: incidentIds.length,
      evidence: [...(existing?.evidence ?? []), ...draft.evidence],
    });
  }
  const patterns = [...byId.values()];
  return {
    patterns: patterns.sort((left, right) => right.count - left.count || left.id.localeCompare(right.id)),
    usage,
    warnings,
  };
}
