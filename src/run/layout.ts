/**
 * The one key layout of a corpus's outputs, the same in a local output folder and in the
 * artifacts bucket.
 *
 * ```
 * docs/<docId>/postmortem.json        the ingested document (normalized text, sections, hash)
 * docs/<docId>/summary.json           summarize's output
 * docs/<docId>/classification.json    classify's output (after the attribution guard)
 * docs/<docId>/digests/<tech>.json    analyze's output, one per causal technology
 * docs/<docId>/document.json          the document as the report shows it, with its evidence check
 * docs/<docId>.md                     a readable page per document
 * cache/<stage>/<hash>.json           content-addressed stage results (S3; a local folder packs them
 *                                     into cache/packs/*.jsonl, src/stages/packed-cache.ts)
 * runs/<runId>/manifest-<n>.json      a run's work items (AWS)
 * runs/<runId>/patterns.json          the fold's intermediates
 * runs/<runId>/opportunities.json
 * runs/<runId>/report/                the report as that run wrote it
 * report/                             the latest report: report.html, report.md, report.json, digests.csv
 * report-restored/                    that report with personal data put back (--restore-pii; internal use only)
 * review/queue.json                   the review queue of the latest report
 * run.json                            the CLI's last run record
 * ```
 */
export const layout = {
  documentFolder: (docId: string) => `docs/${docId}/`,
  postmortem: (docId: string) => `docs/${docId}/postmortem.json`,
  summary: (docId: string) => `docs/${docId}/summary.json`,
  classification: (docId: string) => `docs/${docId}/classification.json`,
  digest: (docId: string, technology: string) => `docs/${docId}/digests/${encodeURIComponent(technology)}.json`,
  document: (docId: string) => `docs/${docId}/document.json`,
  page: (docId: string) => `docs/${docId}.md`,
  cache: 'cache',
  manifest: (runId: string, round: number) => `runs/${runId}/manifest-${round}.json`,
  patterns: (runId: string) => `runs/${runId}/patterns.json`,
  opportunities: (runId: string) => `runs/${runId}/opportunities.json`,
  runReport: (runId: string) => `runs/${runId}/report/`,
  latestReport: 'report/',
  restoredReport: 'report-restored/',
  reviewQueue: 'review/queue.json',
  runRecord: 'run.json',
} as const;

/** Whether a key is a document as the report shows it (`docs/<docId>/document.json`): what the fold reads back. */
export function isDocumentKey(key: string): boolean {
  return (
    key.startsWith('docs/') &&
    key.endsWith('/document.json') &&
    key.indexOf('/', 'docs/'.length) === key.length - '/document.json'.length
  );
}

/** The files of a report, their names under a report folder and their media types. */
export const REPORT_FILES = [
  ['report.html', 'text/html'],
  ['report.md', 'text/markdown'],
  ['report.json', 'application/json'],
  ['digests.csv', 'text/csv'],
] as const;
