// Hashing and HMAC entry points over SHA-256/384/512 (FIPS 180-4; HMAC per RFC 2104 / FIPS 198-1),
// including the batch HMAC that formats many short values in one call.
//
// Algorithm codes: 0 = SHA-256, 1 = SHA-384, 2 = SHA-512.
// HMAC keys are absorbed once (`hmacSetKey`): the states after one compression of
// key ⊕ ipad and key ⊕ opad are kept, so each message then costs its own blocks plus one
// outer compression (SHA-256: exactly two compressions for messages up to 55 bytes).

import { hexEncode } from './encoding';
import { IN, OFFS, OUT } from './layout';
import { sha256Compress, sha256Final, sha256Init, sha256Resume, sha256Update } from './sha256';
import { hmac256Lanes } from './sha256-simd';
import { sha512Compress, sha512Final, sha512Init, sha512Resume, sha512Update } from './sha512';

const CTX: usize = memory.data(256, 16);
const CTX2: usize = memory.data(256, 16);
/** Per algorithm: inner state (64 bytes) then outer state (64 bytes). */
const HKEY: usize = memory.data(3 * 128, 16);
const KEYBLOCK: usize = memory.data(128, 16);
const DIG: usize = memory.data(64, 16);
const DIG2: usize = memory.data(64, 16);
/** Indexes of the short messages waiting for a SIMD group of four. */
const LANE_IDX: usize = memory.data(16, 16);

// @ts-ignore: decorator
@inline function blockSize(alg: u32): usize {
  return alg == 0 ? 64 : 128;
}

/** Digest length in bytes of algorithm `alg`. */
export function digestSize(alg: u32): u32 {
  return alg == 0 ? 32 : alg == 1 ? 48 : 64;
}

function ctxInit(ctx: usize, alg: u32): void {
  if (alg == 0) sha256Init(ctx);
  else sha512Init(ctx, alg == 1);
}

function ctxUpdate(ctx: usize, alg: u32, ptr: usize, len: usize): void {
  if (alg == 0) sha256Update(ctx, ptr, len);
  else sha512Update(ctx, ptr, len);
}

function ctxFinal(ctx: usize, alg: u32, out: usize): void {
  if (alg == 0) sha256Final(ctx, out);
  else sha512Final(ctx, out, <usize>digestSize(alg));
}

function ctxResume(ctx: usize, alg: u32, state: usize): void {
  if (alg == 0) sha256Resume(ctx, state, 64);
  else sha512Resume(ctx, state, 128);
}

/** Starts a plain hash. */
export function hashInit(alg: u32): void {
  ctxInit(CTX, alg);
}

/** Absorbs `len` bytes at `ptr` into the running hash or HMAC. */
export function hashUpdate(alg: u32, ptr: usize, len: usize): void {
  ctxUpdate(CTX, alg, ptr, len);
}

/** Finishes a plain hash; writes the digest to `out`. */
export function hashFinal(alg: u32, out: usize): void {
  ctxFinal(CTX, alg, out);
}

/**
 * Absorbs an HMAC key of any length (RFC 2104 §2: keys longer than the block are hashed first)
 * and keeps the padded inner and outer states for `alg`.
 */
export function hmacSetKey(alg: u32, key: usize, keyLen: usize): void {
  const bs = blockSize(alg);
  memory.fill(KEYBLOCK, 0, bs);
  if (keyLen > bs) {
    ctxInit(CTX2, alg);
    ctxUpdate(CTX2, alg, key, keyLen);
    ctxFinal(CTX2, alg, KEYBLOCK);
  } else {
    memory.copy(KEYBLOCK, key, keyLen);
  }
  const slot = HKEY + (<usize>alg << 7);
  for (let i: usize = 0; i < bs; i++) store<u8>(KEYBLOCK + i, load<u8>(KEYBLOCK + i) ^ 0x36);
  ctxInit(CTX2, alg);
  if (alg == 0) sha256Compress(CTX2, KEYBLOCK);
  else sha512Compress(CTX2, KEYBLOCK);
  memory.copy(slot, CTX2, 64);
  for (let i: usize = 0; i < bs; i++) store<u8>(KEYBLOCK + i, load<u8>(KEYBLOCK + i) ^ (0x36 ^ 0x5c));
  ctxInit(CTX2, alg);
  if (alg == 0) sha256Compress(CTX2, KEYBLOCK);
  else sha512Compress(CTX2, KEYBLOCK);
  memory.copy(slot + 64, CTX2, 64);
  memory.fill(KEYBLOCK, 0, 128);
}

/** Starts an HMAC under the key last given to `hmacSetKey` for `alg`; feed it with `hashUpdate`. */
export function hmacStart(alg: u32): void {
  ctxResume(CTX, alg, HKEY + (<usize>alg << 7));
}

/** Finishes the running HMAC; writes the tag to `out`. */
export function hmacFinish(alg: u32, out: usize): void {
  ctxFinal(CTX, alg, DIG);
  ctxResume(CTX, alg, HKEY + (<usize>alg << 7) + 64);
  ctxUpdate(CTX, alg, DIG, <usize>digestSize(alg));
  ctxFinal(CTX, alg, out);
}

function hmacOne(alg: u32, ptr: usize, len: usize, out: usize, hex: bool): void {
  hmacStart(alg);
  ctxUpdate(CTX, alg, ptr, len);
  if (hex) {
    hmacFinish(alg, DIG2);
    hexEncode(DIG2, <usize>digestSize(alg), out);
  } else {
    hmacFinish(alg, out);
  }
}

/**
 * HMAC of `n` messages under the current key of `alg`. Message `i` is IN[OFFS[i] .. OFFS[i+1]).
 * Tag `i` goes to OUT + i × size, as raw bytes or (`hex` ≠ 0) lowercase hex.
 * For SHA-256, messages of at most 55 bytes are gathered four at a time into SIMD lanes;
 * longer ones take the scalar path. The output does not depend on the path.
 */
export function hmacBatch(alg: u32, n: u32, hex: u32): void {
  const isHex = hex != 0;
  const size = <usize>digestSize(alg) << (isHex ? 1 : 0);
  const slot = HKEY + (<usize>alg << 7);
  let waiting: usize = 0;
  for (let i: usize = 0; i < <usize>n; i++) {
    const start = <usize>load<u32>(OFFS + (i << 2));
    const len = <usize>load<u32>(OFFS + (i << 2) + 4) - start;
    if (alg == 0 && len <= 55) {
      store<u32>(LANE_IDX + (waiting << 2), <u32>i);
      waiting++;
      if (waiting == 4) {
        hmac256Lanes(slot, slot + 64, IN, OFFS, LANE_IDX, OUT, size, isHex);
        waiting = 0;
      }
    } else {
      hmacOne(alg, IN + start, len, OUT + i * size, isHex);
    }
  }
  for (let j: usize = 0; j < waiting; j++) {
    const i = <usize>load<u32>(LANE_IDX + (j << 2));
    const start = <usize>load<u32>(OFFS + (i << 2));
    const len = <usize>load<u32>(OFFS + (i << 2) + 4) - start;
    hmacOne(alg, IN + start, len, OUT + i * size, isHex);
  }
}
