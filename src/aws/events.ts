/**
 * The events the Lambdas receive, parsed with schemas: SQS batches of S3 event notifications, and
 * the payloads the state machine passes between its tasks.
 */
import { z } from 'zod';
import { StageName, WorkItem } from '../schemas/index.ts';

/** An S3 event notification record: only what the ingest reads. */
const S3NotificationRecord = z.object({
  eventName: z.string(),
  s3: z.object({
    object: z.object({
      key: z.string(),
      eTag: z.string().optional(),
      sequencer: z.string().optional(),
      versionId: z.string().optional(),
    }),
  }),
});

const S3Notification = z.object({ Records: z.array(z.unknown()).optional(), Event: z.string().optional() });

export const SqsEvent = z.object({
  Records: z.array(z.object({ messageId: z.string(), body: z.string() }).loose()),
});
export type SqsEvent = z.infer<typeof SqsEvent>;

/** One change of an object of the input bucket, as a notification told it. */
export interface ObjectChange {
  /** The full object key (URL-decoded). */
  key: string;
  version: string;
  sequencer: string;
  removed: boolean;
  messageId: string;
}

/**
 * The object changes of an SQS batch. Keys arrive URL-encoded with "+" for spaces. Test events,
 * other event types and messages that are not S3 notifications are passed over (they carry no change).
 */
export function objectChangesOf(event: SqsEvent): ObjectChange[] {
  const changes: ObjectChange[] = [];
  for (const message of event.Records) {
    let body: unknown;
    try {
      body = JSON.parse(message.body);
    } catch {
      continue;
    }
    const notification = S3Notification.safeParse(body);
    for (const raw of notification.success ? (notification.data.Records ?? []) : []) {
      const record = S3NotificationRecord.safeParse(raw);
      if (!record.success) continue;
      const { eventName, s3 } = record.data;
      const removed = eventName.startsWith('ObjectRemoved');
      if (!removed && !eventName.startsWith('ObjectCreated')) continue;
      let key: string;
      try {
        key = decodeURIComponent(s3.object.key.replace(/\+/g, ' '));
      } catch {
        key = s3.object.key;
      }
      changes.push({
        key,
        version: s3.object.eTag ?? '',
        sequencer: s3.object.sequencer ?? '',
        removed,
        messageId: message.messageId,
      });
    }
  }
  return changes;
}

/** A work item in flight through the state machine, with the queued change it settles. */
export const DocumentTaskEvent = z.object({
  runId: z.string().min(1),
  item: WorkItem.extend({
    sequencer: z.string().optional(),
    removed: z.boolean().optional(),
    queuedAt: z.string().optional(),
  }),
});
export type DocumentTaskEvent = z.infer<typeof DocumentTaskEvent>;

export const AnalyzeTaskEvent = DocumentTaskEvent.extend({ technology: z.string().min(1) });
export type AnalyzeTaskEvent = z.infer<typeof AnalyzeTaskEvent>;

/** A failed document as a Catch hands it on: the stage comes from the state that failed, never from message text. */
export const FailureTaskEvent = DocumentTaskEvent.extend({
  stage: StageName,
  error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
});
export type FailureTaskEvent = z.infer<typeof FailureTaskEvent>;

/** The statuses an execution can end with other than SUCCEEDED (the operations rule's filter). */
export const ENDED_EXECUTION_STATUSES = ['FAILED', 'TIMED_OUT', 'ABORTED'] as const;

/** An execution of the state machine that ended other than SUCCEEDED, as the operations rule hands it on. */
export const RunEndedEvent = z.object({
  name: z.string().min(1),
  executionArn: z.string().optional(),
  status: z.enum(ENDED_EXECUTION_STATUSES),
});
export type RunEndedEvent = z.infer<typeof RunEndedEvent>;

export const RunModeEvent = z.object({ mode: z.enum(['full', 'incremental']).default('incremental') });

export const CorpusTaskEvent = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('acquire'),
    holder: z.string().min(1),
    mode: z.enum(['full', 'incremental']).default('incremental'),
  }),
  z.object({
    action: z.literal('prepare'),
    holder: z.string().min(1),
    runId: z.string().min(1),
    mode: z.enum(['full', 'incremental']),
    round: z.number().int().nonnegative(),
  }),
  z.object({
    action: z.literal('beginFold'),
    holder: z.string().min(1),
    runId: z.string().min(1),
    mode: z.enum(['full', 'incremental']),
  }),
  z.object({
    action: z.literal('release'),
    holder: z.string().min(1),
    runId: z.string().optional(),
    failed: z.boolean().default(false),
    error: z.unknown().optional(),
  }),
]);
export type CorpusTaskEvent = z.infer<typeof CorpusTaskEvent>;

export const FoldTaskEvent = z.object({ runId: z.string().min(1), generation: z.number().int().optional() });
export type FoldTaskEvent = z.infer<typeof FoldTaskEvent>;
