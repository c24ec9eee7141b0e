/** The "report ready" message: report keys and a presigned link to the HTML report. */
import type { ObjectStore } from '../store/object-store.ts';

export const DOWNLOAD_LINK_SECONDS = 7 * 24 * 3600;

interface Presigning {
  presignedGetUrl(key: string, expiresInSeconds: number): Promise<string>;
}

function canPresign(store: ObjectStore): store is ObjectStore & Presigning {
  return typeof (store as Partial<Presigning>).presignedGetUrl === 'function';
}

export async function reportReadyMessage(
  artifacts: ObjectStore,
  run: { runId: string; reportKeys: string[]; documents: number; failed: number },
): Promise<{ subject: string; body: string; downloadUrl: string | null }> {
  const htmlKey = run.reportKeys.find((key) => key.endsWith('.html')) ?? null;
  const downloadUrl =
    htmlKey && canPresign(artifacts) ? await artifacts.presignedGetUrl(htmlKey, DOWNLOAD_LINK_SECONDS) : null;
  const lines = [
    `The postmortem-lens report of run ${run.runId} is ready: ${run.documents} documents analysed, ${run.failed} failed.`,
    '',
    downloadUrl ? `Download (valid for 7 days): ${downloadUrl}` : 'No download link could be made.',
    '',
    'Report objects in the artifacts bucket:',
    ...run.reportKeys.map((key) => `- ${key}`),
  ];
  return { subject: `postmortem-lens report ${run.runId} ready`, body: lines.join('\n'), downloadUrl };
}
