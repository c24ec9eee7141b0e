/**
 * The state store: the corpus index, the queue of source changes waiting for a run, the corpus
 * lock, runs and their per-document outcomes, and reviewers' votes. Its logic is written once
 * here, over an `ItemTable` (DynamoDB on AWS, a JSON file for the CLI, memory in tests).
 *
 * | item                          | pk        | sk                          |
 * |-------------------------------|-----------|-----------------------------|
 * | a corpus index entry          | `CORPUS`  | `DOC#<docId>`               |
 * | a queued source change        | `QUEUE`   | `SRC#<source key>`          |
 * | a lock                        | `LOCK`    | `<name>`                    |
 * | the fold's generation counters| `FOLD`    | `STATE`                     |
 * | a run                         | `RUN#<id>`| `META`                      |
 * | a document's outcome in a run | `RUN#<id>`| `DOC#<docId>`               |
 * | a reviewer's vote             | `VOTE`    | `<at>#<itemId>#<reviewer>`  |
 * | a redaction placeholder       | `PII`     | `PH#<placeholder>`          |
 * | the placeholder of a value    | `PII`     | `KEY#<sha256 of its key>`   |
 * | the keyed-placeholder secret  | `PII`     | `SECRET`                    |
 *
 * The redaction items are the mapping placeholder -> original value (src/privacy): they stay in
 * this store and are never sent to a model. Each is written once (conditional writes), so that
 * concurrent runs give one value one placeholder and one placeholder one value.
 *
 * Expiry (DynamoDB TTL on `expiresAt`, epoch seconds): a run and its outcomes expire
 * RUN_RETENTION_DAYS after their last write, as the run's objects under runs/ do (infra/constructs/storage.ts);
 * a lock's `expiresAt` is the end of its lease, after which it is free anyway. Nothing else carries
 * `expiresAt`: the corpus index, the queue, the fold state, votes and the redaction mapping never expire.
 */
import { createHash, randomBytes } from 'node:crypto';
import { CorpusEntry, type StageName } from '../schemas/index.ts';
import { when, type Item, type ItemTable } from './item-table.ts';

export type OutcomeStatus = 'analysed' | 'skipped' | 'failed';

export type RunStatus = 'waiting' | 'running' | 'succeeded' | 'failed';

export interface RunRecordEntry {
  runId: string;
  mode: 'incremental' | 'full';
  status: RunStatus;
  startedAt: string;
  finishedAt?: string;
  /** Why a run failed without its own failure path: the status its execution ended with (TIMED_OUT, ABORTED, FAILED). */
  reason?: string;
  reportKey?: string;
  /** Documents analysed, and failed, by this run (counted once each). */
  analysed?: number;
  failed?: number;
}

export interface RunOutcome {
  runId: string;
  docId: string;
  status: OutcomeStatus;
  stage?: StageName;
  reason?: string;
}

export interface Vote {
  itemId: string;
  reviewer: string;
  vote: 'up' | 'down' | 'edit' | 'skip';
  stage: StageName;
  docId: string;
  promptVersion: string;
  model: string;
  at: string;
  correction?: string;
}

/**
 * A change of a source object waiting for a run: created or overwritten (`removed: false`) or
 * deleted. `sequencer` orders changes of one key (S3's event sequencer, zero-padded); a newer
 * change replaces an older one, never the reverse.
 */
export interface QueuedChange {
  key: string;
  version: string;
  sequencer: string;
  removed: boolean;
  queuedAt: string;
}

/** A placeholder of the redaction mapping and the value behind it (see src/privacy/redact.ts). */
export interface RedactionEntry {
  /** `[EMAIL-1]` */
  placeholder: string;
  category: string;
  /** `<category>:<normalised value>`: what makes two spellings of a value one. */
  key: string;
  /** The value as first seen. */
  value: string;
}

/** Days a run record and its outcomes are kept after their last write (and the run's objects under runs/). */
export const RUN_RETENTION_DAYS = 30;

/** The TTL attribute of the state table: epoch seconds after which DynamoDB may delete the item. */
export const EXPIRES_AT = 'expiresAt';

function runExpiry(now = Date.now()): number {
  return Math.floor(now / 1000) + RUN_RETENTION_DAYS * 24 * 3600;
}

const CORPUS = 'CORPUS';
const QUEUE = 'QUEUE';
const PII = 'PII';

/** S3 sequencers compare as hex strings of equal length: pad them. */
export function paddedSequencer(sequencer: string | undefined): string {
  return (sequencer ?? '').toUpperCase().padStart(32, '0');
}

function tokenOf(change: Pick<QueuedChange, 'sequencer' | 'version' | 'removed'>): string {
  return `${change.sequencer}|${change.version}|${change.removed ? 'removed' : 'present'}`;
}

function withoutKeys(item: Item): Record<string, unknown> {
  const { pk: _pk, sk: _sk, type: _type, token: _token, expiresAt: _expiresAt, ...rest } = item;
  return rest;
}

/** The sort key of a value's binding, hashed: a sort key has a size limit, and a value need not be stored twice. */
function redactionKeySort(key: string): string {
  return `KEY#${createHash('sha256').update(key).digest('hex')}`;
}

function counterDelta(previous: OutcomeStatus | undefined, next: OutcomeStatus): { analysed: number; failed: number } {
  const weight = (status: OutcomeStatus | undefined, counted: OutcomeStatus) => (status === counted ? 1 : 0);
  return {
    analysed: weight(next, 'analysed') - weight(previous, 'analysed'),
    failed: weight(next, 'failed') - weight(previous, 'failed'),
  };
}

export class StateStore {
  constructor(readonly table: ItemTable) {}

  /** Write what the table holds back (the local file table); a no-op elsewhere. */
  async flush(): Promise<void> {
    await (this.table as { flush?: () => Promise<void> }).flush?.();
  }

  // The corpus index.

  async listCorpus(): Promise<CorpusEntry[]> {
    return (await this.table.query(CORPUS, 'DOC#')).map((item) => CorpusEntry.parse(withoutKeys(item)));
  }

  async getCorpusEntry(docId: string): Promise<CorpusEntry | undefined> {
    const item = await this.table.get({ pk: CORPUS, sk: `DOC#${docId}` });
    return item ? CorpusEntry.parse(withoutKeys(item)) : undefined;
  }

  async putCorpusEntry(entry: CorpusEntry): Promise<void> {
    await this.table.put({ pk: CORPUS, sk: `DOC#${entry.docId}`, type: 'corpus', ...CorpusEntry.parse(entry) });
  }

  async removeCorpusEntry(docId: string): Promise<void> {
    await this.table.delete({ pk: CORPUS, sk: `DOC#${docId}` });
  }

  // The queue of source changes.

  /** Queue a change unless a newer one of the same key is queued; true when queued. */
  async enqueue(change: QueuedChange): Promise<boolean> {
    const item: Item = { pk: QUEUE, sk: `SRC#${change.key}`, type: 'queue', token: tokenOf(change), ...change };
    const { written } = await this.table.put(
      item,
      when.or(when.absent(), when.lessThan('sequencer', change.sequencer), when.equals('sequencer', change.sequencer)),
    );
    return written;
  }

  async listQueue(): Promise<QueuedChange[]> {
    return (await this.table.query(QUEUE, 'SRC#')).map((item) => withoutKeys(item) as unknown as QueuedChange);
  }

  /** Take a change off the queue once handled, unless a newer change of the key arrived meanwhile. */
  dequeue(change: QueuedChange): Promise<boolean> {
    return this.table.delete({ pk: QUEUE, sk: `SRC#${change.key}` }, when.equals('token', tokenOf(change)));
  }

  // Locks with a lease: a holder that died loses its lock when the lease runs out.

  async acquireLock(name: string, holder: string, leaseSeconds: number, now = Date.now()): Promise<boolean> {
    const nowSeconds = Math.floor(now / 1000);
    const { written } = await this.table.put(
      {
        pk: 'LOCK',
        sk: name,
        type: 'lock',
        holder,
        expiresAt: nowSeconds + leaseSeconds,
        acquiredAt: new Date(now).toISOString(),
      },
      when.or(when.absent(), when.lessThan('expiresAt', nowSeconds), when.equals('holder', holder)),
    );
    return written;
  }

  releaseLock(name: string, holder: string): Promise<boolean> {
    return this.table.delete({ pk: 'LOCK', sk: name }, when.equals('holder', holder));
  }

  async lockHolder(name: string, now = Date.now()): Promise<string | undefined> {
    const item = await this.table.get({ pk: 'LOCK', sk: name });
    return item && (item.expiresAt as number) >= Math.floor(now / 1000) ? (item.holder as string) : undefined;
  }

  // Runs and their outcomes.

  /** Set a run's fields in one update; its counters move only by recordOutcome, never here (no lost update). */
  async putRun(run: RunRecordEntry): Promise<void> {
    const fields = Object.fromEntries(
      Object.entries(run).filter(([field, value]) => value !== undefined && field !== 'analysed' && field !== 'failed'),
    );
    await this.table.add(
      { pk: `RUN#${run.runId}`, sk: 'META' },
      { analysed: 0, failed: 0 },
      { type: 'run', ...fields, [EXPIRES_AT]: runExpiry() },
    );
  }

  async getRun(runId: string): Promise<RunRecordEntry | undefined> {
    const item = await this.table.get({ pk: `RUN#${runId}`, sk: 'META' });
    return item?.status !== undefined ? (withoutKeys(item) as unknown as RunRecordEntry) : undefined;
  }

  /**
   * Record a document's outcome in a run, counting it once: writing the status it already has is a
   * no-op, and a change moves the run's counters by the difference (a retried task counts nothing).
   */
  async recordOutcome(outcome: RunOutcome): Promise<void> {
    const { written, previous } = await this.table.put(
      {
        pk: `RUN#${outcome.runId}`,
        sk: `DOC#${outcome.docId}`,
        type: 'outcome',
        ...outcome,
        [EXPIRES_AT]: runExpiry(),
      },
      when.or(when.absent(), when.notEquals('status', outcome.status)),
    );
    if (!written) return;
    const delta = counterDelta(previous?.status as OutcomeStatus | undefined, outcome.status);
    if (delta.analysed !== 0 || delta.failed !== 0)
      await this.table.add({ pk: `RUN#${outcome.runId}`, sk: 'META' }, delta, {
        type: 'run',
        [EXPIRES_AT]: runExpiry(),
      });
  }

  async listOutcomes(runId: string): Promise<RunOutcome[]> {
    return (await this.table.query(`RUN#${runId}`, 'DOC#')).map((item) => withoutKeys(item) as unknown as RunOutcome);
  }

  // The fold's generations: every change of the corpus moves `generation`; a fold records what it covered.

  async markCorpusChanged(): Promise<number> {
    return (await this.table.add({ pk: 'FOLD', sk: 'STATE' }, { generation: 1 }, { type: 'fold' }))
      .generation as number;
  }

  async foldState(): Promise<{ generation: number; folded: number }> {
    const item = await this.table.get({ pk: 'FOLD', sk: 'STATE' });
    return {
      generation: (item?.generation as number | undefined) ?? 0,
      folded: (item?.folded as number | undefined) ?? -1,
    };
  }

  async markFolded(generation: number): Promise<void> {
    await this.table.add({ pk: 'FOLD', sk: 'STATE' }, {}, { type: 'fold', folded: generation });
  }

  // The redaction mapping: local state, never sent to a model.

  /** Every placeholder given so far, in sort-key order. */
  async listRedactions(): Promise<RedactionEntry[]> {
    return (await this.table.query(PII, 'PH#')).map((item) => {
      const { placeholder, category, key, value } = withoutKeys(item) as unknown as RedactionEntry;
      return { placeholder, category, key, value };
    });
  }

  /** The corpus secret of keyed placeholders (src/privacy/redact.ts), created once; every run after reads the same. */
  async redactionSecret(): Promise<string> {
    const existing = await this.table.get({ pk: PII, sk: 'SECRET' });
    if (typeof existing?.secret === 'string') return existing.secret;
    const secret = randomBytes(32).toString('hex');
    const { written } = await this.table.put({ pk: PII, sk: 'SECRET', type: 'pii-secret', secret }, when.absent());
    if (written) return secret;
    const winner = await this.table.get({ pk: PII, sk: 'SECRET' });
    return typeof winner?.secret === 'string' ? winner.secret : secret;
  }

  /** Every value's key and the placeholder it is bound to (see bindRedactionKey). */
  async listRedactionKeys(): Promise<Array<{ key: string; placeholder: string }>> {
    return (await this.table.query(PII, 'KEY#')).map((item) => ({
      key: String(item.key),
      placeholder: String(item.placeholder),
    }));
  }

  /** Take a placeholder for a value; false when another value (or run) holds it already. */
  async claimPlaceholder(entry: RedactionEntry): Promise<boolean> {
    const { written } = await this.table.put(
      { pk: PII, sk: `PH#${entry.placeholder}`, type: 'pii', ...entry },
      when.absent(),
    );
    return written;
  }

  /** The placeholder a value's key is bound to, if any (another run may have bound it since this one read the mapping). */
  async redactionKeyPlaceholder(key: string): Promise<string | undefined> {
    const bound = await this.table.get({ pk: PII, sk: redactionKeySort(key) });
    return typeof bound?.placeholder === 'string' ? bound.placeholder : undefined;
  }

  /** Bind a value's key to a placeholder unless it is bound already; the placeholder it is bound to comes back. */
  async bindRedactionKey(key: string, placeholder: string): Promise<string> {
    const { written } = await this.table.put(
      { pk: PII, sk: redactionKeySort(key), type: 'pii-key', key, placeholder },
      when.absent(),
    );
    if (written) return placeholder;
    return (await this.redactionKeyPlaceholder(key)) ?? placeholder;
  }

  // Votes.

  async putVote(vote: Vote): Promise<void> {
    await this.table.put({ pk: 'VOTE', sk: `${vote.at}#${vote.itemId}#${vote.reviewer}`, type: 'vote', ...vote });
  }

  async listVotes(): Promise<Vote[]> {
    return (await this.table.query('VOTE')).map((item) => withoutKeys(item) as unknown as Vote);
  }
}
