// Four-lane multi-buffer SHA-256 compression (FIPS 180-4 §6.2.2) with WASM SIMD:
// lane l of every i32x4 holds the same word of a different message. Used by the batch
// HMAC-SHA-256 for messages of at most 55 bytes, which fit one block after the
// precomputed ipad state; the outer hash is one more block after the opad state.
// Ch and Maj use v128.bitselect; there are no data-dependent branches or table indexes.

import { hexEncode } from './encoding';
import { K256 } from './sha256';

const SV: usize = memory.data(8 * 16, 16);
const WV: usize = memory.data(64 * 16, 16);
const LANE_BLOCK: usize = memory.data(4 * 64, 16);
const DIG: usize = memory.data(32, 16);

// @ts-ignore: decorator
@inline function rotr4(x: v128, n: i32): v128 {
  return v128.or(i32x4.shr_u(x, n), i32x4.shl(x, 32 - n));
}

function compress4(): void {
  for (let t: usize = 16; t < 64; t++) {
    const w15 = v128.load(WV + ((t - 15) << 4));
    const w2 = v128.load(WV + ((t - 2) << 4));
    const s0 = v128.xor(v128.xor(rotr4(w15, 7), rotr4(w15, 18)), i32x4.shr_u(w15, 3));
    const s1 = v128.xor(v128.xor(rotr4(w2, 17), rotr4(w2, 19)), i32x4.shr_u(w2, 10));
    const w = i32x4.add(i32x4.add(v128.load(WV + ((t - 16) << 4)), s0), i32x4.add(v128.load(WV + ((t - 7) << 4)), s1));
    v128.store(WV + (t << 4), w);
  }
  let a = v128.load(SV, 0);
  let b = v128.load(SV, 16);
  let c = v128.load(SV, 32);
  let d = v128.load(SV, 48);
  let e = v128.load(SV, 64);
  let f = v128.load(SV, 80);
  let g = v128.load(SV, 96);
  let h = v128.load(SV, 112);
  for (let t: usize = 0; t < 64; t++) {
    const s1 = v128.xor(v128.xor(rotr4(e, 6), rotr4(e, 11)), rotr4(e, 25));
    const ch = v128.bitselect(f, g, e);
    const k = i32x4.splat(load<i32>(K256 + (t << 2)));
    const t1 = i32x4.add(i32x4.add(i32x4.add(h, s1), i32x4.add(ch, k)), v128.load(WV + (t << 4)));
    const s0 = v128.xor(v128.xor(rotr4(a, 2), rotr4(a, 13)), rotr4(a, 22));
    const maj = v128.bitselect(b, c, v128.xor(a, c));
    h = g;
    g = f;
    f = e;
    e = i32x4.add(d, t1);
    d = c;
    c = b;
    b = a;
    a = i32x4.add(t1, i32x4.add(s0, maj));
  }
  v128.store(SV, i32x4.add(v128.load(SV, 0), a), 0);
  v128.store(SV, i32x4.add(v128.load(SV, 16), b), 16);
  v128.store(SV, i32x4.add(v128.load(SV, 32), c), 32);
  v128.store(SV, i32x4.add(v128.load(SV, 48), d), 48);
  v128.store(SV, i32x4.add(v128.load(SV, 64), e), 64);
  v128.store(SV, i32x4.add(v128.load(SV, 80), f), 80);
  v128.store(SV, i32x4.add(v128.load(SV, 96), g), 96);
  v128.store(SV, i32x4.add(v128.load(SV, 112), h), 112);
}

function splatState(state: usize): void {
  for (let j: usize = 0; j < 8; j++) v128.store(SV + (j << 4), i32x4.splat(load<i32>(state + (j << 2))));
}

/**
 * HMAC-SHA-256 of the four messages whose indexes are at `lanes` (u32 each), every one at most
 * 55 bytes. `inner`/`outer` are the keyed pad states; message `i` is data[offs[i] .. offs[i+1]).
 * Tag `i` goes to out + i × size, raw (32 bytes) or hex (64 digits).
 */
export function hmac256Lanes(
  inner: usize, outer: usize, data: usize, offs: usize, lanes: usize, out: usize, size: usize, hex: bool,
): void {
  for (let l: usize = 0; l < 4; l++) {
    const i = <usize>load<u32>(lanes + (l << 2));
    const start = <usize>load<u32>(offs + (i << 2));
    const len = <usize>load<u32>(offs + (i << 2) + 4) - start;
    const blk = LANE_BLOCK + (l << 6);
    memory.copy(blk, data + start, len);
    store<u8>(blk + len, 0x80);
    memory.fill(blk + len + 1, 0, 63 - len);
    store<u32>(blk, bswap<u32>(<u32>((64 + <u32>len) << 3)), 60);
    for (let t: usize = 0; t < 16; t++) store<u32>(WV + (t << 4) + (l << 2), bswap<u32>(load<u32>(blk + (t << 2))));
  }
  splatState(inner);
  compress4();
  for (let j: usize = 0; j < 8; j++) v128.store(WV + (j << 4), v128.load(SV + (j << 4)));
  v128.store(WV + (8 << 4), i32x4.splat(0x80000000));
  for (let j: usize = 9; j < 15; j++) v128.store(WV + (j << 4), i32x4.splat(0));
  v128.store(WV + (15 << 4), i32x4.splat((64 + 32) << 3));
  splatState(outer);
  compress4();
  for (let l: usize = 0; l < 4; l++) {
    const i = <usize>load<u32>(lanes + (l << 2));
    const dst = out + i * size;
    const target = hex ? DIG : dst;
    for (let j: usize = 0; j < 8; j++) store<u32>(target + (j << 2), bswap<u32>(load<u32>(SV + (j << 4) + (l << 2))));
    if (hex) hexEncode(DIG, 32, dst);
  }
}
