/**
 * Calibration of the offline engine's confidence: does a stated confidence of 0.8 mean that 8 in 10
 * such causes are right? Classifies every case of each labelled dataset given (the causes that
 * stand after the attribution guard, as the classify stage reports them) and prints a
 * reliability table (stated-confidence bin, causes in it, mean stated confidence, observed
 * precision, gap); a bin with at least 20 causes is calibrated when the gap is within 0.1.
 *
 *   npx tsx bench/calibration.ts datasets/holdout-2 datasets/patterns-holdout   # reliability on unseen text
 *   npx tsx bench/calibration.ts --fit datasets/holdout-1 datasets/patterns    # refit the bands (src/engines/offline/confidence.ts)
 *
 * Only aggregate figures are printed, never a case id or a sentence: the script may be pointed at a
 * holdout without showing what is in it. The last line is one JSON object.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadCatalog, TechnologyMatcher } from '../src/catalog/index.ts';
import { bandConfidence, CONFIDENCE_BANDS, bandOf } from '../src/engines/offline/confidence.ts';
import { classifyOffline } from '../src/engines/offline/classify.ts';
import { assessTechnologies } from '../src/engines/offline/evidence.ts';
import { guardAttribution } from '../src/trust/attribution-guard.ts';
import { ingestBytes } from '../src/ingest/index.ts';

const { values, positionals } = parseArgs({
  options: { fit: { type: 'boolean', default: false } },
  allowPositionals: true,
});
if (positionals.length === 0) {
  console.error('usage: npx tsx bench/calibration.ts [--fit] <dataset dir>...');
  process.exit(2);
}

interface Cause {
  dataset: string;
  score: number;
  confidence: number;
  correct: boolean;
}

const matcher = new TechnologyMatcher((await loadCatalog()).catalog);
const causes: Cause[] = [];
for (const dir of positionals) {
  const labels = (await readFile(path.join(dir, 'labels.jsonl'), 'utf8'))
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as { id: string; file: string; causal: string[]; lenient?: boolean });
  for (const label of labels) {
    const outcome = ingestBytes(await readFile(path.join(dir, label.file)), label.file, label.id);
    if (!outcome.ok) continue;
    const assessments = assessTechnologies(outcome.postmortem, matcher);
    const scores = new Map(assessments.map((assessment) => [assessment.technology, assessment.score]));
    // As the classify stage states them: the engine's causes that stand after the attribution guard.
    const classification = classifyOffline(outcome.postmortem, matcher, assessments);
    for (const cause of guardAttribution(classification, outcome.postmortem, matcher).classification.causal) {
      causes.push({
        dataset: path.basename(dir),
        score: scores.get(cause.technology) ?? 0,
        confidence: cause.confidence,
        correct: label.causal.includes(cause.technology),
      });
    }
  }
}

const round = (value: number): number => Math.round(value * 1000) / 1000;
const BIN_EDGES = [0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001];
const rows = BIN_EDGES.slice(0, -1).map((low, index) => {
  const high = BIN_EDGES[index + 1] ?? 1;
  const inBin = causes.filter((cause) => cause.confidence >= low && cause.confidence < high);
  const stated = inBin.length ? inBin.reduce((sum, cause) => sum + cause.confidence, 0) / inBin.length : null;
  const observed = inBin.length ? inBin.filter((cause) => cause.correct).length / inBin.length : null;
  const gap = stated !== null && observed !== null ? Math.abs(stated - observed) : null;
  return {
    bin: `${low.toFixed(1)}-${Math.min(1, high).toFixed(1)}`,
    causes: inBin.length,
    stated: stated === null ? null : round(stated),
    observed: observed === null ? null : round(observed),
    gap: gap === null ? null : round(gap),
    judged: inBin.length >= 20,
    calibrated: inBin.length >= 20 ? (gap ?? 0) <= 0.1 : null,
  };
});

console.log(
  `datasets: ${positionals.map((dir) => path.basename(dir)).join(', ')}; causes stated: ${causes.length}, correct: ${causes.filter((cause) => cause.correct).length}`,
);
console.log('bin        causes  stated  observed  gap    (bins with >= 20 causes must be within 0.1)');
for (const row of rows) {
  const cell = (value: number | null): string => (value === null ? '-' : value.toFixed(3)).padEnd(8);
  console.log(
    `${row.bin.padEnd(11)}${String(row.causes).padEnd(8)}${cell(row.stated)}${cell(row.observed)}${cell(row.gap)}${row.judged ? (row.calibrated ? 'ok' : 'OFF') : ''}`,
  );
}

let fitted: Array<{ from: number; causes: number; correct: number; confidence: number }> | undefined;
if (values.fit) {
  fitted = CONFIDENCE_BANDS.map((band) => ({ from: band.from, causes: 0, correct: 0, confidence: 0 }));
  for (const cause of causes) {
    const band = fitted[bandOf(cause.score)];
    if (!band) continue;
    band.causes += 1;
    if (cause.correct) band.correct += 1;
  }
  // Pool adjacent violators: more evidence never states less confidence. A band whose smoothed precision
  // falls below the band before it is merged into it (counts added, the lower bound of the first kept).
  const pooled: typeof fitted = [];
  for (const band of fitted) {
    pooled.push({ ...band });
    while (pooled.length > 1) {
      const last = pooled[pooled.length - 1]!;
      const before = pooled[pooled.length - 2]!;
      if (bandConfidence(last) >= bandConfidence(before)) break;
      pooled.splice(pooled.length - 2, 2, {
        from: before.from,
        causes: before.causes + last.causes,
        correct: before.correct + last.correct,
        confidence: 0,
      });
    }
  }
  fitted = pooled;
  for (const band of fitted) band.confidence = bandConfidence(band);
  console.log('\nfitted bands, monotone (paste into CONFIDENCE_BANDS):');
  for (const band of fitted)
    console.log(
      `  { from: ${band.from}, causes: ${band.causes}, correct: ${band.correct} }, // confidence ${band.confidence}`,
    );
}
console.log(
  JSON.stringify({ datasets: positionals.map((dir) => path.basename(dir)), causes: causes.length, bins: rows, fitted }),
);
