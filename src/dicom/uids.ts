/**
 * UID handling shared by every policy: which UI attributes are never remapped, a per-run cached
 * keyed mapper, and this implementation's own identification in the file meta.
 * @module
 */
import type { CryptoCore } from '../core/types.ts';
import { lookupTag } from './dictionary.ts';
import { mapUid } from './rules/values.ts';

/**
 * Implementation Class UID (0002,0012) written by health-anonymizer: a `2.25.` UID (ISO/IEC
 * 9834-8 UUID-derived) generated once for this product.
 */
export const IMPLEMENTATION_CLASS_UID = '2.25.16358729183416189428013389960900156830';

/** Implementation Version Name (0002,0013), at most 16 characters (SH). */
export const IMPLEMENTATION_VERSION_NAME = 'HEALTHANON_0_1';

const EXEMPT_KEYWORD = /(ClassUID|ClassesInStudy|ClassesInSeries|ClassesSupported|TransferSyntaxUID|TransferSyntaxUIDInFile|ClassUIDInFile|CodingSchemeUID|ContextUID|MappingResourceUID|ContextGroupExtensionCreatorUID|CreatorVersionUID|SegmentationTemplateUID)$/;
const exemptCache = new Map<number, boolean>();

/**
 * Whether a UI attribute names a class, a transfer syntax, a coding scheme or a template rather
 * than an instance: such UIDs are never remapped.
 * @param tag - `((group << 16) | element) >>> 0`.
 * @returns `true` when the attribute's UIDs must stay as they are.
 * @example
 * ```ts
 * import { isUidExempt } from 'health-anonymizer/dicom';
 * isUidExempt(0x00080016); // true (SOP Class UID)
 * isUidExempt(0x00080018); // false (SOP Instance UID)
 * ```
 */
export function isUidExempt(tag: number): boolean {
  let exempt = exemptCache.get(tag);
  if (exempt === undefined) {
    const entry = lookupTag(tag);
    exempt = entry !== undefined && EXEMPT_KEYWORD.test(entry.keyword);
    exemptCache.set(tag, exempt);
  }
  return exempt;
}

/** A keyed UID mapper with a bounded cache. */
export interface UidMapper {
  /**
   * Maps one UID (without padding); well-known UIDs come back unchanged.
   * @param uid - The original UID.
   * @returns The new UID.
   */
  map(uid: string): string;
}

/**
 * Creates a keyed, deterministic UID mapper (HMAC through the dicom-rules `mapUid`), caching
 * recent results so that the many references to one UID cost one HMAC.
 * @param key - Secret key.
 * @param core - Crypto core.
 * @returns The mapper.
 * @example
 * ```ts
 * import { createUidMapper } from 'health-anonymizer/dicom';
 * import { getCore } from 'health-anonymizer/core';
 * const mapper = createUidMapper(new TextEncoder().encode('a secret key of 16+ bytes'), getCore());
 * mapper.map('1.2.3.4') === mapper.map('1.2.3.4'); // true
 * ```
 */
export function createUidMapper(key: Uint8Array, core: CryptoCore): UidMapper {
  const cache = new Map<string, string>();
  return {
    map(uid: string): string {
      let mapped = cache.get(uid);
      if (mapped === undefined) {
        mapped = mapUid(uid, key, core);
        if (cache.size >= 100_000) cache.clear();
        cache.set(uid, mapped);
      }
      return mapped;
    },
  };
}
