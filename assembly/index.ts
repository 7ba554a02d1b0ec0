// Entry of the health-anonymizer WASM crypto core: a numbers-only ABI over fixed memory regions.
// Specifications: FIPS 180-4 (SHA-2), RFC 2104 (HMAC), FIPS 197 (AES), NIST SP 800-38A (CBC),
// NIST SP 800-38D (GCM), RFC 4648 (hex, Base64). Only functions are exported (no globals).

import { CT_CAP, IN, IN_CAP, IV, IVS, MAX_BATCH, OFFS, OUT, OUT_CAP, OUT_OFFS } from './layout';

export { digestSize, hashFinal, hashInit, hashUpdate, hmacBatch, hmacFinish, hmacSetKey, hmacStart } from './hash';
export { aesClearKey, aesSetKey, aesTables } from './aes';
export { cbcBatchBase64, cbcDecrypt, cbcEncrypt, cbcStart } from './cbc';
export { ctEqual, gcmDecryptChunk, gcmEncryptChunk, gcmInit, gcmJ0Long, gcmJ0Short, gcmStart, gcmTag, ghashUpdate } from './gcm';
export { base64Encode, hexEncode } from './encoding';

/** Address of the input window. */
export function inPtr(): usize { return IN; }
/** Size of the input window in bytes. */
export function inCap(): u32 { return IN_CAP; }
/** Address of the output window. */
export function outPtr(): usize { return OUT; }
/** Size of the output window in bytes. */
export function outCap(): u32 { return OUT_CAP; }
/** Largest item the Base64 batch accepts, in bytes. */
export function ctCap(): u32 { return CT_CAP - 64; }
/** Address of the batch offset table (u32 × (maxBatch + 1)). */
export function offsPtr(): usize { return OFFS; }
/** Address of the batch output offset table. */
export function outOffsPtr(): usize { return OUT_OFFS; }
/** Address of the batch IVs (16 bytes each). */
export function ivsPtr(): usize { return IVS; }
/** Address of the 16-byte IV / nonce / tag exchange slot (64 bytes long). */
export function ivPtr(): usize { return IV; }
/** Most values per batch call. */
export function maxBatch(): u32 { return MAX_BATCH; }
