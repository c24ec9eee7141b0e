/**
 * Spawning `pmlens` for the folder tests: from any working directory, optionally as an
 * unprivileged user. Root (the CI container's user) ignores file permissions, so "a folder it
 * cannot read" and "an output folder it cannot write" only mean something for another user:
 * when the tests run as root, those runs go as `nobody` (uid 65534), and chmod does the rest.
 */
import { execFile, spawn } from 'node:child_process';
import { repoPath } from '../support/postmortems.ts';

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export const PMLENS = repoPath('bin', 'pmlens.js');
export const IS_ROOT = process.getuid?.() === 0;
/** The user that permissions apply to: nobody when the tests run as root, the test's own user otherwise. */
export const UNPRIVILEGED = IS_ROOT ? { uid: 65534, gid: 65534 } : {};

export interface RunOptions {
  cwd?: string;
  /** Run as a user that file permissions apply to (see above). */
  unprivileged?: boolean;
}

export function pmlens(args: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [PMLENS, ...args],
      {
        cwd: options.cwd ?? repoPath(),
        maxBuffer: 16 * 1024 * 1024,
        env: { ...process.env, NO_COLOR: '1' },
        ...(options.unprivileged ? UNPRIVILEGED : {}),
      },
      (error, stdout, stderr) => {
        const failure = error as (Error & { code?: number | string; signal?: NodeJS.Signals }) | null;
        resolve({
          code: failure ? (typeof failure.code === 'number' ? failure.code : null) : 0,
          signal: failure?.signal ?? null,
          stdout,
          stderr,
        });
      },
    );
  });
}

/**
 * `pmlens ...` whose stdout reader goes away before it writes anything (the end of `| head`
 * that has already read enough): the write fails with EPIPE.
 */
export function pmlensWithClosedStdout(args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [PMLENS, ...args], { cwd: repoPath(), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('close', (code, signal) => resolve({ code, signal, stdout: '', stderr }));
  });
}

/** `bash -c "<pmlens ...> 2>&1 | head -1"`: the first line, and pmlens's own exit status (PIPESTATUS). */
export function pmlensPipedToHead(
  args: readonly string[],
  cwd: string,
): Promise<{ firstLine: string; status: number }> {
  const quoted = [process.execPath, PMLENS, ...args].map((part) => `'${part.replace(/'/g, "'\\''")}'`).join(' ');
  return new Promise((resolve, reject) => {
    execFile('bash', ['-c', `${quoted} 2>&1 | head -1; echo "status=\${PIPESTATUS[0]}"`], { cwd }, (error, stdout) => {
      if (error) {
        reject(error);
        return;
      }
      const lines = stdout.trimEnd().split('\n');
      const status = Number(/status=(\d+)/.exec(lines[lines.length - 1] ?? '')?.[1] ?? -1);
      resolve({ firstLine: lines[0] ?? '', status });
    });
  });
}
