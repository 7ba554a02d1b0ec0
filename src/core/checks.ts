/**
 * Argument checks shared by both cores, so they reject the same inputs with the same errors.
 * @module
 */
import { CiphertextError, InvalidArgumentError, KeySizeError } from '../errors.ts';
import type { HashAlgorithm } from './types.ts';

/** Digest length in bytes of each hash algorithm. */
export const DIGEST_LENGTH: Readonly<Record<HashAlgorithm, number>> = { sha256: 32, sha384: 48, sha512: 64 };

/**
 * Checks the algorithm name.
 * @param algorithm - Caller's value.
 * @returns The digest length in bytes.
 */
export function digestLength(algorithm: HashAlgorithm): number {
  const n = DIGEST_LENGTH[algorithm];
  if (n === undefined) throw new InvalidArgumentError('"algorithm" expected sha256, sha384 or sha512');
  return n;
}

/**
 * Checks that `value` is a Uint8Array.
 * @param label - Argument name used in the message.
 * @param value - Caller's value.
 */
export function checkBytes(label: string, value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new InvalidArgumentError(`"${label}" expected Uint8Array`);
}

/**
 * Checks an AES key: 16, 24 or 32 bytes.
 * @param key - Caller's key.
 */
export function checkAesKey(key: unknown): asserts key is Uint8Array {
  checkBytes('key', key);
  if (key.length !== 16 && key.length !== 24 && key.length !== 32) {
    throw new KeySizeError(`"key" expected 16, 24 or 32 bytes for AES, got length=${key.length}`);
  }
}

/**
 * Checks a CBC IV: 16 bytes.
 * @param iv - Caller's IV.
 */
export function checkIv(iv: unknown): asserts iv is Uint8Array {
  checkBytes('iv', iv);
  if (iv.length !== 16) throw new InvalidArgumentError(`"iv" expected 16 bytes, got length=${iv.length}`);
}

/**
 * Checks a GCM nonce: at least 8 bytes (12 is the recommended size). SP 800-38D allows
 * shorter IVs, but the JS twin (@noble/ciphers) does not, and both cores must accept
 * exactly the same inputs.
 * @param nonce - Caller's nonce.
 */
export function checkNonce(nonce: unknown): asserts nonce is Uint8Array {
  checkBytes('nonce', nonce);
  if (nonce.length < 8) throw new InvalidArgumentError(`"nonce" expected at least 8 bytes, got length=${nonce.length}`);
}

/**
 * Checks a CBC ciphertext length: a positive multiple of 16.
 * @param length - Ciphertext length in bytes.
 */
export function checkCbcCiphertextLength(length: number): void {
  if (length === 0 || length % 16 !== 0) {
    throw new CiphertextError(`ciphertext length ${length} is not a positive multiple of 16`);
  }
}

/**
 * Checks a GCM sealed length: at least the 16-byte tag.
 * @param length - Sealed length in bytes.
 */
export function checkGcmSealedLength(length: number): void {
  if (length < 16) throw new CiphertextError(`sealed length ${length} is shorter than the 16-byte tag`);
}

/**
 * Checks test IVs for the batch encrypt call.
 * @param ivs - Caller's IVs or undefined.
 * @param count - Number of texts.
 */
export function checkBatchIvs(ivs: Uint8Array | undefined, count: number): void {
  if (ivs === undefined) return;
  checkBytes('ivs', ivs);
  if (ivs.length !== count * 16) {
    throw new InvalidArgumentError(`"ivs" expected ${count * 16} bytes, got length=${ivs.length}`);
  }
}

/**
 * Splits a Base64(IV ‖ ciphertext) value after decoding.
 * @param raw - Decoded bytes.
 * @returns IV and ciphertext views.
 */
export function splitIvCiphertext(raw: Uint8Array): { iv: Uint8Array; ciphertext: Uint8Array } {
  if (raw.length < 32) throw new CiphertextError(`decoded length ${raw.length} is shorter than IV plus one block`);
  checkCbcCiphertextLength(raw.length - 16);
  return { iv: raw.subarray(0, 16), ciphertext: raw.subarray(16) };
}

/**
 * Checks the arguments of a GCM call (both cores, so both reject alike).
 * @param key - AES key.
 * @param nonce - GCM nonce.
 * @param aad - Additional authenticated data, if any.
 * @param sealed - For decryption: ciphertext followed by the tag.
 */
export function checkGcmArgs(key: unknown, nonce: unknown, aad: unknown, sealed?: unknown): void {
  checkAesKey(key);
  checkNonce(nonce);
  if (sealed !== undefined) checkBytes('sealed', sealed);
  if (aad !== undefined) checkBytes('aad', aad);
  if (sealed !== undefined) checkGcmSealedLength((sealed as Uint8Array).length);
}
