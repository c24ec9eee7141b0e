import type { SkipReasonCode } from '../schemas/index.ts';

export class DecodeError extends Error {
  constructor(
    readonly code: SkipReasonCode,
    message: string,
  ) {
    super(message);
  }
}

/** Share of control characters (other than tab, newline, carriage return, form feed) that marks binary. */
const CONTROL_SHARE_LIMIT = 0.1;

/**
 * Bytes to text: refuses empty, binary and undecodable input with a reason. UTF-8 (with or
 * without BOM) and UTF-16 with a BOM are accepted.
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes.length === 0) throw new DecodeError('empty', 'the file is empty');
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = decodeStrict('utf-16le', bytes.subarray(2));
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = decodeStrict('utf-16be', bytes.subarray(2));
  else {
    const sample = bytes.subarray(0, 8192);
    if (sample.includes(0)) throw new DecodeError('binary', 'the file holds NUL bytes: it looks binary');
    text = decodeStrict('utf-8', bytes);
  }
  text = text.replace(/^\uFEFF/, '');
  const sample = text.slice(0, 8192);
  let control = 0;
  for (const character of sample) {
    const code = character.charCodeAt(0);
    if ((code < 32 && ![9, 10, 12, 13].includes(code)) || code === 0xfffd) control += 1;
  }
  if (sample.length > 0 && control / sample.length > CONTROL_SHARE_LIMIT) {
    throw new DecodeError('binary', 'the file is mostly control characters: it looks binary');
  }
  if (!text.trim()) throw new DecodeError('empty', 'the file holds only whitespace');
  return text;
}

function decodeStrict(encoding: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    throw new DecodeError('undecodable', `the file is not valid ${encoding.toUpperCase()} text`);
  }
}
