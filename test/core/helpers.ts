/**
 * Shared helpers of the crypto core tests: both cores, hex, seeded random inputs, and
 * WebCrypto (`crypto.subtle`, present in every runtime) as an independent implementation.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createJsCore, createWasmCore, type CryptoCore } from '../../src/core/index.ts';

/** Both cores, created once; every vector runs through each. */
export const CORES: readonly CryptoCore[] = [createWasmCore(), createJsCore()];

export const wasm: CryptoCore = CORES[0]!;
export const js: CryptoCore = CORES[1]!;

export function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export function unhex(text: string): Uint8Array {
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A small deterministic PRNG (xorshift32), so a failing input can be reproduced. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

export function randomBytes(next: () => number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(next() * 256);
  return out;
}

const ALPHABET = ['a', 'Z', '0', ' ', '~', 'é', 'ß', 'Ω', 'Ж', '测', '試', '🙂', '𝄞', '\u0000', '\u2028'];

/** Random text of `n` code points mixing ASCII, 2-, 3- and 4-byte UTF-8 characters. */
export function randomText(next: () => number, n: number, asciiOnly = false): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    if (asciiOnly || next() < 0.7) s += String.fromCharCode(32 + Math.floor(next() * 95));
    else s += ALPHABET[Math.floor(next() * ALPHABET.length)]!;
  }
  return s;
}

const SUBTLE_HASH = { sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' } as const;

export async function subtleDigest(alg: keyof typeof SUBTLE_HASH, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest(SUBTLE_HASH[alg], data as Uint8Array<ArrayBuffer>));
}

export async function subtleHmac(alg: keyof typeof SUBTLE_HASH, key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  // WebCrypto rejects empty HMAC keys; callers use keys of at least one byte.
  const k = await crypto.subtle.importKey('raw', key as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: SUBTLE_HASH[alg] }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, data as Uint8Array<ArrayBuffer>));
}

export async function subtleCbc(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey('raw', key as Uint8Array<ArrayBuffer>, 'AES-CBC', false, ['encrypt']);
  return new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-CBC', iv: iv as Uint8Array<ArrayBuffer> }, k, data as Uint8Array<ArrayBuffer>));
}

export async function subtleGcm(key: Uint8Array, iv: Uint8Array, data: Uint8Array, aad?: Uint8Array): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey('raw', key as Uint8Array<ArrayBuffer>, 'AES-GCM', false, ['encrypt']);
  const params: AesGcmParams = { name: 'AES-GCM', iv: iv as Uint8Array<ArrayBuffer> };
  if (aad !== undefined) params.additionalData = aad as Uint8Array<ArrayBuffer>;
  return new Uint8Array(await crypto.subtle.encrypt(params, k, data as Uint8Array<ArrayBuffer>));
}

/** Standard Base64, from an independent encoder (btoa). */
export function b64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/** The repository root, found from this file whether it runs from source or from build/. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'assembly'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('repository root not found');
    dir = up;
  }
  return dir;
}

/** Reads a JSON file of test/vectors/. */
export function loadVectors<T>(name: string): T {
  return JSON.parse(readFileSync(join(repoRoot(), 'test', 'vectors', name), 'utf8')) as T;
}
