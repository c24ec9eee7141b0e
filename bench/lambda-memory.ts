/**
 * Memory of each Lambda function's work, measured: the task functions the Lambdas call
 * (src/aws/tasks.ts) run in-process, each stage in a fresh Node.js process as a fresh Lambda
 * environment would, over a realistic batch, and the process's peak RSS and heap are sampled.
 *
 * - documents: a generated corpus of --documents postmortems (default 200) goes through the corpus
 *   function (lock, sweep, manifest), Summarize, Classify, Analyze (per causal technology), Finish
 *   and RecordFailure, one process per stage handling the whole batch in turn, as a warm
 *   environment does;
 * - fold: a corpus of --fold-documents (default 10,000), analysed beforehand by the offline engine
 *   (not measured), is swept by the corpus function and folded by Patterns, Opportunities and
 *   Report.
 *
 * The model is scripted and answers at once (bench/support.ts): Bedrock's wait costs no memory,
 * the prompts, parsing and validation around it are measured. Objects live in files and the state
 * in a JSON file, so that no stage holds more than it reads: S3 and DynamoDB keep them on AWS. The
 * JSON state file is loaded whole, which a DynamoDB-backed function does not do, so the figures of
 * functions touching the state of a large corpus are on the high side. The process runs TypeScript
 * through tsx, a few tens of MB more than a bundled Lambda: "baseline" is the process before any
 * work (runtime, loaded modules, context), the peak is measured over the work.
 *
 *   npx tsx bench/lambda-memory.ts [--documents 200] [--fold-documents 10000] [--work-dir /dev/shm] [--keep]
 *
 * Prints a table, then one JSON object (the last line). Not a test: nothing here asserts.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { AwsRunContext } from '../src/aws/context.ts';
import type { AnalyzeTaskEvent, DocumentTaskEvent } from '../src/aws/events.ts';
import {
  acquireTask,
  analyzeTask,
  classifyTask,
  finishTask,
  opportunitiesTask,
  patternsTask,
  prepareTask,
  recordFailureTask,
  reportTask,
  summarizeTask,
} from '../src/aws/tasks.ts';
import { loadCatalog, TechnologyMatcher } from '../src/catalog/index.ts';
import { createModelEngine } from '../src/engines/model/index.ts';
import { analyzeOffline } from '../src/engines/offline/analyze.ts';
import { classifyOffline } from '../src/engines/offline/classify.ts';
import { createOfflineEngine } from '../src/engines/offline/index.ts';
import type { LanguageModel } from '../src/models/language-model.ts';
import { runLocal } from '../src/pipeline/run-local.ts';
import { loadPrompts, PROMPT_STAGES, type PromptStage } from '../src/prompts/index.ts';
import { createRunContext, StoreSources } from '../src/run/index.ts';
import { layout } from '../src/run/layout.ts';
import { Postmortem } from '../src/schemas/index.ts';
import { LocalObjectStore } from '../src/store/local-object-store.ts';
import { openLocalStateStore } from '../src/store/open-state.ts';
import { generateCorpus } from './corpus.ts';
import { blockId, scriptedThemes } from '../test/support/scripted-stages.ts';
import { cheapAnswer, round, toolResponse } from './support.ts';

const THIS_FILE = fileURLToPath(import.meta.url);
const RUN_ID = 'bench-run';
const MB = 1024 * 1024;

type Stage =
  | 'corpus'
  | 'summarize'
  | 'classify'
  | 'analyze'
  | 'finish'
  | 'recordFailure'
  | 'patterns'
  | 'opportunities'
  | 'report';

interface Measurement {
  stage: Stage;
  workspace: 'documents' | 'fold';
  items: number;
  baselineRssMb: number;
  peakRssMb: number;
  peakHeapUsedMb: number;
  cpuSeconds: number;
}

const { values } = parseArgs({
  options: {
    documents: { type: 'string', default: '200' },
    'fold-documents': { type: 'string', default: '10000' },
    'work-dir': { type: 'string' },
    keep: { type: 'boolean', default: false },
    // Internal: run one stage in this process.
    child: { type: 'string' },
    workspace: { type: 'string' },
    kind: { type: 'string' },
  },
});

// ---- One stage, in a child process.

/**
 * A scripted model that answers at once: summaries from a few lines of the prompt, causes and
 * digests from the offline engine run on the document (read from the workspace, as the model
 * would read it from the prompt), themes and opportunities from the offline fold of the prompt.
 */
function scriptedModel(workspace: string, matcher: TechnologyMatcher): LanguageModel {
  const postmortemOf = (userText: string): Postmortem =>
    Postmortem.parse(
      JSON.parse(readFileSync(path.join(workspace, 'artifacts', layout.postmortem(blockId(userText))), 'utf8')),
    );
  const answer = (toolName: string, userText: string): unknown => {
    switch (toolName) {
      case 'submit_classification': {
        const { docId: _docId, ...classification } = classifyOffline(postmortemOf(userText), matcher);
        return classification;
      }
      case 'submit_digest': {
        const postmortem = postmortemOf(userText);
        const technology = /^Technology: (.+)$/m.exec(userText)?.[1] ?? '';
        const {
          docId: _docId,
          technology: _technology,
          ...digest
        } = analyzeOffline(postmortem, classifyOffline(postmortem, matcher), technology, matcher);
        return digest;
      }
      case 'submit_themes':
        return scriptedThemes(userText);
      default:
        return cheapAnswer(toolName, userText);
    }
  };
  return {
    provider: 'bench',
    modelId: 'scripted',
    async generate(request) {
      const userText = request.messages[0]?.content ?? '';
      return toolResponse(userText, answer(request.tool.name, userText));
    },
  };
}

/** The run context a Lambda builds, over files: input/ and artifacts/ (with state.json) of a workspace. */
async function contextOf(workspace: string): Promise<AwsRunContext> {
  const { catalog } = await loadCatalog();
  const prompts = await loadPrompts();
  const model = scriptedModel(workspace, new TechnologyMatcher(catalog));
  const models = Object.fromEntries(PROMPT_STAGES.map((stage) => [stage, model])) as Record<PromptStage, LanguageModel>;
  const engine = createModelEngine({ id: 'bedrock', models, prompts, catalog });
  const input = new LocalObjectStore(path.join(workspace, 'input'));
  const artifacts = new LocalObjectStore(path.join(workspace, 'artifacts'));
  const state = await openLocalStateStore(path.join(workspace, 'artifacts'));
  const context = createRunContext({ sources: new StoreSources(input), artifacts, state, engine, catalog });
  return { ...context, inputPrefix: '', input: undefined as never, toleratedFailurePercentage: 100 };
}

async function readSidecar<T>(workspace: string, name: string): Promise<T> {
  return JSON.parse(await readFile(path.join(workspace, 'bench', `${name}.json`), 'utf8')) as T;
}

async function writeSidecar(workspace: string, name: string, value: unknown): Promise<void> {
  await mkdir(path.join(workspace, 'bench'), { recursive: true });
  await writeFile(path.join(workspace, 'bench', `${name}.json`), JSON.stringify(value));
}

/** The work of one function over the batch; returns how many invocations it stood for. */
async function work(stage: Stage, context: AwsRunContext, workspace: string): Promise<number> {
  switch (stage) {
    case 'corpus': {
      await acquireTask(context, { holder: RUN_ID, mode: 'full' });
      const items: Array<DocumentTaskEvent['item']> = [];
      let invocations = 1;
      for (let roundNumber = 0; ; roundNumber += 1) {
        invocations += 1;
        const prepared = await prepareTask(context, {
          holder: RUN_ID,
          runId: RUN_ID,
          mode: 'full',
          round: roundNumber,
        });
        if (prepared.count === 0) break;
        const manifest = JSON.parse(
          new TextDecoder().decode(await context.artifacts.get(prepared.manifestKey)),
        ) as Array<{ item: DocumentTaskEvent['item'] }>;
        items.push(...manifest.map((entry) => entry.item));
        // A round's documents leave the queue when they are settled; here the next round would
        // take the same ones again, so one round stands for the rest.
        break;
      }
      await writeSidecar(workspace, 'items', items);
      return invocations;
    }
    case 'summarize': {
      const items = await readSidecar<Array<DocumentTaskEvent['item']>>(workspace, 'items');
      const proceeding: Array<DocumentTaskEvent['item']> = [];
      for (const item of items) {
        const result = await summarizeTask(context, { runId: RUN_ID, item });
        if (result.proceed) proceeding.push(item);
      }
      await writeSidecar(workspace, 'proceeding', proceeding);
      return items.length;
    }
    case 'classify': {
      const items = await readSidecar<Array<DocumentTaskEvent['item']>>(workspace, 'proceeding');
      const technologies: AnalyzeTaskEvent[] = [];
      for (const item of items)
        technologies.push(...(await classifyTask(context, { runId: RUN_ID, item })).technologies);
      await writeSidecar(workspace, 'technologies', technologies);
      return items.length;
    }
    case 'analyze': {
      const events = await readSidecar<AnalyzeTaskEvent[]>(workspace, 'technologies');
      for (const event of events) await analyzeTask(context, event);
      return events.length;
    }
    case 'finish': {
      const items = await readSidecar<Array<DocumentTaskEvent['item']>>(workspace, 'proceeding');
      for (const item of items) await finishTask(context, { runId: RUN_ID, item });
      return items.length;
    }
    case 'recordFailure': {
      const items = await readSidecar<Array<DocumentTaskEvent['item']>>(workspace, 'items');
      for (const item of items)
        await recordFailureTask(context, {
          runId: RUN_ID,
          item,
          stage: 'analyze',
          error: { Error: 'States.Timeout', Cause: '{"errorMessage":"Task timed out after 300.00 seconds"}' },
        });
      return items.length;
    }
    case 'patterns':
      await patternsTask(context, { runId: RUN_ID });
      return 1;
    case 'opportunities':
      await opportunitiesTask(context, { runId: RUN_ID });
      return 1;
    case 'report':
      await reportTask(context, { runId: RUN_ID });
      return 1;
  }
}

async function runChild(stage: Stage, workspace: string, kind: Measurement['workspace']): Promise<void> {
  const context = await contextOf(workspace);
  globalThis.gc?.();
  const baseline = process.memoryUsage();
  let peakRss = baseline.rss;
  let peakHeap = baseline.heapUsed;
  const sample = () => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  };
  const timer = setInterval(sample, 10);
  const cpuStarted = process.cpuUsage();
  const items = await work(stage, context, workspace);
  const cpu = process.cpuUsage(cpuStarted);
  clearInterval(timer);
  sample();
  const measurement: Measurement = {
    stage,
    workspace: kind,
    items,
    baselineRssMb: round(baseline.rss / MB, 1),
    peakRssMb: round(peakRss / MB, 1),
    peakHeapUsedMb: round(peakHeap / MB, 1),
    cpuSeconds: round((cpu.user + cpu.system) / 1e6, 1),
  };
  process.stdout.write(`${JSON.stringify(measurement)}\n`);
}

// ---- The parent: workspaces, then one child per stage.

async function writeInput(workspace: string, documents: number, seed: number): Promise<string> {
  const input = path.join(workspace, 'input');
  for (const file of generateCorpus(documents, seed)) {
    await mkdir(path.dirname(path.join(input, file.path)), { recursive: true });
    await writeFile(path.join(input, file.path), file.content);
  }
  return input;
}

function measure(stage: Stage, workspace: string, kind: Measurement['workspace']): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...process.execArgv, '--expose-gc', THIS_FILE, '--child', stage, '--workspace', workspace, '--kind', kind],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const last = output.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !last.startsWith('{')) reject(new Error(`${stage} exited ${code}: ${output.slice(-500)}`));
      else resolve(JSON.parse(last) as Measurement);
    });
  });
}

async function runParent(): Promise<void> {
  const documents = Number(values.documents);
  const foldDocuments = Number(values['fold-documents']);
  const root = await mkdtemp(path.join(values['work-dir'] ?? os.tmpdir(), 'pmlens-lambda-memory-'));
  try {
    const documentsWorkspace = path.join(root, 'documents');
    await writeInput(documentsWorkspace, documents, 7);
    const foldWorkspace = path.join(root, 'fold');
    const foldInput = await writeInput(foldWorkspace, foldDocuments, 42);
    process.stderr.write(
      `analysing ${foldDocuments} documents with the offline engine for the fold (not measured)...\n`,
    );
    const catalog = await loadCatalog();
    await runLocal({
      inputDir: foldInput,
      outDir: path.join(foldWorkspace, 'artifacts'),
      engine: createOfflineEngine(catalog.catalog),
      catalog,
      concurrency: 4,
    });

    const measurements: Measurement[] = [];
    const plan: Array<[Stage, string, Measurement['workspace']]> = [
      ['corpus', documentsWorkspace, 'documents'],
      ['summarize', documentsWorkspace, 'documents'],
      ['classify', documentsWorkspace, 'documents'],
      ['analyze', documentsWorkspace, 'documents'],
      ['finish', documentsWorkspace, 'documents'],
      ['recordFailure', documentsWorkspace, 'documents'],
      ['corpus', foldWorkspace, 'fold'],
      ['patterns', foldWorkspace, 'fold'],
      ['opportunities', foldWorkspace, 'fold'],
      ['report', foldWorkspace, 'fold'],
    ];
    for (const [stage, workspace, kind] of plan) {
      process.stderr.write(`measuring ${stage} (${kind})...\n`);
      const measurement = await measure(stage, workspace, kind);
      measurements.push(measurement);
      process.stderr.write(
        `  ${stage.padEnd(14)} ${kind.padEnd(9)} items ${String(measurement.items).padStart(5)}  baseline ${measurement.baselineRssMb} MB  peak RSS ${measurement.peakRssMb} MB  peak heap ${measurement.peakHeapUsedMb} MB  cpu ${measurement.cpuSeconds} s\n`,
      );
    }
    process.stdout.write(`${JSON.stringify({ documents, foldDocuments, node: process.version, measurements })}\n`);
  } finally {
    if (!values.keep) await rm(root, { recursive: true, force: true });
    else process.stderr.write(`kept ${root}\n`);
  }
}

if (values.child)
  await runChild(values.child as Stage, values.workspace ?? '', values.kind as Measurement['workspace']);
else await runParent();
