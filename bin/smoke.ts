/**
 * Post-deploy smoke test: drop one sample postmortem into the input bucket and wait for the report
 * of the whole corpus (report/report.json in the artifacts bucket) that includes it.
 *
 *   npx tsx bin/smoke.ts --input-bucket <InputBucketName> --artifacts-bucket <ArtifactsBucketName>
 *     [--region us-east-1] [--prefix postmortems/] [--file golden/cases/a-cert-expiry.md]
 *     [--timeout-minutes 30] [--remove]
 *
 * Exits 0 when the document is analysed, 1 when it is failed or skipped, or when no report names it
 * in time, 2 on bad arguments. `--remove` deletes the sample afterwards (which starts one more run
 * that takes it out of the corpus and the report). Needs s3:PutObject on the input prefix and
 * s3:GetObject on report/report.json.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { documentIdOf } from '../src/run/identity.ts';

const { values } = parseArgs({
  options: {
    'input-bucket': { type: 'string' },
    'artifacts-bucket': { type: 'string' },
    region: { type: 'string' },
    prefix: { type: 'string', default: 'postmortems/' },
    file: { type: 'string', default: path.join(import.meta.dirname, '..', 'golden', 'cases', 'a-cert-expiry.md') },
    'timeout-minutes': { type: 'string', default: '30' },
    'poll-seconds': { type: 'string', default: '20' },
    remove: { type: 'boolean', default: false },
  },
});
const inputBucket = values['input-bucket'];
const artifactsBucket = values['artifacts-bucket'];
if (!inputBucket || !artifactsBucket) {
  console.error('usage: npx tsx bin/smoke.ts --input-bucket <name> --artifacts-bucket <name> [--region <region>]');
  process.exit(2);
}
const prefix = values.prefix.endsWith('/') ? values.prefix : `${values.prefix}/`;
const timeoutMillis = Number(values['timeout-minutes']) * 60_000;
const pollMillis = Number(values['poll-seconds']) * 1000;

interface ReportJson {
  generatedAt?: string;
  runId?: string;
  documents?: Array<{ docId: string; classification?: { causal?: Array<{ technology: string }> } }>;
  failed?: Array<{ docId: string; stage?: string; reason?: string }>;
  skipped?: Array<{ path: string; reason?: string }>;
}

const s3 = new S3Client(values.region ? { region: values.region } : {});

async function latestReport(): Promise<ReportJson | undefined> {
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: artifactsBucket, Key: 'report/report.json' }));
    return JSON.parse((await response.Body?.transformToString()) ?? '{}') as ReportJson;
  } catch (error) {
    if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

const started = new Date();
const relativeKey = `smoke/smoke-${started.toISOString().replace(/[:.]/g, '-')}${path.extname(values.file)}`;
const docId = documentIdOf(relativeKey);
await s3.send(
  new PutObjectCommand({ Bucket: inputBucket, Key: `${prefix}${relativeKey}`, Body: await readFile(values.file) }),
);
console.log(`put s3://${inputBucket}/${prefix}${relativeKey} (document ${docId}); waiting for its report...`);

let outcome: 'analysed' | 'failed' | 'skipped' | 'timeout' = 'timeout';
while (Date.now() - started.getTime() < timeoutMillis) {
  await new Promise((resolve) => setTimeout(resolve, pollMillis));
  const report = await latestReport();
  if (!report?.generatedAt || new Date(report.generatedAt) < started) continue;
  const analysed = report.documents?.find((document) => document.docId === docId);
  const failed = report.failed?.find((document) => document.docId === docId);
  const skipped = report.skipped?.find((document) => document.path === relativeKey);
  if (analysed) {
    const causes = analysed.classification?.causal?.map((cause) => cause.technology) ?? [];
    console.log(`analysed in run ${report.runId ?? '?'}: causal technologies ${causes.join(', ') || 'none'}`);
    outcome = 'analysed';
  } else if (failed) {
    console.error(`failed in run ${report.runId ?? '?'} at ${failed.stage ?? '?'}: ${failed.reason ?? ''}`);
    outcome = 'failed';
  } else if (skipped) {
    console.error(`skipped in run ${report.runId ?? '?'}: ${skipped.reason ?? ''}`);
    outcome = 'skipped';
  } else continue;
  break;
}
if (outcome === 'timeout')
  console.error(
    `no report named the document within ${values['timeout-minutes']} minutes: look at the state machine's executions and the ingest dead-letter queue`,
  );
else console.log(`report: s3://${artifactsBucket}/report/report.html`);
if (values.remove) {
  await s3.send(new DeleteObjectCommand({ Bucket: inputBucket, Key: `${prefix}${relativeKey}` }));
  console.log('removed the sample (one more run takes it out of the corpus)');
}
process.exit(outcome === 'analysed' ? 0 : 1);
