/**
 * The pure-JS crypto core, built on @noble/hashes and @noble/ciphers. It is the
 * reference the WASM core is tested against, and the fallback where WASM is unwanted.
 * @module
 */
import { hmac } from '@noble/hashes/hmac.js';
import type { CHash } from '@noble/hashes/utils.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { cbc, gcm } from '@noble/ciphers/aes.js';
import { CiphertextError } from '../errors.ts';
import {
  checkAesKey, checkBatchIvs, checkBytes, checkCbcCiphertextLength, checkGcmArgs, checkIv,
  digestLength, splitIvCiphertext,
} from './checks.ts';
import { fromBase64, messageBytes, toBase64, toHex, utf8Decode } from './encoding.ts';
import type { CryptoCore, HashAlgorithm } from './types.ts';

const HASHES = { sha256, sha384, sha512 } as const;

function hashFn(algorithm: HashAlgorithm): CHash {
  digestLength(algorithm);
  return HASHES[algorithm];
}

function cbcDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  checkCbcCiphertextLength(ciphertext.length);
  try {
    return cbc(key, iv).decrypt(ciphertext);
  } catch {
    throw new CiphertextError('ciphertext has invalid padding');
  }
}

/**
 * Creates the pure-JS core.
 * @returns A {@link CryptoCore} whose `kind` is `'js'`.
 * @example
 * ```ts
 * import { createJsCore } from 'health-anonymizer/core';
 * const core = createJsCore();
 * core.toHex(core.hash('sha256', 'abc')); // 'ba7816bf…'
 * ```
 */
export function createJsCore(): CryptoCore {
  const core: CryptoCore = {
    kind: 'js',
    hash(algorithm, data) {
      return hashFn(algorithm)(messageBytes(data));
    },
    hmac(algorithm, key, data) {
      checkBytes('key', key);
      return hmac(hashFn(algorithm), key, messageBytes(data));
    },
    hmacBatch(algorithm, key, messages) {
      checkBytes('key', key);
      const n = digestLength(algorithm);
      const keyed = hmac.create(hashFn(algorithm), key);
      const out = new Uint8Array(messages.length * n);
      for (let i = 0; i < messages.length; i++) {
        out.set(keyed.clone().update(messageBytes(messages[i]!)).digest(), i * n);
      }
      return out;
    },
    hmacHexBatch(algorithm, key, messages) {
      const n = digestLength(algorithm);
      const all = core.hmacBatch(algorithm, key, messages);
      const out: string[] = new Array(messages.length);
      for (let i = 0; i < messages.length; i++) out[i] = toHex(all.subarray(i * n, (i + 1) * n));
      return out;
    },
    aesCbcEncrypt(key, iv, plaintext) {
      checkAesKey(key);
      checkIv(iv);
      return cbc(key, iv).encrypt(messageBytes(plaintext));
    },
    aesCbcDecrypt(key, iv, ciphertext) {
      checkAesKey(key);
      checkIv(iv);
      checkBytes('ciphertext', ciphertext);
      return cbcDecrypt(key, iv, ciphertext);
    },
    aesGcmEncrypt(key, nonce, plaintext, aad) {
      checkGcmArgs(key, nonce, aad);
      return gcm(key, nonce, aad).encrypt(messageBytes(plaintext));
    },
    aesGcmDecrypt(key, nonce, sealed, aad) {
      checkGcmArgs(key, nonce, aad, sealed);
      try {
        return gcm(key, nonce, aad).decrypt(sealed);
      } catch {
        throw new CiphertextError('authentication tag does not match');
      }
    },
    encryptTextsCbcBase64(key, texts, ivs) {
      checkAesKey(key);
      checkBatchIvs(ivs, texts.length);
      const out: string[] = new Array(texts.length);
      const iv = new Uint8Array(16);
      for (let i = 0; i < texts.length; i++) {
        if (ivs) iv.set(ivs.subarray(i * 16, i * 16 + 16));
        else crypto.getRandomValues(iv);
        const ct = cbc(key, iv.slice()).encrypt(messageBytes(texts[i]!));
        const joined = new Uint8Array(16 + ct.length);
        joined.set(iv);
        joined.set(ct, 16);
        out[i] = toBase64(joined);
      }
      return out;
    },
    decryptTextCbcBase64(key, base64) {
      checkAesKey(key);
      const { iv, ciphertext } = splitIvCiphertext(fromBase64(base64));
      return utf8Decode(cbcDecrypt(key, iv.slice(), ciphertext));
    },
    toHex,
    toBase64,
    fromBase64,
  };
  return core;
}

