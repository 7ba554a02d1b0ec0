/**
 * Strict UTF-8 decoding of NDJSON chunks that end on line boundaries, with the failing line
 * located when the bytes are not valid UTF-8.
 * @module
 */
import { InputParseError } from '../../errors.ts';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes a chunk of whole lines.
 * @param bytes - UTF-8 bytes that end at a line boundary (or at the end of the input).
 * @param where - File name for the error location.
 * @param firstLine - Number of the chunk's first line (default 1).
 * @returns The text.
 * @throws {@link InputParseError} naming the line that is not valid UTF-8.
 */
export function decodeLines(bytes: Uint8Array, where?: string, firstLine = 1): string {
  try {
    return decoder.decode(bytes);
  } catch {
    let start = 0;
    let line = firstLine;
    for (;;) {
      const nl = bytes.indexOf(0x0a, start);
      const end = nl === -1 ? bytes.length : nl;
      try {
        decoder.decode(bytes.subarray(start, end));
      } catch {
        break;
      }
      if (nl === -1) break;
      start = nl + 1;
      line++;
    }
    throw new InputParseError('input is not valid UTF-8', { location: where === undefined ? { line } : { file: where, line } });
  }
}
