/**
 * The CLI's checks of its folders before a run, and the one-line messages for file-system
 * errors during one: a read-only, full or misnamed output folder ends the run with the path and
 * exit code 2, never with a stack trace or an unhandled rejection.
 */
import { constants } from 'node:fs';
import { access, mkdir, readdir, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigurationError } from '../errors.ts';

const DESCRIPTIONS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'is a folder',
  EEXIST: 'already exists',
  ENOENT: 'no such file or folder',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  ENAMETOOLONG: 'name too long',
  EIO: 'input/output error',
  ELOOP: 'too many symbolic links',
};

interface FileSystemError {
  code: string;
  path?: string;
  dest?: string;
  syscall?: string;
}

/** An error from a file-system call (it carries an E... code and usually the path). */
export function isFileSystemError(error: unknown): error is FileSystemError {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' && code in DESCRIPTIONS && typeof (error as { syscall?: unknown }).syscall === 'string'
  );
}

export function describeFileSystemError(error: unknown): string {
  const code = (error as { code?: string }).code ?? '';
  return `${DESCRIPTIONS[code] ?? (error instanceof Error ? error.message : String(error))}${code ? ` (${code})` : ''}`;
}

const READS = new Set(['read', 'open', 'scandir', 'stat', 'lstat', 'readlink', 'access']);

/** "cannot write out/report/report.html: no space left on device (ENOSPC)". */
export function fileSystemErrorLine(error: FileSystemError): string {
  const verb =
    error.syscall && READS.has(error.syscall) && error.code !== 'ENOSPC' && error.code !== 'EROFS' ? 'read' : 'write';
  const where = error.path ?? error.dest ?? 'a file';
  return `cannot ${verb} ${where}: ${describeFileSystemError(error)}`;
}

/**
 * Make sure the output folder exists (creating it), is a folder, and takes a file. Returns whether
 * it was created here, so a run that ends before writing anything can leave no empty folder behind.
 */
export async function prepareOutputFolder(outDir: string): Promise<{ created: boolean }> {
  const info = await stat(outDir).catch((error: unknown) => {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw new ConfigurationError(`cannot use the output folder ${outDir}: ${describeFileSystemError(error)}`);
  });
  if (info && !info.isDirectory())
    throw new ConfigurationError(
      `the output folder ${outDir} is not a folder (it is a file); give a folder with --out`,
    );
  let created = false;
  if (!info) {
    try {
      await mkdir(outDir, { recursive: true });
      created = true;
    } catch (error) {
      throw new ConfigurationError(`cannot create the output folder ${outDir}: ${describeFileSystemError(error)}`);
    }
  }
  const probe = path.join(outDir, `.pmlens-write-check-${process.pid}`);
  try {
    await writeFile(probe, 'postmortem-lens checks that it can write here\n');
  } catch (error) {
    throw new ConfigurationError(`cannot write to the output folder ${outDir}: ${describeFileSystemError(error)}`);
  } finally {
    await rm(probe, { force: true }).catch(() => undefined);
  }
  return { created };
}

/** Remove a folder this run created if it is still empty (a run refused before writing anything). */
export async function removeIfEmpty(folder: string): Promise<void> {
  await rmdir(folder).catch(() => undefined);
}

/** Whether a folder looks like a postmortem-lens output folder (state.json with run.json, docs/ or cache/). */
export async function isOutputFolder(folder: string): Promise<boolean> {
  const names = new Set(await readdir(folder).catch(() => [] as string[]));
  return names.has('state.json') && (names.has('run.json') || names.has('docs') || names.has('cache'));
}

/** The input folder exists, is a folder, can be listed, and is not an output folder of a run. */
export async function checkInputFolder(inputDir: string, outDir: string): Promise<void> {
  const info = await stat(inputDir).catch(() => undefined);
  if (!info?.isDirectory())
    throw new ConfigurationError(`the input folder ${inputDir} does not exist or is not a folder`);
  try {
    await access(inputDir, constants.R_OK | constants.X_OK);
    await readdir(inputDir);
  } catch (error) {
    throw new ConfigurationError(`cannot read the input folder ${inputDir}: ${describeFileSystemError(error)}`);
  }
  const input = path.resolve(inputDir);
  const out = path.resolve(outDir);
  if (input === out || input.startsWith(`${out}${path.sep}`))
    throw new ConfigurationError(
      `the input folder ${inputDir} is the output folder ${outDir} or inside it; give the folder of postmortems`,
    );
  if (await isOutputFolder(inputDir))
    throw new ConfigurationError(
      `the input folder ${inputDir} is an output folder of postmortem-lens (it holds state.json); give the folder of postmortems`,
    );
}
