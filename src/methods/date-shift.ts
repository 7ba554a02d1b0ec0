/**
 * `dateShift`: move dates by a keyed, deterministic number of days. The offset
 * formula (a base-131 rolling hash of prefix + key, reduced modulo 2R+1, minus R)
 * is the reference tool's, shared by the FHIR (R = 50) and DICOM engines.
 * @module
 */

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
  return dateShiftOffsetOfBytes(encoder.encode(prefix + key), range);
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
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day + days);
  const y = d.getUTCFullYear();
  const yy = y < 0 ? '-' + String(-y).padStart(6, '0') : String(y).padStart(4, '0');
  return `${yy}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})/;
const TIME_WITH_ZONE = /^T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Shifts a FHIR `date`, `dateTime` or `instant` value by whole days, as the reference
 * does: the date part moves, the time of day becomes midnight with the fraction's
 * length kept, and the time zone is kept verbatim. A dateTime with a time but no zone
 * loses its time. Values without a day cannot be shifted.
 * @param value - The lexical value.
 * @param days - The offset.
 * @returns The shifted value, or `undefined` when it has no day (the caller redacts instead).
 * @example A dateTime keeps its zone and fraction length
 * ```ts
 * shiftDateValue('2015-02-07T13:28:17.12345-05:00', -21); // '2015-01-17T00:00:00.00000-05:00'
 * ```
 */
export function shiftDateValue(value: string, days: number): string | undefined {
  const m = FULL_DATE.exec(value);
  if (m === null) return undefined;
  const date = addDays(Number(m[1]), Number(m[2]), Number(m[3]), days);
  const rest = value.slice(10);
  const t = TIME_WITH_ZONE.exec(rest);
  if (t === null) return date;
  const fraction = t[4] === undefined ? '' : '.' + '0'.repeat(t[4].length - 1);
  const seconds = t[3] === undefined ? '' : ':00' + fraction;
  return `${date}T00:00${seconds}${t[5]}`;
}
