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
