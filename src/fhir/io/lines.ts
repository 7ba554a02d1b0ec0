/**
 * NDJSON line splitting over text chunks and over a `ReadableStream<Uint8Array>`.
 *
 * Rules (documented in docs/cli.md):
 * - lines end at LF; a CR before the LF is dropped (CRLF files work);
 * - the last line needs no newline;
 * - a UTF-8 byte order mark at the very start is dropped;
 * - empty lines (nothing but spaces, tabs or CR) are skipped and produce no output line, but they
 *   still count, so every line number reported is the 1-based line of the input file
 *   (the reference tool aborts on them; a blank line carries no data, so skipping cannot leak);
 * - invalid UTF-8 is an error (fail secure), reported with its line number;
 * - a line longer than `maxLineChars` is an error, so memory stays bounded.
 * @module
 */
import { ByteQueue } from './byte-queue.ts';
import { InputParseError } from '../../errors.ts';
import { decodeLines } from './decode.ts';

/** One non-empty NDJSON line and its 1-based line number in the input. */
export interface NdjsonLine {
  /** 1-based line number in the input (blank lines counted). */
  readonly line: number;
  /** The line's text, without its line terminator. */
  readonly text: string;
}

/** Options of {@link LineSplitter} and {@link splitNdjsonLines}. */
export interface LineSplitOptions {
  /** File name used in error locations. */
  readonly file?: string;
  /** Number of the first line (default 1); used when a stream is cut into chunks. */
  readonly firstLine?: number;
  /** Longest accepted line, in UTF-16 code units (default 256 Mi). */
  readonly maxLineChars?: number;
  /** Whether the text starts at the beginning of the input, where a byte order mark is dropped (default true). */
  readonly atStart?: boolean;
}

/**
 * Default upper bound on one line's length, in UTF-16 code units (256 Mi).
 * @example Lowering the limit
 * ```ts
 * import { LineSplitter, DEFAULT_MAX_LINE_CHARS } from 'health-anonymizer/fhir';
 * new LineSplitter({ maxLineChars: Math.min(DEFAULT_MAX_LINE_CHARS, 16 * 1024 * 1024) });
 * ```
 */
export const DEFAULT_MAX_LINE_CHARS: number = 256 * 1024 * 1024;

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

/**
 * Incremental splitter: feed text chunks with {@link LineSplitter.push}, finish with
 * {@link LineSplitter.end}. Holds at most one partial line between calls.
 *
 * @example Splitting two chunks
 * ```ts
 * import { LineSplitter } from 'health-anonymizer/fhir';
 * const s = new LineSplitter();
 * const lines = [...s.push('{"a":1}\r\n{"b'), ...s.push('":2}'), ...s.end()];
 * // lines: [{ line: 1, text: '{"a":1}' }, { line: 2, text: '{"b":2}' }]
 * ```
 */
export class LineSplitter {
  /** Number the next completed line will get. */
  private nextLine: number;
  private readonly firstLine: number;
  private rest = '';
  private started = false;
  private readonly file: string | undefined;
  private readonly maxLineChars: number;

  /**
   * @param options - File name for errors, first line number, longest line.
   */
  constructor(options: LineSplitOptions = {}) {
    this.nextLine = options.firstLine ?? 1;
    this.firstLine = this.nextLine;
    this.started = options.atStart === false;
    this.file = options.file;
    this.maxLineChars = options.maxLineChars ?? DEFAULT_MAX_LINE_CHARS;
  }

  /** The number of lines completed so far (blank lines included). */
  get linesSeen(): number {
    return this.nextLine - this.firstLine;
  }

  /** The number the next completed line will get. */
  get nextLineNumber(): number {
    return this.nextLine;
  }

  /**
   * Adds a chunk of text.
   * @param chunk - Decoded text; may end in the middle of a line.
   * @returns The non-empty lines completed by this chunk, in order.
   * @throws {@link InputParseError} when a line exceeds the length limit.
   * @example A chunk that ends inside a line
   * ```ts
   * new LineSplitter().push('{}\n{'); // [{ line: 1, text: '{}' }]
   * ```
   */
  push(chunk: string): NdjsonLine[] {
    let text = chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const out: NdjsonLine[] = [];
    let start = 0;
    let nl = text.indexOf('\n');
    if (nl === -1) {
      this.rest += text;
      this.checkLength(this.rest.length);
      return out;
    }
    let first = true;
    while (nl !== -1) {
      let line = text.slice(start, nl);
      if (first) {
        line = this.rest + line;
        this.rest = '';
        first = false;
      }
      this.emit(line, out);
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    this.rest = text.slice(start);
    this.checkLength(this.rest.length);
    return out;
  }

  /**
   * Ends the input: returns the last line if it had no newline.
   * @returns Zero or one line.
   * @example A last line without newline
   * ```ts
   * const s = new LineSplitter();
   * s.push('{}');
   * s.end(); // [{ line: 1, text: '{}' }]
   * ```
   */
  end(): NdjsonLine[] {
    const out: NdjsonLine[] = [];
    if (this.rest.length > 0) {
      const last = this.rest;
      this.rest = '';
      this.emit(last, out);
    }
    return out;
  }

  private emit(raw: string, out: NdjsonLine[]): void {
    const line = this.nextLine++;
    this.checkLength(raw.length, line);
    const text = raw.length > 0 && raw.charCodeAt(raw.length - 1) === 0x0d ? raw.slice(0, -1) : raw;
    if (text.length === 0 || isBlank(text)) return;
    out.push({ line, text });
  }

  private checkLength(length: number, line: number = this.nextLine): void {
    if (length > this.maxLineChars) {
      throw new InputParseError(`line longer than ${this.maxLineChars} characters`, { location: this.location(line) });
    }
  }

  private location(line: number): { file?: string; line: number } {
    return this.file === undefined ? { line } : { file: this.file, line };
  }
}

/**
 * Splits a byte stream of UTF-8 NDJSON into lines, with bounded memory.
 * @param readable - The input bytes.
 * @param options - File name for errors, first line number, longest line.
 * @returns An async iterable of the non-empty lines in order.
 * @throws {@link InputParseError} on invalid UTF-8 or an over-long line (with the line number).
 * @example Counting resources in a stream
 * ```ts
 * import { splitNdjsonLines } from 'health-anonymizer/fhir';
 * const bytes = new TextEncoder().encode('{"resourceType":"Patient"}\n\n{"resourceType":"Patient"}');
 * let n = 0;
 * for await (const { line } of splitNdjsonLines(new Blob([bytes]).stream())) n = line; // n === 3
 * ```
 */
export async function* splitNdjsonLines(
  readable: ReadableStream<Uint8Array>,
  options: LineSplitOptions = {},
): AsyncGenerator<NdjsonLine, void, undefined> {
  const splitter = new LineSplitter(options);
  const maxBytes = (options.maxLineChars ?? DEFAULT_MAX_LINE_CHARS) * 3;
  const reader = readable.getReader();
  // Bytes are decoded only up to the last newline seen, so decoding always starts at a line
  // start and an invalid sequence is located by its line.
  const pending = new ByteQueue();
  const text = (bytes: Uint8Array): string => decodeLines(bytes, options.file, splitter.nextLineNumber);
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const nl = value.lastIndexOf(0x0a);
      if (nl === -1) {
        pending.push(value);
        if (pending.size > maxBytes) {
          const line = splitter.nextLineNumber;
          throw new InputParseError(`line longer than ${maxBytes} bytes`, { location: options.file === undefined ? { line } : { file: options.file, line } });
        }
        continue;
      }
      yield* splitter.push(text(pending.take(value.subarray(0, nl + 1))));
      if (nl + 1 < value.length) {
        pending.push(value.slice(nl + 1));
      }
    }
    if (pending.size > 0) yield* splitter.push(text(pending.take(new Uint8Array(0))));
    yield* splitter.end();
    finished = true;
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
