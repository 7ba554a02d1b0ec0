/**
 * A growable UTF-8 output buffer: the NDJSON bytes path appends each anonymized line to it, and
 * the text walker writes into it directly (copying unchanged byte ranges of an ASCII input line
 * instead of building and encoding an output string).
 * @module
 */

const encoder = new TextEncoder();

/**
 * The UTF-8 bytes a text was decoded from: `bytes[start, end)`. They are copied instead of
 * re-encoded only when `end - start` equals the text's length, that is when the text is ASCII
 * (text and byte indices then agree); otherwise they are ignored.
 */
export interface AsciiSource {
  readonly bytes: Uint8Array;
  readonly start: number;
  readonly end: number;
}

/** Ranges shorter than this are copied byte by byte (a `subarray` view costs more). */
const SHORT_COPY = 48;

/**
 * Appends UTF-8 bytes to a buffer that grows as needed.
 * @example Two lines
 * ```ts
 * const sink = new Utf8Sink(64);
 * sink.text('{"resourceType":"Patient"}');
 * sink.byte(0x0a);
 * sink.output(); // the bytes written so far
 * ```
 */
export class Utf8Sink {
  private buffer: Uint8Array;
  private size = 0;

  /** @param capacity - Initial size of the buffer in bytes. */
  constructor(capacity: number) {
    this.buffer = new Uint8Array(Math.max(64, capacity));
  }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    const need = this.size + n;
    if (need <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(need, this.buffer.length * 2));
    grown.set(this.buffer.subarray(0, this.size));
    this.buffer = grown;
  }

  /** Appends one byte. */
  byte(b: number): void {
    this.reserve(1);
    this.buffer[this.size++] = b;
  }

  /** Appends the UTF-8 of a string. */
  text(s: string): void {
    const n = s.length;
    this.reserve(n * 3); // at most 3 bytes per UTF-16 unit
    const out = this.buffer;
    let at = this.size;
    if (n < SHORT_COPY) {
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        out[at + i] = c;
      }
      if (i === n) {
        this.size = at + n;
        return;
      }
    }
    at += encoder.encodeInto(s, out.subarray(at)).written;
    this.size = at;
  }

  /** Appends a string as a JSON string literal (the bytes of `JSON.stringify(s)`). */
  jsonString(s: string): void {
    const n = s.length;
    this.reserve(n + 2);
    const out = this.buffer;
    const at = this.size;
    out[at] = 0x22;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c === 0x22 || c === 0x5c || c >= 0x80) {
        this.text(JSON.stringify(s)); // escapes and non-ASCII: the general way
        return;
      }
      out[at + 1 + i] = c;
    }
    out[at + 1 + n] = 0x22;
    this.size = at + n + 2;
  }

  /** Appends `source[start, end)`. */
  copy(source: Uint8Array, start: number, end: number): void {
    const n = end - start;
    this.reserve(n);
    const out = this.buffer;
    const at = this.size;
    if (n < SHORT_COPY) for (let i = 0; i < n; i++) out[at + i] = source[start + i]!;
    else out.set(source.subarray(start, end), at);
    this.size = at + n;
  }

  /** The bytes written so far (a view; valid until the next write). */
  output(): Uint8Array {
    return this.buffer.subarray(0, this.size);
  }
}
