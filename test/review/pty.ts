/**
 * Runs a command in a real pseudo-terminal and types into it like a person: each step waits until
 * the terminal shows `expect` (after the previous step's match), then sends its keystrokes.
 *
 * No npm package: the pty comes from util-linux `script` (`script -qfec <command> /dev/null`), or,
 * where `script` is missing, from python3's `pty.spawn`. Both put the command on the slave side of
 * a new pty and copy our pipes to and from the master side, so the command sees a TTY on stdin and
 * stdout while the test talks through plain pipes.
 */
import { spawn, spawnSync } from 'node:child_process';

export interface PtyStep {
  expect: RegExp;
  /** Keystrokes to type ("\r" is Enter); a function gets the matched text. */
  send: string | ((match: string) => string);
}

export interface PtyResult {
  code: number | null;
  /** Everything the terminal showed, raw (escape sequences, "\r\n"). */
  raw: string;
  /** The same without escape sequences and carriage returns. */
  text: string;
}

export type PtyDriver = 'script' | 'python3';

function available(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  return result.error === undefined && result.status === 0;
}

/** The pty driver this machine has, if any. */
export function ptyDriver(): PtyDriver | undefined {
  if (available('script', ['--version'])) return 'script';
  if (available('python3', ['-c', 'import pty, os; os.waitstatus_to_exitcode'])) return 'python3';
  return undefined;
}

const ESCAPE = '\u001b';
/** A control sequence (CSI), and one cut short by the end of a chunk. */
const CONTROL_SEQUENCE = new RegExp(`${ESCAPE}\\[[0-9;?]*[A-Za-z]`, 'g');
const CUT_SEQUENCE = new RegExp(`${ESCAPE}(?:\\[[0-9;?]*)?$`);

export function stripTerminal(raw: string): string {
  return raw.replace(CONTROL_SEQUENCE, '').replace(CUT_SEQUENCE, '').replace(/\r/g, '');
}

function shellQuote(argument: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(argument) ? argument : `'${argument.replace(/'/g, `'\\''`)}'`;
}

const PYTHON_DRIVER = 'import os, pty, sys; sys.exit(os.waitstatus_to_exitcode(pty.spawn(sys.argv[1:])))';

export function runInPty(
  argv: readonly string[],
  steps: readonly PtyStep[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; driver?: PtyDriver },
): Promise<PtyResult> {
  const driver = options.driver ?? ptyDriver();
  if (!driver) return Promise.reject(new Error('no pty driver: neither util-linux script nor python3 is available'));
  const child =
    driver === 'script'
      ? spawn('script', ['-qfec', argv.map(shellQuote).join(' '), '/dev/null'], {
          cwd: options.cwd,
          env: options.env,
          stdio: 'pipe',
        })
      : spawn('python3', ['-c', PYTHON_DRIVER, ...argv], { cwd: options.cwd, env: options.env, stdio: 'pipe' });
  return new Promise((resolve, reject) => {
    let raw = '';
    let consumed = 0;
    let step = 0;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `pty session timed out at step ${step} (${String(steps[step]?.expect)}); the terminal showed:\n${stripTerminal(raw)}`,
        ),
      );
    }, options.timeoutMs);
    const advance = (): void => {
      while (step < steps.length) {
        const current = steps[step] as PtyStep;
        const text = stripTerminal(raw);
        const match = current.expect.exec(text.slice(consumed));
        if (!match) return;
        consumed += match.index + match[0].length;
        step += 1;
        child.stdin.write(typeof current.send === 'function' ? current.send(match[0]) : current.send);
      }
    };
    child.stdout.on('data', (chunk: Buffer) => {
      raw += chunk.toString('utf8');
      advance();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      raw += chunk.toString('utf8');
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code, raw, text: stripTerminal(raw) });
    });
  });
}
