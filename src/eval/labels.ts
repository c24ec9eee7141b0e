import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ConfigurationError } from '../errors.ts';
import { FaultCategory } from '../schemas/index.ts';

export const GoldenLabel = z.object({
  id: z.string().min(1),
  file: z.string().min(1),
  causal: z.array(z.string()),
  mentionedOnly: z.array(z.string()).default([]),
  faultCategory: FaultCategory.optional(),
  /** A second fault category that also applies; a prediction matching either counts as correct. */
  faultSecondary: FaultCategory.optional(),
  /** Labelled themes (recurring failure mechanisms) the case belongs to, for the pattern metrics. */
  themes: z.array(z.string().min(1)).optional(),
  lenient: z.boolean().default(false),
});
export type GoldenLabel = z.infer<typeof GoldenLabel>;

/** Thresholds: metrics ending in "ErrorRate" are maxima, every other metric is a minimum. */
export const Thresholds = z.record(z.string(), z.number());
export type Thresholds = z.infer<typeof Thresholds>;

export async function loadLabels(goldenDir: string): Promise<GoldenLabel[]> {
  const file = path.join(goldenDir, 'labels.jsonl');
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch {
    throw new ConfigurationError(`no labels.jsonl in ${goldenDir}: a golden folder holds cases/ and labels.jsonl`);
  }
  const labels: GoldenLabel[] = [];
  raw.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new ConfigurationError(`${file}:${index + 1} is not valid JSON`);
    }
    const parsed = GoldenLabel.safeParse(value);
    if (!parsed.success) throw new ConfigurationError(`${file}:${index + 1}: ${z.prettifyError(parsed.error)}`);
    labels.push(parsed.data);
  });
  if (labels.length === 0) throw new ConfigurationError(`${file} holds no labels`);
  return labels;
}

export async function loadThresholds(goldenDir: string): Promise<Thresholds | undefined> {
  const file = path.join(goldenDir, 'thresholds.json');
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  const parsed = Thresholds.safeParse(JSON.parse(raw));
  if (!parsed.success) throw new ConfigurationError(`${file}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
