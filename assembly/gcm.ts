// AES-GCM (NIST SP 800-38D): GHASH (§6.4), the counter mode GCTR (§6.5), J0 for any IV
// length (§7.1 step 2) and the tag (§7.1 steps 5–6), streamed through the window.
//
// GHASH multiplies in GF(2^128) bit by bit with masks (§6.3, Algorithm 1): no branch and no
// table index depends on H or on the data, so it runs in constant time, at the cost of speed.
// The tag comparison is constant-time too. The AES block function itself is not (see aes.ts).

import { aesEncryptBlock } from './aes';
import { IV } from './layout';

/** Hash subkey H and accumulator Y as big-endian 64-bit halves. */
let hHi: u64 = 0;
let hLo: u64 = 0;
let yHi: u64 = 0;
let yLo: u64 = 0;
const J0: usize = memory.data(16, 16);
const CTR: usize = memory.data(16, 16);
const KS: usize = memory.data(16, 16);
const TMP: usize = memory.data(16, 16);

function gfMulH(): void {
  let zHi: u64 = 0;
  let zLo: u64 = 0;
  let vHi = hHi;
  let vLo = hLo;
  const xHi = yHi;
  const xLo = yLo;
  for (let i: u64 = 0; i < 64; i++) {
    const m = 0 - ((xHi >> (63 - i)) & 1);
    zHi ^= vHi & m;
    zLo ^= vLo & m;
    const r = 0 - (vLo & 1);
    vLo = (vLo >> 1) | (vHi << 63);
    vHi = (vHi >> 1) ^ (0xe100000000000000 & r);
  }
  for (let i: u64 = 0; i < 64; i++) {
    const m = 0 - ((xLo >> (63 - i)) & 1);
    zHi ^= vHi & m;
    zLo ^= vLo & m;
    const r = 0 - (vLo & 1);
    vLo = (vLo >> 1) | (vHi << 63);
    vHi = (vHi >> 1) ^ (0xe100000000000000 & r);
  }
  yHi = zHi;
  yLo = zLo;
}

/** Absorbs `len` bytes at `ptr` into Y; a trailing partial block is padded with zeros. */
export function ghashUpdate(ptr: usize, len: usize): void {
  let off: usize = 0;
  while (off + 16 <= len) {
    yHi ^= bswap<u64>(load<u64>(ptr + off));
    yLo ^= bswap<u64>(load<u64>(ptr + off + 8));
    gfMulH();
    off += 16;
  }
  if (off < len) {
    memory.fill(TMP, 0, 16);
    memory.copy(TMP, ptr + off, len - off);
    yHi ^= bswap<u64>(load<u64>(TMP));
    yLo ^= bswap<u64>(load<u64>(TMP + 8));
    gfMulH();
  }
}

function ghashLengths(aBytes: f64, cBytes: f64): void {
  yHi ^= (<u64>aBytes) << 3;
  yLo ^= (<u64>cBytes) << 3;
  gfMulH();
}

/** Derives H = E_K(0^128) under the key set with `aesSetKey` and clears Y. */
export function gcmInit(): void {
  memory.fill(TMP, 0, 16);
  aesEncryptBlock(TMP, TMP);
  hHi = bswap<u64>(load<u64>(TMP));
  hLo = bswap<u64>(load<u64>(TMP + 8));
  yHi = 0;
  yLo = 0;
}

/** J0 for a 12-byte IV at IV: IV ‖ 0^31 ‖ 1. */
export function gcmJ0Short(): void {
  memory.copy(J0, IV, 12);
  store<u32>(J0, bswap<u32>(1), 12);
}

/** J0 for any other IV length, after the IV went through `ghashUpdate`: GHASH(IV ‖ pad ‖ [len]64). */
export function gcmJ0Long(ivBytes: f64): void {
  ghashLengths(0, ivBytes);
  store<u64>(J0, bswap<u64>(yHi));
  store<u64>(J0 + 8, bswap<u64>(yLo));
  yHi = 0;
  yLo = 0;
}

/** Starts the counter at inc32(J0) and clears Y; the AAD goes next through `ghashUpdate`. */
export function gcmStart(): void {
  memory.copy(CTR, J0, 16);
  yHi = 0;
  yLo = 0;
}

function gctr(src: usize, len: usize, dst: usize): void {
  for (let off: usize = 0; off < len; off += 16) {
    store<u32>(CTR, bswap<u32>(bswap<u32>(load<u32>(CTR, 12)) + 1), 12);
    aesEncryptBlock(CTR, KS);
    const n = min<usize>(16, len - off);
    for (let i: usize = 0; i < n; i++) store<u8>(dst + off + i, load<u8>(src + off + i) ^ load<u8>(KS + i));
  }
}

/** Encrypts a chunk (a multiple of 16 bytes unless it is the last) and hashes the ciphertext. */
export function gcmEncryptChunk(src: usize, len: usize, dst: usize): void {
  gctr(src, len, dst);
  ghashUpdate(dst, len);
}

/** Hashes a ciphertext chunk (a multiple of 16 bytes unless it is the last) and decrypts it. */
export function gcmDecryptChunk(src: usize, len: usize, dst: usize): void {
  ghashUpdate(src, len);
  gctr(src, len, dst);
}

/** Writes the 16-byte tag E_K(J0) ⊕ GHASH(A, C) for the given AAD and ciphertext lengths to `out`. */
export function gcmTag(aadBytes: f64, ctBytes: f64, out: usize): void {
  ghashLengths(aadBytes, ctBytes);
  aesEncryptBlock(J0, KS);
  store<u64>(out, load<u64>(KS) ^ bswap<u64>(yHi));
  store<u64>(out + 8, load<u64>(KS + 8) ^ bswap<u64>(yLo));
}

/** 1 when the `len` bytes at `a` and `b` are equal, else 0; the time does not depend on where they differ. */
export function ctEqual(a: usize, b: usize, len: usize): u32 {
  let acc: u32 = 0;
  for (let i: usize = 0; i < len; i++) acc |= <u32>(load<u8>(a + i) ^ load<u8>(b + i));
  return 1 ^ ((0 - acc) >> 31);
}
