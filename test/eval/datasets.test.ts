/**
 * Every labelled set (golden/ and datasets/*) is well formed: its labels parse, every labelled
 * file exists, every technology named in a label is a canonical catalog name, and its themes
 * (when it has them) agree with the labels. These are checks of form only: no case is read for
 * its content and no engine runs.
 */
import { access, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/index.ts';
import { loadLabels } from '../../src/eval/labels.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SETS = [
  'golden',
  ...(await readdir(path.join(ROOT, 'datasets'), { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => `datasets/${entry.name}`)
    .sort(),
];

interface LabelledTheme {
  id: string;
  members: string[];
}

async function themesOf(set: string): Promise<LabelledTheme[] | undefined> {
  try {
    return JSON.parse(await readFile(path.join(ROOT, set, 'themes.json'), 'utf8')) as LabelledTheme[];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

describe.each(SETS)('labelled set %s', (set) => {
  it('has unique ids, existing files and canonical catalog names', async () => {
    // Prepare
    const canonical = new Set((await loadCatalog()).catalog.technologies.map((entry) => entry.name));

    // Act
    const labels = await loadLabels(path.join(ROOT, set));

    // Assess
    expect(new Set(labels.map((label) => label.id)).size).toBe(labels.length);
    for (const label of labels) {
      await expect(access(path.join(ROOT, set, label.file)), `${label.id}: ${label.file}`).resolves.toBeUndefined();
      for (const name of [...label.causal, ...label.mentionedOnly])
        expect(canonical.has(name), `${label.id}: ${name} is not a catalog name`).toBe(true);
      expect(
        label.causal.filter((name) => label.mentionedOnly.includes(name)),
        `${label.id}: causal and mentioned only`,
      ).toEqual([]);
    }
  });

  it('has themes that agree with the labels, each with two or more members', async () => {
    // Prepare
    const labels = await loadLabels(path.join(ROOT, set));
    const themes = await themesOf(set);
    const labelled = labels.filter((label) => (label.themes ?? []).length > 0);
    if (!themes) {
      // A set without themes.json labels no themes.
      expect(labelled.map((label) => label.id)).toEqual([]);
      return;
    }

    // Act: the membership each side states.
    const fromThemes = themes.flatMap((theme) => theme.members.map((member) => `${theme.id} ${member}`)).sort();
    const fromLabels = labelled.flatMap((label) => (label.themes ?? []).map((theme) => `${theme} ${label.id}`)).sort();

    // Assess
    expect(new Set(themes.map((theme) => theme.id)).size).toBe(themes.length);
    expect(fromLabels).toEqual(fromThemes);
    for (const theme of themes) expect(theme.members.length, theme.id).toBeGreaterThanOrEqual(2);
  });
});
