/**
 * NDJSON anonymization from bytes to bytes, one line at a time: each line is decoded, anonymized
 * and encoded on its own, so no string larger than one line is ever built. This keeps large,
 * long-lived strings out of the engine's heap (the CLI's workers use it), and gives exactly the
 * bytes of {@link anonymizeNdjsonText} followed by UTF-8 encoding (the same rules: LF or CRLF,
 * blank lines skipped but counted, a byte order mark dropped at the start, strict UTF-8).
 * @module
 */
import { InputParseError } from '../../errors.ts';
import { DEFAULT_MAX_LINE_CHARS } from './lines.ts';
import { anonymizeNdjsonLineTo } from './ndjson.ts';
import { Utf8Sink } from '../utf8-sink.ts';
import type { NdjsonOptions } from './ndjson.ts';
import type { JsonAnonymizer } from './types.ts';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Result of {@link anonymizeNdjsonBytes}. */
export interface NdjsonBytesResult {
  /** Anonymized lines, each followed by `\n`, as UTF-8. */
  readonly output: Uint8Array;
  /** Lines consumed, blank ones included. */
  readonly lines: number;
  /** Resources (non-blank lines) anonymized. */
  readonly resources: number;
}

function isBlankBytes(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = bytes[i]!;
    if (b !== 0x20 && b !== 0x09 && b !== 0x0d) return false;
  }
  return true;
}

/**
 * Anonymizes whole NDJSON lines given as UTF-8 bytes (the last line may lack its newline).
 * @param anonymizer - The engine.
 * @param bytes - Whole lines of NDJSON.
 * @param options - As for {@link anonymizeNdjsonText}: scope names, validators, `firstLine`, `atStart`.
 * @returns The output bytes and counts.
 * @throws {@link InputParseError} for invalid UTF-8 or an over-long line; other `AnonymizerError`s located at the failing line.
 * @example Bytes in, bytes out
 * ```ts
 * import { anonymizeNdjsonBytes, createFhirAnonymizer } from 'health-anonymizer/fhir';
 * import { getFhirProfile } from 'health-anonymizer/config';
 * const anonymizer = createFhirAnonymizer(getFhirProfile('hipaa-safe-harbor', 'R4'));
 * const { output } = anonymizeNdjsonBytes(anonymizer, new TextEncoder().encode('{"resourceType":"Patient"}\n'));
 * ```
 */
export function anonymizeNdjsonBytes(
  anonymizer: JsonAnonymizer,
  bytes: Uint8Array,
  options: NdjsonOptions & { readonly firstLine?: number; readonly atStart?: boolean } = {},
): NdjsonBytesResult {
  const where = options.displayName ?? options.file;
  const maxChars = options.maxLineChars ?? DEFAULT_MAX_LINE_CHARS;
  const sink = new Utf8Sink(bytes.length + (bytes.length >> 2));
  let line = options.firstLine ?? 1;
  let start = 0;
  if ((options.atStart ?? true) && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  let resources = 0;
  let lines = 0;
  while (start < bytes.length) {
    const nl = bytes.indexOf(0x0a, start);
    const end = nl === -1 ? bytes.length : nl;
    let stop = end;
    if (stop > start && bytes[stop - 1] === 0x0d) stop--;
    lines++;
    if (stop > start && !isBlankBytes(bytes, start, stop)) {
      let text: string;
      try {
        text = decoder.decode(bytes.subarray(start, stop));
      } catch {
        throw new InputParseError('input is not valid UTF-8', { location: where === undefined ? { line } : { file: where, line } });
      }
      if (text.length > maxChars) {
        throw new InputParseError(`line longer than ${maxChars} characters`, { location: where === undefined ? { line } : { file: where, line } });
      }
      anonymizeNdjsonLineTo(anonymizer, { line, text }, options, sink, { bytes, start, end: stop });
      sink.byte(0x0a);
      resources++;
    }
    line++;
    if (nl === -1) break;
    start = nl + 1;
  }
  return { output: sink.output(), lines, resources };
}
