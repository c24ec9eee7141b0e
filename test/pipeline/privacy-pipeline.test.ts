/**
 * Redaction through the real CLI: `pmlens analyze` over a corpus with planted personal data and
 * secrets (test/privacy/planted-corpus.ts), with the openai engine against a local
 * OpenAI-compatible server that records every request. No planted value may reach a model request
 * or a file under out/report (recall per category, computed and asserted), no catalog technology
 * is redacted, a rerun reuses the corpus's placeholders, and --restore-pii (and `pmlens restore`)
 * put the values back in a separate folder.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog, TechnologyMatcher } from '../../src/catalog/index.ts';
import { CATEGORIES, loadMapping, PLACEHOLDER, type Category, type RedactionMapping } from '../../src/privacy/index.ts';
import type { Postmortem, RunRecord } from '../../src/schemas/index.ts';
import { openLocalStateStore } from '../../src/store/open-state.ts';
import { runCli } from '../support/cli.ts';
import { FakeOpenAIServer } from '../support/fake-openai-server.ts';
import { createCorpusScript } from '../support/scripted-stages.ts';
import { generatePlantedCorpus, type PlantedDocument } from '../privacy/planted-corpus.ts';

const PER_CATEGORY = 100;
const MIN_RECALL = 0.99;

let root: string;
let input: string;
let out: string;
let corpus: PlantedDocument[];
let matcher: TechnologyMatcher;
let server: FakeOpenAIServer;
let url: string;
let close: () => Promise<void>;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'pmlens-privacy-'));
  input = path.join(root, 'input');
  out = path.join(root, 'out');
  await mkdir(input);
  corpus = generatePlantedCorpus(PER_CATEGORY);
  await Promise.all(
    corpus.map((document, index) =>
      writeFile(path.join(input, `incident-${String(index).padStart(3, '0')}.md`), document.text),
    ),
  );
  matcher = new TechnologyMatcher((await loadCatalog()).catalog);
  const script = await createCorpusScript();
  server = new FakeOpenAIServer({
    apiKey: 'local-key',
    respond: async (body) => {
      const system = body.messages?.find((message) => message.role === 'system')?.content ?? '';
      const tool = body.response_format?.json_schema?.name ?? /submit_[a-z]+/.exec(system)?.[0] ?? '';
      const user = body.messages?.filter((message) => message.role === 'user').pop()?.content ?? '';
      // Themes are not what this test is about: none (the fold's own tests script them).
      if (tool === 'submit_themes') return { content: JSON.stringify({ themes: [] }) };
      return { content: JSON.stringify(await script(tool, user)) };
    },
  });
  ({ url, close } = await server.start());
}, 60_000);

afterAll(async () => {
  await close?.();
  if (root) await rm(root, { recursive: true, force: true });
});

function analyzeArgs(...extra: string[]): string[] {
  const args = ['analyze', input, '--out', out, '--engine', 'openai', '--base-url', url, '--model', 'fake-model'];
  return [...args, '--quiet', ...extra];
}

async function analyze(...extra: string[]): Promise<{ code: number; stderr: string; record: RunRecord }> {
  const previous = process.env.PMLENS_API_KEY;
  process.env.PMLENS_API_KEY = 'local-key';
  try {
    const { code, stderr } = await runCli(analyzeArgs(...extra));
    const record = JSON.parse(await readFile(path.join(out, 'run.json'), 'utf8')) as RunRecord;
    return { code, stderr, record };
  } finally {
    if (previous === undefined) delete process.env.PMLENS_API_KEY;
    else process.env.PMLENS_API_KEY = previous;
  }
}

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name));
}

async function textUnder(folder: string): Promise<string> {
  const files = await filesUnder(folder);
  return (await Promise.all(files.map((file) => readFile(file, 'utf8')))).join('\n');
}

/** What a model was sent: every request body (messages and all), as text. */
function requestText(from = 0): string {
  return server.requests
    .slice(from)
    .map((request) => [JSON.stringify(request.body ?? {}), ...(request.body?.messages ?? []).map((m) => m.content)])
    .flat()
    .join('\n');
}

/** Recall per category: the share of planted values absent from `text`. */
function recallIn(text: string): {
  recall: Record<Category, number>;
  planted: Record<Category, number>;
  missed: string[];
} {
  const planted = Object.fromEntries(CATEGORIES.map((category) => [category, 0])) as Record<Category, number>;
  const caught = { ...planted };
  const missed: string[] = [];
  for (const document of corpus) {
    for (const plant of document.plants) {
      planted[plant.category] += 1;
      if (text.includes(plant.value)) missed.push(`${plant.category}: ${plant.value}`);
      else caught[plant.category] += 1;
    }
  }
  const recall = Object.fromEntries(
    CATEGORIES.map((category) => [category, planted[category] === 0 ? 0 : caught[category] / planted[category]]),
  ) as Record<Category, number>;
  return { recall, planted, missed };
}

async function postmortems(): Promise<Map<string, Postmortem>> {
  const docs = path.join(out, 'docs');
  const found = new Map<string, Postmortem>();
  for (const entry of await readdir(docs, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const postmortem = JSON.parse(await readFile(path.join(docs, entry.name, 'postmortem.json'), 'utf8')) as Postmortem;
    found.set(postmortem.sourcePath, postmortem);
  }
  return found;
}

async function mapping(): Promise<RedactionMapping> {
  return loadMapping(await openLocalStateStore(out));
}

describe('redaction before the openai engine, through the CLI', () => {
  let first: { code: number; stderr: string; record: RunRecord };
  let firstRequests: number;

  it('sends no planted value to the model and writes none under out/report (recall >= 0.99 per category)', async () => {
    // Act
    first = await analyze('--restore-pii');
    firstRequests = server.requests.length;

    // Assess
    expect(first.code).toBe(0);
    expect(first.record.counts.succeeded).toBe(corpus.length);
    expect(first.record.privacy?.redaction).toBe('on');
    expect(server.chatRequests.length).toBeGreaterThanOrEqual(corpus.length * 2);
    const inRequests = recallIn(requestText());
    const report = await textUnder(path.join(out, 'report'));
    const inReport = recallIn(report);
    console.info(
      `planted PII through the CLI (${corpus.length} documents, ${server.chatRequests.length} model requests): recall in model requests ${JSON.stringify(inRequests.recall)}; in out/report ${JSON.stringify(inReport.recall)}`,
    );
    if (inRequests.missed.length > 0) console.info(`reached a model: ${inRequests.missed.slice(0, 10).join(' | ')}`);
    for (const category of CATEGORIES) {
      expect(inRequests.planted[category], category).toBeGreaterThanOrEqual(PER_CATEGORY);
      expect(inRequests.recall[category], `${category} in model requests`).toBeGreaterThanOrEqual(MIN_RECALL);
      expect(inReport.recall[category], `${category} in out/report`).toBeGreaterThanOrEqual(MIN_RECALL);
    }
    // The report does carry the documents' redacted text: the search above had something to find.
    expect([...report.matchAll(PLACEHOLDER)].length).toBeGreaterThan(corpus.length);
  }, 300_000);

  it('redacts no catalog technology name, and quote verification runs on the redacted text', async () => {
    // Prepare
    const stored = await mapping();
    const documents = await postmortems();

    // Assess
    const technologyValues = Object.values(stored.values).filter((value) =>
      matcher.find(value).some((mention) => mention.start === 0 && mention.end === value.length),
    );
    expect(technologyValues).toEqual([]);
    let redactedNames = 0;
    corpus.forEach((document, index) => {
      const postmortem = documents.get(`incident-${String(index).padStart(3, '0')}.md`);
      expect(postmortem, `incident ${index}`).toBeDefined();
      const names = (text: string) => matcher.find(text).map((mention) => mention.alias.toLowerCase());
      const before = names(document.text);
      // Ingest moves the first heading into the title.
      const after = names(`${postmortem?.title ?? ''}\n${postmortem?.text ?? ''}`);
      redactedNames += before.filter((name) => !after.includes(name)).length;
    });
    expect(redactedNames).toBe(0);
    expect(first.record.trust?.share).toBeGreaterThanOrEqual(0.9);
    expect(first.record.trust?.quarantined ?? 0).toBe(0);
  });

  it('restores the values in report-restored/ only, from the local mapping', async () => {
    // Prepare
    const stored = await mapping();
    const redacted = await readFile(path.join(out, 'report', 'report.json'), 'utf8');
    const restored = await readFile(path.join(out, 'report-restored', 'report.json'), 'utf8');
    const used = [...new Set([...redacted.matchAll(PLACEHOLDER)].map((match) => match[0]))].filter(
      (placeholder) => stored.values[placeholder] !== undefined,
    );

    // Assess
    expect(first.record.privacy?.restoredReport).toBe('report-restored/');
    expect(used.length).toBeGreaterThan(10);
    for (const placeholder of used) {
      expect(restored, placeholder).not.toContain(placeholder);
      expect(restored, placeholder).toContain(JSON.stringify(stored.values[placeholder]).slice(1, -1));
    }
    expect(recallIn(restored).missed.length).toBeGreaterThan(0);
  });

  it('reuses the placeholders of the corpus on a rerun with a new document repeating old values', async () => {
    // Prepare
    const before = await mapping();
    const original = (await postmortems()).get('incident-000.md');
    await writeFile(path.join(input, 'incident-repeat.md'), `${corpus[0]?.text ?? ''}\n\nA repeated incident.\n`);

    // Act
    const second = await analyze();

    // Assess
    expect(second.code).toBe(0);
    expect(second.record.changes?.work).toBe(1);
    expect(second.record.privacy?.newPlaceholders).toBe(0);
    const after = await mapping();
    expect(after.values).toEqual(before.values);
    const repeat = (await postmortems()).get('incident-repeat.md');
    const placeholdersOf = (text: string) => new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[0]));
    const reused = placeholdersOf(repeat?.text ?? '');
    expect(placeholdersOf(original?.text ?? '').size).toBeGreaterThanOrEqual(9);
    expect([...placeholdersOf(original?.text ?? '')].filter((placeholder) => !reused.has(placeholder))).toEqual([]);
    const sent = requestText(firstRequests);
    expect(sent.length).toBeGreaterThan(0);
    expect(corpus[0]?.plants.filter((plant) => sent.includes(plant.value))).toEqual([]);
    // `pmlens restore` writes the restored copy again from the folder's state.
    await rm(path.join(out, 'report-restored'), { recursive: true, force: true });
    const restore = await runCli(['restore', out]);
    expect(restore.code).toBe(0);
    const restored = await readFile(path.join(out, 'report-restored', 'report.md'), 'utf8');
    expect(recallIn(restored).missed.length).toBeGreaterThan(0);
  }, 300_000);
});
