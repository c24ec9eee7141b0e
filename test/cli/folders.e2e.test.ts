/**
 * `pmlens analyze` on the folders people actually have: the output folder inside the input,
 * symbolic links, hidden files, folders it cannot read, an output folder it cannot write, a
 * reader that closes the pipe, an empty folder, a metadata file with mistakes.
 *
 * Unreadable and read-only folders: root ignores chmod, so when these tests run as root the
 * runs that need permissions to apply are made as `nobody` (see folder-helpers.ts). A FIFO and
 * a dangling symbolic link, which stop any user, are covered in the same folder.
 */
import { execFileSync } from 'node:child_process';
import { chmod, chown, cp, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportData, RunRecord } from '../../src/schemas/index.ts';
import { repoPath } from '../support/postmortems.ts';
import { IS_ROOT, pmlens, pmlensPipedToHead, pmlensWithClosedStdout } from './folder-helpers.ts';

const CASES = repoPath('golden', 'cases');
const VERSION = (JSON.parse(await readFile(repoPath('package.json'), 'utf8')) as { version: string }).version;

async function readRecord(out: string): Promise<RunRecord> {
  return RunRecord.parse(JSON.parse(await readFile(path.join(out, 'run.json'), 'utf8')));
}

async function readReport(out: string): Promise<ReportData> {
  return ReportData.parse(JSON.parse(await readFile(path.join(out, 'report', 'report.json'), 'utf8')));
}

/** A temporary folder every user can enter, with three postmortems in `in/`. */
async function workspace(): Promise<{ base: string; input: string }> {
  const base = await mkdtemp(path.join(tmpdir(), 'pmlens-folders-'));
  await chmod(base, 0o777);
  const input = path.join(base, 'in');
  await mkdir(input);
  for (const file of ['a-pg-conn-exhaustion.md', 'a-dns-ttl.txt', 'a-redis-eviction.html'])
    await cp(path.join(CASES, file), path.join(input, file));
  return { base, input };
}

describe('pmlens analyze . with the output folder inside the input', () => {
  let base: string;
  let input: string;

  beforeAll(async () => {
    ({ base, input } = await workspace());
  });

  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('finds the same documents on every run: its own output is never input', async () => {
    // Prepare
    const runs = [];

    // Act
    for (let index = 0; index < 3; index += 1) runs.push(await pmlens(['analyze', '.', '--quiet'], { cwd: input }));
    const record = await readRecord(path.join(input, 'out'));
    const report = await readReport(path.join(input, 'out'));

    // Assess
    expect(runs.map((run) => run.code)).toEqual([0, 0, 0]);
    expect(record.counts).toMatchObject({ discovered: 3, succeeded: 3, skipped: 0 });
    expect(record.changes).toEqual({ work: 0, unchanged: 3, deleted: 0 });
    expect(report.documents).toHaveLength(3);
  });
});

describe('pmlens analyze on a folder with links, hidden files, pipes and a folder it cannot read', () => {
  let base: string;
  let input: string;
  let out: string;
  let result: Awaited<ReturnType<typeof pmlens>>;

  beforeAll(async () => {
    ({ base, input } = await workspace());
    out = path.join(base, 'out');
    const elsewhere = path.join(base, 'shared');
    await mkdir(path.join(elsewhere, 'team-b'), { recursive: true });
    await cp(path.join(CASES, 'a-s3-lifecycle.md'), path.join(elsewhere, 'linked.md'));
    await cp(path.join(CASES, 'a-cert-expiry.md'), path.join(elsewhere, 'team-b', 'cert.md'));
    await symlink(path.join(elsewhere, 'linked.md'), path.join(input, 'linked.md'));
    await symlink(path.join(elsewhere, 'team-b'), path.join(input, 'team-b'));
    await symlink(input, path.join(input, 'loop'));
    await symlink(path.join(base, 'nowhere.md'), path.join(input, 'dangling.md'));
    await writeFile(path.join(input, '.draft.md'), '# Draft\n\nNot ready.\n');
    execFileSync('mkfifo', [path.join(input, 'pipe.md')]);
    await mkdir(path.join(input, 'locked'));
    await cp(path.join(CASES, 'a-feature-flag-deploy.md'), path.join(input, 'locked', 'secret.md'));
    await chmod(path.join(input, 'locked'), 0o000);
    await mkdir(out, { mode: 0o777 });
    if (IS_ROOT) await chown(out, 65534, 65534);
    result = await pmlens(['analyze', input, '--out', out, '--quiet'], { unprivileged: true });
  });

  afterAll(async () => {
    await chmod(path.join(input, 'locked'), 0o755).catch(() => undefined);
    await rm(base, { recursive: true, force: true });
  });

  it('finishes with exit code 1 (some entries skipped), no stack trace', () => {
    // Prepare
    const { code, stderr } = result;

    // Act
    const trace = /\n\s+at /.test(stderr);

    // Assess
    expect(stderr).toBe('');
    expect(trace).toBe(false);
    expect(code).toBe(1);
  });

  it('analyses files and folders reached through symbolic links', async () => {
    // Prepare
    const report = await readReport(out);

    // Act
    const analysed = report.documents.map((document) => document.sourcePath).sort();

    // Assess
    expect(analysed).toEqual([
      'a-dns-ttl.txt',
      'a-pg-conn-exhaustion.md',
      'a-redis-eviction.html',
      'linked.md',
      'team-b/cert.md',
    ]);
  });

  it('records every other entry with its code in run.json and the report: hidden file, loop, dangling link, pipe, unreadable folder', async () => {
    // Prepare
    const [record, report] = [await readRecord(out), await readReport(out)];

    // Act
    const skipped = record.skipped.map((entry) => [entry.path, entry.code]);

    // Assess
    expect(skipped).toEqual([
      ['.draft.md', 'hidden'],
      ['dangling.md', 'unreadable'],
      ['locked/', 'unreadable'],
      ['loop/', 'symlink-loop'],
      ['pipe.md', 'not-a-file'],
    ]);
    expect(record.skipped.find((entry) => entry.path === 'locked/')?.reason).toMatch(/cannot read the folder: EACCES/);
    expect(report.skipped).toEqual(record.skipped);
    expect(record.counts).toMatchObject({ discovered: 5, succeeded: 5, skipped: 5, failed: 0 });
  });
});

describe('pmlens analyze on a git checkout with a hidden file and a second link to a postmortem', () => {
  let base: string;
  let input: string;

  beforeAll(async () => {
    ({ base, input } = await workspace());
    await mkdir(path.join(input, '.git', 'objects'), { recursive: true });
    await writeFile(path.join(input, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    await writeFile(path.join(input, '.DS_Store'), 'x');
    await symlink('a-dns-ttl.txt', path.join(input, 'latest.txt'));
  });

  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('records them as skipped by rule and exits 0: nothing readable was lost', async () => {
    // Prepare
    const out = path.join(base, 'out');

    // Act
    const result = await pmlens(['analyze', input, '--out', out, '--quiet']);
    const record = await readRecord(out);

    // Assess
    expect(result.code).toBe(0);
    expect(record.skipped.map((entry) => [entry.path, entry.code])).toEqual([
      ['.DS_Store', 'hidden'],
      ['.git/', 'hidden'],
      ['latest.txt', 'duplicate'],
    ]);
    expect(record.counts).toMatchObject({ discovered: 3, succeeded: 3 });
  });
});

describe('pmlens analyze with an output folder it cannot use', () => {
  let base: string;
  let input: string;

  beforeAll(async () => {
    ({ base, input } = await workspace());
  });

  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('ends with one line naming a read-only output folder and exit code 2', async () => {
    // Prepare
    const out = path.join(base, 'read-only');
    await mkdir(out);
    await chmod(out, 0o555);

    // Act
    const result = await pmlens(['analyze', input, '--out', out, '--quiet'], { unprivileged: true });

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`pmlens: cannot write to the output folder ${out}: permission denied (EACCES)\n`);
  });

  it.each([
    [
      'a file',
      (base: string) => path.join(base, 'in', 'a-dns-ttl.txt'),
      /^pmlens: the output folder .*a-dns-ttl\.txt is not a folder \(it is a file\); give a folder with --out\n$/,
    ],
    [
      'under a file',
      (base: string) => path.join(base, 'in', 'a-dns-ttl.txt', 'out'),
      /^pmlens: cannot use the output folder .*a-dns-ttl\.txt\/out: a part of the path is a file, not a folder \(ENOTDIR\)\n$/,
    ],
  ])('ends with one line and exit code 2 when --out is %s', async (_name, outOf, message) => {
    // Prepare
    const out = outOf(base);

    // Act
    const result = await pmlens(['analyze', input, '--out', out, '--quiet']);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('ends with one line naming the folder and exit code 2 when the disk is full (a 64 KB tmpfs, where mounting is allowed)', async (context) => {
    // Prepare
    const mountPoint = path.join(base, 'full');
    await mkdir(mountPoint);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint], { stdio: 'ignore' });
    } catch {
      context.skip('mounting a small tmpfs is not allowed here');
      return;
    }
    const out = path.join(mountPoint, 'out');

    // Act
    const result = await pmlens(['analyze', 'golden/cases', '--out', out, '--quiet']).finally(() =>
      execFileSync('umount', [mountPoint]),
    );

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(
        `^pmlens: cannot write (to the output folder )?${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\S*: no space left on device \\(ENOSPC\\)\\n$`,
      ),
    );
  });
});

describe('pmlens and a closed pipe', () => {
  let base: string;
  let input: string;

  beforeAll(async () => {
    ({ base, input } = await workspace());
  });

  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('pmlens help analyze | head: ends quietly with exit code 0 when the reader has gone', async () => {
    // Prepare
    const args = ['help', 'analyze'];

    // Act
    const result = await pmlensWithClosedStdout(args);

    // Assess
    expect(result.signal).toBeNull();
    expect(result.stderr).not.toMatch(/EPIPE|Error/);
    expect(result.code).toBe(0);
  });

  it('analyze ... 2>&1 | head -1: the run goes on and writes its report', async () => {
    // Prepare
    const out = path.join(base, 'piped-out');

    // Act
    const { firstLine, status } = await pmlensPipedToHead(['analyze', input, '--out', out], base);
    const record = await readRecord(out);

    // Assess
    expect(firstLine).toBe(`listing ${input}`);
    expect(status).toBe(0);
    expect(record.counts.succeeded).toBe(3);
    expect((await stat(path.join(out, 'report', 'report.html'))).size).toBeGreaterThan(1000);
  });
});

describe('pmlens usage on any folder', () => {
  let base: string;
  let input: string;

  beforeAll(async () => {
    ({ base, input } = await workspace());
  });

  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('prints its version with --version', async () => {
    // Prepare
    const args = ['--version'];

    // Act
    const result = await pmlens(args);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${VERSION}\n`);
  });

  it('refuses an empty input folder with exit code 2 and writes nothing', async () => {
    // Prepare
    const empty = path.join(base, 'empty');
    await mkdir(empty);
    const out = path.join(base, 'empty-out');

    // Act
    const result = await pmlens(['analyze', empty, '--out', out, '--quiet']);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`pmlens: the input folder ${empty} holds no files to analyse\n`);
    await expect(stat(out)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it("reports a metadata file's mistakes as warnings in run.json, and refuses them with --strict", async () => {
    // Prepare
    const metadata = path.join(base, 'incidents.csv');
    await writeFile(
      metadata,
      'id,date,severity,cost\na-pg-conn-exhaustion,2025-03-14,Sev 2,100\na-dns-ttl,yesterday,SEVERE,\ninc-404,2025-01-01,P1,5\n',
    );
    const out = path.join(base, 'meta-out');

    // Act
    const lenient = await pmlens(['analyze', input, '--out', out, '--metadata', metadata, '--quiet']);
    const record = await readRecord(out);
    const strict = await pmlens([
      'analyze',
      input,
      '--out',
      path.join(base, 'strict-out'),
      '--metadata',
      metadata,
      '--strict',
      '--quiet',
    ]);

    // Assess
    expect(lenient.code).toBe(0);
    expect(record.metadata?.warnings).toEqual([
      'incidents.csv row 2 (a-dns-ttl): "yesterday" in column date is not a date such as 2025-03-14 or 14 March 2025 (ignored)',
      'incidents.csv row 2 (a-dns-ttl): severity "SEVERE" is on no known scale (SEV0-SEV5, P0-P5, S0-S5, critical/high/medium/low); kept as written, it scores no severity points',
      'incidents.csv: id "inc-404" matches no document in the input folder',
    ]);
    expect(record.warnings.filter((warning) => warning.startsWith('metadata '))).toHaveLength(3);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toMatch(
      /^pmlens: the metadata file .*incidents\.csv has 2 problems \(--strict\):\n {2}incidents\.csv row 2 \(a-dns-ttl\): "yesterday"/,
    );
    await expect(stat(path.join(base, 'strict-out'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
