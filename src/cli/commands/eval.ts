import { readFile } from 'node:fs/promises';
import { compareWithBaseline } from '../../eval/baseline.ts';
import { ConfigurationError, messageOf } from '../../errors.ts';
import { hashOf } from '../../stages/index.ts';
import { loadCatalog } from '../../catalog/index.ts';
import { engineFrom, type EngineCommandOptions } from '../engine-options.ts';
import { runEval, type EvalResult } from '../../eval/run-eval.ts';
import { EXIT_OK, EXIT_PARTIAL } from '../exit-codes.ts';
import { redactOf } from './analyze.ts';

export interface EvalCommandOptions extends EngineCommandOptions {
  golden: string;
  catalog?: string;
  baseline?: string;
  tolerance?: number;
  json?: boolean;
  verbose?: boolean;
  /** on | off; absent: on for a model engine, off for offline. */
  redact?: string;
}

function percent(value: number | null): string {
  return value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`;
}

function printText(result: EvalResult, verbose: boolean): void {
  const { metrics } = result;
  const lines = [
    `cases: ${metrics.cases}`,
    `micro precision ${percent(metrics.microPrecision)}, recall ${percent(metrics.microRecall)}, F1 ${percent(metrics.microF1)}`,
    `attribution error rate ${percent(metrics.attributionErrorRate)}, negative accuracy ${percent(metrics.negativeAccuracy)}, trap avoidance ${percent(metrics.trapAvoidance)}`,
    `fault category accuracy ${percent(metrics.faultCategoryAccuracy)}, verified-claim share ${percent(metrics.verifiedClaimShare)}`,
    `patterns: theme recall ${percent(metrics.themeRecall)}, theme precision ${percent(metrics.themePrecision)}, singleton share ${percent(metrics.singletonShare)}, accounted share ${percent(metrics.accountedShare)}`,
    '',
    'technology        precision  recall  F1      tp fp fn',
    ...Object.entries(metrics.perTechnology).map(
      ([technology, score]) =>
        `${technology.padEnd(17)} ${percent(score.precision).padStart(9)} ${percent(score.recall).padStart(7)} ${percent(score.f1).padStart(7)}  ${score.truePositives} ${score.falsePositives} ${score.falseNegatives}`,
    ),
  ];
  if (verbose && metrics.errors.length > 0) {
    lines.push('', 'errors:');
    for (const error of metrics.errors)
      lines.push(
        `  ${error.id}: false positives [${error.falsePositives.join(', ')}], missed [${error.falseNegatives.join(', ')}]`,
      );
  }
  for (const caseError of result.caseErrors) lines.push(`case error ${caseError.id}: ${caseError.reason}`);
  for (const failure of result.failures) {
    lines.push(
      `FAIL ${failure.metric} = ${failure.value ?? 'n/a'} is ${failure.kind === 'min' ? 'below the minimum' : 'above the maximum'} ${failure.limit}`,
    );
  }
  if (result.thresholds && result.failures.length === 0) lines.push('', 'all thresholds met');
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function readBaseline(file: string): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigurationError(
      `cannot read the baseline ${file} (the output of an earlier \`pmlens eval --json\`): ${messageOf(error)}`,
    );
  }
}

export async function evalCommand(options: EvalCommandOptions): Promise<number> {
  const catalog = await loadCatalog(options.catalog);
  const { engine } = await engineFrom(options, catalog.catalog);
  const result = await runEval({
    goldenDir: options.golden,
    engine,
    catalog: catalog.catalog,
    catalogHash: hashOf(catalog.catalog),
    ...redactOf(options),
  });
  const deltas = options.baseline
    ? compareWithBaseline({ ...result.metrics }, await readBaseline(options.baseline), options.tolerance ?? 0.02)
    : [];
  const regressions = deltas.filter((delta) => delta.regression);
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ engine: engine.descriptor, ...result.metrics, thresholds: result.thresholds ?? null, thresholdFailures: result.failures, caseErrors: result.caseErrors, ...(options.baseline ? { baselineDeltas: deltas } : {}) })}\n`,
    );
  } else {
    printText(result, Boolean(options.verbose));
    if (deltas.length > 0) {
      const lines = ['', `against the baseline ${options.baseline} (tolerance ${options.tolerance ?? 0.02}):`];
      for (const delta of deltas) {
        lines.push(
          `  ${delta.metric.padEnd(22)} ${String(delta.baseline ?? 'n/a').padStart(8)} -> ${String(delta.current ?? 'n/a').padStart(8)}  ${delta.delta === null ? '' : `${delta.delta >= 0 ? '+' : ''}${delta.delta}`}${delta.regression ? '  REGRESSION' : ''}`,
        );
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    }
  }
  return result.failures.length > 0 || result.caseErrors.length > 0 || regressions.length > 0 ? EXIT_PARTIAL : EXIT_OK;
}
