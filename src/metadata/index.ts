import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { ConfigurationError, messageOf } from '../errors.ts';
import { normalizeDate } from '../ingest/dates.ts';
import { documentIdOf, nameOf } from '../run/identity.ts';
import { IncidentMetadata } from '../schemas/index.ts';
import { normalizeSeverity } from './severity.ts';

export {
  normalizeSeverity,
  severityLevelOf,
  statedSeverity,
  SEVERITY_LEVELS,
  type NormalizedSeverity,
  type SeverityLevel,
} from './severity.ts';

/** Column names accepted for each field, compared without case, spaces, dashes or underscores. */
const COLUMNS: Record<keyof IncidentMetadata, string[]> = {
  id: ['id', 'incidentid', 'docid', 'incident'],
  date: ['date', 'incidentdate', 'startedat', 'openedat'],
  severity: ['severity', 'sev', 'priority'],
  durationMinutes: ['durationminutes', 'duration', 'durationmin', 'minutes'],
  customersAffected: ['customersaffected', 'customers', 'affectedcustomers', 'usersaffected'],
  cost: ['cost', 'costusd', 'estimatedcost', 'costdollars'],
};

/** At most this many unmatched ids are named one by one; the rest are counted. */
const MAX_NAMED_IDS = 20;

/**
 * A metadata file as read: its rows by id, and what was wrong with some cells (a row without an
 * id, a number that is not one, a date that names no day, a severity on no known scale, an id
 * given twice). Those cells are left out (an unknown severity is kept as written) and named in
 * `warnings`; `--strict` turns them into an error.
 */
export interface MetadataFile {
  file: string;
  rows: Map<string, IncidentMetadata>;
  warnings: string[];
}

function canonical(column: string): string {
  return column.toLowerCase().replace(/[\s_-]+/g, '');
}

function fieldOf(column: string): keyof IncidentMetadata | undefined {
  const name = canonical(column);
  return (Object.keys(COLUMNS) as Array<keyof IncidentMetadata>).find((field) => COLUMNS[field].includes(name));
}

function cellText(raw: unknown): string {
  return typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
}

function toRow(record: Record<string, unknown>, where: string, warnings: string[]): IncidentMetadata | undefined {
  const row: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [column, raw] of Object.entries(record)) {
    const field = fieldOf(column);
    if (!field || raw === null || raw === undefined || raw === '') continue;
    if (field === 'durationMinutes' || field === 'customersAffected' || field === 'cost') {
      const cleaned = typeof raw === 'number' ? String(raw) : cellText(raw).replace(/[$,\s]/g, '');
      if (cleaned === '') continue;
      const value = Number(cleaned);
      if (!Number.isFinite(value)) problems.push(`"${cellText(raw)}" in column ${column} is not a number (ignored)`);
      else if (value < 0) problems.push(`${column} ${value} is negative (ignored)`);
      else row[field] = value;
    } else if (field === 'date') {
      const day = normalizeDate(cellText(raw).trim());
      if (day) row.date = day;
      else
        problems.push(
          `"${cellText(raw)}" in column ${column} is not a date such as 2025-03-14 or 14 March 2025 (ignored)`,
        );
    } else if (field === 'severity') {
      const severity = normalizeSeverity(raw);
      if (!severity) continue;
      row.severity = severity.value;
      if (!severity.known)
        problems.push(
          `severity "${severity.value}" is on no known scale (SEV0-SEV5, P0-P5, S0-S5, critical/high/medium/low); kept as written, it scores no severity points`,
        );
    } else {
      row[field] = cellText(raw).trim();
    }
  }
  const id = typeof row.id === 'string' ? row.id : '';
  const label = id ? `${where} (${id})` : where;
  for (const problem of problems) warnings.push(`${label}: ${problem}`);
  if (!id) {
    warnings.push(`${where}: no id (the row is ignored)`);
    return undefined;
  }
  const parsed = IncidentMetadata.safeParse(row);
  if (!parsed.success) {
    warnings.push(
      `${label}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')} (the row is ignored)`,
    );
    return undefined;
  }
  return parsed.data;
}

/**
 * The optional incident-metadata file (CSV with a header row, or JSON: an array of objects),
 * keyed by incident id. Ids match document ids, or source names (the path without extension).
 * A file that cannot be read, parsed, or has no id column is a ConfigurationError.
 */
export async function readIncidentMetadata(file: string): Promise<MetadataFile> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigurationError(`cannot read the metadata file ${file}: ${messageOf(error)}`);
  }
  return parseIncidentMetadata(raw, file);
}

/** The same, from text already read (an S3 object); the name's extension selects JSON or CSV. */
export function parseIncidentMetadata(raw: string, file: string): MetadataFile {
  let records: Array<Record<string, unknown>>;
  let columns: string[];
  if (path.extname(file).toLowerCase() === '.json') {
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new ConfigurationError(`the metadata file ${file} is not valid JSON: ${messageOf(error)}`);
    }
    if (!Array.isArray(value))
      throw new ConfigurationError(`the metadata file ${file} must hold a JSON array of incidents`);
    records = value.filter(
      (item): item is Record<string, unknown> => item !== null && typeof item === 'object' && !Array.isArray(item),
    );
    if (records.length !== value.length)
      throw new ConfigurationError(`the metadata file ${file} must hold a JSON array of objects (one per incident)`);
    columns = [...new Set(records.flatMap((record) => Object.keys(record)))];
  } else {
    try {
      records = parseCsv(raw, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Array<
        Record<string, unknown>
      >;
    } catch (error) {
      throw new ConfigurationError(`the metadata file ${file} is not valid CSV: ${messageOf(error)}`);
    }
    const header = raw.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
    columns =
      records.length > 0
        ? Object.keys(records[0] ?? {})
        : header
            .split(',')
            .map((column) => column.trim())
            .filter(Boolean);
  }
  const recognised = columns.filter((column) => fieldOf(column) !== undefined);
  if (records.length > 0 && recognised.length === 0) {
    throw new ConfigurationError(
      `the metadata file ${file} has no recognised column (found ${columns.map((column) => `"${column}"`).join(', ') || 'none'}); expected id, date, severity, duration minutes, customers affected or cost`,
    );
  }
  if (records.length > 0 && !recognised.some((column) => fieldOf(column) === 'id')) {
    throw new ConfigurationError(
      `the metadata file ${file} has no id column (found ${columns.map((column) => `"${column}"`).join(', ')}); name it one of ${COLUMNS.id.join(', ')}`,
    );
  }
  const rows = new Map<string, IncidentMetadata>();
  const warnings: string[] = [];
  const firstRow = new Map<string, number>();
  records.forEach((record, index) => {
    const where = `${path.basename(file)} row ${index + 1}`;
    const row = toRow(record, where, warnings);
    if (!row) return;
    const earlier = firstRow.get(row.id);
    if (earlier !== undefined)
      warnings.push(`${where} (${row.id}): the id is also on row ${earlier}; this later row is used`);
    else firstRow.set(row.id, index + 1);
    rows.set(row.id, row);
  });
  return { file, rows, warnings };
}

/** The rows of a metadata file by id; its warnings are an error with `strict`, dropped otherwise. */
export async function loadIncidentMetadata(
  file: string,
  options: { strict?: boolean } = {},
): Promise<Map<string, IncidentMetadata>> {
  const loaded = await readIncidentMetadata(file);
  if (options.strict) throwIfStrict(loaded.file, loaded.warnings);
  return loaded.rows;
}

/** The same, from text already read (an S3 object). */
export function loadIncidentMetadataFromText(
  raw: string,
  file: string,
  options: { strict?: boolean } = {},
): Map<string, IncidentMetadata> {
  const loaded = parseIncidentMetadata(raw, file);
  if (options.strict) throwIfStrict(loaded.file, loaded.warnings);
  return loaded.rows;
}

/** With --strict, any warning about the metadata file is a ConfigurationError naming them all. */
export function throwIfStrict(file: string, warnings: readonly string[]): void {
  if (warnings.length === 0) return;
  const shown = warnings.slice(0, 10).map((warning) => `  ${warning}`);
  const more = warnings.length > shown.length ? [`  ...and ${warnings.length - shown.length} more`] : [];
  throw new ConfigurationError(
    `the metadata file ${file} has ${warnings.length} problem${warnings.length === 1 ? '' : 's'} (--strict):\n${[...shown, ...more].join('\n')}`,
  );
}

/**
 * Warnings for metadata ids that match no source: a row is matched by document id, by source
 * name (the key without extension) or by the key itself, as `metadataOf` looks rows up.
 */
export function unmatchedMetadataWarnings(
  file: string,
  rows: ReadonlyMap<string, IncidentMetadata>,
  sourceKeys: readonly string[],
): string[] {
  const known = new Set<string>();
  for (const key of sourceKeys) {
    known.add(key);
    known.add(nameOf(key));
    known.add(documentIdOf(key));
  }
  const unmatched = [...rows.keys()].filter((id) => !known.has(id)).sort();
  const name = path.basename(file);
  const named = unmatched
    .slice(0, MAX_NAMED_IDS)
    .map((id) => `${name}: id "${id}" matches no document in the input folder`);
  if (unmatched.length > MAX_NAMED_IDS)
    named.push(`${name}: ${unmatched.length - MAX_NAMED_IDS} more ids match no document in the input folder`);
  return named;
}
