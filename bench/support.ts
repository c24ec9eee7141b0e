/** Shared by the model benchmarks: a generated corpus on disk, and small formatting helpers. */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateCorpus } from './corpus.ts';

export async function writeCorpus(documents: number, seed = 42, baseDir = os.tmpdir()): Promise<{ root: string; input: string }> {
  const root = await mkdtemp(path.join(baseDir, 'pmlens-bench-'));
  const input = path.join(root, 'input');
  for (const file of generateCorpus(documents, seed)) {
    await mkdir(path.dirname(path.join(input, file.path)), { recursive: true });
    await writeFile(path.join(input, file.path), file.content);
  }
  return { root, input };
}

export function round(value: number, digits = 3): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Samples RSS every 20 ms until stopped. */
export function rssSampler(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss);
    },
  };
}
