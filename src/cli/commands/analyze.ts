import { stat } from 'node:fs/promises';
import path from 'node:path';
import { loadCatalog } from '../../catalog/index.ts';
import { createEngine } from '../../engines/index.ts';
import { ConfigurationError } from '../../errors.ts';
import { DEFAULT_MAX_BYTES } from '../../ingest/index.ts';
import { loadIncidentMetadata } from '../../metadata/index.ts';
import { runLocal } from '../../pipeline/run-local.ts';
import { EXIT_OK, EXIT_PARTIAL } from '../exit-codes.ts';
import { chooseProgress } from '../progress-reporters.ts';

export interface AnalyzeCommandOptions {
  out: string;
  engine: string;
  catalog?: string;
  metadata?: string;
  concurrency: number;
  maxBytes?: number;
  quiet?: boolean;
}

export async function analyzeCommand(inputDir: string, options: AnalyzeCommandOptions): Promise<number> {
  const info = await stat(inputDir).catch(() => undefined);
  if (!info?.isDirectory()) throw new ConfigurationError(`the input folder ${inputDir} does not exist or is not a folder`);
  const catalog = await loadCatalog(options.catalog);
  const engine = createEngine({ engine: options.engine, catalog: catalog.catalog });
  const metadata = options.metadata ? await loadIncidentMetadata(options.metadata) : undefined;
  const progress = chooseProgress(Boolean(options.quiet));
  const { record } = await runLocal({
    inputDir,
    outDir: options.out,
    engine,
    catalog,
    metadata,
    metadataFile: options.metadata ?? null,
    concurrency: options.concurrency,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
    progress,
  });
  if (!options.quiet) {
    const { counts, cache } = record;
    const lines = [
      `analysed ${counts.succeeded} of ${counts.discovered} files in ${(record.durationMillis / 1000).toFixed(1)} s with the ${record.engine.id} engine`,
      `  causal technologies: ${counts.causalTechnologies}, digests: ${counts.digests}, patterns: ${counts.patterns}, opportunities: ${counts.opportunities}`,
      cache.computations === 0 && cache.hits > 0
        ? `  nothing changed: all ${cache.hits} stage results came from the cache`
        : `  stage computations: ${cache.computations}, cache hits: ${cache.hits}`,
      `  skipped: ${counts.skipped}, failed: ${counts.failed}`,
      `  report: ${path.join(options.out, 'report', 'report.html')} (also report.md, report.json, digests.csv)`,
      `  run record: ${path.join(options.out, 'run.json')}`,
    ];
    process.stderr.write(`${lines.join('\n')}\n`);
  }
  return record.counts.skipped > 0 || record.counts.failed > 0 ? EXIT_PARTIAL : EXIT_OK;
}
