/**
 * Counts the debris in the offline summaries' root causes and issue over the DEVELOPMENT sets:
 * quoted sentences that state nothing about the incident (greetings, sign-offs, mail headers,
 * table rows, checkboxes, timeline or status stamps without a cause, bylines, meta-sentences that
 * point at the write-up or elsewhere, sentences that clear a component instead of stating a cause,
 * questions) and claims shown twice. The checks are deliberately independent of the engine's own
 * filters (src/engines/offline/cause-sentences.ts): a plain, conservative reading of each quote.
 *
 *   npx tsx bench/summary-debris.ts [--sets datasets/dev-a,datasets/dev-c] [--list]
 *
 * --list prints every debris quote with its set, case and kind.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { summarizeOffline } from '../src/engines/offline/summarize.ts';
import { ingestSource } from '../src/ingest/index.ts';
import { assertDevelopmentSet, DEVELOPMENT_SETS } from './training-sets.ts';

type Field = 'issue' | 'rootCause';

/** Each kind of debris with the test that finds it in one quoted sentence. */
const KINDS: ReadonlyArray<readonly [string, (quote: string, field: Field, title: string) => boolean]> = [
  ['greeting or sign-off', (quote) => /^(?:hi|hello|hey|dear|thanks|thank you|cheers|regards|best,)\b/i.test(quote)],
  ['mail header', (quote) => /^(?:from|to|cc|bcc|subject|date|sent|reply-to)\s*:/i.test(quote)],
  [
    'apology',
    (quote) =>
      /^(?:we(?:'re| are)|i(?:'m| am)) (?:\w+ )?sorry\b|^(?:we|i) (?:\w+ )?apologi[sz]e\b|^sorry (?:to|for)\b|^(?:our )?apologies\b/i.test(
        quote,
      ),
  ],
  ['table row', (quote) => quote.startsWith('|') || quote.includes(' | ')],
  [
    'chat or comment header',
    (quote) =>
      /^(?:@[\w.-]+:\s|(?:comment|reply|posted) by\b)/i.test(quote) ||
      /^[A-Z][\w'-]+\s+[A-Z][\w'-]*\.?\s+\[?\d{1,2}:\d{2}\]?:?\s/.test(quote) ||
      /(?:^|\s)(?:-{2,}|={2,})\s[^-=]{3,80}\s(?:-{2,}|={2,})(?:\s|$)/.test(quote),
  ],
  [
    'ticket fields',
    (quote) =>
      (quote.match(/\b(?:priority|severity|reporter|assignee|status|component|labels?|owner)\s*:\s*\S/gi) ?? [])
        .length >= 2,
  ],
  ['title repeated', (quote, _field, title) => title.split(/\s+/).length >= 3 && keyOf(quote).startsWith(keyOf(title))],
  ['checkbox', (quote) => /\[[ xX]\]|[\u2610\u2611\u2612]/.test(quote)],
  [
    'byline or header',
    (quote) =>
      (quote.match(/\s\u00b7\s/g) ?? []).length >= 2 ||
      /^(?:distribution|audience|authors?|written by|published|date of incident|reviewed in|circulated to)\b/i.test(
        quote,
      ),
  ],
  [
    'stamp without a cause',
    (quote) =>
      /^(?:\[?(?:resolved|identified|investigating|monitoring|update)\]?\b.{0,40}\d{1,2}:\d{2}|\[?\d{1,2}:\d{2}\]?\s)/i.test(
        quote,
      ) && !/\b(?:because|caused|due to|root cause|the cause)\b/i.test(quote),
  ],
  [
    'meta-sentence',
    (quote) =>
      /\b(?:(?:is|are|see|follows?) (?:below|above)|(?:share|publish|post) (?:a |the )?(?:short |full )?(?:summary|write-?up|update)|this (?:post|write-?up|document|report|note|page|review) (?:is|explains|covers|describes|will)|(?:i|we)(?:'m| am|'re| are) (?:writing|publishing)|worth (?:telling|writing|recording|noting)|(?:many|several|a few|some|two|three) (?:of you|people) (?:have )?asked|review meeting is|for the (?:monthly|weekly|quarterly) (?:ops )?review)\b/i.test(
        quote,
      ) || /\b(?:found|identified|know|determined) (?:the |a )?(?:root )?cause[.!]?$/i.test(quote),
  ],
  [
    'clears instead of causing',
    (quote, field) =>
      field === 'rootCause' &&
      /\b(?:(?:was|were|is|are)(?:n't| not) (?:the |a |part of the )?cause|not (?:involved|at fault|a kafka thing)|red herring|first (?:theory|guess|instinct|hypothesis|thought)|ruled out|as designed|worked correctly|behaved (?:normally|correctly))\b/i.test(
        quote,
      ),
  ],
  ['question', (quote, field) => field === 'rootCause' && /\?\s*$/.test(quote)],
  [
    'severity or impact as a cause',
    (quote, field) =>
      field === 'rootCause' &&
      (/^(?:\S+(?: \S+)?:\s+)?impact\b/i.test(quote) ||
        /\b(?:severity|sev(?:erity)?[- ]?\d|p[0-4])\b[^.]{0,40}\bbecause\b/i.test(quote)) &&
      !/\b(?:caused|due to|root cause|the cause|triggered)\b/i.test(quote),
  ],
];

function keyOf(quote: string): string {
  return quote
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[\s.,;:!?]+$/, '');
}

const { values } = parseArgs({ options: { sets: { type: 'string' }, list: { type: 'boolean' } } });
const sets = values.sets ? values.sets.split(',') : [...DEVELOPMENT_SETS];
const counts = new Map<string, number>([...KINDS.map(([kind]) => [kind, 0] as [string, number]), ['duplicate', 0]]);
let quotes = 0;
let documents = 0;
/** Documents whose issue came out "not stated": every postmortem says what went wrong. */
let issueNotStated = 0;
for (const set of sets) {
  assertDevelopmentSet(set);
  const lines = (await readFile(path.join(set, 'labels.jsonl'), 'utf8')).split('\n').filter(Boolean);
  for (const line of lines) {
    const label = JSON.parse(line) as { id: string; file: string };
    const outcome = await ingestSource(await readFile(path.join(set, label.file)), label.file, label.id);
    if (!outcome.ok) continue;
    documents += 1;
    const summary = summarizeOffline(outcome.postmortem);
    if (summary.issue.evidence.length === 0) {
      issueNotStated += 1;
      if (values.list) console.log(`${set} ${label.id} [issue] not stated`);
    }
    const quoted: Array<[string, Field]> = [
      ...summary.issue.evidence.map((quote): [string, Field] => [quote, 'issue']),
      ...summary.rootCauses.flatMap((claim) => claim.evidence.map((quote): [string, Field] => [quote, 'rootCause'])),
    ];
    const seen = new Set<string>();
    for (const [quote, field] of quoted) {
      quotes += 1;
      const kinds = KINDS.filter(([, test]) => test(quote, field, outcome.postmortem.title)).map(([kind]) => kind);
      if (seen.has(keyOf(quote))) kinds.push('duplicate');
      seen.add(keyOf(quote));
      for (const kind of kinds) {
        counts.set(kind, (counts.get(kind) ?? 0) + 1);
        if (values.list) console.log(`${set} ${label.id} [${field}] ${kind}: ${quote.slice(0, 160)}`);
      }
    }
  }
}
let total = 0;
for (const [kind, count] of counts) {
  total += count;
  console.log(`${kind.padEnd(28)} ${count}`);
}
console.log(`${'debris quotes, all kinds'.padEnd(28)} ${total} of ${quotes} quotes in ${documents} documents`);
console.log(`${'issue not stated'.padEnd(28)} ${issueNotStated} of ${documents} documents`);
