/**
 * The one interface that both crypto cores implement: the WASM core (default)
 * and the pure-JS core (@noble/hashes, @noble/ciphers). Both give identical bytes.
 * @module
 */

/** Hash functions of the SHA-2 family that the core provides (FIPS 180-4). */
export type HashAlgorithm = 'sha256' | 'sha384' | 'sha512';

/** Which implementation backs a core. */
export type CoreKind = 'wasm' | 'js';

/**
 * A message: text (encoded as UTF-8) or bytes. Text is encoded as the WHATWG
 * TextEncoder does on every core, so a lone surrogate becomes U+FFFD; two strings that
 * differ only in such malformed code units therefore hash alike.
 */
export type Message = string | Uint8Array;

/**
 * Hashing, HMAC and AES, behind one interface.
 *
 * Keys are raw bytes. Strings are always UTF-8 encoded. Every function throws a
 * typed error from `health-anonymizer/errors` on bad input and never includes
 * input bytes in the message.
 */
export interface CryptoCore {
  /** `'wasm'` or `'js'`. */
  readonly kind: CoreKind;

  /** Digest of `data` (FIPS 180-4). */
  hash(algorithm: HashAlgorithm, data: Message): Uint8Array;

  /** HMAC (RFC 2104) of `data` under `key`; keys of any length. */
  hmac(algorithm: HashAlgorithm, key: Uint8Array, data: Message): Uint8Array;

  /**
   * HMAC of many messages under one key, in one call.
   * @returns `messages.length` digests laid end to end (32, 48 or 64 bytes each).
   */
  hmacBatch(algorithm: HashAlgorithm, key: Uint8Array, messages: readonly Message[]): Uint8Array;

  /**
   * HMAC of many messages under one key, as lowercase hex strings (the reference
   * tool's `cryptoHash` output format).
   */
  hmacHexBatch(algorithm: HashAlgorithm, key: Uint8Array, messages: readonly Message[]): string[];

  /**
   * AES-CBC encryption with PKCS#7 padding (NIST SP 800-38A).
   * @param key - 16, 24 or 32 bytes.
   * @param iv - 16 bytes.
   * @returns The ciphertext, a positive multiple of 16 bytes.
   */
  aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Message): Uint8Array;

  /** Inverse of {@link CryptoCore.aesCbcEncrypt}; rejects bad lengths and bad padding. */
  aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array;

  /**
   * AES-GCM encryption (NIST SP 800-38D) with a 16-byte tag.
   * @param nonce - At least 8 bytes; 12 is recommended.
   * @returns Ciphertext followed by the tag.
   */
  aesGcmEncrypt(key: Uint8Array, nonce: Uint8Array, plaintext: Message, aad?: Uint8Array): Uint8Array;

  /** Inverse of {@link CryptoCore.aesGcmEncrypt}; rejects a wrong tag. */
  aesGcmDecrypt(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Uint8Array;

  /**
   * The reference tool's `encrypt` format for many values: for each text,
   * Base64(IV ‖ AES-CBC-PKCS#7(UTF-8 text)) with a fresh random 16-byte IV.
   * @param ivs - For tests only: `texts.length × 16` bytes of IVs to use instead of random ones.
   */
  encryptTextsCbcBase64(key: Uint8Array, texts: readonly string[], ivs?: Uint8Array): string[];

  /** Inverse of {@link CryptoCore.encryptTextsCbcBase64} for one value. */
  decryptTextCbcBase64(key: Uint8Array, base64: string): string;

  /** Lowercase hex of `bytes`. */
  toHex(bytes: Uint8Array): string;

  /** Standard Base64 (RFC 4648 §4) with padding. */
  toBase64(bytes: Uint8Array): string;

  /** Strict standard Base64 decoding: length a multiple of 4, valid alphabet and padding only. */
  fromBase64(text: string): Uint8Array;
}
