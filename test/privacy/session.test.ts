/**
 * The redaction session over a state store: a document redacts the same whichever documents the
 * session redacted before it, and the names its own text cues are found in its title and sections.
 */
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/index.ts';
import { ingestBytes } from '../../src/ingest/index.ts';
import { createRedactor, RedactionSession } from '../../src/privacy/index.ts';
import type { Postmortem } from '../../src/schemas/index.ts';
import { MemoryItemTable } from '../../src/store/item-table.ts';
import { StateStore } from '../../src/store/state-store.ts';

const SECRET = 'a-test-corpus-secret';

function postmortemOf(name: string, markdown: string): Postmortem {
  const outcome = ingestBytes(new TextEncoder().encode(markdown), `${name}.md`, name);
  if (!('postmortem' in outcome)) throw new Error(`${name} was not ingested`);
  return outcome.postmortem;
}

async function newSession(): Promise<RedactionSession> {
  const { catalog } = await loadCatalog();
  return new RedactionSession(new StateStore(new MemoryItemTable()), createRedactor(catalog), SECRET);
}

const cueing = postmortemOf(
  'cueing',
  '# Queue backlog\n\n**Incident commander:** Amara Okonkwo\n\n## Timeline\n\n10:02 Amara paged the database team.',
);
const uncued = postmortemOf(
  'uncued',
  '# Cache eviction storm\n\n## Timeline\n\n09:40 Amara flushed the Redis cluster by hand.\n\n## Root cause\n\nA bad TTL.',
);

describe('a redaction session', () => {
  it('redacts a document the same alone and after a document that cues one of its words as a name', async () => {
    // Prepare
    const [first, second] = [await newSession(), await newSession()];

    // Act
    const alone = await first.redactPostmortem(uncued);
    await second.redactPostmortem(cueing);
    const after = await second.redactPostmortem(uncued);

    // Assess
    expect(after).toEqual(alone);
    expect(alone.text).toContain('09:40 Amara flushed');
  });

  it('finds the names its full text cues in its sections, with the placeholder of the full text', async () => {
    // Prepare
    const session = await newSession();

    // Act
    const redacted = await session.redactPostmortem(cueing);

    // Assess
    const placeholder = /Incident commander: (\[PERSON-[0-9a-f]+\])/.exec(redacted.text)?.[1] ?? 'none';
    const timeline = redacted.sections.find((section) => section.heading === 'Timeline')?.text ?? '';
    expect(JSON.stringify(redacted)).not.toContain('Amara');
    expect(timeline).toMatch(/^10:02 \[PERSON-[0-9a-f]+\] paged the database team\.$/);
    expect(placeholder).toMatch(/^\[PERSON-[0-9a-f]{12}\]$/);
  });
});
