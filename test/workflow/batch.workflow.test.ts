/**
 * The batch path of a round, run locally: the state machine as synthesized with batchInference on
 * (aws-local-stepfunctions), the real handlers (corpus, batch, batch-resume and the stage
 * functions) against s3rver and dynalite, a local Bedrock control plane that speaks the REST-JSON
 * wire format of CreateModelInvocationJob / GetModelInvocationJob and writes each job's output JSONL
 * into s3rver (in reverse order, one record invalid), and the fake Bedrock runtime for on-demand
 * calls. The test delivers each job's state-change event to the resume handler, which resumes the
 * waiting task through SendTaskSuccess on a local Step Functions endpoint.
 *
 * What Step Functions itself does for `.waitForTaskToken` is done here: each BatchWait* state is
 * given a fresh token in place of `$$.Task.Token` (which aws-local-stepfunctions does not provide),
 * and its output is what SendTaskSuccess carried.
 */
import { randomUUID } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchStateNames, BATCH_STATE_STAGES } from '../../infra/constructs/pipeline.ts';
import { resolvedDefinition } from '../../infra/definition.ts';
import { RECORD_ID } from '../../src/batch/records.ts';
import { documentIdOf } from '../../src/run/identity.ts';
import { createS3Client } from '../../src/store/s3-object-store.ts';
import { startDynalite, startS3rver } from '../support/aws-servers.ts';
import { startFakeBedrock, type FakeBedrockServer } from '../support/fake-bedrock-server.ts';
import { createGoldenScript } from '../support/golden-script.ts';
import { LocalStepFunctions } from '../support/local-step-functions.ts';
import { synthesize } from '../infra/synth.ts';
import {
  casesDir,
  documentOfRequest,
  lambdaHandler,
  PREFIX,
  root,
  setLambdaEnvironment,
  stageTaskHandlers,
} from './aws-harness.ts';

type Json = Record<string, unknown>;
interface Job {
  jobArn: string;
  jobName: string;
  body: Json;
  records: number;
  invalidRecordId?: string;
  status: string;
}

const COPIES = 2;
const closers: Array<() => Promise<void>> = [];
const jobs: Job[] = [];
const tokens = new Map<string, { resolve: (output: unknown) => void; reject: (error: Error) => void }>();
let s3: S3Client;
let runtime: FakeBedrockServer;
let stepFunctions: LocalStepFunctions;
/** Which golden case each document id was copied from (the scripted model answers by case). */
const caseOf = new Map<string, string>();
let documents = 0;

const script = createGoldenScript(path.join(root, 'golden'));
const asCase = (text: string) =>
  text.replace(/id="([^"]+)"/g, (whole, id: string) => (caseOf.has(id) ? `id="${caseOf.get(id)}"` : whole));

async function readBody(request: http.IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of request) body += String(chunk);
  return body;
}

function splitS3Uri(uri: string): { bucket: string; key: string } {
  const [, bucket = '', key = ''] = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri) ?? [];
  return { bucket, key };
}

/** A Converse batch record answered by the scripted model: the tool named in the JSON instruction, the answer as text. */
async function answerRecord(modelInput: Json): Promise<Json> {
  const system = (modelInput.system as Array<{ text?: string }>).map((block) => block.text ?? '').join('\n');
  const tool = /the input of the tool (\w+)/.exec(system)?.[1] ?? '';
  const user = (modelInput.messages as Array<{ content: Array<{ text?: string }> }>)[0]?.content[0]?.text ?? '';
  const toolInput = await script(tool, asCase(user));
  return {
    output: { message: { role: 'assistant', content: [{ text: JSON.stringify(toolInput) }] } },
    stopReason: 'end_turn',
    usage: { inputTokens: 10, outputTokens: 10, totalTokens: 20 },
    metrics: { latencyMs: 1 },
  };
}

/** The Bedrock control plane (restJson1): CreateModelInvocationJob runs the job at once; GetModelInvocationJob reports it. */
async function startFakeControlPlane(): Promise<string> {
  const server = http.createServer((request, response) => {
    void (async () => {
      const reply = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      const url = decodeURIComponent(request.url ?? '');
      if (request.method === 'POST' && url === '/model-invocation-job') {
        const body = JSON.parse(await readBody(request)) as Json;
        const input = splitS3Uri(((body.inputDataConfig as Json).s3InputDataConfig as { s3Uri: string }).s3Uri);
        const output = splitS3Uri(((body.outputDataConfig as Json).s3OutputDataConfig as { s3Uri: string }).s3Uri);
        const text = await (
          await s3.send(new GetObjectCommand({ Bucket: input.bucket, Key: input.key }))
        ).Body?.transformToString();
        const lines = (text ?? '').split('\n').filter((line) => line.trim() !== '');
        if (lines.length < 100) {
          reply(400, { message: 'The number of records is below the minimum of 100 per batch inference job.' });
          response.setHeader?.('x-amzn-errortype', 'ValidationException');
          return;
        }
        const id = randomUUID().replace(/-/g, '').slice(0, 12);
        const jobArn = `arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/${id}`;
        const job: Job = { jobArn, jobName: String(body.jobName), body, records: lines.length, status: 'Completed' };
        const outputs: string[] = [];
        for (const [position, line] of lines.entries()) {
          const record = JSON.parse(line) as { recordId: string; modelInput: Json };
          // The first record is answered with something that is not the tool's input: repaired on demand.
          const modelOutput =
            position === 0
              ? {
                  output: { message: { role: 'assistant', content: [{ text: 'I cannot answer in JSON today.' }] } },
                  stopReason: 'end_turn',
                  usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
                }
              : await answerRecord(record.modelInput);
          if (position === 0) job.invalidRecordId = record.recordId;
          outputs.push(JSON.stringify({ recordId: record.recordId, modelInput: record.modelInput, modelOutput }));
        }
        // The output's order is not the input's.
        const fileName = input.key.split('/').pop() ?? 'input.jsonl';
        await s3.send(
          new PutObjectCommand({
            Bucket: output.bucket,
            Key: `${output.key}${id}/${fileName}.out`,
            Body: `${outputs.reverse().join('\n')}\n`,
          }),
        );
        await s3.send(
          new PutObjectCommand({
            Bucket: output.bucket,
            Key: `${output.key}${id}/manifest.json.out`,
            Body: JSON.stringify({ totalRecordCount: lines.length, successRecordCount: lines.length }),
          }),
        );
        jobs.push(job);
        reply(200, { jobArn });
        return;
      }
      const get = /^\/model-invocation-job\/(.+)$/.exec(url);
      if (request.method === 'GET' && get) {
        const job = jobs.find((candidate) => candidate.jobArn === get[1]);
        if (!job) return reply(404, { message: 'not found' });
        return reply(200, {
          jobArn: job.jobArn,
          jobName: job.jobName,
          modelId: job.body.modelId,
          roleArn: job.body.roleArn,
          status: job.status,
          submitTime: new Date().toISOString(),
          inputDataConfig: job.body.inputDataConfig,
          outputDataConfig: job.body.outputDataConfig,
          totalRecordCount: job.records,
          successRecordCount: job.records,
          errorRecordCount: 0,
        });
      }
      reply(404, { message: `unsupported ${request.method} ${url}` });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return `http://127.0.0.1:${address.port}`;
}

/** SendTaskSuccess / SendTaskFailure (AWS JSON 1.0), as the resume handler calls them. */
async function startFakeTaskEndpoint(): Promise<string> {
  const server = http.createServer((request, response) => {
    void (async () => {
      const body = JSON.parse(await readBody(request)) as { taskToken: string; output?: string; error?: string };
      const waiter = tokens.get(body.taskToken);
      response.setHeader('content-type', 'application/x-amz-json-1.0');
      if (!waiter) {
        response.writeHead(400);
        response.end(JSON.stringify({ __type: 'TaskDoesNotExist', message: 'no such task' }));
        return;
      }
      tokens.delete(body.taskToken);
      if (request.headers['x-amz-target'] === 'AWSStepFunctions.SendTaskSuccess')
        waiter.resolve(JSON.parse(body.output ?? '{}'));
      else waiter.reject(Object.assign(new Error(body.error ?? 'failed'), { name: body.error ?? 'failed' }));
      response.writeHead(200);
      response.end('{}');
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return `http://127.0.0.1:${address.port}`;
}

const WAIT_RESOURCE = 'arn:aws:lambda:us-east-1:123456789012:function:local-batch-wait';

/** Each BatchWait* state becomes a direct task whose token the wait handler issues. */
function withLocalTaskTokens(definition: Json): Json {
  const waits = new Set<string>(BATCH_STATE_STAGES.map((stage) => batchStateNames(stage).submit));
  const visit = (states: Record<string, Json>): void => {
    for (const [name, state] of Object.entries(states)) {
      const nested = [
        ...(((state.ItemProcessor ?? state.Iterator) as Json | undefined)?.States
          ? [(state.ItemProcessor ?? state.Iterator) as Json]
          : []),
        ...((state.Branches as Json[] | undefined) ?? []),
      ];
      for (const inner of nested) visit(inner.States as Record<string, Json>);
      if (!waits.has(name)) continue;
      expect(state.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
      const parameters = state.Parameters as { Payload: Json };
      const { 'taskToken.$': token, ...payload } = parameters.Payload;
      expect(token).toBe('$$.Task.Token');
      state.Resource = WAIT_RESOURCE;
      state.Parameters = { Payload: payload };
    }
  };
  const copy = structuredClone(definition);
  visit(copy.States as Record<string, Json>);
  return copy;
}

let result: Awaited<ReturnType<LocalStepFunctions['start']>['result']>;
let onDemandBefore = 0;

beforeAll(async () => {
  const localS3 = await startS3rver({ buckets: ['input', 'artifacts'] });
  const dynamo = await startDynalite();
  await dynamo.createTable('state');
  closers.push(localS3.close, dynamo.close);
  s3 = createS3Client({ endpoint: localS3.url, credentials: localS3.credentials });
  const fake = await startFakeBedrock({
    respond: async (request) => {
      const body = request.body as {
        toolConfig?: { tools?: Array<{ toolSpec?: { name: string } }> };
        messages?: Array<{ content: Array<{ text?: string }> }>;
      };
      const tool = body.toolConfig?.tools?.[0]?.toolSpec?.name ?? '';
      return {
        toolInput: await script(
          tool,
          asCase(body.messages?.[0]?.content.map((block) => block.text ?? '').join('') ?? ''),
        ),
      };
    },
  });
  closers.push(fake.close);
  runtime = fake.server;
  const control = await startFakeControlPlane();
  const taskEndpoint = await startFakeTaskEndpoint();
  setLambdaEnvironment(
    { s3: localS3, dynamodb: dynamo.url, bedrock: fake.url },
    {
      PMLENS_BEDROCK_CONTROL_ENDPOINT: control,
      PMLENS_BATCH_ROLE_ARN: 'arn:aws:iam::123456789012:role/BatchServiceRole',
      PMLENS_BATCH_MIN_RECORDS: '100',
      PMLENS_REDACT: 'on',
      SFN_ENDPOINT: taskEndpoint,
      SNS_ENDPOINT: 'http://127.0.0.1:9',
    },
  );

  // Two copies of every golden case: over 100 documents, so that the stages reach Bedrock's minimum.
  const cases = (await readdir(casesDir)).filter((file) => /\.(md|txt|html|json)$/.test(file)).sort();
  for (const file of cases)
    for (let copy = 0; copy < COPIES; copy += 1) {
      const key = `copy-${copy}-${file}`;
      caseOf.set(documentIdOf(key), file.replace(/\.[^.]+$/, ''));
      await s3.send(
        new PutObjectCommand({
          Bucket: 'input',
          Key: `${PREFIX}${key}`,
          Body: await readFile(path.join(casesDir, file)),
        }),
      );
      documents += 1;
    }

  const { stack } = synthesize({ batchInference: 100, inputPrefix: PREFIX, toleratedFailurePercentage: 10 });
  const template = Template.fromStack(stack);
  const artifactsId =
    Object.entries(template.findResources('AWS::S3::Bucket')).find(([id]) => id.includes('Artifacts'))?.[0] ?? '';
  const definition = withLocalTaskTokens(resolvedDefinition(template, { names: { [artifactsId]: 'artifacts' } }));
  const batch = await lambdaHandler('batch');
  const resume = await lambdaHandler('batch-resume');
  // Step Functions' part of .waitForTaskToken: a token in the payload, then the wait for SendTask*.
  const wait = async (event: { Payload: Json }) => {
    const taskToken = randomUUID();
    const waiting = new Promise<unknown>((resolve, reject) => tokens.set(taskToken, { resolve, reject }));
    const { jobArn } = (await batch({ ...event.Payload, taskToken } as never)) as { jobArn: string };
    const job = jobs.find((candidate) => candidate.jobArn === jobArn);
    // EventBridge's part: the job's state change, delivered to the rule's target.
    await resume({
      version: '0',
      id: randomUUID(),
      'detail-type': 'Batch Inference Job State Change',
      source: 'aws.bedrock',
      account: '123456789012',
      region: 'us-east-1',
      resources: [jobArn],
      detail: { batchJobArn: jobArn, batchJobName: job?.jobName, status: job?.status },
    } as never);
    return waiting;
  };
  const batchHandlers = Object.fromEntries(
    BATCH_STATE_STAGES.flatMap((stage) => {
      const names = batchStateNames(stage);
      return [
        [names.prepare, batch],
        [names.collect, batch],
        [names.submit, wait],
      ];
    }),
  );
  stepFunctions = new LocalStepFunctions(
    definition,
    {
      ...(await stageTaskHandlers()),
      Notify: async () => ({}),
      PublishRunFailed: async () => ({}),
      ...batchHandlers,
    },
    s3,
  );
  onDemandBefore = runtime.requests.length;
  result = await stepFunctions.start({ mode: 'full' }, 'backfill').result;
}, 600_000);

afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

const onDemandFor = (tool: string) =>
  runtime.requests
    .slice(onDemandBefore)
    .filter((request) => request.body.toolConfig?.tools?.[0]?.toolSpec?.name === tool);

describe('a backfill through Bedrock batch inference', () => {
  it('runs to a report of every document', async () => {
    expect(result.status).toBe('SUCCEEDED');
    const report = JSON.parse(
      (await (
        await s3.send(new GetObjectCommand({ Bucket: 'artifacts', Key: 'report/report.json' }))
      ).Body?.transformToString()) ?? '{}',
    ) as { documents: Array<{ docId: string }>; failed: unknown[] };
    expect(report.documents).toHaveLength(documents);
    expect(report.failed).toHaveLength(0);
  });

  it('submits the summarize requests as one Converse batch job, one record per distinct request', () => {
    const summarizeJob = jobs.find((job) => job.jobName.startsWith('pmlens-summarize-'));
    expect(summarizeJob).toBeDefined();
    expect(summarizeJob?.records).toBe(documents);
    expect(summarizeJob?.body).toMatchObject({
      modelInvocationType: 'Converse',
      roleArn: 'arn:aws:iam::123456789012:role/BatchServiceRole',
      modelId: 'us.anthropic.claude-sonnet-4-20250514-v1:0',
      inputDataConfig: {
        s3InputDataConfig: {
          s3Uri: expect.stringMatching(/^s3:\/\/artifacts\/batch\/backfill\/0\/summarize\/input\.jsonl$/),
        },
      },
    });
    expect(summarizeJob?.invalidRecordId).toMatch(RECORD_ID);
  });

  it('maps the answers back by record id: summarize goes on demand only to repair the one invalid record', () => {
    const summarizeCalls = onDemandFor('submit_summary');
    expect(summarizeCalls).toHaveLength(1);
    // The repair carries the invalid batch answer and asks again, with the tool forced.
    const [repair] = summarizeCalls;
    expect(repair?.body.messages).toHaveLength(3);
    expect(repair?.body.messages?.[1]?.content[0]?.text).toBe('I cannot answer in JSON today.');
    expect(caseOf.has(documentOfRequest(repair?.body))).toBe(true);
  });

  it('computes nothing twice: every stage that went through a job makes no other on-demand first call', () => {
    const batched = new Set(jobs.map((job) => job.jobName.split('-')[1] ?? ''));
    expect(batched.has('summarize')).toBe(true);
    expect(batched.has('classify')).toBe(true);
    const tools: Record<string, string> = {
      summarize: 'submit_summary',
      classify: 'submit_classification',
      analyze: 'submit_digest',
    };
    for (const stage of batched) {
      const calls = onDemandFor(tools[stage] ?? '');
      // Only repairs (assistant answer + a new question), one per job.
      expect(calls.every((request) => (request.body.messages?.length ?? 0) === 3)).toBe(true);
      expect(calls.length).toBeLessThanOrEqual(1);
    }
  });
});
