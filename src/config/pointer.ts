/**
 * RFC 6901 JSON pointers: building and splitting.
 * @module
 */

/**
 * Appends one reference token to a JSON pointer, escaping `~` and `/`.
 * @param pointer - The parent pointer (`''` for the root).
 * @param token - A property name or array index.
 * @returns The child pointer.
 * @example Pointer to a generalize case
 * ```ts
 * joinPointer('/fhirPathRules/0/cases', "$this / 2"); // '/fhirPathRules/0/cases/$this ~1 2'
 * ```
 */
export function joinPointer(pointer: string, token: string | number): string {
  return `${pointer}/${String(token).replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

/**
 * Splits a JSON pointer into its unescaped reference tokens.
 * @param pointer - A pointer such as `/a/b~1c`.
 * @returns The tokens (`['a', 'b/c']`); `[]` for the root pointer `''`.
 * @example Unescaping
 * ```ts
 * splitPointer('/a/b~1c'); // ['a', 'b/c']
 * ```
 */
export function splitPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
}
