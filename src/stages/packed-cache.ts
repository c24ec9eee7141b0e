import fs from 'node:fs';
import path from 'node:path';
import { stageCacheKey, type StageCache } from './cache.ts';

/**
 * Stage results of a local output folder, packed: each cache appends its new results as lines to
 * a pack file of its own, `<folder>/packs/<time>-<pid>-<random>.jsonl`, one line per result:
 * the key as a JSON string, a tab, the result as JSON. Opening the cache reads the keys of every
 * pack (later packs win); a lookup reads one line back.
 *
 * Why not a file per result, as S3 holds them (ResultCache): on these machines' ext4 creating a
 * file costs about 0.35 ms of kernel time, and a 1,000-document run wrote three or four cache
 * files per document, a quarter of its files; appending a line costs about 10 µs
 * (bench/offline-throughput.ts, the session note of engine 13).
 *
 * A pack is written by one cache only, so two processes never interleave lines. A line torn by a
 * crash has no newline and is ignored; a line that does not parse is a miss. When a flush leaves
 * more than `maxPacks` packs, the packs this cache knows are merged into one (the newest line of
 * each key) and removed: opening stays a read of a few files however many runs wrote them.
 */
export class PackedResultCache implements StageCache {
  private readonly index = new Map<string, Entry>();
  /** The packs this cache indexed or wrote: the ones a merge may replace. */
  private readonly known = new Set<string>();
  private readonly readers = new Map<string, number>();
  private pack?: { file: string; fd: number; size: number };
  private failure: unknown;

  constructor(
    private readonly folder: string,
    private readonly prefix = 'cache',
    private readonly maxPacks = DEFAULT_MAX_PACKS,
  ) {
    for (const file of packFiles(path.join(folder, 'packs'))) {
      indexPack(file, this.index);
      this.known.add(file);
    }
  }

  keyOf(stage: string, parts: unknown): string {
    return stageCacheKey(this.prefix, stage, parts);
  }

  /** How many results the packs hold (one per key). */
  get size(): number {
    return this.index.size;
  }

  async get<T>(key: string): Promise<T | undefined> {
    const entry = this.index.get(key);
    if (!entry) return undefined;
    try {
      return JSON.parse(this.read(entry).toString('utf8')) as T;
    } catch (error) {
      // A pack removed or truncated behind this cache's back, or a line that is not JSON: a miss.
      if (error instanceof SyntaxError || (error as { code?: string }).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async put(key: string, value: unknown): Promise<void> {
    try {
      this.index.set(key, this.append(this.openPack(), key, Buffer.from(JSON.stringify(value))));
    } catch (error) {
      this.failure ??= error;
    }
  }

  /** Every put is written when it returns: this closes the files and reports the first write that failed. */
  async flush(): Promise<void> {
    // The pack being written is among the readers: its lines are read through the same descriptor.
    for (const fd of this.readers.values()) fs.closeSync(fd);
    this.readers.clear();
    // The next put opens a new pack: a closed pack is never appended to again.
    this.pack = undefined;
    if (this.failure === undefined && this.known.size > this.maxPacks) this.merge();
    const failure = this.failure;
    this.failure = undefined;
    if (failure !== undefined) throw failure;
  }

  /**
   * Write every key's newest line into one new pack, then remove the packs it replaces. A crash in
   * between leaves duplicates (the newest still wins), never a lost result; a failure is reported
   * by flush like a failed put.
   */
  private merge(): void {
    const replaced = [...this.known];
    try {
      const pack = this.openPack();
      const merged = new Map<string, Entry>();
      for (const [key, entry] of this.index) merged.set(key, this.append(pack, key, this.read(entry)));
      for (const [key, entry] of merged) this.index.set(key, entry);
      for (const file of replaced) {
        const fd = this.readers.get(file);
        if (fd !== undefined) fs.closeSync(fd);
        this.readers.delete(file);
        fs.rmSync(file, { force: true });
        this.known.delete(file);
      }
      fs.closeSync(pack.fd);
      this.readers.delete(pack.file);
      this.pack = undefined;
    } catch (error) {
      this.failure ??= error;
    }
  }

  /** Append one line (the key, a tab, the value's JSON) to a pack; returns where the value lies. */
  private append(pack: { file: string; fd: number; size: number }, key: string, value: Buffer): Entry {
    const keyPart = Buffer.from(`${JSON.stringify(key)}\t`);
    const line = Buffer.concat([keyPart, value, NEWLINE]);
    fs.writeSync(pack.fd, line);
    const entry = { file: pack.file, offset: pack.size + keyPart.length, length: value.length };
    pack.size += line.length;
    return entry;
  }

  /** The bytes of an entry's value. */
  private read(entry: Entry): Buffer {
    const body = Buffer.alloc(entry.length);
    fs.readSync(this.readerOf(entry.file), body, 0, entry.length, entry.offset);
    return body;
  }

  private openPack(): { file: string; fd: number; size: number } {
    if (this.pack) return this.pack;
    const folder = path.join(this.folder, 'packs');
    fs.mkdirSync(folder, { recursive: true });
    const stamp = new Date().toISOString().replace(/[-:.]/g, '');
    const file = path.join(folder, `${stamp}-${process.pid}-${Math.random().toString(36).slice(2, 8)}.jsonl`);
    // 'wx': a new file of this cache's own; reads of its lines go through the same descriptor.
    const fd = fs.openSync(file, 'wx+');
    this.pack = { file, fd, size: 0 };
    this.readers.set(file, fd);
    this.known.add(file);
    return this.pack;
  }

  private readerOf(file: string): number {
    let fd = this.readers.get(file);
    if (fd === undefined) {
      fd = fs.openSync(file, 'r');
      this.readers.set(file, fd);
    }
    return fd;
  }
}

interface Entry {
  file: string;
  offset: number;
  length: number;
}

const NEWLINE = Buffer.from('\n');
/** More packs than this after a flush are merged into one. */
const DEFAULT_MAX_PACKS = 8;
const TAB = 0x09;
const NEWLINE_BYTE = 0x0a;
/** Packs are read in chunks of this size, so opening a large cache does not hold it in memory. */
const CHUNK_BYTES = 4 * 1024 * 1024;

/** The pack files of a folder, oldest first (their names start with the time they were opened). */
function packFiles(folder: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(folder);
  } catch (error) {
    // No folder yet, or something else in its place (the first put fails and flush says why).
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw error;
  }
  return names
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .map((name) => path.join(folder, name));
}

/** Enter every complete line of a pack in the index: its key and where its value lies. */
function indexPack(file: string, index: Map<string, Entry>): void {
  const fd = fs.openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(CHUNK_BYTES);
    let carry = Buffer.alloc(0);
    let carryOffset = 0;
    for (;;) {
      const read = fs.readSync(fd, chunk, 0, CHUNK_BYTES, carryOffset + carry.length);
      if (read === 0) break;
      const data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, read)]) : chunk.subarray(0, read);
      let start = 0;
      for (let end = data.indexOf(NEWLINE_BYTE); end !== -1; end = data.indexOf(NEWLINE_BYTE, start)) {
        const tab = data.indexOf(TAB, start);
        if (tab !== -1 && tab < end) {
          const key = parseKey(data.toString('utf8', start, tab));
          if (key !== undefined) index.set(key, { file, offset: carryOffset + tab + 1, length: end - tab - 1 });
        }
        start = end + 1;
      }
      // The part after the last newline waits for the next chunk; at the end of the file it is a torn line.
      carry = Buffer.from(data.subarray(start));
      carryOffset += start;
    }
  } finally {
    fs.closeSync(fd);
  }
}

function parseKey(text: string): string | undefined {
  try {
    const key: unknown = JSON.parse(text);
    return typeof key === 'string' ? key : undefined;
  } catch {
    return undefined;
  }
}
