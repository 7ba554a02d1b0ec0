/**
 * Byte-array helpers shared by the engines and the CLI.
 * @module
 */

/**
 * Joins byte arrays into one.
 * @param parts - The arrays, in order.
 * @param options - `reuseSingle`: return the only part itself instead of a copy.
 * @returns One array holding every byte of `parts`.
 * @example
 * ```ts
 * concatBytes([new Uint8Array([1]), new Uint8Array([2, 3])]); // Uint8Array [1, 2, 3]
 * ```
 */
export function concatBytes(parts: readonly Uint8Array[], options: { reuseSingle?: boolean } = {}): Uint8Array {
  if (options.reuseSingle === true && parts.length === 1) return parts[0]!;
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
