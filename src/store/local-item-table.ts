/**
 * The item table as one JSON file (the CLI's `<out>/state.json`): loaded when opened, held in
 * memory, written atomically (temporary file and rename) a moment after each change and on
 * `flush()`. One process at a time; the CLI is one process.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MemoryItemTable, type Item } from './item-table.ts';

const WRITE_DELAY_MS = 200;

export class LocalItemTable extends MemoryItemTable {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;

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
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush().catch(() => undefined);
    }, WRITE_DELAY_MS);
    this.timer.unref();
  }

  /** Write the table now (and wait for any write in progress); throws what the write threw. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const write = this.writing.then(async () => {
      if (!this.dirty) return;
      this.dirty = false;
      const items = [...this.items.values()].sort((left, right) =>
        `${left.pk}\u0000${left.sk}`.localeCompare(`${right.pk}\u0000${right.sk}`),
      );
      await mkdir(path.dirname(this.file), { recursive: true });
      const temporary = `${this.file}.${process.pid}.tmp`;
      try {
        await writeFile(temporary, `${JSON.stringify({ version: 1, items })}\n`);
        await rename(temporary, this.file);
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
