/**
 * `substitute`: replace a value with a configured one. This module holds the
 * primitive rendering shared by both engines; the FHIR engine merges complex
 * replacements itself.
 * @module
 */

/**
 * Renders a configured `replaceWith` for a primitive field: strings stay as they are,
 * numbers and booleans keep their JSON type, `null` removes the value.
 * @param replaceWith - The configured replacement.
 * @returns The new JSON value, or `null` to remove it.
 * @example A string replacement
 * ```ts
 * substitutePrimitive('example'); // 'example'
 * ```
 */
export function substitutePrimitive(replaceWith: unknown): string | number | boolean | null {
  if (replaceWith === null || replaceWith === undefined) return null;
  if (typeof replaceWith === 'string' || typeof replaceWith === 'number' || typeof replaceWith === 'boolean') return replaceWith;
  return JSON.stringify(replaceWith);
}
