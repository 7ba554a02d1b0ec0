/**
 * The byte-level DICOM rewriter: copies unchanged byte ranges, replaces, removes and inserts
 * elements, recomputes the defined lengths of enclosing items and sequences and any group
 * length (gggg,0000) of a changed group, and copies pixel data once without decoding it.
 * What to do with each element is decided by a {@link DatasetPolicy}.
 * @module
 */
import { ProcessingError } from '../errors.ts';
import { formatTag } from './dictionary.ts';
import { deflateRaw } from './deflate.ts';
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

/** Output of one data set: parts to concatenate and whether anything changed. */
interface Out {
  parts: Uint8Array[];
  size: number;
  changed: boolean;
}

const KEEP: ElementAction = Object.freeze({ kind: 'keep' });

/**
 * Encodes one element header.
 * @param tag - Tag.
 * @param vr - VR (explicit data sets only).
 * @param length - Value length, or {@link UNDEFINED_LENGTH}.
 * @param enc - Encoding.
 * @returns The header bytes (8 or 12).
 * @throws {@link ProcessingError} when a value is too long for a short-length VR.
 */
function header(tag: number, vr: string, length: number, enc: DatasetEncoding): Uint8Array {
  const le = enc.littleEndian;
  if (!enc.explicitVr) {
    const h = new Uint8Array(8);
    const v = new DataView(h.buffer);
    v.setUint16(0, tag >>> 16, le);
    v.setUint16(2, tag & 0xffff, le);
    v.setUint32(4, length, le);
    return h;
  }
  const long = hasLongLength(vr);
  const h = new Uint8Array(long ? 12 : 8);
  const v = new DataView(h.buffer);
  v.setUint16(0, tag >>> 16, le);
  v.setUint16(2, tag & 0xffff, le);
  h[4] = vr.charCodeAt(0);
  h[5] = vr.charCodeAt(1);
  if (long) {
    v.setUint32(8, length, le);
  } else {
    if (length > 0xffff) throw new ProcessingError('value too long for its VR', { location: { tag: formatTag(tag) } });
    v.setUint16(6, length, le);
  }
  return h;
}

function itemHeader(tag: number, length: number, le: boolean): Uint8Array {
  const h = new Uint8Array(8);
  const v = new DataView(h.buffer);
  v.setUint16(0, tag >>> 16, le);
  v.setUint16(2, tag & 0xffff, le);
  v.setUint32(4, length, le);
  return h;
}

function push(out: Out, part: Uint8Array): void {
  out.parts.push(part);
  out.size += part.length;
}

function encodeNew(el: NewElement, enc: DatasetEncoding, out: Out): void {
  if (el.items !== undefined) {
    const inner: Out = { parts: [], size: 0, changed: true };
    for (const item of el.items) {
      const body: Out = { parts: [], size: 0, changed: true };
      for (const child of item) encodeNew(child, enc, body);
      push(inner, itemHeader(ITEM_TAG, body.size, enc.littleEndian));
      for (const p of body.parts) push(inner, p);
    }
    push(out, header(el.tag, 'SQ', inner.size, enc));
    for (const p of inner.parts) push(out, p);
    return;
  }
  const value = el.value ?? new Uint8Array(0);
  push(out, header(el.tag, el.vr, value.length, enc));
  if (value.length > 0) push(out, value);
}

/** Rewrites data sets under a policy. */
class Rewriter {
  readonly policy: DatasetPolicy;
  readonly bytes: Uint8Array;

  constructor(policy: DatasetPolicy, bytes: Uint8Array) {
    this.policy = policy;
    this.bytes = bytes;
  }

  dataset(elements: readonly DicomElement[], enc: DatasetEncoding, depth: number, path: number[], out: Out): void {
    const plan = this.policy.planDataset(elements, { depth, path, encoding: enc, bytes: this.bytes });
    const inserts = plan.inserts ?? [];
    const insertTags = new Set(inserts.map((e) => e.tag));
    // Each output element as its own part list, so group lengths can be fixed afterwards.
    const outs: { tag: number; out: Out; groupLength?: DicomElement }[] = [];
    let ins = 0;
    const flushInserts = (beforeTag: number): void => {
      while (ins < inserts.length && inserts[ins]!.tag < beforeTag) {
        const o: Out = { parts: [], size: 0, changed: true };
        encodeNew(inserts[ins]!, enc, o);
        outs.push({ tag: inserts[ins]!.tag, out: o });
        ins++;
      }
    };
    let changed = inserts.length > 0;
    for (let i = 0; i < elements.length; i++) {
      const el = elements[i]!;
      flushInserts(el.tag);
      if (insertTags.has(el.tag)) {
        changed = true;
        continue;
      }
      const action = plan.actions[i] ?? KEEP;
      const o: Out = { parts: [], size: 0, changed: false };
      switch (action.kind) {
        case 'keep':
          push(o, this.bytes.subarray(el.start, el.end));
          break;
        case 'remove':
          o.changed = true;
          break;
        case 'empty':
          o.changed = true;
          if (el.items !== undefined && !el.encapsulated) this.emptySequence(el, enc, o);
          else push(o, header(el.tag, action.kind === 'empty' && el.vr === 'SQ' ? 'SQ' : el.vr, 0, enc));
          break;
        case 'replace': {
          o.changed = true;
          const vr = action.vr ?? el.vr;
          push(o, header(el.tag, vr, action.value.length, enc));
          if (action.value.length > 0) push(o, action.value);
          break;
        }
        case 'recurse':
          this.sequence(el, enc, depth, path, o);
          break;
      }
      if (o.changed) changed = true;
      if (action.kind !== 'remove') {
        outs.push((el.tag & 0xffff) === 0 && action.kind === 'keep' && el.length === 4 ? { tag: el.tag, out: o, groupLength: el } : { tag: el.tag, out: o });
      }
    }
    flushInserts(0x100000000);
    out.changed = out.changed || changed;
    if (changed) this.fixGroupLengths(outs, enc);
    for (const o of outs) for (const p of o.out.parts) push(out, p);
  }

  fixGroupLengths(outs: { tag: number; out: Out; groupLength?: DicomElement }[], enc: DatasetEncoding): void {
    for (let i = 0; i < outs.length; i++) {
      const gl = outs[i]!.groupLength;
      if (gl === undefined) continue;
      const group = gl.tag >>> 16;
      let size = 0;
      let groupChanged = false;
      for (let j = i + 1; j < outs.length && outs[j]!.tag >>> 16 === group; j++) {
        size += outs[j]!.out.size;
        if (outs[j]!.out.changed) groupChanged = true;
      }
      if (!groupChanged) continue;
      const o: Out = { parts: [], size: 0, changed: true };
      const value = new Uint8Array(4);
      new DataView(value.buffer).setUint32(0, size, enc.littleEndian);
      push(o, header(gl.tag, 'UL', 4, enc));
      push(o, value);
      outs[i] = { tag: gl.tag, out: o };
    }
  }

  emptySequence(el: DicomElement, enc: DatasetEncoding, out: Out): void {
    if (el.length === UNDEFINED_LENGTH) {
      push(out, header(el.tag, el.vr, UNDEFINED_LENGTH, enc));
      push(out, itemHeader(SEQUENCE_DELIMITER_TAG, 0, enc.littleEndian));
    } else {
      push(out, header(el.tag, el.vr, 0, enc));
    }
  }

  sequence(el: DicomElement, enc: DatasetEncoding, depth: number, path: number[], out: Out): void {
    if (el.items === undefined || el.encapsulated) {
      // Not a sequence: nothing to recurse into; write the value as it is, through the header encoder.
      push(out, header(el.tag, el.vr, el.length, enc));
      push(out, this.bytes.subarray(el.valueStart, el.end));
      return;
    }
    const itemEnc = el.itemEncoding ?? enc;
    const inner: Out = { parts: [], size: 0, changed: false };
    path.push(el.tag);
    for (const item of el.items) this.item(item, itemEnc, depth + 1, path, inner);
    path.pop();
    out.changed = out.changed || inner.changed;
    if (!inner.changed) {
      push(out, this.bytes.subarray(el.start, el.end));
      return;
    }
    if (el.length === UNDEFINED_LENGTH) {
      push(out, header(el.tag, el.vr, UNDEFINED_LENGTH, enc));
      for (const p of inner.parts) push(out, p);
      push(out, itemHeader(SEQUENCE_DELIMITER_TAG, 0, enc.littleEndian));
    } else {
      push(out, header(el.tag, el.vr, inner.size, enc));
      for (const p of inner.parts) push(out, p);
    }
  }

  item(item: DicomItem, enc: DatasetEncoding, depth: number, path: number[], out: Out): void {
    const body: Out = { parts: [], size: 0, changed: false };
    this.dataset(item.elements, enc, depth, path, body);
    if (!body.changed) {
      push(out, this.bytes.subarray(item.start, item.end));
      return;
    }
    out.changed = true;
    if (item.length === UNDEFINED_LENGTH) {
      push(out, itemHeader(ITEM_TAG, UNDEFINED_LENGTH, enc.littleEndian));
      for (const p of body.parts) push(out, p);
      push(out, itemHeader(ITEM_DELIMITER_TAG, 0, enc.littleEndian));
    } else {
      push(out, itemHeader(ITEM_TAG, body.size, enc.littleEndian));
      for (const p of body.parts) push(out, p);
    }
  }
}

function concat(parts: readonly Uint8Array[], size: number): Uint8Array {
  const result = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    result.set(p, at);
    at += p.length;
  }
  return result;
}

/** The result of {@link rewriteDicom}. */
export interface RewriteResult {
  /** The output file bytes. */
  readonly bytes: Uint8Array;
  /** Whether the data set changed. */
  readonly changed: boolean;
}

/**
 * Rewrites a parsed file: the data set under `policy`, then the preamble and file meta as
 * `options` say. Unchanged elements, items and sequences are copied byte for byte, so a policy
 * that keeps everything (with `meta: 'keep'` and `zeroPreamble: false`) returns the input bytes.
 * @param parsed - From {@link parseDicom}.
 * @param policy - Decides what happens to each element.
 * @param options - Meta and preamble handling; `meta` may be a function called after the data set
 *   is rewritten (so it can use values the policy computed, such as the new SOP Instance UID).
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
  options: { readonly meta: WriteOptions['meta'] | (() => WriteOptions['meta']); readonly zeroPreamble: boolean },
): RewriteResult {
  const rewriter = new Rewriter(policy, parsed.bytes);
  const body: Out = { parts: [], size: 0, changed: false };
  rewriter.dataset(parsed.dataset, parsed.encoding, 0, [], body);
  const meta = typeof options.meta === 'function' ? options.meta() : options.meta;
  const src = parsed.source;
  const parts: Uint8Array[] = [];
  let size = 0;
  const add = (p: Uint8Array): void => {
    parts.push(p);
    size += p.length;
  };
  // Preamble.
  if (options.zeroPreamble) {
    const pre = new Uint8Array(132);
    pre.set([0x44, 0x49, 0x43, 0x4d], 128);
    add(pre);
  } else if (parsed.hasPreamble) {
    add(src.subarray(0, 132));
  }
  // File meta.
  if (meta === 'keep') {
    add(src.subarray(parsed.metaStart, parsed.datasetStart));
  } else {
    const m: Out = { parts: [], size: 0, changed: true };
    for (const el of meta) encodeNew(el, EXPLICIT_LE, m);
    const gl = new Uint8Array(12);
    const v = new DataView(gl.buffer);
    v.setUint16(0, 0x0002, true);
    v.setUint16(2, 0x0000, true);
    gl[4] = 0x55; // U
    gl[5] = 0x4c; // L
    v.setUint16(6, 4, true);
    v.setUint32(8, m.size, true);
    add(gl);
    for (const p of m.parts) add(p);
  }
  // Data set.
  if (!body.changed) {
    add(src.subarray(parsed.datasetStart));
  } else if (parsed.deflated) {
    add(deflateRaw(concat(body.parts, body.size)));
  } else {
    for (const p of body.parts) add(p);
  }
  return { bytes: concat(parts, size), changed: body.changed };
}
