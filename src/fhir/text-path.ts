/**
 * The text walker of the fast path: for a compact JSON resource (an NDJSON line), the same
 * decisions as the object walk of fast-path.ts, taken while scanning the text itself, so the
 * output is the input with a list of edits applied — no `JSON.parse`, no `JSON.stringify`.
 *
 * It shares everything that decides what is removed or kept with {@link FastPath} (rule
 * tries, member slots, the methods, the date and hash caches, the labels), and writes
 * exactly the bytes the object walk and `JSON.stringify` would: it only takes texts already in
 * that form. Anything else declines ({@link FAST_PATH_DECLINED}) before a byte is written, and
 * the caller falls back to the object walk or the general path, which give the output or the
 * located error:
 * - white space between tokens, a character below U+0020 or a lone surrogate anywhere;
 * - an escape other than `\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t` (those are what
 *   `JSON.stringify` writes; `\u…` and `\/` are not), or any escape in a key;
 * - `resourceType` not the first member of a resource, `id` not right after it, a
 *   duplicated key, `meta.security` present (labels merge in place there);
 * - whatever the object walk declines: nulls, `_key` sidecars, unknown elements, values of
 *   the wrong JSON kind, single values where the model repeats, nested resources other than
 *   contained ones, resource types with rules of other shapes.
 *
 * Numbers are copied as written, as the lossless writer does. Removed members take their
 * comma with them; emptied objects and arrays are removed from their parent, as pruning does.
 * @module
 */
import { ProcessingError } from '../errors.ts';
import { isDigit } from '../util/digits.ts';
import type { Utf8Sink } from './utf8-sink.ts';
import { FAST_PATH_DECLINED, LABELS_JSON_BY_OPS, REMOVED, type FastPath, type Slot, type Table, type Trie } from './fast-path.ts';

const INF = Number.POSITIVE_INFINITY;
const NO_CURSORS: readonly Trie[] = [];
const CONTROL_CHARACTER = /[\u0000-\u001f]/;
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
/** Edit kinds. */
const DELETE = 0;
const REPLACE = 1;
/** Edit lists longer than this are dropped after use rather than kept for the next resource. */
const TRIM_EDITS = 4096;

/** Result of {@link TextPath.run}: what was done, for the engine's counters. */
export interface TextPathResult {
  /** Rule positions that changed elements, each once (valid until the next run). */
  readonly touched: readonly number[];
  /** Changes per rule position (valid until the next run). */
  readonly counts: readonly number[];
  /** Date-shift offset used per resource. */
  readonly offsets: readonly number[];
  /** Resources processed (the resource and its contained resources). */
  readonly resources: number;
}

function decline(): never {
  throw FAST_PATH_DECLINED;
}

/** `s.startsWith(prefix, at)`, as a loop the compiler inlines (the builtin call costs more for short keys). */
function startsWithAt(s: string, at: number, prefix: string): boolean {
  const n = prefix.length;
  if (at + n > s.length) return false;
  for (let k = 0; k < n; k++) if (s.charCodeAt(at + k) !== prefix.charCodeAt(k)) return false;
  return true;
}

/** Where the object walk of a resource's root stands (one per resource, contained ones included). */
const ROLE_MEMBER = 0;
const ROLE_ROOT = 1;
const ROLE_CONTAINED = 2;

/**
 * Anonymizes compact JSON resources by scanning their text (see the module comment).
 * @example One NDJSON line
 * ```ts
 * const walker = new TextPath(fastPath);
 * const { text } = walker.run(line, undefined); // throws FAST_PATH_DECLINED when another path must run
 * ```
 */
export class TextPath {
  private readonly fast: FastPath;
  private s = '';
  /** Index of the next backslash at or after the scan position (-1: none left). */
  private nextBackslash = -1;
  /** Whether the string just scanned held an escape. */
  private escaped = false;
  /** Whether the member just walked stays. */
  private kept = false;
  /** Set while the root's `id` member is walked. */
  private rootId = false;
  // Edits, in text order: [start, end) deleted or replaced by a JSON string.
  private starts: number[] = [];
  private ends: number[] = [];
  private kinds: number[] = [];
  private texts: unknown[] = [];
  private edits = 0;
  /** The most edits held during this run (edits dropped by pruning leave their values behind up to here). */
  private used = 0;
  /** Slots of the keys met in the objects being walked (duplicate keys decline). */
  private readonly seen: Array<NonNullable<Slot>> = [];
  private seenTop = 0;
  // The root resource: where labels go.
  private firstOther = -1;
  private metaEnd = -1;
  private metaSecurity = false;

  /** @param fast - The fast path whose rules, methods and caches the walk shares. */
  constructor(fast: FastPath) {
    this.fast = fast;
  }

  /**
   * Anonymizes one resource given as compact JSON text.
   * @param text - The resource, as `JSON.stringify` would write it (numbers may keep any lexical form).
   * @param scopePrefix - The date-shift prefix of the `file`/`folder` scopes, or `undefined` for the resource scope.
   * @returns The counters; the output is then read with {@link TextPath.text} or {@link TextPath.writeAscii}.
   * @throws {@link FAST_PATH_DECLINED} when the object walk or the general path must run.
   */
  run(text: string, scopePrefix: string | undefined): TextPathResult {
    if (text.charCodeAt(0) !== OPEN_BRACE || CONTROL_CHARACTER.test(text) || !isWellFormed(text)) decline();
    this.s = text;
    this.read = false;
    try {
      return this.walk(scopePrefix);
    } catch (err) {
      this.release(); // hold no input once it is left to the other paths
      throw err;
    }
  }

  private walk(scopePrefix: string | undefined): TextPathResult {
    const fast = this.fast;
    const text = this.s;
    this.nextBackslash = text.indexOf('\\');
    this.edits = 0;
    this.insertAt = -1;
    this.seenTop = 0;
    this.rootId = false;
    this.firstOther = -1;
    this.metaEnd = -1;
    this.metaSecurity = false;
    // resourceType first; the root id, if any, is read when the walk meets it (right after).
    const table = fast.begin(this.resourceType(1), scopePrefix);
    const end = this.object(0, table, fast.tp.rootDirect, fast.tp.rootCursors, ROLE_ROOT);
    if (end !== text.length) decline();
    fast.flushHashes();
    if (fast.ops !== 0) {
      if (this.metaSecurity) decline();
      const labels = LABELS_JSON_BY_OPS[fast.ops]!;
      if (this.metaEnd !== -1) this.insert(this.metaEnd - 1, `,"security":${labels}`);
      else if (this.firstOther !== -1) this.insert(this.firstOther, `"meta":{"security":${labels}},`);
      else this.insert(end - 1, `,"meta":{"security":${labels}}`);
      // Never inside a deleted range (it lands at a kept member or a kept object's end).
      for (let k = 0; k < this.edits; k++) if (this.starts[k]! < this.insertAt && this.ends[k]! > this.insertAt) decline();
    }
    return { touched: fast.touched, counts: fast.counts, offsets: fast.offsets, resources: fast.resources };
  }

  /**
   * Reads `"resourceType":"T"` at `i` (the first member of a resource); returns T. With no escape
   * allowed, the member ends at `i + T.length + 17`.
   */
  private resourceType(i: number): string {
    const s = this.s;
    if (!s.startsWith('"resourceType":"', i)) decline();
    const end = this.stringEnd(i + 15);
    if (this.escaped) decline();
    return s.slice(i + 16, end - 1);
  }

  /**
   * The output of the last {@link TextPath.run}: the text with its edits applied, in order, and the
   * one insertion (labels) at its place. The output of a run is read once, with this or {@link TextPath.writeAscii}.
   * @returns The anonymized resource as compact JSON.
   */
  text(): string {
    let out = '';
    const s = this.s;
    this.apply(
      (start, end) => (out += s.slice(start, end)),
      (text) => (out += text),
      (value) => (out += JSON.stringify(value)),
    );
    return out;
  }

  /**
   * Writes the output of the last {@link TextPath.run} as UTF-8, copying the unchanged ranges from
   * the input's bytes.
   * @param source - Bytes holding the input text; it must be ASCII, so that text and byte indices agree.
   * @param start - Index of the text's first byte in `source`.
   * @param sink - Where the output goes.
   */
  writeAscii(source: Uint8Array, start: number, sink: Utf8Sink): void {
    this.apply(
      (from, to) => sink.copy(source, start + from, start + to),
      (text) => sink.text(text),
      (value) => sink.jsonString(value),
    );
  }

  /** Walks the output: unchanged ranges of the input and new texts, in order. */
  private apply(keep: (start: number, end: number) => void, add: (json: string) => void, addString: (value: string) => void): void {
    if (this.read) throw new ProcessingError('internal: the text walker\'s output was read twice or without a run');
    const n = this.edits;
    let pos = 0;
    let insertAt = this.insertAt;
    this.insertAt = -1;
    for (let k = 0; k < n; k++) {
      const start = this.starts[k]!;
      if (insertAt !== -1 && insertAt <= start) {
        keep(pos, insertAt);
        add(this.insertText);
        pos = insertAt;
        insertAt = -1;
      }
      keep(pos, start);
      if (this.kinds[k] === REPLACE) addString(this.texts[k] as string);
      pos = this.ends[k]!;
    }
    if (insertAt !== -1) {
      keep(pos, insertAt);
      add(this.insertText);
      pos = insertAt;
    }
    keep(pos, this.s.length);
    this.release();
  }

  /** Drops the input and the replacement values; after a huge resource, its edit lists too. */
  private release(): void {
    this.s = '';
    this.read = true;
    if (this.texts.length > TRIM_EDITS) {
      this.starts = [];
      this.ends = [];
      this.kinds = [];
      this.texts = [];
    } else this.texts.fill(undefined, 0, this.used);
    this.used = 0;
  }

  /** Whether the output of the last run was read (it can be read once). */
  private read = true;

  private insertAt = -1;
  private insertText = '';

  private insert(at: number, text: string): void {
    this.insertAt = at;
    this.insertText = text;
  }

  /** Appends an edit; returns its index. */
  private edit(start: number, end: number, kind: number): number {
    const k = this.edits++;
    if (this.edits > this.used) this.used = this.edits;
    this.starts[k] = start;
    this.ends[k] = end;
    this.kinds[k] = kind;
    return k;
  }

  /**
   * Scans the string starting with the quote at `i`; returns the index after its closing
   * quote and sets `escaped`. Declines on escapes `JSON.stringify` would not write.
   */
  private stringEnd(i: number): number {
    const s = this.s;
    const close = s.indexOf('"', i + 1);
    if (close === -1) decline();
    let b = this.nextBackslash;
    if (b !== -1 && b <= i) b = this.nextBackslash = s.indexOf('\\', i + 1);
    if (b === -1 || b > close) {
      this.escaped = false;
      return close + 1;
    }
    for (;;) {
      // b is a backslash inside the string.
      const e = s.charCodeAt(b + 1);
      if (e !== QUOTE && e !== BACKSLASH && e !== 110 && e !== 114 && e !== 116 && e !== 98 && e !== 102) decline(); // " \ n r t b f
      const from = b + 2;
      const q = s.indexOf('"', from);
      if (q === -1) decline();
      b = s.indexOf('\\', from);
      if (b === -1 || b > q) {
        this.nextBackslash = b;
        this.escaped = true;
        return q + 1;
      }
    }
  }

  /** The value of the string [start, end) scanned just before (quotes included). */
  private stringValue(start: number, end: number): string {
    return this.escaped ? (JSON.parse(this.s.slice(start, end)) as string) : this.s.slice(start + 1, end - 1);
  }

  /** Scans a JSON number at `i`; returns the index after it. */
  private numberEnd(i: number): number {
    const s = this.s;
    let j = i;
    let c = s.charCodeAt(j);
    if (c === 45) c = s.charCodeAt(++j);
    if (c === 48) c = s.charCodeAt(++j);
    else if (isDigit(c)) {
      do c = s.charCodeAt(++j);
      while (isDigit(c));
    } else decline();
    if (c === 46) {
      c = s.charCodeAt(++j);
      if (!isDigit(c)) decline();
      do c = s.charCodeAt(++j);
      while (isDigit(c));
    }
    if (c === 101 || c === 69) {
      c = s.charCodeAt(++j);
      if (c === 43 || c === 45) c = s.charCodeAt(++j);
      if (!isDigit(c)) decline();
      do c = s.charCodeAt(++j);
      while (isDigit(c));
    }
    return j;
  }

  /**
   * Walks the object at `i`; returns the index after it and sets `kept` (whether any member
   * stays). Removed members are deleted with one comma each; a resource's `resourceType` stays.
   */
  private object(i: number, table: Table, eff: number, cursors: readonly Trie[], role: number): number {
    const s = this.s;
    let j = i + 1;
    if (s.charCodeAt(j) === CLOSE_BRACE) {
      if (role !== ROLE_MEMBER) decline();
      this.kept = false;
      return j + 1;
    }
    const seenMark = this.seenTop;
    let runMark = -1; // first edit of the current run of removed members
    let lastKeptEnd = -1;
    let lastEnd = -1;
    let index = 0;
    let prev: NonNullable<Slot> | null = null;
    for (;;) {
      const keyStart = j;
      let end: number;
      if (index === 0 && role !== ROLE_MEMBER) {
        // resourceType (read before for the root, here for contained resources): kept as is.
        end = j + this.resourceType(j).length + 17;
        this.kept = true;
      } else {
        // Objects of one type mostly list the same members in the same order: try the one that came next last time.
        const guess = prev === null ? table.first : prev.follow;
        let slot: NonNullable<Slot>;
        let valueStart: number;
        if (guess !== null && startsWithAt(s, j, guess.quoted)) {
          slot = guess;
          valueStart = j + guess.quoted.length;
        } else {
          if (s.charCodeAt(j) !== QUOTE) decline();
          const keyEnd = this.stringEnd(j);
          if (this.escaped || s.charCodeAt(keyEnd) !== COLON) decline();
          slot = this.slotAt(table, j + 1, keyEnd - 1);
          valueStart = keyEnd + 1;
          if (prev === null) table.first = slot;
          else prev.follow = slot;
        }
        prev = slot;
        for (let q = seenMark; q < this.seenTop; q++) if (this.seen[q] === slot) decline();
        this.seen[this.seenTop++] = slot;
        const mark = this.edits;
        if (role === ROLE_ROOT) {
          if (slot.key === 'id') {
            // id right after resourceType, as the object walk reads it first, and a string (its offset prefix)
            if (index !== 1 || s.charCodeAt(valueStart) !== QUOTE) decline();
            this.rootId = true;
          }
        } else if (slot.key === 'security' && table.base === 'Meta') this.metaSecurity = true; // labels would merge into it
        end = this.member(valueStart, slot, eff, cursors);
        if (!this.kept) this.edits = mark;
        if (role === ROLE_ROOT) {
          if (slot.key === 'id') {
            // Date shifts read the processed id.
            this.rootId = false;
            this.fast.flushHashes();
            this.fast.currentId = !this.kept ? '' : this.edits > mark ? String(this.texts[mark]) : this.fast.currentId;
          } else if (this.kept) {
            if (this.firstOther === -1) this.firstOther = keyStart;
            if (slot.key === 'meta') this.metaEnd = end;
          }
        }
      }
      const c = s.charCodeAt(end);
      if (c !== COMMA && c !== CLOSE_BRACE) decline();
      if (this.kept) lastKeptEnd = end;
      runMark = this.settle(keyStart, end, c === COMMA, runMark);
      lastEnd = end;
      index++;
      if (c === CLOSE_BRACE) break;
      j = end + 1;
    }
    this.seenTop = seenMark;
    return this.close(lastEnd, lastKeptEnd, runMark);
  }

  /**
   * Settles the item [start, end) of an object or array just walked (its own edits already dropped
   * when it is removed): a removed item is deleted with the comma after it.
   * @param runMark - The first edit of the current run of removed items (-1: none).
   * @returns The run mark after this item.
   */
  private settle(start: number, end: number, comma: boolean, runMark: number): number {
    if (this.kept) return -1;
    const mark = runMark === -1 ? this.edits : runMark;
    this.remove(start, comma ? end + 1 : end);
    return mark;
  }

  /**
   * Ends an object or array whose last item ends at `lastEnd`. When trailing items were removed,
   * the comma after the last kept item goes too; with no item kept, the container is removed
   * (`kept` false; the caller drops the edits inside it).
   * @param runMark - The first edit of the trailing run of removed items (-1: the last item stays).
   * @returns The index after the container.
   */
  private close(lastEnd: number, lastKeptEnd: number, runMark: number): number {
    if (runMark !== -1) {
      if (lastKeptEnd === -1) {
        this.kept = false;
        return lastEnd + 1;
      }
      this.edits = runMark;
      this.remove(lastKeptEnd, lastEnd);
    }
    this.kept = true;
    return lastEnd + 1;
  }

  /** Deletes [start, end), merged with a deletion that ends at `start`. */
  private remove(start: number, end: number): void {
    const last = this.edits - 1;
    if (last >= 0 && this.kinds[last] === DELETE && this.ends[last] === start) this.ends[last] = end;
    else this.edit(start, end, DELETE);
  }

  /** The slot of the key at [start, end) of the text, found by a hash of its characters (no string is made when known). */
  private slotAt(table: Table, start: number, end: number): NonNullable<Slot> {
    const s = this.s;
    let h = end - start;
    for (let q = start; q < end; q++) h = (Math.imul(h, 31) + s.charCodeAt(q)) | 0;
    let slot = table.byHash.get(h);
    if (slot === undefined || slot.key.length !== end - start || !s.startsWith(slot.key, start)) {
      const key = s.slice(start, end);
      const found = table.slots.get(key) ?? this.fast.slotOf(table, key);
      if (found === null) decline();
      table.byHash.set(h, found);
      slot = found;
    }
    return slot;
  }

  /** Walks a member's value at `i`; returns the index after it and sets `kept`. */
  private member(i: number, slot: NonNullable<Slot>, eff: number, cursors: readonly Trie[]): number {
    const fast = this.fast;
    const s = this.s;
    const c = s.charCodeAt(i);
    const next = fast.advance(slot, cursors);
    const direct = fast.reach;
    if (slot.type === 'Resource') {
      // Contained resources, as resources; other nested resources go the general way.
      if (slot.name !== 'contained' || direct !== INF || next !== null || c !== OPEN_BRACKET || s.charCodeAt(i + 1) === CLOSE_BRACKET) decline();
      let j = i + 1;
      for (;;) {
        if (s.charCodeAt(j) !== OPEN_BRACE) decline();
        const table = fast.enterContained(this.resourceType(j + 1));
        const tp = fast.tp;
        j = this.object(j, table, tp.rootDirect, tp.rootCursors, ROLE_CONTAINED);
        fast.leaveContained();
        const d = s.charCodeAt(j);
        if (d === COMMA) j++;
        else if (d === CLOSE_BRACKET) break;
        else decline();
      }
      this.kept = true;
      return j + 1;
    }
    // A single-valued element given as an array: the general path's business.
    if (c === OPEN_BRACKET && !slot.repeating) decline();
    const childEff = direct < eff ? direct : eff;
    if (this.rootId) fast.idEff = childEff;
    if (slot.primitive) {
      if (c === OPEN_BRACKET) return this.array(i, slot, childEff, NO_CURSORS, null);
      if (slot.repeating) decline();
      return this.primitive(i, slot, childEff);
    }
    const child = slot.child ?? (slot.child = fast.tableOf(slot.childBase));
    if (c === OPEN_BRACKET) return this.array(i, slot, childEff, next ?? NO_CURSORS, child);
    if (slot.repeating || c !== OPEN_BRACE) decline();
    return this.object(i, child, childEff, next ?? NO_CURSORS, ROLE_MEMBER);
  }

  /**
   * Walks an array of primitives (`table` null) or of objects; returns the index after it and
   * sets `kept`. Removed items are deleted with one comma each.
   */
  private array(i: number, slot: NonNullable<Slot>, eff: number, cursors: readonly Trie[], table: Table | null): number {
    const s = this.s;
    let j = i + 1;
    if (s.charCodeAt(j) === CLOSE_BRACKET) {
      this.kept = false;
      return j + 1;
    }
    let runMark = -1;
    let lastKeptEnd = -1;
    let lastEnd = -1;
    for (;;) {
      const start = j;
      const mark = this.edits;
      let end: number;
      if (table === null) end = this.primitive(j, slot, eff);
      else {
        if (s.charCodeAt(j) !== OPEN_BRACE) decline();
        end = this.object(j, table, eff, cursors, ROLE_MEMBER);
      }
      if (!this.kept) this.edits = mark;
      const c = s.charCodeAt(end);
      if (c !== COMMA && c !== CLOSE_BRACKET) decline();
      if (this.kept) lastKeptEnd = end;
      runMark = this.settle(start, end, c === COMMA, runMark);
      lastEnd = end;
      if (c === CLOSE_BRACKET) break;
      j = end + 1;
    }
    return this.close(lastEnd, lastKeptEnd, runMark);
  }

  /**
   * Walks a primitive value at `i` of the JSON kind its type needs, applying the effective rule;
   * returns the index after it and sets `kept`.
   */
  private primitive(i: number, slot: NonNullable<Slot>, eff: number): number {
    const s = this.s;
    const c = s.charCodeAt(i);
    let end: number;
    let kind: 'string' | 'number' | 'boolean';
    if (c === QUOTE) {
      end = this.stringEnd(i);
      kind = 'string';
    } else if (c === 116 && s.startsWith('true', i)) {
      end = i + 4;
      kind = 'boolean';
    } else if (c === 102 && s.startsWith('false', i)) {
      end = i + 5;
      kind = 'boolean';
    } else {
      end = this.numberEnd(i);
      kind = 'number';
    }
    // A value of the wrong JSON kind goes to the general path, which rejects it with its pointer.
    if (kind !== slot.json) decline();
    if (this.rootId) this.fast.setRootId(this.stringValue(i, end)); // a string: checked before the walk entered it
    this.kept = true;
    if (eff === INF || (end - i === 2 && kind === 'string')) return end; // '' is left as it is by every method
    const fast = this.fast;
    // keep, and redactions that remove the whole value, need not read it.
    const method = fast.methodAt(eff);
    if (method === 'keep') return end;
    if (method === 'redact' && fast.redactsWhole(slot.kind)) {
      fast.countRedaction(eff);
      this.kept = false;
      return end;
    }
    const value = kind === 'string' ? this.stringValue(i, end) : s.slice(i, end);
    const k = this.edit(i, end, REPLACE);
    const pending = fast.pendingHashes();
    const r = fast.primitive(value, eff, slot, this.texts, k);
    if (r === REMOVED) {
      this.edits = k;
      this.kept = false;
    } else if (fast.pendingHashes() !== pending) {
      this.texts[k] = undefined; // written when the batch is hashed
    } else if (r === value) {
      this.edits = k;
    } else {
      this.texts[k] = r;
    }
    return end;
  }
}

/** `String.prototype.isWellFormed` (ES2024, in every supported runtime; the lib setting predates it). */
function isWellFormed(text: string): boolean {
  return (text as unknown as { isWellFormed(): boolean }).isWellFormed();
}
