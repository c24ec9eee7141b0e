/**
 * Two output folders of the same run, compared file by file: what differs between any two runs
 * (timestamps, run ids, timings, expiries, the random redaction key, the output folder itself) is
 * masked, everything else must be the same bytes.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** Every file under a folder, by its path relative to it. */
export async function filesOf(folder: string): Promise<Map<string, string>> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files = new Map<string, string>();
  for (const entry of entries.filter((candidate) => candidate.isFile())) {
    const file = path.join(entry.parentPath, entry.name);
    files.set(path.relative(folder, file), await readFile(file, 'utf8'));
  }
  return files;
}

/** A file's text without what differs between any two runs. */
export function comparable(text: string, out: string): string {
  return (
    text
      .split(out)
      .join('<out>')
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, '<time>')
      .replace(/\d{8}T\d{6}-[0-9a-f]{8}/g, '<run>')
      .replace(/"(\w*[mM]illis)": ?[\d.]+/g, '"$1": <millis>')
      // state.json: run outcomes expire a set time after they were written, and the redaction key is random per state.
      .replace(/"expiresAt": ?\d+/g, '"expiresAt": <time>')
      .replace(/"secret": ?"[0-9a-f]{64}"/g, '"secret": <secret>')
      // The CLI's summary line: "in 3.7 s with the offline engine".
      .replace(/in [\d.]+ s with/g, 'in <seconds> s with')
  );
}
