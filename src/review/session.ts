/**
 * The interactive review: each queued item with its cited quotes next to the source passages that
 * hold them, then `[u]p [d]own [e]dit [s]kip [q]uit > `. One answer a line, so it works in a
 * terminal (readline line editing) and from a pipe or script alike; every answer is stored as a
 * vote at once, so quitting (q, end of input, Ctrl-C) loses nothing.
 */
import { createInterface } from 'node:readline';
import type { StateStore, Vote } from '../store/state-store.ts';
import type { SourcePassage } from './passages.ts';
import type { ReviewItem } from './queue.ts';

export interface EvidenceView {
  quote: string;
  /** The source passage holding the quote; null when the quote is not in the source. */
  passage: SourcePassage | null;
}

export interface ItemView {
  evidence: EvidenceView[];
  /** Shown instead of passages when the source could not be read. */
  note?: string;
}

export type CorrectionCheck = { value: string } | { error: string };

export interface ReviewSessionOptions {
  items: readonly ReviewItem[];
  store: Pick<StateStore, 'putVote'>;
  reviewer: string;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Whether input and output are a terminal (readline line editing and echo). */
  terminal?: boolean;
  /** The evidence of an item next to its source passages. */
  describe(item: ReviewItem): Promise<ItemView>;
  /** What to ask for an edit; default correctionPromptFor(item). */
  correctionPrompt?(item: ReviewItem): string;
  /** Validate and normalize a correction (e.g. catalog names for classify items). */
  checkCorrection?(item: ReviewItem, text: string): CorrectionCheck;
  now?(): Date;
}

export interface ReviewSessionResult {
  votes: Vote[];
  /** True when the reviewer quit (q or end of input) before the last item. */
  quit: boolean;
}

export const ACTION_PROMPT = '[u]p [d]own [e]dit [s]kip [q]uit > ';

/** What an edit of an item takes: catalog technology names for a classification, text for anything else. */
export function editHintFor(item: Pick<ReviewItem, 'stage'>): string {
  return item.stage === 'classify'
    ? 'edit: give the causal technologies, by catalog name'
    : 'edit: give the right text';
}

/**
 * The edit prompt of an item, saying what it takes and how to cancel: a classification edit takes
 * the document's causal technologies by catalog name; a summary field or a digest takes new text.
 */
export function correctionPromptFor(item: Pick<ReviewItem, 'stage' | 'field'>): string {
  if (item.stage === 'classify')
    return 'causal technologies of this document, catalog names, comma-separated ("none" for none; empty line to cancel) > ';
  if (item.stage === 'analyze')
    return `corrected digest text for ${item.field.replace(/^digest:/, '')} (empty line to cancel) > `;
  return `corrected text of ${item.field} (empty line to cancel) > `;
}

/** An answer at the edit prompt that cancels the edit: an empty line or q. */
export function cancelsEdit(answer: string): boolean {
  const word = answer.trim().toLowerCase();
  return word === '' || word === 'q' || word === 'quit';
}

type Action = 'up' | 'down' | 'edit' | 'skip' | 'quit';

export function parseAction(answer: string): Action | undefined {
  const word = answer.trim().toLowerCase();
  if (word === 'u' || word === 'up' || word === '+') return 'up';
  if (word === 'd' || word === 'down' || word === '-') return 'down';
  if (word === 'e' || word === 'edit') return 'edit';
  if (word === 's' || word === 'skip') return 'skip';
  if (word === 'q' || word === 'quit' || word === 'exit') return 'quit';
  return undefined;
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');
}

/** The block shown for one item. */
export function renderItem(position: number, total: number, item: ReviewItem, view: ItemView): string {
  const lines = [
    '',
    `=== [${position}/${total}] ${item.title} (${item.docId})`,
    `    stage: ${item.stage} | field: ${item.field} | reasons: ${item.reasons.join(', ') || 'none'}`,
    `    item: ${item.id} | prompt: ${item.promptVersion} | model: ${item.model}`,
    '',
    'Claim:',
    indent(item.text, '  '),
    '',
  ];
  if (item.evidence.length === 0) lines.push('Evidence: none cited');
  else {
    lines.push('Evidence:');
    if (view.note) lines.push(`  (${view.note})`);
    view.evidence.forEach((entry, index) => {
      lines.push(`  ${index + 1}. "${entry.quote}"`);
      if (view.note) return;
      if (entry.passage === null) lines.push('     source: NOT FOUND in the source document');
      else
        lines.push(`     source${entry.passage.heading ? ` (${entry.passage.heading})` : ''}: ${entry.passage.text}`);
    });
  }
  lines.push('');
  return `${lines.join('\n')}\n`;
}

/** Ask about every item in turn and store each answer as a vote. */
export async function runReviewSession(options: ReviewSessionOptions): Promise<ReviewSessionResult> {
  const { items, output } = options;
  const now = options.now ?? (() => new Date());
  const rl = createInterface({ input: options.input, output, terminal: options.terminal ?? false });
  const lines = rl[Symbol.asyncIterator]();
  rl.on('SIGINT', () => rl.close());
  const ask = async (prompt: string): Promise<string | null> => {
    rl.setPrompt(prompt);
    rl.prompt();
    const next = await lines.next();
    if (next.done) return null;
    // Without a terminal nothing echoes the answer: write it, so a scripted transcript reads like a session.
    if (!options.terminal) output.write(`${next.value}\n`);
    return next.value;
  };
  const votes: Vote[] = [];
  try {
    for (const [index, item] of items.entries()) {
      output.write(renderItem(index + 1, items.length, item, await options.describe(item)));
      let recorded: Vote | undefined;
      while (!recorded) {
        const answer = await ask(ACTION_PROMPT);
        if (answer === null) return { votes, quit: true };
        const action = parseAction(answer);
        if (action === undefined) {
          output.write(`  answer u (up: correct), d (down: wrong), e (${editHintFor(item)}), s (skip) or q (quit)\n`);
          continue;
        }
        if (action === 'quit') return { votes, quit: true };
        let correction: string | undefined;
        if (action === 'edit') {
          for (;;) {
            const text = await ask(options.correctionPrompt?.(item) ?? correctionPromptFor(item));
            if (text === null) return { votes, quit: true };
            if (cancelsEdit(text)) break;
            const checked = options.checkCorrection ? options.checkCorrection(item, text) : { value: text.trim() };
            if ('error' in checked) {
              output.write(`  ${checked.error}\n`);
              continue;
            }
            correction = checked.value;
            break;
          }
          if (correction === undefined) {
            output.write('  edit cancelled, nothing recorded\n');
            continue;
          }
        }
        recorded = {
          itemId: item.id,
          reviewer: options.reviewer,
          vote: action,
          stage: item.stage,
          docId: item.docId,
          promptVersion: item.promptVersion,
          model: item.model,
          at: now().toISOString(),
          ...(correction !== undefined ? { correction } : {}),
        };
      }
      await options.store.putVote(recorded);
      votes.push(recorded);
      output.write(
        `  recorded: ${recorded.vote}${recorded.correction !== undefined ? ` -> ${recorded.correction}` : ''}\n`,
      );
    }
    return { votes, quit: false };
  } finally {
    rl.close();
  }
}
