/**
 * Runs a synthesized state machine definition locally with aws-local-stepfunctions, with the
 * real Lambda handlers as Task overrides, and serves StartExecution over the AWS JSON 1.0 protocol
 * so the ingest handler starts executions through the real @aws-sdk/client-sfn.
 *
 * aws-local-stepfunctions ignores the Distributed Map's ItemReader, ResultWriter and tolerated
 * failures, so each Distributed Map is rewritten before the run into: a reader task (the
 * manifest's items from S3), an inline Map whose item failures become markers, and a writer task
 * that applies ToleratedFailurePercentage and writes the result files like ResultWriter.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { StateMachine } from 'aws-local-stepfunctions';

type Json = Record<string, unknown>;
type Handler = (input: unknown) => Promise<unknown>;

/** Node 20 lacks Promise.withResolvers, which aws-local-stepfunctions uses. */
export function polyfillPromiseWithResolvers(): void {
  const promise = Promise as unknown as { withResolvers?: () => unknown };
  promise.withResolvers ??= () => {
    let resolve: unknown;
    let reject: unknown;
    const created = new Promise((yes, no) => {
      resolve = yes;
      reject = no;
    });
    return { promise: created, resolve, reject };
  };
}

const READER = 'arn:aws:lambda:us-east-1:123456789012:function:local-map-reader';
const WRITER = 'arn:aws:lambda:us-east-1:123456789012:function:local-map-writer';

export interface RewrittenMap {
  name: string;
  readerState: string;
  writerState: string;
}

/** Rewrite every DISTRIBUTED Map (at any depth) into reader -> inline map with failure markers -> writer. */
export function rewriteDistributedMaps(definition: Json): { definition: Json; maps: RewrittenMap[] } {
  const copy = structuredClone(definition);
  const maps: RewrittenMap[] = [];
  const visit = (states: Record<string, Json>): void => {
    for (const [name, state] of Object.entries(states)) {
      const processor = (state.ItemProcessor ?? state.Iterator) as Json | undefined;
      if (processor?.States) visit(processor.States as Record<string, Json>);
      for (const branch of (state.Branches as Json[] | undefined) ?? []) visit(branch.States as Record<string, Json>);
      const mode = (processor?.ProcessorConfig as Json | undefined)?.Mode;
      if (state.Type !== 'Map' || mode !== 'DISTRIBUTED' || !processor) continue;
      const readerState = `${name}__read`;
      const writerState = `${name}__write`;
      const reader = state.ItemReader as Json | undefined;
      const { ProcessorConfig: _config, ...inlineProcessor } = processor;
      states[readerState] = {
        Type: 'Task',
        Resource: READER,
        Parameters: { ...((reader?.Parameters as Json | undefined) ?? {}), 'itemsPath.$': '$' },
        ResultPath: '$.__mapItems',
        Next: name,
      };
      states[name] = {
        Type: 'Map',
        ItemsPath: reader ? '$.__mapItems' : (state.ItemsPath ?? '$'),
        ...(state.ItemSelector ? { ItemSelector: state.ItemSelector } : {}),
        ...(state.MaxConcurrency !== undefined ? { MaxConcurrency: state.MaxConcurrency } : {}),
        ItemProcessor: {
          StartAt: '__guard',
          States: {
            __guard: {
              Type: 'Parallel',
              Branches: [inlineProcessor],
              OutputPath: '$[0]',
              Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.__error', Next: '__failed' }],
              End: true,
            },
            __failed: { Type: 'Pass', Parameters: { __mapItemFailed: true, 'error.$': '$.__error' }, End: true },
          },
        },
        ResultPath: '$.__mapResults',
        Next: writerState,
      };
      const writer = state.ResultWriter as Json | undefined;
      states[writerState] = {
        Type: 'Task',
        Resource: WRITER,
        Parameters: {
          'results.$': '$.__mapResults',
          toleratedFailurePercentage: state.ToleratedFailurePercentage ?? 0,
          toleratedFailureCount: state.ToleratedFailureCount ?? null,
          writer: (writer?.Parameters as Json | undefined) ?? null,
          'executionName.$': '$$.Execution.Name',
        },
        ...(state.ResultPath !== undefined ? { ResultPath: state.ResultPath } : {}),
        ...(state.ResultSelector ? { ResultSelector: state.ResultSelector } : {}),
        ...(state.OutputPath ? { OutputPath: state.OutputPath } : {}),
        ...(state.Next ? { Next: state.Next } : { End: true }),
        ...(state.Catch ? { Catch: state.Catch } : {}),
      };
      if (!reader) delete states[readerState];
      maps.push({ name, readerState, writerState });
    }
  };
  visit(copy.States as Record<string, Json>);
  // A map without an ItemReader keeps its own entry; one with a reader is entered through the reader.
  const start = copy.StartAt as string;
  const startMap = maps.find((map) => map.name === start);
  if (startMap && (copy.States as Json)[startMap.readerState]) copy.StartAt = startMap.readerState;
  rewireNextToReaders(copy.States as Record<string, Json>, maps);
  return { definition: copy, maps };
}

/** States that led to a rewritten map (by Next, a Choice or a Catch) now lead to its reader. */
function rewireNextToReaders(states: Record<string, Json>, maps: RewrittenMap[]): void {
  for (const [name, state] of Object.entries(states)) {
    for (const map of maps) {
      if (!states[map.readerState] || name === map.readerState) continue;
      if (state.Next === map.name) state.Next = map.readerState;
      if (state.Default === map.name) state.Default = map.readerState;
      for (const choice of (state.Choices as Json[] | undefined) ?? [])
        if (choice.Next === map.name) choice.Next = map.readerState;
      for (const catcher of (state.Catch as Json[] | undefined) ?? [])
        if (catcher.Next === map.name) catcher.Next = map.readerState;
    }
    const processor = (state.ItemProcessor ?? state.Iterator) as Json | undefined;
    if (processor?.States) rewireNextToReaders(processor.States as Record<string, Json>, maps);
    for (const branch of (state.Branches as Json[] | undefined) ?? [])
      rewireNextToReaders(branch.States as Record<string, Json>, maps);
  }
}

class StatesError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

async function readObject(s3: S3Client, bucket: string, key: string): Promise<string> {
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await response.Body?.transformToString()) ?? '';
}

/** The reader and writer tasks of rewritten maps, against a real S3 endpoint. */
function mapHandlers(s3: S3Client, maps: RewrittenMap[]): Record<string, Handler> {
  const handlers: Record<string, Handler> = {};
  for (const map of maps) {
    handlers[map.readerState] = async (input) => {
      const { Bucket, Key } = input as { Bucket: string; Key: string };
      const items = JSON.parse(await readObject(s3, Bucket, Key)) as unknown;
      if (!Array.isArray(items))
        throw new StatesError('States.ItemReaderFailed', `s3://${Bucket}/${Key} does not hold a JSON array`);
      return items;
    };
    handlers[map.writerState] = async (input) => {
      const { results, toleratedFailurePercentage, toleratedFailureCount, writer, executionName } = input as {
        results: Array<Json | null>;
        toleratedFailurePercentage: number;
        toleratedFailureCount: number | null;
        writer: { Bucket: string; Prefix?: string } | null;
        executionName: string;
      };
      const failed = results.filter((result) => result?.__mapItemFailed === true);
      const succeeded = results.filter((result) => result?.__mapItemFailed !== true);
      const percentage = results.length === 0 ? 0 : (failed.length / results.length) * 100;
      const overCount = toleratedFailureCount !== null && failed.length > toleratedFailureCount;
      if (percentage > toleratedFailurePercentage || overCount) {
        throw new StatesError(
          'States.ExceedToleratedFailureThreshold',
          `${failed.length} of ${results.length} items failed, over the tolerated ${toleratedFailurePercentage}%`,
        );
      }
      if (!writer) return succeeded;
      const prefix = `${(writer.Prefix ?? '').replace(/\/?$/, '/')}${executionName}/`;
      const put = (key: string, body: unknown) =>
        s3.send(
          new PutObjectCommand({
            Bucket: writer.Bucket,
            Key: `${prefix}${key}`,
            Body: JSON.stringify(body),
            ContentType: 'application/json',
          }),
        );
      await put('SUCCEEDED_0.json', succeeded);
      await put('FAILED_0.json', failed);
      await put('manifest.json', {
        DestinationBucket: writer.Bucket,
        MapRunArn: `local:${executionName}`,
        ResultFiles: { SUCCEEDED: [{ Key: `${prefix}SUCCEEDED_0.json` }], FAILED: [{ Key: `${prefix}FAILED_0.json` }] },
      });
      return { ResultWriterDetails: { Bucket: writer.Bucket, Key: `${prefix}manifest.json` } };
    };
  }
  return handlers;
}

/**
 * A Lambda task as Step Functions calls it: through `lambda:invoke` (payload under Payload, result
 * under Payload) or directly by ARN. A thrown error keeps its name; its Cause is the JSON Lambda
 * reports ({errorType, errorMessage}).
 */
export function lambdaTask(state: Json, handler: (event: never) => Promise<unknown>): Handler {
  const viaIntegration = typeof state.Resource === 'string' && state.Resource.includes(':states:::lambda:invoke');
  return async (input) => {
    const event = viaIntegration ? (input as Json).Payload : input;
    try {
      const result = await handler(event as never);
      return viaIntegration ? { ExecutedVersion: '$LATEST', Payload: result, StatusCode: 200 } : result;
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      const message = error instanceof Error ? error.message : String(error);
      throw new StatesError(name, JSON.stringify({ errorType: name, errorMessage: message }));
    }
  };
}

/** The names of every Wait state of a definition, at any depth. */
function waitStates(definition: Json): string[] {
  const found: string[] = [];
  const visit = (states: Record<string, Json>): void => {
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === 'Wait') found.push(name);
      const processor = (state.ItemProcessor ?? state.Iterator) as Json | undefined;
      if (processor?.States) visit(processor.States as Record<string, Json>);
      for (const branch of (state.Branches as Json[] | undefined) ?? []) visit(branch.States as Record<string, Json>);
    }
  };
  visit(definition.States as Record<string, Json>);
  return found;
}

/** Every Task state of a definition, with its path-independent name. */
export function taskStates(definition: Json): Map<string, Json> {
  const found = new Map<string, Json>();
  const visit = (states: Record<string, Json>): void => {
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === 'Task') found.set(name, state);
      const processor = (state.ItemProcessor ?? state.Iterator) as Json | undefined;
      if (processor?.States) visit(processor.States as Record<string, Json>);
      for (const branch of (state.Branches as Json[] | undefined) ?? []) visit(branch.States as Record<string, Json>);
    }
  };
  visit(definition.States as Record<string, Json>);
  return found;
}

export interface Execution {
  executionArn: string;
  name: string;
  input: unknown;
  result: Promise<{ status: 'SUCCEEDED'; output: unknown } | { status: 'FAILED'; error: string; cause: string }>;
}

/**
 * A StartExecution endpoint that runs the rewritten definition with the given task handlers
 * (keyed by Task state name) and keeps every execution for the test to await.
 */
export class LocalStepFunctions {
  readonly executions: Execution[] = [];
  /** StartExecution calls to refuse next (with ExecutionLimitExceeded), for failure tests. */
  refuseNextStarts = 0;
  private server?: http.Server;
  private readonly machine: StateMachine;
  private readonly handlers: Record<string, Handler>;
  private readonly waitStates: string[];

  constructor(definition: Json, lambdaHandlers: Record<string, (event: never) => Promise<unknown>>, s3: S3Client) {
    polyfillPromiseWithResolvers();
    const { definition: rewritten, maps } = rewriteDistributedMaps(definition);
    const tasks = taskStates(rewritten);
    const handlers: Record<string, Handler> = mapHandlers(s3, maps);
    for (const [name, handler] of Object.entries(lambdaHandlers)) {
      const state = tasks.get(name);
      if (!state)
        throw new Error(`the definition has no Task state named ${name}; it has ${[...tasks.keys()].join(', ')}`);
      handlers[name] = lambdaTask(state, handler);
    }
    const missing = [...tasks.keys()].filter((name) => !handlers[name]);
    if (missing.length > 0) throw new Error(`no local handler for Task states ${missing.join(', ')}`);
    this.handlers = handlers;
    this.waitStates = waitStates(rewritten);
    this.machine = new StateMachine(rewritten as never, { validationOptions: { checkArn: false, checkPaths: false } });
  }

  start(input: unknown, name: string = randomUUID()): Execution {
    const executionArn = `arn:aws:states:us-east-1:123456789012:execution:local:${name}`;
    // Retries keep their count but not their pauses: the test measures behaviour, not backoff time.
    const retryIntervalOverrides = Object.fromEntries(Object.keys(this.handlers).map((name) => [name, 0]));
    // Wait states (an execution waiting for the corpus lock) pause 20 ms instead of their seconds.
    const waitTimeOverrides = Object.fromEntries(this.waitStates.map((name) => [name, 20]));
    const run = this.machine.run(input as never, {
      overrides: { taskResourceLocalHandlers: this.handlers as never, retryIntervalOverrides, waitTimeOverrides },
      context: {
        Execution: { Id: executionArn, Name: name, Input: input, StartTime: new Date().toISOString() },
      } as never,
    });
    const result = run.result.then(
      (output: unknown) => ({ status: 'SUCCEEDED' as const, output }),
      (error: unknown) => {
        // aws-local-stepfunctions wraps the state's error in an ExecutionError; the execution's error is the wrapped one.
        const failure =
          (error as { cause?: { name?: string; message?: string } }).cause ??
          (error as { name?: string; message?: string });
        return { status: 'FAILED' as const, error: failure.name ?? 'Error', cause: failure.message ?? String(error) };
      },
    );
    const execution: Execution = { executionArn, name, input, result };
    this.executions.push(execution);
    return execution;
  }

  /** Serve StartExecution (AWS JSON 1.0) on 127.0.0.1. */
  async listen(): Promise<string> {
    this.server = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const target = request.headers['x-amz-target'];
        if (target !== 'AWSStepFunctions.StartExecution') {
          response.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
          response.end(
            JSON.stringify({ __type: 'UnknownOperationException', message: `unsupported ${String(target)}` }),
          );
          return;
        }
        const parsed = JSON.parse(body) as { input?: string; name?: string };
        const refuse = (type: string, message: string): void => {
          response.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
          response.end(JSON.stringify({ __type: type, message }));
        };
        if (this.refuseNextStarts > 0) {
          this.refuseNextStarts -= 1;
          refuse('ExecutionLimitExceeded', 'The maximum number of running executions has been reached.');
          return;
        }
        if (parsed.name && this.executions.some((execution) => execution.name === parsed.name)) {
          refuse('ExecutionAlreadyExists', `Execution Already Exists: ${parsed.name}`);
          return;
        }
        const execution = this.start(JSON.parse(parsed.input ?? '{}'), parsed.name ?? randomUUID());
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify({ executionArn: execution.executionArn, startDate: Date.now() / 1000 }));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('no address');
    return `http://127.0.0.1:${address.port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
