/**
 * The state store on one DynamoDB table with a generic key schema: partition key `pk` (S), sort key
 * `sk` (S), no indexes. Every item also carries `type` (source, document, run, vote).
 *
 * | item                         | pk                 | sk                           | other attributes                              |
 * |------------------------------|--------------------|------------------------------|-----------------------------------------------|
 * | claim of a source version    | `SOURCE#<key>`     | `ETAG#<etag>`                | sourceKey, etag, batchId, claimedAt           |
 * | a document's outcome in a run| `RUN#<runId>`      | `DOC#<docId>`                | the DocumentRecord fields                     |
 * | a run                        | `RUN#<runId>`      | `META`                       | the RunRecordEntry fields; counters documents, failed |
 * | a reviewer's vote            | `VOTE`             | `<at>#<itemId>#<reviewer>`   | the Vote fields                               |
 *
 * - A claim is a Put conditional on `attribute_not_exists(pk)`: the first event of an object
 *   version wins, duplicates get false. ETags are stored without their quotes (S3 event records
 *   carry them bare, listings and HEAD quoted), so both name the same version.
 * - A run's documents and its META item share a partition: one Query (`begins_with(sk, 'DOC#')`)
 *   lists the documents, one GetItem reads the run.
 * - Counters: `documents` is the number of the run's documents that succeeded and `failed` the
 *   number that failed, the same numbers `listDocuments` gives. putDocument writes the document
 *   with a Put conditional on `attribute_not_exists(pk) OR #status <> :status` returning the old
 *   item, so a retried task writing the same status is a no-op (its ConditionalCheckFailed is
 *   swallowed) and counts nothing; when the put succeeds, the counters move by the status change
 *   (claimed -> succeeded: documents +1; succeeded -> failed: documents -1, failed +1) in one
 *   atomic `ADD` on the META item. Concurrent writers of one document each see the status they
 *   replaced, so the sum stays right. Without transactions (dynalite has no TransactWriteItems)
 *   a crash between the put and the counter update loses that one count; the report recounts
 *   from `listDocuments`.
 * - putRun sets the run's fields and removes the optional ones it is not given, but keeps the
 *   counters unless the record gives them (prepare gives 0, the report its final counts). getRun
 *   answers undefined until putRun has written the run (counter updates alone make no run).
 * - Votes share one partition, ordered by time: they are few (human reviews) and read together.
 */
import { ConditionalCheckFailedException, DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentRecord, DocumentStatus, RunRecordEntry, StateStore, Vote } from './state-store.ts';

export interface DynamoDbClientOptions {
  /** A local endpoint (dynalite); without one, the SDK's own resolution. */
  endpoint?: string;
  /** Defaults to the SDK's own resolution (AWS_REGION, profile), or us-east-1 with an endpoint. */
  region?: string;
  credentials?: DynamoDBClientConfig['credentials'];
}

export function createDynamoDbClient(options: DynamoDbClientOptions = {}): DynamoDBClient {
  const region = options.region ?? (options.endpoint ? 'us-east-1' : undefined);
  return new DynamoDBClient({
    ...(region ? { region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
}

export interface DynamoDbStateStoreOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Limit of each Query page (DynamoDB also stops a page at 1 MB). */
  queryPageSize?: number;
}

type Item = Record<string, unknown>;

const RUN_COUNTERS = ['documents', 'failed'] as const;
const RUN_FIELDS = ['mode', 'status', 'startedAt', 'finishedAt', 'manifestKey', 'reportKey'] as const;

/** The keys of each kind of item. */
export const stateKeys = {
  source: (sourceKey: string, etag: string) => ({ pk: `SOURCE#${sourceKey}`, sk: `ETAG#${unquoteEtag(etag)}` }),
  document: (runId: string, docId: string) => ({ pk: `RUN#${runId}`, sk: `DOC#${docId}` }),
  run: (runId: string) => ({ pk: `RUN#${runId}`, sk: 'META' }),
  vote: (vote: Pick<Vote, 'at' | 'itemId' | 'reviewer'>) => ({ pk: 'VOTE', sk: `${vote.at}#${vote.itemId}#${vote.reviewer}` }),
};

export function unquoteEtag(etag: string): string {
  return etag.replace(/^"(.*)"$/, '$1');
}

function isConditionFailed(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException || (error instanceof Error && error.name === 'ConditionalCheckFailedException');
}

/** How a status change moves the run's counters. */
function counterDelta(previous: DocumentStatus | undefined, next: DocumentStatus): { documents: number; failed: number } {
  const weight = (status: DocumentStatus | undefined, counted: DocumentStatus) => (status === counted ? 1 : 0);
  return {
    documents: weight(next, 'succeeded') - weight(previous, 'succeeded'),
    failed: weight(next, 'failed') - weight(previous, 'failed'),
  };
}

function toDocument(item: Item): DocumentRecord {
  const record: DocumentRecord = {
    runId: item.runId as string,
    docId: item.docId as string,
    sourceKey: item.sourceKey as string,
    contentHash: item.contentHash as string,
    status: item.status as DocumentStatus,
    updatedAt: item.updatedAt as string,
  };
  if (item.stage !== undefined) record.stage = item.stage as DocumentRecord['stage'];
  if (item.reason !== undefined) record.reason = item.reason as string;
  return record;
}

function toRun(runId: string, item: Item): RunRecordEntry {
  const run: Item = { runId };
  for (const field of [...RUN_FIELDS, ...RUN_COUNTERS]) if (item[field] !== undefined) run[field] = item[field];
  return run as unknown as RunRecordEntry;
}

function toVote(item: Item): Vote {
  const { pk: _pk, sk: _sk, type: _type, ...vote } = item;
  return vote as unknown as Vote;
}

export class DynamoDbStateStore implements StateStore {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
  private readonly queryPageSize: number | undefined;

  constructor(options: DynamoDbStateStoreOptions) {
    this.documentClient = DynamoDBDocumentClient.from(options.client, { marshallOptions: { removeUndefinedValues: true } });
    this.tableName = options.tableName;
    this.queryPageSize = options.queryPageSize;
  }

  async claimSource(sourceKey: string, etag: string, batchId: string): Promise<boolean> {
    try {
      await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...stateKeys.source(sourceKey, etag), type: 'source', sourceKey, etag: unquoteEtag(etag), batchId, claimedAt: new Date().toISOString() },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  async putDocument(record: DocumentRecord): Promise<void> {
    let previous: Item | undefined;
    try {
      const response = await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...stateKeys.document(record.runId, record.docId), type: 'document', ...record },
          ConditionExpression: 'attribute_not_exists(pk) OR #status <> :status',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': record.status },
          ReturnValues: 'ALL_OLD',
        }),
      );
      previous = response.Attributes;
    } catch (error) {
      // The document already has this status: a retried task, counted the first time.
      if (isConditionFailed(error)) return;
      throw error;
    }
    const delta = counterDelta(previous?.status as DocumentStatus | undefined, record.status);
    if (delta.documents === 0 && delta.failed === 0) return;
    await this.documentClient.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: stateKeys.run(record.runId),
        UpdateExpression: 'SET #type = :type ADD #documents :documents, #failed :failed',
        ExpressionAttributeNames: { '#type': 'type', '#documents': 'documents', '#failed': 'failed' },
        ExpressionAttributeValues: { ':type': 'run', ':documents': delta.documents, ':failed': delta.failed },
      }),
    );
  }

  private async queryAll(input: { pk: string; skPrefix?: string }): Promise<Item[]> {
    const items: Item[] = [];
    let exclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.documentClient.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: input.skPrefix ? 'pk = :pk AND begins_with(sk, :sk)' : 'pk = :pk',
          ExpressionAttributeValues: { ':pk': input.pk, ...(input.skPrefix ? { ':sk': input.skPrefix } : {}) },
          ConsistentRead: true,
          ...(this.queryPageSize ? { Limit: this.queryPageSize } : {}),
          ...(exclusiveStartKey ? { ExclusiveStartKey: exclusiveStartKey } : {}),
        }),
      );
      items.push(...(page.Items ?? []));
      exclusiveStartKey = page.LastEvaluatedKey;
    } while (exclusiveStartKey);
    return items;
  }

  async listDocuments(runId: string): Promise<DocumentRecord[]> {
    return (await this.queryAll({ pk: stateKeys.run(runId).pk, skPrefix: 'DOC#' })).map(toDocument);
  }

  async putRun(run: RunRecordEntry): Promise<void> {
    const names: Record<string, string> = { '#type': 'type' };
    const values: Record<string, unknown> = { ':type': 'run' };
    const set = ['#type = :type'];
    const remove: string[] = [];
    for (const field of [...RUN_FIELDS, ...RUN_COUNTERS]) {
      const value = run[field];
      names[`#${field}`] = field;
      if (value !== undefined) {
        set.push(`#${field} = :${field}`);
        values[`:${field}`] = value;
      } else if (!(RUN_COUNTERS as readonly string[]).includes(field)) {
        remove.push(`#${field}`);
      } else {
        delete names[`#${field}`];
      }
    }
    await this.documentClient.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: stateKeys.run(run.runId),
        UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  async getRun(runId: string): Promise<RunRecordEntry | undefined> {
    const response = await this.documentClient.send(new GetCommand({ TableName: this.tableName, Key: stateKeys.run(runId), ConsistentRead: true }));
    // A META item made only by counter updates (documents recorded before putRun) is no run yet.
    return response.Item?.status !== undefined ? toRun(runId, response.Item) : undefined;
  }

  async putVote(vote: Vote): Promise<void> {
    await this.documentClient.send(new PutCommand({ TableName: this.tableName, Item: { ...stateKeys.vote(vote), type: 'vote', ...vote } }));
  }

  async listVotes(): Promise<Vote[]> {
    return (await this.queryAll({ pk: 'VOTE' })).map(toVote);
  }
}
