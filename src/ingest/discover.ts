import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { SourceFormat } from '../schemas/index.ts';

export const FORMAT_BY_EXTENSION: Readonly<Record<string, SourceFormat>> = {
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.txt': 'text',
  '.text': 'text',
  '.html': 'html',
  '.htm': 'html',
  '.json': 'json',
};

/** Every non-hidden file under root, as sorted paths relative to root with forward slashes. */
export async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const absolute = path.join(entry.parentPath, entry.name);
    const relative = path.relative(root, absolute).split(path.sep).join('/');
    if (relative.split('/').some((part) => part.startsWith('.'))) continue;
    files.push(relative);
  }
  return files.sort();
}

/** A stable document id from a relative path: extension dropped, unsafe characters replaced. */
export function documentIdOf(relativePath: string): string {
  const withoutExtension = relativePath.replace(/\.[^./]+$/, '');
  return withoutExtension
    .split('/')
    .map((part) => part.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || '_')
    .join('/');
}

/** Ids for a set of paths; a clash (a.md and a.txt) keeps the extension on the later path. */
export function assignDocumentIds(relativePaths: readonly string[]): Map<string, string> {
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  for (const relative of relativePaths) {
    let id = documentIdOf(relative);
    if (taken.has(id)) id = documentIdOf(relative.replace(/\.([^./]+)$/, '-$1'));
    for (let suffix = 2; taken.has(id); suffix += 1) id = `${documentIdOf(relative.replace(/\.([^./]+)$/, '-$1'))}-${suffix}`;
    taken.add(id);
    ids.set(relative, id);
  }
  return ids;
}
