/**
 * The AWS path at scale: 10,000 postmortems dropped into the input bucket, through the real task
 * functions of src/aws/tasks.ts (the code every Lambda runs), in the order the state machine runs
 * them, with local stores that charge S3 and DynamoDB latencies, a scripted model with Claude
 * Sonnet 4-like latency behind the real quota governor, and the stack's own configuration: each
 * Lambda's timeout and model quota are read from the synthesized template (document functions
 * share the account quota, the fold functions have it whole), the Distributed Map runs
 * maxConcurrency documents at once, one Lambda environment (with its own governor) per lane.
 *
 * Time is scaled: a simulated minute lasts 60 s / --scale. A task's simulated duration is the
 * time the process was idle while it ran (waiting on simulated latency or the quota) scaled back
 * up, plus its own CPU time as is (CPU does not get faster with the scale). The process's CPU time
 * during a task is shared by the tasks running at once (document tasks run maxConcurrency at a
 * time here, each in its own Lambda in production), so a task is charged its share of it; a task
 * is never charged for the time it waited while other tasks used the CPU.
 *
 * Then the same corpus again, unchanged, as the weekly schedule starts it ({"mode": "full"}).
 *
 *   npx tsx bench/aws-scale.ts [--documents 10000] [--scale 100]
 *
 * Its last line is one JSON object with documents, lost, maxTaskShareOfTimeout, foldCompleted,
 * weeklyUnchangedMinutes, modelCallsPerUnchangedDocument, sourceReadsPerNewDocument.
 */
import { parseArgs } from 'node:util';
import pLimit from 'p-limit';
import { Template } from 'aws-cdk-lib/assertions';
import { loadCatalog } from '../src/catalog/index.ts';
import { governorOptionsFor, quotaFor, EngineConfig } from '../src/config/engine-config.ts';
import type { AwsRunContext } from '../src/aws/context.ts';
import type { ObjectChange } from '../src/aws/events.ts';
import {
  acquireTask,
  analyzeTask,
  beginFoldTask,
  classifyTask,
  finishTask,
  opportunitiesTask,
  patternsTask,
  prepareTask,
  queueChanges,
  recordFailureTask,
  releaseTask,
  reportTask,
  summarizeTask,
} from '../src/aws/tasks.ts';
import { createModelEngine } from '../src/engines/model/index.ts';
import { governModel, QuotaGovernor } from '../src/models/governor.ts';
import type { LanguageModel } from '../src/models/language-model.ts';
import { loadPrompts, PROMPT_STAGES, type PromptStage } from '../src/prompts/index.ts';
import { createRunContext, StoreSources } from '../src/run/index.ts';
import type { StageName, WorkItem } from '../src/schemas/index.ts';
import { MemoryItemTable, type Condition, type Item, type ItemKey, type ItemTable } from '../src/store/item-table.ts';
import { MemoryObjectStore } from '../src/store/memory-object-store.ts';
import type { ObjectStore, StoredObject } from '../src/store/object-store.ts';
import { StateStore } from '../src/store/state-store.ts';
import { synthesize } from '../test/infra/synth.ts';
import { generateCorpus } from './corpus.ts';
import { cheapAnswer, round, peakRssBytes } from './support.ts';

const { values } = parseArgs({
  options: { documents: { type: 'string', default: '10000' }, scale: { type: 'string', default: '100' } },
});
const documents = Number(values.documents);
const scale = Number(values.scale);

/** Latencies charged in simulated milliseconds (typical in-region figures). */
const LATENCY = {
  s3Get: 20,
  s3Put: 30,
  s3ListPage: 60,
  s3Delete: 30,
  dynamoItem: 6,
  dynamoQueryPage: 25,
  stateTransition: 25,
  lambdaInvoke: 30,
};
const S3_PAGE = 1000;
const DYNAMO_PAGE = 1000;
const INGEST_BATCH = 100;

const sleep = (simulatedMillis: number) => new Promise<void>((resolve) => setTimeout(resolve, simulatedMillis / scale));

// ---- The stack's configuration, from the synthesized template.
const { stack } = synthesize();
const template = Template.fromStack(stack);
const functions = Object.entries(template.findResources('AWS::Lambda::Function')) as Array<
  [string, { Properties: { Timeout?: number; Environment?: { Variables?: Record<string, string> } } }]
>;
function lambdaOf(prefix: string): {
  timeoutMillis: number;
  quota?: { requestsPerMinute: number; tokensPerMinute: number; maxInFlight: number };
} {
  const found = functions.find(([id]) => id.startsWith(prefix) && !id.includes('Role') && !id.includes('Logs'));
  if (!found) throw new Error(`no Lambda function ${prefix} in the template`);
  const variables = found[1].Properties.Environment?.Variables ?? {};
  return {
    timeoutMillis: (found[1].Properties.Timeout ?? 3) * 1000,
    ...(variables.PMLENS_QUOTA ? { quota: JSON.parse(variables.PMLENS_QUOTA) } : {}),
  };
}
const FUNCTION_OF: Record<string, string> = {
  ingest: 'IngestHandler',
  corpus: 'FunctionsCorpus',
  summarize: 'FunctionsSummarize',
  classify: 'FunctionsClassify',
  analyze: 'FunctionsAnalyze',
  finish: 'FunctionsFinish',
  recordFailure: 'FunctionsRecordFailure',
  patterns: 'FunctionsPatterns',
  opportunities: 'FunctionsOpportunities',
  report: 'FunctionsReport',
};
const lambdas = Object.fromEntries(Object.entries(FUNCTION_OF).map(([task, prefix]) => [task, lambdaOf(prefix)]));
const machine = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0] as {
  Properties: { DefinitionString: unknown };
};
const definition = JSON.stringify(machine.Properties.DefinitionString);
const maxConcurrency = Number(/"MaxConcurrency":(\d+)/.exec(definition)?.[1] ?? 10);

// ---- Stores that charge latency and count requests.
const counters = { inputGets: 0, artifactGets: 0, artifactPuts: 0, dynamoRequests: 0 };

class SimulatedObjectStore implements ObjectStore {
  constructor(
    private readonly inner: MemoryObjectStore,
    private readonly onGet: () => void,
  ) {}
  async get(key: string): Promise<Uint8Array | undefined> {
    this.onGet();
    await sleep(LATENCY.s3Get);
    return this.inner.get(key);
  }
  async put(key: string, body: Uint8Array | string): Promise<void> {
    counters.artifactPuts += 1;
    await sleep(LATENCY.s3Put);
    return this.inner.put(key, body);
  }
  async list(prefix: string): Promise<string[]> {
    return (await this.listObjects(prefix)).map((object) => object.key);
  }
  async listObjects(prefix: string): Promise<StoredObject[]> {
    const objects = await this.inner.listObjects(prefix);
    await sleep(LATENCY.s3ListPage * Math.max(1, Math.ceil(objects.length / S3_PAGE)));
    return objects;
  }
  async delete(keys: readonly string[]): Promise<void> {
    await sleep(LATENCY.s3Delete * Math.max(1, Math.ceil(keys.length / 1000)));
    return this.inner.delete(keys);
  }
}

class SimulatedItemTable implements ItemTable {
  constructor(private readonly inner: MemoryItemTable) {}
  private async charge(millis: number): Promise<void> {
    counters.dynamoRequests += 1;
    await sleep(millis);
  }
  async get(key: ItemKey): Promise<Item | undefined> {
    await this.charge(LATENCY.dynamoItem);
    return this.inner.get(key);
  }
  async put(item: Item, condition?: Condition): Promise<{ written: boolean; previous?: Item }> {
    await this.charge(LATENCY.dynamoItem);
    return this.inner.put(item, condition);
  }
  async delete(key: ItemKey, condition?: Condition): Promise<boolean> {
    await this.charge(LATENCY.dynamoItem);
    return this.inner.delete(key, condition);
  }
  async query(pk: string, skPrefix?: string): Promise<Item[]> {
    const items = await this.inner.query(pk, skPrefix);
    for (let page = 0; page < Math.max(1, Math.ceil(items.length / DYNAMO_PAGE)); page += 1)
      await this.charge(LATENCY.dynamoQueryPage);
    return items;
  }
  async add(key: ItemKey, deltas: Record<string, number>, set?: Record<string, unknown>): Promise<Item> {
    await this.charge(LATENCY.dynamoItem);
    return this.inner.add(key, deltas, set);
  }
}

const inputObjects = new MemoryObjectStore();
const artifactObjects = new MemoryObjectStore();
const input = new SimulatedObjectStore(inputObjects, () => (counters.inputGets += 1));
const artifacts = new SimulatedObjectStore(artifactObjects, () => (counters.artifactGets += 1));
const state = new StateStore(new SimulatedItemTable(new MemoryItemTable()));

// ---- The scripted model: Sonnet-like latency, scaled; calls counted per stage.
const modelCalls = new Map<string, number>();
const model: LanguageModel = {
  provider: 'bench',
  modelId: 'scripted-sonnet',
  async generate(request) {
    const stage = request.label?.stage ?? 'unknown';
    modelCalls.set(stage, (modelCalls.get(stage) ?? 0) + 1);
    const userText = request.messages[0]?.content ?? '';
    const toolInput = cheapAnswer(request.tool.name, userText);
    const text = JSON.stringify(toolInput);
    const outputTokens = Math.ceil(text.length / 4);
    const latencyMillis = 400 + 15 * outputTokens;
    await sleep(latencyMillis);
    return {
      text,
      toolInput,
      stopReason: 'tool',
      usage: { inputTokens: Math.ceil(userText.length / 4), outputTokens, cacheReadTokens: 0, cacheWriteTokens: 0 },
      latencyMillis,
      warnings: [],
    };
  },
};
const totalModelCalls = () => [...modelCalls.values()].reduce((total, count) => total + count, 0);

const { catalog } = await loadCatalog();
const prompts = await loadPrompts();

/** One Lambda environment: its own governor on the quota its function is configured with. */
function environment(task: string): AwsRunContext {
  const quota = lambdas[task]?.quota;
  const config = EngineConfig.parse({
    engine: 'bedrock',
    quota: { ...(quota ?? {}), windowMillis: Math.round(60_000 / scale) },
  });
  const governor = new QuotaGovernor(governorOptionsFor(quotaFor(config)));
  const governed = governModel(model, governor);
  const models = Object.fromEntries(PROMPT_STAGES.map((stage) => [stage, governed as LanguageModel])) as Record<
    PromptStage,
    LanguageModel
  >;
  const engine = createModelEngine({ id: 'bedrock', models, prompts, catalog });
  const context = createRunContext({ sources: new StoreSources(input), artifacts, state, engine, catalog });
  return { ...context, inputPrefix: '', input: undefined as never, toleratedFailurePercentage: 10 };
}

// ---- Task timing.
interface TaskTiming {
  task: string;
  simulatedMillis: number;
}
const timings: TaskTiming[] = [];
let active = 0;

/** Run one task as its Lambda would: the simulated duration is checked against its function's timeout. */
async function timed<T>(task: string, work: () => Promise<T>): Promise<T> {
  await sleep(LATENCY.lambdaInvoke + LATENCY.stateTransition);
  const wallStarted = performance.now();
  const cpuStarted = process.cpuUsage();
  active += 1;
  const activeAtStart = active;
  try {
    return await work();
  } finally {
    const sharing = Math.max(1, (activeAtStart + active) / 2);
    active -= 1;
    const wall = performance.now() - wallStarted;
    const cpuUsed = process.cpuUsage(cpuStarted);
    const busy = Math.min(wall, (cpuUsed.user + cpuUsed.system) / 1000);
    timings.push({ task, simulatedMillis: (wall - busy) * scale + busy / sharing });
  }
}

function shareOfTimeout(from = 0): {
  max: number;
  task: string;
  byTask: Record<string, { count: number; maxSeconds: number; timeoutSeconds: number }>;
} {
  const byTask: Record<string, { count: number; maxSeconds: number; timeoutSeconds: number }> = {};
  let max = 0;
  let worst = '';
  for (const timing of timings.slice(from)) {
    const timeout = lambdas[timing.task]?.timeoutMillis ?? 1;
    const entry = (byTask[timing.task] ??= { count: 0, maxSeconds: 0, timeoutSeconds: timeout / 1000 });
    entry.count += 1;
    entry.maxSeconds = round(Math.max(entry.maxSeconds, timing.simulatedMillis / 1000), 1);
    if (timing.simulatedMillis / timeout > max) {
      max = timing.simulatedMillis / timeout;
      worst = timing.task;
    }
  }
  return { max: round(max), task: worst, byTask };
}

const simulatedMinutesSince = (wallStarted: number) => ((performance.now() - wallStarted) * scale) / 60_000;

/** One execution of the state machine, from the lock to its release. */
async function execution(
  name: string,
  mode: 'full' | 'incremental',
  lanes: AwsRunContext[],
  coordinator: AwsRunContext,
  fold: AwsRunContext,
): Promise<{ folded: boolean; processed: number }> {
  const lock = await timed('corpus', () => acquireTask(coordinator, { holder: name, mode }));
  if (!lock.acquired) throw new Error(`${name} found the lock taken: executions run one after another here`);
  let processed = 0;
  for (let roundNumber = 0; ; roundNumber += 1) {
    const prepared = await timed('corpus', () =>
      prepareTask(coordinator, { holder: name, runId: name, mode, round: roundNumber }),
    );
    if (prepared.count === 0) break;
    const manifest = JSON.parse(new TextDecoder().decode(await artifactObjects.get(prepared.manifestKey))) as Array<{
      item: WorkItem & { sequencer?: string; queuedAt?: string };
    }>;
    const free = [...lanes];
    const limit = pLimit(maxConcurrency);
    await Promise.all(
      manifest.map(({ item }) =>
        limit(async () => {
          const lane = free.pop() as AwsRunContext;
          const event = { runId: name, item };
          let stage: StageName = 'summarize';
          try {
            const summarized = await timed('summarize', () => summarizeTask(lane, event));
            if (summarized.proceed) {
              stage = 'classify';
              const { technologies } = await timed('classify', () => classifyTask(lane, event));
              stage = 'analyze';
              const perTechnology = pLimit(2);
              await Promise.all(
                technologies.map((technology) =>
                  perTechnology(() => timed('analyze', () => analyzeTask(lane, technology))),
                ),
              );
              stage = 'report';
              await timed('finish', () => finishTask(lane, event));
            }
          } catch (error) {
            await timed('recordFailure', () =>
              recordFailureTask(lane, {
                ...event,
                stage,
                error: {
                  Error: (error as Error).name,
                  Cause: JSON.stringify({ errorMessage: (error as Error).message }),
                },
              }),
            );
          } finally {
            free.push(lane);
            processed += 1;
            if (processed % 1000 === 0)
              process.stderr.write(
                `${name}: ${processed} documents, ${round(((performance.now() - benchStarted) * scale) / 60_000, 1)} simulated minutes\n`,
              );
          }
        }),
      ),
    );
    await sleep(LATENCY.stateTransition * 4);
  }
  const begin = await timed('corpus', () => beginFoldTask(coordinator, { holder: name, runId: name, mode }));
  if (begin.fold) {
    await timed('patterns', () => patternsTask(fold, { runId: name }));
    await timed('opportunities', () => opportunitiesTask(fold, { runId: name }));
    await timed('report', () => reportTask(fold, { runId: name, generation: begin.generation }));
  }
  await timed('corpus', () => releaseTask(coordinator, { holder: name, runId: name, failed: false }));
  return { folded: begin.fold, processed };
}

// ---- The drop: 10,000 objects, their notifications in SQS batches of 100.
const benchStarted = performance.now();
const files = generateCorpus(documents, 7);
for (const file of files) await inputObjects.put(file.path, file.content);
const listed = await inputObjects.listObjects('');
const lanes = Array.from({ length: maxConcurrency }, () => environment('summarize'));
const coordinator = environment('corpus');
const fold = environment('patterns');

const dropStarted = performance.now();
const changes: ObjectChange[] = listed.map((object, index) => ({
  key: object.key,
  version: object.version,
  sequencer: index.toString(16),
  removed: false,
  messageId: `m${index}`,
}));
let executions = 0;
for (let index = 0; index < changes.length; index += INGEST_BATCH) {
  await timed('ingest', () => queueChanges(coordinator, changes.slice(index, index + INGEST_BATCH)));
  executions += 1;
}
const holder = await execution('drop-1', 'incremental', lanes, coordinator, fold);
let extraFolds = 0;
// The other executions of the drop waited for the lock; they find the queue drained.
for (let index = 2; index <= executions; index += 1)
  if ((await execution(`drop-${index}`, 'incremental', lanes, coordinator, fold)).folded) extraFolds += 1;
const dropMinutes = simulatedMinutesSince(dropStarted);
const dropShare = shareOfTimeout();
const corpus = await state.listCorpus();
const report = JSON.parse(new TextDecoder().decode(await artifactObjects.get('report/report.json'))) as {
  documents: unknown[];
  failed: unknown[];
  skipped: unknown[];
};
const sourceReadsPerNewDocument = counters.inputGets / documents;
const dropModelCalls = totalModelCalls();

// ---- The weekly run over the unchanged corpus.
const weeklyTimingsFrom = timings.length;
const weeklyStarted = performance.now();
const callsBeforeWeekly = totalModelCalls();
const weekly = await execution('weekly-1', 'full', lanes, coordinator, fold);
const weeklyUnchangedMinutes = simulatedMinutesSince(weeklyStarted);
const weeklyModelCalls = totalModelCalls() - callsBeforeWeekly;
const weeklyShare = shareOfTimeout(weeklyTimingsFrom);
const peakRss = peakRssBytes();

const result = {
  documents,
  lost: documents - corpus.length,
  maxTaskShareOfTimeout: Math.max(dropShare.max, weeklyShare.max),
  foldCompleted: holder.folded && report.documents.length + report.failed.length + report.skipped.length === documents,
  weeklyUnchangedMinutes: round(weeklyUnchangedMinutes, 2),
  modelCallsPerUnchangedDocument: round(weeklyModelCalls / documents, 4),
  sourceReadsPerNewDocument: round(sourceReadsPerNewDocument, 4),
  scale,
  maxConcurrency,
  dropMinutes: round(dropMinutes, 1),
  dropExecutions: executions,
  foldsInDrop: (holder.folded ? 1 : 0) + extraFolds,
  weeklyProcessed: weekly.processed,
  analysed: corpus.filter((entry) => entry.status === 'analysed').length,
  failed: corpus.filter((entry) => entry.status === 'failed').length,
  skipped: corpus.filter((entry) => entry.status === 'skipped').length,
  modelCalls: { drop: dropModelCalls, weekly: weeklyModelCalls, byStage: Object.fromEntries(modelCalls) },
  worstTask: dropShare.max >= weeklyShare.max ? dropShare.task : weeklyShare.task,
  tasks: dropShare.byTask,
  weeklyTasks: weeklyShare.byTask,
  requests: counters,
  peakRssMegabytes: Math.round(peakRss / 1024 / 1024),
};
console.log(
  `drop of ${documents}: ${result.analysed} analysed, ${result.failed} failed, ${result.skipped} skipped, ${result.lost} lost, in ${result.dropMinutes} simulated minutes over ${executions} executions (${result.foldsInDrop} fold)`,
);
console.log(`worst task against its Lambda timeout: ${result.worstTask} at ${result.maxTaskShareOfTimeout}`);
console.log(
  `weekly run over the unchanged corpus: ${result.weeklyUnchangedMinutes} simulated minutes, ${weeklyModelCalls} model calls`,
);
console.log(JSON.stringify(result));
