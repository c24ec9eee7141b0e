/**
 * A prefilter for long lists of cue patterns tested against many sentences. Most cues match no
 * sentence, yet each `test` scans the whole sentence. From each pattern's syntax tree (parsed by
 * @eslint-community/regexpp) we prove a set of word prefixes ("anchors") one of which must start a
 * word of any text the pattern matches. A sentence's words are looked up once, and only the cues
 * whose anchors are there are tested. The prefilter only ever skips a cue that cannot match, so
 * the answers are those of testing every cue (test/text/cue-index.test.ts checks that on real text).
 *
 * A word here is a maximal run of ASCII word characters ([A-Za-z0-9_], what `\b` sees without the
 * u or v flag), lower-cased. An anchor is proven only where the pattern itself guarantees a word
 * start: right after `\b`, `^`, or a character that is never a word character (a space, `\s`,
 * `[-,]`). Patterns with the u or v flag (whose case folding maps some non-ASCII letters to ASCII
 * ones) get no anchors, nor does any pattern where no anchor can be proven: those are always tested.
 */
import { RegExpParser, type AST } from '@eslint-community/regexpp';

const WORD_CHARACTER = /^[A-Za-z0-9_]$/;
const WORD = /[A-Za-z0-9_]+/g;

/** What a part of a pattern proves: anchor sets (any one set is a necessary condition), and whether it ends at a word start. */
interface Reading {
  /** Each set: every match of the part holds a word that starts with one of these prefixes. */
  anchors: Array<Set<string>>;
  /** Whether the position after the part is always a word start (preceded by a non-word character or the text's start). */
  endsAtWordStart: boolean;
}

function isWordCode(code: number): boolean {
  return WORD_CHARACTER.test(String.fromCodePoint(code));
}

/** Whether a character class or escape can only match characters that are not word characters. */
function neverWord(node: AST.CharacterClass | AST.CharacterSet | AST.ExpressionCharacterClass): boolean {
  if (node.type === 'CharacterSet') {
    if (node.kind === 'space') return !node.negate;
    if (node.kind === 'word') return node.negate;
    return false;
  }
  if (node.type !== 'CharacterClass' || node.negate) return false;
  return node.elements.every((element) => {
    if (element.type === 'Character') return !isWordCode(element.value);
    if (element.type === 'CharacterClassRange') {
      for (let code = element.min.value; code <= element.max.value && code < 128; code += 1)
        if (isWordCode(code)) return false;
      return true;
    }
    if (element.type === 'CharacterSet') return neverWord(element);
    return false;
  });
}

/** The tighter of two anchor sets: the longer shortest prefix, then the fewer prefixes. */
function better(left: Set<string>, right: Set<string>): Set<string> {
  const shortest = (set: Set<string>) => Math.min(...[...set].map((prefix) => prefix.length));
  const [l, r] = [shortest(left), shortest(right)];
  if (l !== r) return l > r ? left : right;
  return left.size <= right.size ? left : right;
}

function best(sets: ReadonlyArray<Set<string>>): Set<string> | undefined {
  let chosen: Set<string> | undefined;
  for (const set of sets) chosen = chosen === undefined ? set : better(chosen, set);
  return chosen;
}

/** The alternatives of a group or pattern: each must prove a set, and any match holds one of their union. */
function readAlternatives(alternatives: readonly AST.Alternative[], atWordStart: boolean): Reading {
  const union = new Set<string>();
  let every = true;
  let endsAtWordStart = true;
  for (const alternative of alternatives) {
    const reading = readSequence(alternative.elements, atWordStart);
    endsAtWordStart &&= reading.endsAtWordStart;
    const chosen = best(reading.anchors);
    if (chosen === undefined) every = false;
    else for (const prefix of chosen) union.add(prefix);
  }
  return { anchors: every && union.size > 0 ? [union] : [], endsAtWordStart };
}

function readSequence(elements: readonly AST.Element[], atWordStart: boolean): Reading {
  const anchors: Array<Set<string>> = [];
  let wordStart = atWordStart;
  // A run of literal word characters that began at a word start, lower-cased.
  let run: string | undefined;
  const endRun = () => {
    if (run) anchors.push(new Set([run]));
    run = undefined;
  };
  for (const element of elements) {
    if (element.type === 'Character') {
      if (isWordCode(element.value)) {
        const letter = String.fromCodePoint(element.value).toLowerCase();
        if (run !== undefined) run += letter;
        else if (wordStart) run = letter;
        wordStart = false;
      } else {
        endRun();
        wordStart = true;
      }
      continue;
    }
    endRun();
    switch (element.type) {
      case 'Assertion':
        if (element.kind === 'word') wordStart = !element.negate;
        else if (element.kind === 'start') wordStart = true;
        else if (element.kind === 'end') wordStart = false;
        // A lookaround consumes nothing: what holds before it holds after it.
        break;
      case 'CharacterClass':
      case 'CharacterSet':
      case 'ExpressionCharacterClass':
        wordStart = neverWord(element);
        break;
      case 'Group':
      case 'CapturingGroup': {
        const reading = readAlternatives(element.alternatives, wordStart);
        anchors.push(...reading.anchors);
        wordStart = reading.endsAtWordStart;
        break;
      }
      case 'Quantifier': {
        const body = element.element;
        const alternatives: readonly AST.Alternative[] | undefined =
          body.type === 'Group' || body.type === 'CapturingGroup' ? body.alternatives : undefined;
        const readBody = (entry: boolean): Reading =>
          alternatives ? readAlternatives(alternatives, entry) : readSequence([body as AST.Element], entry);
        // What follows a repetition starts where its last turn ended, or where it began if it ran no turn.
        const ending = readBody(false).endsAtWordStart;
        if (element.min >= 1) {
          anchors.push(...readBody(wordStart).anchors);
          wordStart = ending;
        } else wordStart = wordStart && ending;
        break;
      }
      default:
        // A back-reference: unknown text.
        wordStart = false;
    }
  }
  endRun();
  return { anchors, endsAtWordStart: wordStart };
}

/**
 * The word prefixes one of which starts a word of every text `pattern` matches, or undefined when
 * no such set can be proven (the pattern must then always be tested).
 */
export function anchorsOf(pattern: RegExp): ReadonlySet<string> | undefined {
  if (pattern.unicode || pattern.flags.includes('v')) return undefined;
  const parsed = new RegExpParser().parsePattern(pattern.source, undefined, undefined, {
    unicode: false,
    unicodeSets: false,
  });
  // A match may begin anywhere: at its first position nothing is known.
  return best(readAlternatives(parsed.alternatives, false).anchors);
}

/** The distinct lower-cased words of a text, as the prefilter sees them. */
export function wordsOf(text: string): Set<string> {
  const words = new Set<string>();
  for (const match of text.matchAll(WORD)) words.add(match[0].toLowerCase());
  return words;
}

/** Cue patterns with their anchors, for finding which of them may match a text. */
export class CueIndex {
  /** Cues with no proven anchors: always candidates. */
  private readonly unanchored: number[] = [];
  /** Anchors by their first two characters (one-character anchors under that one character). */
  private readonly byStart = new Map<string, Array<{ prefix: string; cues: number[] }>>();

  constructor(readonly patterns: readonly RegExp[]) {
    const cuesOf = new Map<string, number[]>();
    patterns.forEach((pattern, cue) => {
      const anchors = anchorsOf(pattern);
      if (anchors === undefined) {
        this.unanchored.push(cue);
        return;
      }
      for (const prefix of anchors) {
        const list = cuesOf.get(prefix) ?? [];
        list.push(cue);
        cuesOf.set(prefix, list);
      }
    });
    for (const [prefix, cues] of cuesOf) {
      const key = prefix.slice(0, 2);
      const bucket = this.byStart.get(key) ?? [];
      bucket.push({ prefix, cues });
      this.byStart.set(key, bucket);
    }
  }

  /** How many patterns are always tested (no anchors proven). */
  get alwaysTested(): number {
    return this.unanchored.length;
  }

  /** A flag per pattern: 1 where the pattern may match `text`, 0 where it cannot. */
  candidates(text: string): Uint8Array {
    const flags = new Uint8Array(this.patterns.length);
    for (const cue of this.unanchored) flags[cue] = 1;
    for (const word of wordsOf(text)) {
      for (const key of word.length >= 2 ? [word.slice(0, 1), word.slice(0, 2)] : [word]) {
        const bucket = this.byStart.get(key);
        if (bucket === undefined) continue;
        for (const { prefix, cues } of bucket) if (word.startsWith(prefix)) for (const cue of cues) flags[cue] = 1;
      }
    }
    return flags;
  }
}
