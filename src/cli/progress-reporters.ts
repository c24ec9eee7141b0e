import cliProgress from 'cli-progress';
import { SILENT_PROGRESS, type ProgressReporter } from '../pipeline/progress.ts';

/** A bar on a terminal; notes are printed above it. */
export function barProgress(stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  let bar: cliProgress.SingleBar | undefined;
  return {
    phase(name, total) {
      bar = new cliProgress.SingleBar(
        { stream, format: `${name} [{bar}] {value}/{total} documents | {eta_formatted} left | {detail}`, hideCursor: true, clearOnComplete: false },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0, { detail: '' });
    },
    tick(detail) {
      bar?.increment(1, { detail: detail ?? '' });
    },
    note(message) {
      if (bar) {
        stream.write('\r\u001b[K');
        stream.write(`${message}\n`);
        bar.render();
      } else stream.write(`${message}\n`);
    },
    done() {
      bar?.stop();
      bar = undefined;
    },
  };
}

/** Plain lines for logs and pipes: one line per tenth of the work, and every note. */
export function lineProgress(stream: NodeJS.WritableStream = process.stderr): ProgressReporter {
  let total = 0;
  let done = 0;
  let name = '';
  let nextReport = 0;
  return {
    phase(phaseName, phaseTotal) {
      name = phaseName;
      total = phaseTotal;
      done = 0;
      nextReport = Math.max(1, Math.ceil(total / 10));
      stream.write(`${name}: ${total} files\n`);
    },
    tick() {
      done += 1;
      if (done >= nextReport || done === total) {
        stream.write(`${name}: ${done}/${total}\n`);
        nextReport = done + Math.max(1, Math.ceil(total / 10));
      }
    },
    note(message) {
      stream.write(`${message}\n`);
    },
    done() {
      return undefined;
    },
  };
}

export function chooseProgress(quiet: boolean): ProgressReporter {
  if (quiet) return SILENT_PROGRESS;
  return process.stderr.isTTY ? barProgress() : lineProgress();
}
