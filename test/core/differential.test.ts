import assert from 'node:assert/strict';
import { createCipheriv } from 'node:crypto';
import { describe, it } from '../harness.ts';
import type { HashAlgorithm, Message } from '../../src/core/index.ts';
import {
  b64, hex, js, randomBytes, randomText, rng, subtleCbc, subtleDigest, subtleGcm, subtleHmac, utf8, wasm,
} from './helpers.ts';

// WASM against JS (@noble) against WebCrypto on seeded random inputs of 0–10,000 bytes,
// with non-ASCII text. Lengths near block boundaries are forced in.
const ALGS: readonly HashAlgorithm[] = ['sha256', 'sha384', 'sha512'];
const EDGE = [0, 1, 15, 16, 17, 55, 56, 63, 64, 65, 111, 112, 119, 127, 128, 129, 1000, 10000];

/** AES-GCM through node:crypto (OpenSSL), which takes IVs of any length in every runtime. */
function opensslGcm(key: Uint8Array, nonce: Uint8Array, data: Uint8Array, aad?: Uint8Array): string {
  const c = createCipheriv(`aes-${key.length * 8}-gcm` as 'aes-128-gcm', key, nonce);
  if (aad !== undefined) c.setAAD(aad);
  const head = c.update(data);
  const tail = c.final();
  return hex(head) + hex(tail) + hex(c.getAuthTag());
}

function lengths(next: () => number, count: number): number[] {
  const out = [...EDGE];
  while (out.length < count) out.push(Math.floor(next() * 10001));
  return out;
}

describe('core/differential: WASM = JS = WebCrypto', () => {
  it('hash of random bytes and text', async () => {
    const next = rng(1);
    for (const n of lengths(next, 40)) {
      const bytes = randomBytes(next, n);
      const text = randomText(next, Math.floor(n / 3));
      for (const alg of ALGS) {
        const want = hex(await subtleDigest(alg, bytes));
        assert.equal(hex(wasm.hash(alg, bytes)), want, `${alg} ${n}`);
        assert.equal(hex(js.hash(alg, bytes)), want);
        const wantText = hex(await subtleDigest(alg, utf8(text)));
        assert.equal(hex(wasm.hash(alg, text)), wantText);
        assert.equal(hex(js.hash(alg, text)), wantText);
      }
    }
  });

  it('hmac with random keys of 1–300 bytes', async () => {
    const next = rng(2);
    for (const n of lengths(next, 36)) {
      const key = randomBytes(next, 1 + Math.floor(next() * 300));
      const data = next() < 0.5 ? randomBytes(next, n) : randomText(next, Math.floor(n / 2));
      const bytes = typeof data === 'string' ? utf8(data) : data;
      for (const alg of ALGS) {
        const want = hex(await subtleHmac(alg, key, bytes));
        assert.equal(hex(wasm.hmac(alg, key, data)), want, `${alg} key ${key.length} data ${bytes.length}`);
        assert.equal(hex(js.hmac(alg, key, data)), want);
      }
    }
  });

  it('hmacBatch / hmacHexBatch: mixed lengths (SIMD and scalar paths), sizes not multiples of 4', async () => {
    const next = rng(3);
    const key = randomBytes(next, 32);
    for (const size of [1, 2, 3, 5, 7, 9, 13, 31, 101]) {
      const messages: Message[] = [];
      for (let i = 0; i < size; i++) {
        const r = next();
        if (r < 0.5) messages.push(randomText(next, Math.floor(next() * 56), true)); // ASCII, mostly SIMD lanes
        else if (r < 0.7) messages.push(randomText(next, Math.floor(next() * 40))); // non-ASCII
        else if (r < 0.85) messages.push(randomBytes(next, Math.floor(next() * 200))); // bytes, some over 55
        else messages.push(randomText(next, 56 + Math.floor(next() * 100), true)); // long: scalar
      }
      for (const alg of ALGS) {
        const want: string[] = [];
        for (const m of messages) want.push(hex(await subtleHmac(alg, key, typeof m === 'string' ? utf8(m) : m)));
        assert.deepEqual(wasm.hmacHexBatch(alg, key, messages), want, `${alg} batch of ${size}`);
        assert.deepEqual(js.hmacHexBatch(alg, key, messages), want);
        assert.equal(hex(wasm.hmacBatch(alg, key, messages)), want.join(''));
      }
    }
  });

  it('hmacHexBatch: every length 0–130 in one all-ASCII batch and one non-ASCII batch', async () => {
    const next = rng(4);
    const key = utf8('123');
    for (const ascii of [true, false]) {
      const messages = Array.from({ length: 131 }, (_, n) => randomText(next, n, ascii));
      const want: string[] = [];
      for (const m of messages) want.push(hex(await subtleHmac('sha256', key, utf8(m))));
      assert.deepEqual(wasm.hmacHexBatch('sha256', key, messages), want);
    }
  });

  it('hmacHexBatch: more values than one WASM call holds, and values larger than the window', () => {
    const next = rng(5);
    const key = randomBytes(next, 20);
    const messages: Message[] = Array.from({ length: 9001 }, (_, i) => `value-${i}-${randomText(next, i % 50, i % 3 !== 0)}`);
    messages[4500] = 'x'.repeat(600 * 1024); // more than the 512 KiB window
    messages[4501] = randomText(next, 200 * 1024); // non-ASCII, up to 800 KiB of UTF-8
    messages[8000] = randomBytes(next, 700 * 1024);
    for (const alg of ALGS) assert.deepEqual(wasm.hmacHexBatch(alg, key, messages), js.hmacHexBatch(alg, key, messages), alg);
  });

  it('window boundaries: batches split where the 512 KiB input window fills up', () => {
    const next = rng(12);
    const key = randomBytes(next, 16);
    const ascii = Array.from({ length: 120 }, (_, i) => randomText(next, 9000 + i, true)); // ~1.1 MB: splits in the fast path
    const mixed = Array.from({ length: 40 }, (_, i) => (i % 4 === 3 ? randomBytes(next, 60_000) : randomText(next, 30_000 + i))); // splits in the general path
    const single = [randomText(next, 200_000, true), randomText(next, 170_000), randomText(next, 524_288, true), randomText(next, 524_289, true)];
    for (const messages of [ascii, mixed, single]) {
      assert.deepEqual(wasm.hmacHexBatch('sha256', key, messages), js.hmacHexBatch('sha256', key, messages));
      assert.deepEqual(wasm.hmacHexBatch('sha384', key, messages), js.hmacHexBatch('sha384', key, messages));
    }
    for (const m of single) {
      assert.equal(hex(wasm.hash('sha512', m)), hex(js.hash('sha512', m)));
      assert.equal(hex(wasm.hmac('sha256', key, m)), hex(js.hmac('sha256', key, m)));
    }
    const ivs = randomBytes(next, ascii.length * 16);
    assert.deepEqual(wasm.encryptTextsCbcBase64(key, ascii, ivs), js.encryptTextsCbcBase64(key, ascii, ivs));
  });

  it('empty batches give empty results on both cores', () => {
    for (const core of [wasm, js]) {
      assert.equal(core.hmacBatch('sha256', utf8('k'), []).length, 0);
      assert.deepEqual(core.hmacHexBatch('sha512', utf8('k'), []), []);
      assert.deepEqual(core.encryptTextsCbcBase64(new Uint8Array(16), [], new Uint8Array(0)), []);
    }
  });

  it('hmac with keys longer than the block and than the window', () => {
    const next = rng(6);
    for (const n of [65, 128, 129, 600 * 1024]) {
      const key = randomBytes(next, n);
      for (const alg of ALGS) assert.equal(hex(wasm.hmac(alg, key, 'abc')), hex(js.hmac(alg, key, 'abc')), `${alg} key ${n}`);
    }
  });

  it('AES-CBC with PKCS#7: encrypt and decrypt, all key sizes', async () => {
    const next = rng(7);
    for (const n of lengths(next, 30)) {
      for (const kl of [16, 24, 32]) {
        const key = randomBytes(next, kl);
        const iv = randomBytes(next, 16);
        const data = randomBytes(next, n);
        const want = hex(await subtleCbc(key, iv, data));
        const ct = wasm.aesCbcEncrypt(key, iv, data);
        assert.equal(hex(ct), want, `cbc ${kl} ${n}`);
        assert.equal(hex(js.aesCbcEncrypt(key, iv, data)), want);
        assert.equal(hex(wasm.aesCbcDecrypt(key, iv, ct)), hex(data));
      }
    }
    const key = randomBytes(next, 32);
    const iv = randomBytes(next, 16);
    const big = randomBytes(next, 1300 * 1024); // streams through the window in three calls
    const ct = wasm.aesCbcEncrypt(key, iv, big);
    assert.equal(hex(ct), hex(await subtleCbc(key, iv, big)));
    assert.equal(hex(wasm.aesCbcDecrypt(key, iv, ct)), hex(big));
  });

  it('AES-GCM: encrypt and decrypt with AAD, nonces of 8, 12, 13 and 60 bytes', async () => {
    const next = rng(8);
    for (const n of lengths(next, 30)) {
      const kl = [16, 24, 32][n % 3]!;
      const key = randomBytes(next, kl);
      const nonce = randomBytes(next, [12, 8, 13, 60][n % 4]!);
      const data = randomBytes(next, n);
      const aad = next() < 0.5 ? undefined : randomBytes(next, Math.floor(next() * 100));
      // Deno's WebCrypto accepts only 12- and 16-byte IVs; elsewhere it is the third opinion.
      const viaJs = hex(js.aesGcmEncrypt(key, nonce, data, aad));
      // (and Deno's node:crypto has no AES-192-GCM; then JS is the second opinion)
      const want = await subtleGcm(key, nonce, data, aad).then(hex, () => {
        try {
          return opensslGcm(key, nonce, data, aad);
        } catch {
          return viaJs;
        }
      });
      const sealed = wasm.aesGcmEncrypt(key, nonce, data, aad);
      assert.equal(hex(sealed), want, `gcm ${kl} nonce ${nonce.length} ${n}`);
      assert.equal(viaJs, want);
      assert.equal(hex(wasm.aesGcmDecrypt(key, nonce, sealed, aad)), hex(data));
    }
    const key = randomBytes(next, 16);
    const nonce = randomBytes(next, 12);
    const big = randomBytes(next, 1100 * 1024);
    const aad = randomBytes(next, 600 * 1024);
    assert.equal(hex(wasm.aesGcmEncrypt(key, nonce, big, aad)), hex(await subtleGcm(key, nonce, big, aad)));
  });

  it('encryptTextsCbcBase64 with injected IVs = Base64(IV ‖ WebCrypto AES-CBC), both cores', async () => {
    const next = rng(10);
    const key = randomBytes(next, 32);
    const texts = Array.from({ length: 203 }, (_, i) => randomText(next, i % 3 === 0 ? i * 7 : i, i % 2 === 0));
    texts.push('');
    texts.push('y'.repeat(600 * 1024)); // larger than the window
    const ivs = randomBytes(next, texts.length * 16);
    const got = wasm.encryptTextsCbcBase64(key, texts, ivs);
    assert.deepEqual(got, js.encryptTextsCbcBase64(key, texts, ivs));
    for (const i of [0, 1, 2, 3, 100, 201, 203, 204]) {
      const iv = ivs.subarray(i * 16, i * 16 + 16);
      const ct = await subtleCbc(key, iv, utf8(texts[i]!));
      const joined = new Uint8Array(16 + ct.length);
      joined.set(iv);
      joined.set(ct, 16);
      assert.equal(got[i], b64(joined), `text ${i}`);
      assert.equal(wasm.decryptTextCbcBase64(key, got[i]!), texts[i]);
    }
  });

  it('encryptTextsCbcBase64: more texts than one WASM call holds, random IVs round-trip', () => {
    const next = rng(11);
    const key = randomBytes(next, 16);
    const texts = Array.from({ length: 5000 }, (_, i) => randomText(next, i % 40, i % 5 !== 0));
    const out = wasm.encryptTextsCbcBase64(key, texts);
    assert.equal(out.length, texts.length);
    for (let i = 0; i < texts.length; i += 97) assert.equal(js.decryptTextCbcBase64(key, out[i]!), texts[i]);
    assert.equal(new Set(out.map((s) => s.slice(0, 22))).size, texts.length, 'every IV is fresh');
  });
});
