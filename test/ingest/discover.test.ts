/**
 * The folder walk: every entry of an input folder is either a file to read or a problem with a
 * code and a reason. Built on real files, links and pipes; the unreadable folder is also
 * simulated through the walk's file-system seam, because root (which runs these tests in CI
 * containers) reads a chmod 000 folder anyway.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverFiles, listFiles, type DiscoveryFs } from '../../src/ingest/discover.ts';

describe('discoverFiles', () => {
  let base: string;
  let root: string;
  let outside: string;

  beforeAll(async () => {
    base = await mkdtemp(path.join(tmpdir(), 'pmlens-discover-'));
    root = path.join(base, 'in');
    outside = path.join(base, 'elsewhere');
    await mkdir(path.join(root, 'sub'), { recursive: true });
    await mkdir(path.join(outside, 'team'), { recursive: true });
    await writeFile(path.join(root, 'a.md'), '# A');
    await writeFile(path.join(root, 'sub', 'b.txt'), 'b');
    await writeFile(path.join(root, '.draft.md'), 'hidden');
    await mkdir(path.join(root, '.git'));
    await writeFile(path.join(root, '.git', 'config'), 'x');
    await writeFile(path.join(outside, 'linked.md'), '# Linked');
    await writeFile(path.join(outside, 'team', 'c.html'), '<p>c</p>');
    await symlink(path.join(outside, 'linked.md'), path.join(root, 'file-link.md'));
    await symlink(path.join(outside, 'team'), path.join(root, 'folder-link'));
    await symlink(root, path.join(root, 'sub', 'back-to-root'));
    await symlink('loop-b', path.join(root, 'loop-a'));
    await symlink('loop-a', path.join(root, 'loop-b'));
    await symlink(path.join(root, 'a.md'), path.join(root, 'zz-same-as-a.md'));
    await symlink(path.join(base, 'missing.md'), path.join(root, 'dangling.md'));
    execFileSync('mkfifo', [path.join(root, 'pipe.md')]);
    // Another run's output folder, and this run's.
    await mkdir(path.join(root, 'old-out', 'docs'), { recursive: true });
    await writeFile(path.join(root, 'old-out', 'state.json'), '{}');
    await writeFile(path.join(root, 'old-out', 'docs', 'page.md'), '# generated');
    await mkdir(path.join(root, 'out', 'docs'), { recursive: true });
    await writeFile(path.join(root, 'out', 'state.json'), '{}');
    await writeFile(path.join(root, 'out', 'run.json'), '{}');
    await symlink(path.join(root, 'out'), path.join(root, 'out-link'));
  });

  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('lists regular files, following links to files and folders outside the input folder', async () => {
    // Prepare
    const exclude = [path.join(root, 'out')];

    // Act
    const { files } = await discoverFiles(root, { exclude });

    // Assess
    expect(files.map((file) => file.key).sort()).toEqual(['a.md', 'file-link.md', 'folder-link/c.html', 'sub/b.txt']);
    expect(files.find((file) => file.key === 'file-link.md')?.size).toBe('# Linked'.length);
  });

  it('records every other entry with a code and a reason', async () => {
    // Prepare
    const exclude = [path.join(root, 'out')];

    // Act
    const { problems } = await discoverFiles(root, { exclude });

    // Assess
    expect(problems.map((problem) => [problem.key, problem.code]).sort()).toEqual(
      [
        ['.draft.md', 'hidden'],
        ['.git/', 'hidden'],
        ['dangling.md', 'unreadable'],
        ['loop-a', 'symlink-loop'],
        ['loop-b', 'symlink-loop'],
        ['old-out/', 'output-folder'],
        ['pipe.md', 'not-a-file'],
        ['sub/back-to-root/', 'symlink-loop'],
        ['zz-same-as-a.md', 'duplicate'],
      ].sort(),
    );
    const reasonOf = (key: string): string => problems.find((problem) => problem.key === key)?.reason ?? '';
    expect(reasonOf('dangling.md')).toContain('missing.md, which does not exist');
    expect(reasonOf('zz-same-as-a.md')).toBe('the same file as a.md (through a symbolic link): analysed once, there');
    expect(reasonOf('pipe.md')).toMatch(/named pipe/);
    expect(reasonOf('sub/back-to-root/')).toMatch(/contains it/);
  });

  it('leaves the excluded output folder out however it is reached, and records nothing for it', async () => {
    // Prepare
    const exclude = [path.join(root, 'out')];

    // Act
    const { files, problems } = await discoverFiles(root, { exclude });

    // Assess
    const keys = [...files.map((file) => file.key), ...problems.map((problem) => problem.key)];
    expect(keys.filter((key) => key.startsWith('out'))).toEqual([]);
  });

  it('records an unreadable folder and goes on (simulated: EACCES from readdir)', async () => {
    // Prepare
    const denied = path.join(root, 'sub');
    const io: DiscoveryFs = {
      readdir: (folder) =>
        folder === denied
          ? Promise.reject(
              Object.assign(new Error(`EACCES: permission denied, scandir '${folder}'`), { code: 'EACCES' }),
            )
          : fs.promises.readdir(folder, { withFileTypes: true }),
      stat: (file) => fs.promises.stat(file),
      readlink: (file) => fs.promises.readlink(file),
    };

    // Act
    const { files, problems } = await discoverFiles(root, { exclude: [path.join(root, 'out')], fs: io });

    // Assess
    expect(problems).toContainEqual({
      key: 'sub/',
      code: 'unreadable',
      reason: `cannot read the folder: EACCES: permission denied, scandir '${denied}'`,
    });
    expect(files.map((file) => file.key)).toContain('a.md');
    expect(files.map((file) => file.key)).not.toContain('sub/b.txt');
  });

  it('throws when the input folder itself cannot be listed', async () => {
    // Prepare
    const missing = path.join(base, 'no-such-folder');

    // Act
    const attempt = discoverFiles(missing);

    // Assess
    await expect(attempt).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('keeps listFiles: the readable files only, sorted', async () => {
    // Prepare
    const exclude = [path.join(root, 'out')];

    // Act
    const files = await listFiles(root, { exclude });

    // Assess
    expect(files).toEqual(['a.md', 'file-link.md', 'folder-link/c.html', 'sub/b.txt']);
  });
});
