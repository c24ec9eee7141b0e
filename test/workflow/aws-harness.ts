/**
 * The AWS path, run locally: s3rver (input and artifacts buckets, with its event notifications),
 * dynalite (the state table), the fake Bedrock with a scripted model, a fake SNS, and the
 * synthesized state machine under aws-local-stepfunctions with the real Lambda handlers. The
 * ingest handler starts executions through the real SFN client against a local endpoint.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient, type PublishCommandInput } from '@aws-sdk/client-sns';
import { Template } from 'aws-cdk-lib/assertions';
import { resolvedDefinition } from '../../infra/definition.ts';
import { loadCatalog } from '../../src/catalog/index.ts';
import { EngineConfig } from '../../src/config/engine-config.ts';
import { createEngine } from '../../src/engines/index.ts';
import type { Engine } from '../../src/engines/engine.ts';
import { documentIdOf } from '../../src/run/identity.ts';
import type { ReportData } from '../../src/schemas/index.ts';
import { createS3Client, S3ObjectStore } from '../../src/store/s3-object-store.ts';
import { openDynamoDbStateStore } from '../../src/store/open-state.ts';
import type { StateStore } from '../../src/store/state-store.ts';
import { startDynalite, startS3rver, type S3Event } from '../support/aws-servers.ts';
import { startFakeBedrock, type FakeBedrockServer, type Reply } from '../support/fake-bedrock-server.ts';
import { FakeSnsServer } from '../support/fake-sns-server.ts';
import { createGoldenScript } from '../support/golden-script.ts';
import { LocalStepFunctions, type Execution } from '../support/local-step-functions.ts';
import { synthesize } from '../infra/synth.ts';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

type TaskHandler = (event: never) => Promise<unknown>;

/** A Lambda handler of lambdas/, by file name. */
export async function lambdaHandler(name: string): Promise<TaskHandler> {
  return ((await import(`../../lambdas/${name}.ts`)) as { handler: TaskHandler }).handler;
}

/** The real handler of every task state of a run, from the lock to the report (not Notify or the failure message). */
export async function stageTaskHandlers(): Promise<Record<string, TaskHandler>> {
  const corpus = await lambdaHandler('corpus');
  return {
    AcquireLock: corpus,
    Prepare: corpus,
    BeginFold: corpus,
    ReleaseLock: corpus,
    ReleaseLockAfterFailure: corpus,
    Summarize: await lambdaHandler('summarize'),
    Classify: await lambdaHandler('classify'),
    Analyze: await lambdaHandler('analyze'),
    Finish: await lambdaHandler('finish'),
    RecordFailure: await lambdaHandler('record-failure'),
    Patterns: await lambdaHandler('patterns'),
    Opportunities: await lambdaHandler('opportunities'),
    Report: await lambdaHandler('report'),
  };
}
export const casesDir = path.join(root, 'golden', 'cases');
export const PREFIX = 'postmortems/';
export const TOLERATED = 10;
const QUOTA = { maxInFlight: 16, requestsPerMinute: 1_000_000, tokensPerMinute: 1_000_000_000 };

/** The local servers a task function talks to, as its environment names them. */
export interface LocalEndpoints {
  s3: { url: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  dynamodb: string;
  bedrock: string;
}

/**
 * The environment the deployed task functions get, pointed at local servers: buckets, table, the
 * Bedrock engine with a quota no test reaches, the report topic; `extra` adds or replaces names.
 */
export function setLambdaEnvironment(endpoints: LocalEndpoints, extra: Record<string, string> = {}): void {
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: endpoints.s3.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: endpoints.s3.credentials.secretAccessKey,
    AWS_REGION: 'us-east-1',
    PMLENS_INPUT_BUCKET: 'input',
    PMLENS_INPUT_PREFIX: PREFIX,
    PMLENS_ARTIFACTS_BUCKET: 'artifacts',
    PMLENS_STATE_TABLE: 'state',
    PMLENS_ENGINE: 'bedrock',
    PMLENS_BEDROCK_ENDPOINT: endpoints.bedrock,
    PMLENS_QUOTA: JSON.stringify(QUOTA),
    PMLENS_TOLERATED_FAILURE_PERCENTAGE: String(TOLERATED),
    PMLENS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:report-ready',
    S3_ENDPOINT: endpoints.s3.url,
    DYNAMODB_ENDPOINT: endpoints.dynamodb,
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    ...extra,
  });
  delete process.env.AWS_BEARER_TOKEN_BEDROCK;
}

export interface SqsEvent {
  Records: Array<{ messageId: string; body: string }>;
}
export interface IngestResult {
  batchItemFailures: Array<{ itemIdentifier: string }>;
  queued: number;
  started: boolean;
}

function userTextOf(body: { messages?: Array<{ content: Array<{ text?: string }> }> }): string {
  return body.messages?.[0]?.content.map((block) => block.text ?? '').join('') ?? '';
}

/** The document id a model request is about (from the data block of its prompt). */
export function documentOfRequest(body: unknown): string {
  return /<(?:document|postmortem) id="([^"]+)"/.exec(userTextOf(body as never))?.[1] ?? '';
}

export class AwsHarness {
  s3!: S3Client;
  artifacts!: S3ObjectStore;
  state!: StateStore;
  bedrock!: FakeBedrockServer;
  bedrockUrl!: string;
  sns = new FakeSnsServer();
  stepFunctions!: LocalStepFunctions;
  /** Document ids whose summarize answer is cut off at maxTokens, every time. */
  readonly poisoned = new Set<string>();
  /** The golden case behind each document id the scripted model may be asked about. */
  private readonly caseOf = new Map<string, string>();
  private notifications: S3Event[] = [];
  private seen = 0;
  private messageCounter = 0;
  private closers: Array<() => Promise<void>> = [];
  private ingestHandler!: (event: SqsEvent) => Promise<IngestResult>;

  async start(): Promise<void> {
    const script = createGoldenScript(path.join(root, 'golden'));
    const localS3 = await startS3rver({ buckets: ['input', 'artifacts'] });
    const dynamo = await startDynalite();
    await dynamo.createTable('state');
    const respond = async (request: {
      body: {
        toolConfig?: { tools?: Array<{ toolSpec?: { name: string } }> };
        messages?: Array<{ content: Array<{ text?: string }> }>;
      };
    }): Promise<Reply> => {
      const toolName = request.body.toolConfig?.tools?.[0]?.toolSpec?.name ?? '';
      if (toolName === 'submit_summary' && this.poisoned.has(documentOfRequest(request.body)))
        return { fault: 'truncated', partialText: '{"issue": {"text": "cut' };
      // The scripted model answers from the golden case a document was copied from.
      const text = userTextOf(request.body).replace(/id="([^"]+)"/g, (whole, id: string) =>
        this.caseOf.has(id) ? `id="${this.caseOf.get(id)}"` : whole,
      );
      return { toolInput: await script(toolName, text) };
    };
    const fakeBedrock = await startFakeBedrock({ respond });
    const snsServer = await this.sns.start();
    this.closers = [localS3.close, dynamo.close, fakeBedrock.close, snsServer.close];
    this.notifications = localS3.notifications;
    this.bedrock = fakeBedrock.server;
    this.bedrockUrl = fakeBedrock.url;
    setLambdaEnvironment(
      { s3: localS3, dynamodb: dynamo.url, bedrock: fakeBedrock.url },
      {
        PMLENS_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:local',
        SNS_ENDPOINT: snsServer.url,
      },
    );
    this.s3 = createS3Client({ endpoint: localS3.url, credentials: localS3.credentials });
    this.artifacts = new S3ObjectStore({ client: this.s3, bucket: 'artifacts' });
    this.state = openDynamoDbStateStore({ endpoint: dynamo.url, credentials: localS3.credentials, tableName: 'state' });

    const { stack } = synthesize({ maxConcurrency: 10, toleratedFailurePercentage: TOLERATED, inputPrefix: PREFIX });
    const template = Template.fromStack(stack);
    const artifactsLogicalId =
      Object.entries(template.findResources('AWS::S3::Bucket')).find(([id]) => id.includes('Artifacts'))?.[0] ?? '';
    const definition = resolvedDefinition(template, { names: { [artifactsLogicalId]: 'artifacts' } });
    this.stepFunctions = new LocalStepFunctions(
      definition,
      {
        ...(await stageTaskHandlers()),
        Notify: await lambdaHandler('notify'),
        // The state machine's own SNS integration (a failed run says so), through the real SNS client.
        PublishRunFailed: async (input: PublishCommandInput) =>
          new SNSClient({ endpoint: snsServer.url }).send(new PublishCommand(input)),
      },
      this.s3,
    );
    process.env.SFN_ENDPOINT = await this.stepFunctions.listen();
    this.closers.push(() => this.stepFunctions.close());
    this.ingestHandler = (await import('../../lambdas/ingest-queue.ts'))
      .handler as unknown as typeof this.ingestHandler;
  }

  async close(): Promise<void> {
    for (const close of this.closers.reverse()) await close();
  }

  /** The CLI's engine, on the same fake Bedrock. */
  async cliEngine(): Promise<Engine> {
    const catalog = await loadCatalog();
    return (
      await createEngine(
        EngineConfig.parse({ engine: 'bedrock', endpoint: this.bedrockUrl, quota: QUOTA }),
        catalog.catalog,
      )
    ).engine;
  }

  async put(key: string, body: Uint8Array | string): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: 'input', Key: `${PREFIX}${key}`, Body: body }));
  }

  async putCase(file: string, key: string = file): Promise<void> {
    this.caseOf.set(documentIdOf(key), file.replace(/\.[^.]+$/, ''));
    await this.put(key, await readFile(path.join(casesDir, file)));
  }

  async remove(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: 'input', Key: `${PREFIX}${key}` }));
  }

  /**
   * The notifications since the last call, as S3 delivers them through SQS: one message each,
   * keys URL-encoded with "+" for spaces, sequencers as hex strings, in batches of `batchSize`.
   */
  newBatches(batchSize = 100): SqsEvent[] {
    const fresh = this.notifications.slice(this.seen);
    this.seen = this.notifications.length;
    const records = fresh.map((event) => {
      const asS3 = {
        Records: event.Records.map((record) => ({
          ...record,
          s3: {
            ...record.s3,
            object: {
              ...record.s3.object,
              key: encodeURIComponent(record.s3.object.key).replace(/%20/g, '+'),
              sequencer: Number(record.s3.object.sequencer).toString(16).toUpperCase(),
            },
          },
        })),
      };
      this.messageCounter += 1;
      return { messageId: `message-${this.messageCounter}`, body: JSON.stringify(asS3) };
    });
    const batches: SqsEvent[] = [];
    for (let index = 0; index < records.length; index += batchSize)
      batches.push({ Records: records.slice(index, index + batchSize) });
    return batches;
  }

  ingest(batch: SqsEvent): Promise<IngestResult> {
    return this.ingestHandler(batch);
  }

  /** Every execution started since `from`, awaited (also those started while waiting). */
  async settle(from = 0): Promise<Array<Awaited<Execution['result']>>> {
    const results: Array<Awaited<Execution['result']>> = [];
    for (let index = from; index < this.stepFunctions.executions.length; index += 1)
      results.push(await (this.stepFunctions.executions[index] as Execution).result);
    return results;
  }

  /** Drop: ingest every new notification in batches, then wait for the executions they start. */
  async drop(batchSize = 100): Promise<{ ingests: IngestResult[]; results: Array<Awaited<Execution['result']>> }> {
    const from = this.stepFunctions.executions.length;
    const ingests: IngestResult[] = [];
    for (const batch of this.newBatches(batchSize)) ingests.push(await this.ingest(batch));
    return { ingests, results: await this.settle(from) };
  }

  async latestReport(): Promise<ReportData> {
    const body = await this.artifacts.get('report/report.json');
    if (!body) throw new Error('no report/report.json in the artifacts bucket');
    return JSON.parse(new TextDecoder().decode(body)) as ReportData;
  }

  /** Model requests so far, per document id. */
  requestsByDocument(from = 0): Map<string, number> {
    const counts = new Map<string, number>();
    for (const request of this.bedrock.requests.slice(from)) {
      const id = documentOfRequest(request.body);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  }
}
