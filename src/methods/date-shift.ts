/**
 * `dateShift`: move dates by a keyed, deterministic number of days. The offset
 * formula (a base-131 rolling hash of prefix + key, reduced modulo 2R+1, minus R)
 * is the reference tool's, shared by the FHIR (R = 50) and DICOM engines.
 * @module
 */

import { digitsAt, isDigit, numberAt } from '../util/digits.ts';

const encoder = new TextEncoder();

/**
 * The reference tool's date-shift offset in days, in [-range, +range].
 * @param prefix - Scope prefix (resource id, file name, folder name, series UID…).
 * @param key - `dateShiftKey`.
 * @param range - Half width R of the range (FHIR: 50).
 * @returns The offset in days.
 * @throws {RangeError} when `range` is not a non-negative integer.
 * @example The reference vector
 * ```ts
 * dateShiftOffset('', 'dummy'); // -21
 * ```
 */
export function dateShiftOffset(prefix: string, key: string, range = 50): number {
  const text = prefix + key;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return dateShiftOffsetOfBytes(encoder.encode(text), range);
  // ASCII: the UTF-8 bytes are the character codes.
  if (!Number.isInteger(range) || range < 0) throw new RangeError('"range" expected a non-negative integer');
  const modulus = 2 * range + 1;
  let acc = 0;
  for (let i = 0; i < text.length; i++) acc = (acc * 131 + text.charCodeAt(i)) % modulus;
  return acc - range;
}

/**
 * The same offset over raw bytes (the DICOM engine's keys are bytes): a base-131 rolling
 * hash modulo `2·range + 1`, minus `range`.
 * @param bytes - UTF-8 of the prefix followed by the key bytes.
 * @param range - Half-width of the offset range in days (the reference tool's FHIR side uses 50).
 * @returns The offset in days, in `[-range, range]`.
 * @throws {RangeError} when `range` is not a non-negative integer.
 * @example The reference vector
 * ```ts
 * dateShiftOffsetOfBytes(new TextEncoder().encode('dummy'), 50); // -21
 * ```
 */
export function dateShiftOffsetOfBytes(bytes: Uint8Array, range: number): number {
  if (!Number.isInteger(range) || range < 0) throw new RangeError('"range" expected a non-negative integer');
  const modulus = 2 * range + 1;
  let acc = 0;
  for (const byte of bytes) acc = (acc * 131 + byte) % modulus;
  return acc - range;
}

/**
 * Adds days to a calendar date (proleptic Gregorian, no time zone involved).
 * @param year - Full year.
 * @param month - 1–12.
 * @param day - 1–31.
 * @param days - Days to add (may be negative).
 * @returns The new date as `YYYY-MM-DD`.
 * @example Crossing a month
 * ```ts
 * addDays(2015, 2, 7, -21); // '2015-01-17'
 * ```
 */
export function addDays(year: number, month: number, day: number, days: number): string {
  // As Date.setUTCFullYear(year, month - 1, day + days) normalizes: months past 12 carry into years, days into months.
  const m0 = month - 1;
  const y = year + Math.floor(m0 / 12);
  const [yy, mm, dd] = civilFromDays(daysFromCivil(y, m0 - Math.floor(m0 / 12) * 12 + 1, 1) + day - 1 + days);
  const yearText = yy < 0 ? '-' + String(-yy).padStart(6, '0') : yy < 1000 ? String(yy).padStart(4, '0') : String(yy);
  return `${yearText}-${mm < 10 ? '0' : ''}${mm}-${dd < 10 ? '0' : ''}${dd}`;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (month 1–12). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

/** The proleptic Gregorian date of a day number (days from 1970-01-01). */
function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

/**
 * Shifts a FHIR `date`, `dateTime` or `instant` value by whole days, as the reference
 * does: the date part moves, the time of day becomes midnight with the fraction's
 * length kept, and the time zone is kept verbatim. A dateTime with a time but no zone
 * loses its time. Values without a day cannot be shifted.
 * @param value - The lexical value.
 * @param days - The offset.
 * @returns The shifted value, or `undefined` when it has no day or would leave the years 0001–9999
 *   (the caller redacts instead).
 * @example A dateTime keeps its zone and fraction length
 * ```ts
 * shiftDateValue('2015-02-07T13:28:17.12345-05:00', -21); // '2015-01-17T00:00:00.00000-05:00'
 * ```
 */
export function shiftDateValue(value: string, days: number): string | undefined {
  // YYYY-MM-DD, then optionally Thh:mm[:ss[.f…]] and a zone (Z or ±hh:mm) ending the value.
  if (!digitsAt(value, 0, 4) || value.charCodeAt(4) !== 45 || !digitsAt(value, 5, 2) || value.charCodeAt(7) !== 45 || !digitsAt(value, 8, 2)) return undefined;
  const date = addDays(numberAt(value, 0, 4), numberAt(value, 5, 2), numberAt(value, 8, 2), days);
  if (date.length !== 10 || date.startsWith('0000')) return undefined; // shifted out of the years 0001–9999 (FHIR has no year 0): redacted instead
  const n = value.length;
  if (n === 10 || value.charCodeAt(10) !== 84 || !digitsAt(value, 11, 2) || value.charCodeAt(13) !== 58 || !digitsAt(value, 14, 2)) return date;
  let i = 16;
  let seconds = '';
  if (value.charCodeAt(i) === 58) {
    if (!digitsAt(value, 17, 2)) return date;
    i = 19;
    if (value.charCodeAt(i) === 46) {
      let j = i + 1;
      while (isDigit(value.charCodeAt(j))) j++;
      if (j === i + 1) return date;
      seconds = ':00.' + '0'.repeat(j - i - 1);
      i = j;
    } else seconds = ':00';
  }
  const c = value.charCodeAt(i);
  const zone = (c === 90 && i + 1 === n) ||
    ((c === 43 || c === 45) && i + 6 === n && digitsAt(value, i + 1, 2) && value.charCodeAt(i + 3) === 58 && digitsAt(value, i + 4, 2));
  return zone ? `${date}T00:00${seconds}${value.slice(i)}` : date;
}
