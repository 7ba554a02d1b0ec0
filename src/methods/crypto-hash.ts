/**
 * `cryptoHash`: lowercase hex HMAC-SHA256 of a value under `cryptoHashKey`, and the
 * reference-aware variant that hashes only the id part of a FHIR literal reference
 * (`#id`, `[base/]Type/id[/_history/v]`, `urn:oid:`, `urn:uuid:`), so hashed ids
 * and hashed references still match.
 * @module
 */
import type { CryptoCore, HashAlgorithm } from '../core/types.ts';

const encoder = new TextEncoder();

/** A reusable hasher bound to one key and one core. */
export interface CryptoHasher {
  /** Hex HMAC-SHA256 of the UTF-8 value; `''` stays `''`. */
  hash(value: string): string;
  /** Hashes the id part of a literal reference, or the whole value when it is not one. */
  hashReference(reference: string): string;
}

/**
 * Lowercase hex HMAC of one UTF-8 value, for engines that hash every value as a
 * whole (DICOM hashes the empty string too, and may use SHA-384 or SHA-512).
 * @param core - The crypto core.
 * @param key - Key bytes (UTF-8 of the configured key).
 * @param value - The value.
 * @param algorithm - `sha256` (default), `sha384` or `sha512`.
 * @returns The hex digest.
 * @example The reference DICOM vector
 * ```ts
 * import { getCore } from 'health-anonymizer/core';
 * hmacHex(getCore(), new TextEncoder().encode('123'), ''); // '6d6cd63284be4a47ba7aec4a3458939a95dcbdd5cd0438f23d7457099b4b917c'
 * ```
 */
export function hmacHex(core: CryptoCore, key: Uint8Array, value: string, algorithm: HashAlgorithm = 'sha256'): string {
  return core.hmacHexBatch(algorithm, key, [value])[0]!;
}

const OID = /^(urn:oid:)([0-2](?:\.(?:0|[1-9][0-9]*))+)$/;
const UUID = /^(urn:uuid:)([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * Builds the literal-reference regular expression for a list of resource type names.
 * @param resourceTypes - Resource types of the FHIR version.
 * @returns The expression with groups prefix, id and suffix.
 * @example Whole reference pattern
 * ```ts
 * literalReferencePattern(['Patient']).test('Patient/123'); // true
 * ```
 */
export function literalReferencePattern(resourceTypes: readonly string[]): RegExp {
  const types = [...resourceTypes].sort((a, b) => b.length - a.length).join('|');
  return new RegExp(
    `^((?:(?:http|https)://[A-Za-z0-9\\\\/.:%$]*)?(?:${types})/)([A-Za-z0-9\\-.]{1,64})(/_history/[A-Za-z0-9\\-.]{1,64})?$`,
  );
}

/**
 * Creates a hasher for `cryptoHash`.
 * @param core - The crypto core (use `getCore()`).
 * @param key - `cryptoHashKey` (UTF-8).
 * @param resourceTypes - Resource type names recognised in literal references.
 * @returns The hasher.
 * @example The reference vector
 * ```ts
 * import { getCore } from 'health-anonymizer/core';
 * createCryptoHasher(getCore(), '123', ['Patient']).hash('abc');
 * // '8f16771f9f8851b26f4d460fa17de93e2711c7e51337cb8a608a0f81e1c1b6ae'
 * ```
 */
export function createCryptoHasher(core: CryptoCore, key: string, resourceTypes: readonly string[]): CryptoHasher {
  const keyBytes = encoder.encode(key);
  const literal = literalReferencePattern(resourceTypes);
  const cache = new Map<string, string>();
  const refCache = new Map<string, string>();
  const hash = (value: string): string => {
    if (value === '') return '';
    let out = cache.get(value);
    if (out === undefined) {
      out = core.hmacHexBatch('sha256', keyBytes, [value])[0]!;
      if (cache.size >= 65536) cache.clear();
      cache.set(value, out);
    }
    return out;
  };
  return {
    hash,
    hashReference(reference: string): string {
      let out = refCache.get(reference);
      if (out !== undefined) return out;
      if (reference.startsWith('#')) out = '#' + hash(reference.slice(1));
      else {
        let m = literal.exec(reference);
        if (m !== null) out = m[1]! + hash(m[2]!) + (m[3] ?? '');
        else {
          m = reference.startsWith('urn:') ? OID.exec(reference) ?? UUID.exec(reference) : null;
          out = m !== null ? m[1]! + hash(m[2]!) : hash(reference);
        }
      }
      if (refCache.size >= 65536) refCache.clear();
      refCache.set(reference, out);
      return out;
    },
  };
}
