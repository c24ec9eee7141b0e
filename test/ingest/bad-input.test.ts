import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeText, DecodeError } from '../../src/ingest/decode.ts';
import { ingestBytes, ingestFile, listFiles, type IngestOutcome } from '../../src/ingest/index.ts';
import { documentIdOf } from '../../src/run/identity.ts';
import { bytesOf, repoPath } from '../support/postmortems.ts';

const FIXTURE = repoPath('test', 'fixtures', 'bad-input');

/** The skip code each bad fixture file must get. */
const EXPECTED_SKIPS: Record<string, string> = {
  'array.json': 'unparseable-json',
  'binary.txt': 'binary',
  'broken.json': 'unparseable-json',
  'empty.md': 'empty',
  'latin1.txt': 'undecodable',
  'no-tags.html': 'unparseable-html',
  'notes.pdf': 'unparseable-pdf',
  'whitespace.txt': 'empty',
};

const GOOD_FILES = ['good.md', 'nested/also-good.txt'];

describe('ingest: the bad-input fixture folder', () => {
  const outcomes = new Map<string, IngestOutcome>();

  beforeAll(async () => {
    const files = await listFiles(FIXTURE);
    for (const file of files) outcomes.set(file, await ingestFile(FIXTURE, file, documentIdOf(file)));
  });

  it('holds exactly the expected bad and good files', () => {
    // Prepare
    const expected = [...Object.keys(EXPECTED_SKIPS), ...GOOD_FILES].sort();

    // Act
    const found = [...outcomes.keys()].sort();

    // Assess
    expect(found).toEqual(expected);
  });

  it.each(Object.entries(EXPECTED_SKIPS))('skips %s with code %s and a readable reason', (file, code) => {
    // Prepare
    const outcome = outcomes.get(file);

    // Act
    const skipped = outcome && !outcome.ok ? outcome.skipped : undefined;

    // Assess
    expect(skipped, `${file} should be skipped`).toBeDefined();
    expect(skipped?.code).toBe(code);
    expect(skipped?.path).toBe(file);
    expect(skipped?.reason.length).toBeGreaterThan(10);
    expect(skipped?.reason).toMatch(/^[a-z"]/i);
    expect(skipped?.reason).not.toMatch(/\bat .+:\d+:\d+/);
  });

  it('names the problem in the reason', () => {
    // Prepare
    const reasonOf = (file: string): string => {
      const outcome = outcomes.get(file);
      return outcome && !outcome.ok ? outcome.skipped.reason : '';
    };

    // Act
    const reasons = Object.fromEntries(Object.keys(EXPECTED_SKIPS).map((file) => [file, reasonOf(file)]));

    // Assess
    expect(reasons['empty.md']).toMatch(/empty/);
    expect(reasons['whitespace.txt']).toMatch(/whitespace/);
    expect(reasons['binary.txt']).toMatch(/binary/);
    expect(reasons['latin1.txt']).toMatch(/UTF-8/);
    expect(reasons['notes.pdf']).toMatch(/PDF/);
    expect(reasons['broken.json']).toMatch(/JSON/);
    expect(reasons['array.json']).toMatch(/object/);
    expect(reasons['no-tags.html']).toMatch(/HTML/);
  });

  it.each(GOOD_FILES)('still ingests the good file %s', (file) => {
    // Prepare
    const outcome = outcomes.get(file);

    // Act
    const postmortem = outcome?.ok ? outcome.postmortem : undefined;

    // Assess
    expect(postmortem, `${file} should be ingested`).toBeDefined();
    expect(postmortem?.sourcePath).toBe(file);
    expect(postmortem?.sections.some((section) => section.role === 'root-cause')).toBe(true);
    expect(postmortem?.date).toMatch(/^2025-0[45]-0[26]$/);
  });
});

describe('ingest: size limit and unreadable files', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'pmlens-bad-'));
    await writeFile(path.join(root, 'big.md'), `# Big\n\n${'The cache was slow. '.repeat(20)}\n`);
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('skips bytes over maxBytes as too-large', () => {
    // Prepare
    const bytes = bytesOf('# Title\n\nThe queue backed up for an hour.\n');

    // Act
    const outcome = ingestBytes(bytes, 'a.md', 'a', { maxBytes: 10 });

    // Assess
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.skipped.code).toBe('too-large');
    expect(outcome.skipped.reason).toContain(`${bytes.length} bytes`);
    expect(outcome.skipped.reason).toContain('10-byte limit');
  });

  it('accepts a file exactly at maxBytes', () => {
    // Prepare
    const bytes = bytesOf('# Title\n\nThe queue backed up for an hour.\n');

    // Act
    const outcome = ingestBytes(bytes, 'a.md', 'a', { maxBytes: bytes.length });

    // Assess
    expect(outcome.ok).toBe(true);
  });

  it('skips a file on disk over maxBytes as too-large', async () => {
    // Prepare
    const maxBytes = 64;

    // Act
    const outcome = await ingestFile(root, 'big.md', 'big', { maxBytes });

    // Assess
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.skipped).toMatchObject({ path: 'big.md', code: 'too-large' });
    expect(outcome.skipped.reason).toContain('64-byte limit');
  });

  it('reports a missing file as unreadable instead of throwing', async () => {
    // Prepare
    const missing = 'not-there.md';

    // Act
    const outcome = await ingestFile(root, missing, 'not-there');

    // Assess
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.skipped.code).toBe('unreadable');
    expect(outcome.skipped.reason).toMatch(/cannot read the file/);
  });
});

describe('decodeText', () => {
  it('accepts UTF-8 with a BOM and UTF-16 with a BOM', () => {
    // Prepare
    const utf8 = new Uint8Array([0xef, 0xbb, 0xbf, ...bytesOf('Caf\u00e9 outage')]);
    const utf16 = new Uint8Array([0xff, 0xfe, ...Buffer.from('Caf\u00e9 outage', 'utf16le')]);

    // Act
    const decoded = [decodeText(utf8), decodeText(utf16)];

    // Assess
    expect(decoded).toEqual(['Caf\u00e9 outage', 'Caf\u00e9 outage']);
  });

  it('refuses text that is mostly control characters as binary', () => {
    // Prepare
    const bytes = new Uint8Array([0x41, 0x01, 0x02, 0x03, 0x04, 0x05, 0x42]);

    // Act
    const attempt = (): string => decodeText(bytes);

    // Assess
    expect(attempt).toThrow(DecodeError);
    expect(attempt).toThrow(/control characters/);
  });
});
