/** Shared by the model benchmarks: a generated corpus on disk, and small formatting helpers. */
import { readFileSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import type { ModelResponse } from '../src/models/language-model.ts';
import { blockId, scriptedOpportunities, scriptedThemes } from '../test/support/scripted-stages.ts';
import { generateCorpus } from './corpus.ts';

export async function writeCorpus(
  documents: number,
  seed = 42,
  baseDir = os.tmpdir(),
): Promise<{ root: string; input: string }> {
  const root = await mkdtemp(path.join(baseDir, 'pmlens-bench-'));
  const input = path.join(root, 'input');
  for (const file of generateCorpus(documents, seed)) {
    await mkdir(path.dirname(path.join(input, file.path)), { recursive: true });
    await writeFile(path.join(input, file.path), file.content);
  }
  return { root, input };
}

export function round(value: number, digits = 3): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Samples RSS every 20 ms until stopped. */
/** Starts V8's CPU profiler on this thread; `stop` returns the profile (the .cpuprofile JSON). */
export async function startProfiler(): Promise<{ stop(): Promise<object> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      return profile;
    },
  };
}

/** One thread's CPU seconds from a /proc/<pid>/task/<tid>/stat line. */
function threadStat(stat: string): { user: number; system: number } {
  // Fields after the command name (which may hold spaces), counted from 3: utime is 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = 100; // USER_HZ on Linux
  return { user: Number(fields[11]) / ticks, system: Number(fields[12]) / ticks };
}

/**
 * CPU seconds (user, system) of the main thread alone, from /proc (Linux; undefined elsewhere): the
 * run's critical path when other threads (the writer, the GC's helpers) work beside it.
 */
export function mainThreadCpuSeconds(): { user: number; system: number } | undefined {
  try {
    return threadStat(readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * CPU time per thread over a stretch of the run (Linux only; elsewhere `stop` returns an empty list),
 * busiest first. Threads come and go (the writer thread ends with the run), so every thread is
 * sampled every `everyMs` and its last reading kept: a thread's last `everyMs` may be missed. Node
 * names all its threads "node", so the main thread is told by its id (the process id) and the others
 * by their rank: on a run with a writer thread, the busiest other thread is the writer and the rest
 * are V8's garbage-collection and compiler helpers and libuv's pool.
 */
export function sampleThreadCpu(everyMs = 50): { stop(): { thread: string; user: number; system: number }[] } {
  const taskDir = `/proc/${process.pid}/task`;
  const readAll = (): Map<string, { user: number; system: number }> => {
    const readings = new Map<string, { user: number; system: number }>();
    try {
      for (const tid of readdirSync(taskDir)) {
        try {
          readings.set(tid, threadStat(readFileSync(`${taskDir}/${tid}/stat`, 'utf8')));
        } catch {
          // the thread ended between the listing and the read
        }
      }
    } catch {
      // not Linux
    }
    return readings;
  };
  const first = readAll();
  const last = new Map(first);
  const sample = () => {
    for (const [tid, reading] of readAll()) last.set(tid, reading);
  };
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      const round = (seconds: number) => Math.round(seconds * 100) / 100;
      return [...last]
        .map(([tid, reading]) => {
          const before = first.get(tid) ?? { user: 0, system: 0 };
          return {
            thread: tid === String(process.pid) ? 'main' : tid,
            user: round(reading.user - before.user),
            system: round(reading.system - before.system),
          };
        })
        .filter((entry) => entry.user + entry.system > 0)
        .sort((a, b) => b.user + b.system - (a.user + a.system));
    },
  };
}

/**
 * Peak resident set size of the process, as the kernel keeps it (getrusage's maxRSS): exact, and
 * free. Sampling process.memoryUsage.rss() on a timer was not: under heavy file writing each read of
 * /proc/self waited on the kernel's memory-map lock, about 1 ms, and a 20 ms timer took 5% of the
 * main thread in the throughput benchmark's profile.
 */
export function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/**
 * A cheap scripted model, so a benchmark measures the orchestration and not the fake model's own
 * work: answers are built from the prompt with a few string operations.
 */
export function cheapAnswer(toolName: string, userText: string): unknown {
  const lines = userText
    .split('\n')
    .filter((line) => line.trim().length > 20)
    .slice(1, 4);
  const quote = lines[0] ?? 'not stated';
  switch (toolName) {
    case 'submit_summary':
      return {
        issue: { text: quote, evidence: [quote] },
        rootCauses: [],
        impact: { text: 'not stated', evidence: [] },
        resolution: { text: 'not stated', evidence: [] },
        preventiveActions: [],
      };
    case 'submit_classification': {
      const technology = /\b(PostgreSQL|DynamoDB|Redis|S3|Elasticsearch|Kafka|MySQL|MongoDB|Cassandra|RabbitMQ)\b/.exec(
        userText,
      )?.[1];
      const naming = technology
        ? (userText.split('\n').find((line) => line.includes(technology) && line.startsWith('- ')) ?? quote).replace(
            /^- (\[[^\]]*\] )?/,
            '',
          )
        : quote;
      return {
        causal: technology ? [{ technology, role: 'scripted', evidence: [naming], confidence: 0.9 }] : [],
        mentioned: [],
        unnamedCause: null,
      };
    }
    case 'submit_digest':
      return {
        sentences: lines.length > 0 ? lines : [quote],
        faultCategory: 'capacity',
        contributingFactors: [],
        evidence: [quote],
      };
    case 'submit_themes':
      return scriptedThemes(userText);
    case 'submit_opportunities':
      return scriptedOpportunities(userText);
    default:
      throw new Error(`unknown tool ${toolName} for ${blockId(userText)}`);
  }
}

/** A scripted model's answer: the tool input, with tokens estimated at four characters each. */
export function toolResponse(userText: string, toolInput: unknown, latencyMillis = 0): ModelResponse {
  const text = JSON.stringify(toolInput);
  return {
    text,
    toolInput,
    stopReason: 'tool',
    usage: {
      inputTokens: Math.ceil(userText.length / 4),
      outputTokens: Math.ceil(text.length / 4),
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
    },
    latencyMillis,
    warnings: [],
  };
}
