import { z } from 'zod';

export const CatalogEntry = z
  .object({
    name: z.string().min(1).describe('Canonical name used in every output.'),
    kind: z.string().min(1).default('datastore'),
    aliases: z.array(z.string().min(1)).default([]),
    /** Terms that point to this technology without naming it (e.g. "autovacuum" for PostgreSQL). */
    signals: z.array(z.string().min(1)).default([]),
  })
  .strict();
export type CatalogEntry = z.infer<typeof CatalogEntry>;

export const Catalog = z
  .object({
    version: z.union([z.string(), z.number()]).transform(String),
    technologies: z.array(CatalogEntry).min(1),
  })
  .strict()
  .superRefine((catalog, context) => {
    const seen = new Map<string, string>();
    for (const entry of catalog.technologies) {
      for (const name of [entry.name, ...entry.aliases]) {
        const key = name.toLowerCase();
        const owner = seen.get(key);
        if (owner !== undefined && owner !== entry.name) {
          context.addIssue({ code: 'custom', message: `"${name}" is claimed by both ${owner} and ${entry.name}` });
        }
        seen.set(key, entry.name);
      }
    }
  });
export type Catalog = z.infer<typeof Catalog>;
