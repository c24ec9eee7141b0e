import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { ConfigurationError, messageOf } from '../errors.ts';
import { IncidentMetadata } from '../schemas/index.ts';

/** Column names accepted for each field, compared without case, spaces, dashes or underscores. */
const COLUMNS: Record<keyof IncidentMetadata, string[]> = {
  id: ['id', 'incidentid', 'docid', 'incident'],
  date: ['date', 'incidentdate', 'startedat', 'openedat'],
  severity: ['severity', 'sev', 'priority'],
  durationMinutes: ['durationminutes', 'duration', 'durationmin', 'minutes'],
  customersAffected: ['customersaffected', 'customers', 'affectedcustomers', 'usersaffected'],
  cost: ['cost', 'costusd', 'estimatedcost', 'costdollars'],
};

function canonical(column: string): string {
  return column.toLowerCase().replace(/[\s_-]+/g, '');
}

function fieldOf(column: string): keyof IncidentMetadata | undefined {
  const name = canonical(column);
  return (Object.keys(COLUMNS) as Array<keyof IncidentMetadata>).find((field) => COLUMNS[field].includes(name));
}

function toRow(record: Record<string, unknown>, where: string): IncidentMetadata {
  const row: Record<string, unknown> = {};
  for (const [column, raw] of Object.entries(record)) {
    const field = fieldOf(column);
    if (!field || raw === null || raw === undefined || raw === '') continue;
    if (field === 'durationMinutes' || field === 'customersAffected' || field === 'cost') {
      const cleaned = typeof raw === 'number' ? String(raw) : String(raw).replace(/[$,\s]/g, '');
      if (cleaned === '') continue;
      const value = Number(cleaned);
      if (!Number.isFinite(value)) throw new ConfigurationError(`${where}: "${String(raw)}" in column ${column} is not a number`);
      row[field] = value;
    } else {
      row[field] = String(raw).trim();
    }
  }
  const parsed = IncidentMetadata.safeParse(row);
  if (!parsed.success) throw new ConfigurationError(`${where}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  return parsed.data;
}

/**
 * The optional incident-metadata file (CSV with a header row, or JSON: an array of objects),
 * keyed by incident id. Ids match document ids.
 */
export async function loadIncidentMetadata(file: string): Promise<Map<string, IncidentMetadata>> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigurationError(`cannot read the metadata file ${file}: ${messageOf(error)}`);
  }
  return loadIncidentMetadataFromText(raw, file);
}

/** The same, from text already read (an S3 object); the name's extension selects JSON or CSV. */
export function loadIncidentMetadataFromText(raw: string, file: string): Map<string, IncidentMetadata> {
  let records: Array<Record<string, unknown>>;
  if (path.extname(file).toLowerCase() === '.json') {
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new ConfigurationError(`the metadata file ${file} is not valid JSON: ${messageOf(error)}`);
    }
    if (!Array.isArray(value)) throw new ConfigurationError(`the metadata file ${file} must hold a JSON array of incidents`);
    records = value as Array<Record<string, unknown>>;
  } else {
    try {
      records = parseCsv(raw, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Array<Record<string, unknown>>;
    } catch (error) {
      throw new ConfigurationError(`the metadata file ${file} is not valid CSV: ${messageOf(error)}`);
    }
  }
  const rows = new Map<string, IncidentMetadata>();
  records.forEach((record, index) => {
    const row = toRow(record, `${path.basename(file)} row ${index + 1}`);
    rows.set(row.id, row);
  });
  return rows;
}
