import type { StageName } from '../schemas/index.ts';

/**
 * The state store: document and run status, per-stage records and reviewers' votes. Local files
 * for the CLI, DynamoDB on AWS; writes that must happen once are conditional.
 */

export type DocumentStatus = 'claimed' | 'succeeded' | 'failed';

export interface DocumentRecord {
  runId: string;
  docId: string;
  /** The object key (AWS) or relative path (local) of the source. */
  sourceKey: string;
  contentHash: string;
  status: DocumentStatus;
  /** Stage that failed, and why, when status is failed. */
  stage?: StageName;
  reason?: string;
  updatedAt: string;
}

export type RunStatus = 'running' | 'succeeded' | 'failed';

export interface RunRecordEntry {
  runId: string;
  mode: 'incremental' | 'full';
  status: RunStatus;
  startedAt: string;
  finishedAt?: string;
  manifestKey?: string;
  documents?: number;
  failed?: number;
  reportKey?: string;
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

export interface StateStore {
  /**
   * Claim an S3 object version (key + etag) for processing once: true the first time, false for
   * every duplicate event of the same version. Conditional write.
   */
  claimSource(sourceKey: string, etag: string, batchId: string): Promise<boolean>;
  /** Record a document's outcome in a run; counting it once per run (conditional on a new record or a status change). */
  putDocument(record: DocumentRecord): Promise<void>;
  listDocuments(runId: string): Promise<DocumentRecord[]>;
  putRun(run: RunRecordEntry): Promise<void>;
  getRun(runId: string): Promise<RunRecordEntry | undefined>;
  putVote(vote: Vote): Promise<void>;
  listVotes(): Promise<Vote[]>;
}
