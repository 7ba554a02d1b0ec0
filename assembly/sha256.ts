// SHA-256 (FIPS 180-4, §4.2.2 constants, §5.3.3 initial value, §6.2 computation).
//
// A context is 112 bytes at a caller-chosen address:
//   +0 state, 8 × u32 (host order)   +32 pending block, 64 bytes
//   +96 pending length, u32           +104 total bytes hashed, u64
// The code has no data-dependent branches or table indexes.

export const SHA256_CTX_SIZE: usize = 112;

export const K256: usize = memory.data<u32>([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const IV256: usize = memory.data<u32>([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

const W: usize = memory.data(64 * 4, 16);

/** One compression of the 64-byte block at `block` into the 8-word state at `state` (§6.2.2). */
export function sha256Compress(state: usize, block: usize): void {
  for (let t: usize = 0; t < 16; t++) store<u32>(W + (t << 2), bswap<u32>(load<u32>(block + (t << 2))));
  for (let t: usize = 16; t < 64; t++) {
    const w15 = load<u32>(W + ((t - 15) << 2));
    const w2 = load<u32>(W + ((t - 2) << 2));
    const s0 = rotr<u32>(w15, 7) ^ rotr<u32>(w15, 18) ^ (w15 >> 3);
    const s1 = rotr<u32>(w2, 17) ^ rotr<u32>(w2, 19) ^ (w2 >> 10);
    store<u32>(W + (t << 2), load<u32>(W + ((t - 16) << 2)) + s0 + load<u32>(W + ((t - 7) << 2)) + s1);
  }
  let a = load<u32>(state, 0);
  let b = load<u32>(state, 4);
  let c = load<u32>(state, 8);
  let d = load<u32>(state, 12);
  let e = load<u32>(state, 16);
  let f = load<u32>(state, 20);
  let g = load<u32>(state, 24);
  let h = load<u32>(state, 28);
  for (let t: usize = 0; t < 64; t++) {
    const s1 = rotr<u32>(e, 6) ^ rotr<u32>(e, 11) ^ rotr<u32>(e, 25);
    const ch = (e & f) ^ (~e & g);
    const t1 = h + s1 + ch + load<u32>(K256 + (t << 2)) + load<u32>(W + (t << 2));
    const s0 = rotr<u32>(a, 2) ^ rotr<u32>(a, 13) ^ rotr<u32>(a, 22);
    const maj = (a & b) ^ (a & c) ^ (b & c);
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + s0 + maj;
  }
  store<u32>(state, load<u32>(state, 0) + a, 0);
  store<u32>(state, load<u32>(state, 4) + b, 4);
  store<u32>(state, load<u32>(state, 8) + c, 8);
  store<u32>(state, load<u32>(state, 12) + d, 12);
  store<u32>(state, load<u32>(state, 16) + e, 16);
  store<u32>(state, load<u32>(state, 20) + f, 20);
  store<u32>(state, load<u32>(state, 24) + g, 24);
  store<u32>(state, load<u32>(state, 28) + h, 28);
}

/** Starts a SHA-256 computation in `ctx`. */
export function sha256Init(ctx: usize): void {
  memory.copy(ctx, IV256, 32);
  store<u32>(ctx, 0, 96);
  store<u64>(ctx, 0, 104);
}

/** Starts from a saved 8-word state that has already absorbed `done` bytes (HMAC pads). */
export function sha256Resume(ctx: usize, state: usize, done: u64): void {
  memory.copy(ctx, state, 32);
  store<u32>(ctx, 0, 96);
  store<u64>(ctx, done, 104);
}

/** Absorbs `len` bytes at `ptr`. */
export function sha256Update(ctx: usize, ptr: usize, len: usize): void {
  const buf = ctx + 32;
  let pending = <usize>load<u32>(ctx, 96);
  store<u64>(ctx, load<u64>(ctx, 104) + <u64>len, 104);
  if (pending > 0) {
    const take = min<usize>(64 - pending, len);
    memory.copy(buf + pending, ptr, take);
    pending += take;
    ptr += take;
    len -= take;
    if (pending < 64) {
      store<u32>(ctx, <u32>pending, 96);
      return;
    }
    sha256Compress(ctx, buf);
    pending = 0;
  }
  while (len >= 64) {
    sha256Compress(ctx, ptr);
    ptr += 64;
    len -= 64;
  }
  if (len > 0) memory.copy(buf, ptr, len);
  store<u32>(ctx, <u32>len, 96);
}

/** Pads (§5.1.1), finishes and writes the 32-byte digest to `out`. */
export function sha256Final(ctx: usize, out: usize): void {
  const buf = ctx + 32;
  let pending = <usize>load<u32>(ctx, 96);
  const bits = load<u64>(ctx, 104) << 3;
  store<u8>(buf + pending, 0x80);
  pending++;
  if (pending > 56) {
    memory.fill(buf + pending, 0, 64 - pending);
    sha256Compress(ctx, buf);
    pending = 0;
  }
  memory.fill(buf + pending, 0, 56 - pending);
  store<u64>(buf, bswap<u64>(bits), 56);
  sha256Compress(ctx, buf);
  for (let i: usize = 0; i < 8; i++) store<u32>(out + (i << 2), bswap<u32>(load<u32>(ctx + (i << 2))));
}
