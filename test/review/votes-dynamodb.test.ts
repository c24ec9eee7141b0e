/** Votes through the DynamoDB state store on dynalite: directly, and through `pmlens review --table`. */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportVotes, VOTE_CSV_COLUMNS } from '../../src/review/export.ts';
import { buildReviewQueue } from '../../src/review/queue.ts';
import { createDynamoDbClient } from '../../src/store/dynamodb-item-table.ts';
import { openDynamoDbStateStore } from '../../src/store/open-state.ts';
import type { Vote } from '../../src/store/state-store.ts';
import { startDynalite, type LocalDynamoDb } from '../support/aws-servers.ts';
import { REPO_ROOT, repoPath } from '../support/postmortems.ts';
import { riskyReport, vote } from './fixture.ts';

let dynamo: LocalDynamoDb;
let client: DynamoDBClient;
let root: string;
let tables = 0;

beforeAll(async () => {
  dynamo = await startDynalite();
  client = createDynamoDbClient({ endpoint: dynamo.url, region: dynamo.region, credentials: dynamo.credentials });
  root = await mkdtemp(path.join(os.tmpdir(), 'review-dynamodb-'));
});

afterAll(async () => {
  client?.destroy();
  await dynamo?.close();
  await rm(root, { recursive: true, force: true });
});

async function newTable(): Promise<string> {
  const name = `review-${(tables += 1)}`;
  await dynamo.createTable(name);
  return name;
}

function pmlens(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [repoPath('bin', 'pmlens.js'), 'review', ...args],
      {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: dynamo.credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: dynamo.credentials.secretAccessKey,
          AWS_REGION: dynamo.region,
        },
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') reject(error);
        else resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
    child.stdin?.end(stdin);
  });
}

const VOTES: Vote[] = [
  vote({ itemId: '0123456789abcdef', vote: 'up', reviewer: 'alice', stage: 'summarize', promptVersion: 'summarize@1' }),
  vote({
    itemId: 'fedcba9876543210',
    vote: 'edit',
    reviewer: 'bob',
    stage: 'classify',
    docId: 'pg/pool',
    promptVersion: 'classify@2',
    correction: 'PostgreSQL, "Redis"\nsecond line',
  }),
  vote({ itemId: '00112233aabbccdd', vote: 'down', reviewer: 'alice', stage: 'analyze', promptVersion: 'analyze@1' }),
];

function csvRows(votes: readonly Vote[]): string[][] {
  return votes.map((entry) => VOTE_CSV_COLUMNS.map((column) => entry[column] ?? ''));
}

describe('votes through DynamoDB (dynalite)', () => {
  it('round-trip through the store and out as JSON and CSV', async () => {
    // Prepare
    const store = openDynamoDbStateStore({ client, tableName: await newTable() });
    for (const entry of [...VOTES].reverse()) await store.putVote(entry);

    // Act
    const listed = await store.listVotes();
    await exportVotes(listed, path.join(root, 'direct', 'votes.json'));
    await exportVotes(listed, path.join(root, 'direct', 'votes.csv'));

    // Assess
    expect(listed).toEqual(VOTES);
    expect(JSON.parse(await readFile(path.join(root, 'direct', 'votes.json'), 'utf8'))).toEqual(VOTES);
    const csv = parseCsv(await readFile(path.join(root, 'direct', 'votes.csv'), 'utf8')) as string[][];
    expect(csv).toEqual([[...VOTE_CSV_COLUMNS], ...csvRows(VOTES)]);
  });

  it('are exported by `pmlens review --table --dynamodb-endpoint --export`', async () => {
    // Prepare
    const table = await newTable();
    const store = openDynamoDbStateStore({ client, tableName: table });
    for (const entry of VOTES) await store.putVote(entry);
    const file = path.join(root, 'cli', 'votes.csv');

    // Act
    const result = await pmlens([
      '--out',
      path.join(root, 'no-run-needed'),
      '--table',
      table,
      '--dynamodb-endpoint',
      dynamo.url,
      '--export',
      file,
    ]);

    // Assess
    expect(result.stderr).toContain(`wrote 3 votes to ${file} (csv)\n`);
    expect(result.code).toBe(0);
    expect(parseCsv(await readFile(file, 'utf8'))).toEqual([[...VOTE_CSV_COLUMNS], ...csvRows(VOTES)]);
  });

  it('are stored there by an interactive review with --table', async () => {
    // Prepare
    const table = await newTable();
    const out = path.join(root, 'out');
    const report = riskyReport();
    await mkdir(path.join(out, 'report'), { recursive: true });
    await writeFile(path.join(out, 'report', 'report.json'), JSON.stringify(report));
    await writeFile(path.join(out, 'run.json'), JSON.stringify({ input: path.join(root, 'sources-gone') }));
    const queue = buildReviewQueue(report, { sampleRate: 0, seed: report.runId });

    // Act
    const result = await pmlens(
      ['--out', out, '--table', table, '--dynamodb-endpoint', dynamo.url, '--reviewer', 'erin', '--sample-rate', '0'],
      'u\ne\nPostgreSQL\nq\n',
    );
    const stored = await openDynamoDbStateStore({ client, tableName: table }).listVotes();

    // Assess
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('the sources of 3 documents are not under');
    expect(result.stdout).toContain('(source pg-pool.md not available)');
    expect(
      stored.map((entry) => [
        entry.itemId,
        entry.vote,
        entry.correction,
        entry.reviewer,
        entry.promptVersion,
        entry.model,
      ]),
    ).toEqual([
      [queue[0]?.id, 'up', undefined, 'erin', 'summarize@3', 'bedrock:claude'],
      [queue[1]?.id, 'edit', 'PostgreSQL', 'erin', 'classify@2', 'bedrock:claude'],
    ]);
  });

  it('exits 2 on contradictory or incomplete store options', async () => {
    const [noTable, badExtension, missingTable] = await Promise.all([
      pmlens(['--out', root, '--dynamodb-endpoint', dynamo.url, '--export', path.join(root, 'x.json')]),
      pmlens(['--out', root, '--export', path.join(root, 'votes.txt')]),
      pmlens([
        '--out',
        root,
        '--table',
        'no-such-table',
        '--dynamodb-endpoint',
        dynamo.url,
        '--export',
        path.join(root, 'x.json'),
      ]),
    ]);
    expect(noTable.code).toBe(2);
    expect(noTable.stderr).toContain('pmlens: --dynamodb-endpoint needs --table <name>\n');
    expect(badExtension.code).toBe(2);
    expect(badExtension.stderr).toContain(
      `pmlens: --export ${path.join(root, 'votes.txt')}: the file must end in .json or .csv\n`,
    );
    expect(missingTable.code).toBe(2);
    expect(missingTable.stderr).toContain(`pmlens: the DynamoDB table no-such-table does not exist at ${dynamo.url}\n`);
  });
});
