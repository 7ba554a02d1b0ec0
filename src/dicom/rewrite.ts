/**
 * The byte-level DICOM rewriter: copies unchanged byte ranges, replaces, removes and inserts
 * elements, recomputes the defined lengths of enclosing items and sequences and any group
 * length (gggg,0000) of a changed group, and copies pixel data once without decoding it.
 * What to do with each element is decided by a {@link DatasetPolicy}.
 * @module
 */
import { concatBytes } from '../util/bytes.ts';
import { ProcessingError } from '../errors.ts';
import { formatTag } from './dictionary.ts';
import { deflateCodec } from './deflate-codec.ts';
import {
  ITEM_DELIMITER_TAG, ITEM_TAG, SEQUENCE_DELIMITER_TAG, UNDEFINED_LENGTH, hasLongLength,
  type DicomElement, type DicomItem, type ParsedDicom,
} from './parse.ts';
import { EXPLICIT_LE, type DatasetEncoding } from './transfer-syntax.ts';

/** A new element to write: a value, or a sequence of new items. */
export interface NewElement {
  /** `((group << 16) | element) >>> 0`. */
  readonly tag: number;
  /** Two-letter VR (used in the header of explicit VR data sets). */
  readonly vr: string;
  /** Value bytes in the data set's byte order, of even length (ignored for sequences). */
  readonly value?: Uint8Array;
  /** Items of a new sequence (each a list of new elements, sorted by tag). */
  readonly items?: readonly (readonly NewElement[])[];
}

/** What to do with one element. */
export type ElementAction =
  | { readonly kind: 'keep' }
  | { readonly kind: 'recurse' }
  | { readonly kind: 'remove' }
  | { readonly kind: 'empty' }
  | { readonly kind: 'replace'; readonly value: Uint8Array; readonly vr?: string };

/** Where a data set sits. */
export interface DatasetContext {
  /** 0 for the top-level data set, 1 for items of its sequences, and so on. */
  readonly depth: number;
  /** Tags of the enclosing sequences, outermost first. */
  readonly path: readonly number[];
  /** Encoding of this data set's elements. */
  readonly encoding: DatasetEncoding;
  /** The buffer holding the elements. */
  readonly bytes: Uint8Array;
}

/** The decisions for one data set. */
export interface DatasetPlan {
  /** One action per element, index-aligned with the data set's elements. */
  readonly actions: readonly ElementAction[];
  /** Elements to add; an added element replaces an existing one with the same tag. */
  readonly inserts?: readonly NewElement[];
}

/** Decides, data set by data set, what happens to each element. */
export interface DatasetPolicy {
  /**
   * Plans one data set (the top level, or one item of a sequence that the policy asked to recurse into).
   * @param elements - The data set's elements, in file order.
   * @param context - Where it sits.
   * @returns One action per element, and elements to insert.
   */
  planDataset(elements: readonly DicomElement[], context: DatasetContext): DatasetPlan;
}

/** How to write the file around the data set. */
export interface WriteOptions {
  /**
   * File meta elements to write (explicit VR little endian, sorted, without (0002,0000), which is
   * computed), or `'keep'` to copy the original meta bytes unchanged.
   */
  readonly meta: readonly NewElement[] | 'keep';
  /** Replace the 128-byte preamble by zeros (and write one when the input had none). */
  readonly zeroPreamble: boolean;
}

/** Values at least this long are passed through by reference at the top level instead of copied. */
const SEGMENT_THRESHOLD = 1 << 16;

/** A position in the output that a length may be written to later. */
interface Mark {
  readonly seg: number;
  readonly off: number;
}

/**
 * The output: one growable buffer for headers and small values, and large unchanged values
 * (pixel data) kept as references to the input, so they are copied once, by the final write.
 */
class Sink {
  readonly segments: Uint8Array[] = [];
  private base = 0;
  buf: Uint8Array;
  private view: DataView;
  pos = 0;

  constructor(capacity: number, reuse?: Uint8Array) {
    this.buf = reuse !== undefined && reuse.length >= capacity ? reuse : new Uint8Array(Math.max(1024, capacity));
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  get logical(): number {
    return this.base + this.pos;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  bytes(src: Uint8Array, byReference: boolean): void {
    if (byReference && src.length >= SEGMENT_THRESHOLD) {
      this.segments.push(this.buf.subarray(0, this.pos), src);
      this.base += this.pos + src.length;
      this.buf = new Uint8Array(this.buf.length);
      this.view = new DataView(this.buf.buffer);
      this.pos = 0;
      return;
    }
    this.ensure(src.length);
    this.buf.set(src, this.pos);
    this.pos += src.length;
  }

  tagAndLength(tag: number, length: number, le: boolean): void {
    this.ensure(8);
    this.view.setUint16(this.pos, tag >>> 16, le);
    this.view.setUint16(this.pos + 2, tag & 0xffff, le);
    this.view.setUint32(this.pos + 4, length, le);
    this.pos += 8;
  }

  /** Writes an element header; returns the mark of its length field. */
  header(tag: number, vr: string, length: number, enc: DatasetEncoding): Mark {
    const le = enc.littleEndian;
    if (!enc.explicitVr) {
      this.tagAndLength(tag, length, le);
      return { seg: this.segments.length, off: this.pos - 4 };
    }
    const long = hasLongLength(vr);
    this.ensure(12);
    const v = this.view;
    const at = this.pos;
    v.setUint16(at, tag >>> 16, le);
    v.setUint16(at + 2, tag & 0xffff, le);
    this.buf[at + 4] = vr.charCodeAt(0);
    this.buf[at + 5] = vr.charCodeAt(1);
    if (long) {
      v.setUint16(at + 6, 0, le);
      v.setUint32(at + 8, length, le);
      this.pos += 12;
      return { seg: this.segments.length, off: at + 8 };
    }
    if (length > 0xffff) throw new ProcessingError('value too long for its VR', { location: { tag: formatTag(tag) } });
    v.setUint16(at + 6, length, le);
    this.pos += 8;
    return { seg: this.segments.length, off: -(at + 6) - 1 };
  }

  /** Writes a length at a mark (negative offsets mark 2-byte length fields). */
  patch(mark: Mark, length: number, le: boolean): void {
    let v = this.view;
    if (mark.seg !== this.segments.length) {
      const target = this.segments[mark.seg]!;
      v = new DataView(target.buffer, target.byteOffset, target.byteLength);
    }
    if (mark.off < 0) {
      if (length > 0xffff) throw new ProcessingError('value too long for its VR');
      v.setUint16(-mark.off - 1, length, le);
    } else {
      v.setUint32(mark.off, length, le);
    }
  }

  /** Drops everything written after a logical position (only within the current buffer). */
  truncate(logical: number): void {
    this.pos = logical - this.base;
  }

  parts(): Uint8Array[] {
    return this.pos > 0 || this.segments.length === 0 ? [...this.segments, this.buf.subarray(0, this.pos)] : [...this.segments];
  }
}

const KEEP: ElementAction = Object.freeze({ kind: 'keep' });

function writeNew(el: NewElement, enc: DatasetEncoding, sink: Sink): void {
  const le = enc.littleEndian;
  if (el.items !== undefined) {
    const mark = sink.header(el.tag, 'SQ', 0, enc);
    const start = sink.logical;
    for (const item of el.items) {
      sink.tagAndLength(ITEM_TAG, 0, le);
      const itemMark: Mark = { seg: sink.segments.length, off: sink.pos - 4 };
      const itemStart = sink.logical;
      for (const child of item) writeNew(child, enc, sink);
      sink.patch(itemMark, sink.logical - itemStart, le);
    }
    sink.patch(mark, sink.logical - start, le);
    return;
  }
  const value = el.value ?? new Uint8Array(0);
  sink.header(el.tag, el.vr, value.length, enc);
  if (value.length > 0) sink.bytes(value, false);
}

/**
 * Encodes one new element (header, value, nested items) in a data set encoding.
 * @param el - The element.
 * @param enc - Encoding.
 * @returns Its bytes.
 */
export function encodeNewElement(el: NewElement, enc: DatasetEncoding): Uint8Array {
  const sink = new Sink(256);
  writeNew(el, enc, sink);
  return sink.buf.slice(0, sink.pos);
}

/** Rewrites data sets under a policy into a sink. Returns whether anything changed. */
class Rewriter {
  readonly policy: DatasetPolicy;
  readonly bytes: Uint8Array;
  readonly sink: Sink;

  constructor(policy: DatasetPolicy, bytes: Uint8Array, sink: Sink) {
    this.policy = policy;
    this.bytes = bytes;
    this.sink = sink;
  }

  dataset(elements: readonly DicomElement[], enc: DatasetEncoding, depth: number, path: number[]): boolean {
    const plan = this.policy.planDataset(elements, { depth, path, encoding: enc, bytes: this.bytes });
    const inserts = plan.inserts ?? [];
    const sink = this.sink;
    const le = enc.littleEndian;
    const byRef = depth === 0;
    let ins = 0;
    let changed = inserts.length > 0;
    // Group length (gggg,0000) being tracked: its mark, where the group's content starts, whether it changed.
    let glMark: Mark | undefined;
    let glGroup = -1;
    let glStart = 0;
    let glChanged = false;
    // Consecutive kept elements are copied as one byte range (one copy instead of one per
    // element); the range is written out before anything else goes to the sink.
    let runStart = -1;
    let runEnd = -1;
    let runElements = 0;
    let runLarge = false;
    const flushRun = (): void => {
      if (runStart < 0) return;
      // Only a single element (a large value such as pixel data) may be passed by reference, as
      // documented; a run of many small header elements is copied, so that no result shares
      // header bytes with the caller's input buffer (review M1).
      sink.bytes(this.bytes.subarray(runStart, runEnd), byRef && runElements === 1);
      runStart = -1;
    };
    const closeGroup = (): void => {
      flushRun();
      if (glMark !== undefined && glChanged) sink.patch(glMark, sink.logical - glStart, le);
      glMark = undefined;
      glGroup = -1;
    };
    const groupOf = (tag: number): void => {
      if (glGroup !== -1 && tag >>> 16 !== glGroup) closeGroup();
    };
    for (let i = 0; i <= elements.length; i++) {
      const el = elements[i];
      const tag = el === undefined ? 0x100000000 : el.tag;
      while (ins < inserts.length && inserts[ins]!.tag <= tag) {
        flushRun();
        groupOf(inserts[ins]!.tag);
        glChanged = true;
        writeNew(inserts[ins]!, enc, sink);
        ins++;
      }
      if (el === undefined) break;
      groupOf(tag);
      if (ins > 0 && inserts[ins - 1]!.tag === tag) {
        changed = true;
        glChanged = true;
        continue;
      }
      const action = plan.actions[i] ?? KEEP;
      // A kept group length is re-encoded (and patched if its group changes); other kept elements
      // are copied in runs.
      const groupLength = (tag & 0xffff) === 0 && el.length === 4 && !el.items;
      if (action.kind === 'keep' && !groupLength) {
        // A large element (pixel data) makes a run of its own, so that it can go by reference.
        const large = el.end - el.start >= SEGMENT_THRESHOLD;
        if (runStart >= 0 && runEnd === el.start && !large && !runLarge) {
          runEnd = el.end;
          runElements++;
        } else {
          flushRun();
          runStart = el.start;
          runEnd = el.end;
          runElements = 1;
          runLarge = large;
        }
        continue;
      }
      flushRun();
      switch (action.kind) {
        case 'keep':
          // A group length (other kept elements went into the runs above).
          closeGroup();
          sink.header(tag, el.vr, 4, enc);
          glMark = { seg: sink.segments.length, off: sink.pos };
          sink.bytes(this.bytes.subarray(el.valueStart, el.end), false);
          glGroup = tag >>> 16;
          glStart = sink.logical;
          glChanged = false;
          // An unchanged group keeps its original bytes; the header was re-encoded identically.
          break;
        case 'remove':
          changed = true;
          glChanged = true;
          break;
        case 'empty':
          changed = true;
          glChanged = true;
          if (el.items !== undefined && !el.encapsulated && el.length === UNDEFINED_LENGTH) {
            sink.header(tag, el.vr, UNDEFINED_LENGTH, enc);
            sink.tagAndLength(SEQUENCE_DELIMITER_TAG, 0, le);
          } else {
            sink.header(tag, el.vr, 0, enc);
          }
          break;
        case 'replace':
          changed = true;
          glChanged = true;
          sink.header(tag, action.vr ?? el.vr, action.value.length, enc);
          if (action.value.length > 0) sink.bytes(action.value, byRef);
          break;
        case 'recurse':
          if (this.sequence(el, enc, depth, path)) {
            changed = true;
            glChanged = true;
          }
          break;
      }
    }
    closeGroup();
    return changed;
  }

  sequence(el: DicomElement, enc: DatasetEncoding, depth: number, path: number[]): boolean {
    const sink = this.sink;
    if (el.items === undefined || el.encapsulated) {
      // Not a sequence: write it as it is, through the header encoder.
      sink.header(el.tag, el.vr, el.length, enc);
      sink.bytes(this.bytes.subarray(el.valueStart, el.end), depth === 0);
      return true;
    }
    const le = enc.littleEndian;
    const itemEnc = el.itemEncoding ?? enc;
    const startLogical = sink.logical;
    const segmentsBefore = sink.segments.length;
    const undefinedLength = el.length === UNDEFINED_LENGTH;
    const mark = sink.header(el.tag, el.vr, undefinedLength ? UNDEFINED_LENGTH : 0, enc);
    const contentStart = sink.logical;
    let changed = false;
    path.push(el.tag);
    for (const item of el.items) if (this.item(item, itemEnc, depth + 1, path)) changed = true;
    path.pop();
    if (!changed && sink.segments.length === segmentsBefore) {
      sink.truncate(startLogical);
      sink.bytes(this.bytes.subarray(el.start, el.end), false);
      return false;
    }
    if (undefinedLength) sink.tagAndLength(SEQUENCE_DELIMITER_TAG, 0, le);
    else sink.patch(mark, sink.logical - contentStart, le);
    return true;
  }

  item(item: DicomItem, enc: DatasetEncoding, depth: number, path: number[]): boolean {
    const sink = this.sink;
    const le = enc.littleEndian;
    const start = sink.logical;
    const undefinedLength = item.length === UNDEFINED_LENGTH;
    sink.tagAndLength(ITEM_TAG, undefinedLength ? UNDEFINED_LENGTH : 0, le);
    const mark: Mark = { seg: sink.segments.length, off: sink.pos - 4 };
    const bodyStart = sink.logical;
    const changed = this.dataset(item.elements, enc, depth, path);
    if (!changed) {
      sink.truncate(start);
      sink.bytes(this.bytes.subarray(item.start, item.end), false);
      return false;
    }
    if (undefinedLength) sink.tagAndLength(ITEM_DELIMITER_TAG, 0, le);
    else sink.patch(mark, sink.logical - bodyStart, le);
    return true;
  }
}

/** A reusable output buffer (up to 4 MiB), so each call does not allocate and collect one. */
let scratch: Uint8Array | undefined;
/** The same for the preamble and file meta. */
let headScratch: Uint8Array | undefined;
/** Four zero bytes (a length written later). */
const ZERO4: Uint8Array = new Uint8Array(4);
/** A zeroed preamble followed by `DICM` (copied into each output, never changed). */
const ZERO_PREAMBLE: Uint8Array = (() => {
  const pre = new Uint8Array(132);
  pre.set([0x44, 0x49, 0x43, 0x4d], 128);
  return pre;
})();
const SCRATCH_LIMIT = 4 << 20;

/** The result of {@link rewriteDicom}. */
export interface RewriteResult {
  /** The output file as consecutive parts (large unchanged values are views of the input): write them in order. */
  readonly parts: readonly Uint8Array[];
  /** Total length of the parts. */
  readonly length: number;
  /** The output file in one array (concatenated on first access). */
  readonly bytes: Uint8Array;
  /** Whether the data set changed. */
  readonly changed: boolean;
}

/**
 * Rewrites a parsed file: the data set under `policy`, then the preamble and file meta as
 * `options` say. Unchanged elements, items and sequences are copied byte for byte, so a policy
 * that keeps everything (with `meta: 'keep'` and `zeroPreamble: false`) returns the input bytes.
 * Large unchanged top-level values (pixel data) are not copied: {@link RewriteResult.parts}
 * references them in the input.
 * @param parsed - From {@link parseDicom}.
 * @param policy - Decides what happens to each element.
 * @param options - Meta and preamble handling; `meta` may be a function called after the data set
 *   is rewritten (so it can use values the policy computed, such as the new SOP Instance UID).
 *   With `transient`, parts may point into an internal buffer that the next call reuses: write
 *   them out before calling again (saves one copy per file).
 * @returns The new file.
 * @throws {@link ProcessingError} when a replacement value does not fit its VR's length field.
 * @example Keeping everything reproduces the input
 * ```ts
 * import { parseDicom, rewriteDicom } from 'health-anonymizer/dicom';
 * declare const file: Uint8Array;
 * const parsed = parseDicom(file);
 * const keepAll = { planDataset: (els: readonly unknown[]) => ({ actions: els.map(() => ({ kind: 'keep' as const })) }) };
 * rewriteDicom(parsed, keepAll, { meta: 'keep', zeroPreamble: false }).bytes; // same bytes as file
 * ```
 */
export function rewriteDicom(
  parsed: ParsedDicom,
  policy: DatasetPolicy,
  options: {
    readonly meta: WriteOptions['meta'] | (() => WriteOptions['meta']);
    readonly zeroPreamble: boolean;
    readonly transient?: boolean;
    /** Another implementation of the data set rewrite (the WASM twin); `undefined` from it means "use JS". */
    readonly datasetRewriter?: (parsed: ParsedDicom, policy: DatasetPolicy) => { body: Uint8Array; changed: boolean } | undefined;
  },
): RewriteResult {
  const sink = new Sink(Math.min(parsed.bytes.length - parsed.bytesStart + 1024, 1 << 20), scratch);
  scratch = undefined; // not shared while in use (a policy could rewrite another file)
  let changed: boolean;
  let external: Uint8Array | undefined;
  try {
    const other = options.datasetRewriter?.(parsed, policy);
    if (other !== undefined) {
      changed = other.changed;
      external = other.body;
    } else {
      changed = new Rewriter(policy, parsed.bytes, sink).dataset(parsed.dataset, parsed.encoding, 0, []);
    }
  } catch (err) {
    scratch = sink.buf.length <= SCRATCH_LIMIT ? sink.buf : undefined;
    throw err;
  }
  const meta = typeof options.meta === 'function' ? options.meta() : options.meta;
  const src = parsed.source;
  const head = new Sink(512, headScratch);
  headScratch = undefined;
  if (options.zeroPreamble) {
    head.bytes(ZERO_PREAMBLE, false);
  } else if (parsed.hasPreamble) {
    head.bytes(src.subarray(0, 132), false);
  }
  if (meta === 'keep') {
    head.bytes(src.subarray(parsed.metaStart, parsed.datasetStart), false);
  } else {
    const mark = head.header(0x00020000, 'UL', 4, EXPLICIT_LE);
    head.bytes(ZERO4, false);
    const start = head.logical;
    for (const el of meta) writeNew(el, EXPLICIT_LE, head);
    head.patch({ seg: mark.seg, off: -mark.off - 1 + 2 }, head.logical - start, true);
  }
  let body: Uint8Array[];
  const written = external !== undefined ? [external] : sink.parts();
  if (!changed) body = [src.subarray(parsed.datasetStart)];
  else if (parsed.deflated) body = [deflateCodec().deflateRaw(concatBytes(written, { reuseSingle: true }))];
  else body = written;
  // Copy the small parts (which live in the reusable scratch buffer) into one exact-size array per
  // run of consecutive small parts; large parts stay views of the input.
  const parts: Uint8Array[] = [];
  let run: Uint8Array[] = [];
  const flush = (): void => {
    if (run.length > 0) parts.push(concatBytes(run));
    run = [];
  };
  for (const p of [...head.parts(), ...body]) {
    if (p.length === 0) continue;
    if (options.transient === true || (p.length >= SEGMENT_THRESHOLD && p.buffer !== sink.buf.buffer && p.buffer !== head.buf.buffer)) {
      flush();
      parts.push(p);
    } else {
      run.push(p);
    }
  }
  flush();
  if (sink.buf.length <= SCRATCH_LIMIT) scratch = sink.buf;
  if (head.buf.length <= SCRATCH_LIMIT) headScratch = head.buf;
  let length = 0;
  for (const p of parts) length += p.length;
  return new Rewritten(parts, length, changed);
}

/**
 * A {@link RewriteResult} whose `bytes` are joined on first access. A class, not an object
 * literal with a getter: V8 (Node 20 to 24) keeps the getter closure of such a literal, and what
 * it captures (here the output parts), alive through minor collections until the next full one.
 * `bytes` stays an own enumerable property, as it was on the literal (spread, `Object.keys`,
 * `structuredClone` see it), through one descriptor shared by every instance.
 */
class Rewritten implements RewriteResult {
  declare readonly bytes: Uint8Array;
  readonly parts: readonly Uint8Array[];
  readonly length: number;
  readonly changed: boolean;
  #joined: Uint8Array | undefined;

  static readonly #bytesProperty: PropertyDescriptor = {
    enumerable: true,
    get(this: Rewritten): Uint8Array {
      this.#joined ??= concatBytes(this.parts, { reuseSingle: true });
      return this.#joined;
    },
  };

  constructor(parts: readonly Uint8Array[], length: number, changed: boolean) {
    this.parts = parts;
    this.length = length;
    this.changed = changed;
    Object.defineProperty(this, 'bytes', Rewritten.#bytesProperty);
  }
}

