/**
 * The redaction module over a generated corpus of planted personal data: recall per category
 * (planted values that no longer appear in the redacted text) must be at least 0.99, and no
 * catalog technology name, alias or signal may be redacted.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog, TechnologyMatcher } from '../../src/catalog/index.ts';
import {
  CATEGORIES,
  createMapping,
  createRedactor,
  parseMapping,
  redact,
  redactDetailed,
  restore,
  type Category,
  type Redactor,
} from '../../src/privacy/index.ts';
import type { Catalog } from '../../src/schemas/index.ts';
import { generatePlantedCorpus } from './planted-corpus.ts';

const PER_CATEGORY = 240;
let catalog: Catalog;
let matcher: TechnologyMatcher;
let redactor: Redactor;

beforeAll(async () => {
  ({ catalog } = await loadCatalog());
  matcher = new TechnologyMatcher(catalog);
  redactor = createRedactor(catalog);
});

describe('planted PII recall', () => {
  it('redacts at least 99% of the planted values of every category, with consistent placeholders, and restores the text', () => {
    // Prepare
    const corpus = generatePlantedCorpus(PER_CATEGORY);
    const mapping = createMapping();

    // Act
    const redacted = corpus.map((document) => redactor.redact(document.text, mapping));

    // Assess
    const planted = new Map<Category, number>();
    const caught = new Map<Category, number>();
    const missed: string[] = [];
    corpus.forEach((document, index) => {
      const text = redacted[index] ?? '';
      for (const plant of document.plants) {
        planted.set(plant.category, (planted.get(plant.category) ?? 0) + 1);
        if (text.includes(plant.value)) missed.push(`${plant.category}: ${plant.value}`);
        else caught.set(plant.category, (caught.get(plant.category) ?? 0) + 1);
      }
    });
    const recall = Object.fromEntries(
      CATEGORIES.map((category) => [category, (caught.get(category) ?? 0) / (planted.get(category) ?? 1)]),
    );
    console.info(`planted PII recall per category (${PER_CATEGORY}+ values each): ${JSON.stringify(recall)}`);
    if (missed.length > 0) console.info(`missed: ${missed.slice(0, 20).join(' | ')}`);
    for (const category of CATEGORIES) {
      expect(planted.get(category) ?? 0, category).toBeGreaterThanOrEqual(200);
      expect(recall[category], category).toBeGreaterThanOrEqual(0.99);
    }
    corpus.forEach((document, index) => expect(restore(redacted[index] ?? '', mapping)).toBe(document.text));
    // The mapping survives JSON, and a copy restores the same way.
    const copy = parseMapping(JSON.parse(JSON.stringify(mapping)));
    expect(restore(redacted[0] ?? '', copy)).toBe(corpus[0]?.text);
  });

  it('redacts no catalog technology in the planted corpus', () => {
    // Prepare
    const corpus = generatePlantedCorpus(PER_CATEGORY, 7);
    const mapping = createMapping();

    // Act
    const redacted = corpus.map((document) => redactor.redact(document.text, mapping));

    // Assess
    const mentions = (text: string): string[] =>
      matcher
        .find(text)
        .map((mention) => mention.alias.toLowerCase())
        .sort();
    corpus.forEach((document, index) => {
      // Technologies inside planted secrets (a scheme like postgres:// is kept, only user:password goes) are compared too.
      expect(mentions(redacted[index] ?? '')).toEqual(mentions(document.text));
    });
  });
});

describe('technology names are never redacted', () => {
  it('keeps every catalog name, alias and signal, also in the places where names of people are looked for', () => {
    // Prepare
    const terms = catalog.technologies.flatMap((entry) => [entry.name, ...entry.aliases, ...entry.signals]);
    const contexts = [
      (term: string) => `On-call: ${term}`,
      (term: string) => `Owner: ${term} platform team`,
      (term: string) => `Attendees: ${term}, Jane Doe and the SRE team`,
      (term: string) => `This change was reviewed by ${term} maintainers.`,
      (term: string) => `Escalated to ${term} support, who confirmed the bug.`,
      (term: string) => `14:02 ${term} (on-call dashboard) showed the spike.`,
      (term: string) => `Paged ${term} owners at 03:10.`,
      (term: string) => `— ${term}`,
      (term: string) => `The incident commander, ${term}, was not involved.`,
      (term: string) => `Root cause: ${term} stopped accepting writes at 10.0.0.1 and alerts went to ops@example.com.`,
    ];
    const mapping = createMapping();
    let total = 0;
    const redactedTerms: string[] = [];

    // Act
    for (const term of terms) {
      for (const context of contexts) {
        const text = context(term);
        const output = redactor.redact(text, mapping);
        total += 1;
        if (!output.includes(term)) redactedTerms.push(`${term} in "${text}" -> "${output}"`);
      }
    }

    // Assess
    console.info(
      `catalog terms checked: ${terms.length} in ${contexts.length} contexts (${total} texts); redacted: ${redactedTerms.length}`,
    );
    expect(redactedTerms).toEqual([]);
    expect(Object.values(mapping.values).some((value) => value === 'Jane Doe')).toBe(true);
  });

  it('still redacts people whose names look like product words the catalog leaves out (Dax, Kraft)', () => {
    // Trap: DynamoDB's DAX and Kafka's KRaft are real product words, and a signal is matched without regard to case,
    // so as signals they would keep these people's names out of redaction.
    const mapping = createMapping();
    const output = redactor.redact('On-call: Dax Kraft. Escalated to Jane Doe at 03:10.', mapping);
    expect(output).not.toContain('Dax');
    expect(output).not.toContain('Kraft');
  });
});

describe('placeholders and mapping', () => {
  it('gives the same value the same placeholder across calls sharing a mapping, and new values new numbers', () => {
    // Prepare
    const mapping = createMapping();

    // Act
    const first = redact('Customer jane.doe@example.com saw errors. On-call: Priya Raman', mapping);
    const second = redact('Jane.Doe@example.com wrote again; paged Priya Raman, then bob@example.com.', mapping);

    // Assess
    expect(first).toBe('Customer [EMAIL-1] saw errors. On-call: [PERSON-1]');
    expect(second).toBe('[EMAIL-1] wrote again; paged [PERSON-1], then [EMAIL-2].');
  });

  it("finds a name only from its own document's cues, whichever documents were redacted before", () => {
    // Prepare
    const cueing = 'Incident commander: Kenji Watanabe';
    const uncued = 'Kenji restarted Redis at 14:05.';

    // Act
    const alone = redact(uncued, createMapping());
    const shared = createMapping();
    redact(cueing, shared);
    const after = redact(uncued, shared);
    const withItsOwnNames = redactDetailed(uncued, createMapping(), { names: ['Kenji Watanabe'] }).text;

    // Assess
    expect(alone).toBe(uncued);
    expect(after).toBe(alone);
    expect(withItsOwnNames).toMatch(/^\[PERSON-\d+\] restarted Redis/);
  });

  it('finds every name of two label lines that markdown joined into one paragraph', () => {
    // Prepare
    const mapping = createMapping();

    // Act
    const output = redact(
      'Incident commander: Rahul Patel Scribe: Marcus de la Cruz\n\nRoot cause: a bad deploy.',
      mapping,
    );

    // Assess
    expect(output).toBe('Incident commander: [PERSON-1] Scribe: [PERSON-2]\n\nRoot cause: a bad deploy.');
  });

  it('finds a known name and its parts anywhere once a cue named it', () => {
    // Prepare
    const mapping = createMapping();

    // Act
    const output = redact(
      'Incident commander: Kenji Watanabe\n\n14:05 Kenji restarted Redis. Watanabe then paged the DBA.',
      mapping,
    );

    // Assess
    expect(output).toBe(
      'Incident commander: [PERSON-1]\n\n14:05 [PERSON-2] restarted Redis. [PERSON-3] then paged the DBA.',
    );
    expect(restore(output, mapping)).toContain('14:05 Kenji restarted Redis. Watanabe then');
  });

  it('leaves text that is already redacted as it is', () => {
    // Prepare
    const mapping = createMapping();
    const once = redact('On-call: Jane Doe, card 4111 1111 1111 1111, host 10.1.2.3', mapping);

    // Act
    const twice = redact(once, mapping);

    // Assess
    expect(twice).toBe(once);
  });

  it('does not take ordinary numbers, dates, versions or commit ids for personal data', () => {
    // Prepare
    const mapping = createMapping();
    const text =
      'On 2024-03-14 at 14:02:11 UTC, PostgreSQL 15.4 on db-1 hit 95% CPU; 1,234,567 rows were scanned in 4111 ms. Commit 3f9c2a7e1b4d5f60718293a4b5c6d7e8f9012345 rolled back v2.3.1. Error rate 38%. Order 1234567.';

    // Act
    const output = redact(text, mapping);

    // Assess
    expect(output).toBe(text);
  });

  it('checks card numbers with Luhn', () => {
    // Prepare
    const mapping = createMapping();

    // Act
    const output = redact('Cards 4111 1111 1111 1111 and 4111 1111 1111 1112.', mapping);

    // Assess
    expect(output).toBe('Cards [CARD-1] and 4111 1111 1111 1112.');
  });

  it('redacts only the credentials of a URL, keeping the scheme and host', () => {
    // Prepare
    const mapping = createMapping();

    // Act
    const output = redact('DSN postgres://app:s3cretPass@db.internal:5432/orders failed.', mapping);

    // Assess
    expect(output).toBe('DSN postgres://[CREDENTIALS-1]@db.internal:5432/orders failed.');
  });
});
