import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { addEngineOptions } from './engine-options.ts';
import { ConfigurationError } from '../errors.ts';
import { EXIT_USAGE } from './exit-codes.ts';

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('expected a positive whole number');
  return number;
}

function shareBetweenZeroAndOne(value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0 || number > 1) throw new InvalidArgumentError('expected a share between 0 and 1 (e.g. 0.2)');
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
    .option('--baseline <file>', 'an earlier `pmlens eval --json` output: print per-metric deltas, exit 1 on a regression')
    .option('--tolerance <delta>', 'how far a metric may move the wrong way before it counts as a regression', (value) => {
      const number = Number(value);
      if (!Number.isFinite(number) || number < 0) throw new InvalidArgumentError('expected a number >= 0');
      return number;
    }, 0.02)
    .addHelpText('after', '\nExit codes: 0 every threshold met, 1 a metric is past its threshold or a case could not be read, 2 usage or configuration error.')
    .action(async (options) => {
      const { evalCommand } = await import('./commands/eval.ts');
      process.exitCode = await evalCommand(options);
    });

  addEngineOptions(evaluate);

  program
    .command('review')
    .description('review the claims of an analyze run (risk items, then a random sample) next to their source passages, voting up, down or edit; or export the votes, or turn a correction into a golden case')
    .option('-o, --out <dir>', 'the analyze output folder', 'out')
    .option('--reviewer <name>', 'who votes (default: $USER)')
    .option('--state <dir>', 'folder whose state.json holds the votes (default: the --out folder)')
    .option('--table <name>', 'keep votes in this DynamoDB state table instead')
    .option('--dynamodb-endpoint <url>', 'DynamoDB endpoint (e.g. a local one) for --table')
    .option('--region <region>', 'AWS region for --table')
    .option('--source <input-dir>', 'the input folder of the run (default: the input recorded in <out>/run.json)')
    .option('--catalog <file>', 'catalog for checking corrected technologies (default: the run\'s catalog)')
    .option('--sample-rate <share>', 'share of the other claims sampled for review (default 0.2; 0.1 once trailing approval is 95% or more)', shareBetweenZeroAndOne)
    .option('--limit <n>', 'review at most this many items now', positiveInteger)
    .option('--export <file>', 'write every vote to a .json or .csv file instead of reviewing')
    .option('--promote <item-id>', 'copy the item\'s document and its corrected causal technologies into the golden set (with --golden)')
    .option('--golden <dir>', 'golden folder for --promote')
    .addHelpText('after', '\nAnswer each item with u (up), d (down), e (edit: type the corrected text on the next line), s (skip) or q (quit); one answer a line, so stdin can be scripted.\nExit codes: 0 done, 2 usage or configuration error.')
    .action(async (options) => {
      const { reviewCommand } = await import('./commands/review.ts');
      process.exitCode = await reviewCommand(options);
    });

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
