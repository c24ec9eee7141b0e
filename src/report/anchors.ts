import { createHash } from 'node:crypto';

/** Turns an id into the safe part of an HTML id: letters, digits, "-" and "_" only. */
export function sanitizeAnchor(id: string): string {
  const cleaned = id.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  return cleaned === '' ? 'item' : cleaned;
}

/** Unique, sanitized anchor ids ("<prefix>-<id>") for a list of ids; colliding ids get a numeric suffix. */
export class Anchors {
  private readonly byId = new Map<string, string>();

  constructor(
    private readonly prefix: string,
    ids: readonly string[],
  ) {
    const taken = new Set<string>();
    for (const id of ids) {
      if (this.byId.has(id)) continue;
      const base = `${prefix}-${sanitizeAnchor(id)}`;
      let candidate = base;
      for (let suffix = 2; taken.has(candidate); suffix += 1) candidate = `${base}-${suffix}`;
      taken.add(candidate);
      this.byId.set(id, candidate);
    }
  }

  /** The anchor id of a known id, or undefined when the id has no section. */
  of(id: string): string | undefined {
    return this.byId.get(id);
  }
}

const RESERVED_FILE_NAMES = /^(con|prn|aux|nul|com\d|lpt\d)$/;
const MAX_FILE_NAME = 80;

/**
 * File names ("<name>.html") for a list of ids, safe on every file system: letters, digits, "-"
 * and "_", lower case, at most 80 characters (a long id keeps its start and a hash of the whole),
 * unique without regard to case (macOS and Windows).
 */
export class FileNames {
  private readonly byId = new Map<string, string>();

  constructor(ids: readonly string[]) {
    const taken = new Set<string>();
    const nextSuffix = new Map<string, number>();
    for (const id of ids) {
      if (this.byId.has(id)) continue;
      let base = sanitizeAnchor(id).toLowerCase();
      if (base.length > MAX_FILE_NAME) {
        const hash = createHash('sha256').update(id).digest('hex').slice(0, 10);
        base = `${base.slice(0, MAX_FILE_NAME - hash.length - 1).replace(/-+$/, '')}-${hash}`;
      }
      if (RESERVED_FILE_NAMES.test(base)) base = `${base}-item`;
      let candidate = base;
      for (let suffix = nextSuffix.get(base) ?? 2; taken.has(candidate); suffix += 1) {
        candidate = `${base}-${suffix}`;
        nextSuffix.set(base, suffix + 1);
      }
      taken.add(candidate);
      this.byId.set(id, candidate);
    }
  }

  /** The file name (without extension) of a known id. */
  of(id: string): string | undefined {
    return this.byId.get(id);
  }
}
