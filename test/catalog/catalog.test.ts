import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG_PATH, loadCatalog, TechnologyMatcher } from '../../src/catalog/index.ts';
import { ConfigurationError } from '../../src/errors.ts';

describe('loadCatalog', () => {
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'pmlens-catalog-'));
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('loads and validates the default catalog', async () => {
    // Prepare
    const file = DEFAULT_CATALOG_PATH;

    // Act
    const loaded = await loadCatalog();

    // Assess
    expect(loaded.path).toBe(file);
    const names = loaded.catalog.technologies.map((entry) => entry.name);
    expect(names).toEqual(expect.arrayContaining(['PostgreSQL', 'Redis', 'Memcached', 'DynamoDB', 'Kafka', 'S3']));
    expect(new Set(names).size).toBe(names.length);
    expect(typeof loaded.catalog.version).toBe('string');
  });

  it('loads a JSON catalog and applies defaults for kind and aliases', async () => {
    // Prepare
    const file = path.join(folder, 'small.json');
    await writeFile(file, JSON.stringify({ version: 3, technologies: [{ name: 'Vitess' }] }));

    // Act
    const loaded = await loadCatalog(file);

    // Assess
    expect(loaded.catalog).toEqual({
      version: '3',
      technologies: [{ name: 'Vitess', kind: 'datastore', aliases: [], signals: [] }],
    });
  });

  it('refuses an alias claimed by two technologies with a ConfigurationError naming both', async () => {
    // Prepare
    const file = path.join(folder, 'duplicate.yaml');
    await writeFile(
      file,
      [
        'version: 1',
        'technologies:',
        '  - name: Redis',
        '    aliases: [Cache]',
        '  - name: Memcached',
        '    aliases: [cache]',
        '',
      ].join('\n'),
    );

    // Act
    const attempt = loadCatalog(file);

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(ConfigurationError);
    await expect(attempt).rejects.toThrow(/duplicate\.yaml is invalid/);
    await expect(attempt).rejects.toThrow(/"cache" is claimed by both Redis and Memcached/);
  });

  it.each([
    ['missing.yaml', null, /cannot read the catalog/],
    ['not-yaml.yaml', 'technologies: [unclosed', /not valid YAML or JSON/],
    ['no-technologies.yaml', 'version: 1\ntechnologies: []\n', /is invalid/],
    ['extra-key.yaml', 'version: 1\ncolor: blue\ntechnologies:\n  - name: Redis\n', /is invalid/],
  ])('refuses %s with a ConfigurationError', async (name, content, message) => {
    // Prepare
    const file = path.join(folder, name);
    if (content !== null) await writeFile(file, content);

    // Act
    const attempt = loadCatalog(file);

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(ConfigurationError);
    await expect(attempt).rejects.toThrow(message);
  });
});

describe('TechnologyMatcher', () => {
  let matcher: TechnologyMatcher;

  beforeAll(async () => {
    matcher = new TechnologyMatcher((await loadCatalog()).catalog);
  });

  it('lets the longest alias win: "ElastiCache for Memcached" is Memcached, bare "ElastiCache" is Redis', () => {
    // Prepare
    const text = 'We run ElastiCache for Memcached next to ElastiCache.';

    // Act
    const mentions = matcher.find(text);

    // Assess
    expect(mentions).toEqual([
      { technology: 'Memcached', alias: 'ElastiCache for Memcached', start: 7, end: 32 },
      { technology: 'Redis', alias: 'ElastiCache', start: 41, end: 52 },
    ]);
  });

  it('matches case-insensitively and across spaces, line breaks and hyphens inside an alias', () => {
    // Prepare
    const texts = [
      'AMAZON DYNAMODB throttled',
      'elasticache  for\nmemcached evicted keys',
      'the Elastic-Search cluster',
    ];

    // Act
    const found = texts.map((text) => matcher.find(text).map((mention) => mention.technology));

    // Assess
    expect(found).toEqual([['DynamoDB'], ['Memcached'], ['Elasticsearch']]);
  });

  it('matches on word boundaries only: "pg_stat_activity", "mypg" and "pgx" do not name PostgreSQL', () => {
    // Prepare
    const texts = ['pg_stat_activity showed idle sessions', 'the mypg and pgx drivers', 'ZK_quorum was fine'];

    // Act
    const found = texts.map((text) => matcher.find(text));

    // Assess
    expect(found).toEqual([[], [], []]);
  });

  it('does match an alias next to punctuation or a hyphen: "the pg pool", "Postgres-based", "s3://"', () => {
    // Prepare
    const texts = ['the pg pool', 'a Postgres-based queue', 's3://bucket/key', "Kafka's brokers"];

    // Act
    const found = texts.map((text) => [...matcher.namedIn(text)]);

    // Assess
    expect(found).toEqual([['PostgreSQL'], ['PostgreSQL'], ['S3'], ['Kafka']]);
  });

  it('reports the span of each mention', () => {
    // Prepare
    const text = 'Then PgBouncer and Postgres both stalled.';

    // Act
    const mentions = matcher.find(text);

    // Assess
    expect(mentions.map((mention) => text.slice(mention.start, mention.end))).toEqual(['PgBouncer', 'Postgres']);
    expect(mentions.every((mention) => mention.technology === 'PostgreSQL')).toBe(true);
  });
});
