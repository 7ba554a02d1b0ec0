/**
 * `cryptoHash`: lowercase hex HMAC-SHA256 of a value under `cryptoHashKey`, and the
 * reference-aware variant that hashes only the id part of a FHIR literal reference
 * (`#id`, `[base/]Type/id[/_history/v]`, `urn:oid:`, `urn:uuid:`), so hashed ids
 * and hashed references still match.
 * @module
 */
import type { CryptoCore, HashAlgorithm } from '../core/types.ts';

const encoder = new TextEncoder();

/** A literal reference split around the part that is hashed. */
export interface ReferenceParts {
  /** Kept as is (`#`, `Patient/`, `http://…/Observation/`, `urn:uuid:`, or `''`). */
  readonly prefix: string;
  /** The part that is hashed (the whole value when it is not a recognised reference). */
  readonly id: string;
  /** Kept as is (`/_history/2`, or `''`). */
  readonly suffix: string;
}

/** A reusable hasher bound to one key and one core. */
export interface CryptoHasher {
  /** Hex HMAC-SHA256 of the UTF-8 value; `''` stays `''`. */
  hash(value: string): string;
  /** The digest of a value hashed before, if still remembered (`''` for `''`); never calls the core. */
  cached(value: string): string | undefined;
  /** Many values at once: one call into the core for the values not seen before. */
  hashBatch(values: readonly string[]): string[];
  /** Hashes the id part of a literal reference, or the whole value when it is not one. */
  hashReference(reference: string): string;
  /** How {@link CryptoHasher.hashReference} splits a reference (remembered for references seen again). */
  referenceParts(reference: string): ReferenceParts;
  /** The same split, not remembered (for callers that cache the final output themselves). */
  splitReference(reference: string): ReferenceParts;
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
  const partsCache = new Map<string, ReferenceParts>();
  const remember = (value: string, digest: string): void => {
    if (cache.size >= 2048) cache.clear();
    cache.set(value, digest);
  };
  const hash = (value: string): string => {
    if (value === '') return '';
    let out = cache.get(value);
    if (out === undefined) {
      out = core.hmacHexBatch('sha256', keyBytes, [value])[0]!;
      remember(value, out);
    }
    return out;
  };
  const splitReference = (reference: string): ReferenceParts => {
    let parts: ReferenceParts;
    if (reference.startsWith('#')) parts = { prefix: '#', id: reference.slice(1), suffix: '' };
    else if (reference.startsWith('urn:')) {
      // Never a literal reference (those start with http(s):// or a resource type).
      const m = OID.exec(reference) ?? UUID.exec(reference);
      parts = m !== null ? { prefix: m[1]!, id: m[2]!, suffix: '' } : { prefix: '', id: reference, suffix: '' };
    } else {
      const m = literal.exec(reference);
      parts = m !== null ? { prefix: m[1]!, id: m[2]!, suffix: m[3] ?? '' } : { prefix: '', id: reference, suffix: '' };
    }
    return parts;
  };
  const referenceParts = (reference: string): ReferenceParts => {
    let parts = partsCache.get(reference);
    if (parts !== undefined) return parts;
    parts = splitReference(reference);
    if (partsCache.size >= 2048) partsCache.clear();
    partsCache.set(reference, parts);
    return parts;
  };
  return {
    hash,
    splitReference,
    cached(value: string): string | undefined {
      return value === '' ? '' : cache.get(value);
    },
    hashBatch(values: readonly string[]): string[] {
      const out: string[] = new Array(values.length);
      const missing: string[] = [];
      const where: number[] = [];
      for (let i = 0; i < values.length; i++) {
        const v = values[i]!;
        const hit = v === '' ? '' : cache.get(v);
        if (hit !== undefined) out[i] = hit;
        else {
          missing.push(v);
          where.push(i);
        }
      }
      if (missing.length > 0) {
        const digests = core.hmacHexBatch('sha256', keyBytes, missing);
        for (let k = 0; k < missing.length; k++) {
          out[where[k]!] = digests[k]!;
          remember(missing[k]!, digests[k]!);
        }
      }
      return out;
    },
    referenceParts,
    hashReference(reference: string): string {
      const p = referenceParts(reference);
      return p.prefix + hash(p.id) + p.suffix;
    },
  };
}
