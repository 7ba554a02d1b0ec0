/**
 * Encoding of replacement values: ASCII text padded to even length (space for text VRs, NUL for
 * UI, PS3.5 §6.2), and byte-order conversion of binary values.
 * @module
 */
import { ProcessingError } from '../errors.ts';

const TEXT_VRS = new Set(['AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UC', 'UR', 'UT', 'UI']);
const UNIT: Readonly<Record<string, number>> = {
  US: 2, SS: 2, OW: 2, AT: 2, UL: 4, SL: 4, FL: 4, OF: 4, OL: 4, FD: 8, OD: 8, SV: 8, UV: 8, OV: 8,
};

/**
 * Whether a VR holds character data.
 * @param vr - Two-letter VR.
 * @returns `true` for string VRs (including UI).
 * @example
 * ```ts
 * import { isTextVr } from 'health-anonymizer/dicom';
 * isTextVr('PN'); // true
 * ```
 */
export function isTextVr(vr: string): boolean {
  return TEXT_VRS.has(vr);
}

/**
 * Encodes replacement text as ASCII bytes padded to even length: NUL for UI, space otherwise.
 * Replacement text is always ASCII, which every Specific Character Set accepts as is, so no
 * ISO 2022 escape state can leak from a replaced value.
 * @param text - ASCII text (multiple values joined by `\`).
 * @param vr - The element's VR.
 * @returns The padded bytes.
 * @throws {@link ProcessingError} when the text is not ASCII.
 * @example
 * ```ts
 * import { encodeText } from 'health-anonymizer/dicom';
 * encodeText('YES', 'CS'); // bytes of 'YES '
 * ```
 */
export function encodeText(text: string, vr: string): Uint8Array {
  const odd = text.length % 2;
  const out = new Uint8Array(text.length + odd);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7e || (c < 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x09)) {
      throw new ProcessingError('replacement text is not printable ASCII');
    }
    out[i] = c;
  }
  if (odd) out[text.length] = vr === 'UI' ? 0x00 : 0x20;
  return out;
}

/**
 * Pads a value to even length with the padding byte of its VR (space for text, NUL otherwise).
 * @param value - Value bytes.
 * @param vr - The element's VR.
 * @returns The value, or a padded copy.
 * @example
 * ```ts
 * import { padEven } from 'health-anonymizer/dicom';
 * padEven(new Uint8Array([0x41]), 'LO').length; // 2
 * ```
 */
export function padEven(value: Uint8Array, vr: string): Uint8Array {
  if (value.length % 2 === 0) return value;
  const out = new Uint8Array(value.length + 1);
  out.set(value);
  out[value.length] = TEXT_VRS.has(vr) && vr !== 'UI' ? 0x20 : 0x00;
  return out;
}

/**
 * Converts a little-endian binary value to the data set's byte order.
 * @param value - Little-endian bytes.
 * @param vr - The VR, which gives the unit size.
 * @param littleEndian - Target byte order.
 * @returns The value in the target order (the same array when no swap is needed).
 * @example
 * ```ts
 * import { toByteOrder } from 'health-anonymizer/dicom';
 * toByteOrder(new Uint8Array([1, 0]), 'US', false); // [0, 1]
 * ```
 */
export function toByteOrder(value: Uint8Array, vr: string, littleEndian: boolean): Uint8Array {
  const unit = UNIT[vr];
  if (littleEndian || unit === undefined) return value;
  const out = new Uint8Array(value.length);
  for (let i = 0; i + unit <= value.length; i += unit) for (let j = 0; j < unit; j++) out[i + j] = value[i + unit - 1 - j]!;
  return out;
}

/**
 * Reads an element value as Latin-1 text with trailing padding (spaces, NULs) removed.
 * @param value - Value bytes.
 * @returns The text.
 * @example
 * ```ts
 * import { decodeAscii } from 'health-anonymizer/dicom';
 * decodeAscii(new Uint8Array([0x31, 0x2e, 0x32, 0])); // '1.2'
 * ```
 */
export function decodeAscii(value: Uint8Array): string {
  let end = value.length;
  while (end > 0 && (value[end - 1] === 0x20 || value[end - 1] === 0)) end--;
  return latin1(value, 0, end);
}

/**
 * One string from a run of bytes, each byte one code unit (Latin-1), built in chunks of at most
 * 4,096 arguments (one call instead of one string per byte).
 * @param bytes - Buffer.
 * @param start - First byte.
 * @param end - Just past the last byte.
 * @returns The text.
 * @example
 * ```ts
 * latin1(new Uint8Array([0x31, 0x2e, 0x32]), 0, 3); // '1.2'
 * ```
 */
export function latin1(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= 4096) return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
  let s = '';
  for (let at = start; at < end; at += 4096) s += String.fromCharCode.apply(null, bytes.subarray(at, Math.min(end, at + 4096)) as unknown as number[]);
  return s;
}
