import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { addEngineOptions } from './engine-options.ts';
import { ConfigurationError } from '../errors.ts';
import { EXIT_USAGE } from './exit-codes.ts';

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('expected a positive whole number');
  return number;
}

/** Every command and option of `pmlens`; each command's code is loaded only when it runs. */
export function buildProgram(): Command {
  const program = new Command()
    .name('pmlens')
    .description('postmortem-lens: structured summaries, causal technologies, digests, recurring failure patterns and investment opportunities from a corpus of incident postmortems.')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  const analyze = program
    .command('analyze')
    .description('analyze every postmortem in a folder (.md, .markdown, .txt, .html, .htm, .json) and write per-document results and a report')
    .argument('<input-dir>', 'folder of postmortems, read recursively')
    .option('-o, --out <dir>', 'output folder', 'out')
    .option('--catalog <file>', 'technology catalog (YAML or JSON); defaults to config/catalog.yaml')
    .option('--metadata <file>', 'incident metadata (CSV or JSON: id, date, severity, duration minutes, customers affected, cost)')
    .option('-c, --concurrency <n>', 'documents processed at once', positiveInteger, 4)
    .option('--max-bytes <n>', 'skip files larger than this many bytes', positiveInteger, 5 * 1024 * 1024)
    .option('-q, --quiet', 'print nothing but errors')
    .option('--dry-run', 'estimate model calls, tokens and cost without calling any model')
    .addHelpText('after', '\nExit codes: 0 all documents analysed, 1 some were skipped or failed (see run.json), 2 usage or configuration error.')
    .action(async (inputDir: string, options) => {
      const { analyzeCommand } = await import('./commands/analyze.ts');
      process.exitCode = await analyzeCommand(inputDir, options);
    });

  addEngineOptions(analyze);

  const evaluate = program
    .command('eval')
    .description('score an engine against a golden dataset (a folder with cases/, labels.jsonl and optional thresholds.json)')
    .option('-g, --golden <dir>', 'golden dataset folder', 'golden')
    .option('--catalog <file>', 'technology catalog (YAML or JSON)')
    .option('--json', 'print one JSON object with every metric')
    .option('-v, --verbose', 'list the cases the engine got wrong')
    .addHelpText('after', '\nExit codes: 0 every threshold met, 1 a metric is past its threshold or a case could not be read, 2 usage or configuration error.')
    .action(async (options) => {
      const { evalCommand } = await import('./commands/eval.ts');
      process.exitCode = await evalCommand(options);
    });

  addEngineOptions(evaluate);

  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : EXIT_USAGE;
      return;
    }
    if (error instanceof ConfigurationError) {
      process.stderr.write(`pmlens: ${error.message}\n`);
      process.exitCode = EXIT_USAGE;
      return;
    }
    throw error;
  }
}

await main(process.argv);
