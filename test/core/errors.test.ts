import assert from 'node:assert/strict';
import { describe, it } from '../harness.ts';
import { js, wasm } from './helpers.ts';
import type { CryptoCore } from '../../src/core/index.ts';

/** Runs `fn` on both cores; both must throw the same class, code and message. */
function sameRejection(label: string, fn: (core: CryptoCore) => unknown): void {
  const outcome = (core: CryptoCore): { name: string; code: string; message: string } => {
    try {
      fn(core);
    } catch (err) {
      const e = err as { name: string; code: string; message: string };
      return { name: e.name, code: e.code, message: e.message };
    }
    throw new assert.AssertionError({ message: `${core.kind} core accepted: ${label}` });
  };
  const a = outcome(wasm);
  const b = outcome(js);
  assert.deepEqual(a, b, label);
  assert.match(a.code, /^ERR_/, label);
}

const k16 = new Uint8Array(16).fill(1);
const k32 = new Uint8Array(32).fill(2);
const iv = new Uint8Array(16).fill(3);
const nonce = new Uint8Array(12).fill(4);

describe('core/errors: both cores reject the same inputs the same way', () => {
  it('bad AES key sizes (KeySizeError)', () => {
    for (const n of [0, 1, 15, 17, 20, 31, 33, 64]) {
      const key = new Uint8Array(n);
      sameRejection(`cbc encrypt key ${n}`, (c) => c.aesCbcEncrypt(key, iv, 'x'));
      sameRejection(`cbc decrypt key ${n}`, (c) => c.aesCbcDecrypt(key, iv, new Uint8Array(16)));
      sameRejection(`gcm encrypt key ${n}`, (c) => c.aesGcmEncrypt(key, nonce, 'x'));
      sameRejection(`gcm decrypt key ${n}`, (c) => c.aesGcmDecrypt(key, nonce, new Uint8Array(16)));
      sameRejection(`batch key ${n}`, (c) => c.encryptTextsCbcBase64(key, ['x']));
      sameRejection(`decrypt text key ${n}`, (c) => c.decryptTextCbcBase64(key, 'A'.repeat(44)));
    }
  });
  it('keys that are not bytes', () => {
    sameRejection('hmac key string', (c) => c.hmac('sha256', 'key' as unknown as Uint8Array, 'x'));
    sameRejection('batch key array', (c) => c.hmacBatch('sha256', [1, 2] as unknown as Uint8Array, ['x']));
    sameRejection('aes key string', (c) => c.aesCbcEncrypt('0123456789abcdef' as unknown as Uint8Array, iv, 'x'));
  });
  it('bad IVs and nonces', () => {
    for (const n of [0, 1, 12, 15, 17, 32]) sameRejection(`cbc iv ${n}`, (c) => c.aesCbcEncrypt(k16, new Uint8Array(n), 'x'));
    for (let n = 0; n < 8; n++) {
      sameRejection(`gcm nonce of ${n} bytes`, (c) => c.aesGcmEncrypt(k16, new Uint8Array(n), 'x'));
      sameRejection(`gcm decrypt nonce of ${n} bytes`, (c) => c.aesGcmDecrypt(k16, new Uint8Array(n), new Uint8Array(16)));
    }
    sameRejection('gcm nonce not bytes', (c) => c.aesGcmEncrypt(k16, 'nonce' as unknown as Uint8Array, 'x'));
    sameRejection('batch ivs wrong length', (c) => c.encryptTextsCbcBase64(k16, ['a', 'b'], new Uint8Array(16)));
  });
  it('bad algorithm names and message types', () => {
    sameRejection('hash md5', (c) => c.hash('md5' as never, 'x'));
    sameRejection('hmac sha1', (c) => c.hmac('sha1' as never, k16, 'x'));
    sameRejection('hash number', (c) => c.hash('sha256', 42 as never));
    sameRejection('batch object', (c) => c.hmacBatch('sha256', k16, ['a', {} as never, 'b']));
    sameRejection('hex batch null', (c) => c.hmacHexBatch('sha512', k16, [null as never]));
    sameRejection('cbc plaintext number', (c) => c.aesCbcEncrypt(k16, iv, 7 as never));
  });
  it('truncated and malformed CBC ciphertexts', () => {
    for (const n of [0, 1, 15, 17, 31, 33]) sameRejection(`cbc length ${n}`, (c) => c.aesCbcDecrypt(k32, iv, new Uint8Array(n)));
    // Valid length, wrong key: the padding check fails (the 16 cases below all have bad padding under k16).
    const ct = js.aesCbcEncrypt(k32, iv, 'sixteen bytes!!!');
    let badPadding = 0;
    for (let i = 0; i < 64; i++) {
      const key = new Uint8Array(32).fill(i + 10);
      let jsOk = true;
      try {
        js.aesCbcDecrypt(key, iv, ct);
      } catch {
        jsOk = false;
      }
      if (jsOk) assert.deepEqual(wasm.aesCbcDecrypt(key, iv, ct), js.aesCbcDecrypt(key, iv, ct));
      else {
        badPadding++;
        sameRejection(`padding with key ${i}`, (c) => c.aesCbcDecrypt(key, iv, ct));
      }
    }
    assert.ok(badPadding > 50, 'most wrong keys give invalid padding');
    sameRejection('text: not Base64', (c) => c.decryptTextCbcBase64(k32, 'not base64!'));
    sameRejection('text: IV only', (c) => c.decryptTextCbcBase64(k32, btoa('x'.repeat(16))));
    sameRejection('text: IV plus half a block', (c) => c.decryptTextCbcBase64(k32, btoa('x'.repeat(24))));
    sameRejection('text: not UTF-8', (c) => {
      const bin = new Uint8Array(16 + 16);
      bin.set(iv);
      bin.set(js.aesCbcEncrypt(k32, iv, new Uint8Array([0xff, 0xfe])), 16);
      let s = '';
      for (const b of bin) s += String.fromCharCode(b);
      return c.decryptTextCbcBase64(k32, btoa(s));
    });
  });
  it('GCM: wrong tag, tampered ciphertext, wrong AAD, too short', () => {
    const sealed = js.aesGcmEncrypt(k16, nonce, 'some plaintext', new Uint8Array([1, 2, 3]));
    for (let i = 0; i < sealed.length; i++) {
      const t = sealed.slice();
      t[i]! ^= 1 << (i % 8);
      sameRejection(`flip byte ${i}`, (c) => c.aesGcmDecrypt(k16, nonce, t, new Uint8Array([1, 2, 3])));
    }
    sameRejection('wrong aad', (c) => c.aesGcmDecrypt(k16, nonce, sealed, new Uint8Array([1, 2, 4])));
    sameRejection('missing aad', (c) => c.aesGcmDecrypt(k16, nonce, sealed));
    for (const n of [0, 1, 15]) sameRejection(`sealed length ${n}`, (c) => c.aesGcmDecrypt(k16, nonce, new Uint8Array(n)));
    assert.equal(new TextDecoder().decode(wasm.aesGcmDecrypt(k16, nonce, sealed, new Uint8Array([1, 2, 3]))), 'some plaintext');
  });
  it('error messages never contain the input values', () => {
    const secret = 'PATIENT-SECRET-12345';
    const key = utf8Bytes(secret);
    for (const core of [wasm, js]) {
      for (const fn of [
        () => core.aesCbcEncrypt(key, iv, secret),
        () => core.decryptTextCbcBase64(k32, btoa(secret + secret.slice(0, 12))),
        () => core.hmacBatch('sha256', k16, [secret, 1 as never]),
      ]) {
        assert.throws(fn, (e: unknown) => !String((e as Error).message).includes(secret) && !String((e as Error).message).includes('PATIENT'));
      }
    }
  });
});

function utf8Bytes(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}
