/**
 * Quarantine through the real CLI: a scripted model that answers one document's summary with
 * schema-shaped garbage ("Issue: }", "Impact: ,}") gets that document quarantined: counted in
 * run.json, listed in the report whose incident shows only "quarantined: not shown as fact", its
 * claims queued for review, and `pmlens analyze` exits 1. The honest document beside it is not.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUARANTINE_NOTE } from '../../src/report/quarantine.ts';
import type { ReviewItem } from '../../src/review/queue.ts';
import type { RunRecord } from '../../src/schemas/index.ts';
import { runCli, type CliResult } from '../support/cli.ts';
import { FakeOpenAIServer } from '../support/fake-openai-server.ts';
import { blockId, createCorpusScript } from '../support/scripted-stages.ts';

const GARBAGE_SUMMARY = {
  issue: { text: '}', evidence: ['}'] },
  rootCauses: [{ text: ',}', evidence: [',}'] }],
  impact: { text: ',}', evidence: [',}'] },
  resolution: { text: 'not stated', evidence: [] },
  preventiveActions: [],
};

function postmortem(title: string, detail: string): string {
  return [
    `# ${title}`,
    '',
    '## Summary',
    '',
    `Checkout requests failed for 40 minutes because ${detail}.`,
    '',
    '## Root cause',
    '',
    `The root cause was that ${detail}, so new connections were refused.`,
    '',
    '## Impact',
    '',
    'About 30% of checkout requests failed between 14:02 and 14:42 UTC.',
    '',
    '## Resolution',
    '',
    'We raised the connection limit and restarted the application pods.',
    '',
    '## Action items',
    '',
    '- Alert on connection pool saturation.',
    '',
  ].join('\n');
}

let root: string;
let out: string;
let result: CliResult;
let record: RunRecord;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'pmlens-quarantine-'));
  const input = path.join(root, 'input');
  out = path.join(root, 'out');
  await mkdir(input);
  await writeFile(
    path.join(input, 'honest-pool.md'),
    postmortem('Checkout outage', 'the PostgreSQL connection limit was exhausted by the new worker fleet'),
  );
  await writeFile(
    path.join(input, 'garbage-pool.md'),
    postmortem('Payments outage', 'the PostgreSQL max_connections limit was reached after a deploy doubled the pool'),
  );
  const script = await createCorpusScript();
  const server = new FakeOpenAIServer({
    apiKey: 'local-key',
    respond: async (body) => {
      const system = body.messages?.find((message) => message.role === 'system')?.content ?? '';
      const tool = body.response_format?.json_schema?.name ?? /submit_[a-z]+/.exec(system)?.[0] ?? '';
      const user = body.messages?.filter((message) => message.role === 'user').pop()?.content ?? '';
      // Themes are not what this test is about: none (the fold's own tests script them).
      if (tool === 'submit_themes') return { content: JSON.stringify({ themes: [] }) };
      const answer = await script(tool, user);
      // A noise model, for one document only: schema-shaped garbage in place of its summary.
      if (tool === 'submit_summary' && blockId(user).startsWith('garbage-pool'))
        return { content: JSON.stringify(GARBAGE_SUMMARY) };
      return { content: JSON.stringify(answer) };
    },
  });
  const started = await server.start();
  close = started.close;
  const previous = process.env.PMLENS_API_KEY;
  process.env.PMLENS_API_KEY = 'local-key';
  try {
    result = await runCli([
      'analyze',
      input,
      '--out',
      out,
      '--engine',
      'openai',
      '--base-url',
      started.url,
      '--model',
      'fake-model',
    ]);
  } finally {
    if (previous === undefined) delete process.env.PMLENS_API_KEY;
    else process.env.PMLENS_API_KEY = previous;
  }
  if (result.code !== 0 && result.code !== 1)
    throw new Error(`analyze failed (${result.code}): ${result.stderr.slice(-2000)}`);
  const recordText = await readFile(path.join(out, 'run.json'), 'utf8').catch(() => {
    throw new Error(`analyze wrote no run.json (${result.code}): ${result.stderr.slice(-2000)}`);
  });
  record = JSON.parse(recordText) as RunRecord;
}, 120_000);

afterAll(async () => {
  await close?.();
  if (root) await rm(root, { recursive: true, force: true });
});

/** The lines of report.md from `heading` to the next heading of the same or a higher level. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`${heading}\n`);
  if (start < 0) return '';
  const level = /^#+/.exec(heading)?.[0].length ?? 2;
  const rest = markdown.slice(start + heading.length + 1);
  const end = rest.search(new RegExp(`^#{1,${level}} `, 'm'));
  return end < 0 ? rest : rest.slice(0, end);
}

describe('a document whose model summary is garbage', () => {
  it('is quarantined, counted in run.json, and makes analyze exit 1', () => {
    // Assess
    expect(result.code).toBe(1);
    expect(record.counts.succeeded).toBe(2);
    expect(record.counts.failed).toBe(0);
    expect(record.trust?.quarantined).toBe(1);
    expect(record.trust?.quarantinedDocuments).toEqual([
      expect.objectContaining({ docId: expect.stringMatching(/^garbage-pool/), reason: 'garbage' }),
    ]);
    expect(result.stderr).toContain('quarantined: 1');
  });

  it('is listed under Quarantined in the report and its summary is shown only as not fact', async () => {
    // Prepare
    const markdown = await readFile(path.join(out, 'report', 'report.md'), 'utf8');
    const html = await readFile(path.join(out, 'report', 'report.html'), 'utf8');

    // Assess
    const quarantined = section(markdown, '## Quarantined');
    expect(quarantined).toContain('1 document quarantined');
    expect(quarantined).toMatch(
      /Payments outage.*garbage: summary fields without text: issue, rootCauses\\\[0\\\], impact/,
    );
    expect(quarantined).not.toContain('Checkout outage');
    const garbage = section(markdown, '### Payments outage');
    const honest = section(markdown, '### Checkout outage');
    expect(garbage).toContain(QUARANTINE_NOTE);
    expect(garbage).not.toContain('**Issue:**');
    expect(garbage).not.toContain('#### Causal technologies');
    expect(honest).not.toContain(QUARANTINE_NOTE);
    expect(honest).toContain('**Issue:**');
    expect(html).toMatch(/<section id="quarantined"><h2>Quarantined \(1\)<\/h2>/);
    expect(html).toContain(QUARANTINE_NOTE);
  });

  it('sends every claim of the quarantined document to the review queue', async () => {
    // Prepare
    const queue = JSON.parse(await readFile(path.join(out, 'review', 'queue.json'), 'utf8')) as ReviewItem[];

    // Assess
    const ofGarbage = queue.filter((item) => item.docId.startsWith('garbage-pool'));
    expect(ofGarbage.map((item) => item.field)).toEqual(expect.arrayContaining(['issue', 'impact', 'rootCauses[0]']));
    expect(ofGarbage.every((item) => item.reasons[0] === 'quarantined')).toBe(true);
    expect(
      queue
        .filter((item) => item.reasons.includes('quarantined'))
        .every((item) => item.docId.startsWith('garbage-pool')),
    ).toBe(true);
  });
});
