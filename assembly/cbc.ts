// AES-CBC with PKCS#7 padding (NIST SP 800-38A §6.2; padding per RFC 5652 §6.3), streamed:
// the chaining value lives at IV between calls, so long inputs pass through the window
// in chunks of whole blocks, and only the final call pads or unpads.
// Also the batch entry for the reference tool's `encrypt` format: Base64(IV ‖ ciphertext).

import { aesDecryptWords, aesEncryptWords, loadBlock, storeBlock } from './aes';
import { base64Encode } from './encoding';
import { CT, IN, IV, IVS, OFFS, OUT, OUT_OFFS } from './layout';

const CHAIN: usize = memory.data(16, 16);
const ST: usize = memory.data(16, 16);
const LAST: usize = memory.data(16, 16);

function encryptBlocks(src: usize, len: usize, dst: usize): void {
  for (let off: usize = 0; off < len; off += 16) {
    loadBlock(ST, src + off);
    store<u32>(ST, load<u32>(ST, 0) ^ load<u32>(CHAIN, 0), 0);
    store<u32>(ST, load<u32>(ST, 4) ^ load<u32>(CHAIN, 4), 4);
    store<u32>(ST, load<u32>(ST, 8) ^ load<u32>(CHAIN, 8), 8);
    store<u32>(ST, load<u32>(ST, 12) ^ load<u32>(CHAIN, 12), 12);
    aesEncryptWords(ST);
    memory.copy(CHAIN, ST, 16);
    storeBlock(dst + off, ST);
  }
}

/** Loads the 16-byte IV at IV as the chaining value. */
export function cbcStart(): void {
  loadBlock(CHAIN, IV);
}

/**
 * Encrypts `len` bytes at `src` to `dst`. Unless `final`, `len` must be a multiple of 16.
 * With `final`, PKCS#7 padding is added. Returns the number of bytes written.
 */
export function cbcEncrypt(src: usize, len: usize, dst: usize, final: bool): usize {
  const whole = len & ~<usize>15;
  encryptBlocks(src, whole, dst);
  if (!final) return whole;
  const rest = len - whole;
  const pad = <u8>(16 - rest);
  memory.copy(LAST, src + whole, rest);
  memory.fill(LAST + rest, pad, 16 - rest);
  encryptBlocks(LAST, 16, dst + whole);
  return whole + 16;
}

/**
 * Decrypts `len` bytes (a multiple of 16) at `src` to `dst`. With `final`, checks and strips
 * the PKCS#7 padding of the last block without branching on its bytes; returns the plaintext
 * length written, or -1 when the padding is invalid (nothing of the last block is kept then).
 */
export function cbcDecrypt(src: usize, len: usize, dst: usize, final: bool): isize {
  for (let off: usize = 0; off < len; off += 16) {
    loadBlock(ST, src + off);
    memory.copy(LAST, ST, 16);
    aesDecryptWords(ST);
    store<u32>(ST, load<u32>(ST, 0) ^ load<u32>(CHAIN, 0), 0);
    store<u32>(ST, load<u32>(ST, 4) ^ load<u32>(CHAIN, 4), 4);
    store<u32>(ST, load<u32>(ST, 8) ^ load<u32>(CHAIN, 8), 8);
    store<u32>(ST, load<u32>(ST, 12) ^ load<u32>(CHAIN, 12), 12);
    memory.copy(CHAIN, LAST, 16);
    storeBlock(dst + off, ST);
  }
  if (!final) return <isize>len;
  if (len == 0) return -1;
  const last = dst + len - 16;
  const pad = <u32>load<u8>(last + 15);
  // bad = 1 when pad is 0 or above 16, or any of the last `pad` bytes differs from it.
  let bad: u32 = ((pad - 1) >> 31) | ((16 - pad) >> 31);
  for (let i: u32 = 0; i < 16; i++) {
    const inPad = (15 - i - pad) >> 31; // 1 when byte i is one of the last `pad` bytes
    const diff = <u32>load<u8>(last + i) ^ pad;
    bad |= inPad & ((0 - diff) >> 31);
  }
  if (bad != 0) {
    memory.fill(last, 0, 16);
    return -1;
  }
  return <isize>(len - pad);
}

/**
 * The reference tool's `encrypt` format for `n` texts: text `i` is IN[OFFS[i] .. OFFS[i+1]),
 * its IV is IVS[16i .. 16i+16). Writes Base64(IV ‖ AES-CBC-PKCS#7(text)) for each text one
 * after another into OUT, and the end offsets into OUT_OFFS[1..n] (OUT_OFFS[0] = 0).
 * Needs the key set with `aesSetKey`.
 */
export function cbcBatchBase64(n: u32): void {
  let o: usize = 0;
  store<u32>(OUT_OFFS, 0);
  for (let i: usize = 0; i < <usize>n; i++) {
    const start = <usize>load<u32>(OFFS + (i << 2));
    const len = <usize>load<u32>(OFFS + (i << 2) + 4) - start;
    memory.copy(CT, IVS + (i << 4), 16);
    loadBlock(CHAIN, IVS + (i << 4));
    const ctLen = cbcEncrypt(IN + start, len, CT + 16, true);
    o += base64Encode(CT, ctLen + 16, OUT + o);
    store<u32>(OUT_OFFS + (i << 2) + 4, <u32>o);
  }
}
