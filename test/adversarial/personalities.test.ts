/**
 * Adversarial personalities through the real CLI: `pmlens analyze` over the labelled corpus of
 * test/adversarial/corpus/ with the openai engine against a local OpenAI-compatible server whose
 * scripted model plays one personality per run (chosen by the model name the CLI sends). The
 * figures of each run are read from its output folder and checked against the labels:
 * - invented facts (a non-causal technology shown as a cause without a review flag): 0 for every
 *   hostile personality;
 * - garbage summaries shown as fact: 0; a quarantined document's text never shown outside it;
 * - instructions addressed to a model: never verified evidence, never sent to a model;
 * - honest: recall >= 0.9 and precision 1.0; percent: no document fails, confidences in [0, 1];
 * - the exit code is 1 exactly when a document is quarantined (or failed), as documented.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog, TechnologyMatcher } from '../../src/catalog/index.ts';
import { FakeOpenAIServer, type ChatCompletionRequestBody } from '../support/fake-openai-server.ts';
import { REPO_ROOT, repoPath } from '../support/postmortems.ts';
import { DOCS_DIR, docIdOf, loadCorpusLabels, type CorpusLabel } from './corpus.ts';
import { measure, type Figures } from './measure.ts';
import { answer, HOSTILE, PERSONALITIES, type PersonalityName } from './personalities.ts';

const API_KEY = 'adversarial-key';

const labels = loadCorpusLabels();
const labelById = new Map<string, CorpusLabel>(labels.map((label) => [docIdOf(label), label]));
let root: string;
let close: (() => Promise<void>) | undefined;
let server: FakeOpenAIServer;
let matcher: TechnologyMatcher;
const figures = new Map<PersonalityName, Figures>();

function toolNameOf(body: ChatCompletionRequestBody): string {
  const fromFormat = body.response_format?.json_schema?.name;
  if (fromFormat) return fromFormat;
  const system = body.messages?.find((message) => message.role === 'system')?.content ?? '';
  return /submit_[a-z]+/.exec(system)?.[0] ?? '';
}

function isPersonality(name: string | undefined): name is PersonalityName {
  return (PERSONALITIES as readonly string[]).includes(name ?? '');
}

/** The CLI, spawned like a user runs it; resolves with the exit code whatever it is. */
function analyze(out: string, url: string, personality: PersonalityName): Promise<{ code: number; stderr: string }> {
  const args = [repoPath('bin', 'pmlens.js'), 'analyze', DOCS_DIR, '--out', out, '--engine', 'openai'];
  args.push('--base-url', url, '--model', personality, '--concurrency', '4', '--quiet');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', PMLENS_API_KEY: API_KEY } },
      (error, _stdout, stderr) => {
        if (error && typeof error.code !== 'number') reject(error);
        else resolve({ code: error ? Number(error.code) : 0, stderr });
      },
    );
  });
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'pmlens-adversarial-'));
  matcher = new TechnologyMatcher((await loadCatalog()).catalog);
  // What each personality saw of each document (the summarize request), and the causes it claimed.
  const documents = new Map<string, string>();
  const claimed = new Map<PersonalityName, Map<string, Set<string>>>(
    PERSONALITIES.map((personality) => [personality, new Map()]),
  );
  server = new FakeOpenAIServer({
    apiKey: API_KEY,
    models: [...PERSONALITIES],
    respond: (body) => {
      const personality = body.model;
      if (!isPersonality(personality)) throw new Error(`no personality ${String(personality)}`);
      const tool = toolNameOf(body);
      const userText = body.messages?.filter((message) => message.role === 'user').pop()?.content ?? '';
      const docId = /<(?:document|postmortem) id="([^"]+)"/.exec(userText)?.[1];
      const block = /<document id="[^"]*" title="[^"]*">\n([\s\S]*)\n<\/document>/.exec(userText)?.[1];
      if (docId && block !== undefined) documents.set(`${personality}\u0000${docId}`, block);
      const reply = answer(personality, {
        tool,
        userText,
        docId,
        documentText: docId ? (documents.get(`${personality}\u0000${docId}`) ?? '') : '',
        label: docId ? labelById.get(docId) : undefined,
        matcher,
      });
      if (tool === 'submit_classification' && docId) {
        const causes = (reply as { causal?: Array<{ technology: string }> }).causal ?? [];
        const mine = claimed.get(personality) as Map<string, Set<string>>;
        mine.set(docId, new Set([...(mine.get(docId) ?? []), ...causes.map((cause) => cause.technology)]));
      }
      return { content: JSON.stringify(reply) };
    },
  });
  const started = await server.start();
  close = started.close;

  const runs = await Promise.all(
    PERSONALITIES.map(async (personality) => {
      const out = path.join(root, personality);
      const { code, stderr } = await analyze(out, started.url, personality);
      return { personality, out, code, stderr };
    }),
  );
  for (const { personality, out, code, stderr } of runs) {
    if (code === 2) throw new Error(`${personality}: the CLI refused to run: ${stderr}`);
    // What the pipeline sent of the documents (the summarize prompts), and what later prompts carried.
    const mine = server.chatRequests.filter((request) => request.model === personality);
    const textOf = (requests: ChatCompletionRequestBody[]): string =>
      requests.flatMap((request) => (request.messages ?? []).map((message) => message.content)).join('\n');
    const requests = {
      documents: textOf(mine.filter((request) => toolNameOf(request) === 'submit_summary')),
      later: textOf(mine.filter((request) => toolNameOf(request) !== 'submit_summary')),
    };
    const claimedCauses = claimed.get(personality) as Map<string, Set<string>>;
    figures.set(personality, await measure(personality, out, code, labels, claimedCauses, requests, matcher));
  }
  printTable([...figures.values()]);
}, 120_000);

afterAll(async () => {
  await close?.();
  // ADVERSARIAL_KEEP=1 keeps the output folders for a look.
  if (root && !process.env.ADVERSARIAL_KEEP) await rm(root, { recursive: true, force: true });
  else if (root) console.log(`output folders kept under ${root}`);
});

function printTable(rows: readonly Figures[]): void {
  const columns: Array<[string, (row: Figures) => string | number]> = [
    ['personality', (row) => row.personality],
    ['exit', (row) => row.exitCode],
    ['analysed', (row) => row.analysed],
    ['failed', (row) => row.failed],
    ['quarantined', (row) => row.quarantined],
    ['shown causes', (row) => row.causesShown],
    ['invented', (row) => row.invented],
    ['kept out', (row) => row.keptOut],
    ['garbage shown', (row) => row.garbageShown],
    ['quarantined text shown', (row) => row.quarantinedTextShown],
    ['directives accepted', (row) => row.directivesAccepted],
    ['directives detected', (row) => `${row.directivesDetected}/3`],
    ['directives sent', (row) => row.directivesSent],
    ['directives echoed', (row) => row.directivesEchoed],
    ['unverified summary shown', (row) => row.unverifiedSummaryShown],
    ['invented summary causes', (row) => row.inventedSummaryCauses],
    ['recall', (row) => row.recall],
    ['precision', (row) => row.precision],
    ['verified share', (row) => row.verifiedShare],
  ];
  const header = `| ${columns.map(([name]) => name).join(' | ')} |`;
  const rule = `|${columns.map(() => '---').join('|')}|`;
  const lines = rows.map((row) => `| ${columns.map(([, value]) => String(value(row))).join(' | ')} |`);
  const details = rows.flatMap((row) => [
    ...row.inventedList.map((entry) => `${row.personality} invented: ${entry}`),
    ...row.acceptedList.map((entry) => `${row.personality}: ${entry}`),
    ...row.inventedSummaryList.map((entry) => `${row.personality} summary root cause: ${entry}`),
  ]);
  console.log(['Adversarial personalities over the labelled corpus', header, rule, ...lines, ...details].join('\n'));
}

function figuresOf(personality: PersonalityName): Figures {
  const found = figures.get(personality);
  if (!found) throw new Error(`no figures for ${personality}`);
  return found;
}

describe('scripted model personalities through the CLI', () => {
  it.each(PERSONALITIES)('%s: every document accounted for, the exit code as documented', (personality) => {
    const row = figuresOf(personality);
    expect(row.analysed + row.failed).toBe(labels.length);
    expect(row.exitCode).toBe(row.quarantined > 0 || row.failed > 0 ? 1 : 0);
  });

  it.each(PERSONALITIES)(
    '%s: no garbage shown as fact, no quarantined text shown, quarantined documents in no theme',
    (personality) => {
      const row = figuresOf(personality);
      expect(row.garbageShown).toBe(0);
      expect(row.quarantinedTextShown).toBe(0);
      expect(row.quarantinedInThemes).toBe(0);
    },
  );

  it.each(PERSONALITIES)(
    '%s: instructions addressed to a model are detected, withheld and never evidence',
    (personality) => {
      const row = figuresOf(personality);
      expect(row.directivesDetected).toBe(labels.filter((label) => label.directive).length);
      expect(row.directivesSent).toBe(0);
      expect(row.acceptedList).toEqual(row.acceptedList.filter((entry) => !/verified|stands on/.test(entry)));
      expect(row.directivesAccepted).toBe(0);
    },
  );

  it.each(PERSONALITIES)('%s: an instruction a model cites is not echoed into its next prompt', (personality) => {
    expect(figuresOf(personality).directivesEchoed).toBe(0);
  });

  it.each(HOSTILE)('%s: invents no fact', (personality) => {
    const row = figuresOf(personality);
    expect(row.inventedList).toEqual([]);
    expect(row.invented).toBe(0);
  });

  it('honest: recall >= 0.9 and precision 1.0, nothing quarantined, exit 0', () => {
    const row = figuresOf('honest');
    expect(row.recall).toBeGreaterThanOrEqual(0.9);
    expect(row.precision).toBe(1);
    expect(row.quarantined).toBe(0);
    expect(row.failed).toBe(0);
    expect(row.exitCode).toBe(0);
  });

  it('percent: no document fails, confidences normalised to [0, 1], the honest figures kept', () => {
    const row = figuresOf('percent');
    expect(row.failed).toBe(0);
    expect(row.confidenceOutOfRange).toBe(0);
    expect(row.confidences).toContain(0.85);
    expect(row.recall).toBeGreaterThanOrEqual(0.9);
    expect(row.precision).toBe(1);
    expect(row.exitCode).toBe(0);
  });

  it('noise: every document is quarantined and the run says so', () => {
    const row = figuresOf('noise');
    expect(row.quarantined).toBe(row.analysed);
    expect(row.exitCode).toBe(1);
  });
});
