/**
 * Two output folders of the same run, compared file by file: what differs between any two runs
 * (timestamps, run ids, timings, expiries, the random redaction key, the output folder itself) is
 * masked, everything else must be the same bytes.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Every file under a folder, by its path relative to it. The stage cache's packs are one entry,
 * `cache/packs/*`, of their lines sorted: a pack is named by its time and process, and its lines
 * come in the order the documents finished.
 */
export async function filesOf(folder: string): Promise<Map<string, string>> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files = new Map<string, string>();
  const packLines: string[] = [];
  for (const entry of entries.filter((candidate) => candidate.isFile())) {
    const file = path.relative(folder, path.join(entry.parentPath, entry.name));
    const text = await readFile(path.join(folder, file), 'utf8');
    if (file.startsWith(path.join('cache', 'packs') + path.sep)) packLines.push(...text.split('\n').filter(Boolean));
    else files.set(file, text);
  }
  if (packLines.length > 0) files.set(path.join('cache', 'packs', '*'), packLines.sort().join('\n'));
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
