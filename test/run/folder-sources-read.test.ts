/**
 * FolderSources.read: the bytes of a regular file, and nothing (without blocking) for what is
 * no longer one since the listing: a missing file, a folder, a pipe.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FolderSources } from '../../src/run/sources.ts';

describe('FolderSources.read', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'pmlens-folder-read-'));
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('reads a regular file whole, in a sub-folder too', async () => {
    // Prepare
    const body = 'é'.repeat(70_000);
    await mkdir(path.join(root, 'team'));
    await writeFile(path.join(root, 'team', 'a.md'), body);
    const sources = new FolderSources(root);

    // Act
    const bytes = await sources.read('team/a.md');

    // Assess
    expect(bytes === undefined ? undefined : new TextDecoder().decode(bytes)).toBe(body);
  });

  it('gives nothing for a missing file, a missing folder, a folder and a pipe, without waiting on the pipe', async () => {
    // Prepare: a folder and a pipe where files were listed (a pipe opened for reading would wait for a writer).
    await mkdir(path.join(root, 'folder.md'));
    execFileSync('mkfifo', [path.join(root, 'pipe.md')]);
    const sources = new FolderSources(root);

    // Act
    const read = await Promise.all(['gone.md', 'gone/a.md', 'folder.md', 'pipe.md'].map((key) => sources.read(key)));

    // Assess
    expect(read).toEqual([undefined, undefined, undefined, undefined]);
  });
});
