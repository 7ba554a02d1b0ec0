/** Test helpers: walk a parsed file at every depth; build small data sets by hand. */
import { parseDicom, UNDEFINED_LENGTH, type DicomElement, type ParsedDicom } from '../../src/dicom/parse.ts';
import { decodeAscii } from '../../src/dicom/encode-value.ts';

/** One element with its tag path. */
export interface Visit {
  readonly path: readonly number[];
  readonly el: DicomElement;
  readonly bytes: Uint8Array;
  /** Whether it is a file meta element. */
  readonly meta: boolean;
}

/** Every element of a file, file meta first, depth-first. */
export function walk(parsed: ParsedDicom): Visit[] {
  const out: Visit[] = [];
  for (const el of parsed.meta) out.push({ path: [el.tag], el, bytes: parsed.source, meta: true });
  const rec = (els: readonly DicomElement[], path: number[]): void => {
    for (const el of els) {
      const p = [...path, el.tag];
      out.push({ path: p, el, bytes: parsed.bytes, meta: false });
      if (el.items !== undefined && !el.encapsulated) for (const item of el.items) rec(item.elements, p);
    }
  };
  rec(parsed.dataset, []);
  return out;
}

/** The value bytes of a visit. */
export function valueBytes(v: Visit): Uint8Array {
  return v.bytes.subarray(v.el.valueStart, v.el.valueStart + (v.el.length === UNDEFINED_LENGTH ? 0 : v.el.length));
}

/** The value of a visit as text without padding. */
export function text(v: Visit): string {
  return decodeAscii(valueBytes(v));
}

/** Values of every element with a tag, at any depth. */
export function valuesOf(bytes: Uint8Array, tag: number): string[] {
  return walk(parseDicom(bytes)).filter((v) => v.el.tag === tag).map(text);
}

/** First top-level (or meta) value of a tag. */
export function top(bytes: Uint8Array, tag: number): string | undefined {
  const v = walk(parseDicom(bytes)).find((x) => x.el.tag === tag && x.path.length === 1);
  return v === undefined ? undefined : text(v);
}

/** Whether `needle` occurs anywhere in `hay`. */
export function containsBytes(hay: Uint8Array, needle: Uint8Array): boolean {
  if (needle.length === 0) return true;
  const first = needle[0]!;
  outer: for (let i = hay.indexOf(first); i !== -1 && i <= hay.length - needle.length; i = hay.indexOf(first, i + 1)) {
    for (let j = 1; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** Little-endian explicit VR element bytes (short or long header by VR). */
export function explicitLe(tag: number, vr: string, value: Uint8Array | string): number[] {
  const v = typeof value === 'string' ? [...new TextEncoder().encode(value.length % 2 ? value + (vr === 'UI' ? '\0' : ' ') : value)] : [...value];
  const h = [tag >>> 16 & 255, tag >>> 24 & 255, tag & 255, tag >>> 8 & 255, vr.charCodeAt(0), vr.charCodeAt(1)];
  const long = ['OB', 'OW', 'SQ', 'UN', 'UT', 'UC', 'UR', 'OD', 'OF', 'OL', 'OV', 'SV', 'UV'].includes(vr);
  const n = v.length;
  return long ? [...h, 0, 0, n & 255, n >>> 8 & 255, n >>> 16 & 255, n >>> 24 & 255, ...v] : [...h, n & 255, n >>> 8 & 255, ...v];
}

/** Little-endian implicit VR element bytes. */
export function implicitLe(tag: number, value: Uint8Array | string, padNul = false): number[] {
  const v = typeof value === 'string' ? [...new TextEncoder().encode(value.length % 2 ? value + (padNul ? '\0' : ' ') : value)] : [...value];
  const n = v.length;
  return [tag >>> 16 & 255, tag >>> 24 & 255, tag & 255, tag >>> 8 & 255, n & 255, n >>> 8 & 255, n >>> 16 & 255, n >>> 24 & 255, ...v];
}
