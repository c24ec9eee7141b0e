/**
 * Redaction of a corpus against the state store: one mapping for every document, so that the
 * same value gets the same placeholder in every document and run (patterns still match), kept
 * in the state store (items PII#...) and never sent to a model.
 *
 * The mapping is read once, on the first document. A new value is given its placeholder with two
 * conditional writes (the placeholder, then the value's key), so that runs or Lambdas redacting
 * at the same time never give one placeholder two values, and agree on one placeholder per value.
 */
import type { Postmortem } from '../schemas/index.ts';
import type { RedactionEntry } from '../store/state-store.ts';
import { CATEGORIES, createMapping, type Category, type RedactionMapping, type Redactor } from './redact.ts';

/** What the session needs of the state store. */
export interface RedactionStore {
  listRedactions(): Promise<RedactionEntry[]>;
  listRedactionKeys(): Promise<Array<{ key: string; placeholder: string }>>;
  claimPlaceholder(entry: RedactionEntry): Promise<boolean>;
  bindRedactionKey(key: string, placeholder: string): Promise<string>;
  redactionKeyPlaceholder(key: string): Promise<string | undefined>;
  /** The corpus secret of keyed placeholders, created on first use. */
  redactionSecret(): Promise<string>;
}

/** Passes of redact-then-claim before a text must have settled (the second normally does). */
const MAX_PASSES = 5;
/** Placeholders tried for one value before giving up (each taken one was given by another run meanwhile). */
const MAX_CLAIMS = 1000;

/** Fields of a postmortem that are no text of the document (ids, hashes, enums, sizes). */
const KEPT_FIELDS: ReadonlySet<string> = new Set(['id', 'sourcePath', 'format', 'date', 'contentHash', 'bytes']);

const PLACEHOLDER_PARTS = new RegExp(`^\\[(${CATEGORIES.join('|')})-([0-9a-f]+)\\]$`);

function partsOf(placeholder: string): { category: Category; number: number } | undefined {
  const match = PLACEHOLDER_PARTS.exec(placeholder);
  // A keyed placeholder (hex) counts as number 0: it never advances the counters.
  return match
    ? { category: match[1] as Category, number: /^\d+$/.test(match[2] ?? '') ? Number(match[2]) : 0 }
    : undefined;
}

/** The mapping the store holds. */
export async function loadMapping(store: RedactionStore, secret?: string): Promise<RedactionMapping> {
  const mapping = createMapping();
  mapping.secret = secret ?? (await store.redactionSecret());
  for (const entry of await store.listRedactions()) {
    const parts = partsOf(entry.placeholder);
    if (!parts) continue;
    mapping.values[entry.placeholder] = entry.value;
    mapping.counters[parts.category] = Math.max(mapping.counters[parts.category] ?? 0, parts.number);
    mapping.keys[entry.key] ??= entry.placeholder;
  }
  // The bound placeholder of a value wins over another run's orphan claim of it.
  for (const binding of await store.listRedactionKeys())
    if (mapping.values[binding.placeholder] !== undefined) mapping.keys[binding.key] = binding.placeholder;
  return mapping;
}

function copyOf(mapping: RedactionMapping): RedactionMapping {
  return {
    version: 1,
    values: { ...mapping.values },
    keys: { ...mapping.keys },
    counters: { ...mapping.counters },
    ...(mapping.secret === undefined ? {} : { secret: mapping.secret }),
  };
}

export class RedactionSession {
  private mapping: Promise<RedactionMapping> | undefined;
  /** Claims run one at a time within a process (documents redact concurrently). */
  private claims: Promise<unknown> = Promise.resolve();
  private given = 0;

  constructor(
    private readonly store: RedactionStore,
    private readonly redactor: Redactor,
    /** A corpus secret given by configuration (PMLENS_REDACTION_KEY); default the one in the state store. */
    private readonly secret?: string,
  ) {}

  /** The mapping as this process knows it: for restoring reports locally, never for a model. */
  current(): Promise<RedactionMapping> {
    this.mapping ??= loadMapping(this.store, this.secret);
    return this.mapping;
  }

  /** Placeholders this session gave to values new to the corpus. */
  get newPlaceholders(): number {
    return this.given;
  }

  /**
   * The text with every detected value replaced by its corpus-wide placeholder. `names`: the names
   * of people its document cued so far, found in this text too; the names this text cues are added.
   */
  async redactText(text: string, names: Set<string> = new Set()): Promise<string> {
    const mapping = await this.current();
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const scratch = copyOf(mapping);
      const redacted = this.redactor.redactDetailed(text, scratch, names);
      const fresh = Object.entries(scratch.keys).filter(([key]) => mapping.keys[key] === undefined);
      if (fresh.length === 0) {
        for (const redaction of redacted.redactions)
          if (redaction.category === 'PERSON') names.add(text.slice(redaction.start, redaction.end));
        return redacted.text;
      }
      const entries = fresh.map(([key, placeholder]) => ({
        key,
        placeholder,
        value: scratch.values[placeholder] ?? '',
      }));
      const claiming = this.claims.then(() => this.claimAll(mapping, entries));
      this.claims = claiming.catch(() => undefined);
      await claiming;
    }
    throw new Error(`redaction did not settle after ${MAX_PASSES} passes`);
  }

  /**
   * Every text of a document redacted: its full text, title, sections, front-matter values and any
   * other text field ingest adds; its identity, source path, format, date, hash and size kept.
   */
  async redactPostmortem(postmortem: Postmortem): Promise<Postmortem> {
    // The full text first: names cued anywhere in it are then known to the title and sections.
    const names = new Set<string>();
    const redacted: Record<string, unknown> = { text: await this.redactText(postmortem.text, names) };
    for (const [field, value] of Object.entries(postmortem)) {
      if (field === 'text') continue;
      redacted[field] = KEPT_FIELDS.has(field) ? value : await this.redactValue(value, names);
    }
    return redacted as Postmortem;
  }

  private async redactValue(value: unknown, names: Set<string>): Promise<unknown> {
    if (typeof value === 'string') return this.redactText(value, names);
    if (Array.isArray(value)) {
      const items = [];
      for (const item of value) items.push(await this.redactValue(item, names));
      return items;
    }
    if (value !== null && typeof value === 'object') {
      const entries: Array<[string, unknown]> = [];
      for (const [field, inner] of Object.entries(value)) entries.push([field, await this.redactValue(inner, names)]);
      return Object.fromEntries(entries);
    }
    return value;
  }

  /** Give each new value a placeholder in the store (in the order this text met them) and in the mapping. */
  private async claimAll(
    mapping: RedactionMapping,
    entries: ReadonlyArray<{ key: string; placeholder: string; value: string }>,
  ): Promise<void> {
    const ordered = [...entries].sort(
      (left, right) => (partsOf(left.placeholder)?.number ?? 0) - (partsOf(right.placeholder)?.number ?? 0),
    );
    for (const entry of ordered) {
      if (mapping.keys[entry.key] !== undefined) continue;
      const category = partsOf(entry.placeholder)?.category;
      if (category === undefined) continue;
      if (mapping.secret !== undefined) {
        // A keyed placeholder is the same for this value in every run: claiming it twice is no conflict.
        await this.store.claimPlaceholder({
          placeholder: entry.placeholder,
          category,
          key: entry.key,
          value: entry.value,
        });
        const bound = await this.store.bindRedactionKey(entry.key, entry.placeholder);
        mapping.values[bound] ??= entry.value;
        mapping.keys[entry.key] = bound;
        this.given += 1;
        continue;
      }
      // Bound by another run since the mapping was read: take its placeholder, claim none.
      const known = await this.store.redactionKeyPlaceholder(entry.key);
      if (known !== undefined) {
        mapping.values[known] ??= entry.value;
        mapping.keys[entry.key] = known;
        continue;
      }
      let number = (mapping.counters[category] ?? 0) + 1;
      let claimed: string | undefined;
      for (let attempt = 0; attempt < MAX_CLAIMS && claimed === undefined; attempt++, number++) {
        const placeholder = `[${category}-${number}]`;
        if (await this.store.claimPlaceholder({ placeholder, category, key: entry.key, value: entry.value }))
          claimed = placeholder;
      }
      if (claimed === undefined) throw new Error(`no free ${category} placeholder after ${MAX_CLAIMS} tries`);
      mapping.counters[category] = Math.max(mapping.counters[category] ?? 0, number - 1);
      mapping.values[claimed] = entry.value;
      const bound = await this.store.bindRedactionKey(entry.key, claimed);
      // Another run bound the value first: use its placeholder (ours stays, restoring the same value).
      mapping.values[bound] ??= entry.value;
      mapping.keys[entry.key] = bound;
      this.given += 1;
    }
  }
}
