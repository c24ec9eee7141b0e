import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatOf, ingestBytes, ingestFile, listFiles } from '../../src/ingest/index.ts';
import { documentIdOf } from '../../src/run/identity.ts';
import { bytesOf } from '../support/postmortems.ts';

describe('documentIdOf', () => {
  it.each([
    ['a.md', /^a-[0-9a-f]{10}$/],
    ['2024/q1/pg-pool.md', /^2024-q1-pg-pool-[0-9a-f]{10}$/],
    ['team notes/Outage #42 (draft).txt', /^team-notes-outage-42-draft-[0-9a-f]{10}$/],
    ['Café Straße.md', /^cafe-stra-e-[0-9a-f]{10}$/],
    ['日本語.md', /^doc-[0-9a-f]{10}$/],
    ['###.json', /^doc-[0-9a-f]{10}$/],
  ])('derives %j -> a readable slug and a hash of the key', (relativePath, expected) => {
    // Act
    const id = documentIdOf(relativePath);

    // Assess
    expect(id).toMatch(expected);
  });

  it('is stable and a function of the key alone: the same path always yields the same id', () => {
    // Prepare
    const input = 'incidents/2025/db failover.md';

    // Act
    const ids = [documentIdOf(input), documentIdOf(input)];

    // Assess
    expect(ids[0]).toBe(ids[1]);
    expect(ids[0]).toBe(`incidents-2025-db-failover-${createHash('sha256').update(input).digest('hex').slice(0, 10)}`);
  });

  it('gives distinct ids to names that clash as slugs or are not ASCII', () => {
    // Prepare
    const names = ['a.md', 'a.txt', 'x y.md', 'x-y.md', '日本語.md', 'инцидент.md', 'a-txt.md'];

    // Act
    const ids = names.map((name) => documentIdOf(name));

    // Assess
    expect(new Set(ids).size).toBe(names.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9-]+$/);
  });

  it('keeps slugs short: a 300-character name gives an id of at most 71 characters', () => {
    // Act
    const id = documentIdOf(`${'very-long-name-'.repeat(20)}.md`);

    // Assess
    expect(id.length).toBeLessThanOrEqual(71);
  });
});

describe('ingest identity', () => {
  it('sets contentHash to the sha256 of the raw bytes and bytes to their length', () => {
    // Prepare
    const bytes = bytesOf('# Title\n\nThe cache ran out of memory at noon. Caf\u00e9 orders failed.\n');

    // Act
    const outcome = ingestBytes(bytes, 'notes/cafe.md', 'notes/cafe');

    // Assess
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.postmortem.contentHash).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(outcome.postmortem.bytes).toBe(bytes.length);
    expect(outcome.postmortem.id).toBe('notes/cafe');
    expect(outcome.postmortem.sourcePath).toBe('notes/cafe.md');
  });

  it('gives different hashes to documents that differ by one byte', () => {
    // Prepare
    const first = bytesOf('The queue stopped draining.\n');
    const second = bytesOf('The queue stopped draining!\n');

    // Act
    const hashes = [first, second].map((bytes) => {
      const outcome = ingestBytes(bytes, 'q.txt', 'q');
      return outcome.ok ? outcome.postmortem.contentHash : null;
    });

    // Assess
    expect(hashes[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(hashes[1]).toMatch(/^[0-9a-f]{64}$/);
    expect(hashes[0]).not.toBe(hashes[1]);
  });

  it('maps extensions to formats case-insensitively', () => {
    // Prepare
    const paths = ['a.MD', 'b.markdown', 'c.text', 'd.HTM', 'e.json', 'f.pdf', 'noext'];

    // Act
    const formats = paths.map(formatOf);

    // Assess
    expect(formats).toEqual(['markdown', 'markdown', 'text', 'html', 'json', 'pdf', undefined]);
  });
});

describe('listFiles', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'pmlens-list-'));
    await mkdir(path.join(root, 'sub', 'deeper'), { recursive: true });
    await mkdir(path.join(root, '.git'), { recursive: true });
    await writeFile(path.join(root, 'b.md'), 'b');
    await writeFile(path.join(root, 'a.txt'), 'a');
    await writeFile(path.join(root, 'sub', 'deeper', 'c.html'), '<p>c</p>');
    await writeFile(path.join(root, '.hidden.md'), 'hidden');
    await writeFile(path.join(root, '.git', 'config'), 'x');
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('lists non-hidden files recursively, sorted, with forward slashes', async () => {
    // Prepare
    const folder = root;

    // Act
    const files = await listFiles(folder);

    // Assess
    expect(files).toEqual(['a.txt', 'b.md', 'sub/deeper/c.html']);
  });

  it('reads a file through ingestFile with the id it is given', async () => {
    // Prepare
    await writeFile(
      path.join(root, 'sub', 'real.md'),
      '# Real\n\nThe broker filled its disk and blocked publishers.\n',
    );

    // Act
    const outcome = await ingestFile(root, 'sub/real.md', 'sub/real');

    // Assess
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.postmortem.id).toBe('sub/real');
    expect(outcome.postmortem.title).toBe('Real');
  });
});
