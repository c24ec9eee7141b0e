/**
 * The state store as JSON files under a folder (the CLI's `<out>/state/`), with the semantics of
 * the DynamoDB store:
 *
 *   sources/<sha256 of key and etag>.json     a claimed source version, created with the `wx` flag
 *   runs/<runId>/run.json                     the run record with its counters
 *   runs/<runId>/documents/<docId>.json       a document's outcome (docId URI-encoded)
 *   votes/<at>#<itemId>#<reviewer>.json       a vote (URI-encoded)
 *
 * A claim is once-only across processes (an exclusive create). Documents and runs are replaced
 * atomically (temporary file and rename), and a run's document and counter updates are serialized
 * within the process: putDocument with the status a document already has is a no-op, and the
 * counters `documents` (succeeded) and `failed` move by the status change, as in DynamoDB. Two
 * processes writing the same run's documents at once are not supported.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DocumentRecord, DocumentStatus, RunRecordEntry, StateStore, Vote } from './state-store.ts';

function isErrorCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error as { code: unknown }).code === code;
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return undefined;
    throw error;
  }
}

async function writeJsonAtomically(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`);
  await rename(temporary, file);
}

async function readJsonFolder<T>(folder: string): Promise<T[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return [];
    throw error;
  }
  const values = await Promise.all(names.filter((name) => name.endsWith('.json')).sort().map((name) => readJson<T>(path.join(folder, name))));
  return values.filter((value): value is Awaited<T> => value !== undefined);
}

/** Counters as stored with the run: a run file may hold only counters until putRun writes it. */
type StoredRun = Partial<RunRecordEntry> & { runId: string };

function counterDelta(previous: DocumentStatus | undefined, next: DocumentStatus): { documents: number; failed: number } {
  const weight = (status: DocumentStatus | undefined, counted: DocumentStatus) => (status === counted ? 1 : 0);
  return {
    documents: weight(next, 'succeeded') - weight(previous, 'succeeded'),
    failed: weight(next, 'failed') - weight(previous, 'failed'),
  };
}

export class LocalStateStore implements StateStore {
  /** The tail of each run's chain of writes. */
  private readonly runLocks = new Map<string, Promise<unknown>>();

  constructor(readonly root: string) {}

  private runFolder(runId: string): string {
    return path.join(this.root, 'runs', encodeURIComponent(runId));
  }

  private runFile(runId: string): string {
    return path.join(this.runFolder(runId), 'run.json');
  }

  private documentFile(runId: string, docId: string): string {
    return path.join(this.runFolder(runId), 'documents', `${encodeURIComponent(docId)}.json`);
  }

  /** Runs `work` after every earlier write of the run has settled. */
  private withRunLock<T>(runId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.runLocks.get(runId) ?? Promise.resolve(); // never rejects: see tail
    const next = previous.then(work);
    const tail = next.catch(() => undefined);
    this.runLocks.set(runId, tail);
    void tail.then(() => {
      if (this.runLocks.get(runId) === tail) this.runLocks.delete(runId);
    });
    return next;
  }

  async claimSource(sourceKey: string, etag: string, batchId: string): Promise<boolean> {
    const version = etag.replace(/^"(.*)"$/, '$1');
    const name = createHash('sha256').update(`${sourceKey}\n${version}`).digest('hex');
    const folder = path.join(this.root, 'sources');
    await mkdir(folder, { recursive: true });
    try {
      await writeFile(path.join(folder, `${name}.json`), `${JSON.stringify({ sourceKey, etag: version, batchId, claimedAt: new Date().toISOString() })}\n`, { flag: 'wx' });
      return true;
    } catch (error) {
      if (isErrorCode(error, 'EEXIST')) return false;
      throw error;
    }
  }

  putDocument(record: DocumentRecord): Promise<void> {
    return this.withRunLock(record.runId, async () => {
      const file = this.documentFile(record.runId, record.docId);
      const previous = await readJson<DocumentRecord>(file);
      if (previous?.status === record.status) return;
      await writeJsonAtomically(file, record);
      const delta = counterDelta(previous?.status, record.status);
      if (delta.documents === 0 && delta.failed === 0) return;
      const run = (await readJson<StoredRun>(this.runFile(record.runId))) ?? { runId: record.runId };
      await writeJsonAtomically(this.runFile(record.runId), {
        ...run,
        documents: (run.documents ?? 0) + delta.documents,
        failed: (run.failed ?? 0) + delta.failed,
      });
    });
  }

  async listDocuments(runId: string): Promise<DocumentRecord[]> {
    const records = await readJsonFolder<DocumentRecord>(path.join(this.runFolder(runId), 'documents'));
    // In docId order, as DynamoDB returns them (by sort key).
    return records.sort((left, right) => (left.docId < right.docId ? -1 : left.docId > right.docId ? 1 : 0));
  }

  putRun(run: RunRecordEntry): Promise<void> {
    return this.withRunLock(run.runId, async () => {
      const stored = await readJson<StoredRun>(this.runFile(run.runId));
      const documents = run.documents ?? stored?.documents;
      const failed = run.failed ?? stored?.failed;
      await writeJsonAtomically(this.runFile(run.runId), {
        ...run,
        ...(documents !== undefined ? { documents } : {}),
        ...(failed !== undefined ? { failed } : {}),
      });
    });
  }

  async getRun(runId: string): Promise<RunRecordEntry | undefined> {
    const stored = await readJson<StoredRun>(this.runFile(runId));
    return stored?.status !== undefined ? (stored as RunRecordEntry) : undefined;
  }

  async putVote(vote: Vote): Promise<void> {
    await writeJsonAtomically(path.join(this.root, 'votes', `${encodeURIComponent(`${vote.at}#${vote.itemId}#${vote.reviewer}`)}.json`), vote);
  }

  async listVotes(): Promise<Vote[]> {
    const votes = await readJsonFolder<Vote>(path.join(this.root, 'votes'));
    const order = (vote: Vote) => `${vote.at}#${vote.itemId}#${vote.reviewer}`;
    return votes.sort((left, right) => (order(left) < order(right) ? -1 : order(left) > order(right) ? 1 : 0));
  }
}
