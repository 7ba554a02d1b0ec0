// AES-128/192/256 (FIPS 197): key expansion (§5.2), cipher (§5.1) and the equivalent
// inverse cipher (§5.3.5), with 32-bit lookup tables ("T-tables") built at start-up.
//
// NOT constant-time: table lookups are indexed by secret state bytes, so cache timing can
// leak key material to a process that shares the CPU cache. See the README's security notes.

const SBOX: usize = memory.data(256, 16);
const INV_SBOX: usize = memory.data(256, 16);
/** TE0..TE3: 4 × 256 u32 each. */
const TE: usize = memory.data(4 * 1024, 16);
/** TD0..TD3: 4 × 256 u32 each. */
const TD: usize = memory.data(4 * 1024, 16);
/** Encryption round keys (up to 60 words), decryption round keys, then the round count. */
const RK: usize = memory.data(240, 16);
const DRK: usize = memory.data(240, 16);
let rounds: u32 = 0;
let tablesReady = false;

// @ts-ignore: decorator
@inline function xtime(x: u32): u32 {
  return ((x << 1) ^ (((x >> 7) & 1) * 0x1b)) & 0xff;
}

function gmul(a: u32, b: u32): u32 {
  let p: u32 = 0;
  for (let i = 0; i < 8; i++) {
    p ^= a & (0 - (b & 1));
    a = xtime(a);
    b >>= 1;
  }
  return p;
}

/** Builds the S-box (§5.1.1) from inverses in GF(2^8) and the T-tables. Runs once. */
export function aesTables(): void {
  if (tablesReady) return;
  // Walk the multiplicative group with generator 3 and its inverse to pair x with x^-1.
  let p: u32 = 1;
  let q: u32 = 1;
  do {
    p = (p ^ (p << 1) ^ (((p >> 7) & 1) * 0x1b)) & 0xff;
    q ^= q << 1;
    q ^= q << 2;
    q ^= q << 4;
    q &= 0xff;
    if (q & 0x80) q ^= 0x09;
    const x = q ^ (((q << 1) | (q >> 7)) & 0xff) ^ (((q << 2) | (q >> 6)) & 0xff) ^ (((q << 3) | (q >> 5)) & 0xff) ^ (((q << 4) | (q >> 4)) & 0xff);
    store<u8>(SBOX + p, <u8>((x ^ 0x63) & 0xff));
  } while (p != 1);
  store<u8>(SBOX, 0x63);
  for (let i: u32 = 0; i < 256; i++) store<u8>(INV_SBOX + <usize>load<u8>(SBOX + i), <u8>i);
  for (let i: u32 = 0; i < 256; i++) {
    const s = <u32>load<u8>(SBOX + i);
    const te = (xtime(s) << 24) | (s << 16) | (s << 8) | (xtime(s) ^ s);
    const si = <u32>load<u8>(INV_SBOX + i);
    const td = (gmul(si, 14) << 24) | (gmul(si, 9) << 16) | (gmul(si, 13) << 8) | gmul(si, 11);
    for (let k: u32 = 0; k < 4; k++) {
      store<u32>(TE + (k << 10) + (i << 2), rotr<u32>(te, k << 3));
      store<u32>(TD + (k << 10) + (i << 2), rotr<u32>(td, k << 3));
    }
  }
  tablesReady = true;
}

// @ts-ignore: decorator
@inline function te(k: u32, x: u32): u32 {
  return load<u32>(TE + (<usize>k << 10) + (<usize>(x & 0xff) << 2));
}

// @ts-ignore: decorator
@inline function td(k: u32, x: u32): u32 {
  return load<u32>(TD + (<usize>k << 10) + (<usize>(x & 0xff) << 2));
}

// @ts-ignore: decorator
@inline function sb(x: u32): u32 {
  return <u32>load<u8>(SBOX + <usize>(x & 0xff));
}

// @ts-ignore: decorator
@inline function isb(x: u32): u32 {
  return <u32>load<u8>(INV_SBOX + <usize>(x & 0xff));
}

function subWord(w: u32): u32 {
  return (sb(w >> 24) << 24) | (sb(w >> 16) << 16) | (sb(w >> 8) << 8) | sb(w);
}

/**
 * Expands a 16-, 24- or 32-byte key (§5.2) into encryption and decryption round keys.
 * Returns 0, or -1 for another length.
 */
export function aesSetKey(key: usize, keyLen: u32): i32 {
  if (keyLen != 16 && keyLen != 24 && keyLen != 32) return -1;
  aesTables();
  const nk = keyLen >> 2;
  const nr = nk + 6;
  const total = (nr + 1) << 2;
  for (let i: u32 = 0; i < nk; i++) store<u32>(RK + (<usize>i << 2), bswap<u32>(load<u32>(key + (<usize>i << 2))));
  let rcon: u32 = 1;
  for (let i: u32 = nk; i < total; i++) {
    let t = load<u32>(RK + (<usize>(i - 1) << 2));
    if (i % nk == 0) {
      t = subWord(rotl<u32>(t, 8)) ^ (rcon << 24);
      rcon = xtime(rcon);
    } else if (nk > 6 && i % nk == 4) {
      t = subWord(t);
    }
    store<u32>(RK + (<usize>i << 2), load<u32>(RK + (<usize>(i - nk) << 2)) ^ t);
  }
  // Equivalent inverse cipher (§5.3.5): reversed round keys, InvMixColumns on the inner ones.
  for (let r: u32 = 0; r <= nr; r++) {
    for (let j: u32 = 0; j < 4; j++) {
      let w = load<u32>(RK + (<usize>(((nr - r) << 2) + j) << 2));
      if (r > 0 && r < nr) w = td(0, sb(w >> 24)) ^ td(1, sb(w >> 16)) ^ td(2, sb(w >> 8)) ^ td(3, sb(w));
      store<u32>(DRK + (<usize>((r << 2) + j) << 2), w);
    }
  }
  rounds = nr;
  return 0;
}

/** Wipes the round keys. */
export function aesClearKey(): void {
  memory.fill(RK, 0, 240);
  memory.fill(DRK, 0, 240);
  rounds = 0;
}

/** Encrypts one block: the four big-endian words s0..s3 are read from and written to `st`. */
export function aesEncryptWords(st: usize): void {
  let s0 = load<u32>(st, 0) ^ load<u32>(RK, 0);
  let s1 = load<u32>(st, 4) ^ load<u32>(RK, 4);
  let s2 = load<u32>(st, 8) ^ load<u32>(RK, 8);
  let s3 = load<u32>(st, 12) ^ load<u32>(RK, 12);
  let k = RK + 16;
  for (let r: u32 = 1; r < rounds; r++) {
    const t0 = te(0, s0 >> 24) ^ te(1, s1 >> 16) ^ te(2, s2 >> 8) ^ te(3, s3) ^ load<u32>(k, 0);
    const t1 = te(0, s1 >> 24) ^ te(1, s2 >> 16) ^ te(2, s3 >> 8) ^ te(3, s0) ^ load<u32>(k, 4);
    const t2 = te(0, s2 >> 24) ^ te(1, s3 >> 16) ^ te(2, s0 >> 8) ^ te(3, s1) ^ load<u32>(k, 8);
    const t3 = te(0, s3 >> 24) ^ te(1, s0 >> 16) ^ te(2, s1 >> 8) ^ te(3, s2) ^ load<u32>(k, 12);
    s0 = t0;
    s1 = t1;
    s2 = t2;
    s3 = t3;
    k += 16;
  }
  store<u32>(st, ((sb(s0 >> 24) << 24) | (sb(s1 >> 16) << 16) | (sb(s2 >> 8) << 8) | sb(s3)) ^ load<u32>(k, 0), 0);
  store<u32>(st, ((sb(s1 >> 24) << 24) | (sb(s2 >> 16) << 16) | (sb(s3 >> 8) << 8) | sb(s0)) ^ load<u32>(k, 4), 4);
  store<u32>(st, ((sb(s2 >> 24) << 24) | (sb(s3 >> 16) << 16) | (sb(s0 >> 8) << 8) | sb(s1)) ^ load<u32>(k, 8), 8);
  store<u32>(st, ((sb(s3 >> 24) << 24) | (sb(s0 >> 16) << 16) | (sb(s1 >> 8) << 8) | sb(s2)) ^ load<u32>(k, 12), 12);
}

/** Decrypts one block in place, like {@link aesEncryptWords}. */
export function aesDecryptWords(st: usize): void {
  let s0 = load<u32>(st, 0) ^ load<u32>(DRK, 0);
  let s1 = load<u32>(st, 4) ^ load<u32>(DRK, 4);
  let s2 = load<u32>(st, 8) ^ load<u32>(DRK, 8);
  let s3 = load<u32>(st, 12) ^ load<u32>(DRK, 12);
  let k = DRK + 16;
  for (let r: u32 = 1; r < rounds; r++) {
    const t0 = td(0, s0 >> 24) ^ td(1, s3 >> 16) ^ td(2, s2 >> 8) ^ td(3, s1) ^ load<u32>(k, 0);
    const t1 = td(0, s1 >> 24) ^ td(1, s0 >> 16) ^ td(2, s3 >> 8) ^ td(3, s2) ^ load<u32>(k, 4);
    const t2 = td(0, s2 >> 24) ^ td(1, s1 >> 16) ^ td(2, s0 >> 8) ^ td(3, s3) ^ load<u32>(k, 8);
    const t3 = td(0, s3 >> 24) ^ td(1, s2 >> 16) ^ td(2, s1 >> 8) ^ td(3, s0) ^ load<u32>(k, 12);
    s0 = t0;
    s1 = t1;
    s2 = t2;
    s3 = t3;
    k += 16;
  }
  store<u32>(st, ((isb(s0 >> 24) << 24) | (isb(s3 >> 16) << 16) | (isb(s2 >> 8) << 8) | isb(s1)) ^ load<u32>(k, 0), 0);
  store<u32>(st, ((isb(s1 >> 24) << 24) | (isb(s0 >> 16) << 16) | (isb(s3 >> 8) << 8) | isb(s2)) ^ load<u32>(k, 4), 4);
  store<u32>(st, ((isb(s2 >> 24) << 24) | (isb(s1 >> 16) << 16) | (isb(s0 >> 8) << 8) | isb(s3)) ^ load<u32>(k, 8), 8);
  store<u32>(st, ((isb(s3 >> 24) << 24) | (isb(s2 >> 16) << 16) | (isb(s1 >> 8) << 8) | isb(s0)) ^ load<u32>(k, 12), 12);
}

const BLK: usize = memory.data(16, 16);

/** Loads 16 bytes at `src` as four big-endian words into `dst`. */
// @ts-ignore: decorator
@inline export function loadBlock(dst: usize, src: usize): void {
  store<u32>(dst, bswap<u32>(load<u32>(src, 0)), 0);
  store<u32>(dst, bswap<u32>(load<u32>(src, 4)), 4);
  store<u32>(dst, bswap<u32>(load<u32>(src, 8)), 8);
  store<u32>(dst, bswap<u32>(load<u32>(src, 12)), 12);
}

/** Stores four big-endian words at `src` as 16 bytes at `dst`. */
// @ts-ignore: decorator
@inline export function storeBlock(dst: usize, src: usize): void {
  store<u32>(dst, bswap<u32>(load<u32>(src, 0)), 0);
  store<u32>(dst, bswap<u32>(load<u32>(src, 4)), 4);
  store<u32>(dst, bswap<u32>(load<u32>(src, 8)), 8);
  store<u32>(dst, bswap<u32>(load<u32>(src, 12)), 12);
}

/** Encrypts the 16 bytes at `src` into `dst` (they may overlap). */
export function aesEncryptBlock(src: usize, dst: usize): void {
  loadBlock(BLK, src);
  aesEncryptWords(BLK);
  storeBlock(dst, BLK);
}
