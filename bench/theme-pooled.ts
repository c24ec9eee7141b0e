/**
 * Theme recall and precision of the offline engine pooled over many labelled sets: each set is run
 * as `pmlens eval` runs it (runEval), and the counts behind its themeRecall and themePrecision
 * (themeCounts in src/eval/metrics.ts) are summed, so a set with eleven themes weighs more than one
 * with six. This is how the engine 22 theme round was measured (docs/offline-engine.md).
 *
 *   npx tsx bench/theme-pooled.ts [--sets datasets/dev-c,datasets/dev-d,...]
 *
 * By default: every development set with labelled themes (bench/training-sets.ts). Prints a line per
 * set (found of the labelled themes, precise of the reported patterns of two or more) and the pooled
 * figures; the last line is one JSON object.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadCatalog } from '../src/catalog/index.ts';
import { createOfflineEngine } from '../src/engines/offline/index.ts';
import { runEval } from '../src/eval/run-eval.ts';
import { hashOf } from '../src/stages/index.ts';
import { DEVELOPMENT_SETS } from './training-sets.ts';

const { values } = parseArgs({ options: { sets: { type: 'string' } } });

async function hasThemes(set: string): Promise<boolean> {
  return access(path.join(set, 'themes.json')).then(
    () => true,
    () => false,
  );
}

const requested = values.sets?.split(',').filter(Boolean) ?? [...DEVELOPMENT_SETS];
const sets = (await Promise.all(requested.map(async (set) => ((await hasThemes(set)) ? set : undefined)))).filter(
  (set): set is string => set !== undefined,
);
const { catalog } = await loadCatalog();
const pooled = { themes: 0, found: 0, recurring: 0, precise: 0 };
const perSet: Array<{ set: string; themes: number; found: number; recurring: number; precise: number }> = [];
for (const set of sets) {
  const { themeCounts } = await runEval({
    goldenDir: set,
    engine: createOfflineEngine(catalog),
    catalog,
    catalogHash: hashOf(catalog),
  });
  perSet.push({ set, ...themeCounts });
  for (const key of ['themes', 'found', 'recurring', 'precise'] as const) pooled[key] += themeCounts[key];
  console.log(
    `${path.basename(set).padEnd(18)} found ${themeCounts.found}/${themeCounts.themes}  precise ${themeCounts.precise}/${themeCounts.recurring}`,
  );
}
const share = (numerator: number, denominator: number) =>
  denominator === 0 ? null : Math.round((numerator / denominator) * 1000) / 1000;
const recall = share(pooled.found, pooled.themes);
const precision = share(pooled.precise, pooled.recurring);
console.log(
  `pooled over ${sets.length} sets: found ${pooled.found}/${pooled.themes} (recall ${recall}), precise ${pooled.precise}/${pooled.recurring} (precision ${precision})`,
);
console.log(JSON.stringify({ sets: perSet, pooled: { ...pooled, recall, precision } }));
