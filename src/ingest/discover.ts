/**
 * What an input folder holds: every regular file to read, and every other entry with the reason
 * it is not read, so nothing in the folder goes unaccounted for.
 *
 * - Hidden entries (a name starting with a dot) are recorded as `hidden`; a hidden folder is one
 *   entry, its contents are not walked.
 * - Symbolic links are followed, to files and to folders, inside or outside the input folder.
 *   A link to a folder that contains it is recorded as `symlink-loop`; a file or folder reached
 *   a second time (two links to it, or a link to something also listed directly) is recorded as
 *   `duplicate` under the later path, so no document is analysed twice. A link to nothing is
 *   `unreadable`. Identity is the device and inode, so hard links count as the same file.
 * - A folder that cannot be listed (permissions) is recorded as `unreadable` and the walk goes on.
 * - Named pipes, sockets and devices are `not-a-file`: never opened (reading a pipe would block).
 * - Excluded folders (this run's output folder, however it is reached) are left out silently;
 *   any other postmortem-lens output folder (state.json next to run.json, docs/ or cache/) is
 *   recorded as `output-folder` and not walked.
 *
 * The walk is in sorted order, so which of two paths to one file counts as the duplicate is
 * stable between runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { messageOf } from '../errors.ts';
import type { SkipReasonCode, SourceFormat } from '../schemas/index.ts';

export const FORMAT_BY_EXTENSION: Readonly<Record<string, SourceFormat>> = {
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.txt': 'text',
  '.text': 'text',
  '.html': 'html',
  '.htm': 'html',
  '.json': 'json',
  '.pdf': 'pdf',
  '.docx': 'docx',
};

/** A regular file found by the walk: its key (relative, forward slashes) and the stat of what it points to. */
export interface DiscoveredFile {
  key: string;
  size: number;
  mtimeMs: number;
}

/** An entry that is not read, and why. Folder keys end with a slash. */
export interface DiscoveryProblem {
  key: string;
  code: SkipReasonCode;
  reason: string;
}

export interface Discovery {
  files: DiscoveredFile[];
  problems: DiscoveryProblem[];
}

/** The file-system calls the walk makes; tests replace them to simulate what root cannot (an unreadable folder). */
export interface DiscoveryFs {
  readdir(folder: string): Promise<fs.Dirent[]>;
  stat(file: string): Promise<fs.Stats>;
  readlink(file: string): Promise<string>;
}

const NODE_FS: DiscoveryFs = {
  readdir: (folder) => fs.promises.readdir(folder, { withFileTypes: true }),
  stat: (file) => fs.promises.stat(file),
  readlink: (file) => fs.promises.readlink(file),
};

export interface DiscoveryOptions {
  /** Folders never walked nor recorded (absolute or relative to the working directory). */
  exclude?: readonly string[];
  fs?: DiscoveryFs;
}

/** Files whose presence together marks a postmortem-lens output folder. */
function isOutputFolder(names: ReadonlySet<string>): boolean {
  return names.has('state.json') && (names.has('run.json') || names.has('docs') || names.has('cache'));
}

function codeOf(error: unknown): string {
  return (error as { code?: string }).code ?? 'error';
}

function identityOf(info: fs.Stats): string {
  return `${info.dev}:${info.ino}`;
}

function kindOf(info: fs.Stats): string {
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/** Walk root (which must be a readable folder: its own errors are thrown). */
export async function discoverFiles(root: string, options: DiscoveryOptions = {}): Promise<Discovery> {
  const io = options.fs ?? NODE_FS;
  const files: DiscoveredFile[] = [];
  const problems: DiscoveryProblem[] = [];
  const excluded = new Set<string>();
  for (const folder of options.exclude ?? []) {
    const info = await io.stat(path.resolve(folder)).catch(() => undefined);
    if (info?.isDirectory()) excluded.add(identityOf(info));
  }
  /** Where each file and folder was first seen, by identity. */
  const seen = new Map<string, string>();
  const rootInfo = await io.stat(root);
  seen.set(identityOf(rootInfo), 'the input folder');

  const walk = async (folder: string, prefix: string, ancestors: ReadonlySet<string>): Promise<void> => {
    let entries: fs.Dirent[];
    try {
      entries = await io.readdir(folder);
    } catch (error) {
      if (prefix === '') throw error;
      problems.push({ key: prefix, code: 'unreadable', reason: `cannot read the folder: ${messageOf(error)}` });
      return;
    }
    entries.sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
    // Stat every entry of the folder at once (it follows links); the decisions below are in order.
    const stats = await Promise.all(
      entries.map((entry) =>
        entry.name.startsWith('.')
          ? Promise.resolve(undefined)
          : io.stat(path.join(folder, entry.name)).then(
              (info) => ({ info }) as const,
              (error: unknown) => ({ error }) as const,
            ),
      ),
    );
    for (const [index, entry] of entries.entries()) {
      const absolute = path.join(folder, entry.name);
      const key = `${prefix}${entry.name}`;
      const linked = entry.isSymbolicLink();
      const via = linked ? ' (through a symbolic link)' : '';
      if (entry.name.startsWith('.')) {
        const folderLike = entry.isDirectory();
        problems.push({
          key: folderLike ? `${key}/` : key,
          code: 'hidden',
          reason: `hidden ${folderLike ? 'folder' : linked ? 'symbolic link' : 'file'}: names starting with a dot are not read`,
        });
        continue;
      }
      const stated = stats[index];
      if (!stated || 'error' in stated) {
        const error = stated?.error;
        const code = codeOf(error);
        if (linked && code === 'ELOOP')
          problems.push({ key, code: 'symlink-loop', reason: 'a symbolic link that leads back to itself' });
        else if (linked && (code === 'ENOENT' || code === 'ENOTDIR')) {
          const target = await io.readlink(absolute).catch(() => '?');
          problems.push({ key, code: 'unreadable', reason: `a symbolic link to ${target}, which does not exist` });
        } else problems.push({ key, code: 'unreadable', reason: `cannot read the entry: ${messageOf(error)}` });
        continue;
      }
      const { info } = stated;
      const identity = identityOf(info);
      if (info.isDirectory()) {
        if (excluded.has(identity)) continue;
        if (ancestors.has(identity)) {
          problems.push({
            key: `${key}/`,
            code: 'symlink-loop',
            reason: `a symbolic link to a folder that contains it (${seen.get(identity) ?? 'an ancestor'}): not followed`,
          });
          continue;
        }
        const first = seen.get(identity);
        if (first !== undefined) {
          problems.push({
            key: `${key}/`,
            code: 'duplicate',
            reason: `the same folder as ${first}${via}: read once, there`,
          });
          continue;
        }
        seen.set(identity, `${key}/`);
        const names = await io.readdir(absolute).then(
          (children) => new Set(children.map((child) => child.name)),
          () => undefined,
        );
        if (names && isOutputFolder(names)) {
          problems.push({
            key: `${key}/`,
            code: 'output-folder',
            reason: 'an output folder of postmortem-lens (it holds state.json and its results): never read as input',
          });
          continue;
        }
        await walk(absolute, `${key}/`, new Set([...ancestors, identity]));
      } else if (info.isFile()) {
        const first = seen.get(identity);
        if (first !== undefined) {
          problems.push({ key, code: 'duplicate', reason: `the same file as ${first}${via}: analysed once, there` });
          continue;
        }
        seen.set(identity, key);
        files.push({ key, size: info.size, mtimeMs: info.mtimeMs });
      } else {
        problems.push({ key, code: 'not-a-file', reason: `${kindOf(info)}${via}: only regular files are read` });
      }
    }
  };

  await walk(path.resolve(root), '', new Set([identityOf(rootInfo)]));
  return { files, problems };
}

/** Every readable file under root that the walk would analyse, as sorted keys. */
export async function listFiles(root: string, options: DiscoveryOptions = {}): Promise<string[]> {
  return (await discoverFiles(root, options)).files.map((file) => file.key).sort();
}
