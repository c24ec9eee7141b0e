/**
 * The item table as one JSON file (the CLI's `<out>/state.json`): loaded when opened, held in
 * memory, written atomically (temporary file and rename, so a crash leaves the previous file
 * whole) a moment after a change and on `flush()`. One process at a time; the CLI is one process.
 *
 * Every write rewrites the whole file, so writes are coalesced: the first change not yet written
 * schedules a write WRITE_DELAY_MS later, and a write starts no sooner than MIN_WRITE_INTERVAL_MS
 * after the one before, however fast changes come (a long run changes the table for every
 * document). Items are ordered by a plain code-unit comparison of their keys: the order only keeps
 * the file stable from one write to the next; nothing reads the file in order.
 */
import fs from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { MemoryItemTable, type Item } from './item-table.ts';

// The callback API: one round trip per call, where fs/promises' FileHandle adds several.
const writeFile = promisify(fs.writeFile);
const rename = promisify(fs.rename);

const WRITE_DELAY_MS = 200;
const MIN_WRITE_INTERVAL_MS = 1000;

function byCodeUnits(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

export class LocalItemTable extends MemoryItemTable {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;
  private folderMade = false;
  /** When the last write started (performance.now()); writes are at least MIN_WRITE_INTERVAL_MS apart. */
  private lastWrite = -Infinity;
  /** How many times the file was written. */
  writes = 0;

  private constructor(readonly file: string) {
    super();
  }

  static async open(file: string): Promise<LocalItemTable> {
    const table = new LocalItemTable(file);
    let raw: string | undefined;
    try {
      raw = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
    }
    if (raw !== undefined) {
      const parsed = JSON.parse(raw) as { items?: Item[] };
      for (const item of parsed.items ?? []) table.items.set(`${item.pk}\u0000${item.sk}`, item);
    }
    return table;
  }

  protected override changed(): void {
    this.dirty = true;
    if (this.timer) return;
    const delay = Math.max(WRITE_DELAY_MS, this.lastWrite + MIN_WRITE_INTERVAL_MS - performance.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush().catch(() => undefined);
    }, delay);
    this.timer.unref();
  }

  /** Write the table now (and wait for any write in progress); throws what the write threw. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const write = this.writing.then(async () => {
      if (!this.dirty) return;
      this.dirty = false;
      this.lastWrite = performance.now();
      const ids = [...this.items.keys()].sort(byCodeUnits);
      const text = `${JSON.stringify({ version: 1, items: ids.map((id) => this.items.get(id)) })}\n`;
      const temporary = `${this.file}.${process.pid}.tmp`;
      try {
        if (!this.folderMade) await mkdir(path.dirname(this.file), { recursive: true });
        this.folderMade = true;
        await writeFile(temporary, text);
        await rename(temporary, this.file);
        this.writes += 1;
      } catch (error) {
        // Not written: the next flush tries again.
        this.dirty = true;
        throw error;
      }
    });
    this.writing = write.catch(() => undefined);
    await write;
  }
}
