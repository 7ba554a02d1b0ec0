/**
 * `keep`: leave a value as it is. A keep rule only claims the node, so that later
 * rules do not touch it (first rule wins).
 * @module
 */

/**
 * Returns the value unchanged.
 * @param value - Any value.
 * @returns The same value.
 * @example Nothing changes
 * ```ts
 * keep('abc'); // 'abc'
 * ```
 */
export function keep<T>(value: T): T {
  return value;
}
