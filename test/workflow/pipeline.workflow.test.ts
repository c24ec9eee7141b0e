/**
 * The synthesized state machine, run locally with the real handlers: postmortems put into the
 * input bucket (s3rver) -> notifications -> SQS batch -> ingest handler -> StartExecution through
 * the real SFN client -> the definition (Distributed Map rewritten) with every Task running its
 * Lambda handler against s3rver, dynalite, the fake Bedrock and a fake SNS endpoint.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SQSEvent } from 'aws-lambda';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvedDefinition } from '../../infra/definition.ts';
import { synthesize } from '../infra/synth.ts';
import { loadCatalog } from '../../src/catalog/index.ts';
import { EngineConfig } from '../../src/config/engine-config.ts';
import { createEngine } from '../../src/engines/index.ts';
import { runLocal } from '../../src/pipeline/run-local.ts';
import type { ReportData } from '../../src/schemas/index.ts';
import { createS3Client, S3ObjectStore } from '../../src/store/s3-object-store.ts';
import { createDynamoDbClient, DynamoDbStateStore } from '../../src/store/dynamodb-state-store.ts';
import { MemoryObjectStore } from '../../src/store/memory-object-store.ts';
import { startDynalite, startS3rver, type S3Event } from '../support/aws-servers.ts';
import { startFakeBedrock, type FakeBedrockServer, type Reply } from '../support/fake-bedrock-server.ts';
import { FakeSnsServer } from '../support/fake-sns-server.ts';
import { createGoldenScript } from '../support/golden-script.ts';
import { LocalStepFunctions } from '../support/local-step-functions.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const casesDir = path.join(root, 'golden', 'cases');
const PREFIX = 'postmortems/';
const TOLERATED = 10;
const script = createGoldenScript(path.join(root, 'golden'));

let closers: Array<() => Promise<void>> = [];
let s3: S3Client;
let artifacts: S3ObjectStore;
let state: DynamoDbStateStore;
let bedrock: FakeBedrockServer;
let bedrockUrl: string;
let sns: FakeSnsServer;
let stepFunctions: LocalStepFunctions;
let notificationsSeen = 0;
let s3Events: S3Event[];
let ingest: (event: SQSEvent) => Promise<{ started: boolean; items: number; executionArn?: string }>;
/** Document ids whose summarize answer is cut off at maxTokens, every time. */
const poisoned = new Set<string>();

function userTextOf(body: { messages?: Array<{ content: Array<{ text?: string }> }> }): string {
  return body.messages?.[0]?.content.map((block) => block.text ?? '').join('') ?? '';
}

async function respond(request: { body: { toolConfig?: { tools?: Array<{ toolSpec?: { name: string } }> }; messages?: Array<{ content: Array<{ text?: string }> }> } }): Promise<Reply> {
  const toolName = request.body.toolConfig?.tools?.[0]?.toolSpec?.name ?? '';
  const userText = userTextOf(request.body);
  const id = /<(?:document|postmortem) id="([^"]+)"/.exec(userText)?.[1] ?? '';
  if (toolName === 'submit_summary' && poisoned.has(id)) return { fault: 'truncated', partialText: '{"issue": {"text": "cut' };
  return { toolInput: await script(toolName, userText.replace(/id="poison-\d+-/, 'id="')) };
}

/** SQS batches of up to 10 messages, each holding one S3 notification, as S3 -> SQS delivers them. */
function sqsBatches(events: S3Event[]): SQSEvent[] {
  const records = events.map((event, index) => ({
    messageId: `message-${index}`,
    receiptHandle: `handle-${index}`,
    body: JSON.stringify(event),
    attributes: {} as never,
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:ingest',
    awsRegion: 'us-east-1',
  }));
  const batches: SQSEvent[] = [];
  for (let index = 0; index < records.length; index += 100) batches.push({ Records: records.slice(index, index + 100) });
  return batches;
}

async function putCase(file: string, key: string): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: 'input', Key: `${PREFIX}${key}`, Body: await readFile(path.join(casesDir, file)) }));
}

async function newEvents(): Promise<S3Event[]> {
  const fresh = s3Events.slice(notificationsSeen);
  notificationsSeen = s3Events.length;
  return fresh;
}

async function reportJson(key: string): Promise<ReportData | undefined> {
  const body = await artifacts.get(key);
  return body ? (JSON.parse(new TextDecoder().decode(body)) as ReportData) : undefined;
}

/** What a report finds: causes per document, and patterns by technology, category and incidents. */
function findings(report: ReportData): unknown {
  return {
    causes: Object.fromEntries(report.documents.map((document) => [document.docId, document.classification.causal.map((cause) => cause.technology).sort()])),
    flags: report.documents.flatMap((document) => document.classification.flags.map((flag) => `${document.docId}|${flag.technology}|${flag.kind}`)).sort(),
    verified: report.documents.map((document) => `${document.docId}|${document.verification?.verified}/${document.verification?.claims}`).sort(),
    patterns: report.patterns.map((pattern) => `${pattern.technology}|${pattern.faultCategory}|${pattern.incidentIds.join(',')}`).sort(),
    opportunities: report.opportunities.map((opportunity) => opportunity.incidentIds.join(',')).sort(),
  };
}

beforeAll(async () => {
  const localS3 = await startS3rver({ buckets: ['input', 'artifacts'] });
  const dynamo = await startDynalite();
  await dynamo.createTable('state');
  const fakeBedrock = await startFakeBedrock({ respond });
  sns = new FakeSnsServer();
  const snsServer = await sns.start();
  closers = [localS3.close, dynamo.close, fakeBedrock.close, snsServer.close];
  s3Events = localS3.notifications;
  bedrock = fakeBedrock.server;
  bedrockUrl = fakeBedrock.url;
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: localS3.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localS3.credentials.secretAccessKey,
    AWS_REGION: 'us-east-1',
    INPUT_BUCKET: 'input',
    INPUT_PREFIX: PREFIX,
    ARTIFACTS_BUCKET: 'artifacts',
    STATE_TABLE: 'state',
    ENGINE: 'bedrock',
    S3_ENDPOINT: localS3.url,
    DYNAMODB_ENDPOINT: dynamo.url,
    BEDROCK_ENDPOINT: fakeBedrock.url,
    SNS_ENDPOINT: snsServer.url,
    TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:report-ready',
    STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:local',
    MODEL_QUOTA: JSON.stringify({ maxInFlight: 16, requestsPerMinute: 1_000_000, tokensPerMinute: 1_000_000_000 }),
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'WARN',
  });
  delete process.env.AWS_BEARER_TOKEN_BEDROCK;
  s3 = createS3Client({ endpoint: localS3.url, credentials: localS3.credentials });
  artifacts = new S3ObjectStore({ client: s3, bucket: 'artifacts' });
  state = new DynamoDbStateStore({ client: createDynamoDbClient({ endpoint: dynamo.url, credentials: localS3.credentials }), tableName: 'state' });

  const { stack } = synthesize({ maxConcurrency: 10, toleratedFailurePercentage: TOLERATED, inputPrefix: PREFIX });
  const template = Template.fromStack(stack);
  const artifactsLogicalId = Object.entries(template.findResources('AWS::S3::Bucket')).find(([id]) => id.includes('Artifacts'))?.[0] ?? '';
  const definition = resolvedDefinition(template, { names: { [artifactsLogicalId]: 'artifacts' } });
  const handler = async (name: string) => ((await import(`../../lambdas/${name}.ts`)) as { handler: (event: never) => Promise<unknown> }).handler;
  stepFunctions = new LocalStepFunctions(
    definition,
    {
      Prepare: await handler('prepare'),
      Summarize: await handler('summarize'),
      Classify: await handler('classify'),
      Analyze: await handler('analyze'),
      RecordFailure: await handler('record-failure'),
      Patterns: await handler('patterns'),
      Opportunities: await handler('opportunities'),
      Report: await handler('report'),
      Notify: await handler('notify'),
    },
    s3,
  );
  process.env.SFN_ENDPOINT = await stepFunctions.listen();
  closers.push(() => stepFunctions.close());
  ingest = (await import('../../lambdas/ingest-queue.ts')).handler as typeof ingest;
}, 60_000);

afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

describe('the synthesized state machine, run locally', () => {
  it('turns postmortems dropped into the bucket into a report equal to the local CLI\'s, once per object version', async () => {
    // Prepare
    const files = (await readdir(casesDir)).sort();
    for (const file of files) await putCase(file, file);
    const events = await newEvents();

    // Act
    const outcomes = [];
    for (const batch of sqsBatches(events)) outcomes.push(await ingest(batch));
    const execution = stepFunctions.executions.at(-1);
    const result = await execution?.result;
    const duplicate = await ingest(sqsBatches(events)[0] as SQSEvent);
    const catalog = await loadCatalog();
    const { engine } = await createEngine(EngineConfig.parse({ engine: 'bedrock', endpoint: bedrockUrl, quota: { maxInFlight: 16, requestsPerMinute: 1e6, tokensPerMinute: 1e9 } }), catalog.catalog);
    const local = await runLocal({ inputDir: casesDir, outDir: 'unused', store: new MemoryObjectStore(), engine, catalog, concurrency: 8 });

    // Assess
    expect(outcomes.reduce((total, outcome) => total + outcome.items, 0)).toBe(files.length);
    expect(result?.status).toBe('SUCCEEDED');
    expect(duplicate).toEqual({ started: false, items: 0 });
    const report = await reportJson('reports/latest/report.json');
    expect(report?.documents).toHaveLength(files.length);
    expect(findings(report as ReportData)).toEqual(findings(local.report));
    for (const name of ['report.html', 'report.md', 'digests.csv']) expect(await artifacts.get(`reports/${report?.runId}/${name}`)).toBeDefined();
    expect(sns.messages.at(-1)?.message).toContain(`reports/${report?.runId}/report.html`);
    expect(sns.messages.at(-1)?.message).toMatch(/X-Amz-Signature=/);
    const resultFiles = await artifacts.list('results/');
    expect(resultFiles.some((key) => key.endsWith('manifest.json'))).toBe(true);
  });

  it('makes no model call in a weekly full rerun over the unchanged corpus', async () => {
    // Prepare
    const requestsBefore = bedrock.requests.length;

    // Act
    const execution = stepFunctions.start({ mode: 'full' });
    const result = await execution.result;

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect(bedrock.requests.length).toBe(requestsBefore);
    const report = await reportJson('reports/latest/report.json');
    expect(report?.documents.length).toBe((await readdir(casesDir)).length);
  });

  it('still reports when a failing document stays within the tolerated share, and records the failure', async () => {
    // Prepare
    const first = (await readdir(casesDir)).sort()[0] as string;
    poisoned.add(`poison-1-${first.replace(/\.[^.]+$/, '')}`);
    await putCase(first, `poison-1-${first}`);
    await newEvents();

    // Act
    const execution = stepFunctions.start({ mode: 'full' });
    const result = await execution.result;

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    const runId = (result.status === 'SUCCEEDED' ? (result.output as { runId: string }).runId : '') as string;
    const documents = await state.listDocuments(runId);
    const failed = documents.filter((document) => document.status === 'failed');
    expect(failed.map((document) => document.docId)).toEqual([`poison-1-${first.replace(/\.[^.]+$/, '')}`]);
    expect(failed[0]?.stage).toBe('summarize');
    expect(failed[0]?.reason).toMatch(/maxTokens/);
    const report = await reportJson(`reports/${runId}/report.json`);
    expect(report?.failed.map((entry) => entry.docId)).toEqual(failed.map((document) => document.docId));
  });

  it('fails cleanly beyond the tolerated share, and leaves the last report in place', async () => {
    // Prepare
    const cases = (await readdir(casesDir)).sort().slice(1, 9);
    for (const [index, file] of cases.entries()) {
      poisoned.add(`poison-${index + 2}-${file.replace(/\.[^.]+$/, '')}`);
      await putCase(file, `poison-${index + 2}-${file}`);
    }
    await newEvents();
    const latestBefore = await artifacts.get('reports/latest/report.json');
    const reportsBefore = await artifacts.list('reports/');

    // Act
    const execution = stepFunctions.start({ mode: 'full' });
    const result = await execution.result;

    // Assess
    expect(result.status).toBe('FAILED');
    expect(result.status === 'FAILED' ? result.error : '').toBe('States.ExceedToleratedFailureThreshold');
    expect(await artifacts.get('reports/latest/report.json')).toEqual(latestBefore);
    expect(await artifacts.list('reports/')).toEqual(reportsBefore);
  });
});
