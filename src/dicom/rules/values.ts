/**
 * Value functions of DICOM de-identification: dummy values per VR (action D), the PS3.6 registry
 * of well-known UIDs, keyed UID mapping (action U), and date shifting of DA and DT values.
 * Pure functions: no I/O, no clock, no randomness; keys and the crypto core are passed in.
 * @module
 */
import type { CryptoCore } from '../../core/types.ts';
import { InvalidArgumentError } from '../../errors.ts';
import { WELL_KNOWN_UIDS_TEXT } from './uid-registry.ts';

/**
 * The UID every UI dummy value gets: `2.25.0`, the UUID-derived form (PS3.5 B.2) of the nil UUID.
 * @example Using the dummy UID
 * ```ts
 * import { DUMMY_UID, dummyValue } from './values.ts';
 * dummyValue('UI', 0x00209161) === DUMMY_UID; // true
 * ```
 */
export const DUMMY_UID = '2.25.0';

/** Text dummies per VR. Every one is ASCII, valid for its VR, and within its maximum length. */
const TEXT_DUMMIES: Readonly<Record<string, string>> = {
  AE: 'ANON', // ≤ 16, no backslash or control characters
  AS: '000Y', // nnnD/W/M/Y
  CS: 'ANON', // upper case, digits, space, underscore; ≤ 16
  DA: '19000101', // YYYYMMDD
  DS: '0', // ≤ 16
  DT: '19000101000000', // YYYYMMDDHHMMSS
  IS: '0', // ≤ 12
  LO: 'ANON', // ≤ 64
  LT: 'ANON', // ≤ 10240
  PN: 'ANONYMIZED', // ≤ 64 per component group
  SH: 'ANON', // ≤ 16
  ST: 'ANON', // ≤ 1024
  TM: '000000', // HHMMSS
  UC: 'ANON',
  UI: DUMMY_UID, // ≤ 64
  UR: 'ANONYMIZED', // a relative URI reference
  UT: 'ANON',
};

/** Binary dummies per VR: zero bytes, one value of the VR (at least 2 bytes, so lengths stay even). */
const BINARY_SIZES: Readonly<Record<string, number>> = {
  AT: 4, FD: 8, FL: 4, OB: 2, OD: 8, OF: 4, OL: 4, OV: 8, OW: 2, SL: 4, SS: 2, SV: 8, UL: 4, UN: 2, US: 2, UV: 8,
};

/**
 * A dummy value for action D: deterministic, ASCII, valid for the VR and within its maximum
 * length. The same for every element of a VR, so it is consistent across instances.
 *
 * | VR | dummy |
 * |---|---|
 * | PN | `ANONYMIZED` |
 * | AE, CS, LO, SH, LT, ST, UT, UC | `ANON` |
 * | UR | `ANONYMIZED` (a relative reference) |
 * | DA / TM / DT | `19000101` / `000000` / `19000101000000` |
 * | AS | `000Y` |
 * | IS, DS | `0` |
 * | UI | `2.25.0` ({@link DUMMY_UID}; the caller usually maps UIDs with {@link mapUid} instead) |
 * | AT FD FL OB OD OF OL OV OW SL SS SV UL UN US UV | zero bytes: one value of the VR, 2 bytes for OB, OW and UN |
 * | SQ | an empty byte array: the engine keeps a D sequence and replaces every value inside it (codes included) |
 *
 * Padding to an even length is left to the caller (space for text, NUL for UI).
 * @param vr - Two-letter VR.
 * @param tag - The attribute (reserved for per-attribute dummies; every VR has one today).
 * @returns Text for string VRs, bytes for binary VRs.
 * @throws {@link InvalidArgumentError} for an unknown VR.
 * @example Dummy values of two VRs
 * ```ts
 * import { dummyValue } from './values.ts';
 * dummyValue('PN', 0x00100010); // 'ANONYMIZED'
 * dummyValue('US', 0x00280010); // Uint8Array [0, 0]
 * ```
 */
export function dummyValue(vr: string, tag: number): string | Uint8Array {
  void tag;
  const text = TEXT_DUMMIES[vr];
  if (text !== undefined) return text;
  const size = BINARY_SIZES[vr];
  if (size !== undefined) return new Uint8Array(size);
  if (vr === 'SQ') return new Uint8Array(0);
  throw new InvalidArgumentError('"vr" expected a DICOM value representation');
}

let wellKnown: Set<string> | undefined;

/**
 * Whether a UID is registered in DICOM PS3.6 Annex A (SOP classes, meta SOP classes, transfer
 * syntaxes, coding schemes, well-known frames of reference, LDAP OIDs, application contexts, …).
 * Such UIDs identify definitions, never a patient, and are never remapped. Trailing NUL and
 * space padding is ignored. The registry is data generated from pydicom's copy of PS3.6.
 * @param uid - The UID.
 * @returns `true` for registered UIDs.
 * @example Registered and unregistered UIDs
 * ```ts
 * import { isWellKnownUid } from './values.ts';
 * isWellKnownUid('1.2.840.10008.5.1.4.1.1.2'); // true (CT Image Storage)
 * isWellKnownUid('1.2.3.4'); // false
 * ```
 */
export function isWellKnownUid(uid: string): boolean {
  if (wellKnown === undefined) wellKnown = new Set(WELL_KNOWN_UIDS_TEXT.split(' '));
  return typeof uid === 'string' && wellKnown.has(trimUid(uid));
}

function trimUid(uid: string): string {
  let end = uid.length;
  while (end > 0 && (uid.charCodeAt(end - 1) === 0 || uid.charCodeAt(end - 1) === 0x20)) end--;
  let start = 0;
  while (start < end && uid.charCodeAt(start) === 0x20) start++;
  return uid.slice(start, end);
}

/** Domain-separation prefix of the UID mapping HMAC. */
const UID_DOMAIN = 'health-anonymizer/uid/v1\u0000';

/**
 * Maps a UID to a new one, keyed and deterministic: the same UID and key give the same result on
 * every run and machine, different keys give unrelated results, and without the key the mapping
 * cannot be reversed or recomputed from a dictionary of UIDs (the PS3.15 E.1.1 concern about
 * unkeyed hashes).
 *
 * Algorithm: `h = HMAC-SHA256(key, "health-anonymizer/uid/v1\0" + uid)`; the first 16 bytes of
 * `h` become a UUID of version 8 (RFC 9562 "custom": byte 6 high nibble = 8) and variant `10`
 * (byte 8 top bits), which is written as `2.25.` + its value as an unsigned decimal integer
 * (PS3.5 B.2). The result has at most 44 characters. Trailing NUL/space padding is removed first;
 * well-known UIDs ({@link isWellKnownUid}) and empty values are returned unchanged.
 * @param uid - Original UID (one value, no backslash).
 * @param key - Secret key bytes.
 * @param core - Crypto core, from `getCore()`.
 * @returns The new UID.
 * @throws {@link InvalidArgumentError} when `key` is not a Uint8Array.
 * @example Mapping a UID
 * ```ts
 * import { getCore } from '../../core/index.ts';
 * import { mapUid } from './values.ts';
 * const key = new TextEncoder().encode('secret');
 * mapUid('1.2.3.4', key, getCore()); // '2.25.' followed by up to 39 digits, always the same
 * ```
 */
export function mapUid(uid: string, key: Uint8Array, core: CryptoCore): string {
  if (!(key instanceof Uint8Array)) throw new InvalidArgumentError('"key" expected Uint8Array');
  const trimmed = trimUid(String(uid));
  if (trimmed === '' || isWellKnownUid(trimmed)) return trimmed;
  const h = core.hmac('sha256', key, UID_DOMAIN + trimmed);
  h[6] = (h[6]! & 0x0f) | 0x80;
  h[8] = (h[8]! & 0x3f) | 0x80;
  let n = 0n;
  for (let i = 0; i < 16; i++) n = (n << 8n) | BigInt(h[i]!);
  return `2.25.${n.toString(10)}`;
}

// ---- dates -------------------------------------------------------------------------------------

/**
 * Adds days to a calendar date (proleptic Gregorian, leap years included).
 * @param y - Year.
 * @param m - Month 1–12.
 * @param d - Day 1–31.
 * @param days - Days to add.
 * @returns `[year, month, day]`.
 * @example Crossing 29 February
 * ```ts
 * import { addDays } from './values.ts';
 * addDays(2000, 2, 28, 1); // [2000, 2, 29]
 * ```
 */
export function addDays(y: number, m: number, d: number, days: number): [number, number, number] {
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d);
  t.setUTCDate(t.getUTCDate() + days);
  return [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
}

function isValidDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const dim = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  return d <= dim;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** A parsed DA value. */
export interface ParsedDate {
  /** Year, 0–9999. */
  readonly year: number;
  /** Month, 1–12. */
  readonly month: number;
  /** Day of the month, 1–31 (valid for the month and year). */
  readonly day: number;
}

/**
 * Parses one DA value `YYYYMMDD` (also the ACR-NEMA form `YYYY.MM.DD`, which is rewritten as
 * `YYYYMMDD` when shifted).
 * @param value - One value, without padding.
 * @returns The date, or `undefined` when it is not a valid calendar date.
 * @example Valid and invalid dates
 * ```ts
 * import { parseDa } from './values.ts';
 * parseDa('20000229'); // { year: 2000, month: 2, day: 29 }
 * parseDa('19000229'); // undefined (1900 is not a leap year)
 * ```
 */
export function parseDa(value: string): ParsedDate | undefined {
  const m = /^(\d{4})\.?(\d{2})\.?(\d{2})$/.exec(value);
  if (!m) return undefined;
  const year = +m[1]!, month = +m[2]!, day = +m[3]!;
  return isValidDate(year, month, day) ? { year, month, day } : undefined;
}

/** A parsed DT value; absent components are `undefined` (a legal truncation). */
export interface ParsedDateTime {
  /** Year, 0–9999. */
  readonly year: number;
  /** Month, 1–12, when present. */
  readonly month?: number;
  /** Day of the month, when present. */
  readonly day?: number;
  /** Hour, 0–23, when present. */
  readonly hour?: number;
  /** Minute, 0–59, when present. */
  readonly minute?: number;
  /** Second, 0–60 (leap second), when present. */
  readonly second?: number;
  /** Fraction digits as written (1–6), without the dot. */
  readonly fraction?: string;
  /** `&ZZXX` as written, e.g. `+0100`. */
  readonly offset?: string;
}

const DT_CORE = '(\\d{4})(?:(\\d{2})(?:(\\d{2})(?:(\\d{2})(?:(\\d{2})(?:(\\d{2})(?:\\.(\\d{1,6}))?)?)?)?)?)?([+-]\\d{4})?';
const DT_RE = new RegExp(`^${DT_CORE}$`);

/**
 * Parses one DT value `YYYYMMDDHHMMSS.FFFFFF&ZZXX`, every legal truncation included
 * (`YYYY`, `YYYYMM`, …, with or without the offset).
 * @param value - One value, without padding.
 * @returns The parts, or `undefined` when the value is not a valid DT.
 * @example A truncated DT with an offset
 * ```ts
 * import { parseDt } from './values.ts';
 * parseDt('2000010112+0100'); // { year: 2000, month: 1, day: 1, hour: 12, offset: '+0100' }
 * ```
 */
export function parseDt(value: string): ParsedDateTime | undefined {
  const m = DT_RE.exec(value);
  if (!m) return undefined;
  const names = ['month', 'day', 'hour', 'minute', 'second'] as const;
  const p: { -readonly [K in keyof ParsedDateTime]: ParsedDateTime[K] } = { year: +m[1]! };
  names.forEach((name, i) => {
    if (m[i + 2] !== undefined) p[name] = +m[i + 2]!;
  });
  if (m[7] !== undefined) p.fraction = m[7];
  if (m[8] !== undefined) p.offset = m[8];
  if (p.month !== undefined && (p.month < 1 || p.month > 12)) return undefined;
  if (p.day !== undefined && !isValidDate(p.year, p.month!, p.day)) return undefined;
  if (p.hour !== undefined && p.hour > 23) return undefined;
  if (p.minute !== undefined && p.minute > 59) return undefined;
  if (p.second !== undefined && p.second > 60) return undefined;
  if (p.offset !== undefined) {
    const oh = +p.offset.slice(1, 3), om = +p.offset.slice(3, 5);
    if (oh > 14 || om > 59) return undefined;
  }
  return p;
}

/**
 * Writes a DT value with exactly the components present in `p`.
 * @param p - The parts.
 * @returns The DT text.
 * @example Round trip
 * ```ts
 * import { formatDt, parseDt } from './values.ts';
 * formatDt(parseDt('20000101123000.5-0500')!); // '20000101123000.5-0500'
 * ```
 */
export function formatDt(p: ParsedDateTime): string {
  let s = pad(p.year, 4);
  if (p.month !== undefined) s += pad(p.month, 2);
  if (p.day !== undefined) s += pad(p.day, 2);
  if (p.hour !== undefined) s += pad(p.hour, 2);
  if (p.minute !== undefined) s += pad(p.minute, 2);
  if (p.second !== undefined) s += pad(p.second, 2);
  if (p.fraction !== undefined) s += '.' + p.fraction;
  if (p.offset !== undefined) s += p.offset;
  return s;
}

function shiftDaValue(value: string, days: number): string | undefined {
  const d = parseDa(value);
  if (d === undefined) return undefined;
  const [y, m, dd] = addDays(d.year, d.month, d.day, days);
  if (y < 0 || y > 9999) return undefined;
  return pad(y, 4) + pad(m, 2) + pad(dd, 2);
}

function shiftDtValue(value: string, days: number): string | undefined {
  const p = parseDt(value);
  if (p === undefined) return undefined;
  if (p.day === undefined) {
    // Year or year-month precision: a shift of days is not representable; shift the month only
    // when the days cross a month boundary from mid-month (the 15th) — keeps intervals roughly.
    const [y, m] = addDays(p.year, p.month ?? 7, p.month === undefined ? 2 : 15, days);
    if (y < 0 || y > 9999) return undefined;
    // A shift too small to move the year (or month) would leave the real value in an output
    // marked as modified: no value rather than an unshifted one.
    if (y === p.year && (p.month === undefined || m === p.month)) return undefined;
    return formatDt({ ...p, year: y, ...(p.month !== undefined ? { month: m } : {}) });
  }
  const [y, m, d] = addDays(p.year, p.month!, p.day, days);
  if (y < 0 || y > 9999) return undefined;
  return formatDt({ ...p, year: y, month: m, day: d });
}

function shiftOne(vr: 'DA' | 'DT', value: string, days: number): string | undefined {
  if (value === '') return '';
  const single = vr === 'DA' ? shiftDaValue(value, days) : shiftDtValue(value, days);
  if (single !== undefined) return single;
  // Range matching (PS3.4 C.2.2.2.5): "a-b", "-b", "a-".
  const dash = findRangeDash(vr, value);
  if (dash < 0) return undefined;
  const a = value.slice(0, dash), b = value.slice(dash + 1);
  if (a === '' && b === '') return undefined;
  const sa = a === '' ? '' : vr === 'DA' ? shiftDaValue(a, days) : shiftDtValue(a, days);
  const sb = b === '' ? '' : vr === 'DA' ? shiftDaValue(b, days) : shiftDtValue(b, days);
  return sa === undefined || sb === undefined ? undefined : `${sa}-${sb}`;
}

function findRangeDash(vr: 'DA' | 'DT', value: string): number {
  if (vr === 'DA') return value.indexOf('-') === value.lastIndexOf('-') ? value.indexOf('-') : -1;
  // DT offsets also use '-': try every dash and take the first split where both sides parse.
  for (let i = value.indexOf('-'); i >= 0; i = value.indexOf('-', i + 1)) {
    const a = value.slice(0, i), b = value.slice(i + 1);
    if ((a === '' || parseDt(a)) && (b === '' || parseDt(b))) return i;
  }
  return -1;
}

/**
 * Shifts DA or DT values by a whole number of days, keeping every other part as written.
 *
 * - DA `YYYYMMDD` (and ACR-NEMA `YYYY.MM.DD`, written back as `YYYYMMDD`).
 * - DT `YYYYMMDDHHMMSS.FFFFFF&ZZXX` with every legal truncation kept: the time, fraction and
 *   offset are not changed, the calendar date moves by `days` (leap years included). A DT with
 *   only a year, or a year and month, moves by the days counted from the middle of its period
 *   (2 July, the 15th); when that does not change it, the result is `undefined` (the caller
 *   empties the value: an unshifted real value must not appear in an output marked MODIFIED).
 * - Multiple values separated by backslashes are shifted one by one; empty values stay empty.
 * - Range matching values (`a-b`, `-b`, `a-`, as in queries) shift both ends.
 * - Trailing spaces and NULs (padding) are removed.
 * @param vr - `DA` or `DT`.
 * @param value - The element value.
 * @param days - Days to add (negative to go back).
 * @returns The shifted value, or `undefined` when any value is not a valid DA/DT or is a truncated
 * DT the shift would not change.
 * @throws {@link InvalidArgumentError} when `days` is not an integer.
 * @example Shifting dates back and forth
 * ```ts
 * import { shiftDate } from './values.ts';
 * shiftDate('DA', '20000101', -23); // '19991209'
 * shiftDate('DT', '20000301123000.5+0100', -1); // '20000229123000.5+0100'
 * shiftDate('DA', '20000101-20000131', 1); // '20000102-20000201'
 * ```
 */
export function shiftDate(vr: 'DA' | 'DT', value: string, days: number): string | undefined {
  if (!Number.isInteger(days)) throw new InvalidArgumentError('"days" expected an integer');
  if (vr !== 'DA' && vr !== 'DT') throw new InvalidArgumentError('"vr" expected DA or DT');
  const text = String(value).replace(/[\0 ]+$/, '');
  const out: string[] = [];
  for (const part of text.split('\\')) {
    const shifted = shiftOne(vr, part.trim(), days);
    if (shifted === undefined) return undefined;
    out.push(shifted);
  }
  return out.join('\\');
}

/** Domain-separation prefix of the per-patient date offset HMAC. */
const OFFSET_DOMAIN = 'health-anonymizer/date-offset/v1\u0000';

/**
 * A per-patient date offset in days, keyed and deterministic: every file of one patient gets the
 * same offset (so intervals between studies are kept), different patients get independent
 * offsets, and the offset cannot be derived without the key.
 *
 * The offset is never 0 (a zero shift would leave real dates in place): it is uniform over
 * `[-range, -1] ∪ [1, range]`, computed as the first 8 bytes of
 * `HMAC-SHA256(key, "health-anonymizer/date-offset/v1\0" + patientId)` taken modulo `2·range`
 * (bias below 2⁻⁴⁰ for any range up to 36,500 days).
 * The patient is Patient ID (0010,0020) together with Issuer of Patient ID (0010,0021) when the
 * file has one: equal IDs from different issuers are different patients. The HMAC input is
 * `patientId`, followed by a NUL and the issuer when the issuer is not empty (neither LO value can
 * contain a NUL). Files without a Patient ID should use {@link studyDateOffset} instead: one
 * offset shared by every file without an ID would let one known date reveal all of them.
 * @param patientId - Patient ID (0010,0020) of the original dataset (trailing padding removed).
 * @param key - Secret key bytes.
 * @param range - Maximum absolute offset in days, an integer in [1, 36500].
 * @param core - Crypto core, from `getCore()`.
 * @param issuer - Issuer of Patient ID (0010,0021) of the original dataset, or empty.
 * @returns The offset in days.
 * @throws {@link InvalidArgumentError} for a bad range or key.
 * @example A per-patient offset
 * ```ts
 * import { getCore } from '../../core/index.ts';
 * import { patientDateOffset } from './values.ts';
 * patientDateOffset('PAT-1', new TextEncoder().encode('k'), 365, getCore()); // same every run, ≠ 0
 * ```
 */
export function patientDateOffset(patientId: string, key: Uint8Array, range: number, core: CryptoCore, issuer = ''): number {
  const trimmedIssuer = String(issuer).replace(/[\0 ]+$/, '').trim();
  const input = String(patientId).replace(/[\0 ]+$/, '') + (trimmedIssuer !== '' ? `\0${trimmedIssuer}` : '');
  return keyedOffset(OFFSET_DOMAIN + input, key, range, core);
}

/** Domain-separation prefix of the per-study date offset HMAC (files without a Patient ID). */
const STUDY_OFFSET_DOMAIN = 'health-anonymizer/date-offset/study/v1\u0000';

/**
 * The date offset of a file without a Patient ID: keyed on its Study Instance UID (0020,000D), so
 * the files of one study stay consistent with each other, and studies without a patient ID do not
 * share one offset. Same construction as {@link patientDateOffset} under another domain prefix
 * (`health-anonymizer/date-offset/study/v1\0`).
 * @param studyInstanceUid - Study Instance UID of the original dataset (padding removed).
 * @param key - Secret key bytes.
 * @param range - Maximum absolute offset in days, an integer in [1, 36500].
 * @param core - Crypto core, from `getCore()`.
 * @returns The offset in days, never 0.
 * @throws {@link InvalidArgumentError} for a bad range or key.
 * @example A per-study offset
 * ```ts
 * import { getCore } from '../../core/index.ts';
 * import { studyDateOffset } from './values.ts';
 * studyDateOffset('1.2.3.4', new TextEncoder().encode('k'), 365, getCore()); // same every run, ≠ 0
 * ```
 */
export function studyDateOffset(studyInstanceUid: string, key: Uint8Array, range: number, core: CryptoCore): number {
  return keyedOffset(STUDY_OFFSET_DOMAIN + trimUid(String(studyInstanceUid)), key, range, core);
}

/** Domain-separation prefix of the per-scope date offset HMAC of configurations (`dateShiftAlgorithm: Hmac`). */
const SCOPE_OFFSET_DOMAIN = 'health-anonymizer/date-offset/scope/v1\u0000';

/**
 * The keyed date offset of a configuration's dateShift rule with `dateShiftAlgorithm: "Hmac"` (our
 * extension): like {@link patientDateOffset}, keyed on the rule's scope UID (Study, Series or SOP
 * Instance UID of the original data set) under the domain prefix
 * `health-anonymizer/date-offset/scope/v1\0`. Unlike the reference's rolling hash it cannot be
 * computed or predicted without the key, and it is never 0.
 * @param scopeUid - The scope UID (padding removed).
 * @param key - The rule's dateShiftKey bytes.
 * @param range - Maximum absolute offset in days, an integer in [1, 36500].
 * @param core - Crypto core, from `getCore()`.
 * @returns The offset in days.
 * @throws {@link InvalidArgumentError} for a bad range or key.
 * @example A per-series offset
 * ```ts
 * import { getCore } from '../../core/index.ts';
 * import { scopeDateOffset } from './values.ts';
 * scopeDateOffset('1.2.3.4', new TextEncoder().encode('a key of 16 bytes!'), 50, getCore()); // ≠ 0
 * ```
 */
export function scopeDateOffset(scopeUid: string, key: Uint8Array, range: number, core: CryptoCore): number {
  return keyedOffset(SCOPE_OFFSET_DOMAIN + trimUid(String(scopeUid)), key, range, core);
}

function keyedOffset(input: string, key: Uint8Array, range: number, core: CryptoCore): number {
  if (!Number.isInteger(range) || range < 1 || range > 36_500) throw new InvalidArgumentError('"range" expected an integer in [1, 36500]');
  if (!(key instanceof Uint8Array)) throw new InvalidArgumentError('"key" expected Uint8Array');
  const h = core.hmac('sha256', key, input);
  let n = 0n;
  for (let i = 0; i < 8; i++) n = (n << 8n) | BigInt(h[i]!);
  const r = Number(n % BigInt(2 * range));
  return r < range ? r - range : r - range + 1;
}
