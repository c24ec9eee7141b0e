import cliProgress from 'cli-progress';
import { SILENT_PROGRESS, type ProgressReporter } from '../pipeline/progress.ts';

/** Share of the newest raw estimate blended into the one shown: higher follows faster, lower jumps less. */
const BLEND = 0.25;
/** No estimate before this much work is done and this much time has passed: the first documents say little. */
const MIN_DONE_SHARE = 0.02;
const MIN_ELAPSED_MS = 1500;

/**
 * A time-left estimate that does not jump about. The raw estimate uses the average rate since the
 * phase started (not the last few documents, whose times vary with caching and concurrency); the
 * one shown counts down with the clock between documents and moves a quarter of the way toward
 * each new raw estimate. It is rounded coarsely, so it reads "about 40 s", then "about 35 s".
 */
export class SteadyEstimate {
  private started = 0;
  private total = 0;
  private done = 0;
  private shown: number | undefined;
  private shownAt = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  start(total: number): void {
    this.started = this.now();
    this.total = total;
    this.done = 0;
    this.shown = undefined;
  }

  /** One more item done. */
  tick(): void {
    this.done += 1;
    const now = this.now();
    const elapsed = now - this.started;
    if (this.done < Math.max(1, this.total * MIN_DONE_SHARE) || elapsed < MIN_ELAPSED_MS) return;
    const raw = ((this.total - this.done) * elapsed) / this.done;
    const counted = this.shown === undefined ? raw : Math.max(0, this.shown - (now - this.shownAt));
    this.shown = this.shown === undefined ? raw : counted + BLEND * (raw - counted);
    this.shownAt = now;
  }

  /** Milliseconds left, or undefined while there is too little to go on. */
  remainingMillis(): number | undefined {
    if (this.done >= this.total) return 0;
    if (this.shown === undefined) return undefined;
    return Math.max(0, this.shown - (this.now() - this.shownAt));
  }

  /** "estimating time left", "about 40 s left", "about 2 min 30 s left", "a few seconds left", "done". */
  text(): string {
    if (this.done >= this.total) return 'done';
    const millis = this.remainingMillis();
    if (millis === undefined) return 'estimating time left';
    if (millis < 5000) return 'a few seconds left';
    return `about ${formatDuration(millis)} left`;
  }
}

/** A coarse duration: seconds to 5 s under a minute, 30 s under ten minutes, minutes above. */
export function formatDuration(millis: number): string {
  const seconds = millis / 1000;
  if (seconds < 60) return `${Math.max(5, Math.round(seconds / 5) * 5)} s`;
  if (seconds < 600) {
    const halves = Math.round(seconds / 30);
    const minutes = Math.floor(halves / 2);
    return halves % 2 === 0 ? `${minutes} min` : `${minutes} min 30 s`;
  }
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** A bar on a terminal, shown as soon as a phase starts; notes are printed above it. */
export function barProgress(stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  let bar: cliProgress.SingleBar | undefined;
  let timer: NodeJS.Timeout | undefined;
  const estimate = new SteadyEstimate();
  const stop = (): void => {
    if (timer) clearInterval(timer);
    timer = undefined;
    bar?.stop();
    bar = undefined;
  };
  return {
    phase(name, total) {
      stop();
      estimate.start(total);
      bar = new cliProgress.SingleBar(
        {
          stream,
          format: `${name} [{bar}] {value}/{total} | {estimate} | {detail}`,
          hideCursor: true,
          clearOnComplete: false,
          etaBuffer: 1,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0, { detail: '', estimate: estimate.text() });
      // The estimate counts down between documents too.
      timer = setInterval(() => bar?.update({ estimate: estimate.text() }), 1000);
      timer.unref();
    },
    tick(detail) {
      estimate.tick();
      bar?.increment(1, { detail: detail ?? '', estimate: estimate.text() });
    },
    note(message) {
      if (bar) {
        stream.write('\r\u001b[K');
        stream.write(`${message}\n`);
        bar.render();
      } else stream.write(`${message}\n`);
    },
    done() {
      stop();
    },
  };
}

/** Plain lines for logs and pipes: one when a phase starts, then every tenth of the work or every 30 s, with the estimate; and every note. */
export function lineProgress(
  stream: NodeJS.WritableStream = process.stderr,
  now: () => number = () => performance.now(),
): ProgressReporter {
  let total = 0;
  let done = 0;
  let name = '';
  let nextReport = 0;
  let lastLine = 0;
  const estimate = new SteadyEstimate(now);
  return {
    phase(phaseName, phaseTotal) {
      name = phaseName;
      total = phaseTotal;
      done = 0;
      estimate.start(total);
      nextReport = Math.max(1, Math.ceil(total / 10));
      lastLine = now();
      stream.write(`${name}: 0/${total} files\n`);
    },
    tick() {
      done += 1;
      estimate.tick();
      if (done >= nextReport || done === total || now() - lastLine >= 30_000) {
        stream.write(`${name}: ${done}/${total}${done < total ? ` (${estimate.text()})` : ''}\n`);
        nextReport = done + Math.max(1, Math.ceil(total / 10));
        lastLine = now();
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
