/** Runs the real `pmlens` entry point (bin/pmlens.js) in a child process. */
import { execFile } from 'node:child_process';
import { REPO_ROOT, repoPath } from './postmortems.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Spawn `node bin/pmlens.js ...args` from the repository root; resolves whatever the exit code. */
export function runCli(args: readonly string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [repoPath('bin', 'pmlens.js'), ...args],
      { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(error);
          return;
        }
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}
