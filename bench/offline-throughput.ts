/**
 * Offline engine throughput: generates a corpus of N postmortems (default 1,000) in many
 * shapes, runs the whole local pipeline on it, and prints documents per second and peak RSS.
 *
 *   npx tsx bench/offline-throughput.ts [--documents 1000] [--concurrency 8] [--threads n] [--writer thread|inline]
 *                                       [--cpu-profile file.cpuprofile] [--cases folder]... [--dev-sets]
 *
 * `--threads` is the offline engine's worker threads, as `pmlens analyze --threads`: by default 0
 * (the engine inline on the main thread); a number, or auto for one per core but one. `--writer`
 * is where the output files are written: on the writer thread (default, as the CLI) or inline.
 * `--cpu-profile` writes a V8 CPU profile of the main thread during the first (timed) run only, for
 * Chromium's DevTools or any .cpuprofile reader; the profiler slows the run, so its figures are not
 * the throughput.
 *
 * `--cases` (repeatable) runs on the files of labelled case folders instead of the generated corpus,
 * and `--dev-sets` on every development set's cases (bench/training-sets.ts; 1,827 postmortems
 * written in many voices). The generated corpus repeats its sentences from document to document
 * far more than real postmortems do, and the engine remembers answers per sentence text, so real
 * cases cost the engine several times more per document: quote both.
 *
 * Targets (issue 2): >= 50 documents/s, peak RSS < 500 MB; issue 13: >= 200 documents/s. The last
 * line is one JSON object. The machine may be shared: the process's CPU time for the run and the
 * load average are printed too, so a slow figure can be told from a busy machine. Run the command
 * several times and take the best or the median.
 */
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadCatalog } from '../src/catalog/index.ts';
import { EngineConfig } from '../src/config/engine-config.ts';
import { createEngine } from '../src/engines/index.ts';
import { DEFAULT_THREADS, threadsSetting } from '../src/engines/offline/worker-pool.ts';
import { runLocal } from '../src/pipeline/run-local.ts';
import { mainThreadCpuSeconds, peakRssBytes, sampleThreadCpu, startProfiler, writeCorpus } from './support.ts';
import { DEVELOPMENT_SETS } from './training-sets.ts';

const { values } = parseArgs({
  options: {
    documents: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '8' },
    threads: { type: 'string' },
    writer: { type: 'string', default: 'thread' },
    'cpu-profile': { type: 'string' },
    cases: { type: 'string', multiple: true },
    'dev-sets': { type: 'boolean', default: false },
  },
});
if (values.writer !== 'thread' && values.writer !== 'inline') throw new Error('--writer must be thread or inline');
const writeOnThread = values.writer === 'thread';
const caseFolders = [
  ...(values.cases ?? []),
  ...(values['dev-sets'] ? DEVELOPMENT_SETS.map((set) => path.join(set, 'cases')) : []),
];
const concurrency = Number(values.concurrency);
// As the CLI: the offline engine inline unless --threads (a number, or auto: one per core but one).
const threads = threadsSetting(values.threads, '--threads') ?? DEFAULT_THREADS;

/** The files of the case folders, copied into one input folder (each folder's files under a folder of its own). */
async function copyCases(folders: readonly string[]): Promise<{ root: string; input: string; documents: number }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'pmlens-bench-'));
  const input = path.join(root, 'input');
  let count = 0;
  for (const [position, folder] of folders.entries()) {
    const target = path.join(input, `${position}-${path.basename(path.dirname(path.resolve(folder)))}`);
    await mkdir(target, { recursive: true });
    for (const entry of await readdir(folder, { withFileTypes: true }))
      if (entry.isFile()) {
        await copyFile(path.join(folder, entry.name), path.join(target, entry.name));
        count += 1;
      }
  }
  return { root, input, documents: count };
}

const { root, input, documents } =
  caseFolders.length > 0
    ? await copyCases(caseFolders)
    : { ...(await writeCorpus(Number(values.documents))), documents: Number(values.documents) };
const catalog = await loadCatalog();
const { engine, ingest, close } = await createEngine(
  EngineConfig.parse({ engine: 'offline' }),
  catalog.catalog,
  undefined,
  {
    threads,
  },
);

/** One run over the corpus into the same output folder (the second finds every result cached). */
const run = () =>
  runLocal({ inputDir: input, outDir: path.join(root, 'out'), engine, catalog, concurrency, ingest, writeOnThread });

const loadBefore = os.loadavg()[0] ?? 0;
const profiler = values['cpu-profile'] === undefined ? undefined : await startProfiler();
const started = performance.now();
const cpuStarted = process.cpuUsage();
const mainStarted = mainThreadCpuSeconds();
const threadSampler = sampleThreadCpu();
const { record } = await run();
const threadCpu = threadSampler.stop();
const mainEnded = mainThreadCpuSeconds();
if (profiler) await writeFile(values['cpu-profile'] as string, JSON.stringify(await profiler.stop()));
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStarted);
const loadAfter = os.loadavg()[0] ?? 0;
const rerunStarted = performance.now();
const { record: rerun } = await run();
const rerunSeconds = (performance.now() - rerunStarted) / 1000;
await close?.();
const peakRss = peakRssBytes();
await rm(root, { recursive: true, force: true });

const result = {
  corpus: caseFolders.length > 0 ? `${caseFolders.length} case folder(s)` : 'generated',
  documents,
  succeeded: record.counts.succeeded,
  skipped: record.counts.skipped,
  failed: record.counts.failed,
  seconds: Math.round(seconds * 100) / 100,
  documentsPerSecond: Math.round((record.counts.succeeded / seconds) * 10) / 10,
  // CPU time of this process during the run: every thread (main, worker threads, libuv file-system threads, GC).
  cpuSeconds: { user: Math.round(cpu.user / 10_000) / 100, system: Math.round(cpu.system / 10_000) / 100 },
  // The main thread's part of it (Linux): with the writer thread beside it, the run's critical path.
  mainThreadCpuSeconds:
    mainStarted && mainEnded
      ? {
          user: Math.round((mainEnded.user - mainStarted.user) * 100) / 100,
          system: Math.round((mainEnded.system - mainStarted.system) * 100) / 100,
        }
      : null,
  // The run's CPU time per thread (Linux), busiest first: where the cores went besides the main thread.
  threadCpuSeconds: threadCpu,
  loadAverage: { before: Math.round(loadBefore * 100) / 100, after: Math.round(loadAfter * 100) / 100 },
  cores: os.availableParallelism(),
  rerunSeconds: Math.round(rerunSeconds * 100) / 100,
  rerunComputations: rerun.cache.computations,
  rerunCacheHits: rerun.cache.hits,
  peakRssMegabytes: Math.round(peakRss / 1024 / 1024),
  concurrency,
  threads,
  writer: values.writer,
  node: process.version,
};
console.log(
  `offline engine: ${result.succeeded}/${documents} documents in ${result.seconds} s = ${result.documentsPerSecond} documents/s; peak RSS ${result.peakRssMegabytes} MB`,
);
console.log(
  `run CPU time: ${result.cpuSeconds.user} s user + ${result.cpuSeconds.system} s system on ${result.cores} cores; load average ${result.loadAverage.before} before, ${result.loadAverage.after} after`,
);
if (threadCpu.length > 0)
  console.log(`by thread (user + system s): ${threadCpu.map((t) => `${t.thread} ${t.user} + ${t.system}`).join(', ')}`);
console.log(
  `rerun over unchanged input: ${result.rerunSeconds} s, ${result.rerunComputations} stage computations, ${result.rerunCacheHits} cache hits`,
);
console.log(JSON.stringify(result));
