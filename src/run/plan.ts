/**
 * What a run has to do: the source listing diffed against the corpus index. New sources, changed
 * ones (another version), previously failed ones and ones analysed under another configuration
 * are work; deleted sources leave the corpus; everything else is unchanged and costs nothing.
 */
import type { CorpusEntry, SourceObject, WorkItem } from '../schemas/index.ts';
import { documentIdOf } from './identity.ts';

export interface RunPlan {
  work: WorkItem[];
  /** Index entries whose source is gone. */
  deleted: CorpusEntry[];
  unchanged: number;
}

/** Whether an index entry needs its source analysed again. */
export function needsWork(entry: CorpusEntry | undefined, source: SourceObject, fingerprint: string): boolean {
  if (!entry) return true;
  if (entry.sourceVersion !== source.version) return true;
  if (entry.status === 'failed') return true;
  // A skipped file is skipped again until it changes; an analysed one, until the configuration changes.
  return entry.status === 'analysed' && entry.fingerprint !== fingerprint;
}

export function planRun(
  sources: readonly SourceObject[],
  entries: readonly CorpusEntry[],
  fingerprint: string,
): RunPlan {
  const byId = new Map(entries.map((entry) => [entry.docId, entry]));
  const present = new Set<string>();
  const work: WorkItem[] = [];
  let unchanged = 0;
  for (const source of sources) {
    const docId = documentIdOf(source.key);
    present.add(docId);
    if (needsWork(byId.get(docId), source, fingerprint)) work.push({ docId, key: source.key, version: source.version });
    else unchanged += 1;
  }
  const deleted = entries.filter((entry) => !present.has(entry.docId));
  return { work, deleted, unchanged };
}
