/**
 * The reference tool's DICOM methods (microsoft.md §4.3), applied to one element value, with the
 * reference's bugs fixed (each fix is listed in docs/dicom-profile.md):
 *
 * - **redact**: AS (partial: keep ages ≤ 89 years), DA (partial: `YYYY0101` unless the date is
 *   more than 89 years before the reference date), DT (partial: 1 January 00:00 of the year, zone
 *   kept, 24-hour clock), SQ → an empty sequence, anything else → empty value.
 * - **dateShift** (DA, DT): offset = rolling hash (×131) of UTF-8(scope UID) ‖ key, modulo
 *   2R+1, minus R; the date moves, the time becomes 00:00:00; dates more than 89 years ago are
 *   removed; DT truncations are accepted and kept.
 * - **cryptoHash**: HMAC (SHA-256/384/512) of each value → lowercase hex, or a number of the
 *   input's length with `matchInputStringLength`; OB/UN → the raw HMAC.
 * - **encrypt**: each non-empty value → Base64(IV ‖ AES-CBC-PKCS#7); OB/UN → raw IV ‖ ciphertext.
 * - **perturb**: uniform noise in ±span/2 (span × |value| when proportional), half-even rounding,
 *   integers rounded (not truncated) and clamped to their VR's range.
 * - **substitute**: `replaceWith`, parsed for binary VRs.
 * - **refreshUID**: keyed deterministic {@link mapUid} (the reference draws random UIDs kept in a
 *   per-process map); well-known UIDs unchanged.
 *
 * Values are raw element bytes without padding concerns: trailing spaces/NULs are removed before
 * processing; results are returned unpadded (the caller pads to even length).
 * @module
 */
import type { CryptoCore, HashAlgorithm } from '../../core/types.ts';
import { ProcessingError } from '../../errors.ts';
import type { DicomRule } from './reference-config.ts';
import { addDays, mapUid, parseDa, parseDt, scopeDateOffset, type ParsedDateTime } from './values.ts';
import { dateShiftOffsetOfBytes } from '../../methods/date-shift.ts';
import { roundHalfEven, uniform01 } from '../../methods/perturb.ts';

/** What a method needs besides the value. */
export interface DicomMethodContext {
  /** Crypto core (from `getCore()`). */
  readonly core: CryptoCore;
  /** Study, series or SOP instance UID (per the rule's `dateShiftScope`) from the ORIGINAL dataset. */
  readonly dateShiftScopeUid?: string;
  /** Reference "now" for the 89-year rule of redact and dateShift. Default: the current time. */
  readonly referenceDate?: Date;
  /** Cache of refreshUID results shared across a run, keyed by the rule's key and the original UID (its keys are internal). */
  readonly uidMap: Map<string, string>;
}

/**
 * The outcome of a method on one element. `empty` on a sequence means: no items. `truncated` on a
 * replacement says that substitute cut a value to its VR's maximum length (report a warning).
 */
export type DicomMethodResult = { kind: 'keep' } | { kind: 'remove' } | { kind: 'empty' } | { kind: 'replace'; value: Uint8Array; truncated?: boolean };

const TEXT_VRS = new Set(['AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UC', 'UI', 'UR', 'UT']);
/** Text VRs whose value may contain a backslash (always one value). */
const SINGLE_VALUED = new Set(['LT', 'ST', 'UT', 'UR']);
/** Text VRs where leading spaces are padding, not content. */
const TRIM_LEADING = new Set(['AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'TM', 'UI']);
const PERTURBABLE = new Set(['AS', 'DS', 'FL', 'OF', 'FD', 'OD', 'IS', 'SL', 'SS', 'US', 'OW', 'UL', 'OL', 'UV', 'OV', 'SV']);

const latin1 = new TextDecoder('latin1');
const KEEP: DicomMethodResult = Object.freeze({ kind: 'keep' });
const REMOVE: DicomMethodResult = Object.freeze({ kind: 'remove' });
const EMPTY: DicomMethodResult = Object.freeze({ kind: 'empty' });

/** Bytes of a binary string (each char code is one byte). */
function bytesOf(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

/** ASCII text → bytes (results are always ASCII). */
function ascii(s: string): Uint8Array {
  return bytesOf(s);
}

function replace(text: string): DicomMethodResult {
  return { kind: 'replace', value: ascii(text) };
}

/** Splits a text element into values, removing padding (bytes kept as a binary string). */
function textValues(vr: string, value: Uint8Array): string[] {
  const s = latin1.decode(value).replace(/[\0 ]+$/, '');
  if (SINGLE_VALUED.has(vr)) return [s];
  const parts = s.split('\\');
  return parts.map((p) => (TRIM_LEADING.has(vr) ? p.trim() : p.replace(/ +$/, '')));
}

function fail(method: string, vr: string, what: string): ProcessingError {
  return new ProcessingError(`${method}: ${what} (VR ${vr})`);
}

/**
 * Applies a rule's method to one element value.
 * @param rule - The matched rule (from {@link loadDicomConfig}).
 * @param vr - The element's VR.
 * @param value - The raw value bytes (text VRs as stored; binary VRs in the file's byte order).
 * @param littleEndian - Byte order of binary values.
 * @param ctx - Core, scope UID, reference date, UID map.
 * @returns What to do with the element.
 * @throws {@link ProcessingError} when the method does not apply to the VR or a value cannot be
 * parsed (the message names the method and VR, never the value).
 * @example Redacting a name and shifting a date
 * ```ts
 * import { getCore } from '../../core/index.ts';
 * import { loadDicomConfig } from './reference-config.ts';
 * import { applyDicomMethod } from './methods.ts';
 * const set = loadDicomConfig('{"rules":[{"tag":"DA","method":"dateShift","params":{"dateShiftKey":"123","dateShiftScope":"SeriesInstance"}}]}');
 * const ctx = { core: getCore(), dateShiftScopeUid: '1.3.6.1.4.1.5962.99.1.5128099.2103784727.1533308485539.5.0', uidMap: new Map(), referenceDate: new Date('2024-01-01') };
 * const r = applyDicomMethod(set.rules[0]!, 'DA', new TextEncoder().encode('20000101'), true, ctx);
 * // r = { kind: 'replace', value: bytes of '19991209' }
 * ```
 */
export function applyDicomMethod(rule: DicomRule, vr: string, value: Uint8Array, littleEndian: boolean, ctx: DicomMethodContext): DicomMethodResult {
  const s = rule.settings;
  switch (rule.method) {
    case 'keep':
      return KEEP;
    case 'remove':
      return REMOVE;
    case 'redact':
      return redact(vr, value, s['enablePartialAgesForRedact'] === true, s['enablePartialDatesForRedact'] === true, ctx);
    case 'dateShift':
      return dateShift(vr, value, s['dateShiftKey'] as Uint8Array, s['dateShiftRange'] as number, s['dateShiftAlgorithm'] === 'hmac', ctx);
    case 'cryptoHash':
      return cryptoHash(vr, value, s['cryptoHashKey'] as Uint8Array, s['cryptoHashType'] as HashAlgorithm, s['matchInputStringLength'] === true, ctx.core);
    case 'encrypt':
      return encrypt(vr, value, s['encryptKey'] as Uint8Array, ctx.core);
    case 'substitute':
      return substitute(vr, String(s['replaceWith']), littleEndian);
    case 'perturb':
      return perturb(vr, value, littleEndian, s['span'] as number, s['roundTo'] as number, s['rangeType'] === 'Fixed');
    case 'refreshUID':
      return refreshUid(vr, value, s['uidKey'] as Uint8Array, ctx);
    default:
      throw new ProcessingError('unknown method');
  }
}

// ---- 89-year rule --------------------------------------------------------------------------------

const AGE_THRESHOLD = 89;

/** The reference's IsAgeOverThreshold: date + 89 years is before "now". */
function overThreshold(y: number, m: number, d: number, ctx: DicomMethodContext): boolean {
  const now = (ctx.referenceDate ?? new Date()).getTime();
  const t = new Date(0);
  t.setUTCFullYear(y + AGE_THRESHOLD, m - 1, 1);
  const dim = new Date(Date.UTC(2000, m, 0)).getUTCDate();
  const lastDay = m === 2 ? ((y + AGE_THRESHOLD) % 4 === 0 && ((y + AGE_THRESHOLD) % 100 !== 0 || (y + AGE_THRESHOLD) % 400 === 0) ? 29 : 28) : dim;
  t.setUTCDate(Math.min(d, lastDay));
  return t.getTime() < now;
}

// ---- DT formatting -------------------------------------------------------------------------------

/**
 * Writes a DT whose time is midnight: with full precision input (seconds present) in the
 * reference's layout `YYYYMMDDHHMMSS.FFFFFF[&ZZXX]` (24-hour clock — the reference used a 12-hour
 * clock without a zone, printing midnight as 12); a truncated input keeps its truncation.
 */
function formatMidnightDt(p: ParsedDateTime, y: number, m: number, d: number): string {
  const pad = (n: number, w: number): string => String(n).padStart(w, '0');
  if (p.second !== undefined) return `${pad(y, 4)}${pad(m, 2)}${pad(d, 2)}000000.000000${p.offset ?? ''}`;
  let out = pad(y, 4);
  if (p.month !== undefined) out += pad(m, 2);
  if (p.day !== undefined) out += pad(d, 2);
  if (p.hour !== undefined) out += '00';
  if (p.minute !== undefined) out += '00';
  return out + (p.offset ?? '');
}

// ---- redact --------------------------------------------------------------------------------------

function redact(vr: string, value: Uint8Array, partialAges: boolean, partialDates: boolean, ctx: DicomMethodContext): DicomMethodResult {
  if (vr === 'SQ') return EMPTY;
  if (vr === 'AS' && partialAges) {
    const kept = textValues(vr, value).filter((v) => v !== '').filter((v) => {
      const years = ageInYears(v);
      if (years === undefined) throw fail('redact', vr, 'value is not an age string nnnD/W/M/Y');
      return years <= AGE_THRESHOLD;
    });
    return kept.length === 0 ? EMPTY : replace(kept.join('\\'));
  }
  if (vr === 'DA' && partialDates) {
    const kept: string[] = [];
    for (const v of textValues(vr, value)) {
      if (v === '') continue;
      const d = parseDa(v);
      if (d === undefined) throw fail('redact', vr, 'value is not a date YYYYMMDD');
      if (!overThreshold(d.year, d.month, d.day, ctx)) kept.push(`${String(d.year).padStart(4, '0')}0101`);
    }
    return kept.length === 0 ? EMPTY : replace(kept.join('\\'));
  }
  if (vr === 'DT' && partialDates) {
    const kept: string[] = [];
    for (const v of textValues(vr, value)) {
      if (v === '') continue;
      const p = parseDt(v);
      if (p === undefined) throw fail('redact', vr, 'value is not a date-time');
      if (!overThreshold(p.year, p.month ?? 1, p.day ?? 1, ctx)) kept.push(formatMidnightDt(p, p.year, 1, 1));
    }
    return kept.length === 0 ? EMPTY : replace(kept.join('\\'));
  }
  return EMPTY;
}

function ageInYears(v: string): number | undefined {
  const m = /^(\d{3})([DWMY])$/.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === 'Y' ? n : m[2] === 'M' ? Math.floor(n / 12) : m[2] === 'W' ? Math.floor(n / 52) : Math.floor(n / 365);
}

// ---- dateShift -----------------------------------------------------------------------------------

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

/**
 * The reference's date-shift offset in days: a rolling hash (×131) of the bytes of
 * `UTF-8(prefix) ‖ key`, modulo `2·range + 1`, minus `range`.
 * @param prefix - The scope UID (or another prefix).
 * @param key - The date-shift key bytes (UTF-8 of `dateShiftKey`).
 * @param range - `dateShiftRange` in days.
 * @returns The offset in days, in `[-range, range]`.
 * @example The reference vector with key "dummy"
 * ```ts
 * import { referenceDateShiftOffset } from './methods.ts';
 * referenceDateShiftOffset('', new TextEncoder().encode('dummy'), 50); // -21
 * ```
 */
export function referenceDateShiftOffset(prefix: string, key: Uint8Array, range: number): number {
  const prefixBytes = utf8.encode(prefix);
  const bytes = new Uint8Array(prefixBytes.length + key.length);
  bytes.set(prefixBytes);
  bytes.set(key, prefixBytes.length);
  return dateShiftOffsetOfBytes(bytes, range);
}

function dateShift(vr: string, value: Uint8Array, key: Uint8Array, range: number, hmac: boolean, ctx: DicomMethodContext): DicomMethodResult {
  if (vr !== 'DA' && vr !== 'DT') throw fail('dateShift', vr, 'applies to DA and DT only');
  const days = hmac ? scopeDateOffset(ctx.dateShiftScopeUid ?? '', key, range, ctx.core) : referenceDateShiftOffset(ctx.dateShiftScopeUid ?? '', key, range);
  const values = textValues(vr, value).filter((v) => v !== '');
  if (values.length === 0) return KEEP;
  const out: string[] = [];
  for (const v of values) {
    if (vr === 'DA') {
      const d = parseDa(v);
      if (d === undefined) throw fail('dateShift', vr, 'value is not a date YYYYMMDD');
      if (overThreshold(d.year, d.month, d.day, ctx)) continue;
      const [y, m, dd] = addDays(d.year, d.month, d.day, days);
      out.push(`${String(y).padStart(4, '0')}${String(m).padStart(2, '0')}${String(dd).padStart(2, '0')}`);
    } else {
      const p = parseDt(v);
      if (p === undefined) throw fail('dateShift', vr, 'value is not a date-time');
      if (overThreshold(p.year, p.month ?? 1, p.day ?? 1, ctx)) continue;
      const [y, m, dd] = addDays(p.year, p.month ?? 7, p.day ?? (p.month === undefined ? 2 : 15), days);
      // A year or year-month the shift does not move would stay real: dropped (review 1, minor 8).
      if (p.day === undefined && y === p.year && (p.month === undefined || m === p.month)) continue;
      out.push(formatMidnightDt(p, y, m, dd));
    }
  }
  return out.length === 0 ? EMPTY : replace(out.join('\\'));
}

// ---- cryptoHash ----------------------------------------------------------------------------------

/**
 * The reference's `matchInputStringLength` output: a decimal number with as many digits as the
 * input has characters, derived from the first 4 bytes of the HMAC as a single-precision fraction
 * (lossy by design; the reference computes in `float`).
 * @param digest - The HMAC bytes.
 * @param length - The input's length in characters (1–18).
 * @returns The digits.
 * @throws {@link ProcessingError} for lengths outside 1–18 (the reference overflows).
 * @example All-zero digest
 * ```ts
 * import { sameLengthNumber } from './methods.ts';
 * sameLengthNumber(new Uint8Array(32), 4); // '1000'
 * ```
 */
export function sameLengthNumber(digest: Uint8Array, length: number): string {
  if (length < 1 || length > 18) throw new ProcessingError('cryptoHash: matchInputStringLength supports values of 1 to 18 characters');
  const u32 = (digest[0]! | (digest[1]! << 8) | (digest[2]! << 16) | (digest[3]! << 24)) >>> 0;
  const f = Math.fround(Math.fround(u32) / Math.fround(4294967295));
  const order = length === 1 ? 0n : 10n ** BigInt(length - 1);
  const max = 10n ** BigInt(length) - 1n;
  const product = Math.fround(f * Math.fround(Number(max - order)));
  return (BigInt(Math.trunc(product)) + order).toString();
}

function cryptoHash(vr: string, value: Uint8Array, key: Uint8Array, type: HashAlgorithm, sameLength: boolean, core: CryptoCore): DicomMethodResult {
  if (vr === 'OB' || vr === 'UN') return { kind: 'replace', value: core.hmac(type, key, value) };
  if (!TEXT_VRS.has(vr)) throw fail('cryptoHash', vr, 'not supported for this VR');
  const values = textValues(vr, value);
  const digests = values.map((v) => core.hmac(type, key, bytesOf(v)));
  const out = values.map((v, i) => (sameLength ? (v === '' ? '' : sameLengthNumber(digests[i]!, utf8Decoder.decode(bytesOf(v)).length)) : core.toHex(digests[i]!)));
  return replace(out.join('\\'));
}

// ---- encrypt -------------------------------------------------------------------------------------

function encrypt(vr: string, value: Uint8Array, key: Uint8Array, core: CryptoCore): DicomMethodResult {
  const iv = (): Uint8Array => crypto.getRandomValues(new Uint8Array(16));
  if (vr === 'OB' || vr === 'UN') {
    const i = iv();
    const ct = core.aesCbcEncrypt(key, i, value);
    const out = new Uint8Array(16 + ct.length);
    out.set(i);
    out.set(ct, 16);
    return { kind: 'replace', value: out };
  }
  if (!TEXT_VRS.has(vr)) throw fail('encrypt', vr, 'not supported for this VR');
  const values = textValues(vr, value).filter((v) => v !== '');
  if (values.length === 0) return KEEP;
  const out = values.map((v) => {
    const i = iv();
    const ct = core.aesCbcEncrypt(key, i, bytesOf(v));
    const all = new Uint8Array(16 + ct.length);
    all.set(i);
    all.set(ct, 16);
    return core.toBase64(all);
  });
  return replace(out.join('\\'));
}

// ---- binary numbers ------------------------------------------------------------------------------

interface NumKind {
  readonly size: number;
  readonly int: boolean;
  readonly min: number;
  readonly max: number;
  read(v: DataView, o: number, le: boolean): number;
  write(v: DataView, o: number, n: number, le: boolean): void;
}

const big = (read: (v: DataView, o: number, le: boolean) => bigint) => (v: DataView, o: number, le: boolean): number => Number(read(v, o, le));
const NUM: Readonly<Record<string, NumKind>> = {
  US: { size: 2, int: true, min: 0, max: 0xffff, read: (v, o, le) => v.getUint16(o, le), write: (v, o, n, le) => v.setUint16(o, n, le) },
  OW: { size: 2, int: true, min: 0, max: 0xffff, read: (v, o, le) => v.getUint16(o, le), write: (v, o, n, le) => v.setUint16(o, n, le) },
  SS: { size: 2, int: true, min: -0x8000, max: 0x7fff, read: (v, o, le) => v.getInt16(o, le), write: (v, o, n, le) => v.setInt16(o, n, le) },
  UL: { size: 4, int: true, min: 0, max: 0xffffffff, read: (v, o, le) => v.getUint32(o, le), write: (v, o, n, le) => v.setUint32(o, n, le) },
  OL: { size: 4, int: true, min: 0, max: 0xffffffff, read: (v, o, le) => v.getUint32(o, le), write: (v, o, n, le) => v.setUint32(o, n, le) },
  SL: { size: 4, int: true, min: -0x80000000, max: 0x7fffffff, read: (v, o, le) => v.getInt32(o, le), write: (v, o, n, le) => v.setInt32(o, n, le) },
  FL: { size: 4, int: false, min: -3.4028234663852886e38, max: 3.4028234663852886e38, read: (v, o, le) => v.getFloat32(o, le), write: (v, o, n, le) => v.setFloat32(o, n, le) },
  OF: { size: 4, int: false, min: -3.4028234663852886e38, max: 3.4028234663852886e38, read: (v, o, le) => v.getFloat32(o, le), write: (v, o, n, le) => v.setFloat32(o, n, le) },
  FD: { size: 8, int: false, min: -Number.MAX_VALUE, max: Number.MAX_VALUE, read: (v, o, le) => v.getFloat64(o, le), write: (v, o, n, le) => v.setFloat64(o, n, le) },
  OD: { size: 8, int: false, min: -Number.MAX_VALUE, max: Number.MAX_VALUE, read: (v, o, le) => v.getFloat64(o, le), write: (v, o, n, le) => v.setFloat64(o, n, le) },
  UV: { size: 8, int: true, min: 0, max: 2 ** 64 - 2048, read: big((v, o, le) => v.getBigUint64(o, le)), write: (v, o, n, le) => v.setBigUint64(o, BigInt(n), le) },
  OV: { size: 8, int: true, min: 0, max: 2 ** 64 - 2048, read: big((v, o, le) => v.getBigUint64(o, le)), write: (v, o, n, le) => v.setBigUint64(o, BigInt(n), le) },
  SV: { size: 8, int: true, min: -(2 ** 63), max: 2 ** 63 - 1024, read: big((v, o, le) => v.getBigInt64(o, le)), write: (v, o, n, le) => v.setBigInt64(o, BigInt(n), le) },
};

function encodeNumbers(kind: NumKind, numbers: readonly number[], le: boolean): Uint8Array {
  const out = new Uint8Array(kind.size * numbers.length);
  const view = new DataView(out.buffer);
  numbers.forEach((n, i) => kind.write(view, i * kind.size, n, le));
  return out;
}

function decodeNumbers(kind: NumKind, value: Uint8Array, le: boolean, method: string, vr: string): number[] {
  if (value.length % kind.size !== 0) throw fail(method, vr, 'value length is not a multiple of the VR size');
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  const out: number[] = [];
  for (let o = 0; o < value.length; o += kind.size) out.push(kind.read(view, o, le));
  return out;
}

// ---- substitute ----------------------------------------------------------------------------------

function parseNumberText(kind: NumKind, text: string): number | undefined {
  const t = text.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return undefined;
  const n = Number(t);
  if (!Number.isFinite(n) || (kind.int && !Number.isInteger(n)) || n < kind.min || n > kind.max) return undefined;
  return n;
}

function substitute(vr: string, replaceWith: string, le: boolean): DicomMethodResult {
  if (vr === 'OB' || vr === 'SQ') throw fail('substitute', vr, 'not supported for this VR');
  if (vr === 'AT') {
    const m = /^\(?\s*([0-9A-Fa-f]{4})\s*,?\s*([0-9A-Fa-f]{4})\s*\)?$/.exec(replaceWith.trim());
    if (!m) throw fail('substitute', vr, '"replaceWith" is not a tag');
    const out = new Uint8Array(4);
    const view = new DataView(out.buffer);
    view.setUint16(0, parseInt(m[1]!, 16), le);
    view.setUint16(2, parseInt(m[2]!, 16), le);
    return { kind: 'replace', value: out };
  }
  const kind = NUM[vr];
  if (kind !== undefined) {
    // OW, OL, OD, OF take one number; the other binary VRs one per backslash-separated value.
    const parts = vr === 'OW' || vr === 'OL' || vr === 'OD' || vr === 'OF' ? [replaceWith] : replaceWith.split('\\');
    const numbers = parts.map((p) => parseNumberText(kind, p));
    if (numbers.some((n) => n === undefined)) throw fail('substitute', vr, '"replaceWith" is not a number of this VR');
    return { kind: 'replace', value: encodeNumbers(kind, numbers as number[], le) };
  }
  const max = MAX_CHARS[vr];
  if (max === undefined) return { kind: 'replace', value: utf8.encode(replaceWith) };
  // Each value (each component group of a PN) at most the VR's maximum length, in characters (PS3.5 Table 6.2-1).
  let truncated = false;
  const cut = (v: string): string => {
    const chars = [...v];
    if (chars.length <= max) return v;
    truncated = true;
    return chars.slice(0, max).join('');
  };
  const values = SINGLE_VALUED.has(vr) ? [replaceWith] : replaceWith.split('\\');
  const text = values.map((v) => (vr === 'PN' ? v.split('=').map(cut).join('=') : cut(v))).join('\\');
  return truncated ? { kind: 'replace', value: utf8.encode(text), truncated } : { kind: 'replace', value: utf8.encode(text) };
}

/** Maximum length in characters of one value per text VR (PS3.5 Table 6.2-1; PN per component group). */
const MAX_CHARS: Readonly<Record<string, number>> = {
  AE: 16, AS: 4, CS: 16, DA: 8, DS: 16, DT: 26, IS: 12, LO: 64, LT: 10240, PN: 64, SH: 16, ST: 1024, TM: 16, UI: 64,
};

// ---- perturb -------------------------------------------------------------------------------------



function addNoise(v: number, span: number, roundTo: number, fixed: boolean): number {
  const s = fixed ? span : Math.abs(v * span);
  const noise = -s / 2 + uniform01() * s;
  return roundHalfEven(v + noise, roundTo);
}

function formatDs(n: number): string {
  let s = String(n);
  for (let p = 15; s.length > 16 && p >= 1; p--) s = Number(n.toPrecision(p)).toString();
  return s;
}

function perturb(vr: string, value: Uint8Array, le: boolean, span: number, roundTo: number, fixed: boolean): DicomMethodResult {
  if (!PERTURBABLE.has(vr)) throw fail('perturb', vr, 'not supported for this VR');
  if (value.length === 0) return KEEP;
  if (vr === 'AS') {
    const out = textValues(vr, value).filter((v) => v !== '').map((v) => {
      const m = /^(\d{3})([DWMY])$/.exec(v);
      if (!m) throw fail('perturb', vr, 'value is not an age string nnnD/W/M/Y');
      let n = Math.max(0, roundHalfEven(addNoise(Number(m[1]), span, 0, fixed), 0));
      let unit = m[2]!;
      if (n > 999) {
        n = unit === 'Y' ? n : unit === 'M' ? Math.floor(n / 12) : unit === 'W' ? Math.floor(n / 52) : Math.floor(n / 365);
        unit = 'Y';
        if (n > 999) throw fail('perturb', vr, 'result is not a valid age');
      }
      return String(n).padStart(3, '0') + unit;
    });
    return out.length === 0 ? KEEP : replace(out.join('\\'));
  }
  if (vr === 'DS' || vr === 'IS') {
    const out = textValues(vr, value).map((v) => {
      if (v === '') return '';
      const n = Number(v);
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v) || !Number.isFinite(n)) throw fail('perturb', vr, 'value is not a number');
      if (vr === 'IS') return String(Math.min(2 ** 31 - 1, Math.max(-(2 ** 31), roundHalfEven(addNoise(n, span, 0, fixed), 0))));
      return formatDs(addNoise(n, span, roundTo, fixed));
    });
    return replace(out.join('\\'));
  }
  const kind = NUM[vr]!;
  const numbers = decodeNumbers(kind, value, le, 'perturb', vr).map((n) => {
    let r = addNoise(n, span, kind.int ? 0 : roundTo, fixed);
    if (kind.int) r = roundHalfEven(r, 0);
    r = Math.min(kind.max, Math.max(kind.min, r));
    return kind.size === 4 && !kind.int ? Math.fround(r) : r;
  });
  return { kind: 'replace', value: encodeNumbers(kind, numbers, le) };
}

// ---- refreshUID ----------------------------------------------------------------------------------

/** A number per key object, so the shared UID map never returns a UID mapped under another key. */
const keyIds = new WeakMap<Uint8Array, number>();
let nextKeyId = 0;

function refreshUid(vr: string, value: Uint8Array, key: Uint8Array, ctx: DicomMethodContext): DicomMethodResult {
  if (vr !== 'UI') throw fail('refreshUID', vr, 'applies to UI only');
  const values = textValues(vr, value);
  if (values.every((v) => v === '')) return KEEP;
  let id = keyIds.get(key);
  if (id === undefined) keyIds.set(key, (id = nextKeyId++));
  const out = values.map((v) => {
    if (v === '') return '';
    // The map caches mapUid (deterministic) per key and UID: two rules with different keys in one
    // run map one UID differently, as their keys say.
    const cacheKey = `${id}\u0000${v}`;
    let mapped = ctx.uidMap.get(cacheKey);
    if (mapped === undefined) {
      mapped = mapUid(v, key, ctx.core);
      ctx.uidMap.set(cacheKey, mapped);
    }
    return mapped;
  });
  return replace(out.join('\\'));
}
