import { stringify } from 'csv-stringify/sync';
import type { ReportData } from '../schemas/index.ts';

export const DIGEST_CSV_COLUMNS = [
  'doc_id',
  'title',
  'date',
  'technology',
  'fault_category',
  'contributing_factors',
  'digest',
] as const;

/**
 * digests.csv: one row per digest. Cells starting with =, +, -, @, tab or carriage return
 * are prefixed with a quote (csv-stringify's escape_formulas) so spreadsheets never run them.
 * A quarantined document's digests are not facts and are left out.
 */
export function renderDigestsCsv(data: ReportData): string {
  const rows = data.documents
    .filter((document) => document.quarantine === undefined)
    .flatMap((document) =>
      document.digests.map((digest) => [
        document.docId,
        document.title,
        document.date ?? '',
        digest.technology,
        digest.faultCategory,
        digest.contributingFactors.join('; '),
        digest.sentences.join(' '),
      ]),
    );
  return stringify(rows, {
    header: true,
    columns: [...DIGEST_CSV_COLUMNS],
    escape_formulas: true,
    record_delimiter: 'unix',
  });
}
