import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { addEngineOptions } from './engine-options.ts';
import { ConfigurationError } from '../errors.ts';
import { threadsPerCore } from '../engines/offline/worker-pool.ts';
import { EXIT_USAGE } from './exit-codes.ts';
import { fileSystemErrorLine, isFileSystemError } from './output-folder.ts';

const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('expected a positive whole number');
  return number;
}

function threadCount(value: string): number {
  if (value.trim().toLowerCase() === 'auto') return threadsPerCore();
  const number = Number(value);
  if (value.trim() === '' || !Number.isInteger(number) || number < 0 || number > 64)
    throw new InvalidArgumentError('expected a whole number from 0 to 64, or auto');
  return number;
}

function shareBetweenZeroAndOne(value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0 || number > 1)
    throw new InvalidArgumentError('expected a share between 0 and 1 (e.g. 0.2)');
  return number;
}

/** Every command and option of `pmlens`; each command's code is loaded only when it runs. */
export function buildProgram(): Command {
  const program = new Command()
    .name('pmlens')
    .description(
      'postmortem-lens: structured summaries, causal technologies, digests, recurring failure patterns and investment opportunities from a corpus of incident postmortems.',
    )
    .version(VERSION, '-V, --version', 'print the version of pmlens')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  const analyze = program
    .command('analyze')
    .description(
      'analyze every postmortem in a folder (.md, .markdown, .txt, .html, .htm, .json, .pdf, .docx) and write per-document results and a report',
    )
    .argument(
      '<input-dir>',
      'folder of postmortems, read recursively (symbolic links followed; hidden, unreadable and other entries recorded as skipped)',
    )
    .option('-o, --out <dir>', 'output folder', 'out')
    .option('--catalog <file>', 'technology catalog (YAML or JSON); defaults to config/catalog.yaml')
    .option(
      '--metadata <file>',
      'incident metadata (CSV or JSON: id, date, severity, duration minutes, customers affected, cost)',
    )
    .option(
      '--strict',
      'treat problems in the metadata file (bad dates, numbers or severities, ids matching no document) as errors instead of warnings',
    )
    .option('-c, --concurrency <n>', 'documents processed at once', positiveInteger, 4)
    .option('--max-bytes <n>', 'skip files larger than this many bytes', positiveInteger, 5 * 1024 * 1024)
    .option(
      '--threads <n>',
      'worker threads of the offline engine: a number, or auto for one per core but one (default: PMLENS_THREADS, else 0: the main thread)',
      threadCount,
    )
    .option('-q, --quiet', 'print nothing but errors')
    .option('--dry-run', 'estimate model calls, tokens and cost without calling any model')
    .addOption(redactOption())
    .option(
      '--restore-pii',
      'also write the report with the redacted personal data put back, under <out>/report-restored/ (internal use only: never share it)',
    )
    .addHelpText(
      'after',
      '\nEvery entry of the input folder is analysed or recorded as skipped with a reason (run.json, report). Symbolic links are followed; the output folder is never read.' +
        '\nExit codes: 0 all documents analysed (hidden entries, duplicates through links, links back into their folder and other output folders are recorded but do not count),' +
        ' 1 some were skipped, failed or quarantined (see run.json), 2 usage or configuration error (an empty input folder, an output folder that cannot be written, --strict metadata problems).',
    )
    .action(async (inputDir: string, options) => {
      const { analyzeCommand } = await import('./commands/analyze.ts');
      process.exitCode = await analyzeCommand(inputDir, options);
    });

  addEngineOptions(analyze);

  const evaluate = program
    .command('eval')
    .description(
      'score an engine against a golden dataset (a folder with cases/, labels.jsonl and optional thresholds.json)',
    )
    .option('-g, --golden <dir>', 'golden dataset folder', 'golden')
    .option('--catalog <file>', 'technology catalog (YAML or JSON)')
    .option('--json', 'print one JSON object with every metric')
    .option('-v, --verbose', 'list the cases the engine got wrong')
    .option(
      '--baseline <file>',
      'an earlier `pmlens eval --json` output: print per-metric deltas, exit 1 on a regression',
    )
    .option(
      '--tolerance <delta>',
      'how far a metric may move the wrong way before it counts as a regression',
      (value) => {
        const number = Number(value);
        if (!Number.isFinite(number) || number < 0) throw new InvalidArgumentError('expected a number >= 0');
        return number;
      },
      0.02,
    )
    .addOption(redactOption())
    .addHelpText(
      'after',
      '\nExit codes: 0 every threshold met, 1 a metric is past its threshold or a case could not be read, 2 usage or configuration error.',
    )
    .action(async (options) => {
      const { evalCommand } = await import('./commands/eval.ts');
      process.exitCode = await evalCommand(options);
    });

  addEngineOptions(evaluate);

  program
    .command('review')
    .description(
      'review the claims of an analyze run (risk items, then a random sample) next to their source passages, voting up, down or edit; or export the votes, or turn a correction into a golden case',
    )
    .option('-o, --out <dir>', 'the analyze output folder', 'out')
    .option('--reviewer <name>', 'who votes (default: $USER)')
    .option('--state <dir>', 'folder whose state.json holds the votes (default: the --out folder)')
    .option('--table <name>', 'keep votes in this DynamoDB state table instead')
    .option('--dynamodb-endpoint <url>', 'DynamoDB endpoint (e.g. a local one) for --table')
    .option('--region <region>', 'AWS region for --table')
    .option('--source <input-dir>', 'the input folder of the run (default: the input recorded in <out>/run.json)')
    .option('--catalog <file>', "catalog for checking corrected technologies (default: the run's catalog)")
    .option(
      '--sample-rate <share>',
      'share of the other claims sampled for review (default 0.2; 0.1 once trailing approval is 95% or more)',
      shareBetweenZeroAndOne,
    )
    .option('--limit <n>', 'review at most this many items now', positiveInteger)
    .option('--export <file>', 'write every vote to a .json or .csv file instead of reviewing')
    .option(
      '--promote <item-id>',
      "copy the item's document and its corrected causal technologies into the golden set (with --golden)",
    )
    .option('--golden <dir>', 'golden folder for --promote')
    .addHelpText(
      'after',
      '\nAnswer each item with u (up), d (down), e (edit: type the corrected text on the next line), s (skip) or q (quit); one answer a line, so stdin can be scripted.\nExit codes: 0 done, 2 usage or configuration error.',
    )
    .action(async (options) => {
      const { reviewCommand } = await import('./commands/review.ts');
      process.exitCode = await reviewCommand(options);
    });

  program
    .command('restore')
    .description(
      "write the latest report of an analyze output folder with the redacted personal data put back, under <out-dir>/report-restored/, from the mapping in the folder's state (internal use only)",
    )
    .argument('<out-dir>', 'the analyze output folder')
    .addHelpText('after', '\nExit codes: 0 written, 2 usage or configuration error (no report in the folder).')
    .action(async (outDir: string) => {
      const { restoreCommand } = await import('./commands/restore.ts');
      process.exitCode = await restoreCommand(outDir);
    });

  return program;
}

/** `--redact on|off`: redaction of personal data before any model call. */
function redactOption(): Option {
  return new Option(
    '--redact <mode>',
    'redact personal data (e-mail addresses, phone numbers, IP addresses, keys and tokens, card numbers, credentials in URLs, names of people) before any model call; default on for model engines, off for offline; the mapping stays in the local state',
  ).choices(['on', 'off']);
}

/** Codes a write to a closed pipe gives: the reader (`| head`) has gone, the work goes on unprinted. */
const CLOSED_PIPE = new Set(['EPIPE', 'ERR_STREAM_DESTROYED', 'ECONNRESET']);

/**
 * `pmlens help analyze | head` and `pmlens analyze ... 2>&1 | head -1`: once the reader of
 * stdout or stderr has gone, writes fail with EPIPE. Those are ignored (the run finishes and
 * writes its report); any other error on the streams is thrown as before.
 */
export function ignoreClosedPipes(streams: readonly NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (CLOSED_PIPE.has(error.code ?? '')) return;
      throw error;
    });
  }
}

/** An error that ends the run with one line and exit code 2, or undefined for a bug (stack trace). */
function usageLine(error: unknown): string | undefined {
  if (error instanceof ConfigurationError) return error.message;
  if (isFileSystemError(error)) return fileSystemErrorLine(error);
  return undefined;
}

export async function main(argv: string[]): Promise<void> {
  ignoreClosedPipes();
  // A file-system error in a write nobody awaited (a full disk while a background flush runs) ends the same way.
  process.on('unhandledRejection', (reason) => {
    const line = usageLine(reason);
    if (line === undefined) throw reason;
    process.stderr.write(`pmlens: ${line}\n`);
    process.exit(EXIT_USAGE);
  });
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : EXIT_USAGE;
      return;
    }
    const line = usageLine(error);
    if (line !== undefined) {
      process.stderr.write(`pmlens: ${line}\n`);
      process.exitCode = EXIT_USAGE;
      return;
    }
    throw error;
  }
}

await main(process.argv);
