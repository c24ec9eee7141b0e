import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigurationError } from '../../errors.ts';
import { restoreLatestReport } from '../../pipeline/restore-report.ts';
import { LocalObjectStore } from '../../store/local-object-store.ts';
import { LOCAL_STATE_FILE, openLocalStateStore } from '../../store/open-state.ts';
import { EXIT_OK } from '../exit-codes.ts';

/** `pmlens restore <out-dir>`: the latest report with its personal data put back, for internal use. */
export async function restoreCommand(outDir: string): Promise<number> {
  const state = await stat(path.join(outDir, LOCAL_STATE_FILE)).catch(() => undefined);
  if (!state?.isFile())
    throw new ConfigurationError(`${outDir} is not an analyze output folder (it holds no ${LOCAL_STATE_FILE})`);
  const keys = await restoreLatestReport(new LocalObjectStore(outDir), await openLocalStateStore(outDir));
  process.stderr.write(
    `restored report (personal data put back, internal use only): ${path.join(outDir, keys[0] ?? 'report-restored/')}\n`,
  );
  return EXIT_OK;
}
