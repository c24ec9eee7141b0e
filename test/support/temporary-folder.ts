/**
 * Temporary folders that the test file removes after itself. `temporaryFolder(prefix)` makes a
 * fresh folder under the OS temp dir and registers it; every registered folder is removed once the
 * test file has finished (an `afterAll` hook that this module adds to the file's root suite when a
 * test file imports it), whether its tests passed or failed. Outside Vitest (bench/ scripts that
 * reuse test/ helpers) the folders are removed when the process exits instead.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

const created: string[] = [];

/** A new, empty folder `<tmpdir>/<prefix>XXXXXX`, removed (with its contents) after the test file. */
export function temporaryFolder(prefix: string): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(folder);
  return folder;
}

/** Removes every folder made so far; the hook below calls it, a test may call it earlier. */
export async function removeTemporaryFolders(): Promise<void> {
  const folders = created.splice(0);
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true, maxRetries: 3 })));
}

if (process.env.VITEST) afterAll(removeTemporaryFolders);
else
  process.once('exit', () => {
    for (const folder of created.splice(0)) rmSync(folder, { recursive: true, force: true });
  });
