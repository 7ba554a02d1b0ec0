/**
 * A byte-level DICOM Part 10 parser (PS3.10 §7, PS3.5 §7): it records where each element,
 * sequence, item and fragment lies in the input and never copies or decodes a value.
 * Every malformation raises a {@link DicomParseError} with the byte offset and the tag path.
 * @module
 */
import { DicomParseError } from '../errors.ts';
import { implicitVr, formatTag } from './dictionary.ts';
import { latin1 } from './encode-value.ts';
import { InflateLimitError, deflateCodec } from './deflate-codec.ts';
import { scanDatasetWasm } from './wasm-scanner.ts';
import {
  EXPLICIT_BE, EXPLICIT_LE, IMPLICIT_LE, transferSyntaxEncoding,
  type DatasetEncoding,
} from './transfer-syntax.ts';

/** The length value meaning "undefined length, ended by a delimiter". */
export const UNDEFINED_LENGTH = 0xffffffff;
/** Item tag (FFFE,E000). */
export const ITEM_TAG = 0xfffee000;
/** Item Delimitation Item tag (FFFE,E00D). */
export const ITEM_DELIMITER_TAG = 0xfffee00d;
/** Sequence Delimitation Item tag (FFFE,E0DD). */
export const SEQUENCE_DELIMITER_TAG = 0xfffee0dd;
/** Pixel Data (7FE0,0010). */
export const PIXEL_DATA_TAG = 0x7fe00010;
/** Deepest nesting of sequences accepted; deeper input is rejected as malformed. */
export const MAX_DEPTH = 64;

/** One data element, located in {@link ParsedDicom.bytes} (or the source, for file meta). */
export interface DicomElement {
  /** `((group << 16) | element) >>> 0`. */
  readonly tag: number;
  /** Explicit VR as read, or the dictionary VR for implicit data sets (`UN` when unknown). */
  readonly vr: string;
  /** Offset of the element header. */
  readonly start: number;
  /** Offset of the value. */
  readonly valueStart: number;
  /** Value length as encoded; {@link UNDEFINED_LENGTH} for undefined length. */
  readonly length: number;
  /** Offset just past the element, including any sequence delimiter. */
  readonly end: number;
  /** Items of a sequence (SQ, or UN / private element with undefined length). */
  readonly items: readonly DicomItem[] | undefined;
  /** Encoding of the items' content, when it differs from the enclosing data set (UN sequences: implicit LE). */
  readonly itemEncoding: DatasetEncoding | undefined;
  /** True for encapsulated (fragmented) pixel data: items are fragments and are never parsed. */
  readonly encapsulated: boolean;
}

/** One item of a sequence. */
export interface DicomItem {
  /** Offset of the item header (FFFE,E000). */
  readonly start: number;
  /** Offset of the item's first element. */
  readonly valueStart: number;
  /** Item length as encoded; {@link UNDEFINED_LENGTH} when ended by an item delimiter. */
  readonly length: number;
  /** Offset just past the item, including its delimiter. */
  readonly end: number;
  /** The item's elements. */
  readonly elements: readonly DicomElement[];
}

/** A parsed file: where its parts are, and its data set tree. */
export interface ParsedDicom {
  /** The input as given. */
  readonly source: Uint8Array;
  /** Whether the input starts with the 128-byte preamble and `DICM`. */
  readonly hasPreamble: boolean;
  /** File meta elements (group 0002), located in {@link ParsedDicom.source}; empty without meta. */
  readonly meta: readonly DicomElement[];
  /** Offset in the source where file meta starts (132 with a preamble, else 0). */
  readonly metaStart: number;
  /** Offset in the source where the data set starts. */
  readonly datasetStart: number;
  /** Transfer Syntax UID (from the meta, or inferred for files without meta). */
  readonly transferSyntax: string;
  /** Whether the transfer syntax was inferred from the data set bytes. */
  readonly transferSyntaxInferred: boolean;
  /** Data set encoding. */
  readonly encoding: DatasetEncoding;
  /** Whether the data set is deflated in the source. */
  readonly deflated: boolean;
  /** The bytes that hold the data set: the source, or the inflated data set when deflated. */
  readonly bytes: Uint8Array;
  /** Offset of the data set in {@link ParsedDicom.bytes}. */
  readonly bytesStart: number;
  /** Top-level data set elements, located in {@link ParsedDicom.bytes}. */
  readonly dataset: readonly DicomElement[];
}

/** Options of {@link parseDicom}. */
export interface ParseOptions {
  /** File name to put in error locations. */
  readonly file?: string;
  /** Which walker scans the data set: `js` (default) or `wasm` (the AssemblyScript twin; same tree). */
  readonly scanner?: 'js' | 'wasm';
}

const KNOWN_VRS = new Set([
  'AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FD', 'FL', 'IS', 'LO', 'LT', 'OB', 'OD', 'OF', 'OL', 'OV', 'OW',
  'PN', 'SH', 'SL', 'SQ', 'SS', 'ST', 'SV', 'TM', 'UC', 'UI', 'UL', 'UN', 'UR', 'US', 'UT', 'UV',
]);
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'SV', 'UV']);
/** Known VRs by their two bytes (`b0 << 8 | b1`, an index into 65,536 slots), interned, with the long-length flag. */
const VR_BY_CODE: readonly ({ vr: string; long: boolean } | undefined)[] = (() => {
  const table: ({ vr: string; long: boolean } | undefined)[] = new Array(65536).fill(undefined);
  for (const vr of KNOWN_VRS) table[(vr.charCodeAt(0) << 8) | vr.charCodeAt(1)] = { vr, long: LONG_VRS.has(vr) };
  return table;
})();

/**
 * Whether an explicit VR uses the 4-byte length form (PS3.5 Table 7.1-1).
 * @param vr - Two-letter VR.
 * @returns `true` for OB, OD, OF, OL, OV, OW, SQ, UC, UN, UR, UT, SV, UV.
 * @example
 * ```ts
 * import { hasLongLength } from 'health-anonymizer/dicom';
 * hasLongLength('SQ'); // true
 * ```
 */
export function hasLongLength(vr: string): boolean {
  return LONG_VRS.has(vr);
}

/**
 * Whether a two-letter code is a VR of PS3.5 Table 6.2-1.
 * @param vr - Candidate VR.
 * @returns `true` when known.
 * @example
 * ```ts
 * import { isKnownVr } from 'health-anonymizer/dicom';
 * isKnownVr('PN'); // true
 * ```
 */
export function isKnownVr(vr: string): boolean {
  return KNOWN_VRS.has(vr);
}

class Reader {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly file: string | undefined;
  readonly path: number[] = [];
  /** Added to offsets in errors. */
  readonly offsetBase: number;
  /** For an inflated data set: where its compressed stream starts in the file (errors then say both). */
  readonly deflatedAt: number | undefined;

  constructor(bytes: Uint8Array, file: string | undefined, offsetBase = 0, deflatedAt?: number) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.file = file;
    this.offsetBase = offsetBase;
    this.deflatedAt = deflatedAt;
  }

  fail(message: string, offset: number, tag?: number): never {
    const tags = tag === undefined ? this.path : [...this.path, tag];
    // In a deflated file the offset is the file offset of the compressed data set; the message
    // gives the position in the inflated bytes.
    const inflated = this.deflatedAt !== undefined;
    throw new DicomParseError(inflated ? `${message} (at byte ${offset} of the inflated data set)` : message, {
      location: {
        ...(this.file !== undefined ? { file: this.file } : {}),
        offset: inflated ? this.deflatedAt! : offset + this.offsetBase,
        ...(tags.length > 0 ? { tag: tags.map(formatTag).join('/') } : {}),
      },
    });
  }

  u16(offset: number, le: boolean): number {
    return this.view.getUint16(offset, le);
  }

  u32(offset: number, le: boolean): number {
    return this.view.getUint32(offset, le);
  }

  tag(offset: number, le: boolean): number {
    return ((this.view.getUint16(offset, le) << 16) | this.view.getUint16(offset + 2, le)) >>> 0;
  }

  /**
   * Parses elements from `pos` up to `end`. With `delimited`, stops after an item delimiter
   * and returns its end; otherwise the data set must end exactly at `end`.
   */
  dataset(pos: number, end: number, enc: DatasetEncoding, depth: number, delimited: boolean, out: DicomElement[]): number {
    const le = enc.littleEndian;
    let previous = -1;
    while (pos < end) {
      if (pos + 8 > end) this.fail('truncated element header', pos);
      const tag = this.tag(pos, le);
      if (tag === ITEM_DELIMITER_TAG) {
        if (!delimited) this.fail('item delimiter outside an undefined-length item', pos, tag);
        return pos + 8;
      }
      if (tag >>> 16 === 0xfffe) this.fail('item or delimiter tag where an element was expected', pos, tag);
      // PS3.5 §7.1: ascending order, each tag once. A repeated or out-of-order element would be
      // ambiguous (readers keep the first, policies and inserted markers see another): rejected.
      if (tag <= previous) this.fail('element repeated or not in ascending tag order', pos, tag);
      previous = tag;
      out.push(this.element(pos, end, tag, enc, depth));
      pos = out[out.length - 1]!.end;
    }
    if (delimited) this.fail('missing item delimiter', end);
    return pos;
  }

  element(pos: number, end: number, tag: number, enc: DatasetEncoding, depth: number): DicomElement {
    const le = enc.littleEndian;
    let vr: string;
    let length: number;
    let valueStart: number;
    if (enc.explicitVr) {
      const known = VR_BY_CODE[(this.bytes[pos + 4]! << 8) | this.bytes[pos + 5]!];
      if (known === undefined) this.fail('invalid VR', pos + 4, tag);
      vr = known.vr;
      if (known.long) {
        if (pos + 12 > end) this.fail('truncated element header', pos, tag);
        length = this.u32(pos + 8, le);
        valueStart = pos + 12;
      } else {
        length = this.u16(pos + 6, le);
        valueStart = pos + 8;
      }
    } else {
      vr = implicitVr(tag);
      length = this.u32(pos + 4, le);
      valueStart = pos + 8;
    }
    if (length === UNDEFINED_LENGTH) {
      if (tag === PIXEL_DATA_TAG || (enc.explicitVr && (vr === 'OB' || vr === 'OW'))) {
        const fragments = this.fragments(valueStart, end, tag);
        return { tag, vr, start: pos, valueStart, length, end: fragments.end, items: fragments.items, itemEncoding: undefined, encapsulated: true };
      }
      if (vr === 'SQ' || vr === 'UN' || !enc.explicitVr) {
        const itemEncoding = vr === 'SQ' ? enc : IMPLICIT_LE;
        const seq = this.sequence(valueStart, end, true, itemEncoding, depth, tag);
        return { tag, vr, start: pos, valueStart, length, end: seq.end, items: seq.items, itemEncoding: itemEncoding === enc ? undefined : itemEncoding, encapsulated: false };
      }
      this.fail('undefined length on an element that cannot have one', pos, tag);
    }
    const valueEnd = valueStart + length;
    if (valueEnd > end) this.fail('value length past the end of its container', pos, tag);
    if (vr === 'SQ') {
      const seq = this.sequence(valueStart, valueEnd, false, enc, depth, tag);
      return { tag, vr, start: pos, valueStart, length, end: valueEnd, items: seq.items, itemEncoding: undefined, encapsulated: false };
    }
    if (this.isUnSequence(tag, vr, enc, valueStart, length)) {
      const seq = this.sequence(valueStart, valueEnd, false, IMPLICIT_LE, depth, tag);
      return { tag, vr, start: pos, valueStart, length, end: valueEnd, items: seq.items, itemEncoding: enc === IMPLICIT_LE ? undefined : IMPLICIT_LE, encapsulated: false };
    }
    return { tag, vr, start: pos, valueStart, length, end: valueEnd, items: undefined, itemEncoding: undefined, encapsulated: false };
  }

  /**
   * Whether a defined-length value that is not an SQ is a sequence re-encoded as UN (PS3.5 §6.2.2:
   * its items are implicit VR little endian): an explicit UN element whose dictionary VR is SQ, or
   * whose value starts with an item tag (Pixel Data excepted); in an implicit VR data set, a private
   * data element whose value starts with an item tag. Such a value is parsed as items, so the
   * policy sees what is inside; if it is not a valid sequence the file is rejected (fail secure).
   */
  isUnSequence(tag: number, vr: string, enc: DatasetEncoding, valueStart: number, length: number): boolean {
    const startsWithItem = length >= 8 && this.bytes[valueStart] === 0xfe && this.bytes[valueStart + 1] === 0xff && this.bytes[valueStart + 2] === 0x00 && this.bytes[valueStart + 3] === 0xe0;
    if (enc.explicitVr) return vr === 'UN' && tag !== PIXEL_DATA_TAG && (startsWithItem || implicitVr(tag) === 'SQ');
    return startsWithItem && (tag >>> 16) % 2 === 1 && (tag & 0xffff) >= 0x1000;
  }

  sequence(pos: number, end: number, undefinedLength: boolean, enc: DatasetEncoding, depth: number, tag: number): { items: DicomItem[]; end: number } {
    if (depth + 1 > MAX_DEPTH) this.fail('sequences nested deeper than the limit', pos, tag);
    const le = enc.littleEndian;
    const items: DicomItem[] = [];
    this.path.push(tag);
    while (true) {
      if (!undefinedLength && pos === end) break;
      if (pos + 8 > end) this.fail(undefinedLength ? 'missing sequence delimiter' : 'truncated item header', pos);
      const itemTag = this.tag(pos, le);
      if (itemTag === SEQUENCE_DELIMITER_TAG) {
        if (!undefinedLength) this.fail('sequence delimiter in a defined-length sequence', pos, itemTag);
        pos += 8;
        break;
      }
      if (itemTag !== ITEM_TAG) this.fail('expected an item in a sequence', pos, itemTag);
      const length = this.u32(pos + 4, le);
      const elements: DicomElement[] = [];
      let itemEnd: number;
      if (length === UNDEFINED_LENGTH) {
        itemEnd = this.dataset(pos + 8, end, enc, depth + 1, true, elements);
      } else {
        itemEnd = pos + 8 + length;
        if (itemEnd > end) this.fail('item length past the end of its sequence', pos, itemTag);
        this.dataset(pos + 8, itemEnd, enc, depth + 1, false, elements);
      }
      items.push({ start: pos, valueStart: pos + 8, length, end: itemEnd, elements });
      pos = itemEnd;
    }
    this.path.pop();
    return { items, end: pos };
  }

  fragments(pos: number, end: number, tag: number): { items: DicomItem[]; end: number } {
    const items: DicomItem[] = [];
    // Fragment headers are always little endian except in the retired big-endian syntax,
    // which cannot carry encapsulated data; read as little endian.
    while (true) {
      if (pos + 8 > end) this.fail('missing sequence delimiter after pixel data fragments', pos, tag);
      const itemTag = this.tag(pos, true);
      if (itemTag === SEQUENCE_DELIMITER_TAG) return { items, end: pos + 8 };
      if (itemTag !== ITEM_TAG) this.fail('expected a fragment item in encapsulated pixel data', pos, tag);
      const length = this.u32(pos + 4, true);
      if (length === UNDEFINED_LENGTH || pos + 8 + length > end) this.fail('fragment length past the end', pos, tag);
      items.push({ start: pos, valueStart: pos + 8, length, end: pos + 8 + length, elements: [] });
      pos += 8 + length;
    }
  }
}


/**
 * Reads a text value and strips trailing spaces and NULs (the padding of PS3.5 §6.2).
 * @param bytes - Buffer holding the element.
 * @param element - The element.
 * @returns The value as Latin-1 text.
 * @example
 * ```ts
 * import { parseDicom, textValue } from 'health-anonymizer/dicom';
 * declare const file: Uint8Array;
 * const parsed = parseDicom(file);
 * const sop = parsed.dataset.find((e) => e.tag === 0x00080018);
 * if (sop) textValue(parsed.bytes, sop);
 * ```
 */
export function textValue(bytes: Uint8Array, element: DicomElement): string {
  let end = element.valueStart + (element.length === UNDEFINED_LENGTH ? 0 : element.length);
  while (end > element.valueStart && (bytes[end - 1] === 0x20 || bytes[end - 1] === 0)) end--;
  return latin1(bytes, element.valueStart, end);
}

function looksLikeVr(bytes: Uint8Array, at: number): boolean {
  return at + 2 <= bytes.length && KNOWN_VRS.has(String.fromCharCode(bytes[at]!, bytes[at + 1]!));
}

/** Guesses the encoding of a data set that has no file meta (or no transfer syntax in it). */
function inferEncoding(bytes: Uint8Array, pos: number, reader: Reader): DatasetEncoding {
  if (pos + 8 > bytes.length) reader.fail('not a DICOM file (too short)', pos);
  const groupLe = bytes[pos]! | (bytes[pos + 1]! << 8);
  const groupBe = (bytes[pos]! << 8) | bytes[pos + 1]!;
  if (looksLikeVr(bytes, pos + 4)) {
    if (groupLe <= 0x00ff && groupLe !== 0) return EXPLICIT_LE;
    if (groupBe <= 0x00ff && groupBe !== 0) return EXPLICIT_BE;
  }
  if (groupLe <= 0x00ff && groupLe !== 0 && groupLe % 2 === 0) {
    const length = bytes[pos + 4]! | (bytes[pos + 5]! << 8) | (bytes[pos + 6]! << 16) | (bytes[pos + 7]! << 24);
    if (length === -1 || (length >= 0 && pos + 8 + length <= bytes.length)) return IMPLICIT_LE;
  }
  return reader.fail('not a DICOM file (no preamble, no recognisable data set)', pos);
}

/**
 * Parses a DICOM Part 10 file (with preamble and file meta) or a bare data set (no meta: the
 * encoding is inferred). Supports implicit and explicit VR little endian, explicit VR big endian,
 * deflated explicit VR little endian, encapsulated pixel data, sequences and items of defined and
 * undefined length at any depth, and UN-encoded sequences (read as implicit VR little endian).
 * @param source - The file bytes.
 * @param options - File name for error locations.
 * @returns The located elements; values are not copied.
 * @throws {@link DicomParseError} when the input is not DICOM, truncated, has an invalid VR, a
 *   length past the end, nesting deeper than {@link MAX_DEPTH}, or a corrupt deflate stream.
 * @example Reading the transfer syntax and the top-level tags
 * ```ts
 * import { parseDicom } from 'health-anonymizer/dicom';
 * declare const file: Uint8Array;
 * const parsed = parseDicom(file, { file: 'CT_small.dcm' });
 * parsed.transferSyntax; // '1.2.840.10008.1.2.1'
 * parsed.dataset.map((e) => e.tag);
 * ```
 */
export function parseDicom(input: Uint8Array, options: ParseOptions = {}): ParsedDicom {
  // A plain view: sub-arrays of Node Buffers cost a constructor call each.
  const source = Object.getPrototypeOf(input) === Uint8Array.prototype ? input : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  const reader = new Reader(source, options.file);
  let hasPreamble = false;
  let metaStart = 0;
  if (source.length >= 132 && source[128] === 0x44 && source[129] === 0x49 && source[130] === 0x43 && source[131] === 0x4d) {
    hasPreamble = true;
    metaStart = 132;
  }
  const meta: DicomElement[] = [];
  let pos = metaStart;
  // File meta: explicit VR little endian, group 0002, read while the group lasts.
  while (pos + 8 <= source.length && source[pos] === 0x02 && source[pos + 1] === 0x00 && looksLikeVr(source, pos + 4)) {
    const tag = reader.tag(pos, true);
    meta.push(reader.element(pos, source.length, tag, EXPLICIT_LE, 0));
    pos = meta[meta.length - 1]!.end;
  }
  if (hasPreamble && meta.length === 0) reader.fail('file meta information missing after the preamble', pos);
  const datasetStart = pos;
  const tsElement = meta.find((e) => e.tag === 0x00020010);
  let transferSyntax: string;
  let encoding: DatasetEncoding;
  let deflated = false;
  let inferred = false;
  if (tsElement !== undefined && textValue(source, tsElement) !== '') {
    transferSyntax = textValue(source, tsElement);
    ({ encoding, deflated } = transferSyntaxEncoding(transferSyntax));
  } else if (datasetStart >= source.length) {
    if (meta.length === 0) reader.fail('not a DICOM file (empty)', 0);
    encoding = EXPLICIT_LE;
    transferSyntax = '1.2.840.10008.1.2.1';
    inferred = true;
  } else {
    encoding = inferEncoding(source, datasetStart, reader);
    transferSyntax = encoding.explicitVr ? (encoding.littleEndian ? '1.2.840.10008.1.2.1' : '1.2.840.10008.1.2.2') : '1.2.840.10008.1.2';
    inferred = true;
  }
  let bytes = source;
  let bytesStart = datasetStart;
  let dataReader = reader;
  if (deflated) {
    const codec = deflateCodec(options.file, datasetStart);
    try {
      bytes = codec.inflateRaw(source.subarray(datasetStart));
    } catch (cause) {
      if (cause instanceof InflateLimitError) {
        throw new DicomParseError('deflated data set inflates past the limit (200 times its size, 64 MiB to 1 GiB)', {
          location: { ...(options.file !== undefined ? { file: options.file } : {}), offset: datasetStart },
        });
      }
      throw new DicomParseError('corrupt deflated data set', {
        location: { ...(options.file !== undefined ? { file: options.file } : {}), offset: datasetStart },
        cause: cause instanceof Error ? new Error('inflate failed') : undefined,
      });
    }
    bytesStart = 0;
    dataReader = new Reader(bytes, options.file, 0, datasetStart);
  }
  let dataset: DicomElement[] | undefined;
  if (options.scanner === 'wasm') dataset = scanDatasetWasm(bytes, bytesStart, encoding);
  if (dataset === undefined) {
    // The JS walk (also after the WASM scanner found the input malformed: it says where).
    dataset = [];
    dataReader.dataset(bytesStart, bytes.length, encoding, 0, false, dataset);
  }
  return {
    source, hasPreamble, meta, metaStart, datasetStart, transferSyntax, transferSyntaxInferred: inferred,
    encoding, deflated, bytes, bytesStart, dataset,
  };
}
