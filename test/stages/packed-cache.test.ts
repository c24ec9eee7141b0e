import fs from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PackedResultCache } from '../../src/stages/packed-cache.ts';
import { ResultCache } from '../../src/stages/cache.ts';
import { MemoryObjectStore } from '../../src/store/memory-object-store.ts';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), 'pmlens-pack-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

const packsOf = async (cacheFolder: string) => (await readdir(path.join(cacheFolder, 'packs'))).sort();

describe('PackedResultCache', () => {
  it('names a result by the same key as the object cache, and gives it back, in this cache and in the next one', async () => {
    const cache = new PackedResultCache(path.join(folder, 'cache'));
    const key = cache.keyOf('summarize', { input: 'a' });
    expect(key).toBe(new ResultCache(new MemoryObjectStore()).keyOf('summarize', { input: 'a' }));
    expect(await cache.get(key)).toBeUndefined();
    const value = { issue: 'disk full \t on "db-1"\nsecond line', causes: ['ünïcode ✓'] };
    await cache.put(key, value);
    expect(await cache.get(key)).toEqual(value);
    await cache.flush();
    const next = new PackedResultCache(path.join(folder, 'cache'));
    expect(next.size).toBe(1);
    expect(await next.get(key)).toEqual(value);
    expect(await next.get(next.keyOf('summarize', { input: 'b' }))).toBeUndefined();
  });

  it('writes one pack per cache, a line per result, and no file per result', async () => {
    const cache = new PackedResultCache(path.join(folder, 'cache'));
    for (let index = 0; index < 50; index += 1) await cache.put(cache.keyOf('classify', { index }), { index });
    await cache.flush();
    const packs = await packsOf(path.join(folder, 'cache'));
    expect(packs).toHaveLength(1);
    expect(await readdir(path.join(folder, 'cache'))).toEqual(['packs']);
    const lines = (await readFile(path.join(folder, 'cache', 'packs', packs[0] as string), 'utf8')).split('\n');
    expect(lines).toHaveLength(51);
    expect(lines[50]).toBe('');
  });

  it('takes the newer pack when two hold the same key', async () => {
    const first = new PackedResultCache(path.join(folder, 'cache'));
    const key = first.keyOf('analyze', { input: 'x' });
    await first.put(key, { version: 1 });
    await first.flush();
    // Pack names start with the time they were opened: wait past the millisecond.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = new PackedResultCache(path.join(folder, 'cache'));
    expect(await second.get(key)).toEqual({ version: 1 });
    await second.put(key, { version: 2 });
    await second.flush();
    expect(await packsOf(path.join(folder, 'cache'))).toHaveLength(2);
    expect(await new PackedResultCache(path.join(folder, 'cache')).get(key)).toEqual({ version: 2 });
  });

  it('ignores a line torn by a crash and misses a line that does not parse, keeping the others', async () => {
    const cache = new PackedResultCache(path.join(folder, 'cache'));
    const good = cache.keyOf('summarize', { n: 1 });
    const bad = cache.keyOf('summarize', { n: 2 });
    const torn = cache.keyOf('summarize', { n: 3 });
    await cache.put(good, { ok: true });
    await cache.flush();
    const [pack] = await packsOf(path.join(folder, 'cache'));
    const file = path.join(folder, 'cache', 'packs', pack as string);
    fs.appendFileSync(file, `${JSON.stringify(bad)}\t{"not json\nnot a key line\n${JSON.stringify(torn)}\t{"half":`);
    const reopened = new PackedResultCache(path.join(folder, 'cache'));
    expect(reopened.size).toBe(2);
    expect(await reopened.get(good)).toEqual({ ok: true });
    expect(await reopened.get(bad)).toBeUndefined();
    expect(await reopened.get(torn)).toBeUndefined();
  });

  it('indexes lines that cross the chunks a pack is read in', async () => {
    const cache = new PackedResultCache(path.join(folder, 'cache'));
    // About 9 MB: lines cross the 4 MB chunks at least twice.
    const values = Array.from({ length: 90 }, (_, index) => ({ index, text: `${index}:`.padEnd(100_000, 'x') }));
    for (const value of values) await cache.put(cache.keyOf('analyze', value.index), value);
    await cache.flush();
    const reopened = new PackedResultCache(path.join(folder, 'cache'));
    expect(reopened.size).toBe(90);
    for (const value of [values[0], values[41], values[42], values[89]])
      expect(await reopened.get(reopened.keyOf('analyze', value?.index))).toEqual(value);
  });

  it('reports a write that failed at flush, and misses its key', async () => {
    // A file where the cache folder should be: the pack cannot be created.
    await writeFile(path.join(folder, 'cache'), 'in the way');
    const cache = new PackedResultCache(path.join(folder, 'cache'));
    const key = cache.keyOf('summarize', { input: 'a' });
    await cache.put(key, { issue: 'x' });
    expect(await cache.get(key)).toBeUndefined();
    await expect(cache.flush()).rejects.toMatchObject({ code: 'ENOTDIR' });
    // The failure is reported once.
    await expect(cache.flush()).resolves.toBeUndefined();
  });

  it('merges its packs into one when a flush leaves more than it keeps, the newest line of each key winning', async () => {
    const cacheFolder = path.join(folder, 'cache');
    const keyOf = (name: string) => new PackedResultCache(cacheFolder).keyOf('summarize', { name });
    const writes: Array<Array<[string, unknown]>> = [
      [
        ['a', { version: 1 }],
        ['b', { version: 1 }],
      ],
      [['a', { version: 2 }]],
      [['c', { version: 1 }]],
    ];
    const counts: number[] = [];
    for (const lines of writes) {
      // Pack names start with the time they were opened: wait past the millisecond.
      await new Promise((resolve) => setTimeout(resolve, 5));
      const cache = new PackedResultCache(cacheFolder, 'cache', 2);
      for (const [name, value] of lines) await cache.put(keyOf(name), value);
      await cache.flush();
      counts.push((await packsOf(cacheFolder)).length);
      // The cache still answers after its own merge.
      expect(await cache.get(keyOf('a'))).toEqual(lines.length === 2 ? { version: 1 } : { version: 2 });
    }
    expect(counts).toEqual([1, 2, 1]);
    const reopened = new PackedResultCache(cacheFolder);
    expect(reopened.size).toBe(3);
    expect(await reopened.get(keyOf('a'))).toEqual({ version: 2 });
    expect(await reopened.get(keyOf('b'))).toEqual({ version: 1 });
    expect(await reopened.get(keyOf('c'))).toEqual({ version: 1 });
    const [merged] = await packsOf(cacheFolder);
    expect((await readFile(path.join(cacheFolder, 'packs', merged as string), 'utf8')).trim().split('\n')).toHaveLength(
      3,
    );
  });

  it('misses, without failing, when a pack is removed behind its back', async () => {
    const cache = new PackedResultCache(path.join(folder, 'cache'));
    const key = cache.keyOf('summarize', { input: 'a' });
    await cache.put(key, { issue: 'x' });
    await cache.flush();
    const reopened = new PackedResultCache(path.join(folder, 'cache'));
    await rm(path.join(folder, 'cache', 'packs'), { recursive: true });
    expect(await reopened.get(key)).toBeUndefined();
  });
});
