/** Reading the S3 event notifications that arrive through SQS. */
import type { SQSEvent } from 'aws-lambda';

interface S3NotificationRecord {
  eventName?: string;
  s3?: { bucket?: { name?: string }; object?: { key?: string; eTag?: string; sequencer?: string } };
}

/**
 * The created objects named by a batch of SQS messages, each carrying one S3 notification.
 * Keys arrive URL-encoded with "+" for spaces; test events and other event types are ignored.
 */
export function s3ObjectsOfSqsEvent(event: SQSEvent): Array<{ key: string; etag: string }> {
  const objects: Array<{ key: string; etag: string }> = [];
  for (const message of event.Records) {
    let body: { Records?: S3NotificationRecord[]; Event?: string };
    try {
      body = JSON.parse(message.body) as typeof body;
    } catch {
      continue;
    }
    for (const record of body.Records ?? []) {
      if (!record.eventName?.startsWith('ObjectCreated')) continue;
      const rawKey = record.s3?.object?.key;
      if (!rawKey) continue;
      let key: string;
      try {
        key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
      } catch {
        key = rawKey;
      }
      objects.push({ key, etag: record.s3?.object?.eTag ?? record.s3?.object?.sequencer ?? 'unknown' });
    }
  }
  return objects;
}
