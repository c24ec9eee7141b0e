/**
 * How far two careful human readers agree on a postmortem's fault category: the ceiling any engine's
 * faultCategoryAccuracy is measured against. A second reader, who saw only the taxonomy's table and
 * the cases (never their labels), filed 80 development cases drawn at random from every development
 * set (bench/second-reader/fault-categories.jsonl); this compares that reading with each set's own
 * author, under the rule `pmlens eval` scores an engine by (the reader's primary counts when it is the
 * author's primary or secondary), strictly (primary against primary) and loosely (any category in
 * common), and lists the category pairs they split on.
 *
 *   npx tsx bench/category-agreement.ts [--file bench/second-reader/fault-categories.jsonl]
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadLabels } from '../src/eval/labels.ts';
import { assertDevelopmentSet } from './training-sets.ts';

interface SecondReading {
  set: string;
  id: string;
  primary: string;
  secondary: string | null;
}

const { values } = parseArgs({
  options: { file: { type: 'string', default: 'bench/second-reader/fault-categories.jsonl' } },
});
const readings = (await readFile(values.file as string, 'utf8'))
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as SecondReading);

const labelsBySet = new Map<string, Awaited<ReturnType<typeof loadLabels>>>();
let counted = 0;
let evalRule = 0;
let reverseRule = 0;
let strict = 0;
let overlap = 0;
const splits = new Map<string, number>();
for (const reading of readings) {
  assertDevelopmentSet(reading.set);
  if (!labelsBySet.has(reading.set)) labelsBySet.set(reading.set, await loadLabels(reading.set));
  const label = labelsBySet.get(reading.set)?.find((candidate) => candidate.id === reading.id);
  if (!label?.faultCategory) throw new Error(`${reading.set} has no fault category for ${reading.id}`);
  const author = new Set<string>([label.faultCategory]);
  if (label.faultSecondary) author.add(label.faultSecondary);
  const reader = new Set<string>([reading.primary]);
  if (reading.secondary) reader.add(reading.secondary);
  counted += 1;
  if (author.has(reading.primary)) evalRule += 1;
  if (reader.has(label.faultCategory)) reverseRule += 1;
  if (reading.primary === label.faultCategory) strict += 1;
  if ([...reader].some((category) => author.has(category))) overlap += 1;
  if (reading.primary !== label.faultCategory) {
    const pair = [reading.primary, label.faultCategory].sort().join(' / ');
    splits.set(pair, (splits.get(pair) ?? 0) + 1);
  }
}

const share = (count: number) => `${(count / counted).toFixed(3)} (${count}/${counted})`;
console.log(`second reader against the sets' authors, ${counted} cases from ${labelsBySet.size} sets`);
console.log(`  the eval's rule (reader's primary is the author's primary or secondary): ${share(evalRule)}`);
console.log(
  `  the same rule the other way (author's primary is the reader's primary or secondary): ${share(reverseRule)}`,
);
console.log(`  primary against primary: ${share(strict)}`);
console.log(`  any category in common: ${share(overlap)}`);
console.log('  primaries split on (reader / author, either order):');
for (const [pair, count] of [...splits.entries()].sort((left, right) => right[1] - left[1]))
  console.log(`    ${String(count).padStart(2)}  ${pair}`);
