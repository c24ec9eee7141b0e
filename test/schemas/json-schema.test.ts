import { describe, expect, it } from 'vitest';
import { EXPORTED_SCHEMAS, jsonSchemaOf, Summary, type ExportedSchemaName } from '../../src/schemas/index.ts';

describe('JSON Schema export', () => {
  it('exports every stage schema as an object schema with its required fields', () => {
    // Prepare
    const names = Object.keys(EXPORTED_SCHEMAS) as ExportedSchemaName[];

    // Act
    const schemas = names.map((name) => [name, jsonSchemaOf(name)] as const);

    // Assess
    for (const [name, schema] of schemas) {
      expect(schema.type, name).toBe('object');
      expect(Array.isArray(schema.required), name).toBe(true);
    }
    const summary = jsonSchemaOf('Summary') as {
      required: string[];
      properties: Record<string, { description?: string }>;
    };
    expect(summary.required).toEqual(
      expect.arrayContaining(['issue', 'rootCauses', 'impact', 'resolution', 'preventiveActions']),
    );
    expect(summary.properties.issue?.description).toMatch(/went wrong/);
  });

  it('keeps the zod schema and the exported one in agreement on a valid summary', () => {
    // Prepare
    const summary = {
      docId: 'doc-1',
      issue: { text: 'Checkout failed.', evidence: ['Checkout failed.'] },
      rootCauses: [],
      impact: { text: 'not stated', evidence: [] },
      resolution: { text: 'not stated', evidence: [] },
      preventiveActions: [],
    };

    // Act
    const parsed = Summary.safeParse(summary);
    const missingField = Summary.safeParse({ ...summary, impact: undefined });

    // Assess
    expect(parsed.success).toBe(true);
    expect(missingField.success).toBe(false);
  });
});
