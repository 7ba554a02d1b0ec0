/**
 * `encrypt`: Base64(IV ‖ AES-CBC-PKCS#7(UTF-8 value)) with a fresh random IV, the
 * reference tool's format, and its inverse for the `decrypt` command.
 * @module
 */
import { getCore } from '../core/index.ts';
import type { CryptoCore } from '../core/types.ts';
import { KeySizeError } from '../errors.ts';

const encoder = new TextEncoder();

/**
 * Checks and encodes an `encryptKey`.
 * @param key - The key text; its UTF-8 form must be 16, 24 or 32 bytes.
 * @returns The key bytes.
 * @throws {@link KeySizeError} for any other length.
 * @example Checking a 32-byte key
 * ```ts
 * encryptKeyBytes('704ab12c8e3e46d4bea600ef62a6bec7').length; // 32
 * ```
 */
export function encryptKeyBytes(key: string): Uint8Array {
  const bytes = encoder.encode(key);
  if (bytes.length !== 16 && bytes.length !== 24 && bytes.length !== 32) {
    throw new KeySizeError(`encrypt key must be 16, 24 or 32 bytes of UTF-8, got ${bytes.length}`);
  }
  return bytes;
}

/**
 * Encrypts one value.
 * @param core - The crypto core.
 * @param key - Key bytes from {@link encryptKeyBytes}.
 * @param value - Plain text.
 * @returns Base64 of IV and ciphertext.
 * @example Encrypting a name
 * ```ts
 * import { getCore } from 'health-anonymizer/core';
 * encryptValue(getCore(), encryptKeyBytes('704ab12c8e3e46d4bea600ef62a6bec7'), 'abc');
 * ```
 */
export function encryptValue(core: CryptoCore, key: Uint8Array, value: string): string {
  return core.encryptTextsCbcBase64(key, [value])[0]!;
}

/**
 * Decrypts a value written by `encrypt` (the `decrypt` command).
 * @param key - `encryptKey` as configured (UTF-8, 16/24/32 bytes).
 * @param value - Base64 of IV and ciphertext.
 * @param core - The crypto core (default `getCore()`).
 * @returns The plain text.
 * @throws {@link KeySizeError} for a bad key; `CiphertextError` for malformed input.
 * @example The reference vector
 * ```ts
 * decryptValue('704ab12c8e3e46d4bea600ef62a6bec7', 'qpxGp6T9DP7wB0EYPQwOYVrScQ/pq3c0D+JQ+hjnfkY='); // 'abc'
 * ```
 */
export function decryptValue(key: string, value: string, core: CryptoCore = getCore()): string {
  return core.decryptTextCbcBase64(encryptKeyBytes(key), value);
}
