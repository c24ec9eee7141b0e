/**
 * Numbers in a model's structured output, checked against the ranges of the output tool's JSON
 * Schema before the stage schema sees them. Servers that compile the schema to a grammar
 * (llama.cpp) do not enforce `minimum`/`maximum`, and models write a confidence as a percentage.
 *
 * The rule, for every number the schema describes with a `minimum` and/or a `maximum`:
 * - on a field whose range is exactly [0, 1], a value in (1, 100] is a percentage and becomes
 *   value / 100 (85 -> 0.85, 100 -> 1);
 * - any other value outside the field's range (including 0 < value ≤ 1 on other fields, negative
 *   numbers, and more than 100 on a [0, 1] field) is left as it is and reported as a range
 *   problem that names the field and the allowed range, for the repair message.
 */

type JsonSchema = Record<string, unknown>;

export interface RangeProblem {
  /** The field, as a dotted path with indexes: `causal.0.confidence`. */
  path: string;
  minimum?: number;
  maximum?: number;
}

export interface RangeCheck {
  /** The output with percentages normalised (a copy; the input is not changed). */
  value: unknown;
  /** Fields whose percentage was normalised. */
  normalised: string[];
  problems: RangeProblem[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Resolves `#/definitions/x` and `#/$defs/x` references against the root schema. */
function resolve(schema: JsonSchema, root: JsonSchema, depth = 0): JsonSchema {
  const ref = schema.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/') || depth > 8) return schema;
  let target: unknown = root;
  for (const part of ref.slice(2).split('/'))
    target = isObject(target) ? target[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  return isObject(target) ? resolve(target, root, depth + 1) : schema;
}

/** The alternatives a value may match: the schema itself, or its anyOf/oneOf/allOf members. */
function alternatives(schema: JsonSchema, root: JsonSchema): JsonSchema[] {
  const resolved = resolve(schema, root);
  const members = [resolved.anyOf, resolved.oneOf, resolved.allOf].flatMap((list) =>
    Array.isArray(list) ? list.filter(isObject) : [],
  );
  return members.length > 0 ? members.flatMap((member) => alternatives(member, root)) : [resolved];
}

function bound(
  schema: JsonSchema,
  key: 'minimum' | 'maximum' | 'exclusiveMinimum' | 'exclusiveMaximum',
): number | undefined {
  const value = schema[key];
  return typeof value === 'number' ? value : undefined;
}

function walk(value: unknown, schema: JsonSchema, root: JsonSchema, path: string[], check: RangeCheck): unknown {
  const options = alternatives(schema, root);
  if (typeof value === 'number') {
    const numeric = options.find((option) => option.type === 'number' || option.type === 'integer');
    if (!numeric) return value;
    const minimum = bound(numeric, 'minimum') ?? bound(numeric, 'exclusiveMinimum');
    const maximum = bound(numeric, 'maximum') ?? bound(numeric, 'exclusiveMaximum');
    const below = minimum !== undefined && value < minimum;
    const above = maximum !== undefined && value > maximum;
    if (!below && !above) return value;
    const field = path.join('.') || '(root)';
    if (minimum === 0 && maximum === 1 && value > 1 && value <= 100) {
      check.normalised.push(field);
      return value / 100;
    }
    check.problems.push({
      path: field,
      ...(minimum === undefined ? {} : { minimum }),
      ...(maximum === undefined ? {} : { maximum }),
    });
    return value;
  }
  if (Array.isArray(value)) {
    const items = options.map((option) => option.items).find(isObject);
    return items ? value.map((item, index) => walk(item, items, root, [...path, String(index)], check)) : value;
  }
  if (isObject(value)) {
    const properties = options.map((option) => option.properties).find(isObject);
    if (!properties) return value;
    const copy: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      const fieldSchema = properties[key];
      copy[key] = isObject(fieldSchema) ? walk(field, fieldSchema, root, [...path, key], check) : field;
    }
    return copy;
  }
  return value;
}

/** Normalises percentages and finds out-of-range numbers in `value`, by the tool's JSON Schema. */
export function checkRanges(value: unknown, schema: JsonSchema): RangeCheck {
  const check: RangeCheck = { value, normalised: [], problems: [] };
  check.value = walk(value, schema, schema, [], check);
  return check;
}

function rangeText(problem: RangeProblem): string {
  if (problem.minimum !== undefined && problem.maximum !== undefined) return `[${problem.minimum}, ${problem.maximum}]`;
  if (problem.minimum !== undefined) return `at least ${problem.minimum}`;
  return `at most ${problem.maximum}`;
}

/** The repair message of range problems: each field and its allowed range. */
export function describeRangeProblems(problems: readonly RangeProblem[]): string {
  return problems
    .slice(0, 8)
    .map((problem) => {
      const fraction = problem.minimum === 0 && problem.maximum === 1 ? ' (a fraction: write 0.85 for 85%)' : '';
      return `${problem.path}: out of range, must be a number within ${rangeText(problem)}${fraction}`;
    })
    .join('; ');
}
