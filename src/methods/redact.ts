/**
 * `redact`: remove a value, or with the partial options keep the safe part of it
 * (HIPAA Safe Harbor: the year of a date unless the person is over 89, an age up
 * to 89, the first three digits of a ZIP code unless the area is restricted).
 * Shared by the FHIR and DICOM engines; works on lexical strings only.
 * @module
 */
import { digitsAt, numberAt } from '../util/digits.ts';

/** Options of the partial redactions (the reference tool's `parameters`). */
export interface RedactOptions {
  /** Keep the year of dates unless the person would be over 89. */
  readonly enablePartialDatesForRedact: boolean;
  /** Keep ages of 89 and below. */
  readonly enablePartialAgesForRedact: boolean;
  /** Keep the first three digits of postal codes (zero the rest). */
  readonly enablePartialZipCodesForRedact: boolean;
  /** Three-digit ZIP prefixes whose codes are zeroed entirely. */
  readonly restrictedZipCodeTabulationAreas: readonly string[];
}

/** Year, month and day of a date value; month and day are 0 when absent. */
export interface DateParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/**
 * Reads the year, month and day at the start of a FHIR `date`, `dateTime` or `instant` value.
 * @param value - The lexical value.
 * @returns The parts, or `undefined` when the value does not start with a year.
 * @example Parsing a partial date
 * ```ts
 * parseDateParts('2015-02'); // { year: 2015, month: 2, day: 0 }
 * ```
 */
export function parseDateParts(value: string): DateParts | undefined {
  // YYYY, then -MM, then -DD (each part only when the one before is there).
  if (!digitsAt(value, 0, 4)) return undefined;
  const year = numberAt(value, 0, 4);
  if (value.charCodeAt(4) !== 45 || !digitsAt(value, 5, 2)) return { year, month: 0, day: 0 };
  const month = numberAt(value, 5, 2);
  if (value.charCodeAt(7) !== 45 || !digitsAt(value, 8, 2)) return { year, month, day: 0 };
  return { year, month, day: numberAt(value, 8, 2) };
}

/**
 * The reference tool's "age over 89" test: whole years between the date (missing
 * month or day taken as 1) and `now` (local calendar), greater than 89.
 * @param parts - The date of birth (or any date in a record).
 * @param now - The reference date.
 * @returns `true` when the age is over 89.
 * @example Someone born in 1925
 * ```ts
 * isAgeOver89({ year: 1925, month: 2, day: 7 }, new Date('2026-01-01')); // true
 * ```
 */
export function isAgeOver89(parts: DateParts, now: Date): boolean {
  const month = parts.month === 0 ? 1 : parts.month;
  const day = parts.day === 0 ? 1 : parts.day;
  const nowMonth = now.getUTCMonth() + 1;
  const nowDay = now.getUTCDate();
  let age = now.getUTCFullYear() - parts.year;
  if (nowMonth < month || (nowMonth === month && nowDay < day)) age--;
  return age > 89;
}

/**
 * Redacts a date, dateTime or instant: with partial dates, the 4-digit year unless
 * the age is over 89; otherwise nothing.
 * @param value - The lexical value.
 * @param partial - `enablePartialDatesForRedact`.
 * @param now - Reference date of the age rule.
 * @returns The year, or `undefined` when the value must be removed.
 * @example Partial date redaction
 * ```ts
 * redactDate('2015-02-07T13:28:17-05:00', true, new Date()); // '2015'
 * ```
 */
export function redactDate(value: string, partial: boolean, now: Date): string | undefined {
  if (!partial) return undefined;
  const parts = parseDateParts(value);
  if (parts === undefined || isAgeOver89(parts, now)) return undefined;
  return String(parts.year).padStart(4, '0');
}

/**
 * Redacts an age value (a decimal in years): with partial ages, kept when it is a
 * whole number of at most 89, removed otherwise.
 * @param value - The lexical decimal.
 * @param partial - `enablePartialAgesForRedact`.
 * @returns `true` to keep the value, `false` to remove it.
 * @example Ages up to 89 are kept
 * ```ts
 * keepAge('57', true); // true
 * keepAge('91', true); // false
 * ```
 */
export function keepAge(value: string, partial: boolean): boolean {
  if (!partial) return false;
  // The reference parses the value as an integer; fractional ages make it fail. We remove them instead (fail safe).
  if (!/^[+-]?\d+$/.test(value.trim())) return false;
  return Number(value) <= 89;
}

/**
 * Partial redaction of a postal code: restricted 3-digit areas (matched on the code's digits)
 * become all zeros;
 * otherwise the first three characters are kept and every later digit becomes 0.
 * Codes shorter than three characters are returned unchanged.
 * @param value - The postal code.
 * @param restricted - Restricted 3-digit prefixes.
 * @returns The abstracted code.
 * @example ZIP+4
 * ```ts
 * redactPostalCode('98028-1830', ['203']); // '98000-0000'
 * ```
 */
export function redactPostalCode(value: string, restricted: readonly string[]): string {
  // Restricted areas are matched on the digits, so leading spaces or signs cannot hide one
  // (the reference tool matches the raw text: " 03601" kept "03").
  const digits = value.replace(/\D/g, '');
  if (restricted.some((prefix) => prefix !== '' && digits.startsWith(prefix))) return value.replace(/\d/g, '0');
  if (value.length < 3) return value;
  return value.slice(0, 3) + value.slice(3).replace(/\d/g, '0');
}
