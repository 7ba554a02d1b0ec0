/**
 * ASCII digit checks and reads on strings, without regular expressions or allocation: the date
 * helpers and the FHIR text walker read numbers and dates character by character.
 * @module
 */

/**
 * Whether a character code is an ASCII digit.
 * @param c - A UTF-16 code unit (`NaN` past the end of a string is not a digit).
 * @returns `true` for `0`–`9`.
 * @example
 * ```ts
 * isDigit('7'.charCodeAt(0)); // true
 * ```
 */
export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Whether `n` ASCII digits stand at index `i` of a string.
 * @param s - The string.
 * @param i - First index.
 * @param n - How many digits.
 * @returns `true` when `s[i, i + n)` are all digits (false past the end).
 * @example
 * ```ts
 * digitsAt('2015-02', 5, 2); // true
 * ```
 */
export function digitsAt(s: string, i: number, n: number): boolean {
  for (let k = i; k < i + n; k++) if (!isDigit(s.charCodeAt(k))) return false;
  return true;
}

/**
 * The decimal number written by the digits `s[i, i + n)` (check them with {@link digitsAt} first).
 * @param s - The string.
 * @param i - First index.
 * @param n - How many digits.
 * @returns Their value.
 * @example
 * ```ts
 * numberAt('2015-02', 0, 4); // 2015
 * ```
 */
export function numberAt(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) v = v * 10 + s.charCodeAt(k) - 48;
  return v;
}
