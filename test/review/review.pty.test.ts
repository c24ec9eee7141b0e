/**
 * `pmlens review` end to end: analyze a three-document folder, then review it in a real
 * pseudo-terminal (see ./pty.ts), answering up, down, edit with a correction, skip and quit;
 * then again from a pipe, as a script would.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_PROMPT } from '../../src/review/session.ts';
import { buildReviewQueue } from '../../src/review/queue.ts';
import { contentHashesOf, loadAnalyzeOutput } from '../../src/review/workspace.ts';
import { openLocalStateStore } from '../../src/store/open-state.ts';
import { normalizeForMatch } from '../../src/trust/quotes.ts';
import { runCli } from '../support/cli.ts';
import { REPO_ROOT, repoPath } from '../support/postmortems.ts';
import { ptyDriver, runInPty, type PtyResult } from './pty.ts';

const DOCUMENTS: Record<string, string> = {
  'redis-evictions.md': `---
title: Session loss after Redis evictions
date: 2025-03-02
severity: SEV2
---
# Session loss after Redis evictions

## Summary

Users were logged out in bulk for 25 minutes after the session store started evicting keys.

## Root cause

Redis reached maxmemory and evicted session keys because the eviction policy was allkeys-lru.

## Impact

About 12,000 users had to sign in again.

## Resolution

We raised maxmemory and switched the eviction policy to volatile-lru.

## Action items

- Alert on Redis memory above 80%.
`,
  'pg-pool.md': `# Checkout timeouts

## Summary

Checkout requests timed out for 40 minutes during the spring sale.

## Root cause

A deploy doubled the number of pods, and Postgres refused new connections once max_connections was reached.

## Impact

Roughly 3,100 orders failed.

## Resolution

We rolled back the deploy and lowered the per-pod pool size.
`,
  'dns.txt': `Summary: internal DNS answers went stale for 15 minutes.
Root cause: a resolver config push set the TTL to one day.
Impact: 2 internal services could not reach their new hosts.
Resolution: we reverted the push and flushed the caches.
`,
};

const ACTION = /\[u\]p \[d\]own \[e\]dit \[s\]kip \[q\]uit > $/;
const CORRECTION =
  /(corrected (?:text of|digest text for) \S+ \(empty line to cancel\)|catalog names, comma-separated \("none" for none; empty line to cancel\)) > $/;
const driver = ptyDriver();

let root: string;
let input: string;
let out: string;
let session: PtyResult;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'review-pty-'));
  input = path.join(root, 'in');
  out = path.join(root, 'out');
  await mkdir(input, { recursive: true });
  for (const [name, text] of Object.entries(DOCUMENTS)) await writeFile(path.join(input, name), text);
  const analyzed = await runCli(['analyze', input, '--out', out, '--quiet']);
  if (analyzed.code !== 0) throw new Error(`analyze failed: ${analyzed.stderr}`);
  if (!driver) return;
  session = await runInPty(
    [
      process.execPath,
      repoPath('bin', 'pmlens.js'),
      'review',
      '--out',
      out,
      '--reviewer',
      'pty-tester',
      '--sample-rate',
      '1',
      '--limit',
      '6',
    ],
    [
      { expect: ACTION, send: 'u\r' },
      { expect: ACTION, send: 'd\r' },
      { expect: ACTION, send: 'e\r' },
      { expect: CORRECTION, send: (prompt) => (prompt.startsWith('corrected') ? 'The corrected text\r' : 'Redis\r') },
      { expect: ACTION, send: 's\r' },
      { expect: ACTION, send: 'q\r' },
    ],
    { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1', TERM: 'xterm' }, timeoutMs: 20_000, driver },
  );
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe.skipIf(!driver)(`pmlens review in a pseudo-terminal (${driver ?? 'no driver'})`, () => {
  it('runs readline in terminal mode and exits 0', () => {
    expect(session.code).toBe(0);
    // Readline draws its prompt with cursor control only when it sees a terminal.
    expect(session.raw).toContain(`\x1b[1G\x1b[0J${ACTION_PROMPT}`);
    expect(session.text).toContain('recorded 4 votes (up 1, down 1, edit 1, skip 1); ');
  });

  it('stores the votes in the local state store, in the queue order, with prompt version and model', async () => {
    // Prepare
    const { report } = await loadAnalyzeOutput(out);
    const { hashes } = await contentHashesOf(report, input);
    const queue = buildReviewQueue(report, { sampleRate: 1, contentHashes: hashes });

    // Act
    // Votes are listed by time; two answers typed within one millisecond tie, so put them back in queue order.
    const order = new Map(queue.map((item, index) => [item.id, index]));
    const votes = (await (await openLocalStateStore(out)).listVotes()).sort(
      (left, right) => (order.get(left.itemId) ?? 0) - (order.get(right.itemId) ?? 0),
    );

    // Assess
    expect(votes.map((vote) => vote.vote)).toEqual(['up', 'down', 'edit', 'skip']);
    expect(votes.map((vote) => vote.itemId)).toEqual(queue.slice(0, 4).map((item) => item.id));
    for (const vote of votes) {
      expect(vote).toMatchObject({
        reviewer: 'pty-tester',
        promptVersion: `offline@${report.engine.version}`,
        model: report.engine.model,
      });
      expect(Date.parse(vote.at)).not.toBeNaN();
    }
    expect(votes[2]?.correction).toBe(queue[2]?.stage === 'classify' ? 'Redis' : 'The corrected text');
    expect(votes.map((vote) => [vote.docId, vote.stage])).toEqual(
      queue.slice(0, 4).map((item) => [item.docId, item.stage]),
    );
  });

  it('shows each item with its header, claim and evidence next to the source passage', async () => {
    // Prepare
    const { report } = await loadAnalyzeOutput(out);
    const first = buildReviewQueue(report, {
      sampleRate: 1,
      // The same seed as the run's review/queue.json: sampling is keyed by item id, not by run.
      contentHashes: (await contentHashesOf(report, input)).hashes,
    })[0];
    const lines = session.text.split('\n');

    // Act
    const header = lines.findIndex((line) => line.startsWith('=== [1/6] '));
    const quotes = lines.flatMap((line, index) => {
      const quote = /^ {2}\d+\. "(.*)"$/.exec(line)?.[1];
      const source = /^ {5}source(?: \((.*)\))?: (.*)$/.exec(lines[index + 1] ?? '');
      return quote === undefined ? [] : [{ quote, passage: source?.[2] }];
    });

    // Assess
    expect(first).toBeDefined();
    expect(lines[header]).toBe(`=== [1/6] ${first?.title} (${first?.docId})`);
    expect(lines[header + 1]).toBe(
      `    stage: ${first?.stage} | field: ${first?.field} | reasons: ${first?.reasons.join(', ')}`,
    );
    expect(session.text).toContain(`Claim:\n  ${first?.text}\n`);
    expect(session.text).toContain('=== [5/6] ');
    expect(session.text).not.toContain('=== [6/6] ');
    expect(quotes.length).toBeGreaterThanOrEqual(5);
    for (const { quote, passage } of quotes) {
      expect(passage, `passage of "${quote}"`).toBeDefined();
      expect(normalizeForMatch(passage ?? '')).toContain(normalizeForMatch(quote));
    }
  });

  it('skips what the reviewer already voted on, and reads answers line by line from a pipe', async () => {
    // Act
    const piped = await new Promise<{ code: number; stdout: string }>((resolve, reject) => {
      const child = execFile(
        process.execPath,
        [repoPath('bin', 'pmlens.js'), 'review', '--out', out, '--reviewer', 'pty-tester', '--sample-rate', '1'],
        { cwd: REPO_ROOT },
        (error, stdout) => {
          if (error && typeof error.code !== 'number') reject(error);
          else resolve({ code: error ? Number(error.code) : 0, stdout });
        },
      );
      child.stdin?.end('u\nq\n');
    });
    const votes = await (await openLocalStateStore(out)).listVotes();
    const { report } = await loadAnalyzeOutput(out);
    const queue = buildReviewQueue(report, {
      sampleRate: 1,
      // The same seed as the run's review/queue.json: sampling is keyed by item id, not by run.
      contentHashes: (await contentHashesOf(report, input)).hashes,
    });

    // Assess
    expect(piped.code).toBe(0);
    expect(piped.stdout).toContain(`${queue.length - 4} not yet reviewed by pty-tester`);
    expect(piped.stdout).toContain(`=== [1/${queue.length - 4}] ${queue[4]?.title}`);
    expect(piped.stdout).toContain(`${ACTION_PROMPT}u\n  recorded: up`);
    expect(votes.map((vote) => vote.itemId).sort()).toEqual(
      queue
        .slice(0, 5)
        .map((item) => item.id)
        .sort(),
    );
  });

  it('reviews the queue the run wrote: its counts agree with review/queue.json, and say what is left out', async () => {
    // Prepare
    const written = JSON.parse(await readFile(path.join(out, 'review', 'queue.json'), 'utf8')) as { id: string }[];
    const votes = await (await openLocalStateStore(out)).listVotes();
    const voted = written.filter((item) => votes.some((vote) => vote.itemId === item.id)).length;

    // Act
    const piped = await new Promise<string>((resolve, reject) => {
      const child = execFile(
        process.execPath,
        [repoPath('bin', 'pmlens.js'), 'review', '--out', out, '--reviewer', 'pty-tester'],
        { cwd: REPO_ROOT },
        (error, stdout) => (error && typeof error.code !== 'number' ? reject(error) : resolve(stdout)),
      );
      child.stdin?.end('q\n');
    });

    // Assess
    expect(written.length).toBeGreaterThan(0);
    expect(piped).toContain(`: ${written.length} queued in ${path.join(out, 'review', 'queue.json')} (`);
    expect(piped).toContain(
      `${written.length - voted} not yet reviewed by pty-tester; showing ${written.length - voted} (${voted} already voted on by pty-tester)`,
    );
    if (written.length > voted) expect(piped).toContain(`=== [1/${written.length - voted}] `);
  });
});
