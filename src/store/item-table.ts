/**
 * The storage seam of the state store: a table of items under a partition key and a sort key,
 * with conditional writes and atomic counters. DynamoDB implements it on AWS, a JSON file
 * locally and a Map in tests; the state store's logic is written once on top of it.
 */
export type Scalar = string | number | boolean;
export type Item = { pk: string; sk: string } & Record<string, unknown>;
export interface ItemKey {
  pk: string;
  sk: string;
}

/** What a conditional write requires of the item it replaces (or of its absence). */
export type Condition =
  | { kind: 'absent' }
  | { kind: 'equals'; field: string; value: Scalar }
  | { kind: 'notEquals'; field: string; value: Scalar }
  | { kind: 'lessThan'; field: string; value: Scalar }
  | { kind: 'or'; conditions: Condition[] };

export const when = {
  absent: (): Condition => ({ kind: 'absent' }),
  equals: (field: string, value: Scalar): Condition => ({ kind: 'equals', field, value }),
  notEquals: (field: string, value: Scalar): Condition => ({ kind: 'notEquals', field, value }),
  lessThan: (field: string, value: Scalar): Condition => ({ kind: 'lessThan', field, value }),
  or: (...conditions: [Condition, ...Condition[]]): Condition => ({ kind: 'or', conditions }),
};

/** A condition evaluated on the current item, with DynamoDB's meaning (a missing field compares false, except <>). */
export function holds(condition: Condition, current: Item | undefined): boolean {
  switch (condition.kind) {
    case 'absent':
      return current === undefined;
    case 'equals':
      return current !== undefined && current[condition.field] === condition.value;
    case 'notEquals':
      return current?.[condition.field] !== condition.value;
    case 'lessThan': {
      const value = current?.[condition.field];
      return (
        (typeof value === 'number' || typeof value === 'string') &&
        typeof value === typeof condition.value &&
        value < condition.value
      );
    }
    case 'or':
      return condition.conditions.some((inner) => holds(inner, current));
  }
}

export interface ItemTable {
  get(key: ItemKey): Promise<Item | undefined>;
  /** Write the item if the condition holds; the item it replaced comes back. */
  put(item: Item, condition?: Condition): Promise<{ written: boolean; previous?: Item }>;
  delete(key: ItemKey, condition?: Condition): Promise<boolean>;
  /** Every item of a partition (whose sort key starts with the prefix), in sort-key order. */
  query(pk: string, skPrefix?: string): Promise<Item[]>;
  /** Add to numeric fields atomically (creating the item), set others; the item after the update. */
  add(key: ItemKey, counters: Record<string, number>, set?: Record<string, unknown>): Promise<Item>;
}

/** Items in memory: unit tests, and the base of the local file table. */
export class MemoryItemTable implements ItemTable {
  protected readonly items = new Map<string, Item>();

  private static id(key: ItemKey): string {
    return `${key.pk}\u0000${key.sk}`;
  }

  /** Called after each change; the file table persists there. */
  protected changed(): void {}

  get(key: ItemKey): Promise<Item | undefined> {
    const item = this.items.get(MemoryItemTable.id(key));
    return Promise.resolve(item ? structuredClone(item) : undefined);
  }

  put(item: Item, condition?: Condition): Promise<{ written: boolean; previous?: Item }> {
    const id = MemoryItemTable.id(item);
    const previous = this.items.get(id);
    if (condition && !holds(condition, previous)) return Promise.resolve({ written: false });
    this.items.set(id, structuredClone(item));
    this.changed();
    return Promise.resolve({ written: true, ...(previous ? { previous } : {}) });
  }

  delete(key: ItemKey, condition?: Condition): Promise<boolean> {
    const id = MemoryItemTable.id(key);
    const current = this.items.get(id);
    if (condition && !holds(condition, current)) return Promise.resolve(false);
    const deleted = this.items.delete(id);
    if (deleted) this.changed();
    return Promise.resolve(deleted);
  }

  query(pk: string, skPrefix = ''): Promise<Item[]> {
    const found = [...this.items.values()].filter((item) => item.pk === pk && item.sk.startsWith(skPrefix));
    return Promise.resolve(
      found
        .sort((left, right) => (left.sk < right.sk ? -1 : left.sk > right.sk ? 1 : 0))
        .map((item) => structuredClone(item)),
    );
  }

  add(key: ItemKey, counters: Record<string, number>, set: Record<string, unknown> = {}): Promise<Item> {
    const id = MemoryItemTable.id(key);
    const item: Item = { ...(this.items.get(id) ?? { pk: key.pk, sk: key.sk }), ...set };
    for (const [field, delta] of Object.entries(counters))
      item[field] = (typeof item[field] === 'number' ? (item[field] as number) : 0) + delta;
    this.items.set(id, item);
    this.changed();
    return Promise.resolve(structuredClone(item));
  }
}
