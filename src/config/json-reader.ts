/**
 * A small, tolerant JSON reader for configuration files.
 *
 * It accepts what the reference tool's own loader (Newtonsoft.Json) accepts in its
 * sample files: a leading UTF-8 byte order mark, trailing commas in objects and
 * arrays, and `//` and `/* *\/` comments. Everything else is strict JSON (RFC 8259).
 * It records the line and column of every value (for diagnostics) and every
 * duplicate property name (an error in the reference tool). Syntax errors are
 * reported by position only: no message ever quotes the file's content.
 * @module
 */
import { ConfigParseError } from '../errors.ts';
import { joinPointer } from './pointer.ts';

/** A 1-based line and column inside a text. */
export interface TextPosition {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column, counted in UTF-16 code units. */
  readonly column: number;
}

/** A property name that occurs more than once in one object. */
export interface DuplicateKey {
  /** JSON pointer of the repeated member. */
  readonly pointer: string;
  /** Where the second (or later) occurrence starts. */
  readonly position: TextPosition;
}

/** What {@link readJsonText} returns. */
export interface JsonReadResult {
  /** The parsed value. Objects are plain objects; a repeated name keeps its last value. */
  readonly value: unknown;
  /** Start position of every value, by JSON pointer (`''` is the root). */
  readonly positions: ReadonlyMap<string, TextPosition>;
  /** Every repeated property name, in document order. */
  readonly duplicates: readonly DuplicateKey[];
}

/** A syntax error found by {@link tryReadJsonText}: what kind, and where. Never any content. */
export interface JsonSyntaxProblem {
  /** A short description such as `expected ',' or '}'`. */
  readonly what: string;
  /** Where the reader stopped. */
  readonly position: TextPosition;
}

// Deeper documents are rejected rather than risking the call stack (a configuration is a few levels deep).
const MAX_DEPTH = 256;

class SyntaxFailure {
  readonly what: string;
  readonly at: TextPosition;
  constructor(what: string, at: TextPosition) {
    this.what = what;
    this.at = at;
  }
}

class Reader {
  readonly text: string;
  pos = 0;
  line = 1;
  lineStart = 0;
  readonly positions = new Map<string, TextPosition>();
  readonly duplicates: DuplicateKey[] = [];

  constructor(text: string) {
    this.text = text;
  }

  here(): TextPosition {
    return { line: this.line, column: this.pos - this.lineStart + 1 };
  }

  fail(what: string, at: TextPosition = this.here()): never {
    throw new SyntaxFailure(what, at);
  }

  skipSpace(): void {
    const t = this.text;
    for (;;) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x09 || c === 0x0d) {
        this.pos++;
      } else if (c === 0x0a) {
        this.pos++;
        this.line++;
        this.lineStart = this.pos;
      } else if (c === 0x2f /* / */) {
        const next = t.charCodeAt(this.pos + 1);
        if (next === 0x2f) {
          while (this.pos < t.length && t.charCodeAt(this.pos) !== 0x0a) this.pos++;
        } else if (next === 0x2a /* * */) {
          const start = this.here();
          this.pos += 2;
          for (;;) {
            if (this.pos >= t.length) this.fail('unterminated comment', start);
            const d = t.charCodeAt(this.pos);
            if (d === 0x2a && t.charCodeAt(this.pos + 1) === 0x2f) {
              this.pos += 2;
              break;
            }
            this.pos++;
            if (d === 0x0a) {
              this.line++;
              this.lineStart = this.pos;
            }
          }
        } else {
          this.fail('unexpected character');
        }
      } else {
        return;
      }
    }
  }

  depth = 0;

  value(pointer: string): unknown {
    this.skipSpace();
    if (this.depth > MAX_DEPTH) this.fail('nesting too deep');
    this.positions.set(pointer, this.here());
    const c = this.text.charCodeAt(this.pos);
    if (c === 0x7b || c === 0x5b) {
      this.depth++;
      const nested = c === 0x7b ? this.object(pointer) : this.array(pointer);
      this.depth--;
      return nested;
    }
    if (c === 0x22) return this.string();
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    if (this.text.startsWith('true', this.pos)) return this.word(4, true);
    if (this.text.startsWith('false', this.pos)) return this.word(5, false);
    if (this.text.startsWith('null', this.pos)) return this.word(4, null);
    if (this.pos >= this.text.length) this.fail('unexpected end of input');
    return this.fail('unexpected character');
  }

  word<T>(length: number, result: T): T {
    this.pos += length;
    const c = this.text.charCodeAt(this.pos);
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f) this.fail('unexpected character');
    return result;
  }

  object(pointer: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const seen = new Set<string>();
    this.pos++;
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x7d && seen.size > 0) {
        // trailing comma before the closing brace
        this.pos++;
        return out;
      }
      if (c !== 0x22) this.fail(this.pos >= this.text.length ? 'unexpected end of input' : 'expected a property name');
      const keyAt = this.here();
      const key = this.string();
      const child = joinPointer(pointer, key);
      if (seen.has(key)) this.duplicates.push({ pointer: child, position: keyAt });
      seen.add(key);
      this.skipSpace();
      if (this.text.charCodeAt(this.pos) !== 0x3a) this.fail("expected ':'");
      this.pos++;
      // defineProperty: a member named "__proto__" stays an ordinary own property
      Object.defineProperty(out, key, { value: this.value(child), enumerable: true, writable: true, configurable: true });
      this.skipSpace();
      const d = this.text.charCodeAt(this.pos);
      if (d === 0x2c) {
        this.pos++;
        continue;
      }
      if (d === 0x7d) {
        this.pos++;
        return out;
      }
      this.fail(this.pos >= this.text.length ? 'unexpected end of input' : "expected ',' or '}'");
    }
  }

  array(pointer: string): unknown[] {
    const out: unknown[] = [];
    this.pos++;
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      if (this.text.charCodeAt(this.pos) === 0x5d && out.length > 0) {
        // trailing comma before the closing bracket
        this.pos++;
        return out;
      }
      out.push(this.value(joinPointer(pointer, String(out.length))));
      this.skipSpace();
      const d = this.text.charCodeAt(this.pos);
      if (d === 0x2c) {
        this.pos++;
        continue;
      }
      if (d === 0x5d) {
        this.pos++;
        return out;
      }
      this.fail(this.pos >= this.text.length ? 'unexpected end of input' : "expected ',' or ']'");
    }
  }

  string(): string {
    const t = this.text;
    const start = this.here();
    this.pos++;
    let out = '';
    let run = this.pos;
    for (;;) {
      if (this.pos >= t.length) this.fail('unterminated string', start);
      const c = t.charCodeAt(this.pos);
      if (c === 0x22) {
        out += t.slice(run, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) this.fail('control character in string');
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      out += t.slice(run, this.pos);
      const e = t.charCodeAt(this.pos + 1);
      this.pos += 2;
      switch (e) {
        case 0x22: out += '"'; break;
        case 0x5c: out += '\\'; break;
        case 0x2f: out += '/'; break;
        case 0x62: out += '\b'; break;
        case 0x66: out += '\f'; break;
        case 0x6e: out += '\n'; break;
        case 0x72: out += '\r'; break;
        case 0x74: out += '\t'; break;
        case 0x75: {
          const hex = t.slice(this.pos, this.pos + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid \\u escape');
          out += String.fromCharCode(parseInt(hex, 16));
          this.pos += 4;
          break;
        }
        default:
          this.pos -= 1;
          this.fail('invalid escape');
      }
      run = this.pos;
    }
  }

  number(): number {
    const start = this.here();
    const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    m.lastIndex = this.pos;
    const found = m.exec(this.text);
    if (found === null) return this.fail('invalid number');
    this.pos += found[0].length;
    const c = this.text.charCodeAt(this.pos);
    if ((c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) {
      this.fail('invalid number');
    }
    const n = Number(found[0]);
    if (!Number.isFinite(n)) this.fail('number out of range', start);
    return n;
  }
}

/**
 * Like {@link readJsonText}, but returns a syntax problem instead of throwing.
 * @param text - The file content, already decoded (a leading U+FEFF is skipped).
 * @returns The read result, or `{ syntax }` with the kind and position of the first syntax error.
 * @example Telling a syntax error apart
 * ```ts
 * const r = tryReadJsonText('{"a": 1 "b": 2}');
 * if ('syntax' in r) r.syntax.position; // { line: 1, column: 9 }
 * ```
 */
export function tryReadJsonText(text: string): JsonReadResult | { readonly syntax: JsonSyntaxProblem } {
  const reader = new Reader(text);
  try {
    if (text.charCodeAt(0) === 0xfeff) {
      reader.pos = 1;
      reader.lineStart = 1;
    }
    const value = reader.value('');
    reader.skipSpace();
    if (reader.pos < text.length) reader.fail('unexpected content after the end of the document');
    return { value, positions: reader.positions, duplicates: reader.duplicates };
  } catch (err) {
    if (err instanceof SyntaxFailure) return { syntax: { what: err.what, position: err.at } };
    throw err;
  }
}

/**
 * Parses configuration text leniently (BOM, trailing commas, comments) and records
 * positions and duplicate property names.
 * @param text - The file content, already decoded (a leading U+FEFF is skipped).
 * @param file - File name for error locations.
 * @returns The value, the position of every value by JSON pointer, and duplicates.
 * @throws {@link ConfigParseError} on a syntax error, with the line in `location` and the column in the message.
 * @example Reading a file with a trailing comma
 * ```ts
 * import { readJsonText } from 'health-anonymizer/config';
 * const { value, positions } = readJsonText('{"a": [1, 2,],\n "b": true}');
 * // value: { a: [1, 2], b: true }; positions.get('/b'): { line: 2, column: 7 }
 * ```
 */
export function readJsonText(text: string, file?: string): JsonReadResult {
  const result = tryReadJsonText(text);
  if ('syntax' in result) throw syntaxError(result.syntax, file);
  return result;
}

/**
 * The error thrown for a syntax problem: position only, never content.
 * @param problem - What and where.
 * @param file - File name for the location.
 * @returns A {@link ConfigParseError} with the line in `location` and the column in the message.
 * @example The message of a syntax error
 * ```ts
 * syntaxError({ what: 'unexpected character', position: { line: 3, column: 5 } }, 'c.json').message;
 * // 'Configuration is not valid JSON: unexpected character at column 5 (c.json, line 3)'
 * ```
 */
export function syntaxError(problem: JsonSyntaxProblem, file?: string): ConfigParseError {
  const at = problem.position;
  return new ConfigParseError(`Configuration is not valid JSON: ${problem.what} at column ${at.column}`, {
    location: file === undefined ? { line: at.line } : { file, line: at.line },
  });
}
