/**
 * Document identity: a pure function of the source's relative key, so the CLI and every Lambda
 * give one document the same id without coordination, and adding files never shifts an id.
 *
 * An id is a readable ASCII slug of the key (extension dropped, accents folded, anything else
 * turned into dashes, at most 60 characters) and the first 10 hex digits of the key's SHA-256:
 * `a.md` -> `a-<h1>`, `a.txt` -> `a-<h2>`, `日本語.md` -> `doc-<h3>`. Two keys share an id only if
 * their slugs and 40 bits of their hashes agree. Ids are safe as file names and S3 keys.
 */
import { createHash } from 'node:crypto';

const MAX_SLUG = 60;
const HASH_DIGITS = 10;

/** The readable part: the key without its extension, folded to lowercase ASCII words joined by dashes. */
export function slugOf(relativeKey: string): string {
  const withoutExtension = relativeKey.replace(/\.[^./]+$/, '');
  const slug = withoutExtension
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG)
    .replace(/-+$/, '');
  return slug || 'doc';
}

/** The document id of a source key relative to the input folder or prefix (forward slashes). */
export function documentIdOf(relativeKey: string): string {
  const hash = createHash('sha256').update(relativeKey, 'utf8').digest('hex').slice(0, HASH_DIGITS);
  return `${slugOf(relativeKey)}-${hash}`;
}

/** The key without its extension: how metadata files and golden labels name a document. */
export function nameOf(relativeKey: string): string {
  return relativeKey.replace(/\.[^./]+$/, '');
}
