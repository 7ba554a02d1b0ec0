/**
 * Lossless JSON for FHIR: decimals keep their lexical form (`1.00` stays `1.00`,
 * long digit strings keep every digit) and object key order is kept. A cheap
 * pre-scan sends texts without such numbers to the native `JSON.parse`; only the
 * rest go through the small tokenizer below.
 * @module
 */
import { InputParseError } from '../errors.ts';

/**
 * A JSON number whose text would change through a JS number (`1.00`, `1e2`, 17+ digits).
 * @example Keeping trailing zeros
 * ```ts
 * const n = new LosslessNumber('1.50');
 * Number(n); // 1.5
 * stringifyJson({ value: n }); // '{"value":1.50}'
 * ```
 */
export class LosslessNumber {
  /** The number exactly as written in the input. */
  readonly lexical: string;
  /** @param lexical - The number's text. */
  constructor(lexical: string) {
    this.lexical = lexical;
  }
  /** @returns The nearest JS number. */
  valueOf(): number {
    return Number(this.lexical);
  }
  /** @returns The lexical form. */
  toString(): string {
    return this.lexical;
  }
}

/** Result of {@link parseJsonLossless}. */
export interface LosslessParse {
  /** The parsed value. */
  readonly value: unknown;
  /** Whether any {@link LosslessNumber} occurs in it (then stringify with {@link stringifyJson}). */
  readonly lossless: boolean;
}

/**
 * Checks the number token starting at `i`.
 * @returns the index after it, or -1 when a JS number would not reproduce its text.
 */
function checkNumber(s: string, i: number): number {
  const n = s.length;
  const c = s.charCodeAt(i);
  let j = c === 45 ? i + 1 : i;
  const intStart = j;
  while (j < n && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
  const intDigits = j - intStart;
  let d = s.charCodeAt(j);
  if (c === 45 && intDigits === 1 && s.charCodeAt(intStart) === 48 && d !== 46) return -1; // -0
  let digits = intDigits;
  if (d === 46) {
    const fracStart = ++j;
    while (j < n && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
    if (s.charCodeAt(j - 1) === 48) return -1; // trailing zero
    // Below 1e-6 a JS number prints with an exponent (0.0000001 → 1e-7).
    if (intDigits === 1 && s.charCodeAt(intStart) === 48 && j - fracStart > 6 && s.startsWith('000000', fracStart)) return -1;
    digits += j - fracStart;
    d = s.charCodeAt(j);
  }
  if (d === 101 || d === 69) return -1; // exponent
  if (digits >= 16) {
    const token = s.slice(i, j);
    if (String(Number(token)) !== token) return -1;
  }
  return j;
}

function skipSpace(s: string, j: number): number {
  let c = s.charCodeAt(j);
  while (c === 32 || c === 10 || c === 13 || c === 9) c = s.charCodeAt(++j);
  return j;
}

/** Whether some white space comes right before a colon (then keys may be spaced from their colon); native scans, no regex. */
function spaceBeforeColon(s: string): boolean {
  return s.indexOf(' :') !== -1 || s.indexOf('\n:') !== -1 || s.indexOf('\t:') !== -1 || s.indexOf('\r:') !== -1;
}

/** The index after the string starting at `i`, or -1 when it does not end. */
function endOfString(s: string, i: number): number {
  let j = s.indexOf('"', i + 1);
  while (j !== -1) {
    let k = j - 1;
    while (s.charCodeAt(k) === 92) k--;
    if (((j - 1 - k) & 1) === 0) return j + 1;
    j = s.indexOf('"', j + 1);
  }
  return -1;
}

function isNumberStart(c: number): boolean {
  return c === 45 || (c >= 48 && c <= 57);
}

/**
 * Whether a JSON text holds a number token that a JS number would not reproduce
 * (trailing zeros after the point, an exponent, -0, more digits than a double keeps).
 * Every value in an object follows a key's closing `":` (inside strings a quote is
 * always escaped; texts with space between a key and its colon take the careful
 * path), so only the values after each `":` are looked at, found with native
 * `indexOf`; arrays of numbers are followed element by element. A text that is not an
 * object, or nests arrays directly in arrays, takes the careful path.
 */
function needsLossless(s: string): boolean {
  if (s.charCodeAt(skipSpace(s, 0)) !== 123) return true;
  if (spaceBeforeColon(s)) return true; // keys may not be followed directly by ':'
  let i = s.indexOf('":');
  while (i !== -1) {
    let k = i - 1;
    while (s.charCodeAt(k) === 92) k--;
    if (((i - 1 - k) & 1) === 1) {
      i = s.indexOf('":', i + 2); // an escaped quote inside a string
      continue;
    }
    let j = skipSpace(s, i + 2);
    const c = s.charCodeAt(j);
    if (isNumberStart(c)) {
      j = checkNumber(s, j);
      if (j < 0) return true;
    } else if (c === 91) {
      j = skipSpace(s, j + 1);
      for (;;) {
        const e = s.charCodeAt(j);
        if (e === 91) return true;
        if (isNumberStart(e)) {
          j = checkNumber(s, j);
          if (j < 0) return true;
        } else if (e === 110 || e === 116) {
          j += 4; // null, true
        } else if (e === 102) {
          j += 5; // false
        } else if (e === 34) {
          j = endOfString(s, j);
          if (j < 0) return true;
        } else {
          break; // objects: their members are found by the search below (FHIR arrays are homogeneous)
        }
        j = skipSpace(s, j);
        if (s.charCodeAt(j) !== 44) break;
        j = skipSpace(s, j + 1);
      }
    }
    i = s.indexOf('":', j);
  }
  return false;
}

/**
 * Whether a JSON text may hold a number that `JSON.parse` + `JSON.stringify` would
 * not write back as it is (`1.00`, `1e2`, `-0`, 17 digits…). Conservative: `true`
 * also for texts that are not an object, or space their keys from the colon.
 * @param text - JSON text.
 * @returns `false` when the native parser and serializer keep every number's text.
 * @example A trailing zero needs care
 * ```ts
 * needsLosslessParse('{"value":1.50}'); // true
 * needsLosslessParse('{"value":1.5,"code":"1.50"}'); // false
 * ```
 */
export function needsLosslessParse(text: string): boolean {
  return needsLossless(text);
}

/**
 * Parses JSON text, keeping numbers whose text a JS number would change.
 * @param text - JSON text (a leading UTF-8 BOM is accepted).
 * @returns The value and whether lossless numbers occur in it.
 * @throws {@link InputParseError} with the byte offset (not the text) on malformed input.
 * @example Keeping a decimal's precision
 * ```ts
 * const { value } = parseJsonLossless('{"value":1.00}');
 * stringifyJson(value); // '{"value":1.00}'
 * ```
 */
export function parseJsonLossless(text: string): LosslessParse {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (!needsLossless(src)) {
    try {
      return { value: JSON.parse(src), lossless: false };
    } catch {
      // fall through to the tokenizer for a precise offset
    }
  }
  const parser = new Parser(src);
  const value = parser.parseDocument();
  return { value, lossless: parser.sawLossless };
}

class Parser {
  readonly s: string;
  pos = 0;
  sawLossless = false;
  constructor(s: string) {
    this.s = s;
  }
  fail(what: string): never {
    throw new InputParseError(`invalid JSON: ${what}`, { location: { offset: this.pos } });
  }
  ws(): void {
    const s = this.s;
    let c = s.charCodeAt(this.pos);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = s.charCodeAt(++this.pos);
  }
  parseDocument(): unknown {
    this.ws();
    const v = this.value(0);
    this.ws();
    if (this.pos !== this.s.length) this.fail('unexpected data after the value');
    return v;
  }
  value(depth: number): unknown {
    if (depth > 512) this.fail('nesting too deep');
    const c = this.s[this.pos];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    if (c === 't') return this.literal('true', true);
    if (c === 'f') return this.literal('false', false);
    if (c === 'n') return this.literal('null', null);
    return this.number();
  }
  literal<T>(word: string, v: T): T {
    if (!this.s.startsWith(word, this.pos)) this.fail('unexpected token');
    this.pos += word.length;
    return v;
  }
  object(depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.pos++;
    this.ws();
    if (this.s[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.s[this.pos] !== '"') this.fail('expected a property name');
      const key = this.string();
      this.ws();
      if (this.s[this.pos] !== ':') this.fail('expected ":"');
      this.pos++;
      this.ws();
      const v = this.value(depth + 1);
      if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      else out[key] = v;
      this.ws();
      const c = this.s[this.pos++];
      if (c === '}') return out;
      if (c !== ',') this.fail('expected "," or "}"');
    }
  }
  array(depth: number): unknown[] {
    const out: unknown[] = [];
    this.pos++;
    this.ws();
    if (this.s[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.ws();
      out.push(this.value(depth + 1));
      this.ws();
      const c = this.s[this.pos++];
      if (c === ']') return out;
      if (c !== ',') this.fail('expected "," or "]"');
    }
  }
  string(): string {
    const s = this.s;
    const start = this.pos;
    let i = start + 1;
    let simple = true;
    for (;;) {
      const c = s.charCodeAt(i);
      if (Number.isNaN(c)) {
        this.pos = i;
        this.fail('unterminated string');
      }
      if (c === 34) break;
      if (c === 92) {
        simple = false;
        i += 2;
        continue;
      }
      if (c < 32) {
        this.pos = i;
        this.fail('control character in string');
      }
      i++;
    }
    this.pos = i + 1;
    if (simple) return s.slice(start + 1, i);
    try {
      return JSON.parse(s.slice(start, i + 1)) as string;
    } catch {
      this.pos = start;
      return this.fail('bad escape in string');
    }
  }
  number(): number | LosslessNumber {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.s.slice(this.pos, this.pos + 400));
    if (m === null) return this.fail('unexpected token');
    this.pos += m[0].length;
    const n = Number(m[0]);
    if (String(n) === m[0]) return n;
    this.sawLossless = true;
    return new LosslessNumber(m[0]);
  }
}

function writeValue(v: unknown, indent: string, step: string, out: string[]): void {
  if (v === null || v === undefined) {
    out.push('null');
  } else if (typeof v === 'string') {
    out.push(JSON.stringify(v));
  } else if (typeof v === 'number') {
    out.push(Number.isFinite(v) ? String(v) : 'null');
  } else if (typeof v === 'boolean') {
    out.push(v ? 'true' : 'false');
  } else if (v instanceof LosslessNumber) {
    out.push(v.lexical);
  } else if (Array.isArray(v)) {
    if (v.length === 0) {
      out.push('[]');
      return;
    }
    const inner = indent + step;
    out.push('[');
    v.forEach((item, i) => {
      if (i > 0) out.push(',');
      if (step !== '') out.push('\n', inner);
      writeValue(item, inner, step, out);
    });
    if (step !== '') out.push('\n', indent);
    out.push(']');
  } else {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    if (entries.length === 0) {
      out.push('{}');
      return;
    }
    const inner = indent + step;
    out.push('{');
    entries.forEach(([k, x], i) => {
      if (i > 0) out.push(',');
      if (step !== '') out.push('\n', inner);
      out.push(JSON.stringify(k), step === '' ? ':' : ': ');
      writeValue(x, inner, step, out);
    });
    if (step !== '') out.push('\n', indent);
    out.push('}');
  }
}

/**
 * Serializes a value like `JSON.stringify`, writing {@link LosslessNumber}s verbatim.
 * @param value - The value.
 * @param pretty - Indent with two spaces (as `JSON.stringify(v, null, 2)`).
 * @param lossless - Set when the value may hold lossless numbers; otherwise the native serializer is used.
 * @returns JSON text.
 * @example Writing a decimal verbatim
 * ```ts
 * stringifyJson({ a: new LosslessNumber('1.50') }); // '{"a":1.50}'
 * ```
 */
export function stringifyJson(value: unknown, pretty = false, lossless = true): string {
  if (!lossless) return pretty ? JSON.stringify(value, null, 2) : JSON.stringify(value);
  const out: string[] = [];
  writeValue(value, '', pretty ? '  ' : '', out);
  return out.join('');
}
